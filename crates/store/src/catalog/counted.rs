//! Batches of new rows that count and index themselves (migration 0005): on SQLite the counter
//! and search triggers fire once per row, and each variant's trigger re-indexes its whole product, so a
//! batch pauses them inside a savepoint, adds its counts once per metric, indexes each product
//! once, and is undone whole should it fail part way. The pause rides in the batch's one
//! command, so even a single create takes this path: a product with three variants is indexed
//! once instead of four times.

use crate::db::{Backend, Conn, Sql, Val, value_rows_for};
use crate::error::StoreError;
use pimento_core::auth::Ctx;

/// Adds `counts` (metric, rows) to the organization's counts in one statement; `None` when
/// there is nothing to add.
pub(crate) fn counts_statement(backend: Backend, ctx: &Ctx, counts: Vec<(String, i64)>) -> Option<(Sql, Vec<Val>)> {
    if counts.is_empty() {
        return None;
    }
    let sql = format!(
        "INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES {} \
         ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = catalog_counts.n + excluded.n",
        value_rows_for(backend, counts.len(), 4)
    );
    let args = counts
        .into_iter()
        .flat_map(|(metric, n)| crate::args![ctx.org(), metric, 0_i64, n])
        .collect();
    Some((Sql::from(sql), args))
}

/// Runs `statements` in a savepoint with the counter triggers paused (see
/// `Rows::counts_itself`); the last of them add the rows' counts.
pub(crate) fn counted_batch(
    statements: impl Iterator<Item = (Sql, Vec<Val>)>,
) -> impl Iterator<Item = (Sql, Vec<Val>)> {
    let step = |sql: &'static str| (Sql::from(sql), Vec::new());
    [
        step("SAVEPOINT counted_batch"),
        step("INSERT INTO catalog_count_pauses (id) VALUES (1)"),
    ]
    .into_iter()
    .chain(statements)
    .chain([step("DELETE FROM catalog_count_pauses"), step("RELEASE counted_batch")])
}

/// Undoes a counted batch that failed part way, so no row stays uncounted and the triggers
/// count again; the batch's error is what the caller hears.
pub(crate) async fn undo_counted_batch(c: &mut Conn<'_>, result: Result<(), StoreError>) -> Result<(), StoreError> {
    if result.is_err() {
        // Fails only when the failure already ended the transaction, taking the batch with it.
        let _ = c.execute("ROLLBACK TO counted_batch", vec![]).await;
        let _ = c.execute("RELEASE counted_batch", vec![]).await;
    }
    result
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::Store;
    use crate::catalog::batch::Rows;
    use crate::catalog::create::tests::{counts_and_rows, search_total, setup};
    use crate::catalog::product_change::{ProductChange, VariantChange};
    use chrono::{DateTime, Utc};
    use pimento_core::ids::{ProductId, VariantId};
    use pimento_core::media::{MediaAssetInput, MediaInput, MediaSource};
    use pimento_core::product::ProductInput;
    use pimento_core::product::ProductStatus;
    use pimento_core::variant::VariantInput;
    use serde_json::Value;
    use uuid::Uuid;

    /// A new product's row, with every optional column empty.
    fn product_row(
        ctx: &Ctx,
        id: ProductId,
        number: i64,
        handle: &str,
        status: ProductStatus,
        now: DateTime<Utc>,
    ) -> Vec<Val> {
        crate::args![
            id,
            ctx.org(),
            handle,
            "P",
            None::<String>,
            None::<String>,
            status.as_str(),
            None::<Value>,
            None::<Uuid>,
            None::<Uuid>,
            now,
            ctx.actor(),
            now,
            ctx.actor(),
            None::<Uuid>,
            None::<Uuid>,
            None::<Uuid>,
            None::<Value>,
            number,
            None::<Uuid>,
            None::<Uuid>,
            None::<Uuid>,
        ]
        .into_iter()
        .chain(std::iter::repeat_n(Val::Text(None), 7))
        .chain(std::iter::repeat_n(Val::Float(None), 4))
        .chain([Val::Json(None)])
        .collect()
    }

    /// A batch that fails part way (here, on its variants, after its products went in) leaves
    /// no row behind, so none is left uncounted, and the writes after it are counted again.
    #[tokio::test]
    async fn a_batch_that_fails_part_way_leaves_no_uncounted_row() {
        let (db, ctx) = setup().await;
        let now = Utc::now();
        let mut rows = Rows::default();
        let product = ProductId::generate();
        for i in 0..70 {
            let id = if i == 0 { product } else { ProductId::generate() };
            rows.add_product(
                ProductStatus::Active,
                product_row(&ctx, id, i + 1, &format!("p{i}"), ProductStatus::Active, now),
            );
        }
        for rank in 0..2_i64 {
            // The same SKU twice: the variants' insert is refused after the products' went in.
            rows.variants.push(crate::args![
                VariantId::generate(),
                ctx.org(),
                product,
                None::<String>,
                "DUP-1",
                None::<String>,
                None::<i64>,
                None::<String>,
                0_i64,
                rank,
                None::<String>,
                None::<Value>,
                None::<Uuid>,
                now,
                ctx.actor(),
                now,
                ctx.actor(),
                None::<i64>,
                None::<Value>,
                None::<Value>,
            ]);
        }
        let mut tx = db.db.begin().await.unwrap();
        let refused = rows
            .into_write(crate::testing::backend(), &ctx)
            .unwrap()
            .run(&mut tx.conn())
            .await;
        assert!(refused.is_err(), "{refused:?}");
        // On SQLite the transaction goes on, as an import's does after a refused batch;
        // PostgreSQL ends a transaction at its first error.
        if crate::testing::backend() == Backend::Postgres {
            drop(tx);
            tx = db.db.begin().await.unwrap();
        }
        let mut small = Rows::default();
        small.add_product(
            ProductStatus::Draft,
            product_row(&ctx, ProductId::generate(), 100, "after", ProductStatus::Draft, now),
        );
        small
            .into_write(crate::testing::backend(), &ctx)
            .unwrap()
            .run(&mut tx.conn())
            .await
            .unwrap();
        tx.commit().await.unwrap();

        let mut c = db.db.acquire().await.unwrap();
        let (counted, actual) = counts_and_rows(&mut c.conn(), &ctx).await;
        assert_eq!(actual, [("products.draft".to_owned(), 1)]);
        assert_eq!(counted, actual);
    }

    fn media(url: &str) -> MediaInput {
        MediaInput {
            source: MediaSource::New(MediaAssetInput {
                public_url: Some(url.into()),
                ..MediaAssetInput::default()
            }),
            position: None,
            purpose: None,
            variant_id: None,
        }
    }

    fn variant(sku: &str) -> VariantInput {
        VariantInput {
            sku: Some(sku.into()),
            ..VariantInput::default()
        }
    }

    /// Every batch write counts and indexes itself on SQLite, however small: a variant or media
    /// added alone, a change that adds a variant and replaces media, a product batch. The
    /// counts stay the rows', every new SKU is found, and no pause is left behind.
    #[tokio::test]
    async fn small_writes_to_existing_products_count_and_index_themselves() {
        let (db, ctx) = setup().await;
        let store = Store::new(db.db.clone());
        let id = store
            .create_product(
                &ctx,
                ProductInput {
                    name: "Alpha Shirt".into(),
                    variants: vec![variant("ALPHA-0")],
                    ..ProductInput::default()
                },
            )
            .await
            .unwrap()
            .0
            .product
            .id;
        let other = store
            .create_product(
                &ctx,
                ProductInput {
                    name: "Beta Mug".into(),
                    ..ProductInput::default()
                },
            )
            .await
            .unwrap()
            .0
            .product
            .id;
        // One variant added to an existing product.
        store.create_variant(&ctx, id, variant("ZEBRA-1")).await.unwrap();
        // A variant without SKU.
        store
            .create_variant(&ctx, other, VariantInput::default())
            .await
            .unwrap();
        // Media.
        store
            .add_media(&ctx, id, None, media("https://x.example/1.jpg"))
            .await
            .unwrap();
        // A Medusa-style change: a new variant, media replaced.
        store
            .change_product(
                &ctx,
                other,
                None,
                ProductChange {
                    variants: vec![VariantChange::Create(variant("QUOKKA-7"))],
                    media: Some(vec![media("https://x.example/2.jpg"), media("https://x.example/3.jpg")]),
                    ..ProductChange::default()
                },
            )
            .await
            .unwrap();
        // A product batch: a create and an update in one transaction.
        store
            .batch_products(
                &ctx,
                crate::catalog::ProductBatch {
                    create: vec![ProductInput {
                        name: "Gamma Hat".into(),
                        variants: vec![variant("GAMMA-1"), variant("GAMMA-2")],
                        media: vec![media("https://x.example/4.jpg")],
                        ..ProductInput::default()
                    }],
                    update: vec![(
                        id,
                        ProductChange {
                            variants: vec![VariantChange::Create(variant("WOMBAT-3"))],
                            ..ProductChange::default()
                        },
                    )],
                    archive: vec![],
                },
            )
            .await
            .unwrap();

        let mut c = db.db.acquire().await.unwrap();
        let (counted, actual) = counts_and_rows(&mut c.conn(), &ctx).await;
        assert_eq!(counted, actual);
        drop(c);

        let found = |search: &'static str| search_total(&db.db, &ctx, search);
        assert_eq!(found("zebra").await, Some(1), "variant added alone");
        assert_eq!(found("alpha").await, Some(1));
        assert_eq!(found("quokka").await, Some(1), "variant added by a change");
        assert_eq!(found("wombat").await, Some(1), "variant added by a batch update");
        assert_eq!(found("gamma").await, Some(1));
        assert_eq!(found("beta").await, Some(1));
        if db.db.backend() == crate::db::Backend::Sqlite {
            let mut c = db.db.acquire().await.unwrap();
            let n = c
                .conn()
                .fetch_one("SELECT COUNT(*) AS n FROM catalog_count_pauses", vec![])
                .await
                .unwrap()
                .get::<i64>("n")
                .unwrap();
            assert_eq!(n, 0, "no pause left behind");
        }
    }
}
