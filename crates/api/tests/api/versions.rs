//! Versions over HTTP in every API: a product's reads send its version as a strong `ETag`, its
//! writes honour `If-Match` (412 in the API's own body, with the current `ETag`) and
//! `If-None-Match: *`, and concurrent read-modify-write clients that retry on 412 lose no update.

use crate::harness::{Resp, TestApp, spawn};
use axum::body::Body;
use axum::http::Method;
use serde_json::{Value, json};

/// The four APIs, each with its own auth.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Api {
    Products,
    Pim,
    Medusa,
    CsCart,
}

const APIS: [Api; 4] = [Api::Products, Api::Pim, Api::Medusa, Api::CsCart];

fn basic(user_pass: &str) -> String {
    use base64::Engine;
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(user_pass))
}

/// Sends a request as the test organization through `api`'s auth, with extra headers.
pub(crate) async fn send(
    app: &TestApp,
    api: Api,
    method: Method,
    path: &str,
    body: Option<Value>,
    extra: &[(&str, &str)],
) -> Resp {
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    let key = app.org.secret_key.clone();
    let tenant = app.org.tenant_id.to_string();
    let org = app.org.organization_id.to_string();
    let mut headers: Vec<(&str, String)> = match api {
        Api::Products => vec![("authorization", format!("Bearer {key}"))],
        Api::Pim => vec![
            ("authorization", format!("Bearer {key}")),
            ("x-tenant-id", tenant),
            ("x-org-id", org),
        ],
        Api::Medusa => vec![("authorization", basic(&format!("{key}:")))],
        Api::CsCart => vec![("authorization", basic(&format!("admin@example.com:{key}")))],
    };
    headers.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.raw(method, path, None, body, &headers).await
}

/// One product's paths in each API.
struct Paths {
    products: String,
    pim: String,
    medusa: String,
    cscart: String,
}

impl Paths {
    fn of(&self, api: Api) -> &str {
        match api {
            Api::Products => &self.products,
            Api::Pim => &self.pim,
            Api::Medusa => &self.medusa,
            Api::CsCart => &self.cscart,
        }
    }
}

/// A product with one variant priced 0.00 EUR, made through the Products API; its paths.
async fn product(app: &TestApp) -> Paths {
    let made = app
        .product(json!({
            "name": "Rain jacket", "url": "https://x.example/rj", "status": "active",
            "variants": [{"sku": "RJ-1", "price": "0", "currency": "EUR"}]
        }))
        .await;
    let id = made["id"].as_str().unwrap().to_owned();
    let pim = send(
        app,
        Api::Pim,
        Method::GET,
        &format!("/api/v1/pim/products/{id}"),
        None,
        &[],
    )
    .await
    .expect(200);
    let number = pim.body["number"].as_i64().unwrap();
    let medusa = send(app, Api::Medusa, Method::GET, "/admin/products", None, &[])
        .await
        .expect(200);
    let medusa_id = medusa.body["products"][0]["id"].as_str().unwrap().to_owned();
    Paths {
        products: format!("/api/v1/products/{id}"),
        pim: format!("/api/v1/pim/products/{id}"),
        medusa: format!("/admin/products/{medusa_id}"),
        cscart: format!("/api/products/{number}"),
    }
}

/// A small change to the product in `api`'s body, giving it `name`.
fn rename(api: Api, name: &str) -> (Method, Value) {
    match api {
        Api::Products => (Method::PUT, json!({"name": name})),
        Api::Pim => (Method::PUT, json!({"title": name})),
        Api::Medusa => (Method::POST, json!({"title": name})),
        Api::CsCart => (Method::PUT, json!({"product": name})),
    }
}

pub(crate) fn etag(r: &Resp) -> String {
    r.header("etag").expect("an ETag header").to_owned()
}

pub(crate) async fn get(app: &TestApp, api: Api, path: &str) -> Resp {
    send(app, api, Method::GET, path, None, &[]).await.expect(200)
}

#[tokio::test]
async fn every_api_sends_the_products_version_as_its_etag() {
    let app = spawn().await;
    let paths = product(&app).await;
    for api in APIS {
        let r = get(&app, api, paths.of(api)).await;
        assert_eq!(etag(&r), "\"1\"", "{api:?}");
    }
    assert_eq!(get(&app, Api::Products, &paths.products).await.body["version"], 1);
    assert_eq!(get(&app, Api::Pim, &paths.pim).await.body["version"], 1);
    let pim = get(&app, Api::Pim, &paths.pim).await;
    assert_eq!(pim.body["variants"][0]["version"], 1);

    // A change through one API is a new version in all four.
    let (method, body) = rename(Api::Pim, "Storm jacket");
    let changed = send(&app, Api::Pim, method, &paths.pim, Some(body), &[])
        .await
        .expect(200);
    let tag = etag(&changed);
    assert_ne!(tag, "\"1\"");
    assert_eq!(changed.body["version"].to_string(), tag.trim_matches('"'));
    for api in APIS {
        assert_eq!(etag(&get(&app, api, paths.of(api)).await), tag, "{api:?}");
    }
}

#[tokio::test]
async fn a_stale_if_match_is_a_412_in_each_apis_body_with_the_current_etag() {
    let app = spawn().await;
    let paths = product(&app).await;
    let (method, body) = rename(Api::Products, "Storm jacket");
    let current = etag(
        &send(&app, Api::Products, method, &paths.products, Some(body), &[])
            .await
            .expect(200),
    );
    for api in APIS {
        let (method, body) = rename(api, "Lost");
        let r = send(&app, api, method, paths.of(api), Some(body), &[("if-match", "\"1\"")])
            .await
            .expect(412);
        assert_eq!(etag(&r), current, "{api:?}");
        match api {
            Api::Products | Api::Pim => {
                assert_eq!(r.body["code"], "precondition_failed", "{api:?}: {}", r.body);
                assert!(r.body["error"].as_str().unwrap().contains("has changed"), "{}", r.body);
            }
            Api::Medusa => {
                assert_eq!(r.body["type"], "conflict", "{}", r.body);
                assert!(
                    r.body["message"].as_str().unwrap().contains("has changed"),
                    "{}",
                    r.body
                );
            }
            Api::CsCart => {
                assert_eq!(r.body.as_object().unwrap().len(), 1, "{}", r.body);
                assert!(
                    r.body["message"].as_str().unwrap().contains("has changed"),
                    "{}",
                    r.body
                );
            }
        }
        // A delete with a stale tag is refused the same way, and nothing changed.
        let r = send(&app, api, Method::DELETE, paths.of(api), None, &[("if-match", "\"1\"")])
            .await
            .expect(412);
        assert_eq!(etag(&r), current, "{api:?}");
    }
    let after = get(&app, Api::Products, &paths.products).await;
    assert_eq!(after.body["name"], "Storm jacket");
    assert!(!after.body["archived"].as_bool().unwrap());
    assert_eq!(etag(&after), current);
    // A tag that is not one of ours, or a weak one, matches nothing.
    for tag in ["W/\"2\"", "\"abc\"", "2"] {
        let (method, body) = rename(Api::Products, "Lost");
        send(
            &app,
            Api::Products,
            method,
            &paths.products,
            Some(body),
            &[("if-match", tag)],
        )
        .await
        .expect(412);
    }
}

#[tokio::test]
async fn a_matching_if_match_writes_and_gives_a_new_etag() {
    let app = spawn().await;
    let paths = product(&app).await;
    for api in APIS {
        let before = etag(&get(&app, api, paths.of(api)).await);
        let (method, body) = rename(api, &format!("Named by {api:?}"));
        let r = send(&app, api, method, paths.of(api), Some(body), &[("if-match", &before)])
            .await
            .expect(200);
        let after = etag(&r);
        assert_ne!(after, before, "{api:?}");
        assert_eq!(etag(&get(&app, api, paths.of(api)).await), after, "{api:?}");
        // A list of tags matches when one of them is current; `*` matches any version.
        let (method, body) = rename(api, "Listed");
        let list = format!("\"999\", {after}");
        send(&app, api, method, paths.of(api), Some(body), &[("if-match", &list)])
            .await
            .expect(200);
        let (method, body) = rename(api, "Any");
        send(&app, api, method, paths.of(api), Some(body), &[("if-match", "*")])
            .await
            .expect(200);
    }
    // Without If-Match a write applies whatever the version, as before.
    let (method, body) = rename(Api::CsCart, "Last writer");
    send(&app, Api::CsCart, method, &paths.cscart, Some(body), &[])
        .await
        .expect(200);
    assert_eq!(
        get(&app, Api::Products, &paths.products).await.body["name"],
        "Last writer"
    );

    // A delete with the current tag deletes.
    let tag = etag(&get(&app, Api::Pim, &paths.pim).await);
    send(&app, Api::Pim, Method::DELETE, &paths.pim, None, &[("if-match", &tag)])
        .await
        .expect(204);
    send(&app, Api::Pim, Method::GET, &paths.pim, None, &[])
        .await
        .expect(404);
    // An entity that does not exist is a 404, whatever If-Match says.
    let (method, body) = rename(Api::Pim, "Gone");
    send(&app, Api::Pim, method, &paths.pim, Some(body), &[("if-match", "*")])
        .await
        .expect(404);
}

#[tokio::test]
async fn a_products_version_counts_changes_to_its_variants() {
    let app = spawn().await;
    let paths = product(&app).await;
    let v1 = etag(&get(&app, Api::Products, &paths.products).await);
    let variant = app
        .post(
            &format!("{}/variants", paths.products),
            json!({"sku": "RJ-2", "price": "5", "currency": "EUR"}),
        )
        .await
        .expect(201);
    assert_eq!(etag(&variant), "\"1\"");
    let v2 = etag(&get(&app, Api::Products, &paths.products).await);
    assert_ne!(v1, v2);

    // The variant has a version of its own, with the same preconditions.
    let vpath = format!("{}/variants/{}", paths.products, variant.body["id"].as_str().unwrap());
    let changed = send(
        &app,
        Api::Products,
        Method::PUT,
        &vpath,
        Some(json!({"price": "6"})),
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(200);
    assert_eq!(etag(&changed), "\"2\"");
    assert_eq!(changed.body["version"], 2);
    let stale = send(
        &app,
        Api::Products,
        Method::PUT,
        &vpath,
        Some(json!({"price": "7"})),
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(412);
    assert_eq!(etag(&stale), "\"2\"");
    assert_eq!(etag(&get(&app, Api::Products, &vpath).await), "\"2\"");
    let v3 = etag(&get(&app, Api::Products, &paths.products).await);
    assert_ne!(v2, v3);
    send(
        &app,
        Api::Products,
        Method::DELETE,
        &vpath,
        None,
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(412);
    send(
        &app,
        Api::Products,
        Method::DELETE,
        &vpath,
        None,
        &[("if-match", "\"2\"")],
    )
    .await
    .expect(204);
    assert_ne!(etag(&get(&app, Api::Products, &paths.products).await), v3);
}

#[tokio::test]
async fn if_none_match_star_refuses_an_upsert_onto_an_existing_product() {
    let app = spawn().await;
    let body = json!({"name": "Synced", "url": "https://x.example/s",
        "primarySyncSource": {"syncSource": "erp", "syncSourceId": "42"}});
    let made = send(
        &app,
        Api::Products,
        Method::POST,
        "/api/v1/products",
        Some(body.clone()),
        &[("if-none-match", "*")],
    )
    .await
    .expect(201);
    assert_eq!(etag(&made), "\"1\"");
    let refused = send(
        &app,
        Api::Products,
        Method::POST,
        "/api/v1/products",
        Some(body.clone()),
        &[("if-none-match", "*")],
    )
    .await
    .expect(412);
    assert_eq!(refused.body["code"], "precondition_failed");
    assert_eq!(etag(&refused), "\"1\"");
    // Without it, the create updates the product its sync source names, as before.
    let updated = send(&app, Api::Products, Method::POST, "/api/v1/products", Some(body), &[])
        .await
        .expect(200);
    assert_ne!(etag(&updated), "\"1\"");
}

/// How each concurrent client changes the price, and how many times.
const CLIENTS: usize = 16;
const INCREMENTS: usize = 5;

/// One client: `INCREMENTS` times, read the product's price and ETag, write the price plus one
/// with `If-Match`, and start again from the read on a 412. Returns how many 412s it met.
async fn increment(app: &TestApp, path: &str) -> usize {
    let mut refused = 0;
    let mut done = 0;
    while done < INCREMENTS {
        assert!(refused < 10_000, "no progress");
        let r = get(app, Api::CsCart, path).await;
        let price: f64 = r.body["price"].as_str().unwrap().parse().unwrap();
        let tag = etag(&r);
        let next = format!("{:.2}", price + 1.0);
        let w = send(
            app,
            Api::CsCart,
            Method::PUT,
            path,
            Some(json!({"price": next})),
            &[("if-match", &tag)],
        )
        .await;
        match w.status.as_u16() {
            200 => done += 1,
            412 => refused += 1,
            s => panic!("unexpected {s}: {}", w.body),
        }
    }
    refused
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_read_modify_write_clients_lose_no_update() {
    let app = spawn().await;
    let paths = product(&app).await;
    let clients = (0..CLIENTS).map(|_| increment(&app, &paths.cscart));
    futures::future::join_all(clients).await;
    let r = get(&app, Api::CsCart, &paths.cscart).await;
    let price: f64 = r.body["price"].as_str().unwrap().parse().unwrap();
    assert_eq!(price, (CLIENTS * INCREMENTS) as f64, "{}", r.body);
    // Every successful write made one version at least.
    let version = get(&app, Api::Pim, &paths.pim).await.body["version"].as_i64().unwrap();
    assert!(version > (CLIENTS * INCREMENTS) as i64, "version {version}");
}

/// A category made through the PIM; its paths in the PIM, Medusa and CS-Cart APIs.
async fn category(app: &TestApp) -> [(Api, String); 3] {
    let made = send(
        app,
        Api::Pim,
        Method::POST,
        "/api/v1/pim/categories",
        Some(json!({"name": "Jackets"})),
        &[],
    )
    .await
    .expect(201);
    assert_eq!(etag(&made), "\"1\"");
    assert_eq!(made.body["version"], 1);
    let id = made.body["id"].as_str().unwrap().to_owned();
    let medusa = get(app, Api::Medusa, "/admin/product-categories").await;
    let medusa_id = medusa.body["product_categories"][0]["id"].as_str().unwrap().to_owned();
    let cscart = get(app, Api::CsCart, "/api/categories").await;
    let number = cscart.body["categories"][0]["category_id"].as_str().unwrap().to_owned();
    [
        (Api::Pim, format!("/api/v1/pim/categories/{id}")),
        (Api::Medusa, format!("/admin/product-categories/{medusa_id}")),
        (Api::CsCart, format!("/api/categories/{number}")),
    ]
}

fn rename_category(api: Api, name: &str) -> (Method, Value) {
    match api {
        Api::Medusa => (Method::POST, json!({"name": name})),
        Api::CsCart => (Method::PUT, json!({"category": name})),
        _ => (Method::PUT, json!({"name": name})),
    }
}

#[tokio::test]
async fn categories_have_versions_in_every_api_that_serves_them() {
    let app = spawn().await;
    let paths = category(&app).await;
    for (api, path) in &paths {
        assert_eq!(etag(&get(&app, *api, path).await), "\"1\"", "{api:?}");
    }
    for (api, path) in &paths {
        let current = etag(&get(&app, *api, path).await);
        let (method, body) = rename_category(*api, "Lost");
        let r = send(&app, *api, method.clone(), path, Some(body), &[("if-match", "\"0\"")])
            .await
            .expect(412);
        assert_eq!(etag(&r), current, "{api:?}");
        let (method, body) = rename_category(*api, &format!("Coats {api:?}"));
        let r = send(&app, *api, method, path, Some(body), &[("if-match", &current)])
            .await
            .expect(200);
        assert_ne!(etag(&r), current, "{api:?}");
        assert_eq!(etag(&get(&app, *api, path).await), etag(&r), "{api:?}");
        send(&app, *api, Method::DELETE, path, None, &[("if-match", &current)])
            .await
            .expect(412);
    }
    let (_, pim) = &paths[0];
    assert_eq!(get(&app, Api::Pim, pim).await.body["name"], "Coats CsCart");
    let tag = etag(&get(&app, Api::Pim, pim).await);
    send(&app, Api::Pim, Method::DELETE, pim, None, &[("if-match", &tag)])
        .await
        .expect(204);
}

#[tokio::test]
async fn brands_have_versions_in_the_pim() {
    let app = spawn().await;
    let made = send(
        &app,
        Api::Pim,
        Method::POST,
        "/api/v1/pim/brands",
        Some(json!({"name": "Acme"})),
        &[],
    )
    .await
    .expect(201);
    assert_eq!((etag(&made).as_str(), &made.body["version"]), ("\"1\"", &json!(1)));
    let path = format!("/api/v1/pim/brands/{}", made.body["id"].as_str().unwrap());
    assert_eq!(etag(&get(&app, Api::Pim, &path).await), "\"1\"");
    let changed = send(
        &app,
        Api::Pim,
        Method::PUT,
        &path,
        Some(json!({"name": "Acme Co"})),
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(200);
    assert_eq!(
        (etag(&changed).as_str(), &changed.body["version"]),
        ("\"2\"", &json!(2))
    );
    let stale = send(
        &app,
        Api::Pim,
        Method::PUT,
        &path,
        Some(json!({"name": "Lost"})),
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(412);
    assert_eq!(
        (etag(&stale).as_str(), &stale.body["code"]),
        ("\"2\"", &json!("precondition_failed"))
    );
    send(&app, Api::Pim, Method::DELETE, &path, None, &[("if-match", "\"1\"")])
        .await
        .expect(412);
    send(&app, Api::Pim, Method::DELETE, &path, None, &[("if-match", "\"2\"")])
        .await
        .expect(204);
}

#[tokio::test]
async fn attributes_have_versions_in_the_pim_and_as_cscart_features() {
    let app = spawn().await;
    let made = send(
        &app,
        Api::Pim,
        Method::POST,
        "/api/v1/pim/attributes",
        Some(json!({"name": "Color"})),
        &[],
    )
    .await
    .expect(201);
    assert_eq!((etag(&made).as_str(), &made.body["version"]), ("\"1\"", &json!(1)));
    let pim = format!("/api/v1/pim/attributes/{}", made.body["id"].as_str().unwrap());
    let features = get(&app, Api::CsCart, "/api/features").await;
    let cscart = format!(
        "/api/features/{}",
        features.body["features"][0]["feature_id"].as_str().unwrap()
    );
    assert_eq!(etag(&get(&app, Api::CsCart, &cscart).await), "\"1\"");

    let changed = send(
        &app,
        Api::CsCart,
        Method::PUT,
        &cscart,
        Some(json!({"description": "Colour"})),
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(200);
    assert_eq!(etag(&changed), "\"2\"");
    let got = get(&app, Api::Pim, &pim).await;
    assert_eq!((etag(&got).as_str(), &got.body["name"]), ("\"2\"", &json!("Colour")));
    let stale = send(
        &app,
        Api::Pim,
        Method::PUT,
        &pim,
        Some(json!({"name": "Lost"})),
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(412);
    assert_eq!(etag(&stale), "\"2\"");
    let stale = send(
        &app,
        Api::CsCart,
        Method::DELETE,
        &cscart,
        None,
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(412);
    assert_eq!(etag(&stale), "\"2\"");
    send(&app, Api::Pim, Method::DELETE, &pim, None, &[("if-match", "\"2\"")])
        .await
        .expect(204);
}

#[tokio::test]
async fn templates_have_versions_in_the_pim() {
    let app = spawn().await;
    let made = send(
        &app,
        Api::Pim,
        Method::POST,
        "/api/v1/pim/templates",
        Some(json!({"name": "Shoes"})),
        &[],
    )
    .await
    .expect(201);
    assert_eq!((etag(&made).as_str(), &made.body["version"]), ("\"1\"", &json!(1)));
    let path = format!("/api/v1/pim/templates/{}", made.body["id"].as_str().unwrap());
    assert_eq!(etag(&get(&app, Api::Pim, &path).await), "\"1\"");
    let changed = send(
        &app,
        Api::Pim,
        Method::PUT,
        &path,
        Some(json!({"name": "Boots"})),
        &[("if-match", "*")],
    )
    .await
    .expect(200);
    assert_eq!(
        (etag(&changed).as_str(), &changed.body["version"]),
        ("\"2\"", &json!(2))
    );
    let stale = send(
        &app,
        Api::Pim,
        Method::PUT,
        &path,
        Some(json!({"name": "Lost"})),
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(412);
    assert_eq!(etag(&stale), "\"2\"");
    send(&app, Api::Pim, Method::DELETE, &path, None, &[("if-match", "\"1\"")])
        .await
        .expect(412);
    send(&app, Api::Pim, Method::DELETE, &path, None, &[("if-match", "\"2\"")])
        .await
        .expect(204);
}

#[tokio::test]
async fn options_have_versions_in_the_products_api_and_medusa() {
    let app = spawn().await;
    let made = app.option("Size", &["S", "M"]).await;
    assert_eq!(made["version"], 1);
    let products = format!("/api/v1/variant-options/{}", made["id"].as_str().unwrap());
    let listed = get(&app, Api::Medusa, "/admin/product-options").await;
    let medusa = format!(
        "/admin/product-options/{}",
        listed.body["product_options"][0]["id"].as_str().unwrap()
    );
    assert_eq!(etag(&get(&app, Api::Products, &products).await), "\"1\"");
    assert_eq!(etag(&get(&app, Api::Medusa, &medusa).await), "\"1\"");

    let changed = send(
        &app,
        Api::Medusa,
        Method::POST,
        &medusa,
        Some(json!({"values": ["S", "M", "L"]})),
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(200);
    assert_eq!(etag(&changed), "\"2\"");
    let stale = send(
        &app,
        Api::Products,
        Method::PUT,
        &products,
        Some(json!({"name": "Lost"})),
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(412);
    assert_eq!(
        (etag(&stale).as_str(), &stale.body["code"]),
        ("\"2\"", &json!("precondition_failed"))
    );
    let stale = send(
        &app,
        Api::Medusa,
        Method::DELETE,
        &medusa,
        None,
        &[("if-match", "\"1\"")],
    )
    .await
    .expect(412);
    assert_eq!(
        (etag(&stale).as_str(), &stale.body["type"]),
        ("\"2\"", &json!("conflict"))
    );
    let got = get(&app, Api::Products, &products).await;
    assert_eq!(
        (
            got.body["version"].clone(),
            got.body["values"].as_array().unwrap().len()
        ),
        (json!(2), 3)
    );
    send(
        &app,
        Api::Products,
        Method::DELETE,
        &products,
        None,
        &[("if-match", "\"2\"")],
    )
    .await
    .expect(204);
}

/// Writers of different fields of one product (or variant), without `If-Match`, lose nothing:
/// each write reads the row it rewrites locked (on PostgreSQL; SQLite has one writer), so the
/// last title written is the one read, however many descriptions land meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_of_different_fields_lose_no_update() {
    let app = std::sync::Arc::new(spawn().await);
    let p = app
        .product(json!({"name": "Jacket", "url": "https://shop.example.com/j",
                        "variants": [{"sku": "J-1", "price": "10.00"}]}))
        .await;
    let id = p["id"].as_str().unwrap().to_owned();
    let vid = p["variants"][0]["id"].as_str().unwrap().to_owned();
    let mut others = Vec::new();
    for w in 0..4 {
        let (app, id, vid) = (app.clone(), id.clone(), vid.clone());
        others.push(tokio::spawn(async move {
            for i in 0..10 {
                app.put(
                    &format!("/api/v1/products/{id}"),
                    json!({"description": format!("d{w}-{i}")}),
                )
                .await
                .expect(200);
                app.put(
                    &format!("/api/v1/products/{id}/variants/{vid}"),
                    json!({"inventoryQuantity": w * 100 + i}),
                )
                .await
                .expect(200);
            }
        }));
    }
    for i in 0..20 {
        let title = format!("t{i}");
        app.pim_put(&format!("/api/v1/pim/products/{id}"), json!({"title": title}))
            .await
            .expect(200);
        let price = format!("{}.00", 20 + i);
        app.put(
            &format!("/api/v1/products/{id}/variants/{vid}"),
            json!({"price": price}),
        )
        .await
        .expect(200);
        let read = app
            .get(&format!("/api/v1/products/{id}?include=variants"))
            .await
            .expect(200)
            .body;
        assert_eq!(read["name"], title.as_str(), "the title just written was lost");
        assert_eq!(
            read["variants"][0]["price"],
            price.as_str(),
            "the price just written was lost"
        );
    }
    for o in others {
        o.await.unwrap();
    }
    let read = app
        .get(&format!("/api/v1/products/{id}?include=variants"))
        .await
        .expect(200)
        .body;
    assert_eq!(read["name"], "t19");
    assert_eq!(read["variants"][0]["price"], "39.00");
}
