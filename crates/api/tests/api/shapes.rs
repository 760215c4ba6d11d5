//! The shape of every success response of both APIs, snapshotted: one call per operation of the
//! Products API and PIM API OpenAPI documents, so a field added, renamed, retyped or dropped in
//! any response is a visible diff in review (`cargo insta review` accepts it).
//!
//! Each snapshot is the status line, the headers a client relies on (`Location`, paging), then
//! the body as pretty JSON (an export download: its text). Values that differ from run to run or
//! between SQLite and PostgreSQL are replaced by placeholders: ids by `<id:N>` (numbered in order
//! of first appearance, so equal ids stay visibly equal), timestamps by `<time>`, keys by
//! `<key>`, cursors by `<cursor>`, request ids by `<request-id>`. Object keys come out in
//! alphabetical order (serde_json's map), arrays in the server's order.
//!
//! The last check reads both OpenAPI documents and fails naming every operation without a
//! snapshot here, so a new endpoint cannot ship without its shape.

use crate::harness::{Resp, TestApp, id_of, spawn};
use axum::body::Body;
use axum::http::Method;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// The headers worth seeing in a shape; the rest (request id, content length) are noise.
const HEADERS: [&str; 6] = [
    "location",
    "x-next-cursor",
    "x-total-count",
    "link",
    "content-type",
    "content-disposition",
];

#[tokio::test]
async fn every_operation_has_a_shape() {
    let mut shapes = Shapes::default();
    // One app per API, so neither API's snapshots depend on what the other's calls made.
    products_api(&spawn().await, &mut shapes).await;
    pim_api(&spawn().await, &mut shapes).await;
    medusa_api(&spawn().await, &mut shapes).await;
    cscart_api(&spawn().await, &mut shapes).await;
    shapes.covers_every_documented_operation();
}

/// The operations snapshotted so far, as `METHOD /path/{template}`.
#[derive(Default)]
struct Shapes {
    taken: BTreeSet<String>,
}

impl Shapes {
    /// Snapshots a success response as the shape of `op` (`"GET /api/v1/products/{productId}"`)
    /// and returns its body.
    #[track_caller]
    fn shape(&mut self, op: &str, r: Resp) -> Value {
        assert!(
            r.status.is_success(),
            "{op}: a shape is taken from a success, got {}: {}",
            r.status,
            r.body
        );
        assert!(self.taken.insert(op.to_owned()), "{op} is snapshotted twice");
        insta::assert_snapshot!(snapshot_name(op), render(&r));
        r.body
    }

    /// Every operation of both OpenAPI documents has a shape, and every shape is documented.
    fn covers_every_documented_operation(&self) {
        let mut documented = BTreeSet::new();
        for doc in [
            pimento_api::products_v1::openapi_json(),
            pimento_api::pim::openapi_json(),
            pimento_api::medusa::openapi_json(),
            pimento_api::cscart::openapi_json(),
        ] {
            let doc: Value = serde_json::from_str(&doc.unwrap()).unwrap();
            for (path, item) in doc["paths"].as_object().unwrap() {
                for method in item.as_object().unwrap().keys() {
                    if ["get", "put", "post", "delete", "patch", "head", "options", "trace"].contains(&method.as_str())
                    {
                        documented.insert(format!("{} {path}", method.to_uppercase()));
                    }
                }
            }
        }
        // Two operations must not share one snapshot file.
        let mut names = BTreeMap::new();
        for op in &documented {
            if let Some(other) = names.insert(snapshot_name(op), op) {
                panic!("{op} and {other} would share the snapshot {}", snapshot_name(op));
            }
        }
        let missing: Vec<_> = documented.difference(&self.taken).collect();
        let undocumented: Vec<_> = self.taken.difference(&documented).collect();
        assert!(
            missing.is_empty() && undocumented.is_empty(),
            "operations without a shape snapshot: {missing:#?}\nshapes of operations no OpenAPI document lists: {undocumented:#?}"
        );
    }
}

/// `GET /api/v1/pim/products/{product_id}/variants` → `pim__get__products_id_variants`.
fn snapshot_name(op: &str) -> String {
    let (method, path) = op.split_once(' ').unwrap();
    let (api, rest) = match (path.strip_prefix("/api/v1/pim/"), path.strip_prefix("/admin/")) {
        (Some(rest), _) => ("pim", rest),
        (None, Some(rest)) => ("medusa", rest),
        (None, None) => match path.strip_prefix("/api/v1/") {
            Some(rest) => ("products_v1", rest),
            None => ("cscart", path.strip_prefix("/api/").unwrap()),
        },
    };
    let segments: Vec<String> = rest
        .split('/')
        .map(|s| {
            if s.starts_with('{') {
                "id".to_owned()
            } else {
                s.replace('-', "_")
            }
        })
        .collect();
    format!("{api}__{}__{}", method.to_lowercase(), segments.join("_"))
}

/// The status, the headers that matter and the body, normalized.
fn render(r: &Resp) -> String {
    let mut n = Normalizer::default();
    let mut out = r.status.to_string();
    for name in HEADERS {
        let Some(value) = r.header(name) else { continue };
        // JSON is every other body's type; only a download's differs, and that is worth seeing.
        if name == "content-type" && value.starts_with("application/json") {
            continue;
        }
        let value = if name == "x-next-cursor" {
            "<cursor>".to_owned()
        } else {
            n.text(value)
        };
        out.push_str(&format!("\n{name}: {value}"));
    }
    match &r.body {
        Value::Null => {}
        Value::String(text) => out.push_str(&format!("\n\n{}", n.text(text))),
        body => {
            let mut body = body.clone();
            n.value(None, &mut body);
            out.push_str(&format!("\n\n{}", serde_json::to_string_pretty(&body).unwrap()));
        }
    }
    out
}

/// Replaces what varies between runs and backends; ids are numbered per snapshot.
#[derive(Default)]
struct Normalizer {
    ids: Vec<String>,
}

impl Normalizer {
    fn value(&mut self, key: Option<&str>, v: &mut Value) {
        match v {
            Value::String(s) => {
                *s = match key {
                    Some(k) if k == "cursor" || k.ends_with("_cursor") || k.ends_with("Cursor") => {
                        "<cursor>".to_owned()
                    }
                    Some("request_id" | "requestId") => "<request-id>".to_owned(),
                    // CS-Cart's UNIX-second timestamps.
                    Some("timestamp" | "updated_timestamp") => "<time>".to_owned(),
                    _ => self.text(s),
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.value(None, i)),
            Value::Object(map) => map.iter_mut().for_each(|(k, i)| self.value(Some(k), i)),
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    fn text(&mut self, s: &str) -> String {
        if chrono::DateTime::parse_from_rfc3339(s).is_ok() {
            return "<time>".to_owned();
        }
        if s.starts_with("sk_") || s.starts_with("pk_") {
            return "<key>".to_owned();
        }
        let s = without_js_dates(&without_cursors(s));
        let mut out = String::with_capacity(s.len());
        let mut rest = s.as_str();
        while let Some(c) = rest.chars().next() {
            // A Medusa id's ULID (`prod_01J…`) is the UUID it writes.
            let ulid = (out.ends_with('_') || out.ends_with("auto-"))
                .then(|| rest.get(..26))
                .flatten()
                .and_then(|head| {
                    head.parse::<ulid::Ulid>()
                        .ok()
                        .filter(|_| head.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
                });
            if let Some(u) = ulid {
                let id = uuid::Uuid::from(u).to_string();
                let n = match self.ids.iter().position(|seen| *seen == id) {
                    Some(i) => i + 1,
                    None => {
                        self.ids.push(id);
                        self.ids.len()
                    }
                };
                out.push_str(&format!("<id:{n}>"));
                rest = &rest[26..];
                continue;
            }
            match rest.get(..36).filter(|head| is_uuid(head)) {
                Some(id) => {
                    let id = id.to_ascii_lowercase();
                    let n = match self.ids.iter().position(|seen| *seen == id) {
                        Some(i) => i + 1,
                        None => {
                            self.ids.push(id);
                            self.ids.len()
                        }
                    };
                    out.push_str(&format!("<id:{n}>"));
                    rest = &rest[36..];
                }
                None => {
                    out.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        out
    }
}

/// `Sun Dec 06 2026 21:59:52 GMT+0000 (Coordinated Universal Time)` (JavaScript's
/// `Date.toString()`, in Medusa's export CSV) → `<time>`.
fn without_js_dates(s: &str) -> String {
    const TAIL: &str = " GMT+0000 (Coordinated Universal Time)";
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find(TAIL) {
        let head = &rest[..at];
        out.push_str(head.get(..head.len().saturating_sub(24)).unwrap_or(""));
        out.push_str("<time>");
        rest = &rest[at + TAIL.len()..];
    }
    out.push_str(rest);
    out
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// `…?limit=1&cursor=01f3…>` → `…?limit=1&cursor=<cursor>>` (in `Link` headers).
fn without_cursors(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("cursor=") {
        let (head, tail) = rest.split_at(at + "cursor=".len());
        out.push_str(head);
        out.push_str("<cursor>");
        let end = tail.find(['&', '>', ';', '"', ' ']).unwrap_or(tail.len());
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Every operation of the Products API, in the order a client would meet them.
async fn products_api(app: &TestApp, s: &mut Shapes) {
    // Options first: products and variants pick their values.
    let size = s.shape(
        "POST /api/v1/variant-options",
        app.post("/api/v1/variant-options", json!({"name": "Size", "values": ["S", "M"]}))
            .await,
    );
    let size_id = id_of(&size);
    let color = app.option("Color", &["Red", "Blue"]).await;
    let color_id = id_of(&color);
    s.shape("GET /api/v1/variant-options", app.get("/api/v1/variant-options").await);
    s.shape(
        "GET /api/v1/variant-options/{optionId}",
        app.get(&format!("/api/v1/variant-options/{size_id}")).await,
    );
    s.shape(
        "PUT /api/v1/variant-options/{optionId}",
        app.put(
            &format!("/api/v1/variant-options/{size_id}"),
            json!({"values": ["S", "M", "L"]}),
        )
        .await,
    );

    // A product with everything inline, and a plain one so lists have a next page.
    let tee = s.shape(
        "POST /api/v1/products",
        app.post(
            "/api/v1/products",
            json!({
                "name": "Rain Jacket",
                "url": "https://shop.example.com/rain-jacket",
                "description": "Keeps you dry",
                "metadata": {"season": "FW"},
                "primarySyncSource": {"syncSource": "shopify", "syncSourceId": "gid-1", "sourceData": {"v": 1}},
                "variantOptionIds": [size_id],
                "variants": [
                    {"sku": "RJ-S", "title": "Small", "price": "99.00", "barcode": "4006381333931",
                     "inventoryQuantity": 4, "options": [{"optionId": size_id, "value": "S"}]}
                ],
                "productMediaAssets": [
                    {"mediaAsset": {"publicUrl": "https://cdn.example.com/rj-front.jpg", "altText": "Front"}, "purpose": "gallery"}
                ]
            }),
        )
        .await,
    );
    let pid = id_of(&tee);
    let cap = app
        .product(json!({"name": "Cap", "url": "https://shop.example.com/cap"}))
        .await;
    s.shape(
        "GET /api/v1/products",
        app.get("/api/v1/products?limit=1&count=true&include=variants,mediaAssets")
            .await,
    );
    s.shape(
        "GET /api/v1/products/search",
        app.get("/api/v1/products/search?syncSource=shopify&syncSourceId=gid-1")
            .await,
    );
    s.shape(
        "GET /api/v1/products/{productId}",
        app.get(&format!("/api/v1/products/{pid}?include=variants,mediaAssets"))
            .await,
    );
    s.shape(
        "PUT /api/v1/products/{productId}",
        app.put(
            &format!("/api/v1/products/{pid}"),
            json!({"description": "Keeps you dry and warm", "status": "active"}),
        )
        .await,
    );

    // Variants.
    let variants = format!("/api/v1/products/{pid}/variants");
    let medium = s.shape(
        "POST /api/v1/products/{productId}/variants",
        app.post(
            &variants,
            json!({"sku": "RJ-M", "price": "99.50", "options": [{"optionId": size_id, "value": "M"}]}),
        )
        .await,
    );
    let medium = format!("{variants}/{}", id_of(&medium));
    s.shape("GET /api/v1/products/{productId}/variants", app.get(&variants).await);
    s.shape(
        "GET /api/v1/products/{productId}/variants/{variantId}",
        app.get(&medium).await,
    );
    s.shape(
        "PUT /api/v1/products/{productId}/variants/{variantId}",
        app.put(&medium, json!({"inventoryQuantity": 7})).await,
    );
    s.shape(
        "DELETE /api/v1/products/{productId}/variants/{variantId}",
        app.delete(&medium).await,
    );

    // Media attachments.
    let media = format!("/api/v1/products/{pid}/media-assets");
    let back = s.shape(
        "POST /api/v1/products/{productId}/media-assets",
        app.post(
            &media,
            json!({"publicUrl": "https://cdn.example.com/rj-back.jpg", "altText": "Back", "purpose": "thumbnail"}),
        )
        .await,
    );
    let back_id = id_of(&back);
    s.shape("GET /api/v1/products/{productId}/media-assets", app.get(&media).await);
    s.shape(
        "PUT /api/v1/products/{productId}/media-assets/{assetId}",
        app.put(&format!("{media}/{back_id}"), json!({"altText": "Back view"}))
            .await,
    );
    let front_id = id_of(&tee["productMediaAssets"][0]);
    s.shape(
        "PUT /api/v1/products/{productId}/media-assets/reorder",
        app.put(&format!("{media}/reorder"), json!({"assetIds": [back_id, front_id]}))
            .await,
    );
    s.shape(
        "DELETE /api/v1/products/{productId}/media-assets/{assetId}",
        app.delete(&format!("{media}/{back_id}")).await,
    );

    // Option assignments; Color, unused by any variant, can then go altogether.
    let assigned = format!("/api/v1/products/{pid}/variant-options");
    s.shape(
        "POST /api/v1/products/{productId}/variant-options",
        app.post(&assigned, json!({"variantOptionIds": [color_id]})).await,
    );
    s.shape(
        "GET /api/v1/products/{productId}/variant-options",
        app.get(&assigned).await,
    );
    s.shape(
        "DELETE /api/v1/products/{productId}/variant-options/{optionId}",
        app.delete(&format!("{assigned}/{color_id}")).await,
    );
    s.shape(
        "DELETE /api/v1/variant-options/{optionId}",
        app.delete(&format!("/api/v1/variant-options/{color_id}")).await,
    );

    // Deleting archives: the answer is the product.
    s.shape(
        "DELETE /api/v1/products/{productId}",
        app.delete(&format!("/api/v1/products/{}", id_of(&cap))).await,
    );
}

/// Every operation of the PIM API: taxonomy and attributes, then products, then jobs, then the
/// reports over all of it.
async fn pim_api(app: &TestApp, s: &mut Shapes) {
    // Categories.
    let apparel = s.shape(
        "POST /api/v1/pim/categories",
        app.pim_post(
            "/api/v1/pim/categories",
            json!({"name": "Apparel", "slug": "apparel", "description": "Everything to wear"}),
        )
        .await,
    );
    let tops = app
        .pim_create(
            "/api/v1/pim/categories",
            json!({"name": "Tops", "parent_id": apparel["id"]}),
        )
        .await;
    let tops_path = format!("/api/v1/pim/categories/{}", id_of(&tops));
    s.shape(
        "GET /api/v1/pim/categories",
        app.pim_get("/api/v1/pim/categories").await,
    );
    s.shape("GET /api/v1/pim/categories/{id}", app.pim_get(&tops_path).await);
    s.shape(
        "PUT /api/v1/pim/categories/{id}",
        app.pim_put(&tops_path, json!({"description": "Shirts and tees"})).await,
    );
    let spare = app
        .pim_create("/api/v1/pim/categories", json!({"name": "Clearance"}))
        .await;
    s.shape(
        "DELETE /api/v1/pim/categories/{id}",
        app.pim_delete(&format!("/api/v1/pim/categories/{}", id_of(&spare)))
            .await,
    );

    // Brands.
    let acme = s.shape(
        "POST /api/v1/pim/brands",
        app.pim_post(
            "/api/v1/pim/brands",
            json!({"name": "Acme", "description": "Since 1901", "logo_url": "https://cdn.example/acme.png"}),
        )
        .await,
    );
    let acme_path = format!("/api/v1/pim/brands/{}", id_of(&acme));
    s.shape("GET /api/v1/pim/brands", app.pim_get("/api/v1/pim/brands").await);
    s.shape("GET /api/v1/pim/brands/{id}", app.pim_get(&acme_path).await);
    s.shape(
        "PUT /api/v1/pim/brands/{id}",
        app.pim_put(&acme_path, json!({"description": "Since 1902"})).await,
    );
    let spare = app.pim_create("/api/v1/pim/brands", json!({"name": "Northwind"})).await;
    s.shape(
        "DELETE /api/v1/pim/brands/{id}",
        app.pim_delete(&format!("/api/v1/pim/brands/{}", id_of(&spare))).await,
    );

    // Attributes.
    let color = s.shape(
        "POST /api/v1/pim/attributes",
        app.pim_post(
            "/api/v1/pim/attributes",
            json!({"name": "Color", "key": "color", "type": "SELECT", "options": ["Red", "Blue"]}),
        )
        .await,
    );
    let weight = app
        .pim_create(
            "/api/v1/pim/attributes",
            json!({"name": "Weight", "key": "weight", "type": "NUMBER"}),
        )
        .await;
    let color_path = format!("/api/v1/pim/attributes/{}", id_of(&color));
    s.shape(
        "GET /api/v1/pim/attributes",
        app.pim_get("/api/v1/pim/attributes").await,
    );
    s.shape("GET /api/v1/pim/attributes/{id}", app.pim_get(&color_path).await);
    s.shape(
        "PUT /api/v1/pim/attributes/{id}",
        app.pim_put(&color_path, json!({"options": ["Red", "Blue", "Green"]}))
            .await,
    );
    let spare = app
        .pim_create("/api/v1/pim/attributes", json!({"name": "Fabric"}))
        .await;
    s.shape(
        "DELETE /api/v1/pim/attributes/{id}",
        app.pim_delete(&format!("/api/v1/pim/attributes/{}", id_of(&spare)))
            .await,
    );

    // Attribute groups.
    let look = s.shape(
        "POST /api/v1/pim/attribute-groups",
        app.pim_post(
            "/api/v1/pim/attribute-groups",
            json!({"name": "Look", "description": "How it looks", "attribute_ids": [color["id"]]}),
        )
        .await,
    );
    let look_path = format!("/api/v1/pim/attribute-groups/{}", id_of(&look));
    s.shape(
        "GET /api/v1/pim/attribute-groups",
        app.pim_get("/api/v1/pim/attribute-groups").await,
    );
    s.shape("GET /api/v1/pim/attribute-groups/{id}", app.pim_get(&look_path).await);
    s.shape(
        "PUT /api/v1/pim/attribute-groups/{id}",
        app.pim_put(&look_path, json!({"attribute_ids": [color["id"], weight["id"]]}))
            .await,
    );
    let spare = app
        .pim_create("/api/v1/pim/attribute-groups", json!({"name": "Spare"}))
        .await;
    s.shape(
        "DELETE /api/v1/pim/attribute-groups/{id}",
        app.pim_delete(&format!("/api/v1/pim/attribute-groups/{}", id_of(&spare)))
            .await,
    );

    // Templates.
    let garment = s.shape(
        "POST /api/v1/pim/templates",
        app.pim_post(
            "/api/v1/pim/templates",
            json!({"name": "Garment", "description": "Clothing", "attributes": [
                {"attribute_id": color["id"], "required": true},
                {"attribute_id": weight["id"]}
            ]}),
        )
        .await,
    );
    let garment_path = format!("/api/v1/pim/templates/{}", id_of(&garment));
    s.shape("GET /api/v1/pim/templates", app.pim_get("/api/v1/pim/templates").await);
    s.shape("GET /api/v1/pim/templates/{id}", app.pim_get(&garment_path).await);
    s.shape(
        "PUT /api/v1/pim/templates/{id}",
        app.pim_put(&garment_path, json!({"description": "Anything worn"}))
            .await,
    );
    let spare = app.pim_create("/api/v1/pim/templates", json!({"name": "Spare"})).await;
    s.shape(
        "DELETE /api/v1/pim/templates/{id}",
        app.pim_delete(&format!("/api/v1/pim/templates/{}", id_of(&spare)))
            .await,
    );

    // Products.
    let tee = s.shape(
        "POST /api/v1/pim/products",
        app.pim_post(
            "/api/v1/pim/products",
            json!({
                "title": "Classic Tee", "description": "Soft, heavy cotton", "subtitle": "Crew neck",
                "category": "tops", "brand_id": acme["id"], "template_id": garment["id"],
                "attributes": {"color": "Red", "weight": 0.2}, "weight": 180
            }),
        )
        .await,
    );
    let pid = id_of(&tee);
    let tee_path = format!("/api/v1/pim/products/{pid}");
    app.pim_create("/api/v1/pim/products", json!({"title": "Cap", "status": "DRAFT"}))
        .await;

    // Variants: a priced one, and one without a price for the validation report.
    let variants = format!("{tee_path}/variants");
    let medium = s.shape(
        "POST /api/v1/pim/products/{product_id}/variants",
        app.pim_post(
            &variants,
            json!({"sku": "TEE-M", "title": "Medium", "barcode": "4006381333931", "price": "19.99",
                   "currency": "EUR", "list_price": "24.99", "inventory_quantity": 5,
                   "prices": [{"amount": "21.99", "currency": "USD"}]}),
        )
        .await,
    );
    let medium_path = format!("{variants}/{}", id_of(&medium));
    app.pim_create(&variants, json!({"sku": "TEE-L"})).await;
    s.shape(
        "GET /api/v1/pim/products/{product_id}/variants",
        app.pim_get(&variants).await,
    );
    s.shape(
        "GET /api/v1/pim/products/{product_id}/variants/{id}",
        app.pim_get(&medium_path).await,
    );
    s.shape(
        "PUT /api/v1/pim/products/{product_id}/variants/{id}",
        app.pim_put(&medium_path, json!({"inventory_quantity": 7})).await,
    );
    let spare = app.pim_create(&variants, json!({"sku": "TEE-XL"})).await;
    s.shape(
        "DELETE /api/v1/pim/products/{product_id}/variants/{id}",
        app.pim_delete(&format!("{variants}/{}", id_of(&spare))).await,
    );

    // Media.
    let front = s.shape(
        "POST /api/v1/pim/media",
        app.pim_post(
            "/api/v1/pim/media",
            json!({"url": "https://cdn.example/tee.jpg", "product_id": pid, "alt_text": "Front", "name": "tee-front"}),
        )
        .await,
    );
    s.shape(
        "GET /api/v1/pim/media",
        app.pim_get(&format!("/api/v1/pim/media?product_id={pid}")).await,
    );
    s.shape(
        "GET /api/v1/pim/media/{id}",
        app.pim_get(&format!("/api/v1/pim/media/{}", id_of(&front))).await,
    );
    let spare = app
        .pim_create(
            "/api/v1/pim/media",
            json!({"url": "https://cdn.example/tee-back.jpg", "product_id": pid}),
        )
        .await;
    s.shape(
        "DELETE /api/v1/pim/media/{id}",
        app.pim_delete(&format!("/api/v1/pim/media/{}", id_of(&spare))).await,
    );

    // The product with its variants and media; the list a page of one, to show the paging headers.
    s.shape(
        "GET /api/v1/pim/products",
        app.pim_get("/api/v1/pim/products?limit=1").await,
    );
    s.shape("GET /api/v1/pim/products/{id}", app.pim_get(&tee_path).await);
    s.shape(
        "PUT /api/v1/pim/products/{id}",
        app.pim_put(&tee_path, json!({"subtitle": "Crew neck, short sleeves"}))
            .await,
    );
    let spare = app.pim_create("/api/v1/pim/products", json!({"title": "Gone"})).await;
    s.shape(
        "DELETE /api/v1/pim/products/{id}",
        app.pim_delete(&format!("/api/v1/pim/products/{}", id_of(&spare))).await,
    );
    s.shape(
        "GET /api/v1/pim/deleted-products",
        app.pim_get("/api/v1/pim/deleted-products").await,
    );
    s.shape(
        "POST /api/v1/pim/products/{id}/restore",
        app.pim_post(&format!("/api/v1/pim/products/{}/restore", id_of(&spare)), json!({}))
            .await,
    );
    // Deleted again, so that what the calls below read is as before.
    app.pim_delete(&format!("/api/v1/pim/products/{}", id_of(&spare)))
        .await
        .expect(204);

    // Jobs are queued by the request and run here, as a worker would, before they are read.
    let export = s.shape(
        "POST /api/v1/pim/export",
        app.pim_post("/api/v1/pim/export", json!({"format": "csv"})).await,
    );
    let export_path = format!("/api/v1/pim/jobs/{}", id_of(&export));
    app.run_jobs().await;
    s.shape("GET /api/v1/pim/jobs/{id}", app.pim_get(&export_path).await);
    s.shape(
        "GET /api/v1/pim/jobs/{id}/download",
        app.pim_get(&format!("{export_path}/download")).await,
    );
    // One good line and one broken one, so the job has an error to list.
    let import = s.shape(
        "POST /api/v1/pim/imports",
        app.pim_upload(
            "/api/v1/pim/imports?format=ndjson&filename=more.ndjson",
            "{\"handle\":\"mug\",\"title\":\"Mug\",\"variants\":[{\"sku\":\"MUG-1\",\"price\":\"7.00\"}]}\n{oops\n",
        )
        .await,
    );
    app.run_jobs().await;
    s.shape(
        "GET /api/v1/pim/jobs/{id}/errors",
        app.pim_get(&format!("/api/v1/pim/jobs/{}/errors", id_of(&import)))
            .await,
    );
    s.shape(
        "POST /api/v1/pim/bulk-jobs",
        app.pim_post(
            "/api/v1/pim/bulk-jobs",
            json!({"type": "BULK_UPDATE", "payload": {
                "filter": {"brand_id": acme["id"]},
                "set": {"attributes": {"weight": 0.25}},
                "price": {"adjust_percent": 10}
            }}),
        )
        .await,
    );
    app.run_jobs().await;
    s.shape("GET /api/v1/pim/bulk-jobs", app.pim_get("/api/v1/pim/bulk-jobs").await);
    // Only a job still queued can be canceled: this export is never run.
    let queued = app.pim_post("/api/v1/pim/export", json!({})).await.expect(202).body;
    let queued = id_of(&queued);
    s.shape(
        "POST /api/v1/pim/jobs/{id}/cancel",
        app.pim(Method::POST, &format!("/api/v1/pim/jobs/{queued}/cancel"), None)
            .await,
    );
    s.shape("GET /api/v1/pim/jobs", app.pim_get("/api/v1/pim/jobs").await);
    s.shape(
        "GET /api/v1/pim/notifications",
        app.pim_get("/api/v1/pim/notifications").await,
    );

    // Reports over everything above.
    s.shape("GET /api/v1/pim/stats", app.pim_get("/api/v1/pim/stats").await);
    s.shape(
        "GET /api/v1/pim/validation",
        app.pim_get(&format!("/api/v1/pim/validation?product_id={pid}")).await,
    );
    s.shape(
        "GET /api/v1/pim/audit",
        app.pim_get(&format!("/api/v1/pim/audit?entity_id={}", id_of(&acme)))
            .await,
    );

    // Keys, last: a revoked key is not the one the calls above use.
    let issued = s.shape(
        "POST /api/v1/pim/api-keys",
        app.pim_post("/api/v1/pim/api-keys", json!({"name": "ci"})).await,
    );
    // A key's last use is written in the background: wait for it, so the shape is stable.
    let mut listed = app.pim_get("/api/v1/pim/api-keys").await;
    for _ in 0..100 {
        if listed.body[0]["last_used_at"].is_string() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        listed = app.pim_get("/api/v1/pim/api-keys").await;
    }
    s.shape("GET /api/v1/pim/api-keys", listed);
    s.shape(
        "DELETE /api/v1/pim/api-keys/{id}",
        app.pim_delete(&format!("/api/v1/pim/api-keys/{}", id_of(&issued)))
            .await,
    );
}

/// Every operation of the Medusa admin API.
async fn medusa_api(app: &TestApp, s: &mut Shapes) {
    let m = |method: Method, path: String, body: Option<Value>| async move {
        app.call(method, &path, Some(&app.org.secret_key), body).await
    };
    let created = s.shape(
        "POST /admin/products",
        m(
            Method::POST,
            "/admin/products".into(),
            Some(json!({
                "title": "Shirt", "subtitle": "Cotton", "metadata": {"k": "v"}, "weight": 200,
                "images": [{"url": "https://example.com/shirt.png"}],
                "options": [{"title": "Size", "values": ["S", "M"]}],
                "variants": [{"title": "S", "sku": "SH-S", "options": {"Size": "S"},
                              "prices": [{"currency_code": "usd", "amount": 10}, {"currency_code": "eur", "amount": 9.5}]}]
            })),
        )
        .await,
    );
    let pid = created["product"]["id"].as_str().unwrap().to_owned();
    let vid = created["product"]["variants"][0]["id"].as_str().unwrap().to_owned();
    s.shape(
        "GET /admin/products",
        m(Method::GET, "/admin/products?limit=10".into(), None).await,
    );
    s.shape(
        "GET /admin/products/{id}",
        m(Method::GET, format!("/admin/products/{pid}"), None).await,
    );
    s.shape(
        "POST /admin/products/{id}",
        m(
            Method::POST,
            format!("/admin/products/{pid}?fields=id,title,metadata"),
            Some(json!({"title": "Shirt v2", "metadata": {"k": ""}})),
        )
        .await,
    );
    s.shape(
        "GET /admin/products/{id}/variants",
        m(Method::GET, format!("/admin/products/{pid}/variants"), None).await,
    );
    s.shape(
        "GET /admin/products/{id}/variants/{variant_id}",
        m(Method::GET, format!("/admin/products/{pid}/variants/{vid}"), None).await,
    );
    s.shape(
        "POST /admin/products/{id}/variants/{variant_id}",
        m(
            Method::POST,
            format!("/admin/products/{pid}/variants/{vid}"),
            Some(json!({"title": "Small"})),
        )
        .await,
    );
    let added = s.shape(
        "POST /admin/products/{id}/variants",
        m(
            Method::POST,
            format!("/admin/products/{pid}/variants"),
            Some(json!({"title": "M", "sku": "SH-M", "options": {"Size": "M"}, "prices": [{"currency_code": "usd", "amount": 11}]})),
        )
        .await,
    );
    let second = added["product"]["variants"][1]["id"].as_str().unwrap().to_owned();
    s.shape(
        "DELETE /admin/products/{id}/variants/{variant_id}",
        m(Method::DELETE, format!("/admin/products/{pid}/variants/{second}"), None).await,
    );
    s.shape(
        "POST /admin/products/{id}/variants/batch",
        m(
            Method::POST,
            format!("/admin/products/{pid}/variants/batch"),
            Some(json!({"update": [{"id": vid, "title": "Small v2"}]})),
        )
        .await,
    );
    s.shape(
        "GET /admin/product-variants",
        m(Method::GET, "/admin/product-variants".into(), None).await,
    );
    let option = s.shape(
        "POST /admin/product-options",
        m(
            Method::POST,
            "/admin/product-options".into(),
            Some(json!({"title": "Colour", "values": ["Red"]})),
        )
        .await,
    );
    let oid = option["product_option"]["id"].as_str().unwrap().to_owned();
    s.shape(
        "GET /admin/product-options",
        m(Method::GET, "/admin/product-options".into(), None).await,
    );
    s.shape(
        "GET /admin/product-options/{id}",
        m(Method::GET, format!("/admin/product-options/{oid}"), None).await,
    );
    s.shape(
        "POST /admin/product-options/{id}",
        m(
            Method::POST,
            format!("/admin/product-options/{oid}"),
            Some(json!({"values": ["Red", "Blue"]})),
        )
        .await,
    );
    s.shape(
        "POST /admin/products/{id}/options/batch",
        m(
            Method::POST,
            format!("/admin/products/{pid}/options/batch"),
            Some(json!({"add": [oid]})),
        )
        .await,
    );
    s.shape(
        "GET /admin/products/{id}/options",
        m(Method::GET, format!("/admin/products/{pid}/options"), None).await,
    );
    s.shape(
        "POST /admin/products/batch",
        m(
            Method::POST,
            "/admin/products/batch?fields=id,title".into(),
            Some(
                json!({"create": [{"title": "Mug", "options": [{"title": "Default", "values": ["Default"]}]}],
                        "update": [{"id": pid, "title": "Shirt v3"}]}),
            ),
        )
        .await,
    );
    let export = s.shape(
        "POST /admin/products/export",
        m(Method::POST, format!("/admin/products/export?id[]={pid}"), None).await,
    );
    let transaction = export["transaction_id"].as_str().unwrap().to_owned();
    assert_eq!(app.run_jobs().await, 1);
    let feed = s.shape(
        "GET /admin/notifications",
        m(
            Method::GET,
            "/admin/notifications?channel=feed&order=-created_at".into(),
            None,
        )
        .await,
    );
    let nid = feed["notifications"][0]["id"].as_str().unwrap().to_owned();
    s.shape(
        "GET /admin/notifications/{id}",
        m(Method::GET, format!("/admin/notifications/{nid}"), None).await,
    );
    s.shape(
        "GET /admin/exports/{transaction_id}/download",
        m(Method::GET, format!("/admin/exports/{transaction}/download"), None).await,
    );
    medusa_import(app, s).await;
    s.shape(
        "DELETE /admin/products/{id}",
        m(Method::DELETE, format!("/admin/products/{pid}"), None).await,
    );
    let other = m(
        Method::POST,
        "/admin/product-options".into(),
        Some(json!({"title": "Fit", "values": ["Slim"]})),
    )
    .await;
    let other = other.body["product_option"]["id"].as_str().unwrap().to_owned();
    s.shape(
        "DELETE /admin/product-options/{id}",
        m(Method::DELETE, format!("/admin/product-options/{other}"), None).await,
    );

    // Categories: a parent and a child, so the tree shows.
    let parent = s.shape(
        "POST /admin/product-categories",
        m(
            Method::POST,
            "/admin/product-categories".into(),
            Some(json!({"name": "Clothing", "description": "All of it"})),
        )
        .await,
    );
    let cid = parent["product_category"]["id"].as_str().unwrap().to_owned();
    let child = m(
        Method::POST,
        "/admin/product-categories".into(),
        Some(json!({"name": "Shirts", "parent_category_id": cid})),
    )
    .await
    .body;
    let child = child["product_category"]["id"].as_str().unwrap().to_owned();
    s.shape(
        "GET /admin/product-categories",
        m(Method::GET, "/admin/product-categories".into(), None).await,
    );
    s.shape(
        "GET /admin/product-categories/{id}",
        m(Method::GET, format!("/admin/product-categories/{cid}"), None).await,
    );
    s.shape(
        "POST /admin/product-categories/{id}",
        m(
            Method::POST,
            format!("/admin/product-categories/{child}"),
            Some(json!({"name": "Tees", "handle": "tees"})),
        )
        .await,
    );
    s.shape(
        "DELETE /admin/product-categories/{id}",
        m(Method::DELETE, format!("/admin/product-categories/{child}"), None).await,
    );

    let col = s.shape(
        "POST /admin/collections",
        m(
            Method::POST,
            "/admin/collections".into(),
            Some(json!({"title": "Summer", "metadata": {"k": "v"}})),
        )
        .await,
    );
    let col = col["collection"]["id"].as_str().unwrap().to_owned();
    s.shape(
        "GET /admin/collections",
        m(Method::GET, "/admin/collections".into(), None).await,
    );
    s.shape(
        "GET /admin/collections/{id}",
        m(Method::GET, format!("/admin/collections/{col}"), None).await,
    );
    s.shape(
        "POST /admin/collections/{id}",
        m(
            Method::POST,
            format!("/admin/collections/{col}"),
            Some(json!({"title": "Summer 26", "metadata": {"k": "", "n": 1}})),
        )
        .await,
    );
    s.shape(
        "DELETE /admin/collections/{id}",
        m(Method::DELETE, format!("/admin/collections/{col}"), None).await,
    );

    for (base, single) in [("product-tags", "product_tag"), ("product-types", "product_type")] {
        let made = s.shape(
            &format!("POST /admin/{base}"),
            m(
                Method::POST,
                format!("/admin/{base}"),
                Some(json!({"value": "Sale", "metadata": {"a": 1}})),
            )
            .await,
        );
        let lid = made[single]["id"].as_str().unwrap().to_owned();
        s.shape(
            &format!("GET /admin/{base}"),
            m(Method::GET, format!("/admin/{base}"), None).await,
        );
        s.shape(
            &format!("GET /admin/{base}/{{id}}"),
            m(Method::GET, format!("/admin/{base}/{lid}"), None).await,
        );
        s.shape(
            &format!("POST /admin/{base}/{{id}}"),
            m(
                Method::POST,
                format!("/admin/{base}/{lid}"),
                Some(json!({"value": "Big sale", "metadata": {"a": "", "b": 2}})),
            )
            .await,
        );
        s.shape(
            &format!("DELETE /admin/{base}/{{id}}"),
            m(Method::DELETE, format!("/admin/{base}/{lid}"), None).await,
        );
    }
}

/// The Medusa admin API's import: uploads, the import and its confirmation, both routes.
async fn medusa_import(app: &TestApp, s: &mut Shapes) {
    let m = |method: Method, path: String, body: Option<Value>| async move {
        app.call(method, &path, Some(&app.org.secret_key), body).await
    };
    let csv = "Product Handle,Product Title,Variant Title,Variant Sku,Variant Price USD,Variant Option 1 Name,Variant Option 1 Value\n\
               cap,Cap,One,CAP-1,3,Size,One\n";
    let boundary = "shape-boundary";
    let form = |field: &str| {
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"caps.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
        )
    };
    let content_type = format!("multipart/form-data; boundary={boundary}");
    let upload = |path: &'static str, field: &'static str| {
        let body = form(field);
        let content_type = content_type.clone();
        async move {
            app.raw(
                Method::POST,
                path,
                Some(&app.org.secret_key),
                Body::from(body),
                &[("content-type", content_type.as_str())],
            )
            .await
        }
    };
    let mut presigned = m(
        Method::POST,
        "/admin/uploads/presigned-urls".into(),
        Some(json!({"originalname": "caps.csv", "mime_type": "text/csv", "size": csv.len()})),
    )
    .await;
    // `<ULID>.csv`, a new one each time.
    presigned.body["filename"] = json!("01JQ0000000000000000000000.csv");
    s.shape("POST /admin/uploads/presigned-urls", presigned);
    let files = s.shape("POST /admin/uploads", upload("/admin/uploads", "files").await);
    let file = files["files"][0]["id"].as_str().unwrap().to_owned();
    s.shape(
        "GET /admin/uploads/{id}",
        m(Method::GET, format!("/admin/uploads/{file}"), None).await,
    );
    let import = s.shape(
        "POST /admin/products/imports",
        m(
            Method::POST,
            "/admin/products/imports".into(),
            Some(json!({"file_key": file, "originalname": "caps.csv", "extension": "csv", "size": csv.len(), "mime_type": "text/csv"})),
        )
        .await,
    );
    let tx = import["transaction_id"].as_str().unwrap().to_owned();
    s.shape(
        "POST /admin/products/imports/{transaction_id}/confirm",
        m(
            Method::POST,
            format!("/admin/products/imports/{tx}/confirm"),
            Some(json!({})),
        )
        .await,
    );
    let older = s.shape(
        "POST /admin/products/import",
        upload("/admin/products/import", "file").await,
    );
    let tx = older["transaction_id"].as_str().unwrap().to_owned();
    s.shape(
        "POST /admin/products/import/{transaction_id}/confirm",
        m(Method::POST, format!("/admin/products/import/{tx}/confirm"), None).await,
    );
}

async fn cscart_api(app: &TestApp, s: &mut Shapes) {
    let c = |method: Method, path: String, body: Option<Value>| async move {
        crate::cscart_products::cs(app, method, &path, body).await
    };
    let cat = s.shape(
        "POST /api/categories",
        c(
            Method::POST,
            "/api/categories".into(),
            Some(json!({"category": "Apparel"})),
        )
        .await,
    )["category_id"]
        .clone();
    s.shape(
        "GET /api/categories",
        c(Method::GET, "/api/categories".into(), None).await,
    );
    s.shape(
        "GET /api/categories/{category_id}",
        c(Method::GET, format!("/api/categories/{cat}"), None).await,
    );
    s.shape(
        "PUT /api/categories/{category_id}",
        c(
            Method::PUT,
            format!("/api/categories/{cat}"),
            Some(json!({"description": "Clothes"})),
        )
        .await,
    );
    let vendor = s.shape(
        "POST /api/vendors",
        c(
            Method::POST,
            "/api/vendors".into(),
            Some(json!({"company": "Acme", "email": "a@acme.example"})),
        )
        .await,
    )["company_id"]
        .clone();
    s.shape("GET /api/vendors", c(Method::GET, "/api/vendors".into(), None).await);
    s.shape(
        "GET /api/vendors/{vendor_id}",
        c(Method::GET, format!("/api/vendors/{vendor}"), None).await,
    );
    s.shape(
        "PUT /api/vendors/{vendor_id}",
        c(
            Method::PUT,
            format!("/api/vendors/{vendor}"),
            Some(json!({"status": "A"})),
        )
        .await,
    );
    let feature = s.shape(
        "POST /api/features",
        c(
            Method::POST,
            "/api/features".into(),
            Some(json!({"description": "Brand", "feature_type": "S", "variants": [{"variant": "Adidas"}]})),
        )
        .await,
    )["feature_id"]
        .clone();
    s.shape("GET /api/features", c(Method::GET, "/api/features".into(), None).await);
    s.shape(
        "GET /api/features/{feature_id}",
        c(Method::GET, format!("/api/features/{feature}"), None).await,
    );
    s.shape(
        "PUT /api/features/{feature_id}",
        c(
            Method::PUT,
            format!("/api/features/{feature}"),
            Some(json!({"description": "Make"})),
        )
        .await,
    );
    let pid = s.shape(
        "POST /api/products",
        c(
            Method::POST,
            "/api/products".into(),
            Some(json!({"product": "100g Pants", "category_ids": [cat], "price": "30.00", "list_price": "31.00",
                "amount": "10", "product_code": "U0012O5AF0",
                "product_features": {feature.to_string(): {"feature_id": feature.to_string(), "variant_id": "1"}},
                "main_pair": {"detailed": {"image_path": "https://example.com/images/detailed/0/pants.jpg", "image_x": "500", "image_y": "500"}}})),
        )
        .await,
    )["product_id"]
        .clone();
    s.shape(
        "GET /api/products",
        c(Method::GET, "/api/products?items_per_page=2".into(), None).await,
    );
    s.shape(
        "GET /api/products/{product_id}",
        c(Method::GET, format!("/api/products/{pid}"), None).await,
    );
    s.shape(
        "PUT /api/products/{product_id}",
        c(
            Method::PUT,
            format!("/api/products/{pid}"),
            Some(json!({"price": "31.00"})),
        )
        .await,
    );
    s.shape(
        "GET /api/categories/{category_id}/products",
        c(Method::GET, format!("/api/categories/{cat}/products"), None).await,
    );
    s.shape(
        "GET /api/categories/{category_id}/products/{product_id}",
        c(Method::GET, format!("/api/categories/{cat}/products/{pid}"), None).await,
    );
    s.shape(
        "POST /api/vendors/{vendor_id}/products",
        c(
            Method::POST,
            format!("/api/vendors/{vendor}/products"),
            Some(json!({"product": "Vendor's Product Name", "category_ids": cat.to_string(), "price": "1000"})),
        )
        .await,
    );
    s.shape(
        "GET /api/vendors/{vendor_id}/products",
        c(Method::GET, format!("/api/vendors/{vendor}/products"), None).await,
    );
    let store_pid = s.shape(
        "POST /api/stores/{company_id}/products",
        c(
            Method::POST,
            format!("/api/stores/{vendor}/products"),
            Some(json!({"product": "Store product", "category_ids": [cat], "price": "5"})),
        )
        .await,
    )["product_id"]
        .clone();
    s.shape(
        "GET /api/stores/{company_id}/products",
        c(Method::GET, format!("/api/stores/{vendor}/products"), None).await,
    );
    for id in [pid.to_string(), store_pid.to_string()] {
        c(Method::DELETE, format!("/api/products/{id}"), None).await.expect(204);
    }
    let last = c(Method::GET, "/api/products".into(), None).await.body["products"][0]["product_id"]
        .as_str()
        .unwrap()
        .to_owned();
    s.shape(
        "DELETE /api/products/{product_id}",
        c(Method::DELETE, format!("/api/products/{last}"), None).await,
    );
    s.shape(
        "DELETE /api/features/{feature_id}",
        c(Method::DELETE, format!("/api/features/{feature}"), None).await,
    );
    s.shape(
        "DELETE /api/vendors/{vendor_id}",
        c(Method::DELETE, format!("/api/vendors/{vendor}"), None).await,
    );
    s.shape(
        "DELETE /api/categories/{category_id}",
        c(Method::DELETE, format!("/api/categories/{cat}"), None).await,
    );
}
