//! Background jobs through the PIM API: export, import, bulk jobs, cancel, notifications, and
//! a worker that dies mid-job.

use crate::harness::{TestApp, id_of, spawn};
use axum::http::Method;
use serde_json::{Value, json};
use std::time::Duration;

const CSV: &str = "handle,title,description,status,category,brand,attributes,external_source,external_id,media,sku,price,currency,inventory_quantity,option1_name,option1_value,option2_name,option2_value,variant_media,template\n\
tee,Classic Tee,\"Soft, heavy cotton\",active,Apparel > Tops,Acme,\"{\"\"color\"\":\"\"Red\"\",\"\"weight\"\":1.5}\",shopify,42,https://cdn.example/tee.jpg,TEE-S-RED,19.99,USD,5,Size,S,Color,Red,https://cdn.example/tee-s.jpg,Garment\n\
tee,,,,,,,,,,TEE-M-RED,21.00,USD,3,Size,M,Color,Red,,\n\
cap,Cap,,draft,Apparel,,,,,,CAP-1,9.50,EUR,0,,,,,,\n";

/// Waits for nothing: runs the queue, then reads the job.
async fn finish(app: &TestApp, job: &Value) -> Value {
    app.run_jobs().await;
    app.pim_get(&format!("/api/v1/pim/jobs/{}", id_of(job)))
        .await
        .expect(200)
        .body
}

async fn import(app: &TestApp, body: &str, query: &str) -> Value {
    let r = app
        .pim_upload(&format!("/api/v1/pim/imports?{query}"), body.as_bytes().to_vec())
        .await
        .expect(202);
    assert_eq!(r.body["status"], "QUEUED");
    assert_eq!(r.body["type"], "IMPORT");
    finish(app, &r.body).await
}

async fn export(app: &TestApp, org: &pimento_store::orgs::CreatedOrganization, format: &str) -> (Value, String) {
    let r = app
        .pim_as(org, Method::POST, "/api/v1/pim/export", Some(json!({"format": format})))
        .await
        .expect(202);
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/pim/jobs/{}", id_of(&r.body)).as_str())
    );
    app.run_jobs().await;
    let path = format!("/api/v1/pim/jobs/{}", id_of(&r.body));
    let job = app.pim_as(org, Method::GET, &path, None).await.expect(200).body;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    let url = job["download_url"].as_str().unwrap().to_owned();
    let file = app.pim_as(org, Method::GET, &url, None).await.expect(200);
    let text = match &file.body {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    (job, text)
}

/// The NDJSON documents without the ids of the organization they came from.
fn documents(ndjson: &str) -> Vec<Value> {
    ndjson
        .lines()
        .map(|l| {
            let mut d: Value = serde_json::from_str(l).unwrap();
            d.as_object_mut().unwrap().remove("id");
            for v in d["variants"].as_array_mut().unwrap() {
                v.as_object_mut().unwrap().remove("id");
            }
            d
        })
        .collect()
}

#[tokio::test]
async fn import_then_export_gives_back_the_same_catalog_in_another_organization() {
    let app = spawn().await;
    let job = import(&app, CSV, "filename=catalog.csv").await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(job["summary"]["created"], 2);
    assert_eq!(job["progress"]["processed"], 2);

    // Filed, typed and optioned as the file says, readable through both APIs.
    let products = app.pim_get("/api/v1/pim/products").await.expect(200).body;
    let tee = products
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "Classic Tee")
        .unwrap();
    assert_eq!(tee["attributes"]["color"], "Red");
    let templates = app.pim_get("/api/v1/pim/templates").await.expect(200).body;
    let garment = templates
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Garment")
        .expect("the template the file names is created");
    assert_eq!(tee["template_id"], garment["id"]);
    let v1 = app
        .get(&format!("/api/v1/products/{}?include=variants", id_of(tee)))
        .await
        .expect(200);
    assert_eq!(v1.body["variants"].as_array().unwrap().len(), 2);

    let (job, csv) = export(&app, &app.org, "csv").await;
    assert_eq!(job["progress"]["total"], 2);
    assert_eq!(csv.lines().count(), 4, "a header and a row per variant:\n{csv}");
    assert!(csv.lines().next().unwrap().starts_with("product_id,handle,title"));
    let (_, ours) = export(&app, &app.org, "ndjson").await;
    assert!(csv.lines().nth(1).unwrap().contains(",Garment,"), "{csv}");
    assert_eq!(documents(&ours)[0]["template"], "Garment", "{ours}");

    // The CSV export, imported into an empty organization, exports the same documents.
    let other = &app.other;
    let tenant = other.tenant_id.to_string();
    let org_id = other.organization_id.to_string();
    let up = app
        .raw(
            Method::POST,
            "/api/v1/pim/imports?format=csv",
            Some(&other.secret_key),
            axum::body::Body::from(csv.clone()),
            &[("x-tenant-id", &tenant), ("x-org-id", &org_id)],
        )
        .await
        .expect(202);
    app.run_jobs().await;
    let done = app
        .pim_as(
            other,
            Method::GET,
            &format!("/api/v1/pim/jobs/{}", id_of(&up.body)),
            None,
        )
        .await
        .body;
    assert_eq!(done["summary"]["created"], 2, "{done}");
    let (_, theirs) = export(&app, other, "ndjson").await;
    assert_eq!(documents(&ours), documents(&theirs));

    // Notifications tell of each finished job, with the download for exports.
    let notes = app.pim_get("/api/v1/pim/notifications").await.expect(200).body;
    assert!(notes.as_array().unwrap().len() >= 3);
    assert!(notes[0]["download_url"].as_str().unwrap().ends_with("/download"));
    assert_eq!(notes[0]["kind"], "job.succeeded");
}

#[tokio::test]
async fn imports_report_bad_rows_and_change_nothing_twice() {
    let app = spawn().await;
    let bad =
        format!("{CSV}bad,Bad price,,active,,,,,,,BAD-1,12.345,USD,0,,,,,\nworse,Worse,,nonsense,,,,,,,,,,,,,,,\n");
    let dry = import(&app, &bad, "format=csv&dry_run=true").await;
    assert_eq!(dry["status"], "SUCCEEDED");
    assert_eq!(dry["summary"]["created"], 2, "{dry}");
    assert_eq!(dry["summary"]["failed"], 2);
    let stats = app.pim_get("/api/v1/pim/stats").await.expect(200).body;
    assert_eq!(stats["products"], 0, "a dry run writes nothing: {stats}");
    assert_eq!(stats["categories"], 0);

    let job = import(&app, &bad, "format=csv").await;
    assert_eq!(job["summary"]["created"], 2);
    assert_eq!(job["progress"]["failed"], 2);
    let errors = app
        .pim_get(&format!("/api/v1/pim/jobs/{}/errors", id_of(&job)))
        .await
        .expect(200)
        .body;
    assert_eq!(errors[0]["line"], 5, "{errors}");
    assert_eq!(errors[0]["field"], "variants[0].price");
    assert_eq!(errors[1]["line"], 6);
    assert_eq!(errors[1]["field"], "status");

    let again = import(&app, CSV, "format=csv").await;
    assert_eq!(again["summary"]["unchanged"], 2, "{again}");
    assert_eq!(again["summary"]["updated"], 0);

    // A changed price updates the product found by SKU.
    let changed = CSV.replace("19.99", "18.00");
    let third = import(&app, &changed, "format=csv").await;
    assert_eq!(third["summary"]["updated"], 1, "{third}");
    assert_eq!(third["summary"]["unchanged"], 1);

    // NDJSON: one document per line; a broken line is reported and the rest go in.
    let nd = "{\"handle\":\"mug\",\"title\":\"Mug\",\"variants\":[{\"sku\":\"MUG-1\",\"price\":\"7.00\"}]}\n{oops\n";
    let job = import(&app, nd, "filename=more.ndjson").await;
    assert_eq!(job["summary"]["created"], 1, "{job}");
    assert_eq!(job["summary"]["failed"], 1);
}

#[tokio::test]
async fn one_chunk_creates_together_and_refuses_alone() {
    let app = spawn().await;
    let nd = [
        // Created, then updated by a later line of the same chunk naming its handle.
        r#"{"handle":"a","title":"A","options":["Size"],"variants":[{"sku":"A-S","price":"5.00","options":["S"]}]}"#,
        // Refused in the batch: two variants pick the same combination.
        r#"{"handle":"b","title":"B","options":["Size"],"variants":[{"sku":"B-S","options":["S"]},{"sku":"B-S2","options":["s"]}]}"#,
        // Two new products claim one variant sync source: the first keeps it.
        r#"{"handle":"c","title":"C","variants":[{"sku":"C-1","external":{"source":"erp","id":"v1"}}]}"#,
        r#"{"handle":"d","title":"D","variants":[{"sku":"D-1","external":{"source":"erp","id":"v1"}}]}"#,
        r#"{"handle":"a","title":"A renamed","options":["Size"],"variants":[{"sku":"A-S","price":"6.00","options":["S"]}]}"#,
        r#"{"handle":"e","title":"E","brand":"Northwind","variants":[{"sku":"E-1","price":"1.00"}]}"#,
        // A value the option lacks is added to it, and the change is in the audit log.
        r#"{"handle":"f","title":"F","options":["size"],"variants":[{"sku":"F-XL","options":["XL"]}]}"#,
    ]
    .join("\n");
    let job = import(&app, &nd, "format=ndjson").await;
    assert_eq!(job["status"], "SUCCEEDED", "{job}");
    assert_eq!(job["summary"]["created"], 4, "{job}");
    assert_eq!(job["summary"]["updated"], 1, "{job}");
    assert_eq!(job["summary"]["failed"], 2, "{job}");
    let errors = app
        .pim_get(&format!("/api/v1/pim/jobs/{}/errors", id_of(&job)))
        .await
        .expect(200)
        .body;
    assert_eq!(errors[0]["line"], 2, "{errors}");
    assert_eq!(errors[0]["field"], "variants[1].options");
    assert_eq!(errors[1]["line"], 4, "{errors}");
    assert_eq!(errors[1]["field"], "variants[0].external");

    let stats = app.pim_get("/api/v1/pim/stats").await.expect(200).body;
    assert_eq!(stats["products"], 4, "refused products leave nothing: {stats}");
    assert_eq!(stats["variants"], 4, "{stats}");
    let events = app
        .pim_get("/api/v1/pim/audit?entity_type=variant_option&action=update")
        .await
        .expect(200)
        .body;
    let values = &events[0]["changes"]["values"];
    assert_eq!(values, &json!({"before": ["S"], "after": ["S", "XL"]}), "{events}");
    let (_, text) = export(&app, &app.org, "ndjson").await;
    let docs = documents(&text);
    let a = docs.iter().find(|d| d["handle"] == "a").unwrap();
    assert_eq!(a["title"], "A renamed");
    assert_eq!(a["variants"][0]["price"], "6.00");
    let c = docs.iter().find(|d| d["handle"] == "c").unwrap();
    assert_eq!(c["variants"][0]["external"], json!({"source": "erp", "id": "v1"}));
    assert_eq!(docs.iter().find(|d| d["handle"] == "e").unwrap()["brand"], "Northwind");
    assert!(docs.iter().all(|d| d["handle"] != "b" && d["handle"] != "d"));
}

#[tokio::test]
async fn lines_that_name_each_other_apply_in_file_order() {
    let app = spawn().await;
    let nd = [
        r#"{"handle":"g","title":"G","variants":[{"sku":"G-1"}]}"#,
        // Names the first by handle and adds a SKU...
        r#"{"handle":"g","title":"G","variants":[{"sku":"G-1"},{"sku":"G-2"}]}"#,
        // ...which this line names: it must see the line before it applied.
        r#"{"handle":"h","title":"H","variants":[{"sku":"G-2"}]}"#,
    ]
    .join("\n");
    let job = import(&app, &nd, "format=ndjson").await;
    assert_eq!(job["summary"]["created"], 1, "{job}");
    assert_eq!(job["summary"]["updated"], 2, "{job}");
    assert_eq!(job["summary"]["failed"], 0, "{job}");
    let (_, text) = export(&app, &app.org, "ndjson").await;
    let docs = documents(&text);
    assert_eq!(docs.len(), 1, "{docs:?}");
    assert_eq!(docs[0]["handle"], "h");
    assert_eq!(docs[0]["variants"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn bad_files_and_requests_are_refused_clearly() {
    let app = spawn().await;
    let job = import(&app, "handle,name\nx,y\n", "format=csv").await;
    assert_eq!(job["status"], "FAILED");
    assert_eq!(job["error"], "header[1]: unknown column 'name'");
    app.pim_upload("/api/v1/pim/imports?format=csv", Vec::new())
        .await
        .expect_error(400, "body");
    app.pim_upload("/api/v1/pim/imports", b"a,b\n".to_vec())
        .await
        .expect_error(400, "format");
    app.pim_post("/api/v1/pim/export", json!({"format": "xml"}))
        .await
        .expect_error(400, "format");
    app.pim_post("/api/v1/pim/bulk-jobs", json!({"type": "EXPORT", "payload": {}}))
        .await
        .expect_error(400, "type");
    app.pim_post(
        "/api/v1/pim/bulk-jobs",
        json!({"type": "BULK_UPDATE", "payload": {"filter": {"status": "gone"}, "set": {"status": "draft"}}}),
    )
    .await
    .expect_error(400, "payload.filter.status");
    app.pim_post(
        "/api/v1/pim/bulk-jobs",
        json!({"type": "BULK_UPDATE", "payload": {"filter": {}}}),
    )
    .await
    .expect_error(400, "payload");
    app.pim_get("/api/v1/pim/jobs?status=done")
        .await
        .expect_error(400, "status");
}

#[tokio::test]
async fn bulk_jobs_change_and_delete_the_selected_products() {
    let app = spawn().await;
    import(&app, CSV, "format=csv").await;
    let update = app
        .pim_post(
            "/api/v1/pim/bulk-jobs",
            json!({"type": "BULK_UPDATE", "payload": {
                "filter": {"price_min": "19.00", "currency": "USD"},
                "set": {"status": "DRAFT", "attributes": {"color": "Blue"}},
                "price": {"adjust_percent": 10}
            }}),
        )
        .await
        .expect(202);
    let done = finish(&app, &update.body).await;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert_eq!(
        done["summary"]["updated"], 1,
        "only the tee has a USD price of 19 or more: {done}"
    );
    let (_, nd) = export(&app, &app.org, "ndjson").await;
    let docs = documents(&nd);
    let tee = docs.iter().find(|d| d["handle"] == "tee").unwrap();
    assert_eq!(tee["status"], "draft");
    assert_eq!(tee["attributes"]["color"], "Blue");
    assert_eq!(tee["category"], json!(["Apparel", "Tops"]));
    assert_eq!(tee["brand"], "Acme");
    assert_eq!(tee["variants"][0]["price"], "21.99");
    assert_eq!(tee["variants"][1]["price"], "23.10");
    let cap = docs.iter().find(|d| d["handle"] == "cap").unwrap();
    assert_eq!(cap["variants"][0]["price"], "9.50");

    // A product whose change is refused keeps its prices: nothing half-applied.
    let refused = app
        .pim_post(
            "/api/v1/pim/bulk-jobs",
            json!({"type": "BULK_UPDATE", "payload": {
                "filter": {}, "set": {"attributes": {"weight": "heavy"}}, "price": {"set": "1.00"}
            }}),
        )
        .await
        .expect(202);
    let done = finish(&app, &refused.body).await;
    assert_eq!(done["summary"]["failed"], 2, "{done}");
    let errors = app
        .pim_get(&format!("/api/v1/pim/jobs/{}/errors", id_of(&refused.body)))
        .await
        .body;
    assert_eq!(errors[0]["field"], "payload.set.attributes.weight", "{errors}");
    let (_, nd) = export(&app, &app.org, "ndjson").await;
    assert!(!nd.contains("\"1.00\""), "{nd}");

    // Listed under its type; BULK_UPDATE is the default.
    let listed = app.pim_get("/api/v1/pim/bulk-jobs").await.expect(200).body;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(
        app.pim_get("/api/v1/pim/bulk-jobs?type=BULK_DELETE")
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );

    let products = app.pim_get("/api/v1/pim/products").await.body;
    let cap_id = products
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == "Cap")
        .map(id_of)
        .unwrap();
    let missing = uuid::Uuid::now_v7().to_string();
    let delete = app
        .pim_post(
            "/api/v1/pim/bulk-jobs",
            json!({"type": "BULK_DELETE", "payload": {"product_ids": [cap_id, missing]}}),
        )
        .await
        .expect(202);
    let done = finish(&app, &delete.body).await;
    assert_eq!(done["summary"]["deleted"], 1, "{done}");
    assert_eq!(done["summary"]["failed"], 1);
    app.pim_get(&format!("/api/v1/pim/products/{cap_id}")).await.expect(404);
}

#[tokio::test]
async fn jobs_are_canceled_and_private_to_their_organization() {
    let app = spawn().await;
    let queued = app.pim_post("/api/v1/pim/export", json!({})).await.expect(202).body;
    let path = format!("/api/v1/pim/jobs/{}", id_of(&queued));
    // Another organization's key sees nothing of it.
    for (method, p) in [
        (Method::GET, path.clone()),
        (Method::POST, format!("{path}/cancel")),
        (Method::GET, format!("{path}/download")),
        (Method::GET, format!("{path}/errors")),
    ] {
        app.pim_as(&app.other, method, &p, None).await.expect(404);
    }
    assert!(
        app.pim_as(&app.other, Method::GET, "/api/v1/pim/jobs", None)
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
    app.pim_get(&format!("{path}/download")).await.expect(409);

    let canceled = app
        .pim(Method::POST, &format!("{path}/cancel"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(canceled["status"], "CANCELED");
    assert_eq!(app.run_jobs().await, 0, "a canceled job is never claimed");
    app.pim(Method::POST, &format!("{path}/cancel"), None).await.expect(409);
    let notes = app.pim_get("/api/v1/pim/notifications").await.body;
    assert_eq!(notes[0]["kind"], "job.canceled");
    let all = app
        .pim_get("/api/v1/pim/jobs?type=EXPORT&status=CANCELED")
        .await
        .expect(200)
        .body;
    assert_eq!(all.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_job_whose_worker_died_completes_exactly_once() {
    let app = spawn().await;
    app.store.seed(app.org.organization_id, 2500, |_| {}).await.unwrap();
    let prices_before = price_total(&app).await;
    let job = app
        .pim_post(
            "/api/v1/pim/bulk-jobs",
            json!({"type": "BULK_UPDATE", "payload": {"filter": {}, "price": {"adjust_percent": 100}}}),
        )
        .await
        .expect(202)
        .body;

    // Worker A claims the job, commits one chunk of 1,000 products, and dies: its lease runs out.
    let dying = pimento_jobs::Worker::new(
        app.store.clone(),
        app.blobs.clone(),
        pimento_jobs::Settings {
            lease: Duration::ZERO,
            ..Default::default()
        },
    );
    assert!(dying.run_partly(1).await.unwrap());
    let mid = app.pim_get(&format!("/api/v1/pim/jobs/{}", id_of(&job))).await.body;
    assert_eq!(mid["status"], "RUNNING");
    assert_eq!(mid["progress"]["processed"], 1000);

    // Worker B takes the job over; A's lease is gone, so a late chunk of A's is refused.
    let b = pimento_jobs::Worker::new(app.store.clone(), app.blobs.clone(), Default::default());
    // As a worker polls: A's lease keeper, aborted as A stopped, may still hold the job's row
    // for a moment, and a claim skips a locked row.
    let mut claimed = None;
    for _ in 0..100 {
        claimed = app.store.claim_job(b.name(), Duration::from_secs(30)).await.unwrap();
        if claimed.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let claimed = claimed.expect("B claims the job once A's lease is gone");
    assert!(claimed.checkpoint.is_some());
    let stale = pimento_store::jobs::Lease {
        job_id: claimed.job.id,
        owner: dying.name().to_owned(),
        duration: Duration::from_secs(30),
    };
    assert!(matches!(
        app.store.job_chunk(&stale).await,
        Err(pimento_store::StoreError::LeaseLost)
    ));
    b.run_claimed(claimed, None).await.unwrap();

    let done = app.pim_get(&format!("/api/v1/pim/jobs/{}", id_of(&job))).await.body;
    assert_eq!(done["status"], "SUCCEEDED", "{done}");
    assert_eq!(done["attempts"], 2);
    assert_eq!(done["progress"]["processed"], 2500);
    assert_eq!(done["summary"]["updated"], 2500);
    // Every price doubled once: none skipped, none doubled twice.
    assert_eq!(price_total(&app).await, prices_before * 2);
}

async fn price_total(app: &TestApp) -> i64 {
    let mut pc = app.store.db().acquire().await.unwrap();
    pc.conn()
        .fetch_one(
            "SELECT CAST(SUM(price_minor) AS BIGINT) AS n FROM variants WHERE organization_id = $1",
            vec![pimento_store::db::Val::from(app.org.organization_id)],
        )
        .await
        .unwrap()
        .get::<i64>("n")
        .unwrap()
}
