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
pub(crate) mod tests;
