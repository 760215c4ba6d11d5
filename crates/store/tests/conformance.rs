//! The store's behaviour, the same on SQLite and PostgreSQL (`PIMENTO_TEST_BACKEND`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "conformance/merchandising.rs"]
mod merchandising;
#[path = "conformance/numbers.rs"]
mod numbers;
#[path = "conformance/query.rs"]
mod query;
#[path = "conformance/versions.rs"]
mod versions;

use pimento_core::CoreError;
use pimento_core::auth::{Ctx, KeyKind};
use pimento_core::error::codes;
use pimento_core::product::{Include, ProductInput, ProductStatus};
use pimento_core::query::{CountMode, Cursor, Paging, ProductQuery, Sort};
use pimento_core::variant::VariantInput;
use pimento_store::testing::TestDb;
use pimento_store::{Store, StoreError};

async fn setup() -> (TestDb, Store, Ctx) {
    let db = TestDb::new().await;
    let store = Store::new(db.db.clone());
    let org = store.create_organization("Acme").await.unwrap();
    let principal = store.authenticate(&org.secret_key).await.unwrap().unwrap();
    (
        db,
        store,
        Ctx {
            principal,
            request_id: Some("r1".into()),
        },
    )
}

fn product(name: &str, variants: Vec<VariantInput>) -> ProductInput {
    ProductInput {
        name: name.into(),
        handle: None,
        url: Some("https://x.example".into()),
        description: Some("Unicode ✓ — ünïcödé".into()),
        status: ProductStatus::Active,
        metadata: Some(serde_json::json!({"nested": {"a": [1, 2]}})),
        default_variant_id: None,
        option_ids: vec![],
        own_options: vec![],
        variants,
        media: vec![],
        sync: None,
        ..ProductInput::default()
    }
}

#[tokio::test]
async fn keys_authenticate_to_their_organization() {
    let (_db, store, ctx) = setup().await;
    let other = store.create_organization("Other").await.unwrap();
    let p = store.authenticate(&other.publishable_key).await.unwrap().unwrap();
    assert_eq!(p.organization_id, other.organization_id);
    assert_eq!(p.kind, KeyKind::Publishable);
    assert!(p.actor.starts_with("pk_"));
    assert_eq!(ctx.principal.kind, KeyKind::Secret);
    assert!(store.authenticate("sk_unknown").await.unwrap().is_none());
    assert_eq!(store.list_organizations().await.unwrap().len(), 2);
}

#[tokio::test]
async fn values_round_trip_exactly() {
    let (_db, store, ctx) = setup().await;
    let v = VariantInput {
        sku: Some("A-1".into()),
        price: Some("1234567.89".into()),
        currency: Some("EUR".into()),
        inventory_quantity: Some(-3),
        ..VariantInput::default()
    };
    let (view, _) = store
        .create_product(&ctx, product("Ünïcode Tee", vec![v]))
        .await
        .unwrap();
    let got = store
        .get_product(
            &ctx,
            view.product.id,
            Include {
                variants: true,
                media: true,
                tags: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(got.product, view.product);
    assert_eq!(got.product.description.as_deref(), Some("Unicode ✓ — ünïcödé"));
    assert_eq!(got.product.metadata, Some(serde_json::json!({"nested": {"a": [1, 2]}})));
    let variant = &got.variants.unwrap()[0];
    assert_eq!(variant.price.unwrap().minor, 123_456_789);
    assert_eq!(variant.price.unwrap().currency.code(), "EUR");
    assert_eq!(variant.inventory_quantity, -3);
    // Timestamps keep their precision to the microsecond on both backends.
    assert_eq!(
        got.product.created_at.timestamp_micros(),
        view.product.created_at.timestamp_micros()
    );
}

#[tokio::test]
async fn unique_violations_become_domain_conflicts() {
    let (_db, store, ctx) = setup().await;
    let sku = |s: &str| VariantInput {
        sku: Some(s.into()),
        ..VariantInput::default()
    };
    store.create_product(&ctx, product("A", vec![sku("X")])).await.unwrap();
    let err = store
        .create_product(&ctx, product("B", vec![sku("X")]))
        .await
        .unwrap_err();
    match err {
        StoreError::Domain(CoreError::Conflict { code, .. }) => assert_eq!(code, codes::DUPLICATE_SKU),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let mut same_handle = product("C", vec![]);
    same_handle.handle = Some("a".into());
    match store.create_product(&ctx, same_handle).await.unwrap_err() {
        StoreError::Domain(CoreError::Conflict { code, field, .. }) => {
            assert_eq!(code, codes::DUPLICATE_HANDLE);
            assert_eq!(field.map(|f| f.to_string()).as_deref(), Some("handle"));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn seeded_catalogs_read_back_whole() {
    let (_db, store, ctx) = setup().await;
    let report = store.seed(ctx.org(), 450, |_| {}).await.unwrap();
    assert_eq!((report.products, report.variants, report.media), (450, 1350, 900));
    let mut seen = 0;
    let mut after = None;
    loop {
        let page = store
            .list_products(
                &ctx,
                &ProductQuery {
                    limit: 200,
                    paging: Paging::After(after.clone()),
                    count: if after.is_none() {
                        CountMode::Exact
                    } else {
                        CountMode::None
                    },
                    ..ProductQuery::default()
                },
                Include {
                    variants: true,
                    media: true,
                    tags: false,
                },
            )
            .await
            .unwrap();
        if let Some(total) = page.total {
            assert_eq!(total, 450);
        }
        for p in &page.items {
            let variants = p.variants.as_ref().unwrap();
            assert_eq!(variants.len(), 3);
            assert_eq!(variants[0].options[0].value, "S");
            assert!(pimento_core::variant::gtin_check_digit_ok(
                variants[0].barcode.as_deref().unwrap()
            ));
            assert_eq!(p.media.as_ref().unwrap().len(), 2);
            assert_eq!(p.product.default_variant_id, Some(variants[0].id));
        }
        seen += page.items.len();
        match page.next_cursor {
            Some(c) => after = Some(Cursor::decode("cursor", &c, Sort::default()).unwrap()),
            None => break,
        }
    }
    assert_eq!(seen, 450);
}

#[tokio::test]
async fn validation_pages_stop_at_the_scan_budget_and_resume() {
    use pimento_core::media::{MediaAssetInput, MediaInput, MediaSource};
    use pimento_store::catalog::IssueQuery;
    let (_db, store, ctx) = setup().await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let mut p = product(&format!("P{i}"), vec![]);
        // Only the fifth product lacks media.
        if i != 4 {
            p.media = vec![MediaInput {
                source: MediaSource::New(MediaAssetInput {
                    public_url: Some(format!("https://cdn.example/{i}.jpg")),
                    ..Default::default()
                }),
                position: None,
                purpose: None,
                variant_id: None,
            }];
        }
        ids.push(store.create_product(&ctx, p).await.unwrap().0.product.id);
    }
    let mut cursor = None;
    let mut pages = 0;
    let mut found = Vec::new();
    loop {
        let page = store
            .validation_issues(
                &ctx,
                IssueQuery {
                    limit: 10,
                    cursor: cursor.clone(),
                    scan_budget: Some(2),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        pages += 1;
        found.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    // Seven products read two at a time: four pages, most of them empty, one issue in all.
    assert_eq!(pages, 4);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].product_id, ids[4]);
    // Without a budget to speak of, one page holds it.
    let whole = store
        .validation_issues(
            &ctx,
            IssueQuery {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(whole.items, found);
    assert!(whole.next_cursor.is_none());
}

#[tokio::test]
async fn a_reference_to_a_vanished_row_is_a_conflict_not_a_fault() {
    let (_db, store, ctx) = setup().await;
    let (view, _) = store.create_product(&ctx, product("P", vec![])).await.unwrap();
    // What a concurrent delete of the category leaves a product write facing.
    let mut pc = store.db().acquire().await.unwrap();
    let err = pc
        .conn()
        .execute(
            "UPDATE products SET category_id = $1 WHERE id = $2",
            pimento_store::args![uuid::Uuid::now_v7(), view.product.id],
        )
        .await
        .unwrap_err();
    match err {
        StoreError::Domain(CoreError::Conflict { code, .. }) => assert_eq!(code, codes::CONFLICT),
        other => panic!("expected a conflict, got {other:?}"),
    }
}

/// A transaction dropped without commit leaves nothing behind, and the next one starts at
/// once, whether the rollback has run by then or not.
#[tokio::test]
async fn an_abandoned_transaction_rolls_back_and_the_next_write_proceeds() {
    let (_db, store, _ctx) = setup().await;
    let db = store.db();
    let count = || async {
        let mut pc = db.acquire().await.unwrap();
        let row = pc
            .conn()
            .fetch_one("SELECT COUNT(*) AS n FROM organizations", vec![])
            .await
            .unwrap();
        row.get::<i64>("n").unwrap()
    };
    let before = count().await;
    for round in 0..3 {
        let mut tx = db.begin().await.unwrap();
        tx.conn()
            .execute(
                "INSERT INTO organizations (id, tenant_id, name, created_at) \
                 SELECT $1, tenant_id, $2, created_at FROM organizations LIMIT 1",
                pimento_store::args![uuid::Uuid::now_v7(), format!("dropped {round}")],
            )
            .await
            .unwrap();
        drop(tx);
    }
    let mut tx = db.begin().await.unwrap();
    tx.conn()
        .execute(
            "INSERT INTO organizations (id, tenant_id, name, created_at) \
             SELECT $1, tenant_id, $2, created_at FROM organizations LIMIT 1",
            pimento_store::args![uuid::Uuid::now_v7(), "kept"],
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(count().await, before + 1);
}

/// Export pages hold every live product once, in id order, whatever the page size: on a
/// SQLite file several readers take alternate pages, which must still arrive in order.
#[tokio::test]
async fn export_pages_hold_every_live_product_once_in_order() {
    let (_db, store, ctx) = setup().await;
    store.seed(ctx.org(), 45, |_| {}).await.unwrap();
    let (names, total, _) = store.export_start(ctx.org()).await.unwrap();
    assert_eq!(total, 45);
    let mut first = store.export_pages(ctx.org(), names.clone(), 100);
    let all: Vec<_> = first.recv().await.unwrap().unwrap();
    assert_eq!(all.len(), 45);
    assert!(all.windows(2).all(|w| w[0].id < w[1].id));
    let archived: Vec<_> = [0, 7, 44].iter().map(|&i| all[i].id.unwrap()).collect();
    for id in &archived {
        store
            .archive_product(&ctx, *id, None, Include::default())
            .await
            .unwrap();
    }
    for size in [1, 2, 7, 42, 1000] {
        let mut pages = store.export_pages(ctx.org(), names.clone(), size);
        let mut ids = Vec::new();
        while let Some(page) = pages.recv().await {
            let page = page.unwrap();
            assert!(page.len() <= size, "a page of {} products at size {size}", page.len());
            assert_eq!(page.iter().map(|d| d.variants.len()).sum::<usize>(), page.len() * 3);
            ids.extend(page.iter().map(|d| d.id.unwrap()));
        }
        let expected: Vec<_> = all
            .iter()
            .filter_map(|d| d.id)
            .filter(|id| !archived.contains(id))
            .collect();
        assert_eq!(ids, expected, "page size {size}");
    }
}

/// The planner's row estimate for a table: SQLite's `sqlite_stat1`, PostgreSQL's `reltuples`.
async fn estimated_rows(db: &pimento_store::Db, table: &str) -> i64 {
    let mut pc = db.acquire().await.unwrap();
    let mut c = pc.conn();
    match db.backend() {
        pimento_store::Backend::Sqlite => {
            let rows = c
                .fetch_all(
                    "SELECT stat FROM sqlite_stat1 WHERE tbl = $1 ORDER BY idx",
                    pimento_store::args![table],
                )
                .await
                .unwrap();
            rows.first()
                .map(|r| r.get::<String>("stat").unwrap())
                .and_then(|s| s.split(' ').next().and_then(|n| n.parse().ok()))
                .unwrap_or(0)
        }
        pimento_store::Backend::Postgres => {
            let r = c
                .fetch_one(
                    "SELECT reltuples::BIGINT AS n FROM pg_class WHERE relname = $1 \
                     AND relnamespace = current_schema()::regnamespace",
                    pimento_store::args![table],
                )
                .await
                .unwrap();
            r.get::<i64>("n").unwrap()
        }
    }
}

/// Adds `n` media assets to the organization in one transaction, without reading the table.
async fn add_assets(db: &pimento_store::Db, ctx: &Ctx, n: usize) {
    let now = chrono::Utc::now();
    let rows = (0..n)
        .map(|i| {
            pimento_store::args![
                uuid::Uuid::now_v7(),
                ctx.org(),
                format!("{i}.jpg"),
                format!("https://cdn.example/{i}.jpg"),
                now,
                "test",
                now,
                "test"
            ]
        })
        .collect();
    let head = "INSERT INTO media_assets (id, organization_id, name, public_url, created_at, created_by, updated_at, updated_by)";
    let mut tx = db.begin().await.unwrap();
    pimento_store::db::insert_rows(&mut tx.conn(), head, 8, rows)
        .await
        .unwrap();
    tx.commit().await.unwrap();
}

/// A bulk load mostly writes its tables; refreshing the statistics must cover those too, or the
/// planner keeps believing they hold what they held after the first chunk.
#[tokio::test]
async fn refreshed_statistics_cover_tables_that_were_only_written() {
    let (db, _store, ctx) = setup().await;
    add_assets(&db.db, &ctx, 2).await;
    db.db.analyze().await.unwrap();
    assert!(estimated_rows(&db.db, "media_assets").await <= 2);

    add_assets(&db.db, &ctx, 3000).await;
    db.db.refresh_statistics().await.unwrap();
    let estimate = estimated_rows(&db.db, "media_assets").await;
    assert!(estimate >= 1000, "the planner still expects {estimate} assets");
}
