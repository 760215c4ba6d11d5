//! The `pimento` binary's command line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

#[path = "cli/crash.rs"]
mod crash;
#[path = "cli/ops.rs"]
mod ops;

fn pimento(db: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pimento"));
    c.env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env_remove("RUST_LOG");
    c
}

fn temp_db(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("pimento-cli-{name}-{}.db", std::process::id()))
}

#[test]
fn org_create_json_prints_one_object() {
    let db = temp_db("org");
    let out = pimento(&db).args(["org", "create", "Acme", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.trim().lines().count(), 1, "{stdout}");
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys.len(), 4);
    for k in ["tenant_id", "organization_id", "secret_key", "publishable_key"] {
        assert!(v[k].is_string(), "{k} missing in {v}");
    }
    assert!(v["secret_key"].as_str().unwrap().starts_with("sk_"));
    assert!(v["publishable_key"].as_str().unwrap().starts_with("pk_"));
    let list = pimento(&db).args(["org", "list", "--json"]).output().unwrap();
    let orgs: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(orgs[0]["organization_id"], v["organization_id"]);
    let seeded = pimento(&db).args(["dev", "seed", "--products", "10"]).output().unwrap();
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    assert!(String::from_utf8_lossy(&seeded.stdout).contains("seeded 10 products, 30 variants, 20 media"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["org", "create", "--help"],
        &["org", "list", "--help"],
        &["openapi", "--help"],
        &["dev", "seed", "--help"],
        &["dev", "baseline", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_pimento")).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        assert!(!out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn openapi_prints_the_document() {
    let out = Command::new(env!("CARGO_BIN_EXE_pimento"))
        .arg("openapi")
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(doc["paths"]["/api/v1/products"].is_object());
}

#[test]
fn bad_database_urls_are_refused_clearly() {
    let out = Command::new(env!("CARGO_BIN_EXE_pimento"))
        .args(["--database-url", "mysql://x@y/z", "migrate"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unsupported database URL"), "{err}");
}
