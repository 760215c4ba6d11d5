//! Tests of creating products in batches: refusals, counts, the search index, own options.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::Store;
use crate::testing::TestDb;
use pimento_core::media::{MediaAssetInput, MediaInput, MediaSource};
use pimento_core::product::{ProductInput, ProductStatus};
use pimento_core::sync::SyncSourceInput;
use pimento_core::variant::VariantInput;

fn product(handle: &str, sku: &str, variant_ref: &str) -> NewProduct {
    input(handle, sku, variant_ref).validate().unwrap()
}

fn input(handle: &str, sku: &str, variant_ref: &str) -> ProductInput {
    ProductInput {
        name: handle.to_uppercase(),
        handle: Some(handle.into()),
        url: None,
        description: None,
        status: ProductStatus::Active,
        metadata: None,
        default_variant_id: None,
        option_ids: vec![],
        own_options: vec![],
        media: vec![],
        sync: None,
        classification: Default::default(),
        details: Default::default(),
        extension: None,
        variants: vec![VariantInput {
            sku: Some(sku.into()),
            sync: Some(SyncSourceInput {
                sync_source: "erp".into(),
                sync_source_id: variant_ref.into(),
                ..SyncSourceInput::default()
            }),
            ..VariantInput::default()
        }],
    }
}

pub(crate) async fn setup() -> (TestDb, Ctx) {
    let db = TestDb::new().await;
    let store = Store::new(db.db.clone());
    let org = store.create_organization("Acme").await.unwrap();
    let ctx = Ctx {
        principal: store.authenticate(&org.secret_key).await.unwrap().unwrap(),
        request_id: None,
    };
    (db, ctx)
}

/// How many of the organization's products a search finds (an exact count).
pub(crate) async fn search_total(db: &crate::db::Db, ctx: &Ctx, search: &str) -> Option<i64> {
    use pimento_core::query::{CountMode, ProductFilter, ProductQuery};
    let q = ProductQuery {
        filter: ProductFilter {
            search: Some(search.to_owned()),
            ..ProductFilter::default()
        },
        limit: 10,
        count: CountMode::Exact,
        ..ProductQuery::default()
    };
    let mut c = db.acquire().await.unwrap();
    crate::catalog::query::run(&mut c.conn(), ctx, &q, false)
        .await
        .unwrap()
        .total
}

/// What the counter triggers keep for the organization, and what its rows say, metric by metric.
pub(crate) async fn counts_and_rows(c: &mut Conn<'_>, ctx: &Ctx) -> (Vec<(String, i64)>, Vec<(String, i64)>) {
    let read = |rows: Vec<crate::db::Row>| -> Vec<(String, i64)> {
        rows.iter()
            .map(|r| (r.get::<String>("metric").unwrap(), r.get::<i64>("n").unwrap()))
            .filter(|(_, n)| *n != 0)
            .collect()
    };
    let counted = c
        .fetch_all(
            "SELECT metric, CAST(SUM(n) AS BIGINT) AS n FROM catalog_counts WHERE organization_id = $1 \
             AND (metric LIKE 'products.%' OR metric IN ('variants', 'media_assets', 'product_media')) \
             GROUP BY metric ORDER BY metric",
            crate::args![ctx.org()],
        )
        .await
        .unwrap();
    let actual = c
        .fetch_all(
            "SELECT metric, CAST(SUM(n) AS BIGINT) AS n FROM ( \
             SELECT 'products.' || status AS metric, 1 AS n FROM products WHERE organization_id = $1 AND archived_at IS NULL \
             UNION ALL SELECT 'variants', 1 FROM variants WHERE organization_id = $1 \
             UNION ALL SELECT 'media_assets', 1 FROM media_assets WHERE organization_id = $1 \
             UNION ALL SELECT 'product_media', 1 FROM product_media WHERE organization_id = $1 \
             ) AS r GROUP BY metric ORDER BY metric",
            crate::args![ctx.org()],
        )
        .await
        .unwrap();
    (read(counted), read(actual))
}

/// A batch counts its rows itself (on SQLite), large or of one product: the counts are the
/// rows'.
#[tokio::test]
async fn batches_large_and_small_keep_the_counts_exact() {
    let (db, ctx) = setup().await;
    let mut tx = db.db.begin().await.unwrap();
    let batch: Vec<NewProduct> = (0..30)
        .map(|i| {
            let mut input = ProductInput {
                status: if i % 3 == 0 {
                    ProductStatus::Draft
                } else {
                    ProductStatus::Active
                },
                ..input(&format!("p{i}"), &format!("S-{i}"), &format!("v{i}"))
            };
            input.variants.push(VariantInput {
                sku: Some(format!("T-{i}")),
                ..VariantInput::default()
            });
            input.media = vec![MediaInput {
                source: MediaSource::New(MediaAssetInput {
                    public_url: Some(format!("https://cdn.example.com/{i}.jpg")),
                    ..MediaAssetInput::default()
                }),
                position: None,
                purpose: None,
                variant_id: None,
            }];
            input.validate().unwrap()
        })
        .collect();
    let outcomes = insert_products(&mut tx.conn(), &ctx, batch).await.unwrap();
    assert!(outcomes.iter().all(Result::is_ok), "{outcomes:?}");
    let outcomes = insert_products(&mut tx.conn(), &ctx, vec![product("small", "SMALL-1", "small")])
        .await
        .unwrap();
    assert!(outcomes[0].is_ok());
    tx.commit().await.unwrap();

    let mut c = db.db.acquire().await.unwrap();
    let (counted, actual) = counts_and_rows(&mut c.conn(), &ctx).await;
    assert_eq!(
        actual,
        [
            ("media_assets".to_owned(), 30),
            ("product_media".to_owned(), 30),
            ("products.active".to_owned(), 21),
            ("products.draft".to_owned(), 10),
            ("variants".to_owned(), 61),
        ]
    );
    assert_eq!(counted, actual);
}

/// A batch larger than a part is written part by part, and what a product of an earlier
/// part took is refused to a later one just the same.
#[tokio::test]
async fn parts_of_a_batch_see_what_earlier_parts_took() {
    let (db, ctx) = setup().await;
    let n = 2 * PART + 10;
    let batch: Vec<NewProduct> = (0..n)
        .map(|i| match i {
            i if i == PART + 3 => product("p-5", "FRESH-SKU", "fresh-ref"),
            i if i == 2 * PART + 1 => product("fresh-handle", "S-7", "fresh-ref-2"),
            i => product(&format!("p-{i}"), &format!("S-{i}"), &format!("v{i}")),
        })
        .collect();
    let mut tx = db.db.begin().await.unwrap();
    let outcomes = insert_products(&mut tx.conn(), &ctx, batch).await.unwrap();
    tx.commit().await.unwrap();
    let refused: Vec<(usize, Option<String>)> = outcomes
        .iter()
        .enumerate()
        .filter_map(|(i, o)| o.as_ref().err().map(|e| (i, e.field().map(ToString::to_string))))
        .collect();
    assert_eq!(
        refused,
        [
            (PART + 3, Some("handle".to_owned())),
            (2 * PART + 1, Some("variants[0].sku".to_owned()))
        ]
    );
    let mut c = db.db.acquire().await.unwrap();
    let (counted, actual) = counts_and_rows(&mut c.conn(), &ctx).await;
    assert_eq!(
        actual,
        [
            ("products.active".to_owned(), n as i64 - 2),
            ("variants".to_owned(), n as i64 - 2)
        ]
    );
    assert_eq!(counted, actual);
}

/// Products of one batch that claim what an earlier one took are refused in memory, so the
/// batch's write is never refused by a unique index and the others still go in.
#[tokio::test]
async fn a_batch_refuses_what_an_earlier_product_took() {
    let (db, ctx) = setup().await;
    let mut tx = db.db.begin().await.unwrap();
    let outcomes = insert_products(
        &mut tx.conn(),
        &ctx,
        vec![
            product("a", "A-1", "v1"),
            product("a", "B-1", "v2"),
            product("c", "A-1", "v3"),
            product("d", "D-1", "v1"),
            product("e", "E-1", "v5"),
        ],
    )
    .await
    .expect("the batch's write is not refused");
    tx.commit().await.unwrap();
    let fields: Vec<Option<String>> = outcomes
        .iter()
        .map(|o| o.as_ref().err().and_then(|e| e.field().map(ToString::to_string)))
        .collect();
    assert!(outcomes[0].is_ok() && outcomes[4].is_ok(), "{outcomes:?}");
    assert_eq!(
        fields,
        [
            None,
            Some("handle".into()),
            Some("variants[0].sku".into()),
            Some("variants[0].sync_source".into()),
            None
        ]
    );
}

/// Own options are written with their product's rows: a refused product leaves none, and
/// the values of those written are numbered in order, each number once.
#[tokio::test]
async fn own_options_go_in_with_their_product_only() {
    use pimento_core::options::{OptionInput, OptionSelection, OwnOption};
    let (db, ctx) = setup().await;
    let with_size = |handle: &str, sku: &str, values: &[&str]| {
        let id = OptionId::generate();
        let mut input = input(handle, sku, handle);
        input.own_options = vec![OwnOption {
            id,
            input: OptionInput {
                name: "Size".into(),
                values: values.iter().map(|v| (*v).to_owned()).collect(),
            },
        }];
        input.variants[0].options = vec![OptionSelection::ByValue {
            option_id: id,
            value: values[0].to_owned(),
        }];
        input.validate().unwrap()
    };
    let mut tx = db.db.begin().await.unwrap();
    let outcomes = insert_products(
        &mut tx.conn(),
        &ctx,
        vec![
            with_size("a", "A-1", &["S", "M"]),
            // Refused: the SKU is the first product's.
            with_size("b", "A-1", &["X", "Y", "Z"]),
            with_size("c", "C-1", &["L"]),
        ],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert!(
        outcomes[0].is_ok() && outcomes[1].is_err() && outcomes[2].is_ok(),
        "{outcomes:?}"
    );

    let mut c = db.db.acquire().await.unwrap();
    let rows = c
        .conn()
        .fetch_all(
            "SELECT p.handle, ov.value, ov.rank, ov.number FROM options o \
             JOIN option_values ov ON ov.option_id = o.id JOIN products p ON p.id = o.product_id \
             WHERE o.organization_id = $1 ORDER BY ov.number",
            crate::args![ctx.org()],
        )
        .await
        .unwrap();
    let values: Vec<(String, String, i64)> = rows
        .iter()
        .map(|r| {
            (
                r.get("handle").unwrap(),
                r.get("value").unwrap(),
                r.get("rank").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            ("a".into(), "S".into(), 0),
            ("a".into(), "M".into(), 1),
            ("c".into(), "L".into(), 0)
        ]
    );
    let numbers: Vec<i64> = rows.iter().map(|r| r.get("number").unwrap()).collect();
    assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");
    // No option is left without its product, and each variant picked a value of its own
    // product's option.
    let row = c
        .conn()
        .fetch_one(
            "SELECT (SELECT COUNT(*) FROM options o WHERE o.organization_id = $1 AND o.product_id IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM products p WHERE p.id = o.product_id)) AS orphans, \
             (SELECT COUNT(*) FROM variant_option_values vov JOIN options o ON o.id = vov.option_id \
             JOIN variants v ON v.id = vov.variant_id \
             WHERE v.organization_id = $1 AND o.product_id = v.product_id) AS own_picks",
            crate::args![ctx.org()],
        )
        .await
        .unwrap();
    assert_eq!(row.get::<i64>("orphans").unwrap(), 0);
    assert_eq!(row.get::<i64>("own_picks").unwrap(), 2);
}

/// SKUs and handles the store already holds are refused, each naming its field, while those
/// taken within the batch are refused the same way.
#[tokio::test]
async fn skus_and_handles_already_stored_are_refused() {
    let (db, ctx) = setup().await;
    let p = |handle: &str, skus: &[&str]| {
        ProductInput {
            name: handle.to_uppercase(),
            handle: Some(handle.into()),
            variants: skus
                .iter()
                .map(|s| VariantInput {
                    sku: Some((*s).into()),
                    ..VariantInput::default()
                })
                .collect(),
            ..ProductInput::default()
        }
        .validate()
        .unwrap()
    };
    let mut tx = db.db.begin().await.unwrap();
    let first = insert_products(&mut tx.conn(), &ctx, vec![p("taken", &["T-1", "T-2"])])
        .await
        .unwrap();
    assert!(first[0].is_ok());
    tx.commit().await.unwrap();
    let mut tx = db.db.begin().await.unwrap();
    let outcomes = insert_products(
        &mut tx.conn(),
        &ctx,
        vec![
            p("taken", &["N-1"]),
            p("fresh", &["N-3", "T-2"]),
            p("fresh2", &["N-2"]),
            p("fresh2", &["N-4"]),
        ],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let fields: Vec<Option<String>> = outcomes
        .iter()
        .map(|o| o.as_ref().err().and_then(|e| e.field().map(ToString::to_string)))
        .collect();
    assert_eq!(
        fields,
        [
            Some("handle".into()),
            Some("variants[1].sku".into()),
            None,
            Some("handle".into())
        ],
        "{outcomes:?}"
    );
}

/// Own options of a batch written in several parts: every product's own, its values numbered
/// once each, picked by its variant and linked to it; none for the refused product.
#[tokio::test]
async fn own_options_across_parts() {
    use pimento_core::ids::OptionId;
    use pimento_core::options::{OptionInput, OptionSelection, OwnOption};
    let (db, ctx) = setup().await;
    let n = 300;
    let items = (0..n)
        .map(|i| {
            let id = OptionId::generate();
            let sku = if i == 200 { "S-3".to_owned() } else { format!("S-{i}") };
            ProductInput {
                name: format!("P{i}"),
                handle: Some(format!("p{i}")),
                own_options: vec![OwnOption {
                    id,
                    input: OptionInput {
                        name: "Size".into(),
                        values: vec!["S".into(), "M".into()],
                    },
                }],
                variants: vec![VariantInput {
                    sku: Some(sku),
                    options: vec![OptionSelection::ByValue {
                        option_id: id,
                        value: "M".into(),
                    }],
                    ..VariantInput::default()
                }],
                ..ProductInput::default()
            }
            .validate()
            .unwrap()
        })
        .collect();
    let mut tx = db.db.begin().await.unwrap();
    let outcomes = insert_products(&mut tx.conn(), &ctx, items).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(outcomes.iter().filter(|o| o.is_err()).count(), 1);
    let mut c = db.db.acquire().await.unwrap();
    let row = c
        .conn()
        .fetch_one(
            "SELECT (SELECT COUNT(*) FROM options WHERE organization_id = $1) AS o, \
             (SELECT COUNT(*) FROM option_values v JOIN options o ON o.id = v.option_id WHERE o.organization_id = $1) AS v, \
             (SELECT COUNT(DISTINCT v.number) FROM option_values v JOIN options o ON o.id = v.option_id WHERE o.organization_id = $1) AS nums, \
             (SELECT COUNT(*) FROM variant_option_values vov JOIN option_values v ON v.id = vov.value_id WHERE v.value = 'M') AS picks, \
             (SELECT COUNT(*) FROM product_options po JOIN options o ON o.id = po.option_id WHERE o.product_id = po.product_id) AS links",
            crate::args![ctx.org()],
        )
        .await
        .unwrap();
    for (k, want) in [
        ("o", n - 1),
        ("v", 2 * (n - 1)),
        ("nums", 2 * (n - 1)),
        ("picks", n - 1),
        ("links", n - 1),
    ] {
        assert_eq!(row.get::<i64>(k).unwrap(), want as i64, "{k}");
    }
}

/// A new product cannot take another product's own option.
#[tokio::test]
async fn another_products_own_option_is_refused() {
    use pimento_core::options::{OptionInput, OwnOption};
    let (db, ctx) = setup().await;
    let store = Store::new(db.db.clone());
    let own = OptionId::generate();
    store
        .create_product(
            &ctx,
            ProductInput {
                own_options: vec![OwnOption {
                    id: own,
                    input: OptionInput {
                        name: "Size".into(),
                        values: vec!["S".into()],
                    },
                }],
                ..input("a", "A-1", "a")
            },
        )
        .await
        .unwrap();
    let refused = store
        .create_product(
            &ctx,
            ProductInput {
                option_ids: vec![own],
                ..input("b", "B-1", "b")
            },
        )
        .await
        .unwrap_err();
    let StoreError::Domain(e) = &refused else {
        panic!("{refused:?}");
    };
    assert_eq!(
        e.field().map(ToString::to_string).as_deref(),
        Some("option_ids[0]"),
        "{e:?}"
    );
}

/// A batch pauses the triggers and indexes its products itself: each is found by its name
/// and SKU after the write, a large batch and the single products before and after it.
#[tokio::test]
async fn products_of_a_paused_batch_are_found_by_search() {
    let (db, ctx) = setup().await;
    let n = 3 * PART + 7;
    let mut tx = db.db.begin().await.unwrap();
    insert_products(&mut tx.conn(), &ctx, vec![product("lone-before", "LB-1", "lb")])
        .await
        .unwrap();
    let batch = (0..n)
        .map(|i| product(&format!("bulk-{i}"), &format!("BULK-{i}"), &format!("b{i}")))
        .collect();
    let outcomes = insert_products(&mut tx.conn(), &ctx, batch).await.unwrap();
    assert!(outcomes.iter().all(Result::is_ok));
    insert_products(&mut tx.conn(), &ctx, vec![product("lone-after", "LA-1", "la")])
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let found = |search: &'static str| search_total(&db.db, &ctx, search);
    assert_eq!(found("bulk").await, Some(n as i64), "every product by its name");
    assert_eq!(found("bulk 200").await, Some(1), "one by its name and number");
    assert_eq!(found("bulk-0").await, Some(1));
    assert_eq!(found("lone").await, Some(2), "the products written alone");
    assert_eq!(found("lb").await, Some(1), "by SKU");
    if db.db.backend() == Backend::Sqlite {
        let mut c = db.db.acquire().await.unwrap();
        let seqs: Vec<i64> = c
            .conn()
            .fetch_all("SELECT seq FROM products ORDER BY seq", vec![])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("seq").unwrap())
            .collect();
        assert_eq!(
            seqs,
            (1..=n as i64 + 2).collect::<Vec<_>>(),
            "numbered in order, once each"
        );
    }
}
