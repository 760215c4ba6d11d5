//! The Medusa admin API's product import over HTTP: uploads, `POST /admin/products/imports`
//! and its confirmation, the job that writes it, its feed notification; updates by id, SKU
//! and handle; the export's own CSV imported into another organization; refusals naming the
//! row; oversized and malformed uploads; another organization's key.

use crate::harness::{Resp, TestApp, spawn};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

fn basic(key: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:"))
    )
}

async fn send(app: &TestApp, key: &str, method: Method, path: &str, content_type: &str, body: Vec<u8>) -> Resp {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", content_type)
        .header("authorization", basic(key))
        .body(Body::from(body))
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into()));
    Resp { status, headers, body }
}

async fn as_key(app: &TestApp, key: &str, method: Method, path: &str, body: Option<Value>) -> Resp {
    let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
    send(app, key, method, path, "application/json", bytes).await
}

async fn medusa(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> Resp {
    as_key(app, &app.org.secret_key, method, path, body).await
}

const BOUNDARY: &str = "----pimento-test-boundary";

/// A multipart body with one file part per `(field, name, bytes)`.
fn multipart(parts: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (field, name, bytes) in parts {
        out.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n"
            )
            .as_bytes(),
        );
        out.extend_from_slice(bytes);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    out
}

fn form_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// Uploads a file as `key`, as the SDK does after asking for a presigned URL: its id.
async fn upload_as(app: &TestApp, key: &str, name: &str, csv: &str) -> String {
    let pre = as_key(
        app,
        key,
        Method::POST,
        "/admin/uploads/presigned-urls",
        Some(json!({"originalname": name, "mime_type": "text/csv", "size": csv.len()})),
    )
    .await
    .expect(200);
    assert_eq!(pre.body["url"], "/admin/uploads");
    assert_eq!(pre.body["extension"], "csv");
    assert_eq!(pre.body["originalname"], name);
    let r = send(
        app,
        key,
        Method::POST,
        "/admin/uploads",
        &form_type(),
        multipart(&[("files", name, csv.as_bytes())]),
    )
    .await
    .expect(200);
    let id = r.body["files"][0]["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("file_01"), "{}", r.body);
    id
}

async fn import_as(app: &TestApp, key: &str, file_key: &str) -> Resp {
    as_key(
        app,
        key,
        Method::POST,
        "/admin/products/imports",
        Some(json!({"file_key": file_key, "originalname": "products.csv", "extension": "csv", "size": 1, "mime_type": "text/csv"})),
    )
    .await
}

/// Uploads and previews a CSV: the import's answer.
async fn import(app: &TestApp, csv: &str) -> Resp {
    let key = app.org.secret_key.clone();
    let file = upload_as(app, &key, "products.csv", csv).await;
    import_as(app, &key, &file).await
}

/// Uploads, previews, confirms and runs an import as `key`: the preview's summary.
async fn import_all_as(app: &TestApp, key: &str, csv: &str) -> Value {
    let file = upload_as(app, key, "products.csv", csv).await;
    let r = import_as(app, key, &file).await.expect(202);
    let tx = r.body["transaction_id"].as_str().unwrap().to_owned();
    assert!(tx.starts_with("auto-01"), "{tx}");
    as_key(
        app,
        key,
        Method::POST,
        &format!("/admin/products/imports/{tx}/confirm"),
        Some(json!({})),
    )
    .await
    .expect(202);
    assert_eq!(app.run_jobs().await, 1);
    r.body["summary"].clone()
}

async fn products_as(app: &TestApp, key: &str) -> Vec<Value> {
    let r = as_key(
        app,
        key,
        Method::GET,
        "/admin/products?order=created_at&limit=100",
        None,
    )
    .await
    .expect(200);
    r.body["products"].as_array().unwrap().clone()
}

async fn by_handle(app: &TestApp, handle: &str) -> Value {
    let r = medusa(
        app,
        Method::GET,
        &format!("/admin/products?handle={handle}&fields=%2Btags"),
        None,
    )
    .await
    .expect(200);
    assert_eq!(r.body["count"], 1, "{}", r.body);
    r.body["products"][0].clone()
}

const TEES: &str = "Product Handle,Product Title,Product Status,Product Description,Product Tag 1,Product Image 1,Variant Title,Variant Sku,Variant Price USD,Variant Price EUR,Variant Option 1 Name,Variant Option 1 Value,Variant Manage Inventory,Variant Metadata.v\n\
basic-tee,Basic Tee,published,Soft cotton,summer,https://example.com/tee.png,Small,TEE-S,10,9.5,Size,S,false,1\n\
basic-tee,Basic Tee,published,Soft cotton,summer,https://example.com/tee.png,Medium,TEE-M,12,,Size,M,true,\n\
mug,Mug,,,,,Default,MUG-1,5,,Default,Default,,\n";

#[tokio::test]
async fn an_upload_imported_and_confirmed_creates_products_in_every_api() {
    let app = spawn().await;
    let file = upload_as(&app, &app.org.secret_key.clone(), "products.csv", TEES).await;
    let got = medusa(&app, Method::GET, &format!("/admin/uploads/{file}"), None)
        .await
        .expect(200);
    assert_eq!(got.body["file"]["id"], file.as_str());

    let r = import_as(&app, &app.org.secret_key.clone(), &file).await.expect(202);
    assert_eq!(r.body["summary"], json!({"toCreate": 2, "toUpdate": 0}));
    let tx = r.body["transaction_id"].as_str().unwrap().to_owned();
    // Nothing is written before the confirmation.
    assert!(products_as(&app, &app.org.secret_key.clone()).await.is_empty());
    assert_eq!(app.run_jobs().await, 0, "no job before the confirmation");

    let c = medusa(
        &app,
        Method::POST,
        &format!("/admin/products/imports/{tx}/confirm"),
        Some(json!({})),
    )
    .await;
    assert_eq!(c.expect(202).body, json!({}));
    // A second confirmation queues nothing more.
    medusa(
        &app,
        Method::POST,
        &format!("/admin/products/imports/{tx}/confirm"),
        None,
    )
    .await
    .expect(202);
    assert_eq!(app.run_jobs().await, 1);

    let tee = by_handle(&app, "basic-tee").await;
    assert_eq!(tee["title"], "Basic Tee");
    assert_eq!(tee["status"], "published");
    assert_eq!(tee["description"], "Soft cotton");
    assert_eq!(tee["images"][0]["url"], "https://example.com/tee.png");
    assert_eq!(tee["tags"][0]["value"], "summer");
    assert_eq!(tee["options"][0]["title"], "Size");
    let variants = tee["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    let small = variants.iter().find(|v| v["sku"] == "TEE-S").unwrap();
    assert_eq!(small["title"], "Small");
    assert_eq!(small["manage_inventory"], false);
    assert_eq!(small["metadata"], json!({"v": 1}));
    let mut prices: Vec<(String, f64)> = small["prices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["currency_code"].as_str().unwrap().to_owned(),
                p["amount"].as_f64().unwrap(),
            )
        })
        .collect();
    prices.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(prices, [("eur".to_owned(), 9.5), ("usd".to_owned(), 10.0)]);
    assert_eq!(small["options"][0]["value"], "S");
    let mug = by_handle(&app, "mug").await;
    assert_eq!(mug["status"], "draft", "Medusa's default status");

    // The Products API reads the same products.
    let uuid =
        uuid::Uuid::from(ulid::Ulid::from_string(tee["id"].as_str().unwrap().trim_start_matches("prod_")).unwrap());
    let v1 = app
        .get(&format!("/api/v1/products/{uuid}?include=variants"))
        .await
        .expect(200);
    assert_eq!(v1.body["name"], "Basic Tee");
    assert_eq!(v1.body["variants"].as_array().unwrap().len(), 2);

    // The feed says so, with Medusa's words.
    let feed = medusa(
        &app,
        Method::GET,
        "/admin/notifications?channel=feed&order=-created_at",
        None,
    )
    .await
    .expect(200);
    let n = &feed.body["notifications"][0];
    assert_eq!(n["data"]["title"], "Product import");
    assert_eq!(
        n["data"]["description"],
        "Product import of file products.csv completed successfully!"
    );
    assert!(n["data"].get("file").is_none(), "{n}");

    // The transaction and the upload are this organization's only.
    let other = app.other.secret_key.clone();
    let theirs = as_key(
        &app,
        &other,
        Method::POST,
        &format!("/admin/products/imports/{tx}/confirm"),
        None,
    )
    .await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.body);
    assert_eq!(theirs.body["type"], "not_found");
    let theirs = import_as(&app, &other, &file).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{}", theirs.body);
    assert_eq!(theirs.body["message"], format!("File with id: {file} not found"));
    let theirs = as_key(&app, &other, Method::GET, &format!("/admin/uploads/{file}"), None).await;
    assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    assert!(products_as(&app, &other).await.is_empty());
}

#[tokio::test]
async fn rows_with_a_product_id_update_it_by_variant_id_and_sku() {
    let app = spawn().await;
    let key = app.org.secret_key.clone();
    import_all_as(&app, &key, TEES).await;
    let tee = by_handle(&app, "basic-tee").await;
    let id = tee["id"].as_str().unwrap();
    let small = tee["variants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["sku"] == "TEE-S")
        .unwrap();
    let small_id = small["id"].as_str().unwrap();
    let csv = format!(
        "Product Id,Product Handle,Product Title,Variant Id,Variant Title,Variant Sku,Variant Price USD,Variant Option 1 Name,Variant Option 1 Value\n\
         {id},,Better Tee,{small_id},Small!,TEE-S2,11,Size,S\n\
         {id},,,,,TEE-M,13,Size,M\n\
         ,cap,Cap,,One,CAP-1,3,Size,One\n"
    );
    let summary = import_all_as(&app, &key, &csv).await;
    assert_eq!(summary, json!({"toCreate": 1, "toUpdate": 1}));
    let tee = by_handle(&app, "basic-tee").await;
    assert_eq!(tee["title"], "Better Tee");
    assert_eq!(tee["description"], "Soft cotton", "an absent cell leaves the field");
    assert_eq!(tee["tags"][0]["value"], "summer", "no tag column: tags stay");
    let variants = tee["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2, "{variants:?}");
    let small = variants.iter().find(|v| v["id"] == small_id).unwrap();
    assert_eq!(small["sku"], "TEE-S2");
    assert_eq!(small["title"], "Small!");
    let medium = variants.iter().find(|v| v["sku"] == "TEE-M").unwrap();
    assert_eq!(medium["title"], "Medium", "matched by SKU");
    assert_eq!(medium["prices"][0]["amount"], 13);
    // A new variant picks values the product's options have.
    let csv = format!(
        "Product Id,Variant Title,Variant Sku,Variant Price USD,Variant Option 1 Name,Variant Option 1 Value\n\
         {id},Large,TEE-L,14,Size,L\n"
    );
    let r = import(&app, &csv).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body["message"].as_str().unwrap().starts_with("Row 1: "), "{}", r.body);
    by_handle(&app, "cap").await;
}

#[tokio::test]
async fn an_export_imports_into_another_organization_unchanged() {
    let app = spawn().await;
    let key = app.org.secret_key.clone();
    import_all_as(&app, &key, TEES).await;
    // A filtered export: the published products only.
    let r = medusa(
        &app,
        Method::POST,
        "/admin/products/export?status%5B0%5D=published",
        Some(json!({})),
    )
    .await
    .expect(202);
    let tx = r.body["transaction_id"].as_str().unwrap().to_owned();
    assert_eq!(app.run_jobs().await, 1);
    let csv = medusa(&app, Method::GET, &format!("/admin/exports/{tx}/download"), None)
        .await
        .expect(200)
        .body
        .as_str()
        .unwrap()
        .to_owned();

    let other = app.other.secret_key.clone();
    let summary = import_all_as(&app, &other, &csv).await;
    assert_eq!(summary, json!({"toCreate": 1, "toUpdate": 0}));
    let mine = by_handle(&app, "basic-tee").await;
    let theirs = products_as(&app, &other).await;
    assert_eq!(theirs.len(), 1, "the draft was not exported");
    let theirs = &theirs[0];
    assert_ne!(theirs["id"], mine["id"]);
    let shape = |p: &Value| {
        let mut variants: Vec<Value> = p["variants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let mut prices: Vec<Value> = v["prices"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| json!([p["currency_code"], p["amount"]]))
                    .collect();
                prices.sort_by_key(ToString::to_string);
                let options: Vec<Value> = v["options"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|o| json!([o["option"]["title"], o["value"]]))
                    .collect();
                json!({"title": v["title"], "sku": v["sku"], "prices": prices, "options": options,
                       "manage_inventory": v["manage_inventory"], "metadata": v["metadata"]})
            })
            .collect();
        variants.sort_by_key(|v| v["sku"].to_string());
        let options: Vec<Value> = p["options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                let mut values: Vec<Value> = o["values"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| v["value"].clone())
                    .collect();
                values.sort_by_key(ToString::to_string);
                json!([o["title"], values])
            })
            .collect();
        let tags: Vec<Value> = p["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["value"].clone())
            .collect();
        let images: Vec<Value> = p["images"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["url"].clone())
            .collect();
        json!({"handle": p["handle"], "title": p["title"], "status": p["status"], "description": p["description"],
               "variants": variants, "options": options, "tags": tags, "images": images})
    };
    assert_eq!(shape(theirs), shape(&mine));
}

/// The message of a refused import of `csv`.
async fn refusal(app: &TestApp, csv: &str) -> (u16, Value) {
    let r = import(app, csv).await;
    (r.status.as_u16(), r.body)
}

#[tokio::test]
async fn refusals_name_the_row_and_write_nothing() {
    let app = spawn().await;
    let key = app.org.secret_key.clone();
    import_all_as(&app, &key, TEES).await;
    let before = products_as(&app, &key).await.len();
    let cases: &[(&str, u16, &str, &str)] = &[
        (
            "Product Handle,Colour\nx,red\n",
            400,
            "invalid_data",
            "Invalid column name(s) \"colour\"",
        ),
        (
            "Product Handle,Product Title\nhat,Hat\n,Nameless\n",
            400,
            "invalid_data",
            "Row 2: Missing product id and handle. One of these columns are required to process the row",
        ),
        (
            "Product Handle,Product Title,Variant Title,Variant Price USD,Variant Option 1 Name,Variant Option 1 Value\nhat,Hat,One,123456789012345.67,Size,One\n",
            400,
            "invalid_data",
            "Row 1: Invalid value provided for \"variant price usd\": \"123456789012345.67\" has more than 15 significant digits",
        ),
        (
            "Product Handle,Product Title,Variant Title,Variant Price USD,Variant Option 1 Name,Variant Option 1 Value\nhat,Hat,One,ten,Size,One\n",
            400,
            "invalid_data",
            "Row 1: Invalid value provided for \"variant price usd\". Expected value to be a number, received \"ten\"",
        ),
        (
            "Product Handle,Variant Title\nhat,One\n",
            400,
            "invalid_data",
            "Row 1: \"Product Title\" is required to create a product",
        ),
        (
            "Product Handle,Product Title,Variant Title,Variant Option 1 Name\nhat,Hat,One,Size\n",
            400,
            "invalid_data",
            "Row 1: Missing option value for \"variant option 1 name\"",
        ),
        (
            "Product Handle,Product Title,Product Status\nhat,Hat,gone\n",
            400,
            "invalid_data",
            "Row 1: Invalid value provided for \"product status\". Expected one of draft, proposed, published, rejected, received \"gone\"",
        ),
        (
            "Product Handle,Product Title,Product Metadata\nhat,Hat,{nope\n",
            400,
            "invalid_data",
            "Row 1: Invalid value provided for \"product metadata\". Expected a valid JSON string, received \"{nope\"",
        ),
        (
            "Product Handle,Product Title\nhat,Hat,extra\n",
            400,
            "invalid_data",
            "Row 1: the row could not be read: it has 3 cells where the header has 2",
        ),
        ("", 400, "invalid_data", "The file is empty: it has no header row"),
        (
            // The second product takes a handle the catalog has: the first is not written either.
            "Product Handle,Product Title,Variant Title,Variant Sku,Variant Price USD,Variant Option 1 Name,Variant Option 1 Value\n\
             hat,Hat,One,HAT-1,3,Size,One\n\
             basic-tee,Another Tee,One,TEE-X,3,Size,One\n",
            400,
            "invalid_data",
            "Row 2: Product with handle: basic-tee, already exists.",
        ),
        (
            "Product Handle,Product Title,Variant Title,Variant Sku,Variant Price USD,Variant Option 1 Name,Variant Option 1 Value\n\
             hat,Hat,One,HAT-1,3,Size,One\n\
             hat,Hat,Two,TEE-S,3,Size,Two\n",
            400,
            "invalid_data",
            "Row 2: Product variant with sku: TEE-S, already exists.",
        ),
    ];
    for (csv, status, kind, message) in cases {
        let (s, body) = refusal(&app, csv).await;
        assert_eq!(
            (s, body["type"].as_str().unwrap_or_default()),
            (*status, *kind),
            "{csv}: {body}"
        );
        assert_eq!(body["message"], *message, "{csv}");
    }
    // A Variant Id of another product.
    let tee = by_handle(&app, "basic-tee").await;
    let mug = by_handle(&app, "mug").await;
    let csv = format!(
        "Product Id,Variant Id,Variant Title\n{},{},X\n",
        tee["id"].as_str().unwrap(),
        mug["variants"][0]["id"].as_str().unwrap()
    );
    let (s, body) = refusal(&app, &csv).await;
    assert_eq!(s, 400, "{body}");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Row 1: Variant with id variant_"),
        "{body}"
    );
    assert_eq!(products_as(&app, &key).await.len(), before);

    // The body of the import itself.
    let r = medusa(
        &app,
        Method::POST,
        "/admin/products/imports",
        Some(json!({"originalname": "x.csv"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.body["message"], "Invalid request: Field 'file_key' is required");
    let r = import_as(&app, &key, "file_01M96P4FH56W3QDARP41GJM0S1").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    let r = medusa(
        &app,
        Method::POST,
        "/admin/products/imports/auto-01M96P4FH56W3QDARP41GJM0S1/confirm",
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    assert_eq!(
        r.body["message"],
        "Transaction auto-01M96P4FH56W3QDARP41GJM0S1 could not be found."
    );
    let r = medusa(
        &app,
        Method::POST,
        "/admin/uploads/presigned-urls",
        Some(json!({"originalname": "x.csv", "mime_type": "csv", "size": 1})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body["message"], "Invalid file type \"csv\"");
    assert_eq!(app.run_jobs().await, 0);
}

#[tokio::test]
async fn uploads_refused_leave_no_file_behind() {
    let app = spawn().await;
    let key = app.org.secret_key.clone();
    // No files field.
    let r = send(
        &app,
        &key,
        Method::POST,
        "/admin/uploads",
        &form_type(),
        multipart(&[("other", "a.csv", b"x")]),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(
        r.body,
        json!({"type": "invalid_data", "message": "No files were uploaded"})
    );
    // Not multipart at all.
    let r = send(
        &app,
        &key,
        Method::POST,
        "/admin/uploads",
        "application/json",
        b"{}".to_vec(),
    )
    .await;
    assert_eq!(r.body["message"], "No files were uploaded");
    // A body cut short.
    let mut cut = multipart(&[("files", "a.csv", b"Product Handle\nx\n")]);
    cut.truncate(cut.len() - 10);
    let r = send(&app, &key, Method::POST, "/admin/uploads", &form_type(), cut).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    // Larger than the limit.
    let big = vec![b'a'; 33 * 1024 * 1024];
    let r = send(
        &app,
        &key,
        Method::POST,
        "/admin/uploads",
        &form_type(),
        multipart(&[("files", "big.csv", &big)]),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert_eq!(r.body["type"], "invalid_data");
    // The legacy route: no file.
    let r = send(
        &app,
        &key,
        Method::POST,
        "/admin/products/import",
        &form_type(),
        multipart(&[("files", "a.csv", b"x")]),
    )
    .await;
    assert_eq!(r.body["message"], "No file was uploaded for importing");
    // Nothing was kept of any of them.
    let left: Vec<_> = walk(&app.files);
    assert!(left.is_empty(), "files left behind: {left:?}");
    // A publishable key uploads nothing.
    let pk = app.org.publishable_key.clone();
    let r = send(
        &app,
        &pk,
        Method::POST,
        "/admin/uploads",
        &form_type(),
        multipart(&[("files", "a.csv", b"x")]),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    let file = upload_as(&app, &key, "a.csv", "Product Handle\nx\n").await;
    let r = as_key(&app, &pk, Method::GET, &format!("/admin/uploads/{file}"), None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    let r = import_as(&app, &pk, &file).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[tokio::test]
async fn the_older_import_route_takes_the_file_itself() {
    let app = spawn().await;
    let key = app.org.secret_key.clone();
    let r = send(
        &app,
        &key,
        Method::POST,
        "/admin/products/import",
        &form_type(),
        multipart(&[("file", "tees.csv", TEES.as_bytes())]),
    )
    .await
    .expect(202);
    assert_eq!(r.body["summary"], json!({"toCreate": 2, "toUpdate": 0}));
    let tx = r.body["transaction_id"].as_str().unwrap().to_owned();
    medusa(
        &app,
        Method::POST,
        &format!("/admin/products/import/{tx}/confirm"),
        None,
    )
    .await
    .expect(202);
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(products_as(&app, &key).await.len(), 2);
    let feed = medusa(&app, Method::GET, "/admin/notifications", None)
        .await
        .expect(200);
    assert_eq!(
        feed.body["notifications"][0]["data"]["description"],
        "Product import of file tees.csv completed successfully!"
    );
}

#[tokio::test]
async fn an_import_the_catalog_refuses_by_the_time_it_runs_fails_whole() {
    let app = spawn().await;
    let key = app.org.secret_key.clone();
    let file = upload_as(&app, &key, "late.csv", TEES).await;
    let tx = import_as(&app, &key, &file).await.expect(202).body["transaction_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Between the preview and the confirmation, another product takes a SKU of the file.
    medusa(
        &app,
        Method::POST,
        "/admin/products",
        Some(json!({"title": "Rival", "options": [{"title": "Size", "values": ["S"]}],
                    "variants": [{"title": "S", "sku": "MUG-1", "options": {"Size": "S"}, "prices": [{"currency_code": "usd", "amount": 1}]}]})),
    )
    .await
    .expect(200);
    medusa(
        &app,
        Method::POST,
        &format!("/admin/products/imports/{tx}/confirm"),
        None,
    )
    .await
    .expect(202);
    assert_eq!(app.run_jobs().await, 1);
    assert_eq!(
        products_as(&app, &key).await.len(),
        1,
        "nothing of the file was written"
    );
    let feed = medusa(&app, Method::GET, "/admin/notifications", None)
        .await
        .expect(200);
    let n = &feed.body["notifications"][0];
    assert_eq!(n["data"]["description"], "Failed to import products from file late.csv");
    assert_eq!(
        n["data"]["error"],
        "Row 3: Product variant with sku: MUG-1, already exists."
    );
}
