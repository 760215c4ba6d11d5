//! Variants of a product: add, list, change, delete.

use super::guard;
use super::products::readable_product;
use super::write::{check_skus_free, insert_variants, next_rank, resolve, touch_product};
use crate::Store;
use crate::audit;
use crate::db::{Conn, Val, placeholders};
use crate::error::StoreError;
use crate::load;
use crate::page::{MAX_LIMIT, Page};
use chrono::Utc;
use pimento_core::audit::{Action, Change};
use pimento_core::auth::Ctx;
use pimento_core::ids::{ProductId, VariantId};
use pimento_core::options::VariantOption;
use pimento_core::variant::{NewVariant, Variant, VariantChanges, VariantInput, VariantPatch, prices_json};
use pimento_core::version::Precondition;
use pimento_core::{CoreError, Entity};

impl Store {
    /// Adds a variant to a product; the first variant becomes the product's default.
    #[tracing::instrument(skip_all, fields(org = %ctx.org(), product = %product))]
    pub async fn create_variant(
        &self,
        ctx: &Ctx,
        product: ProductId,
        input: VariantInput,
    ) -> Result<Variant, StoreError> {
        ctx.principal.require_secret()?;
        let v = input.validate()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        touch_product(&mut c, ctx, product).await?;
        let assigned = load::assigned_options(&mut c, ctx.org(), product).await?;
        let rank = next_rank(
            &mut c,
            "SELECT MAX(rank) AS n FROM variants WHERE product_id = $1",
            product,
        )
        .await?;
        let (ids, changes) = insert_variants(&mut c, ctx, product, &assigned, vec![v], rank, None).await?;
        let id = ids
            .first()
            .copied()
            .ok_or_else(|| StoreError::Corrupt("variant not created".into()))?;
        c.execute(
            "UPDATE products SET default_variant_id = $1 WHERE id = $2 AND default_variant_id IS NULL",
            crate::args![id, product],
        )
        .await?;
        audit::record(&mut c, ctx, changes).await?;
        let variant = one_variant(&mut c, ctx, product, id).await?;
        tx.commit().await?;
        Ok(variant)
    }

    /// The variants of a product in rank order.
    pub async fn list_variants(&self, ctx: &Ctx, product: ProductId) -> Result<Vec<Variant>, StoreError> {
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        readable_product(&mut c, ctx, product).await?;
        Ok(load::variants_of(&mut c, ctx.org(), &[product.0])
            .await?
            .remove(&product)
            .unwrap_or_default())
    }

    /// One variant of a product.
    pub async fn get_variant(&self, ctx: &Ctx, product: ProductId, id: VariantId) -> Result<Variant, StoreError> {
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        readable_product(&mut c, ctx, product).await?;
        one_variant(&mut c, ctx, product, id).await
    }

    /// Changes a variant's fields, when it meets `pre`; `options`, when given, replaces its
    /// option values.
    #[tracing::instrument(skip_all, fields(org = %ctx.org(), product = %product, variant = %id))]
    pub async fn update_variant(
        &self,
        ctx: &Ctx,
        product: ProductId,
        id: VariantId,
        pre: Option<&Precondition>,
        patch: VariantPatch,
    ) -> Result<Variant, StoreError> {
        ctx.principal.require_secret()?;
        let changes = patch.validate()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        touch_product(&mut c, ctx, product).await?;
        guard::variant(&mut c, ctx, product, id, pre).await?;
        let before = one_variant(&mut c, ctx, product, id).await?;
        let assigned = load::assigned_options(&mut c, ctx.org(), product).await?;
        let change = apply_changes(&mut c, ctx, &before, &assigned, changes).await?;
        audit::record(&mut c, ctx, vec![change]).await?;
        let variant = one_variant(&mut c, ctx, product, id).await?;
        tx.commit().await?;
        Ok(variant)
    }

    /// Deletes a variant, when it meets `pre`. When it was the default, the next variant by rank takes its place.
    #[tracing::instrument(skip_all, fields(org = %ctx.org(), product = %product, variant = %id))]
    pub async fn delete_variant(
        &self,
        ctx: &Ctx,
        product: ProductId,
        id: VariantId,
        pre: Option<&Precondition>,
    ) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        touch_product(&mut c, ctx, product).await?;
        guard::variant(&mut c, ctx, product, id, pre).await?;
        let change = remove_variant(&mut c, ctx, product, id).await?;
        audit::record(&mut c, ctx, vec![change]).await?;
        tx.commit().await
    }
}

/// Deletes a variant inside the caller's transaction (the next by rank becomes the default if
/// it was); returns the change to record.
pub(super) async fn remove_variant(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    product: ProductId,
    id: VariantId,
) -> Result<Change, StoreError> {
    let before = one_variant(c, ctx, product, id).await?;
    c.execute(
        "DELETE FROM external_refs WHERE organization_id = $1 AND entity_type = 'variant' AND entity_id = $2",
        crate::args![ctx.org(), id],
    )
    .await?;
    c.execute(
        "DELETE FROM variants WHERE organization_id = $1 AND id = $2",
        crate::args![ctx.org(), id],
    )
    .await?;
    c.execute(
        "UPDATE products SET default_variant_id = (SELECT v.id FROM variants v WHERE v.product_id = $1 ORDER BY v.rank, v.id LIMIT 1) \
         WHERE id = $1 AND default_variant_id = $2",
        crate::args![product, id],
    )
    .await?;
    Ok(Change::deleted(Entity::Variant, id.0, &before.snapshot()))
}

/// One variant of a product, or not-found.
pub(super) async fn one_variant(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    product: ProductId,
    id: VariantId,
) -> Result<Variant, StoreError> {
    load::variants_of(c, ctx.org(), &[product.0])
        .await?
        .remove(&product)
        .and_then(|vs| vs.into_iter().find(|v| v.id == id))
        .ok_or_else(|| CoreError::NotFound(Entity::Variant).into())
}

/// Writes checked changes to a stored variant and returns the audit change.
pub(super) async fn apply_changes(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    before: &Variant,
    assigned: &[VariantOption],
    ch: VariantChanges,
) -> Result<Change, StoreError> {
    let mut ch = ch;
    let mut after = before.clone();
    if let pimento_core::patch::Patch::Set(sku) = &ch.sku {
        check_skus_free(c, ctx, &[(0, sku.as_str())], Some(before.id), None).await?;
    }
    ch.apply_to(&mut after)?;
    let mut key_update = None;
    if let Some(options) = ch.options {
        let probe = NewVariant {
            title: None,
            sku: None,
            barcode: None,
            price: None,
            inventory_quantity: 0,
            metadata: None,
            options,
            sync: None,
            list_price: None,
            prices: Vec::new(),
            extensions: Default::default(),
        };
        let (values, key) = resolve(assigned, &probe)?;
        after.options = values;
        key_update = Some(key);
    }
    let now = Utc::now();
    c.execute(
        "UPDATE variants SET title = $1, sku = $2, barcode = $3, price_minor = $4, currency = $5, inventory_quantity = $6, \
         metadata = $7, updated_at = $8, updated_by = $9, list_price_minor = $12, prices = $13, extensions = $14, \
         version = version + 1 \
         WHERE organization_id = $10 AND id = $11",
        crate::args![
            after.title.clone(),
            after.sku.clone(),
            after.barcode.clone(),
            after.price.map(|p| p.minor),
            after.price.map(|p| p.currency.code().to_owned()),
            after.inventory_quantity,
            after.metadata.clone(),
            now,
            ctx.actor(),
            ctx.org(),
            before.id,
            after.list_price.map(|p| p.minor),
            (!after.prices.is_empty()).then(|| prices_json(&after.prices)),
            after.extensions.to_json(),
        ],
    )
    .await?;
    if let Some(key) = key_update {
        c.execute(
            "UPDATE variants SET options_key = $1 WHERE id = $2",
            crate::args![key, before.id],
        )
        .await?;
        c.execute(
            "DELETE FROM variant_option_values WHERE variant_id = $1",
            crate::args![before.id],
        )
        .await?;
        for o in &after.options {
            c.execute(
                "INSERT INTO variant_option_values (variant_id, option_id, value_id) VALUES ($1, $2, $3)",
                crate::args![before.id, o.option_id, o.value_id],
            )
            .await?;
        }
    }
    Ok(Change::new(
        Entity::Variant,
        before.id.0,
        Action::Update,
        &before.snapshot(),
        &after.snapshot(),
    ))
}

/// Which variants a page holds, across the organization's live products.
#[derive(Debug, Clone, Default)]
pub struct VariantQuery {
    pub ids: Option<Vec<VariantId>>,
    /// Exact SKUs.
    pub skus: Option<Vec<String>>,
    /// Text the title or SKU contains, ignoring case.
    pub contains: Option<String>,
    pub limit: u32,
    pub offset: u64,
}

impl Store {
    /// A page of the organization's variants by offset, in creation order, counted.
    pub async fn page_variants(&self, ctx: &Ctx, q: &VariantQuery) -> Result<Page<Variant>, StoreError> {
        ctx.principal.require_secret()?;
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        let mut args = crate::args![ctx.org()];
        let mut filter = String::from(
            "FROM variants v JOIN products p ON p.id = v.product_id WHERE v.organization_id = $1 AND p.archived_at IS NULL",
        );
        if let Some(ids) = &q.ids {
            if ids.is_empty() {
                filter.push_str(" AND 1 = 0");
            } else {
                filter.push_str(&format!(" AND v.id IN ({})", placeholders(args.len() + 1, ids.len())));
                args.extend(ids.iter().map(|id| Val::from(*id)));
            }
        }
        if let Some(skus) = &q.skus {
            if skus.is_empty() {
                filter.push_str(" AND 1 = 0");
            } else {
                filter.push_str(&format!(" AND v.sku IN ({})", placeholders(args.len() + 1, skus.len())));
                args.extend(skus.iter().map(|s| Val::from(s.as_str())));
            }
        }
        if let Some(text) = q.contains.as_deref().filter(|t| !t.is_empty()) {
            let at = args.len() + 1;
            filter.push_str(&format!(
                " AND (lower(v.title) LIKE lower(${at}) ESCAPE '\\' OR lower(v.sku) LIKE lower(${at}) ESCAPE '\\')"
            ));
            args.push(Val::from(crate::db::like_pattern(text)));
        }
        let total: i64 = c
            .fetch_one(format!("SELECT COUNT(*) AS n {filter}"), args.clone())
            .await?
            .get("n")?;
        let n = args.len();
        args.push(Val::from(i64::from(q.limit.clamp(1, MAX_LIMIT))));
        args.push(Val::from(i64::try_from(q.offset).unwrap_or(i64::MAX)));
        let rows = c
            .fetch_all(
                format!(
                    "SELECT v.id, v.product_id {filter} ORDER BY v.id LIMIT ${} OFFSET ${}",
                    n + 1,
                    n + 2
                ),
                args,
            )
            .await?;
        let mut wanted = Vec::with_capacity(rows.len());
        let mut products = Vec::new();
        for r in rows {
            let (id, product): (VariantId, ProductId) = (r.id("id")?, r.id("product_id")?);
            if !products.contains(&product.0) {
                products.push(product.0);
            }
            wanted.push(id);
        }
        let mut by_product = if products.is_empty() {
            Default::default()
        } else {
            load::variants_of(&mut c, ctx.org(), &products).await?
        };
        let mut all: Vec<Variant> = by_product.drain().flat_map(|(_, vs)| vs).collect();
        let items = wanted
            .iter()
            .filter_map(|id| all.iter().position(|v| v.id == *id).map(|i| all.swap_remove(i)))
            .collect();
        Ok(Page {
            items,
            next_cursor: None,
            total: Some(total),
        })
    }
}
