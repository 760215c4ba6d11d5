//! The Medusa admin API's export over HTTP: `POST /admin/products/export` with the list's
//! filters, run by the job engine, its feed notification, and the CSV it links to, in Medusa's
//! columns; another organization's key; refusals.

use crate::harness::{Resp, TestApp, spawn};
use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

fn basic(key: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:"))
    )
}

async fn as_key(app: &TestApp, key: &str, method: Method, path: &str, body: Option<Value>) -> Resp {
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.raw(method, path, None, body, &[("authorization", &basic(key))])
        .await
}

async fn medusa(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> Resp {
    as_key(app, &app.org.secret_key, method, path, body).await
}

async fn create(app: &TestApp, body: Value) -> Value {
    medusa(app, Method::POST, "/admin/products", Some(body))
        .await
        .expect(200)
        .body["product"]
        .clone()
}

fn shirt() -> Value {
    json!({
        "title": "Red Cotton Shirt",
        "subtitle": "Comfy",
        "status": "published",
        "images": [{"url": "https://example.com/1.png"}, {"url": "https://example.com/2.png"}],
        "external_id": "ext-1",
        "options": [{"title": "Size", "values": ["S", "M"]}],
        "variants": [
            {"title": "Small", "sku": "RCS-S", "options": {"Size": "S"},
             "prices": [{"currency_code": "usd", "amount": 10}, {"currency_code": "eur", "amount": 9.5}],
             "manage_inventory": false},
            {"title": "Medium", "sku": "RCS-M", "options": {"Size": "M"},
             "prices": [{"currency_code": "usd", "amount": 12}],
             "allow_backorder": true, "metadata": {"v": 1}}
        ]
    })
}

/// The rows of a CSV text, header first.
fn rows(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The cell of `column` in `row`.
fn cell<'a>(header: &[String], row: &'a [String], column: &str) -> &'a str {
    let at = header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column} in {header:?}"));
    &row[at]
}

#[tokio::test]
async fn an_export_of_a_filter_ends_in_the_feed_with_medusas_csv() {
    let app = spawn().await;
    let shirt = create(&app, shirt()).await;
    let mug = create(
        &app,
        json!({"title": "Mug", "status": "draft", "options": [{"title": "Default", "values": ["Default"]}],
               "variants": [{"title": "Default", "options": {"Default": "Default"}, "prices": [{"currency_code": "usd", "amount": 5}]}]}),
    )
    .await;
    // A published product without variants, which the filter also selects.
    let poster = create(
        &app,
        json!({"title": "Poster", "status": "published", "options": [{"title": "Default", "values": ["Default"]}]}),
    )
    .await;

    let before = medusa(
        &app,
        Method::GET,
        "/admin/notifications?channel=feed&order=-created_at",
        None,
    )
    .await;
    assert_eq!(
        before.expect(200).body,
        json!({"notifications": [], "count": 0, "offset": 0, "limit": 50})
    );

    let r = medusa(
        &app,
        Method::POST,
        "/admin/products/export?status%5B0%5D=published&limit=1&order=title&unknown=1",
        Some(json!({"ignored": true})),
    )
    .await;
    let r = r.expect(202);
    let tx = r.body["transaction_id"].as_str().unwrap().to_owned();
    assert!(tx.starts_with("auto-01"), "{tx}");
    assert_eq!(r.body.as_object().unwrap().len(), 1);

    // Until the job runs, there is no file.
    let early = medusa(&app, Method::GET, &format!("/admin/exports/{tx}/download"), None).await;
    assert_eq!(early.status, StatusCode::BAD_REQUEST, "{}", early.body);
    assert_eq!(early.body["type"], "not_allowed");

    assert_eq!(app.run_jobs().await, 1);

    let feed = medusa(
        &app,
        Method::GET,
        "/admin/notifications?channel=feed&order=-created_at",
        None,
    )
    .await
    .expect(200)
    .body;
    assert_eq!(feed["count"], 1);
    let n = &feed["notifications"][0];
    assert!(n["id"].as_str().unwrap().starts_with("noti_01"), "{n}");
    assert_eq!(n["to"], "");
    assert_eq!(n["channel"], "feed");
    assert_eq!(n["template"], "admin-ui");
    assert_eq!(n["data"]["title"], "Product export");
    assert_eq!(n["data"]["description"], "Product export completed successfully!");
    assert_eq!(n["data"]["file"]["mimeType"], "text/csv");
    assert!(n["data"]["file"]["filename"].as_str().unwrap().ends_with(".csv"), "{n}");
    for key in ["trigger_type", "resource_id", "resource_type", "receiver_id"] {
        assert_eq!(n[key], Value::Null, "{key}");
    }
    let url = n["data"]["file"]["url"].as_str().unwrap().to_owned();
    assert_eq!(url, format!("/admin/exports/{tx}/download"));

    let one = medusa(
        &app,
        Method::GET,
        &format!("/admin/notifications/{}", n["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(one.expect(200).body["notification"], *n);
    let none = medusa(
        &app,
        Method::GET,
        "/admin/notifications/noti_01M96P4FH56W3QDARP41GJM0S1",
        None,
    )
    .await;
    assert_eq!(none.expect(200).body, json!({}));
    let trimmed = medusa(&app, Method::GET, "/admin/notifications?fields=id,data", None).await;
    assert_eq!(
        trimmed.expect(200).body["notifications"][0].as_object().unwrap().len(),
        2,
        "fields cut a notification down"
    );

    let file = medusa(&app, Method::GET, &url, None).await;
    let file = file.expect(200);
    assert!(file.header("content-type").unwrap().starts_with("text/csv"));
    let text = file.body.as_str().unwrap().to_owned();
    let table = rows(&text);
    let header = &table[0];
    assert_eq!(
        &header[..5],
        [
            "Product Id",
            "Product Handle",
            "Product Title",
            "Product Subtitle",
            "Product Status"
        ]
    );
    for column in [
        "Product Image 1",
        "Product Image 2",
        "Variant Id",
        "Variant Sku",
        "Variant Price USD",
        "Variant Price EUR",
        "Variant Option 1 Id",
        "Variant Option 1 Name",
        "Variant Option 1 Value",
        "Variant Metadata.v",
    ] {
        assert!(header.iter().any(|h| h == column), "{column} in {header:?}");
    }
    // The published products only: the shirt's two variants, and the poster's one row.
    let body = &table[1..];
    assert_eq!(body.len(), 3, "{text}");
    let sid = shirt["id"].as_str().unwrap();
    let ids: Vec<&str> = body.iter().map(|r| cell(header, r, "Product Id")).collect();
    assert_eq!(ids, [sid, sid, poster["id"].as_str().unwrap()]);
    assert!(!text.contains(mug["id"].as_str().unwrap()), "a draft is not exported");
    let small = &body[0];
    assert_eq!(cell(header, small, "Product Handle"), "red-cotton-shirt");
    assert_eq!(cell(header, small, "Product Status"), "published");
    assert_eq!(cell(header, small, "Product External Id"), "ext-1");
    assert_eq!(cell(header, small, "Product Discountable"), "true");
    assert_eq!(cell(header, small, "Variant Sku"), "RCS-S");
    assert!(cell(header, small, "Variant Id").starts_with("variant_01"));
    assert_eq!(cell(header, small, "Variant Product Id"), sid);
    assert_eq!(cell(header, small, "Variant Price USD"), "10");
    assert_eq!(cell(header, small, "Variant Price EUR"), "9.5");
    assert_eq!(cell(header, small, "Variant Manage Inventory"), "false");
    assert_eq!(cell(header, small, "Variant Option 1 Name"), "Size");
    assert_eq!(cell(header, small, "Variant Option 1 Value"), "S");
    assert!(cell(header, small, "Variant Option 1 Id").starts_with("opt_01"));
    assert_eq!(cell(header, small, "Product Image 2"), "https://example.com/2.png");
    assert!(
        cell(header, small, "Product Created At").ends_with("GMT+0000 (Coordinated Universal Time)"),
        "dates as JavaScript writes them"
    );
    let medium = &body[1];
    assert_eq!(cell(header, medium, "Variant Price USD"), "12");
    assert_eq!(cell(header, medium, "Variant Price EUR"), "");
    assert_eq!(cell(header, medium, "Variant Allow Backorder"), "true");
    assert_eq!(cell(header, medium, "Variant Metadata"), r#"{"v":1}"#);
    assert_eq!(cell(header, medium, "Variant Metadata.v"), "1");
    let poster_row = &body[2];
    assert_eq!(cell(header, poster_row, "Product Title"), "Poster");
    assert_eq!(cell(header, poster_row, "Variant Id"), "");

    // Another organization's key sees neither the file nor the notification.
    let other = &app.other.secret_key;
    let theirs = as_key(&app, other, Method::GET, &url, None).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.body);
    assert_eq!(theirs.body["type"], "not_found");
    let feed = as_key(&app, other, Method::GET, "/admin/notifications", None).await;
    assert_eq!(feed.expect(200).body["count"], 0);
    let one = as_key(
        &app,
        other,
        Method::GET,
        &format!("/admin/notifications/{}", n["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(one.expect(200).body, json!({}));
}

#[tokio::test]
async fn an_export_without_a_filter_has_every_live_product() {
    let app = spawn().await;
    create(&app, shirt()).await;
    let gone = create(
        &app,
        json!({"title": "Gone", "options": [{"title": "Default", "values": ["Default"]}]}),
    )
    .await;
    medusa(
        &app,
        Method::DELETE,
        &format!("/admin/products/{}", gone["id"].as_str().unwrap()),
        None,
    )
    .await
    .expect(200);
    let tx = medusa(&app, Method::POST, "/admin/products/export", None)
        .await
        .expect(202)
        .body["transaction_id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.run_jobs().await;
    let text = medusa(&app, Method::GET, &format!("/admin/exports/{tx}/download"), None)
        .await
        .expect(200)
        .body
        .as_str()
        .unwrap()
        .to_owned();
    let table = rows(&text);
    assert_eq!(
        table.len(),
        3,
        "the shirt's two variants; a deleted product is left out: {text}"
    );

    // An export of nothing is a header alone.
    let tx = medusa(
        &app,
        Method::POST,
        "/admin/products/export?handle=nothing-by-this-name",
        None,
    )
    .await
    .expect(202)
    .body["transaction_id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.run_jobs().await;
    let text = medusa(&app, Method::GET, &format!("/admin/exports/{tx}/download"), None)
        .await
        .expect(200)
        .body
        .as_str()
        .unwrap()
        .to_owned();
    let table = rows(&text);
    assert_eq!(table.len(), 1);
    assert_eq!(table[0][0], "Product Id");
    assert!(table[0].iter().any(|h| h == "Variant Variant Rank"));

    // The feed lists both, newest first by default and oldest first when asked.
    let feed = medusa(&app, Method::GET, "/admin/notifications?limit=1", None)
        .await
        .expect(200)
        .body;
    assert_eq!((feed["count"].as_u64(), feed["limit"].as_u64()), (Some(2), Some(1)));
    let newest = feed["notifications"][0]["id"].clone();
    let oldest = medusa(&app, Method::GET, "/admin/notifications?order=created_at&limit=1", None)
        .await
        .expect(200)
        .body["notifications"][0]["id"]
        .clone();
    assert_ne!(newest, oldest);
    let by_id = medusa(
        &app,
        Method::GET,
        &format!("/admin/notifications?id={}", oldest.as_str().unwrap()),
        None,
    )
    .await
    .expect(200)
    .body;
    assert_eq!(by_id["count"], 1);
    assert_eq!(by_id["notifications"][0]["id"], oldest);
    let elsewhere = medusa(&app, Method::GET, "/admin/notifications?channel=email", None).await;
    assert_eq!(elsewhere.expect(200).body["count"], 0);
}

#[tokio::test]
async fn refusals_read_like_medusas() {
    let app = spawn().await;
    let r = medusa(&app, Method::POST, "/admin/products/export?status=nope", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.body["type"], "invalid_data");
    // A filter the list refuses is refused before a job is queued.
    let bad = "created_at[$gte]=yesterday";
    let r = medusa(&app, Method::POST, &format!("/admin/products/export?{bad}"), None).await;
    let list = medusa(&app, Method::GET, &format!("/admin/products?{bad}"), None).await;
    assert_eq!((r.status, &r.body), (list.status, &list.body));
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.run_jobs().await, 0);
    // A category the organization does not have selects nothing, as Medusa's list answers it.
    let cat = "category_id=pcat_01M96NXHTC7JJ6NFJZQ0XN1YY6";
    let list = medusa(&app, Method::GET, &format!("/admin/products?{cat}"), None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert_eq!(list.body["count"], 0);

    let r = medusa(&app, Method::GET, "/admin/notifications?zz=1", None).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.body,
        json!({"type": "invalid_data", "message": "Invalid request: Unrecognized fields: 'zz'"})
    );
    let r = medusa(&app, Method::GET, "/admin/exports/auto-nope/download", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body["message"], "Transaction auto-nope could not be found.");
    let r = app.call(Method::POST, "/admin/products/export", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.body, json!({"message": "Unauthorized"}));
    let r = app.call(Method::GET, "/admin/notifications", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}
