//! The server killed (SIGKILL) at moments of its busiest work, then started again: every write
//! it answered for is there whole, no write is there in part, the database is intact, an
//! import the kill interrupted resumes and ends with exact counts, and the writes left without
//! an answer, retried with their `Idempotency-Key`, take effect exactly once.

use super::ops::{Env, integrity_check, request_with};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const IMPORTED: usize = 3_000;

/// Products created and answered 201 for, with their variant count.
type Acknowledged = Arc<Mutex<Vec<(String, usize)>>>;
/// Writes sent without an answer: their `Idempotency-Key` and body.
type Unanswered = Arc<Mutex<Vec<(String, Value)>>>;

fn pim_headers<'a>(tenant: &'a str, org: &'a str) -> [(&'static str, &'a str); 2] {
    [("X-Tenant-ID", tenant), ("X-Org-ID", org)]
}

/// Writers that create products until the server stops answering.
fn start_writers(
    port: u16,
    key: &str,
    round: usize,
    acknowledged: &Acknowledged,
    unanswered: &Unanswered,
) -> Vec<std::thread::JoinHandle<()>> {
    (0..4)
        .map(|w| {
            let (key, acknowledged, unanswered) = (key.to_owned(), acknowledged.clone(), unanswered.clone());
            std::thread::spawn(move || {
                for i in 0.. {
                    let variants = 1 + (i % 3);
                    let body = json!({
                        "name": format!("Crash {round}-{w}-{i}"),
                        "url": "https://x.example",
                        "variants": (0..variants)
                            .map(|v| json!({"sku": format!("C-{round}-{w}-{i}-{v}"), "price": "9.99"}))
                            .collect::<Vec<_>>(),
                    });
                    let once = format!("crash-{round}-{w}-{i}");
                    let headers = [("Idempotency-Key", once.as_str())];
                    match request_with(port, "POST", "/api/v1/products", Some(&key), &headers, Some(&body)) {
                        Some((201, text)) => {
                            let made: Value = serde_json::from_str(&text).unwrap();
                            acknowledged
                                .lock()
                                .unwrap()
                                .push((made["id"].as_str().unwrap().to_owned(), variants));
                        }
                        // No answer: the write may or may not have landed; its retry must
                        // make it land once.
                        _ => {
                            unanswered.lock().unwrap().push((once, body));
                            return;
                        }
                    }
                }
            })
        })
        .collect()
}

fn ndjson(n: usize) -> String {
    (0..n)
        .map(|i| {
            json!({"handle": format!("imported-{i}"), "title": format!("Imported {i}"), "options": ["Size"],
                   "variants": [{"sku": format!("IMP-{i}-S"), "price": "5.00", "options": ["S"]},
                                {"sku": format!("IMP-{i}-M"), "price": "6.00", "options": ["M"]}]})
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_killed_server_loses_nothing_it_answered_for_and_leaves_nothing_half_written() {
    let env = Env::new();
    let org = env.json(&["org", "create", "Acme", "--json"]);
    let key = org["secret_key"].as_str().unwrap().to_owned();
    let (tenant, org_id) = (
        org["tenant_id"].as_str().unwrap().to_owned(),
        org["organization_id"].as_str().unwrap().to_owned(),
    );
    let acknowledged: Acknowledged = Arc::default();
    let unanswered: Unanswered = Arc::default();
    let mut import_job = None;
    // Kills at several moments: early in the import, mid-way, and late.
    for (round, after_ms) in [150_u64, 600, 1_100, 1_700].into_iter().enumerate() {
        let mut server = env.serve_with_worker(&[]);
        if round == 0 {
            let (status, text) = server.send(
                "POST",
                "/api/v1/pim/imports?format=ndjson",
                Some(&key),
                &pim_headers(&tenant, &org_id),
                ndjson(IMPORTED).as_bytes(),
            );
            assert_eq!(status, 202, "{text}");
            let job: Value = serde_json::from_str(&text).unwrap();
            import_job = Some(job["id"].as_str().unwrap().to_owned());
        }
        let writers = start_writers(server.port, &key, round, &acknowledged, &unanswered);
        std::thread::sleep(Duration::from_millis(after_ms));
        // SIGKILL: no shutdown of any kind.
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        for w in writers {
            w.join().unwrap();
        }
    }

    let server = env.serve_with_worker(&[]);
    // The import resumes where it was and ends.
    let job = import_job.unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let finished = loop {
        let (status, text) = server.send(
            "GET",
            &format!("/api/v1/pim/jobs/{job}"),
            Some(&key),
            &pim_headers(&tenant, &org_id),
            b"",
        );
        assert_eq!(status, 200, "{text}");
        let j: Value = serde_json::from_str(&text).unwrap();
        if j["status"] != "QUEUED" && j["status"] != "RUNNING" {
            break j;
        }
        assert!(Instant::now() < deadline, "the import did not end: {j}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(finished["status"], "SUCCEEDED", "{finished}");
    assert_eq!(finished["summary"]["created"], IMPORTED, "{finished}");

    // The writes left without an answer, retried with their keys: each lands, or is found
    // applied already. A claim the kill left running is taken over once it is stale.
    let mut acknowledged = acknowledged.lock().unwrap().clone();
    let unanswered = unanswered.lock().unwrap().clone();
    assert!(!unanswered.is_empty(), "no write was cut off by a kill");
    let mut names: Vec<String> = Vec::new();
    for (once, body) in &unanswered {
        let deadline = Instant::now() + Duration::from_secs(150);
        loop {
            let (status, text) = server.send(
                "POST",
                "/api/v1/products",
                Some(&key),
                &[("Idempotency-Key", once)],
                body.to_string().as_bytes(),
            );
            let answer: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
            match (status, answer["code"].as_str()) {
                (201, _) => {
                    let variants = body["variants"].as_array().unwrap().len();
                    acknowledged.push((answer["id"].as_str().unwrap().to_owned(), variants));
                    break;
                }
                (409, Some("idempotency_response_lost")) => break,
                (409, Some("idempotency_key_in_use")) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_secs(2));
                }
                _ => panic!("retry of {once}: {status} {text}"),
            }
        }
        names.push(body["name"].as_str().unwrap().to_owned());
    }

    // Every product the server answered 201 for is there, with all its variants.
    assert!(
        acknowledged.len() > 20,
        "only {} writes were answered",
        acknowledged.len()
    );
    for (id, variants) in &acknowledged {
        let (status, text) = server.get(&format!("/api/v1/products/{id}?include=variants"), Some(&key));
        assert_eq!(status, 200, "{id}: {text}");
        let p: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(p["variants"].as_array().unwrap().len(), *variants, "{p}");
    }

    // No product is there in part, and the import's products are there once each.
    let (mut imported, mut cursor) = (0, None::<String>);
    let mut seen = std::collections::HashMap::<String, usize>::new();
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/products?limit=200&include=variants&cursor={c}"),
            None => "/api/v1/products?limit=200&include=variants".to_owned(),
        };
        let (status, text, next) = server.get_with_cursor(&path, &key);
        assert_eq!(status, 200, "{text}");
        for p in serde_json::from_str::<Value>(&text).unwrap().as_array().unwrap() {
            let name = p["name"].as_str().unwrap();
            let variants = p["variants"].as_array().unwrap();
            *seen.entry(name.to_owned()).or_default() += 1;
            if let Some(rest) = name.strip_prefix("Crash ") {
                let i: usize = rest.rsplit('-').next().unwrap().parse().unwrap();
                assert_eq!(variants.len(), 1 + i % 3, "a product written in part: {p}");
            } else {
                assert!(name.starts_with("Imported "), "{p}");
                assert_eq!(variants.len(), 2, "an imported product written in part: {p}");
                imported += 1;
            }
        }
        match next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    assert_eq!(imported, IMPORTED, "each imported product once");
    for name in &names {
        assert_eq!(
            seen.get(name),
            Some(&1),
            "{name}: a retried write landed {:?} times",
            seen.get(name)
        );
    }
    assert!(seen.values().all(|n| *n == 1), "a write landed twice");
    assert_eq!(integrity_check(&env.db.url), "ok");
}
