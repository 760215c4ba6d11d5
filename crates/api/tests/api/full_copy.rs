//! The full catalog copy: a catalog built through every API (with numbers left unused by
//! deletes), exported with `{"full": true}`, imported into an empty organization, read back
//! through every API and compared entity by entity (ids normalised; times, versions, ETags and
//! CS-Cart's numbers as they are); a second import changes nothing.

use crate::cscart_products::cs_as;
use crate::harness::{Resp, TestApp, id_of, spawn};
use axum::body::Body;
use axum::http::Method;
use pimento_store::orgs::CreatedOrganization;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

fn basic(key: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:"))
    )
}

async fn medusa_as(app: &TestApp, org: &CreatedOrganization, method: Method, path: &str, body: Option<Value>) -> Resp {
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.raw(method, path, None, body, &[("authorization", &basic(&org.secret_key))])
        .await
}

async fn medusa(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> Resp {
    medusa_as(app, &app.org, method, path, body).await
}

/// Makes something through CS-Cart and deletes it, so that its number is never used again.
async fn gap(app: &TestApp, path: &str, body: Value, id: &str) {
    let made = cs_as(app, &app.org.secret_key, Method::POST, path, Some(body))
        .await
        .expect(201)
        .body;
    let n = number(&made[id]);
    cs_as(app, &app.org.secret_key, Method::DELETE, &format!("{path}/{n}"), None)
        .await
        .expect(204);
}

/// A CS-Cart number, sent as a number or a string.
fn number(v: &Value) -> i64 {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

/// A catalog with something of every kind, made through the API that owns it, and numbers
/// left unused between them.
async fn build(app: &TestApp) {
    // Definitions through the PIM.
    let look = app
        .pim_create("/api/v1/pim/attribute-groups", json!({"name": "Look"}))
        .await;
    let color = app
        .pim_create(
            "/api/v1/pim/attributes",
            json!({"name": "Color", "key": "color", "type": "SELECT", "options": ["Red", "Blue"], "group_id": look["id"]}),
        )
        .await;
    gap(
        app,
        "/api/features",
        json!({"description": "Gone", "feature_type": "T"}),
        "feature_id",
    )
    .await;
    let material = app
        .pim_create("/api/v1/pim/attributes", json!({"name": "Material", "key": "material"}))
        .await;
    app.pim_create(
        "/api/v1/pim/attributes",
        json!({"name": "Warmth", "key": "warmth", "type": "NUMBER"}),
    )
    .await;
    let jacket = app
        .pim_create(
            "/api/v1/pim/templates",
            json!({"name": "Jacket", "description": "Outerwear", "attributes": [
                {"attribute_id": color["id"], "required": true},
                {"attribute_id": material["id"]}
            ]}),
        )
        .await;
    let men = app
        .pim_create("/api/v1/pim/categories", json!({"name": "Men", "slug": "men"}))
        .await;
    gap(app, "/api/categories", json!({"category": "Gone"}), "category_id").await;
    let outer = app
        .pim_create(
            "/api/v1/pim/categories",
            json!({"name": "Men's Outerwear", "slug": "mens-outerwear", "parent_id": men["id"], "description": "Coats"}),
        )
        .await;
    app.pim_create(
        "/api/v1/pim/categories",
        json!({"name": "Men's Shoes", "slug": "shoes", "parent_id": men["id"]}),
    )
    .await;
    app.pim_create("/api/v1/pim/categories", json!({"name": "Sale", "slug": "sale"}))
        .await;
    let brand = app
        .pim_create(
            "/api/v1/pim/brands",
            json!({"name": "Northwind", "description": "Since 1900", "logo_url": "https://cdn.example/nw.png"}),
        )
        .await;

    // A vendor with CS-Cart's own fields.
    gap(
        app,
        "/api/vendors",
        json!({"company": "Gone", "email": "gone@acme.example"}),
        "company_id",
    )
    .await;
    let vendor = cs_as(
        app,
        &app.org.secret_key,
        Method::POST,
        "/api/vendors",
        Some(json!({"company": "Acme", "email": "sales@acme.example", "phone": "+1 555 0100", "status": "A"})),
    )
    .await
    .expect(201)
    .body;
    let vendor_number = vendor["company_id"].as_i64().unwrap_or_else(|| {
        vendor["company_id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{vendor}"))
    });

    // Collections, types and tags through Medusa.
    let summer = medusa(
        app,
        Method::POST,
        "/admin/collections",
        Some(json!({"title": "Summer", "handle": "summer-26", "metadata": {"season": 26}})),
    )
    .await
    .expect(200)
    .body["collection"]
        .clone();
    let coats = medusa(
        app,
        Method::POST,
        "/admin/product-types",
        Some(json!({"value": "Coats"})),
    )
    .await
    .expect(200)
    .body["product_type"]
        .clone();
    let warm = medusa(app, Method::POST, "/admin/product-tags", Some(json!({"value": "warm"})))
        .await
        .expect(200)
        .body["product_tag"]
        .clone();
    let new = medusa(app, Method::POST, "/admin/product-tags", Some(json!({"value": "new"})))
        .await
        .expect(200)
        .body["product_tag"]
        .clone();
    let cats = medusa(
        app,
        Method::GET,
        "/admin/product-categories?handle=mens-outerwear",
        None,
    )
    .await
    .expect(200)
    .body;
    let outer_medusa = cats["product_categories"][0]["id"].clone();
    // Definitions written more than once, so that their versions (ETags) are not their first.
    for (path, body) in [
        (
            format!("/admin/collections/{}", summer["id"].as_str().unwrap()),
            json!({"title": "Summer 26"}),
        ),
        (
            format!("/admin/product-types/{}", coats["id"].as_str().unwrap()),
            json!({"metadata": {"warm": true}}),
        ),
        (
            format!("/admin/product-tags/{}", warm["id"].as_str().unwrap()),
            json!({"metadata": {"hot": 1}}),
        ),
    ] {
        medusa(app, Method::POST, &path, Some(body)).await.expect(200);
    }
    app.pim_put(
        &format!("/api/v1/pim/attribute-groups/{}", id_of(&look)),
        json!({"description": "How it looks"}),
    )
    .await
    .expect(200);
    cs_as(
        app,
        &app.org.secret_key,
        Method::PUT,
        &format!("/api/vendors/{vendor_number}"),
        Some(json!({"phone": "+1 555 0199"})),
    )
    .await
    .expect(200);

    // A Medusa product with Medusa's own fields, its own options, images and tags.
    let shirt = medusa(
        app,
        Method::POST,
        "/admin/products",
        Some(json!({
            "title": "Storm Jacket",
            "handle": "storm-jacket",
            "subtitle": "Keeps you dry",
            "description": "A jacket",
            "status": "published",
            "thumbnail": "https://cdn.example/thumb.png",
            "images": [{"url": "https://cdn.example/1.png"}, {"url": "https://cdn.example/2.png"}],
            "metadata": {"fit": "regular", "n": 1},
            "weight": 900, "origin_country": "us", "hs_code": "620193", "mid_code": "M1",
            "material": "nylon", "discountable": false, "external_id": "erp-77",
            "collection_id": summer["id"], "type_id": coats["id"],
            "tags": [{"id": warm["id"]}, {"id": new["id"]}],
            "categories": [{"id": outer_medusa}],
            "options": [{"title": "Size", "values": ["S", "M"]}, {"title": "Colour", "values": ["Red", "Blue"]}],
            "variants": [
                {"title": "S / Red", "sku": "STORM-S-RED", "options": {"Size": "S", "Colour": "Red"},
                 "prices": [{"currency_code": "usd", "amount": 120}, {"currency_code": "eur", "amount": 110}],
                 "manage_inventory": false, "hs_code": "620193", "metadata": {"v": 1}},
                {"title": "M / Blue", "sku": "STORM-M-BLUE", "options": {"Size": "M", "Colour": "Blue"},
                 "prices": [{"currency_code": "usd", "amount": 125}],
                 "barcode": "4006381333931", "allow_backorder": true, "weight": 950}
            ]
        })),
    )
    .await
    .expect(200)
    .body["product"]
        .clone();
    let storm = pim_id(app, &app.org, "storm-jacket").await;
    // Filed, branded, templated and given attribute values through the PIM.
    app.pim_put(
        &format!("/api/v1/pim/products/{storm}"),
        json!({"brand_id": brand["id"], "template_id": jacket["id"], "vendor_id": vendor_id(app, vendor_number).await,
               "attributes": {"color": "Red", "material": "Nylon", "warmth": 3}, "meta_keywords": "rain storm"}),
    )
    .await
    .expect(200);
    assert_eq!(shirt["handle"], "storm-jacket");

    // A Products API product on the organization's shared option, sharing an image.
    let size = app.option("Size", &["S", "M", "L"]).await;
    let sid = size["id"].as_str().unwrap().to_owned();
    let tee = app
        .product(json!({"name": "Tee", "handle": "tee", "url": "https://x.example/tee", "variantOptionIds": [sid]}))
        .await;
    let tid = tee["id"].as_str().unwrap().to_owned();
    for (sku, v, price) in [("TEE-S", "S", "19.99"), ("TEE-L", "L", "21.00")] {
        app.post(
            &format!("/api/v1/products/{tid}/variants"),
            json!({"sku": sku, "price": price, "options": [{"optionId": sid, "value": v}]}),
        )
        .await
        .expect(201);
    }
    let media = app
        .get(&format!("/api/v1/products/{storm}/media-assets"))
        .await
        .expect(200)
        .body;
    let asset = media[0]["mediaAsset"]["id"].clone();
    app.post(
        &format!("/api/v1/products/{tid}/media-assets"),
        json!({"mediaAssetId": asset}),
    )
    .await
    .expect(201);
    let storm_pim = app
        .pim_get(&format!("/api/v1/pim/products/{storm}"))
        .await
        .expect(200)
        .body;
    app.pim_put(
        &format!("/api/v1/pim/products/{tid}"),
        json!({"category_id": outer["id"], "tag_ids": [storm_pim["tag_ids"][1].clone()]}),
    )
    .await
    .expect(200);

    // A CS-Cart product with CS-Cart's own fields, in a category and of the vendor.
    let sale_number = cs_as(app, &app.org.secret_key, Method::GET, "/api/categories", None)
        .await
        .expect(200)
        .body["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "Sale")
        .map(|c| c["category_id"].clone())
        .unwrap();
    // Products deleted for good leave their numbers unused.
    for name in ["Gone One", "Gone Two"] {
        let body = json!({"product": name, "price": "1", "category_ids": [sale_number]});
        gap(app, "/api/products", body, "product_id").await;
    }
    cs_as(
        app,
        &app.org.secret_key,
        Method::POST,
        "/api/products",
        Some(json!({
            "product": "Wool Socks", "category_ids": [sale_number], "price": "9.50", "list_price": "12.00",
            "amount": 40, "product_code": "SOCK-1", "status": "A", "company_id": vendor_number.to_string(),
            "min_qty": 2, "age_limit": "0", "free_shipping": "Y", "promo_text": "Two for one",
            "search_words": "wool socks", "tracking": "B"
        })),
    )
    .await
    .expect(201);

    // An archived product (Medusa's DELETE archives).
    let old = medusa(
        app,
        Method::POST,
        "/admin/products",
        Some(json!({"title": "Old Poster", "handle": "old-poster", "status": "draft",
                    "options": [{"title": "Default", "values": ["Default"]}],
                    "variants": [{"title": "Default", "sku": "POSTER", "options": {"Default": "Default"},
                                  "prices": [{"currency_code": "usd", "amount": 5}]}]})),
    )
    .await
    .expect(200)
    .body["product"]
        .clone();
    medusa(
        app,
        Method::DELETE,
        &format!("/admin/products/{}", old["id"].as_str().unwrap()),
        None,
    )
    .await
    .expect(200);
}

/// The id of the product with `handle` (archived ones too).
async fn pim_id(app: &TestApp, org: &CreatedOrganization, handle: &str) -> String {
    let r = app
        .call(
            Method::GET,
            "/api/v1/products?archived=all&limit=200",
            Some(&org.secret_key),
            None,
        )
        .await
        .expect(200);
    let list = r.body.as_array().cloned().unwrap_or_default();
    let p = list
        .iter()
        .find(|p| p["handle"] == handle)
        .unwrap_or_else(|| panic!("no {handle} in {}", r.body));
    id_of(p)
}

/// The UUID of the vendor numbered `n`.
async fn vendor_id(app: &TestApp, n: i64) -> String {
    let ctx = crate::cscart_products::ctx(app).await;
    app.store
        .id_by_number(&ctx, pimento_core::numbers::Numbered::Vendor, n)
        .await
        .unwrap()
        .to_string()
}

async fn full_export(app: &TestApp, org: &CreatedOrganization) -> String {
    let r = app
        .pim_as(org, Method::POST, "/api/v1/pim/export", Some(json!({"full": true})))
        .await
        .expect(202);
    app.run_jobs().await;
    let path = format!("/api/v1/pim/jobs/{}", id_of(&r.body));
    let job = app.pim_as(org, Method::GET, &path, None).await.expect(200).body;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    let url = job["download_url"].as_str().unwrap().to_owned();
    let file = app.pim_as(org, Method::GET, &url, None).await.expect(200);
    match &file.body {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

async fn import_into(app: &TestApp, org: &CreatedOrganization, text: &str) -> Value {
    let tenant = org.tenant_id.to_string();
    let org_id = org.organization_id.to_string();
    let up = app
        .raw(
            Method::POST,
            "/api/v1/pim/imports?format=ndjson",
            Some(&org.secret_key),
            Body::from(text.to_owned()),
            &[("x-tenant-id", &tenant), ("x-org-id", &org_id)],
        )
        .await
        .expect(202);
    app.run_jobs().await;
    app.pim_as(org, Method::GET, &format!("/api/v1/pim/jobs/{}", id_of(&up.body)), None)
        .await
        .expect(200)
        .body
}

/// Keys whose values differ between two organizations' copies whatever the copy keeps: when
/// the file was written, and the key that made a row.
const OWN: &[&str] = &["exported_at", "created_by", "updated_by", "createdBy", "updatedBy"];

fn looks_like_id(s: &str) -> bool {
    if uuid::Uuid::parse_str(s).is_ok() {
        return true;
    }
    // Medusa's prefixed ULIDs (`prod_01…`, `price_01…_usd`).
    s.contains('_')
        && s.split('_')
            .any(|part| part.len() == 26 && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The value with every id replaced by its order of first appearance, and without what names
/// the organization's keys, so that two organizations' catalogs compare. Times, versions and
/// numbers stay as they are.
fn normal(v: &Value) -> Value {
    fn walk(v: &Value, seen: &mut HashMap<String, usize>) -> Value {
        match v {
            Value::String(s) if looks_like_id(s) => {
                let n = seen.len();
                json!(format!("id#{}", seen.entry(s.clone()).or_insert(n)))
            }
            Value::String(s) if s.contains("/api/v1/") => {
                // A URL naming an id: its ids normalised part by part.
                let parts: Vec<String> = s
                    .split('/')
                    .map(|p| match walk(&json!(p), seen) {
                        Value::String(x) => x,
                        _ => p.to_owned(),
                    })
                    .collect();
                json!(parts.join("/"))
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| walk(x, seen)).collect()),
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, x) in m {
                    if !OWN.contains(&k.as_str()) {
                        out.insert(k.clone(), walk(x, seen));
                    }
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }
    walk(v, &mut HashMap::new())
}

/// Where two values first differ, and how.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => x
            .keys()
            .chain(y.keys())
            .find_map(|k| first_difference(&x[k], y.get(k).unwrap_or(&Value::Null), format!("{at}.{k}"))),
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{at}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} != {b}")),
    }
}

/// The copy's lines, normalised.
fn lines(text: &str) -> Vec<Value> {
    normal(&Value::Array(
        text.lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap_or_else(|e| panic!("{e}: {l}")))
            .collect(),
    ))
    .as_array()
    .cloned()
    .unwrap_or_default()
}

/// A read's body with its `ETag`, which a copy keeps.
fn with_etag(r: Resp) -> Value {
    json!({"etag": r.header("etag"), "body": r.body})
}

/// The Medusa id of the product with `handle` (archived ones too).
async fn medusa_id(app: &TestApp, org: &CreatedOrganization, handle: &str) -> String {
    let r = medusa_as(
        app,
        org,
        Method::GET,
        &format!("/admin/products?handle={handle}&with_deleted=true&fields=id"),
        None,
    )
    .await
    .expect(200);
    r.body["products"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no {handle} in {}", r.body))
        .to_owned()
}

/// What every API reads of an organization's catalog, normalised.
async fn reads(app: &TestApp, org: &CreatedOrganization) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for path in [
        "/api/v1/pim/categories",
        "/api/v1/pim/attributes",
        "/api/v1/pim/attribute-groups",
        "/api/v1/pim/templates",
        "/api/v1/pim/brands",
        "/api/v1/pim/products",
    ] {
        let r = app.pim_as(org, Method::GET, path, None).await.expect(200);
        out.push((path.to_owned(), r.body));
    }
    for handle in ["storm-jacket", "tee", "wool-socks", "old-poster"] {
        let id = pim_id(app, org, handle).await;
        let r = app
            .pim_as(org, Method::GET, &format!("/api/v1/pim/products/{id}"), None)
            .await
            .expect(200);
        out.push((format!("pim {handle}"), with_etag(r)));
        let r = app
            .call(
                Method::GET,
                &format!("/api/v1/products/{id}?include=variants,mediaAssets"),
                Some(&org.secret_key),
                None,
            )
            .await
            .expect(200);
        out.push((format!("products {handle}"), with_etag(r)));
        // Medusa reads an archived product as deleted: in its lists only.
        if handle != "old-poster" {
            let path = format!("/admin/products/{}", medusa_id(app, org, handle).await);
            let r = medusa_as(app, org, Method::GET, &path, None).await.expect(200);
            out.push((format!("medusa {handle}"), with_etag(r)));
        }
    }
    // Each category and CS-Cart product alone, with its ETag.
    let cats = app
        .pim_as(org, Method::GET, "/api/v1/pim/categories", None)
        .await
        .expect(200)
        .body;
    for c in cats.as_array().cloned().unwrap_or_default() {
        let r = app
            .pim_as(org, Method::GET, &format!("/api/v1/pim/categories/{}", id_of(&c)), None)
            .await
            .expect(200);
        out.push((format!("pim category {}", c["slug"]), with_etag(r)));
    }
    let cs_list = cs_as(app, &org.secret_key, Method::GET, "/api/categories", None)
        .await
        .expect(200)
        .body;
    for c in cs_list["categories"].as_array().cloned().unwrap_or_default() {
        let path = format!("/api/categories/{}", number(&c["category_id"]));
        let r = cs_as(app, &org.secret_key, Method::GET, &path, None).await.expect(200);
        out.push((path, with_etag(r)));
    }
    let groups = app
        .pim_as(org, Method::GET, "/api/v1/pim/attribute-groups", None)
        .await
        .expect(200)
        .body;
    for g in groups.as_array().cloned().unwrap_or_default() {
        let r = app
            .pim_as(
                org,
                Method::GET,
                &format!("/api/v1/pim/attribute-groups/{}", id_of(&g)),
                None,
            )
            .await
            .expect(200);
        out.push((format!("pim group {}", g["name"]), with_etag(r)));
    }
    let vendors = cs_as(app, &org.secret_key, Method::GET, "/api/vendors", None)
        .await
        .expect(200)
        .body;
    for v in vendors["vendors"].as_array().cloned().unwrap_or_default() {
        let path = format!("/api/vendors/{}", number(&v["company_id"]));
        let r = cs_as(app, &org.secret_key, Method::GET, &path, None).await.expect(200);
        out.push((path, with_etag(r)));
    }
    for (key, path) in [
        ("collections", "/admin/collections"),
        ("product_types", "/admin/product-types"),
        ("product_tags", "/admin/product-tags"),
    ] {
        let all = medusa_as(app, org, Method::GET, path, None).await.expect(200).body;
        for x in all[key].as_array().cloned().unwrap_or_default() {
            let id = x["id"].as_str().unwrap_or_default();
            let r = medusa_as(app, org, Method::GET, &format!("{path}/{id}"), None)
                .await
                .expect(200);
            let name = x["value"].as_str().or(x["handle"].as_str()).unwrap_or_default();
            out.push((format!("{path} {name}"), with_etag(r)));
        }
    }
    let cs_list = cs_as(
        app,
        &org.secret_key,
        Method::GET,
        "/api/products?items_per_page=50",
        None,
    )
    .await
    .expect(200)
    .body;
    for p in cs_list["products"].as_array().cloned().unwrap_or_default() {
        let path = format!("/api/products/{}", number(&p["product_id"]));
        let r = cs_as(app, &org.secret_key, Method::GET, &path, None).await.expect(200);
        out.push((path, with_etag(r)));
    }
    for path in [
        "/admin/products?fields=*variants,*variants.options,*options,*images,*tags,*type,*collection,*categories&with_deleted=true&order=created_at",
        "/admin/collections",
        "/admin/product-types",
        "/admin/product-tags",
        "/admin/product-categories?order=created_at",
    ] {
        let r = medusa_as(app, org, Method::GET, path, None).await.expect(200);
        out.push((path.to_owned(), r.body));
    }
    for path in [
        "/api/products?items_per_page=50",
        "/api/categories",
        "/api/vendors",
        "/api/features",
    ] {
        let r = cs_as(app, &org.secret_key, Method::GET, path, None).await.expect(200);
        out.push((path.to_owned(), r.body));
    }
    out.into_iter().map(|(p, v)| (p, normal(&v))).collect()
}

#[tokio::test]
async fn a_full_copy_reproduces_the_catalog_in_an_empty_organization() {
    let app = spawn().await;
    build(&app).await;
    let ours = full_export(&app, &app.org).await;
    let first: Value = serde_json::from_str(ours.lines().next().unwrap()).unwrap();
    assert_eq!(first["kind"], "catalog");
    assert_eq!(first["format"], "pimento.catalog");
    assert_eq!(first["products"], 4, "archived products are in the copy: {ours}");
    let kinds: Vec<String> = ours
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["kind"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let first_product = kinds.iter().position(|k| k == "product").unwrap();
    assert!(
        kinds[first_product..].iter().all(|k| k == "product"),
        "definitions first: {kinds:?}"
    );

    // A second later, so that a time made at the import would show, even in whole seconds.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let job = import_into(&app, &app.other, &ours).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(job["summary"]["created"], 4, "{job}");
    assert_eq!(job["summary"]["failed"], 0, "{job}");

    // The copy of the copy is the copy.
    let theirs = full_export(&app, &app.other).await;
    let (a, b) = (lines(&ours), lines(&theirs));
    assert_eq!(a.len(), b.len(), "{ours}\n---\n{theirs}");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }

    // The defects this fixes, named.
    let cats = app
        .pim_as(&app.other, Method::GET, "/api/v1/pim/categories", None)
        .await
        .body;
    assert!(
        cats.as_array().unwrap().iter().any(|c| c["slug"] == "mens-outerwear"),
        "{cats}"
    );
    let attrs = app
        .pim_as(&app.other, Method::GET, "/api/v1/pim/attributes", None)
        .await
        .body;
    let color = attrs.as_array().unwrap().iter().find(|a| a["key"] == "color").unwrap();
    assert_eq!(color["type"], "SELECT");
    assert_eq!(color["options"], json!(["Red", "Blue"]));
    let templates = app
        .pim_as(&app.other, Method::GET, "/api/v1/pim/templates", None)
        .await
        .body;
    assert_eq!(templates[0]["attributes"].as_array().unwrap().len(), 2, "{templates}");
    assert_eq!(templates[0]["attributes"][0]["required"], true);

    // Every API reads the same catalog, entity by entity.
    let (before, after) = (reads(&app, &app.org).await, reads(&app, &app.other).await);
    for ((path, x), (_, y)) in before.iter().zip(&after) {
        assert!(x == y, "{path} differs at {:?}", first_difference(x, y, String::new()));
    }

    // A dry run of it finds every product and writes nothing.
    let tenant = app.other.tenant_id.to_string();
    let org_id = app.other.organization_id.to_string();
    let up = app
        .raw(
            Method::POST,
            "/api/v1/pim/imports?format=ndjson&dry_run=true",
            Some(&app.other.secret_key),
            Body::from(ours.clone()),
            &[("x-tenant-id", &tenant), ("x-org-id", &org_id)],
        )
        .await
        .expect(202);
    app.run_jobs().await;
    let dry = app
        .pim_as(
            &app.other,
            Method::GET,
            &format!("/api/v1/pim/jobs/{}", id_of(&up.body)),
            None,
        )
        .await
        .body;
    assert_eq!(dry["summary"]["unchanged"], 4, "{dry}");
    assert_eq!(dry["summary"]["created"], 0, "{dry}");

    // Importing the same copy again changes nothing and makes nothing twice.
    let again = import_into(&app, &app.other, &ours).await;
    assert_eq!(again["status"], "SUCCEEDED", "{again}");
    assert_eq!(again["summary"]["created"], 0, "{again}");
    assert_eq!(again["summary"]["unchanged"], 4, "{again}");
    assert_eq!(again["summary"]["failed"], 0, "{again}");
    let twice = full_export(&app, &app.other).await;
    assert_eq!(lines(&twice), b);

    // The numbers deleted products left unused stay unused in the copy...
    let numbers_of = |org: &CreatedOrganization| {
        let (app, key) = (&app, org.secret_key.clone());
        async move {
            let list = cs_as(app, &key, Method::GET, "/api/products?items_per_page=50", None)
                .await
                .expect(200)
                .body;
            let mut n: Vec<i64> = list["products"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| number(&p["product_id"]))
                .collect();
            n.sort_unstable();
            n
        }
    };
    // (CS-Cart lists live products; the archived poster is 6, as the PIM shows.)
    assert_eq!(numbers_of(&app.org).await, [1, 2, 5]);
    assert_eq!(numbers_of(&app.other).await, [1, 2, 5]);
    for org in [&app.org, &app.other] {
        let id = pim_id(&app, org, "old-poster").await;
        let poster = app
            .pim_as(org, Method::GET, &format!("/api/v1/pim/products/{id}"), None)
            .await
            .expect(200)
            .body;
        assert_eq!(poster["number"], 6, "{poster}");
    }
    // ...and what is made after the import is numbered after what the copy holds, as it is
    // in the original.
    let sale = cs_as(&app, &app.org.secret_key, Method::GET, "/api/categories", None)
        .await
        .expect(200)
        .body["categories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["category"] == "Sale")
        .map(|c| c["category_id"].clone())
        .unwrap();
    for (path, body, key) in [
        (
            "/api/products",
            json!({"product": "After", "price": "2", "category_ids": [sale]}),
            "product_id",
        ),
        ("/api/categories", json!({"category": "After"}), "category_id"),
        (
            "/api/vendors",
            json!({"company": "After", "email": "after@acme.example"}),
            "company_id",
        ),
        (
            "/api/features",
            json!({"description": "After", "feature_type": "T"}),
            "feature_id",
        ),
    ] {
        let mut made = Vec::new();
        for org in [&app.org, &app.other] {
            let r = cs_as(&app, &org.secret_key, Method::POST, path, Some(body.clone()))
                .await
                .expect(201);
            made.push(number(&r.body[key]));
        }
        assert_eq!(made[0], made[1], "{path}: the next number differs");
    }
}

#[tokio::test]
async fn a_full_copy_is_ndjson_only() {
    let app = spawn().await;
    app.pim_post("/api/v1/pim/export", json!({"format": "csv", "full": true}))
        .await
        .expect_error(400, "format");
    let r = app
        .pim_post("/api/v1/pim/export", json!({"full": true}))
        .await
        .expect(202);
    app.run_jobs().await;
    let job = app
        .pim_get(&format!("/api/v1/pim/jobs/{}", id_of(&r.body)))
        .await
        .expect(200)
        .body;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert!(job["download_url"].as_str().is_some());
}

/// The CS-Cart numbers of an organization's live products, by name.
async fn cs_numbers(app: &TestApp, org: &CreatedOrganization) -> HashMap<String, i64> {
    let list = cs_as(
        app,
        &org.secret_key,
        Method::GET,
        "/api/products?items_per_page=50",
        None,
    )
    .await
    .expect(200)
    .body;
    list["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["product"].as_str().unwrap().to_owned(), number(&p["product_id"])))
        .collect()
}

async fn cs_product(app: &TestApp, org: &CreatedOrganization, name: &str, category: &Value) -> i64 {
    let body = json!({"product": name, "price": "3", "category_ids": [category]});
    let r = cs_as(app, &org.secret_key, Method::POST, "/api/products", Some(body))
        .await
        .expect(201);
    number(&r.body["product_id"])
}

async fn cs_category(app: &TestApp, org: &CreatedOrganization, name: &str) -> Value {
    let r = cs_as(
        app,
        &org.secret_key,
        Method::POST,
        "/api/categories",
        Some(json!({"category": name})),
    )
    .await
    .expect(201);
    r.body["category_id"].clone()
}

#[tokio::test]
async fn a_copy_into_an_organization_whose_numbers_are_taken_numbers_those_rows_anew() {
    let app = spawn().await;
    let shop = cs_category(&app, &app.org, "Shop").await;
    cs_product(&app, &app.org, "First", &shop).await;
    for _ in 0..2 {
        let body = json!({"product": "Gone", "price": "1", "category_ids": [shop]});
        gap(&app, "/api/products", body, "product_id").await;
    }
    cs_product(&app, &app.org, "Fourth", &shop).await;
    assert_eq!(
        cs_numbers(&app, &app.org).await,
        HashMap::from([("First".to_owned(), 1), ("Fourth".to_owned(), 4)])
    );
    let copy = full_export(&app, &app.org).await;

    // The other organization already has product 1 and category 1.
    let theirs = cs_category(&app, &app.other, "Theirs").await;
    cs_product(&app, &app.other, "Mine", &theirs).await;
    let job = import_into(&app, &app.other, &copy).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(job["summary"]["created"], 2, "{job}");
    assert_eq!(job["summary"]["failed"], 0, "{job}");
    let numbers = cs_numbers(&app, &app.other).await;
    assert_eq!(numbers["Mine"], 1, "{numbers:?}");
    assert_eq!(numbers["Fourth"], 4, "a free number is kept: {numbers:?}");
    let first = numbers["First"];
    assert!(![1, 4].contains(&first), "a taken number is not: {numbers:?}");
    // The category: the copy's number 1 is taken, so it has another.
    let cats = cs_as(&app, &app.other.secret_key, Method::GET, "/api/categories", None)
        .await
        .expect(200)
        .body;
    let mut cat_numbers: Vec<i64> = cats["categories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| number(&c["category_id"]))
        .collect();
    cat_numbers.sort_unstable();
    cat_numbers.dedup();
    assert_eq!(cat_numbers.len(), 2, "{cats}");
    // What is made next collides with nothing.
    let next = cs_product(&app, &app.other, "Next", &theirs).await;
    assert!(next > 4 && next != first, "{next} after {numbers:?}");
}

/// A copy's lines as JSON, to be tampered with.
fn records(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[tokio::test]
async fn a_copy_with_impossible_times_versions_or_numbers_is_refused_line_by_line() {
    let app = spawn().await;
    let shop = cs_category(&app, &app.org, "Shop").await;
    cs_category(&app, &app.org, "Bad").await;
    for name in ["Good", "Old", "Zero", "Huge", "Word", "Late"] {
        cs_product(&app, &app.org, name, &shop).await;
    }
    let mut lines = records(&full_export(&app, &app.org).await);
    let line_of = |lines: &[Value], name: &str| {
        lines
            .iter()
            .position(|r| r["name"] == name || r["name"] == json!(name))
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let set = |lines: &mut Vec<Value>, name: &str, path: &[&str], v: Value| {
        let i = line_of(lines, name);
        let mut at = &mut lines[i];
        for p in &path[..path.len() - 1] {
            at = match p.parse::<usize>() {
                Ok(n) => &mut at[n],
                Err(_) => &mut at[*p],
            };
        }
        at[path[path.len() - 1]] = v;
    };
    set(&mut lines, "Old", &["created_at"], json!("1900-01-01T00:00:00Z"));
    set(&mut lines, "Zero", &["version"], json!(0));
    set(&mut lines, "Huge", &["number"], json!(9_007_199_254_740_992_i64));
    set(&mut lines, "Word", &["variants", "0", "created_at"], json!("yesterday"));
    set(&mut lines, "Late", &["variants", "0", "version"], json!(-2));
    set(&mut lines, "Bad", &["number"], json!(0));
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();

    let job = import_into(&app, &app.other, &text).await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(job["summary"]["created"], 1, "{job}");
    let errors = app
        .pim_as(
            &app.other,
            Method::GET,
            &format!("/api/v1/pim/jobs/{}/errors", id_of(&job)),
            None,
        )
        .await
        .expect(200)
        .body;
    let by_line: HashMap<u64, (Value, String)> = errors
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_u64().unwrap(),
                (
                    e["field"].clone(),
                    e["reason"]
                        .as_str()
                        .or(e["message"].as_str())
                        .unwrap_or_default()
                        .to_owned(),
                ),
            )
        })
        .collect();
    let line = |name: &str| line_of(&lines, name) as u64 + 1;
    for (name, field) in [
        ("Old", "created_at"),
        ("Zero", "version"),
        ("Huge", "number"),
        ("Late", "variants[0].version"),
        ("Bad", "number"),
    ] {
        let (f, reason) = by_line
            .get(&line(name))
            .unwrap_or_else(|| panic!("no error for {name}: {errors}"));
        assert_eq!(f, field, "{name}: {errors}");
        assert!(!reason.is_empty(), "{errors}");
    }
    // A time that is not one is an error of its line, from the reader.
    assert!(by_line.contains_key(&line("Word")), "{errors}");
    // Nothing of a refused line was written: only the good product and its category.
    let made = app
        .call(
            Method::GET,
            "/api/v1/products?archived=all&limit=50",
            Some(&app.other.secret_key),
            None,
        )
        .await
        .expect(200)
        .body;
    let names: Vec<&str> = made
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert_eq!(names, ["Good"], "{made}");
    let cats = app
        .pim_as(&app.other, Method::GET, "/api/v1/pim/categories", None)
        .await
        .expect(200)
        .body;
    let slugs: Vec<&str> = cats
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["slug"].as_str())
        .collect();
    assert_eq!(slugs, ["shop"], "{cats}");
}
