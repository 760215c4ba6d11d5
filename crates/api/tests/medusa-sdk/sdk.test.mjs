// The official @medusajs/js-sdk, unchanged, against a running Pimento: every call below is what
// a Medusa admin script makes. The server and its keys come from the environment
// (PIMENTO_URL, PIMENTO_KEY, PIMENTO_OTHER_KEY), set by medusa_sdk.rs.
import Medusa, { FetchError } from "@medusajs/js-sdk";
import assert from "node:assert/strict";
import { test } from "node:test";

const baseUrl = process.env.PIMENTO_URL;
const sdk = new Medusa({ baseUrl, apiKey: process.env.PIMENTO_KEY });
const other = new Medusa({ baseUrl, apiKey: process.env.PIMENTO_OTHER_KEY });
const anonymous = new Medusa({ baseUrl });

/** Runs `call`, expecting the SDK to throw a FetchError with `status`; returns it. */
async function refused(call, status) {
  try {
    await call();
  } catch (e) {
    assert.ok(e instanceof FetchError, `a FetchError, not ${e}`);
    assert.equal(e.status, status, e.message);
    return e;
  }
  assert.fail(`expected a ${status}`);
}

const shirt = (suffix) => ({
  title: `Shirt ${suffix}`,
  description: "Cotton",
  status: "published",
  images: [{ url: "https://example.com/shirt.png" }],
  metadata: { season: "summer" },
  options: [{ title: "Size", values: ["S", "M"] }],
  variants: [
    { title: "S", sku: `SH-${suffix}-S`, options: { Size: "S" }, prices: [{ currency_code: "usd", amount: 10 }, { currency_code: "eur", amount: 9.5 }] },
    { title: "M", sku: `SH-${suffix}-M`, options: { Size: "M" }, prices: [{ currency_code: "usd", amount: 12 }] },
  ],
});

test("products: create, retrieve, update, list and delete", async () => {
  const { product } = await sdk.admin.product.create(shirt("a"));
  assert.match(product.id, /^prod_01/);
  assert.equal(product.handle, "shirt-a");
  assert.equal(product.variants.length, 2);
  assert.deepEqual(
    product.variants[0].prices.map((p) => [p.currency_code, p.amount]),
    [["usd", 10], ["eur", 9.5]],
  );

  const { product: got } = await sdk.admin.product.retrieve(product.id, { fields: "+metadata" });
  assert.deepEqual(got.metadata, { season: "summer" });

  const { product: changed } = await sdk.admin.product.update(product.id, {
    title: "Shirt A v2",
    metadata: { season: "", fabric: "linen" },
  });
  assert.equal(changed.title, "Shirt A v2");
  assert.deepEqual(changed.metadata, { fabric: "linen" });

  const { products, count, limit, offset } = await sdk.admin.product.list({
    q: "shirt",
    status: ["published"],
    fields: "id,title",
    order: "-title",
    limit: 10,
    offset: 0,
  });
  assert.ok(count >= 1);
  assert.equal(limit, 10);
  assert.equal(offset, 0);
  assert.ok(products.some((p) => p.id === product.id));
  assert.deepEqual(Object.keys(products[0]).sort(), ["id", "title"]);

  const deleted = await sdk.admin.product.delete(product.id);
  assert.deepEqual(deleted, { id: product.id, object: "product", deleted: true });
  const e = await refused(() => sdk.admin.product.retrieve(product.id), 404);
  assert.equal(e.message, "Product not found");
});

test("lists page and filter by date with qs-encoded operators", async () => {
  for (const s of ["p1", "p2", "p3"]) await sdk.admin.product.create(shirt(s));
  const first = await sdk.admin.product.list({ limit: 2, offset: 0, fields: "id", order: "created_at" });
  const second = await sdk.admin.product.list({ limit: 2, offset: 2, fields: "id", order: "created_at" });
  assert.equal(first.products.length, 2);
  assert.ok(second.products.every((p) => !first.products.some((q) => q.id === p.id)));
  const none = await sdk.admin.product.list({ created_at: { $gt: "2999-01-01T00:00:00Z" } });
  assert.equal(none.count, 0);
  const some = await sdk.admin.product.list({ created_at: { $gte: "2000-01-01T00:00:00Z" }, fields: "id" });
  assert.ok(some.count >= 3);
});

test("variants: list, create, retrieve, update, delete", async () => {
  const { product } = await sdk.admin.product.create(shirt("v"));
  const { variants, count } = await sdk.admin.product.listVariants(product.id);
  assert.equal(count, 2);
  assert.equal(variants[1].sku, "SH-v-M");

  const created = await sdk.admin.product.createVariant(product.id, {
    title: "Gift wrap",
    sku: "SH-v-G",
    prices: [{ currency_code: "usd", amount: 2 }],
  });
  const added = created.product.variants.find((v) => v.sku === "SH-v-G");
  assert.ok(added);

  const { variant } = await sdk.admin.product.retrieveVariant(product.id, added.id);
  assert.equal(variant.title, "Gift wrap");

  const updated = await sdk.admin.product.updateVariant(product.id, added.id, { title: "Gift box" });
  assert.equal(updated.product.variants.find((v) => v.id === added.id).title, "Gift box");

  const gone = await sdk.admin.product.deleteVariant(product.id, added.id);
  assert.equal(gone.object, "variant");
  assert.equal(gone.parent.variants.length, 2);
});

test("errors reach the client as Medusa's", async () => {
  const bad = await refused(() => sdk.admin.product.create({ title: "X", bogus: 1 }), 400);
  assert.equal(bad.message, "Invalid request: Unrecognized fields: 'bogus'");
  const noOptions = await refused(() => sdk.admin.product.create({ title: "Mug" }), 400);
  assert.equal(noOptions.message, "Product options are not provided for: [Mug].");
  await sdk.admin.product.create(shirt("dup"));
  const dup = await refused(() => sdk.admin.product.create(shirt("dup")), 400);
  assert.equal(dup.message, "Product with handle: shirt-dup, already exists.");
  const unauthorized = await refused(() => anonymous.admin.product.list(), 401);
  assert.equal(unauthorized.message, "Unauthorized");
});

test("another organization's key sees none of this one's products", async () => {
  const { product } = await sdk.admin.product.create(shirt("private"));
  await refused(() => other.admin.product.retrieve(product.id), 404);
  await refused(() => other.admin.product.update(product.id, { title: "taken" }), 404);
  const theirs = await other.admin.product.list({ q: "private" });
  assert.equal(theirs.count, 0);
  const { product: still } = await sdk.admin.product.retrieve(product.id);
  assert.equal(still.title, "Shirt private");
});

test("batch: create, update and delete together", async () => {
  const { product: kept } = await sdk.admin.product.create(shirt("keep"));
  const { product: doomed } = await sdk.admin.product.create(shirt("doom"));
  const done = await sdk.admin.product.batch({
    create: [shirt("batch")],
    update: [{ id: kept.id, title: "Kept v2" }],
    delete: [doomed.id],
  });
  assert.equal(done.created[0].title, "Shirt batch");
  assert.equal(done.updated[0].title, "Kept v2");
  assert.deepEqual(done.deleted, { ids: [doomed.id], object: "product", deleted: true });
  await refused(() => sdk.admin.product.retrieve(doomed.id), 404);
});

test("options: shared ones made, linked to a product and listed", async () => {
  const { product_option } = await sdk.admin.productOption.create({ title: "Material", values: ["Wool", "Silk"] });
  assert.match(product_option.id, /^opt_/);
  const listed = await sdk.admin.productOption.list({ q: "mater" });
  assert.ok(listed.product_options.some((o) => o.id === product_option.id));
  const { product_option: got } = await sdk.admin.productOption.retrieve(product_option.id);
  assert.equal(got.title, "Material");
  const { product_option: renamed } = await sdk.admin.productOption.update(product_option.id, { title: "Fabric" });
  assert.equal(renamed.title, "Fabric");

  const { product } = await sdk.admin.product.create(shirt("opt"));
  const linked = await sdk.admin.product.linkOptions(product.id, { add: [product_option.id] });
  assert.ok(linked.product.options.some((o) => o.id === product_option.id));
  const { product_options } = await sdk.admin.product.listOptions(product.id);
  assert.deepEqual(product_options.map((o) => o.title), ["Size", "Fabric"]);
  await sdk.admin.product.linkOptions(product.id, { remove: [product_option.id] });
  const gone = await sdk.admin.productOption.delete(product_option.id);
  assert.deepEqual(gone, { id: product_option.id, object: "product_option", deleted: true });

  const { variants, count } = await sdk.admin.productVariant.list({ q: "SH-opt" });
  assert.equal(count, 2);
  assert.equal(variants[0].product.id, product.id);
});

test("variants batch", async () => {
  const { product } = await sdk.admin.product.create(shirt("vb"));
  const [small, medium] = product.variants;
  const done = await sdk.admin.product.batchVariants(product.id, {
    create: [{ title: "Tiny", sku: "SH-vb-T", prices: [{ currency_code: "usd", amount: 8 }] }],
    update: [{ id: small.id, title: "Small" }],
    delete: [medium.id],
  });
  assert.equal(done.created[0].sku, "SH-vb-T");
  assert.equal(done.updated[0].title, "Small");
  assert.deepEqual(done.deleted, { ids: [medium.id], object: "variant", deleted: true });
});

test("categories, collections, tags and types: create, list, retrieve, update, delete", async () => {
  const { product_category: parent } = await sdk.admin.productCategory.create({ name: "SDK Clothing", is_active: true });
  assert.match(parent.id, /^pcat_01/);
  assert.equal(parent.handle, "sdk-clothing");
  const { product_category: child } = await sdk.admin.productCategory.create({ name: "SDK Shirts", parent_category_id: parent.id });
  assert.equal(child.parent_category.id, parent.id);
  const cats = await sdk.admin.productCategory.list({ parent_category_id: parent.id, fields: "id,name,rank" });
  assert.deepEqual(cats.product_categories, [{ id: child.id, name: "SDK Shirts", rank: 0 }]);
  assert.equal(cats.limit, 50);
  const { product_category: tree } = await sdk.admin.productCategory.retrieve(parent.id, { include_descendants_tree: true });
  assert.equal(tree.category_children[0].id, child.id);
  const { product_category: renamed } = await sdk.admin.productCategory.update(child.id, { name: "SDK Tees" });
  assert.equal(renamed.name, "SDK Tees");

  const { collection } = await sdk.admin.productCollection.create({ title: "SDK Summer", metadata: { k: "v" } });
  assert.match(collection.id, /^pcol_01/);
  const cols = await sdk.admin.productCollection.list({ q: "sdk summer", fields: "id,title" });
  assert.deepEqual(cols.collections, [{ id: collection.id, title: "SDK Summer" }]);
  assert.equal(cols.limit, 10);
  const { collection: col } = await sdk.admin.productCollection.update(collection.id, { metadata: { k: "", n: 1 } });
  assert.deepEqual(col.metadata, { n: 1 });
  assert.equal((await sdk.admin.productCollection.retrieve(collection.id)).collection.title, "SDK Summer");

  const { product_tag: tag } = await sdk.admin.productTag.create({ value: "sdk-sale" });
  assert.match(tag.id, /^ptag_01/);
  const tags = await sdk.admin.productTag.list({ value: ["sdk-sale"] });
  assert.equal(tags.count, 1);
  assert.equal(tags.limit, 20);
  assert.equal((await sdk.admin.productTag.update(tag.id, { value: "sdk-big-sale" })).product_tag.value, "sdk-big-sale");
  assert.equal((await sdk.admin.productTag.retrieve(tag.id)).product_tag.value, "sdk-big-sale");
  const dupTag = await refused(() => sdk.admin.productTag.create({ value: "sdk-big-sale" }), 400);
  assert.equal(dupTag.message, "Product tag with value: sdk-big-sale, already exists.");

  const { product_type: type } = await sdk.admin.productType.create({ value: "SDK Shirt" });
  assert.match(type.id, /^ptyp_01/);
  const types = await sdk.admin.productType.list({ q: "sdk" });
  assert.equal(types.count, 1);
  assert.equal(types.limit, 10);
  assert.equal((await sdk.admin.productType.update(type.id, { value: "SDK Shirts" })).product_type.value, "SDK Shirts");
  assert.equal((await sdk.admin.productType.retrieve(type.id)).product_type.value, "SDK Shirts");

  // A product filed under all four shows them.
  const { product } = await sdk.admin.product.create(
    { ...shirt("tax"), categories: [{ id: child.id }], tags: [{ id: tag.id }], collection_id: collection.id, type_id: type.id },
    { fields: "+categories" },
  );
  assert.equal(product.categories[0].id, child.id);
  assert.equal(product.tags[0].value, "sdk-big-sale");
  assert.equal(product.collection.id, collection.id);
  assert.equal(product.type.value, "SDK Shirts");
  const { product: got } = await sdk.admin.product.retrieve(product.id, { fields: "id,*categories,tags.value,collection_id,type_id" });
  assert.equal(got.categories[0].name, "SDK Tees");
  assert.equal(got.tags[0].value, "sdk-big-sale");
  assert.equal(got.collection_id, collection.id);
  assert.equal(got.type_id, type.id);

  // Another organization sees none of them.
  assert.deepEqual(await other.admin.productTag.retrieve(tag.id), {});
  await refused(() => other.admin.productCategory.retrieve(parent.id), 404);
  assert.equal((await other.admin.productCollection.list()).count, 0);

  await sdk.admin.product.update(product.id, { categories: [] });
  assert.deepEqual(await sdk.admin.productTag.delete(tag.id), { id: tag.id, object: "product_tag", deleted: true });
  assert.deepEqual(await sdk.admin.productType.delete(type.id), { id: type.id, object: "product_type", deleted: true });
  assert.deepEqual(await sdk.admin.productCollection.delete(collection.id), { id: collection.id, object: "collection", deleted: true });
  const blocked = await refused(() => sdk.admin.productCategory.delete(parent.id), 400);
  assert.equal(blocked.message, `Deleting ProductCategory (${parent.id}) with category children is not allowed`);
  assert.deepEqual(await sdk.admin.productCategory.delete(child.id), { id: child.id, object: "product_category", deleted: true });
  assert.deepEqual(await sdk.admin.productCategory.delete(parent.id), { id: parent.id, object: "product_category", deleted: true });
  await refused(() => sdk.admin.productCategory.retrieve(parent.id), 404);
  assert.deepEqual(await sdk.admin.productTag.retrieve(tag.id), {});
});

test("export: the filtered products' CSV, announced in the notification feed", async () => {
  const { product } = await sdk.admin.product.create(shirt("export"));
  await sdk.admin.product.create(shirt("not-exported"));
  const { transaction_id } = await sdk.admin.product.export({}, { id: [product.id] });
  assert.match(transaction_id, /^auto-01/);

  // The worker beside the server runs the export; the feed says when it is done.
  let notifications = [];
  for (let i = 0; i < 200 && notifications.length === 0; i++) {
    ({ notifications } = await sdk.admin.notification.list({ channel: "feed" }));
    if (notifications.length === 0) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(notifications.length, 1);
  const [note] = notifications;
  assert.match(note.id, /^noti_01/);
  assert.equal(note.data.title, "Product export");
  assert.equal(note.data.description, "Product export completed successfully!");
  assert.equal(note.data.file.mimeType, "text/csv");
  const { notification } = await sdk.admin.notification.retrieve(note.id);
  assert.deepEqual(notification, note);

  // The file is read with the same key, as the SDK sends it.
  const auth = { authorization: `Basic ${Buffer.from(`${process.env.PIMENTO_KEY}:`).toString("base64")}` };
  const res = await fetch(new URL(note.data.file.url, baseUrl), { headers: auth });
  assert.equal(res.status, 200);
  const [header, ...rows] = (await res.text()).trimEnd().split("\n");
  assert.ok(header.startsWith("Product Id,Product Handle,Product Title,"), header);
  assert.ok(header.includes(",Variant Price USD,"), header);
  assert.equal(rows.length, 2, "one row per variant of the one product selected");
  assert.ok(rows.every((r) => r.startsWith(`${product.id},shirt-export,`)), rows.join("\n"));

  const theirs = await fetch(new URL(note.data.file.url, baseUrl), {
    headers: { authorization: `Basic ${Buffer.from(`${process.env.PIMENTO_OTHER_KEY}:`).toString("base64")}` },
  });
  assert.equal(theirs.status, 404);
  const { count } = await other.admin.notification.list({ channel: "feed" });
  assert.equal(count, 0);
});

// Imports run after the export above, which counts the feed's notifications.

/** Waits for the feed of `client` to hold a notification titled `title` beyond the `seen` first. */
async function announced(client, title, seen = 0) {
  for (let i = 0; i < 200; i++) {
    const { notifications } = await client.admin.notification.list({ channel: "feed" });
    const found = notifications.filter((n) => n.data.title === title);
    if (found.length > seen) return found[0];
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`no "${title}" notification`);
}

const CAPS = [
  "Product Handle,Product Title,Product Status,Variant Title,Variant Sku,Variant Price USD,Variant Option 1 Name,Variant Option 1 Value",
  "sdk-cap,Cap,published,Red,CAP-R,3,Colour,Red",
  "sdk-cap,Cap,published,Blue,CAP-B,4,Colour,Blue",
].join("\n");

test("import: uploaded, confirmed, run, and read through both APIs", async () => {
  const file = new File([CAPS], "caps.csv", { type: "text/csv" });
  const { transaction_id, summary } = await sdk.admin.product.createImport({ file });
  assert.match(transaction_id, /^auto-01/);
  assert.deepEqual(summary, { toCreate: 1, toUpdate: 0 });
  await sdk.admin.product.confirmImport(transaction_id);
  const note = await announced(sdk, "Product import");
  assert.equal(note.data.description, "Product import of file caps.csv completed successfully!");

  const { products } = await sdk.admin.product.list({ handle: "sdk-cap" });
  assert.equal(products.length, 1);
  const [cap] = products;
  assert.equal(cap.title, "Cap");
  assert.deepEqual(cap.variants.map((v) => v.sku).sort(), ["CAP-B", "CAP-R"]);
  const red = cap.variants.find((v) => v.sku === "CAP-R");
  assert.equal(red.prices[0].amount, 3);
  assert.equal(red.options[0].value, "Red");

  // The Products API reads the same product.
  const res = await fetch(new URL("/api/v1/products?include=variants&limit=200", baseUrl), {
    headers: { authorization: `Bearer ${process.env.PIMENTO_KEY}` },
  });
  assert.equal(res.status, 200);
  const list = await res.json();
  assert.ok(Array.isArray(list), JSON.stringify(list).slice(0, 200));
  const same = list.find((p) => p.handle === "sdk-cap");
  assert.ok(same, "the Products API lists the import");
  assert.equal(same.variants.length, 2);

  // The older route takes the file itself; an update by Product Id.
  const update = new File([`Product Id,Product Title\n${cap.id},Better Cap\n`], "rename.csv", { type: "text/csv" });
  const older = await sdk.admin.product.import({ file: update });
  assert.deepEqual(older.summary, { toCreate: 0, toUpdate: 1 });
  await sdk.admin.product.confirmImport(older.transaction_id);
  await announced(sdk, "Product import", 1);
  const { product } = await sdk.admin.product.retrieve(cap.id);
  assert.equal(product.title, "Better Cap");
  assert.equal(product.variants.length, 2);

  // Refusals name the row; another organization cannot confirm this one's import.
  const bad = new File(["Product Handle,Product Title,Variant Price USD\nx,X,ten\n"], "bad.csv", { type: "text/csv" });
  const e = await refused(() => sdk.admin.product.createImport({ file: bad }), 400);
  assert.match(e.message, /^Row 1: Invalid value provided for "variant price usd"/);
  await refused(() => other.admin.product.confirmImport(transaction_id), 404);
});

test("import: an export's CSV into another organization makes the same products", async () => {
  const { product } = await sdk.admin.product.create(shirt("travel"));
  const { transaction_id } = await sdk.admin.product.export({}, { id: [product.id] });
  let file;
  for (let i = 0; i < 200 && !file; i++) {
    const { notifications } = await sdk.admin.notification.list({ channel: "feed" });
    file = notifications.find((n) => n.data.file && n.data.file.url.includes(transaction_id))?.data.file;
    if (!file) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(file, "the export is announced");
  const auth = { authorization: `Basic ${Buffer.from(`${process.env.PIMENTO_KEY}:`).toString("base64")}` };
  const csv = await (await fetch(new URL(file.url, baseUrl), { headers: auth })).text();

  const upload = new File([csv], file.filename, { type: "text/csv" });
  const imported = await other.admin.product.createImport({ file: upload });
  assert.deepEqual(imported.summary, { toCreate: 1, toUpdate: 0 });
  await other.admin.product.confirmImport(imported.transaction_id);
  await announced(other, "Product import");

  const { products } = await other.admin.product.list({ handle: "shirt-travel" });
  assert.equal(products.length, 1);
  const [copy] = products;
  assert.notEqual(copy.id, product.id);
  const shape = (p) => ({
    title: p.title,
    description: p.description,
    status: p.status,
    images: p.images.map((i) => i.url),
    options: p.options.map((o) => [o.title, o.values.map((v) => v.value).sort()]),
    variants: p.variants
      .map((v) => ({
        title: v.title,
        sku: v.sku,
        prices: v.prices.map((x) => [x.currency_code, x.amount]).sort(),
        options: v.options.map((o) => o.value),
      }))
      .sort((a, b) => a.sku.localeCompare(b.sku)),
  });
  assert.deepEqual(shape(copy), shape(product));
});
