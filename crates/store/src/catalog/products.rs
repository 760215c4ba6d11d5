//! Products: create (and upsert by sync source), read, list, search, update, archive.

use super::CachedProduct;
use super::guard;
use super::write::{self, insert_media, insert_variants, touch_product, update_ref};
use crate::Store;
use crate::audit;
use crate::db::{Conn, Val};
use crate::error::StoreError;
use crate::load;
use crate::page::{MAX_LIMIT, Page};
use chrono::Utc;
use pimento_core::FieldPath;
use pimento_core::audit::{Action, Change};
use pimento_core::auth::Ctx;
use pimento_core::ids::{OptionId, ProductId, TagId};
use pimento_core::options::VariantOption;
use pimento_core::patch::Patch;
use pimento_core::product::{Include, NewProduct, Product, ProductInput, ProductPatch, ProductView, check_option_ids};
use pimento_core::query::ProductQuery;
use pimento_core::variant::NewVariant;
use pimento_core::version::Precondition;
use pimento_core::{CoreError, Entity};
use std::collections::HashSet;

/// What a create does when its sync source names a product the organization has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnExisting {
    /// Updates that product (an upsert).
    Update,
    /// Refuses, naming the product's version (HTTP `If-None-Match: *`).
    Refuse,
}

/// Whether a write created a new product or updated one found by its sync source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Created,
    Updated,
}

const ALL: Include = Include {
    variants: true,
    media: true,
    tags: true,
};

impl Store {
    /// Creates a product with its inline options, variants and media; when the sync source
    /// matches a product of the organization, updates that product instead.
    pub async fn create_product(&self, ctx: &Ctx, input: ProductInput) -> Result<(ProductView, Saved), StoreError> {
        self.create_product_or(ctx, OnExisting::Update, input).await
    }

    /// Creates a product as [`Store::create_product`] does; `found` says what happens when its
    /// sync source matches a product of the organization.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn create_product_or(
        &self,
        ctx: &Ctx,
        found: OnExisting,
        input: ProductInput,
    ) -> Result<(ProductView, Saved), StoreError> {
        ctx.principal.require_secret()?;
        let p = input.validate()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let existing = match &p.sync {
            Some(s) => find_by_ref(&mut c, ctx, &s.sync_source, &s.sync_source_id).await?,
            None => None,
        };
        let (id, saved) = match existing {
            Some(id) if found == OnExisting::Refuse => {
                let (p, _) = guard::product(&mut c, ctx, id, None).await?;
                return Err(CoreError::Exists {
                    entity: Entity::Product,
                    current: p.version,
                }
                .into());
            }
            Some(id) => {
                upsert_existing(&mut c, ctx, id, p, None).await?;
                (id, Saved::Updated)
            }
            None => (insert_product(&mut c, ctx, p).await?, Saved::Created),
        };
        tx.commit().await?;
        // Read back outside the write transaction: on SQLite that keeps the one-writer turn short.
        Ok((self.view(ctx, id, ALL).await?, saved))
    }

    /// One product with the children asked for. Storefront keys see active, live products only.
    #[tracing::instrument(skip_all, fields(org = %ctx.org(), product = %id))]
    pub async fn get_product(&self, ctx: &Ctx, id: ProductId, include: Include) -> Result<ProductView, StoreError> {
        let view = self.cached_view(ctx, id, include).await?;
        ensure_readable(ctx, &view.product)?;
        Ok(view)
    }

    /// A page of the products a query selects, with the children asked for. Storefront keys
    /// see active, live products only.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn list_products(
        &self,
        ctx: &Ctx,
        query: &ProductQuery,
        include: Include,
    ) -> Result<Page<ProductView>, StoreError> {
        let page = self.list_products_cached(ctx, query, include).await?;
        Ok(Page {
            items: page.items.into_iter().map(CachedProduct::into_view).collect(),
            next_cursor: page.next_cursor,
            total: page.total,
        })
    }

    /// [`Store::list_products`], each product with the renderings kept with its cached view
    /// (see [`Store::get_product_cached`]): an API sends a page of kept bodies without
    /// rendering or copying a view.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn list_products_cached(
        &self,
        ctx: &Ctx,
        query: &ProductQuery,
        include: Include,
    ) -> Result<Page<CachedProduct>, StoreError> {
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        // Read before the page: a view cached from it may then be newer than its stamp, never older.
        let names = self.names_version(&mut c, ctx).await?;
        // Product rows come with the page only when no view can come from the cache, or when
        // a product changed between the page's statement and the read of its row: the page is
        // then read again with its rows, which match its filter as one statement saw them.
        let mut page = super::query::run(&mut c, ctx, query, names.is_none()).await?;
        let items = match self.cached_page(&mut c, ctx, page.keys, include, names).await? {
            Some(items) => items,
            None => {
                page = super::query::run(&mut c, ctx, query, true).await?;
                self.cached_page(&mut c, ctx, page.keys, include, names)
                    .await?
                    .ok_or_else(|| StoreError::Corrupt("a page read with its rows still needed a row read".into()))?
            }
        };
        Ok(Page {
            items,
            next_cursor: page.next_cursor,
            total: page.total,
        })
    }

    /// Products linked to a sync source, optionally to one external id of it.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn find_products_by_sync(
        &self,
        ctx: &Ctx,
        sync_source: &str,
        sync_source_id: Option<&str>,
        include: Include,
        limit: u32,
    ) -> Result<Vec<ProductView>, StoreError> {
        let mut tail = String::from(
            "WHERE p.organization_id = $1 AND p.id IN (SELECT entity_id FROM external_refs \
             WHERE organization_id = $1 AND entity_type = 'product' AND sync_source = $2",
        );
        let mut args = crate::args![ctx.org(), sync_source];
        if let Some(id) = sync_source_id {
            args.push(Val::from(id));
            tail.push_str(" AND sync_source_id = $3");
        }
        tail.push(')');
        if ctx.principal.storefront_only() {
            tail.push_str(" AND p.status = 'active' AND p.archived_at IS NULL");
        }
        args.push(Val::from(i64::from(limit.clamp(1, MAX_LIMIT))));
        tail.push_str(&format!(" ORDER BY p.id LIMIT ${}", args.len()));
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        let rows = load::product_rows(&mut c, &tail, args).await?;
        load::views(&mut c, ctx.org(), rows, include).await
    }

    /// Changes a product's own fields, when it meets `pre` (see [`Precondition`]).
    #[tracing::instrument(skip_all, fields(org = %ctx.org(), product = %id))]
    pub async fn update_product(
        &self,
        ctx: &Ctx,
        id: ProductId,
        pre: Option<&Precondition>,
        patch: ProductPatch,
        include: Include,
    ) -> Result<ProductView, StoreError> {
        ctx.principal.require_secret()?;
        let patch = patch.validate()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let (before, _) = guard::product(&mut c, ctx, id, pre).await?;
        let (_, change) = apply_patch(&mut c, ctx, &before, patch).await?;
        audit::record(&mut c, ctx, vec![change]).await?;
        tx.commit().await?;
        self.view(ctx, id, include).await
    }

    /// Archives a product: it leaves lists but stays readable and can be restored.
    #[tracing::instrument(skip_all, fields(org = %ctx.org(), product = %id))]
    pub async fn archive_product(
        &self,
        ctx: &Ctx,
        id: ProductId,
        pre: Option<&Precondition>,
        include: Include,
    ) -> Result<ProductView, StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        archive_in(&mut c, ctx, id, pre).await?;
        let view = view_in(&mut c, ctx, id, include).await?;
        tx.commit().await?;
        Ok(view)
    }
}

/// Archives a product inside the caller's transaction; one already archived stays as it is.
pub(super) async fn archive_in(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: ProductId,
    pre: Option<&Precondition>,
) -> Result<(), StoreError> {
    let (before, _) = guard::product(c, ctx, id, pre).await?;
    if before.archived_at.is_none() {
        let mut after = before.clone();
        after.archived_at = Some(Utc::now());
        save_product(c, ctx, &before, &after, Action::Archive).await?;
    }
    Ok(())
}

impl Store {
    /// Deletes a product for good, with its variants, media attachments and sync links (the
    /// media assets themselves stay in the organization's library), when it meets `pre`; it
    /// stays restorable for the retention window (`restore_product`).
    #[tracing::instrument(skip_all, fields(org = %ctx.org(), product = %id))]
    pub async fn delete_product(&self, ctx: &Ctx, id: ProductId, pre: Option<&Precondition>) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        remove_product(&mut tx.conn(), ctx, id, pre).await?;
        tx.commit().await?;
        Ok(())
    }

    /// One product view, read on a pooled connection.
    pub(super) async fn view(&self, ctx: &Ctx, id: ProductId, include: Include) -> Result<ProductView, StoreError> {
        let mut pc = self.db.acquire().await?;
        view_in(&mut pc.conn(), ctx, id, include).await
    }
}

/// Deletes a product for good inside the caller's transaction, recording the deletion and
/// keeping its rows restorable for the retention window (`deleted/`).
pub(super) async fn remove_product(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: ProductId,
    pre: Option<&Precondition>,
) -> Result<(), StoreError> {
    let (before, _) = guard::product(c, ctx, id, pre).await?;
    let variants = load::variants_of(c, ctx.org(), &[id.0])
        .await?
        .remove(&id)
        .unwrap_or_default();
    super::deleted::keep(c, ctx, &before).await?;
    c.execute(
        "DELETE FROM external_refs WHERE organization_id = $1 AND (entity_id = $2 OR entity_id IN \
         (SELECT id FROM variants WHERE product_id = $2))",
        crate::args![ctx.org(), id],
    )
    .await?;
    c.execute(
        "DELETE FROM products WHERE organization_id = $1 AND id = $2",
        crate::args![ctx.org(), id],
    )
    .await?;
    let mut changes = vec![Change::deleted(Entity::Product, id.0, &before.snapshot())];
    changes.extend(
        variants
            .iter()
            .map(|v| Change::deleted(Entity::Variant, v.id.0, &v.snapshot())),
    );
    audit::record(c, ctx, changes).await
}

/// Storefront (publishable) keys see active, live products only; anything else is not found.
pub(super) fn ensure_readable(ctx: &Ctx, product: &Product) -> Result<(), StoreError> {
    if ctx.principal.storefront_only() && !product.is_public() {
        return Err(CoreError::NotFound(Entity::Product).into());
    }
    Ok(())
}

/// A product of the caller's organization that the caller may read, or not-found.
pub(super) async fn readable_product(c: &mut Conn<'_>, ctx: &Ctx, id: ProductId) -> Result<Product, StoreError> {
    let (p, _) = load::product(c, ctx.org(), id)
        .await?
        .ok_or(CoreError::NotFound(Entity::Product))?;
    ensure_readable(ctx, &p)?;
    Ok(p)
}

/// Loads one product view in the caller's organization, or not-found.
pub(super) async fn view_in(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: ProductId,
    include: Include,
) -> Result<ProductView, StoreError> {
    if include.media {
        // The product and its media in one statement: one round trip fewer on the hottest read.
        let (product, sync, category, media) = load::product_with_media(c, ctx.org(), id)
            .await?
            .ok_or(CoreError::NotFound(Entity::Product))?;
        let variants = if include.variants {
            Some(
                load::variants_of(c, ctx.org(), &[id.0])
                    .await?
                    .remove(&id)
                    .unwrap_or_default(),
            )
        } else {
            None
        };
        let tags = if include.tags {
            Some(
                load::tags_of(c, ctx.org(), &[id.0])
                    .await?
                    .remove(&id)
                    .unwrap_or_default(),
            )
        } else {
            None
        };
        return Ok(ProductView {
            product,
            sync,
            category,
            variants,
            media: Some(media),
            tags,
        });
    }
    let row = load::product_row(c, ctx.org(), id)
        .await?
        .ok_or(CoreError::NotFound(Entity::Product))?;
    load::views(c, ctx.org(), vec![row], include)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| CoreError::NotFound(Entity::Product).into())
}

async fn find_by_ref(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    source: &str,
    source_id: &str,
) -> Result<Option<ProductId>, StoreError> {
    let row = c
        .fetch_optional(
            "SELECT entity_id FROM external_refs WHERE organization_id = $1 AND entity_type = 'product' \
             AND sync_source = $2 AND sync_source_id = $3",
            crate::args![ctx.org(), source, source_id],
        )
        .await?;
    row.map(|r| r.id("entity_id")).transpose()
}

/// Writes a changed product and records the change.
pub(super) async fn save_product(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    before: &Product,
    after: &Product,
    action: Action,
) -> Result<(), StoreError> {
    write_product(c, ctx, after).await?;
    let change = Change::new(
        Entity::Product,
        after.id.0,
        action,
        &before.snapshot(),
        &after.snapshot(),
    );
    audit::record(c, ctx, vec![change]).await
}

/// Applies a checked patch to a stored product: its default variant and classification
/// checked against the store, its own fields by the core's rule, its tags replaced when given.
/// Writes it and returns it with the change to record.
pub(super) async fn apply_patch(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    before: &Product,
    mut patch: ProductPatch,
) -> Result<(Product, Change), StoreError> {
    let mut after = before.clone();
    if let Patch::Set(v) = patch.default_variant_id {
        write::ensure_variant_of(c, ctx, before.id, v, "default_variant_id").await?;
    }
    after.default_variant_id = std::mem::take(&mut patch.default_variant_id).apply(after.default_variant_id);
    let classification = std::mem::take(&mut patch.classification);
    let tags = classification.tags.clone();
    super::classify::apply(c, ctx, &mut after, classification).await?;
    patch.apply_to(&mut after, Utc::now())?;
    let (mut was, mut now) = (before.snapshot(), after.snapshot());
    if let Some(tags) = tags {
        let (had, has) = replace_tags(c, before.id, &tags).await?;
        was = with_tags(was, &had);
        now = with_tags(now, &has);
    }
    write_product(c, ctx, &after).await?;
    let change = Change::new(Entity::Product, before.id.0, Action::Update, &was, &now);
    Ok((after, change))
}

/// Gives a product exactly `tags`, in that order; returns the tag ids it had and has now.
async fn replace_tags(c: &mut Conn<'_>, id: ProductId, tags: &[TagId]) -> Result<(Vec<TagId>, Vec<TagId>), StoreError> {
    let was = load::tag_ids_of(c, id).await?;
    if was != tags {
        c.execute("DELETE FROM product_tags WHERE product_id = $1", crate::args![id])
            .await?;
        for (rank, t) in tags.iter().enumerate() {
            c.execute(
                "INSERT INTO product_tags (product_id, tag_id, rank) VALUES ($1, $2, $3)",
                crate::args![id, *t, rank as i64],
            )
            .await?;
        }
    }
    Ok((was, tags.to_vec()))
}

/// A product snapshot with its tag ids, for a change that touched them.
fn with_tags(mut snapshot: serde_json::Value, tags: &[TagId]) -> serde_json::Value {
    if let Some(m) = snapshot.as_object_mut() {
        m.insert("tag_ids".into(), serde_json::json!(tags));
    }
    snapshot
}

async fn write_product(c: &mut Conn<'_>, ctx: &Ctx, p: &Product) -> Result<(), StoreError> {
    let mut args = crate::args![
        p.name.clone(),
        p.handle.clone(),
        p.url.clone(),
        p.description.clone(),
        p.status.as_str(),
        p.metadata.clone(),
        p.default_variant_id,
        p.archived_at,
        Utc::now(),
        ctx.actor(),
        p.category_id,
        p.brand_id,
        p.template_id,
        p.attributes.clone().map(serde_json::Value::Object),
        ctx.org(),
        p.id,
        p.vendor_id,
        p.collection_id,
        p.type_id,
    ];
    args.extend(super::create::details_args(p));
    c.execute(
        "UPDATE products SET name = $1, handle = $2, url = $3, description = $4, status = $5, metadata = $6, \
         default_variant_id = $7, archived_at = $8, updated_at = $9, updated_by = $10, category_id = $11, brand_id = $12, \
         template_id = $13, attributes = $14, vendor_id = $17, collection_id = $18, type_id = $19, subtitle = $20, \
         short_description = $21, thumbnail = $22, seo_name = $23, page_title = $24, meta_description = $25, \
         meta_keywords = $26, weight = $27, length = $28, width = $29, height = $30, extensions = $31, \
         version = version + 1 WHERE organization_id = $15 AND id = $16",
        args,
    )
    .await?;
    Ok(())
}

/// Checks that the option ids exist in the organization and returns them with their values.
pub(super) async fn known_options(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    ids: &[OptionId],
) -> Result<Vec<VariantOption>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = crate::args![ctx.org()];
    args.extend(ids.iter().map(|id| Val::from(*id)));
    let found = load::options_where(
        c,
        "",
        &format!(
            "WHERE o.organization_id = $1 AND o.id IN ({})",
            crate::db::placeholders(2, ids.len())
        ),
        args,
    )
    .await?;
    if let Some(i) = ids.iter().position(|id| !found.iter().any(|o| o.id == *id)) {
        return Err(CoreError::invalid(format!("option_ids[{i}]"), "variant option not found").into());
    }
    Ok(found)
}

/// Assigns options to a product after those it has.
pub(super) async fn assign(c: &mut Conn<'_>, product: ProductId, ids: &[OptionId]) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    let first = write::next_rank(
        c,
        "SELECT MAX(rank) AS n FROM product_options WHERE product_id = $1",
        product,
    )
    .await?;
    for (i, id) in ids.iter().enumerate() {
        c.execute(
            "INSERT INTO product_options (product_id, option_id, rank) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            crate::args![product, *id, first + i as i64],
        )
        .await?;
    }
    Ok(())
}

/// Creates one product with its options, variants and media.
pub(super) async fn insert_product(c: &mut Conn<'_>, ctx: &Ctx, p: NewProduct) -> Result<ProductId, StoreError> {
    let outcome = super::create::insert_products(c, ctx, vec![p]).await?.pop();
    Ok(outcome.ok_or_else(|| StoreError::Corrupt("no outcome for a created product".into()))??)
}

/// Applies a create request to the product its sync source already points at: the fields it
/// gives replace (see [`NewProduct::take_patch`]), options are added, variants matched by SKU
/// updated (others added), and media not yet attached (by URL) added. The status changes only
/// when `status` is given (an import's documents always name theirs).
pub(super) async fn upsert_existing(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: ProductId,
    p: NewProduct,
    status: Option<pimento_core::product::ProductStatus>,
) -> Result<(), StoreError> {
    let (before, sync) = guard::product(c, ctx, id, None).await?;
    let mut p = p;
    let mut patch = p.take_patch();
    patch.status = status;
    let (after, change) = apply_patch(c, ctx, &before, patch).await?;
    let mut changes = vec![change];
    if let (Some(r), Some(s)) = (sync, &p.sync) {
        update_ref(c, ctx, r.id, s).await?;
    }

    let assigned_now = load::assigned_options(c, ctx.org(), id).await?;
    let new_ids: Vec<OptionId> = p
        .option_ids
        .iter()
        .copied()
        .filter(|o| !assigned_now.iter().any(|a| a.id == *o))
        .collect();
    let mut all_ids: Vec<OptionId> = assigned_now.iter().map(|o| o.id).collect();
    all_ids.extend(&new_ids);
    check_option_ids(&all_ids)?;
    known_options(c, ctx, &new_ids).await?;
    assign(c, id, &new_ids).await?;
    let assigned = load::assigned_options(c, ctx.org(), id).await?;

    let existing = load::variants_of(c, ctx.org(), &[id.0])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let mut fresh: Vec<NewVariant> = Vec::new();
    for (i, v) in p.variants.into_iter().enumerate() {
        let matched = v
            .sku
            .as_ref()
            .and_then(|s| existing.iter().find(|e| e.sku.as_ref() == Some(s)));
        match matched {
            Some(e) => {
                let within = |err| match err {
                    StoreError::Domain(d) => StoreError::Domain(d.within(FieldPath::name("variants").index(i))),
                    other => other,
                };
                let sync = v.sync.clone();
                let change = super::variants::apply_changes(c, ctx, e, &assigned, v.into_changes())
                    .await
                    .map_err(within)?;
                if let Some(s) = &sync {
                    super::write::link_variant(c, ctx, e, s).await.map_err(within)?;
                }
                changes.push(change);
            }
            None => fresh.push(v),
        }
    }
    let first_rank = existing.iter().map(|v| v.rank + 1).max().unwrap_or(0);
    let (created, vchanges) = insert_variants(c, ctx, id, &assigned, fresh, first_rank, Some("variants")).await?;
    changes.extend(vchanges);

    let media_now = load::media_of(c, ctx.org(), &[id.0])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let known_urls: HashSet<&str> = media_now
        .iter()
        .flat_map(|m| [m.asset.public_url.as_deref(), m.asset.source_url.as_deref()])
        .flatten()
        .collect();
    let new_media: Vec<_> = p
        .media
        .into_iter()
        .filter(|m| match &m.asset {
            pimento_core::media::NewMediaSource::Existing(a) => !media_now.iter().any(|x| x.asset.id == *a),
            pimento_core::media::NewMediaSource::New(a) => ![a.public_url.as_deref(), a.source_url.as_deref()]
                .into_iter()
                .flatten()
                .any(|u| known_urls.contains(u)),
        })
        .collect();
    let first_position = media_now.iter().map(|m| m.position + 1).max().unwrap_or(0);
    let (_, mchanges) = insert_media(c, ctx, id, new_media, first_position, Some("media")).await?;
    changes.extend(mchanges);

    if let Some(v) = p.default_variant_id {
        write::ensure_variant_of(c, ctx, id, v, "default_variant_id").await?;
        c.execute(
            "UPDATE products SET default_variant_id = $1 WHERE id = $2",
            crate::args![v, id],
        )
        .await?;
    } else if after.default_variant_id.is_none()
        && let Some(first) = existing.first().map(|v| v.id).or(created.first().copied())
    {
        c.execute(
            "UPDATE products SET default_variant_id = $1 WHERE id = $2",
            crate::args![first, id],
        )
        .await?;
    }
    touch_product(c, ctx, id).await?;
    audit::record(c, ctx, changes).await?;
    Ok(())
}
