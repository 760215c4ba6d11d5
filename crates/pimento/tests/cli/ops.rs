//! Running Pimento for real, black-box: the binary's key and organization commands, the first
//! start's key file, and several server processes on one database. On the backend
//! `PIMENTO_TEST_BACKEND` selects (a fresh database each).

use pimento_store::testing::TestUrl;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A fresh database and the binary pointed at it.
pub struct Env {
    pub db: TestUrl,
    pub files: std::path::PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let db = rt.block_on(TestUrl::new());
        let files = std::env::temp_dir().join(format!("pimento-files-{}", uuid::Uuid::now_v7().simple()));
        Env { db, files }
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_pimento"));
        c.env("DATABASE_URL", &self.db.url)
            .env("PIMENTO_FILES_DIR", &self.files)
            .env("PIMENTO_MAX_CONNECTIONS", "4")
            .env_remove("RUST_LOG");
        c
    }

    /// Runs a command that must succeed; its standard output.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs a command that prints one JSON document.
    pub fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(self.run(args).trim()).unwrap()
    }

    /// `pimento serve` on a free port, once it answers `/health`.
    pub fn serve(&self, extra: &[&str]) -> Server {
        self.serve_on(&self.db.url, extra)
    }

    /// `pimento serve` with its job worker.
    pub fn serve_with_worker(&self, extra: &[&str]) -> Server {
        self.start(&self.db.url, true, extra)
    }

    /// `pimento serve` on another database.
    pub fn serve_on(&self, url: &str, extra: &[&str]) -> Server {
        self.start(url, false, extra)
    }

    fn start(&self, url: &str, worker: bool, extra: &[&str]) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let listen = format!("127.0.0.1:{port}");
        let child = self
            .cmd()
            .env("DATABASE_URL", url)
            .args(["serve", "--listen", &listen])
            .args(if worker { &[][..] } else { &["--no-worker"][..] })
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server { child, port };
        let deadline = Instant::now() + Duration::from_secs(60);
        while server.try_get("/health", None).map(|(s, _)| s) != Some(200) {
            assert!(Instant::now() < deadline, "the server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.files);
    }
}

/// A running server process, stopped when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
}

/// Runs `f` on a store opened on `url`, in a runtime of its own, and closes the store after.
pub fn on_store<T>(url: &str, f: impl AsyncFnOnce(&pimento_store::Store) -> T) -> T {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let db = pimento_store::Db::connect(url, &pimento_store::PoolConfig::default())
            .await
            .unwrap();
        let store = pimento_store::Store::new(db);
        let out = f(&store).await;
        store.db().close().await;
        out
    })
}

/// SQLite's integrity check of the database at `url` (`ok` when sound); PostgreSQL keeps its own.
pub fn integrity_check(url: &str) -> String {
    if !url.starts_with("sqlite:") {
        return "ok".to_owned();
    }
    on_store(url, async |store| {
        let mut c = store.db().acquire().await.unwrap();
        let row = c.conn().fetch_one("PRAGMA integrity_check", vec![]).await.unwrap();
        row.at(0).unwrap()
    })
}

/// One HTTP/1.1 request on its own connection: the status and the body.
fn request(port: u16, method: &str, path: &str, key: Option<&str>, body: Option<&Value>) -> Option<(u16, String)> {
    request_with(port, method, path, key, &[], body)
}

/// [`request`] with more headers.
pub fn request_with(
    port: u16,
    method: &str,
    path: &str,
    key: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Option<(u16, String)> {
    let body = body.map(Value::to_string).unwrap_or_default();
    exchange(port, method, path, key, headers, body.as_bytes()).map(|(status, _, body)| (status, body))
}

/// One HTTP/1.1 request on its own connection: the status, the response's headers (as sent)
/// and its body (chunks joined).
fn exchange(
    port: u16,
    method: &str,
    path: &str,
    key: Option<&str>,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Option<(u16, String, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: localhost\r\n");
    if let Some(k) = key {
        head.push_str(&format!("Authorization: Bearer {k}\r\n"));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body).ok()?;
    let mut response = Vec::new();
    s.read_to_end(&mut response).ok()?;
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let (head, body) = response.split_once("\r\n\r\n")?;
    let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        unchunk(body)?
    } else {
        body.to_owned()
    };
    Some((status, head.to_owned(), body))
}

/// A chunked body's content.
fn unchunk(mut rest: &str) -> Option<String> {
    let mut out = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n")?;
        let size = usize::from_str_radix(size.trim(), 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        out.push_str(after.get(..size)?);
        rest = after.get(size + 2..)?;
    }
}

impl Server {
    fn try_get(&self, path: &str, key: Option<&str>) -> Option<(u16, String)> {
        request(self.port, "GET", path, key, None)
    }

    /// The status and body of a GET (the body as sent, chunked or not).
    pub fn get(&self, path: &str, key: Option<&str>) -> (u16, String) {
        self.try_get(path, key).unwrap()
    }

    /// The status and body of a POST of JSON.
    pub fn post(&self, path: &str, key: &str, body: &Value) -> (u16, String) {
        request(self.port, "POST", path, Some(key), Some(body)).unwrap()
    }

    /// The status and body of any request, with more headers and a raw body.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, String) {
        let (status, _, body) = exchange(self.port, method, path, key, headers, body).unwrap();
        (status, body)
    }

    /// The status and body of a GET of a list, and its next page's cursor (`X-Next-Cursor`).
    pub fn get_with_cursor(&self, path: &str, key: &str) -> (u16, String, Option<String>) {
        let (status, head, body) = exchange(self.port, "GET", path, Some(key), &[], b"").unwrap();
        let next = head.lines().find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("x-next-cursor")
                .then(|| value.trim().to_owned())
        });
        (status, body, next)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const PRODUCTS: &str = "/api/v1/products";

#[test]
fn key_create_list_and_revoke() {
    let env = Env::new();
    let org = env.json(&["org", "create", "Acme", "--json"]);
    let org_id = org["organization_id"].as_str().unwrap();

    let key = env.json(&["key", "create", "--organization", org_id, "--name", "ci", "--json"]);
    let token = key["key"].as_str().unwrap();
    assert!(token.starts_with("sk_"), "{key}");
    assert_eq!(key["kind"], "secret");
    assert_eq!(key["name"], "ci");
    assert_eq!(key["prefix"].as_str().unwrap(), &token[..11]);
    let public = env.json(&["key", "create", "--organization", org_id, "--publishable", "--json"]);
    assert!(public["key"].as_str().unwrap().starts_with("pk_"));

    let keys = env.json(&["key", "list", "--organization", org_id, "--json"]);
    let keys = keys.as_array().unwrap();
    assert_eq!(keys.len(), 4, "{keys:?}");
    let listed = keys.iter().find(|k| k["id"] == key["id"]).unwrap();
    assert_eq!(listed["prefix"], key["prefix"]);
    assert_eq!(listed["name"], "ci");
    assert!(listed["created_at"].is_string());
    assert!(listed["last_used_at"].is_null() && listed["revoked_at"].is_null());
    assert!(
        keys.iter()
            .all(|k| k.get("key").is_none() && !k.to_string().contains(token))
    );

    // Using it is recorded.
    let server = env.serve(&[]);
    assert_eq!(server.get(PRODUCTS, Some(token)).0, 200);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let keys = env.json(&["key", "list", "--organization", org_id, "--json"]);
        let k = keys
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == key["id"])
            .cloned()
            .unwrap();
        if k["last_used_at"].is_string() {
            break;
        }
        assert!(Instant::now() < deadline, "last use never recorded: {k}");
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(server);

    let table = env.run(&["key", "list", "--organization", org_id]);
    let header = table.lines().next().unwrap();
    for column in ["PREFIX", "KIND", "NAME", "CREATED", "LAST USED", "REVOKED"] {
        assert!(header.contains(column), "{table}");
    }
    assert!(
        table.contains(key["prefix"].as_str().unwrap()) && table.contains("ci"),
        "{table}"
    );

    let revoked = env.run(&["key", "revoke", key["prefix"].as_str().unwrap()]);
    assert!(revoked.contains("revoked"), "{revoked}");
    let again = env.run(&["key", "revoke", key["id"].as_str().unwrap()]);
    assert!(again.contains("already revoked"), "{again}");
    let keys = env.json(&["key", "list", "--organization", org_id, "--json"]);
    let listed = keys
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == key["id"])
        .cloned()
        .unwrap();
    assert!(listed["revoked_at"].is_string(), "{listed}");

    let unknown = env.cmd().args(["key", "revoke", "sk_00000000"]).output().unwrap();
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no key"));
    let no_org = env
        .cmd()
        .args([
            "key",
            "create",
            "--organization",
            "0190a8e2-0000-7000-8000-000000000000",
        ])
        .output()
        .unwrap();
    assert!(!no_org.status.success());
    assert!(String::from_utf8_lossy(&no_org.stderr).contains("not found"));
}

#[test]
fn a_revoked_key_is_refused_by_every_server_within_five_seconds() {
    let env = Env::new();
    let org = env.json(&["org", "create", "Acme", "--json"]);
    let org_id = org["organization_id"].as_str().unwrap();
    let key = env.json(&["key", "create", "--organization", org_id, "--json"]);
    let token = key["key"].as_str().unwrap();
    let (a, b) = (env.serve(&[]), env.serve(&[]));
    // Both have the key cached.
    assert_eq!(a.get(PRODUCTS, Some(token)).0, 200);
    assert_eq!(b.get(PRODUCTS, Some(token)).0, 200);

    env.run(&["key", "revoke", key["prefix"].as_str().unwrap()]);
    let revoked_at = Instant::now();
    for server in [&b, &a] {
        while server.get(PRODUCTS, Some(token)).0 != 401 {
            assert!(
                revoked_at.elapsed() < Duration::from_secs(5),
                "still accepted after 5 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    // The organization's other key is untouched.
    assert_eq!(b.get(PRODUCTS, org["secret_key"].as_str()).0, 200);
}

#[test]
fn org_delete_removes_the_organization_and_its_keys() {
    let env = Env::new();
    let keep = env.json(&["org", "create", "Keep", "--json"]);
    let gone = env.json(&["org", "create", "Gone", "--json"]);
    let gone_id = gone["organization_id"].as_str().unwrap();
    env.run(&["dev", "seed", "--products", "5", "--organization", gone_id]);

    let refused = env.cmd().args(["org", "delete", gone_id]).output().unwrap();
    assert!(!refused.status.success(), "deleted without --yes");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"));

    let out = env.run(&["org", "delete", gone_id, "--yes"]);
    assert!(out.contains("deleted"), "{out}");
    let orgs = env.json(&["org", "list", "--json"]);
    let orgs = orgs.as_array().unwrap();
    assert_eq!(orgs.len(), 1);
    assert_eq!(orgs[0]["organization_id"], keep["organization_id"]);
    let again = env.cmd().args(["org", "delete", gone_id, "--yes"]).output().unwrap();
    assert!(!again.status.success());

    let server = env.serve(&[]);
    assert_eq!(server.get(PRODUCTS, gone["secret_key"].as_str()).0, 401);
    assert_eq!(server.get(PRODUCTS, keep["secret_key"].as_str()).0, 200);

    let table = env.run(&["org", "list"]);
    assert!(table.starts_with("ORGANIZATION"), "{table}");
}

#[test]
fn first_start_can_write_its_keys_to_a_file() {
    let env = Env::new();
    let file = env.files.with_extension("keys.json");
    let mut server = env.serve(&["--first-keys-file", file.to_str().unwrap()]);
    let first: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let token = first["secret_key"].as_str().unwrap();
    assert_eq!(server.get(PRODUCTS, Some(token)).0, 200);
    let _ = server.child.kill();
    let mut stdout = String::new();
    server.child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    assert!(!stdout.contains(token), "the key went to standard output too: {stdout}");
    let _ = std::fs::remove_file(&file);
}

#[test]
fn first_start_labels_what_it_prints() {
    let env = Env::new();
    let mut server = env.serve(&[]);
    let _ = server.child.kill();
    let mut stdout = String::new();
    server.child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    for label in ["organization:", "tenant:", "secret key:", "publishable key:"] {
        assert!(stdout.contains(label), "{stdout}");
    }
}

#[test]
fn openapi_into_a_closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pimento"))
        .args(["openapi", "--api", "medusa"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 16];
    child.stdout.as_mut().unwrap().read_exact(&mut head).unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(out.status.success(), "{err}");
}

#[test]
fn backup_while_writes_run_gives_a_copy_that_serves() {
    let env = Env::new();
    let org = env.json(&["org", "create", "Acme", "--json"]);
    let key = org["secret_key"].as_str().unwrap().to_owned();
    let copy = env.files.with_extension("backup.db");
    if !env.db.url.starts_with("sqlite:") {
        // PostgreSQL is backed up with its own tools; the command says so.
        let out = env
            .cmd()
            .args(["backup", "--out", copy.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(!out.status.success());
        assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"));
        return;
    }
    let server = env.serve(&[]);
    for i in 0..20 {
        let body = serde_json::json!({"name": format!("Before {i}"), "url": "https://x.example", "variants": [{"sku": format!("B-{i}"), "price": "10.00"}]});
        assert_eq!(server.post(PRODUCTS, &key, &body).0, 201);
    }
    let writing = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let writer = {
        let (writing, key, port) = (writing.clone(), key.clone(), server.port);
        std::thread::spawn(move || {
            let mut i = 0;
            while writing.load(std::sync::atomic::Ordering::Relaxed) {
                let body = serde_json::json!({"name": format!("During {i}"), "url": "https://x.example", "variants": [{"sku": format!("D-{i}"), "price": "12.50"}]});
                assert_eq!(request(port, "POST", PRODUCTS, Some(&key), Some(&body)).unwrap().0, 201);
                i += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
            i
        })
    };
    std::thread::sleep(Duration::from_millis(200));
    let out = env
        .cmd()
        .args(["backup", "--out", copy.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::thread::sleep(Duration::from_millis(200));
    writing.store(false, std::sync::atomic::Ordering::Relaxed);
    let during = writer.join().unwrap();
    assert!(during > 0, "no write ran alongside the backup");
    let refused = env
        .cmd()
        .args(["backup", "--out", copy.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!refused.status.success(), "overwrote an existing file");

    // The copy passes SQLite's integrity check.
    let check = integrity_check(&format!("sqlite://{}", copy.display()));
    assert_eq!(check, "ok");

    // The copy serves as it is, and every product in it is the original's, field by field.
    let replica = env.serve_on(&format!("sqlite://{}", copy.display()), &[]);
    let (status, body) = replica.get("/api/v1/products?limit=200", Some(&key));
    assert_eq!(status, 200, "{body}");
    let products: Value = serde_json::from_str(&body).unwrap();
    let products = products.as_array().unwrap();
    assert!(
        products.len() >= 20 && products.len() <= 20 + during,
        "{} products",
        products.len()
    );
    assert!(during + 20 <= 200, "more products than one page");
    // One moment: the products written one after another before it, and none after.
    let mut names: Vec<String> = products
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = (0..20)
        .map(|i| format!("Before {i}"))
        .chain((0..products.len() - 20).map(|i| format!("During {i}")))
        .collect();
    expected.sort();
    assert_eq!(names, expected, "the copy is not of one moment");
    for p in products {
        let path = format!("{PRODUCTS}/{}?include=variants,mediaAssets", p["id"].as_str().unwrap());
        let (a, b) = (server.get(&path, Some(&key)), replica.get(&path, Some(&key)));
        assert_eq!(a.0, 200);
        let (a, b): (Value, Value) = (serde_json::from_str(&a.1).unwrap(), serde_json::from_str(&b.1).unwrap());
        assert_eq!(
            b["variants"].as_array().map(Vec::len),
            Some(1),
            "a product without its variant: {b}"
        );
        assert_eq!(a, b);
    }
    drop(replica);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", copy.display()));
    }
}

/// A product made and deleted for good in-process, on the environment's database: its id.
fn deleted_product(env: &Env, secret_key: &str) -> String {
    use pimento_core::auth::Ctx;
    use pimento_core::product::ProductInput;
    on_store(&env.db.url, async |store| {
        let ctx = Ctx {
            principal: store.authenticate(secret_key).await.unwrap().unwrap(),
            request_id: None,
        };
        let input = ProductInput {
            name: "Boot".into(),
            ..ProductInput::default()
        };
        let (view, _) = store.create_product(&ctx, input).await.unwrap();
        store.delete_product(&ctx, view.product.id, None).await.unwrap();
        view.product.id.to_string()
    })
}

#[test]
fn restore_product_brings_back_a_product_deleted_for_good_once() {
    let env = Env::new();
    let org = env.json(&["org", "create", "Acme", "--json"]);
    let org_id = org["organization_id"].as_str().unwrap();
    let id = deleted_product(&env, org["secret_key"].as_str().unwrap());

    // Past a window of no days, nothing is restorable.
    let out = env
        .cmd()
        .args([
            "restore-product",
            "--organization",
            org_id,
            &id,
            "--deleted-retention-days",
            "0",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no deleted product"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let restored = env.json(&["restore-product", "--organization", org_id, &id, "--json"]);
    assert_eq!(restored["id"], id.as_str());
    assert_eq!(restored["name"], "Boot");
    assert_eq!(restored["handle"], "boot");
    assert_eq!(restored["number"], 1);

    // Once only; and another organization's id finds nothing.
    let again = env
        .cmd()
        .args(["restore-product", "--organization", org_id, &id])
        .output()
        .unwrap();
    assert!(!again.status.success());
    let other = env.json(&["org", "create", "Other", "--json"]);
    let elsewhere = env
        .cmd()
        .args([
            "restore-product",
            "--organization",
            other["organization_id"].as_str().unwrap(),
            &id,
        ])
        .output()
        .unwrap();
    assert!(!elsewhere.status.success());
}

/// A small catalog made in-process for `org`'s key: a select attribute in a template, a
/// category with a slug of its own under another, a product filed there and an archived one.
fn small_catalog(env: &Env, secret_key: &str) {
    use pimento_core::attribute::{AttributeInput, AttributeType, TemplateAttributeInput, TemplateInput};
    use pimento_core::auth::Ctx;
    use pimento_core::patch::Patch;
    use pimento_core::product::{Classification, ProductInput};
    use pimento_core::taxonomy::{CategoryInput, CategoryRef};
    use pimento_core::variant::VariantInput;
    on_store(&env.db.url, async |store| {
        let ctx = Ctx {
            principal: store.authenticate(secret_key).await.unwrap().unwrap(),
            request_id: None,
        };
        let color = AttributeInput {
            name: "Color".into(),
            key: Some("color".into()),
            attr_type: AttributeType::Select,
            options: vec!["Red".into(), "Blue".into()],
            group_id: None,
        };
        let color = store.create_attribute(&ctx, color).await.unwrap();
        let template = TemplateInput {
            name: "Jacket".into(),
            description: None,
            attributes: vec![TemplateAttributeInput {
                attribute_id: color.id,
                required: true,
            }],
        };
        let template = store.create_template(&ctx, template).await.unwrap();
        let men = CategoryInput {
            name: "Men".into(),
            ..CategoryInput::default()
        };
        let men = store.create_category(&ctx, men).await.unwrap();
        let outer = CategoryInput {
            name: "Men's Outerwear".into(),
            slug: Some("mens-outerwear".into()),
            parent_id: Some(men.id),
            ..CategoryInput::default()
        };
        let outer = store.create_category(&ctx, outer).await.unwrap();
        let mut attributes = serde_json::Map::new();
        attributes.insert("color".into(), "Red".into());
        let jacket = ProductInput {
            name: "Rain Jacket".into(),
            classification: Classification {
                category: Patch::Set(CategoryRef::Id(outer.id)),
                template_id: Patch::Set(template.id),
                attributes,
                ..Classification::default()
            },
            variants: vec![VariantInput {
                sku: Some("RJ-1".into()),
                price: Some("99.00".into()),
                ..VariantInput::default()
            }],
            ..ProductInput::default()
        };
        store.create_product(&ctx, jacket).await.unwrap();
        let old = ProductInput {
            name: "Old Coat".into(),
            ..ProductInput::default()
        };
        let (old, _) = store.create_product(&ctx, old).await.unwrap();
        store
            .archive_product(&ctx, old.product.id, None, Default::default())
            .await
            .unwrap();
    });
}

/// A copy's lines with ids by order of first appearance and without the time each was
/// written; the rows' own times, versions and numbers stay as they are.
fn copy_lines(text: &str) -> Vec<Value> {
    fn walk(v: &Value, seen: &mut std::collections::HashMap<String, usize>) -> Value {
        match v {
            Value::String(s) if uuid::Uuid::parse_str(s).is_ok() => {
                let n = seen.len();
                Value::from(format!("id#{}", seen.entry(s.clone()).or_insert(n)))
            }
            Value::Array(a) => Value::Array(a.iter().map(|x| walk(x, seen)).collect()),
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, x)| {
                        let v = if k == "exported_at" {
                            Value::Bool(!x.is_null())
                        } else {
                            walk(x, seen)
                        };
                        (k.clone(), v)
                    })
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    let mut seen = std::collections::HashMap::new();
    text.lines()
        .map(|l| walk(&serde_json::from_str(l).unwrap(), &mut seen))
        .collect()
}

#[test]
fn a_full_export_imports_into_another_organization_as_the_same_catalog() {
    let env = Env::new();
    let a = env.json(&["org", "create", "Acme", "--json"]);
    let b = env.json(&["org", "create", "Copy", "--json"]);
    small_catalog(&env, a["secret_key"].as_str().unwrap());
    let dir = env.files.with_extension("copies");
    std::fs::create_dir_all(&dir).unwrap();
    let (ours, theirs) = (dir.join("acme.ndjson"), dir.join("copy.ndjson"));
    let org = |o: &Value| o["organization_id"].as_str().unwrap().to_owned();
    let export = |o: &Value, file: &std::path::Path| {
        env.run(&[
            "export",
            "--format",
            "ndjson",
            "--full",
            "--out",
            file.to_str().unwrap(),
            "--organization",
            &org(o),
        ])
    };
    export(&a, &ours);
    let text = std::fs::read_to_string(&ours).unwrap();
    assert!(
        text.starts_with(r#"{"kind":"catalog","format":"pimento.catalog","version":2"#),
        "{text}"
    );
    assert!(text.contains(r#""slug":"mens-outerwear""#), "{text}");
    assert!(
        text.contains(r#""handle":"old-coat""#),
        "archived products are copied: {text}"
    );

    let import = |o: &Value| {
        let out = env
            .cmd()
            .args(["import", ours.to_str().unwrap(), "--organization", &org(o)])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let said = import(&b);
    assert!(said.contains("created 2, updated 0, unchanged 0, failed 0"), "{said}");
    export(&b, &theirs);
    assert_eq!(
        copy_lines(&text),
        copy_lines(&std::fs::read_to_string(&theirs).unwrap())
    );

    // Again: nothing is made twice.
    let said = import(&b);
    assert!(said.contains("created 0, updated 0, unchanged 2, failed 0"), "{said}");
    export(&b, &theirs);
    assert_eq!(
        copy_lines(&text),
        copy_lines(&std::fs::read_to_string(&theirs).unwrap())
    );
    // A full copy is NDJSON only.
    let out = env
        .cmd()
        .args([
            "export",
            "--full",
            "--out",
            theirs.to_str().unwrap(),
            "--organization",
            &org(&a),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format ndjson"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_server_reads_at_once_what_another_process_wrote() {
    let env = Env::new();
    let org = env.json(&["org", "create", "Acme", "--json"]);
    let key = org["secret_key"].as_str().unwrap();
    let a = env.serve(&[]);
    // On SQLite, `b` opens the database through a symbolic link, beside which lies a `-shm`
    // file nothing writes (left from before the database was moved, say): `b` must still read
    // the index SQLite writes, beside the real file.
    let mut b_url = env.db.url.clone();
    if let Some(file) = env.db.url.strip_prefix("sqlite://") {
        let link = format!("{file}.link.db");
        std::os::unix::fs::symlink(file, &link).unwrap();
        std::fs::copy(format!("{file}-shm"), format!("{link}-shm")).unwrap();
        b_url = format!("sqlite://{link}");
    }
    let b = env.serve_on(&b_url, &[]);
    let (status, body) = a.post(
        PRODUCTS,
        key,
        &serde_json::json!({"name": "Jacket", "url": "https://shop.example.com/jacket",
            "variants": [{"sku": "J-1", "price": "10.00"}]}),
    );
    assert_eq!(status, 201, "{body}");
    let id = serde_json::from_str::<Value>(&body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("{PRODUCTS}/{id}?include=variants");
    let name = |server: &Server| {
        let (status, body) = server.get(&path, Some(key));
        assert_eq!(status, 200, "{body}");
        serde_json::from_str::<Value>(&body).unwrap()["name"].clone()
    };
    for round in 0..5 {
        // Cached by `b` and found unchanged, then written by another process.
        name(&b);
        name(&b);
        let renamed = format!("Jacket {round}");
        let (status, body) = a.send(
            "PUT",
            &format!("{PRODUCTS}/{id}"),
            Some(key),
            &[("content-type", "application/json")],
            serde_json::json!({"name": renamed}).to_string().as_bytes(),
        );
        assert_eq!(status, 200, "{body}");
        assert_eq!(name(&b), renamed.as_str());
    }
    // A write by a process that is no server at all.
    on_store(&env.db.url, async |store| {
        let mut c = store.db().acquire().await.unwrap();
        c.conn()
            .execute(
                "UPDATE products SET name = 'Parka', version = version + 1 WHERE number = 1",
                vec![],
            )
            .await
            .unwrap();
    });
    assert_eq!(name(&b), "Parka");
    drop(b);
    if b_url != env.db.url {
        let link = b_url.trim_start_matches("sqlite://");
        let _ = std::fs::remove_file(link);
        let _ = std::fs::remove_file(format!("{link}-shm"));
    }
}
