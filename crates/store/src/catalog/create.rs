//! Creating products, one from an API call or a whole import chunk at once, through one path:
//! the facts the batch refers to are loaded once, each product is checked against them, and the
//! rows of every product that passes are written together. A refused product writes nothing.

use super::batch::{Claims, Facts, NOT_A_VARIANT, Rows};
use super::numbers::{self, Numbered};
use crate::db::{Backend, Conn, Val};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use pimento_core::audit::Change;
use pimento_core::auth::Ctx;
use pimento_core::handle::slugify;
use pimento_core::ids::{OptionId, OptionValueId, ProductId};
use pimento_core::options::{NewOption, OptionValue, VariantOption};
use pimento_core::product::{NewProduct, Product};
use pimento_core::{CoreError, Entity};
use std::collections::HashSet;

/// Creates the products, each with its options, variants, media and sync source, inside the
/// caller's transaction. Each product gets its own outcome; the ones refused write nothing.
pub(crate) async fn insert_products(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    mut items: Vec<NewProduct>,
) -> Result<Vec<Result<ProductId, CoreError>>, StoreError> {
    let mut facts = Facts::default();
    // One number per product; a refused product's number is not given to anyone.
    let mut newest = None;
    match c.backend() {
        Backend::Sqlite => {
            // Both counters a batch continues, in one statement: the search index's `seq` and
            // the organization's product numbers (migrations 0008 and 0009); and the highest id.
            let row = c
                .fetch_one(
                    format!(
                        "SELECT (SELECT COALESCE(MAX(seq), 0) + 1 FROM products) AS seq, {} AS last, \
                         (SELECT MAX(id) FROM products) AS newest",
                        numbers::SQLITE_LAST_PRODUCT
                    ),
                    crate::args![ctx.org()],
                )
                .await?;
            facts.next_seq = Some(row.get::<i64>("seq")?);
            let last: i64 = row.get("last")?;
            facts.numbers = (last + 1..=last + items.len() as i64).collect();
            newest = row.opt_id::<ProductId>("newest")?;
        }
        Backend::Postgres => {
            facts.numbers = numbers::take(c, ctx.org(), Numbered::Product, items.len())
                .await?
                .into();
        }
    }
    // Ids are given here, in the write transaction, so that they follow the write order; on
    // SQLite each is above every stored one, so that the search index's rowids (`seq`, given
    // in write order) are in id order even when another process wrote in the same millisecond.
    for p in items.iter_mut() {
        let id = ProductId::generate();
        p.id = match newest {
            Some(ProductId(n)) if id.0 <= n => ProductId(uuid::Uuid::from_u128(n.as_u128().saturating_add(1))),
            _ => id,
        };
        newest = Some(p.id);
    }
    // A product's own options are made here and written with its rows (see `plan`), so that a
    // refused product leaves none behind; their values' numbers are taken for the batch at once.
    let now = Utc::now();
    let own_values = items
        .iter()
        .flat_map(|p| &p.own_options)
        .map(|(_, o)| o.values.len())
        .sum();
    let mut value_numbers = numbers::take(c, ctx.org(), Numbered::OptionValue, own_values)
        .await?
        .into_iter();
    let mut own = HashSet::new();
    for p in &items {
        for (id, o) in &p.own_options {
            facts.add_option(own_option(ctx, p.id, *id, o, &mut value_numbers, now)?);
            own.insert(*id);
        }
    }
    let options: Vec<_> = items
        .iter()
        .flat_map(|p| p.option_ids.iter().copied())
        .filter(|id| !own.contains(id))
        .collect();
    facts.load_options(c, ctx, options).await?;
    let classifications: Vec<_> = items.iter().map(|p| &p.classification).collect();
    facts.load_classifications(c, ctx, &classifications).await?;
    let mut skus = Vec::new();
    let mut handles = Vec::new();
    let mut refs = Vec::new();
    let mut media = Vec::new();
    for p in &items {
        skus.extend(p.variants.iter().filter_map(|v| v.sku.clone()));
        handles.extend(p.handle.clone());
        refs.extend(p.sync.iter().map(|s| (Entity::Product, s)));
        refs.extend(
            p.variants
                .iter()
                .filter_map(|v| v.sync.as_ref().map(|s| (Entity::Variant, s))),
        );
        media.extend(p.media.iter());
    }
    facts.load_skus_and_handles(c, ctx, skus, handles).await?;
    facts.load_refs(c, ctx, refs).await?;
    facts.load_assets(c, ctx, &media).await?;
    // A product without a handle gets one derived from its name, free in the store and the batch.
    let mut derived: HashSet<String> = HashSet::new();
    for p in items.iter_mut().filter(|p| p.handle.is_none()) {
        let h = free_handle(c, ctx, &p.name, &derived).await?;
        derived.insert(h.clone());
        p.handle = Some(h);
    }

    // Planned a part at a time, each part planned and bound while the database writes the one
    // before: the database works on its own thread (SQLite) or machine (PostgreSQL).
    let backend = c.backend();
    let mut outcomes = Vec::with_capacity(items.len());
    let mut items = items.into_iter();
    let mut write = plan_part(&mut facts, ctx, &mut items, now, &mut outcomes).into_write(backend, ctx)?;
    while items.len() > 0 {
        let (written, next) = tokio::join!(write.run(c), async {
            plan_part(&mut facts, ctx, &mut items, now, &mut outcomes).into_write(backend, ctx)
        });
        written?;
        write = next?;
    }
    write.run(c).await?;
    Ok(outcomes)
}

/// A new product's own option as it will be stored, its values numbered from `numbers`.
pub(super) fn own_option(
    ctx: &Ctx,
    product: ProductId,
    id: OptionId,
    o: &NewOption,
    numbers: &mut impl Iterator<Item = i64>,
    now: DateTime<Utc>,
) -> Result<VariantOption, StoreError> {
    let values = o
        .values
        .iter()
        .enumerate()
        .map(|(rank, value)| {
            Ok(OptionValue {
                id: OptionValueId::generate(),
                option_id: id,
                number: numbers
                    .next()
                    .ok_or_else(|| StoreError::Corrupt("too few option value numbers were taken".into()))?,
                value: value.clone(),
                rank: rank as i64,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(VariantOption {
        id,
        organization_id: ctx.org(),
        product_id: Some(product),
        name: o.name.clone(),
        values,
        created_at: now,
        created_by: ctx.actor().to_owned(),
        updated_at: now,
        updated_by: ctx.actor().to_owned(),
        version: pimento_core::version::Version(1),
    })
}

/// Products planned and written together; a chunk of an import holds several parts.
const PART: usize = 125;

/// Plans the next [`PART`] products: their outcomes go to `outcomes`, the rows of those that
/// pass come back, and what they take goes to `facts`.
fn plan_part(
    facts: &mut Facts,
    ctx: &Ctx,
    items: &mut std::vec::IntoIter<NewProduct>,
    now: DateTime<Utc>,
    outcomes: &mut Vec<Result<ProductId, CoreError>>,
) -> Rows {
    let mut rows = Rows::default();
    for p in items.take(PART) {
        let mut claims = Claims::default();
        let mut own = Rows::default();
        let number = facts.numbers.front().copied().unwrap_or_default();
        let outcome = plan(&mut own, facts, &mut claims, ctx, p, number, now);
        if outcome.is_ok() {
            facts.numbers.pop_front();
            facts.take(claims);
            if let Some(next) = &mut facts.next_seq {
                own.number(next);
            }
            rows.append(own);
        }
        outcomes.push(outcome);
    }
    rows
}

/// Checks one new product against the facts and adds its rows, and what it takes to `claims`.
fn plan(
    rows: &mut Rows,
    facts: &Facts,
    claims: &mut Claims,
    ctx: &Ctx,
    p: NewProduct,
    number: i64,
    now: DateTime<Utc>,
) -> Result<ProductId, CoreError> {
    let id = p.id;
    let options = facts
        .options_in_order(&p.option_ids)
        .map_err(|i| CoreError::invalid(format!("option_ids[{i}]"), "variant option not found"))?;
    // Another product's own option is not to be shared (as a product update refuses it too).
    if let Some((i, o)) = options
        .iter()
        .enumerate()
        .find(|(_, o)| o.product_id.is_some_and(|owner| owner != id))
    {
        return Err(CoreError::invalid(
            format!("option_ids[{i}]"),
            format!("option {} belongs to another product", o.name),
        ));
    }
    let ref_id = match &p.sync {
        Some(s) => {
            facts.check_claim(claims, Entity::Product, s)?;
            claims.add_ref(Entity::Product, s);
            Some(rows.add_ref(ctx, Entity::Product, id.0, s, now))
        }
        None => None,
    };
    let handle = p.handle.unwrap_or_default();
    let mut product = Product {
        id,
        organization_id: ctx.org(),
        number,
        handle: handle.clone(),
        name: p.name,
        url: p.url,
        description: p.description,
        status: p.status,
        metadata: p.metadata,
        default_variant_id: None,
        category_id: None,
        brand_id: None,
        template_id: None,
        attributes: None,
        vendor_id: None,
        collection_id: None,
        type_id: None,
        details: p.details,
        extensions: p.extensions,
        created_at: now,
        created_by: ctx.actor().to_owned(),
        updated_at: now,
        updated_by: ctx.actor().to_owned(),
        archived_at: None,
        version: pimento_core::version::Version(1),
    };
    let tags = p.classification.tags.clone().unwrap_or_default();
    facts.classify(&mut product, p.classification)?;
    facts.check_handle(&handle)?;
    claims.handle = Some(handle);
    for (rank, o) in options.iter().enumerate() {
        if o.product_id == Some(id) {
            rows.add_own_option(o, &ctx.shared_actor());
        }
        rows.product_options.push(crate::args![id, o.id, rank as i64]);
    }
    for (rank, t) in tags.iter().enumerate() {
        rows.product_tags.push(crate::args![id, *t, rank as i64]);
    }
    let variant_ids = rows.add_variants(facts, claims, ctx, id, &options, p.variants, 0, Some("variants"), now)?;
    // A new product's variants are new too: media cannot name one yet.
    rows.add_media(facts, ctx, id, &HashSet::new(), p.media, 0, Some("media"), now)?;
    product.default_variant_id = match p.default_variant_id {
        Some(_) => return Err(CoreError::invalid("default_variant_id", NOT_A_VARIANT)),
        None => variant_ids.first().copied(),
    };
    rows.add_product(
        product.status,
        crate::args![
            id,
            ctx.org(),
            product.handle.clone(),
            product.name.clone(),
            product.url.clone(),
            product.description.clone(),
            Val::Static(product.status.as_str()),
            product.metadata.clone(),
            product.default_variant_id,
            ref_id,
            now,
            ctx.shared_actor(),
            now,
            ctx.shared_actor(),
            product.category_id,
            product.brand_id,
            product.template_id,
            product.attributes.clone().map(serde_json::Value::Object),
            number,
            product.vendor_id,
            product.collection_id,
            product.type_id,
        ]
        .into_iter()
        .chain(details_args(&product))
        .collect(),
    );
    rows.changes
        .push(Change::created(Entity::Product, id.0, product.snapshot()));
    Ok(id)
}

/// The detail and extension columns of a product row, in the order the inserts and the update
/// name them: subtitle to height, then extensions.
pub(super) fn details_args(p: &Product) -> Vec<Val> {
    let d = &p.details;
    crate::args![
        d.subtitle.clone(),
        d.short_description.clone(),
        d.thumbnail.clone(),
        d.seo.name.clone(),
        d.seo.page_title.clone(),
        d.seo.meta_description.clone(),
        d.seo.meta_keywords.clone(),
        d.dimensions.weight,
        d.dimensions.length,
        d.dimensions.width,
        d.dimensions.height,
        p.extensions.to_json(),
    ]
}

/// A handle derived from the name that no product of the organization has yet, nor `also`.
async fn free_handle(c: &mut Conn<'_>, ctx: &Ctx, name: &str, also: &HashSet<String>) -> Result<String, StoreError> {
    let base = slugify(name);
    // One range on the (organization, handle) index holds `base` and every `base-…`: handles
    // are [a-z0-9_-], and '-' sorts just before '.'.
    let rows = c
        .fetch_all(
            "SELECT handle FROM products WHERE organization_id = $1 AND handle >= $2 AND handle < $3",
            crate::args![ctx.org(), base.clone(), format!("{base}.")],
        )
        .await?;
    let mut taken: HashSet<String> = rows
        .iter()
        .map(|r| r.get::<String>("handle"))
        .collect::<Result<_, _>>()?;
    taken.extend(also.iter().cloned());
    if !taken.contains(&base) {
        return Ok(base);
    }
    let n = (2..).find(|n| !taken.contains(&format!("{base}-{n}"))).unwrap_or(2);
    Ok(format!("{base}-{n}"))
}

#[cfg(test)]
pub(crate) mod tests {
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
}
