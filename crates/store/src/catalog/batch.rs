//! Batched writes. A write that adds many rows (a product with its variants and media, or a
//! whole import chunk of products) first loads the [`Facts`] it refers to with one query per
//! kind over the whole batch (`facts.rs`), checks each item against them in memory, collects
//! the rows of every item that passes in [`Rows`], and writes those with one multi-row insert
//! per table. The checks are the same whether the batch holds one product or five hundred.

use super::counted::{counted_batch, counts_statement, undo_counted_batch};
pub use super::facts::NOT_A_VARIANT;
pub(crate) use super::facts::{Claims, Facts, IN_LIST, rows_in};
use super::search_index;
use crate::audit;
use crate::db::{Backend, Batch, Conn, Sql, Val, insert_statements};
use crate::error::{StoreError, taken};
use chrono::{DateTime, Utc};
use pimento_core::FieldPath;
use pimento_core::audit::Change;
use pimento_core::auth::Ctx;
use pimento_core::ids::{ExternalRefId, MediaAssetId, ProductId, ProductMediaId, VariantId};
use pimento_core::media::{NewMedia, NewMediaSource};
use pimento_core::options::{VariantOption, combination_key, ensure_complete, resolve_selections};
use pimento_core::product::ProductStatus;
use pimento_core::sync::SyncSource;
use pimento_core::variant::{NewVariant, Variant, VariantOptionValue, prices_json};
use pimento_core::{CoreError, Entity};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Prefixes an error with `variants[i]` when the item came inside a list.
fn at(prefix: Option<&str>, i: usize, e: CoreError) -> CoreError {
    match prefix {
        Some(p) => e.within(FieldPath::parse(p).index(i)),
        None => e,
    }
}

/// Resolves the option values a variant picks and the key of its combination.
pub fn resolve(
    assigned: &[VariantOption],
    v: &NewVariant,
) -> Result<(Vec<VariantOptionValue>, Option<String>), CoreError> {
    let picked = resolve_selections(assigned, &v.options)?;
    let key = combination_key(&picked, !assigned.is_empty());
    let values = picked
        .iter()
        .filter_map(|(option_id, value_id)| {
            let o = assigned.iter().find(|o| o.id == *option_id)?;
            let val = o.values.iter().find(|x| x.id == *value_id)?;
            Some(VariantOptionValue {
                option_id: *option_id,
                option_name: o.name.clone(),
                value_id: *value_id,
                value: val.value.clone(),
            })
        })
        .collect();
    Ok((values, key))
}

/// The rows a batch adds, table by table, and the audit changes that describe them.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    /// A new product's own options, and their values.
    options: Vec<Vec<Val>>,
    option_values: Vec<Vec<Val>>,
    refs: Vec<Vec<Val>>,
    products: Vec<Vec<Val>>,
    pub(crate) product_options: Vec<Vec<Val>>,
    pub(crate) product_tags: Vec<Vec<Val>>,
    pub(crate) variants: Vec<Vec<Val>>,
    picks: Vec<Vec<Val>>,
    assets: Vec<Vec<Val>>,
    links: Vec<Vec<Val>>,
    /// New products by the status they count under.
    statuses: HashMap<&'static str, i64>,
    /// The first and last `seq` given to the products, when the writer numbers them (SQLite).
    seqs: Option<(i64, i64)>,
    pub(crate) changes: Vec<Change>,
}

impl Rows {
    /// Adds another batch's rows after these.
    pub(crate) fn append(&mut self, mut other: Rows) {
        self.options.append(&mut other.options);
        self.option_values.append(&mut other.option_values);
        self.refs.append(&mut other.refs);
        self.products.append(&mut other.products);
        self.product_options.append(&mut other.product_options);
        self.product_tags.append(&mut other.product_tags);
        self.variants.append(&mut other.variants);
        self.picks.append(&mut other.picks);
        self.assets.append(&mut other.assets);
        self.links.append(&mut other.links);
        for (status, n) in other.statuses {
            *self.statuses.entry(status).or_default() += n;
        }
        self.seqs = match (self.seqs, other.seqs) {
            (Some((first, _)), Some((_, last))) => Some((first, last)),
            (mine, theirs) => mine.or(theirs),
        };
        self.changes.append(&mut other.changes);
    }

    /// Gives the products their `seq`, from `next` on (see [`Facts::next_seq`]).
    pub(crate) fn number(&mut self, next: &mut i64) {
        for row in &mut self.products {
            row.push(Val::from(*next));
            self.seqs = Some((self.seqs.map_or(*next, |(first, _)| first), *next));
            *next += 1;
        }
    }

    /// A new product's own option with its values (made by [`super::create::own_option`]).
    pub(crate) fn add_own_option(&mut self, o: &VariantOption, actor: &Arc<str>) {
        self.options.push(crate::args![
            o.id,
            o.organization_id,
            o.product_id,
            o.name.clone(),
            o.created_at,
            actor.clone(),
            o.updated_at,
            actor.clone(),
        ]);
        for v in &o.values {
            self.option_values
                .push(crate::args![v.id, v.option_id, v.value.clone(), v.rank, v.number]);
        }
    }

    /// A new product's row; it counts under `status` (a new product is not archived).
    pub(crate) fn add_product(&mut self, status: ProductStatus, row: Vec<Val>) {
        self.products.push(row);
        *self.statuses.entry(status.as_str()).or_default() += 1;
    }

    /// A new external reference for an entity; returns its id.
    pub(crate) fn add_ref(
        &mut self,
        ctx: &Ctx,
        entity: Entity,
        entity_id: uuid::Uuid,
        s: &SyncSource,
        now: DateTime<Utc>,
    ) -> ExternalRefId {
        let id = ExternalRefId::generate();
        self.refs.push(crate::args![
            id,
            ctx.org(),
            Val::Static(entity.as_str()),
            entity_id,
            s.sync_source.clone(),
            s.sync_source_id.clone(),
            s.source_vendor.clone(),
            s.source_data.clone(),
            Val::Static(s.sync_status.as_str()),
            Some(s.last_synced_at.unwrap_or(now)),
            now,
            ctx.shared_actor(),
            now,
            ctx.shared_actor(),
        ]);
        id
    }

    /// New variants of a product with their option values and references. Their SKUs and sync
    /// sources must be free and their option combinations distinct; `prefix` names the list
    /// they came in. What they take is added to `claims`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add_variants(
        &mut self,
        facts: &Facts,
        claims: &mut Claims,
        ctx: &Ctx,
        product: ProductId,
        assigned: &[VariantOption],
        variants: Vec<NewVariant>,
        first_rank: i64,
        prefix: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Vec<VariantId>, CoreError> {
        if let Some(i) = variants.iter().position(|v| {
            v.sku
                .as_ref()
                .is_some_and(|s| facts.skus.contains(s) || claims.skus.contains(s))
        }) {
            return Err(at(prefix, i, taken("ux_variants_sku")));
        }
        let mut keys = HashSet::new();
        let mut ids = Vec::with_capacity(variants.len());
        let mut rows = Rows::default();
        for (i, v) in variants.into_iter().enumerate() {
            let (values, key) = resolve(assigned, &v).map_err(|e| at(prefix, i, e))?;
            let picked: Vec<_> = values.iter().map(|x| (x.option_id, x.value_id)).collect();
            ensure_complete(assigned, &picked).map_err(|e| at(prefix, i, e))?;
            if let Some(k) = &key
                && !keys.insert(k.clone())
            {
                return Err(at(prefix, i, taken("ux_variants_options_key")));
            }
            let id = VariantId::generate();
            let ref_id = match &v.sync {
                Some(s) => {
                    facts
                        .check_claim(claims, Entity::Variant, s)
                        .map_err(|e| at(prefix, i, e))?;
                    claims.add_ref(Entity::Variant, s);
                    Some(rows.add_ref(ctx, Entity::Variant, id.0, s, now))
                }
                None => None,
            };
            claims.skus.extend(v.sku.clone());
            let variant = Variant {
                id,
                organization_id: ctx.org(),
                product_id: product,
                title: v.title,
                sku: v.sku,
                barcode: v.barcode,
                price: v.price,
                inventory_quantity: v.inventory_quantity,
                rank: first_rank + i as i64,
                metadata: v.metadata,
                options: values,
                sync: None,
                list_price: v.list_price,
                prices: v.prices,
                extensions: v.extensions,
                created_at: now,
                created_by: ctx.actor().to_owned(),
                updated_at: now,
                updated_by: ctx.actor().to_owned(),
                version: pimento_core::version::Version(1),
            };
            rows.variants.push(crate::args![
                variant.id,
                variant.organization_id,
                variant.product_id,
                variant.title.clone(),
                variant.sku.clone(),
                variant.barcode.clone(),
                variant.price.map(|p| p.minor),
                variant.price.map(|p| p.currency.code().to_owned()),
                variant.inventory_quantity,
                variant.rank,
                key,
                variant.metadata.clone(),
                ref_id,
                now,
                ctx.shared_actor(),
                now,
                ctx.shared_actor(),
                variant.list_price.map(|p| p.minor),
                (!variant.prices.is_empty()).then(|| prices_json(&variant.prices)),
                variant.extensions.to_json(),
            ]);
            for o in &variant.options {
                rows.picks.push(crate::args![variant.id, o.option_id, o.value_id]);
            }
            rows.changes
                .push(Change::created(Entity::Variant, id.0, variant.snapshot()));
            ids.push(id);
        }
        self.append(rows);
        Ok(ids)
    }

    /// Attaches media to a product, creating the new assets. An existing asset must be the
    /// organization's, and a variant one of `variants` (the product's).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn add_media(
        &mut self,
        facts: &Facts,
        ctx: &Ctx,
        product: ProductId,
        variants: &HashSet<VariantId>,
        media: Vec<NewMedia>,
        first_position: i64,
        prefix: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Vec<ProductMediaId>, CoreError> {
        if let Some(i) = media
            .iter()
            .position(|m| matches!(m.asset, NewMediaSource::Existing(id) if !facts.assets.contains(&id)))
        {
            return Err(at(
                prefix,
                i,
                CoreError::invalid("media_asset_id", "media asset not found"),
            ));
        }
        if let Some(i) = media
            .iter()
            .position(|m| m.variant_id.is_some_and(|v| !variants.contains(&v)))
        {
            return Err(at(prefix, i, CoreError::invalid("variant_id", NOT_A_VARIANT)));
        }
        let mut ids = Vec::with_capacity(media.len());
        for (i, m) in media.into_iter().enumerate() {
            let asset_id = match m.asset {
                NewMediaSource::Existing(id) => id,
                NewMediaSource::New(a) => {
                    let id = MediaAssetId::generate();
                    self.assets.push(crate::args![
                        id,
                        ctx.org(),
                        a.name,
                        a.alt_text,
                        a.description,
                        a.public_url,
                        a.source_url,
                        a.thumbnail_url,
                        a.upload_url,
                        now,
                        ctx.shared_actor(),
                        now,
                        ctx.shared_actor(),
                    ]);
                    id
                }
            };
            let link = ProductMediaId::generate();
            let position = m.position.unwrap_or(first_position + i as i64);
            self.changes.push(Change::created(
                Entity::ProductMedia,
                link.0,
                serde_json::json!({"media_asset_id": asset_id, "position": position, "purpose": m.purpose, "variant_id": m.variant_id}),
            ));
            self.links.push(crate::args![
                link,
                ctx.org(),
                product,
                m.variant_id,
                asset_id,
                position,
                m.purpose,
                now
            ]);
            ids.push(link);
        }
        Ok(ids)
    }

    /// The write of every row, parents before children, and of the changes' audit events,
    /// built and bound ahead of running it.
    pub(crate) fn into_write(self, backend: Backend, ctx: &Ctx) -> Result<Write, StoreError> {
        let counted = self.counts_itself(backend);
        let (rows, changes) = self.statements(backend, ctx, counted);
        Write::new(backend, counted, rows.chain(audit::statements(backend, ctx, changes)))
    }

    /// Writes every row, parents before children, and hands back the changes for the caller
    /// to record with its own.
    pub(crate) async fn write_rows(self, c: &mut Conn<'_>, ctx: &Ctx) -> Result<Vec<Change>, StoreError> {
        let backend = c.backend();
        let counted = self.counts_itself(backend);
        let (rows, changes) = self.statements(backend, ctx, counted);
        Write::new(backend, counted, rows)?.run(c).await?;
        Ok(changes)
    }

    /// Whether the write pauses the counter and search triggers, and counts and indexes its
    /// rows itself: on SQLite, whenever it adds rows they would fire for.
    fn counts_itself(&self, backend: Backend) -> bool {
        backend == Backend::Sqlite
            && self.products.len() + self.variants.len() + self.assets.len() + self.links.len() > 0
    }

    /// The inserts of every row, parents before children, built as they are run; and the changes.
    /// A write that [counts itself](Self::counts_itself) (`counted`) ends with its counts.
    fn statements(
        self,
        backend: Backend,
        ctx: &Ctx,
        counted: bool,
    ) -> (impl Iterator<Item = (Sql, Vec<Val>)>, Vec<Change>) {
        let counts = if counted {
            counts_statement(backend, ctx, self.counts())
        } else {
            None
        };
        let numbered = self.seqs.is_some();
        let index = if counted {
            search_index::batch_statements(self.seqs, &self.products, &self.variants)
        } else {
            Vec::new()
        };
        let tables = [
            (
                "INSERT INTO options (id, organization_id, product_id, name, created_at, created_by, updated_at, updated_by)",
                8,
                self.options,
            ),
            (
                "INSERT INTO option_values (id, option_id, value, rank, number)",
                5,
                self.option_values,
            ),
            (
                "INSERT INTO external_refs (id, organization_id, entity_type, entity_id, sync_source, sync_source_id, \
                 source_vendor, source_data, sync_status, last_synced_at, created_at, created_by, updated_at, updated_by)",
                14,
                self.refs,
            ),
            if numbered {
                (
                    "INSERT INTO products (id, organization_id, handle, name, url, description, status, metadata, \
                     default_variant_id, primary_ref_id, created_at, created_by, updated_at, updated_by, \
                     category_id, brand_id, template_id, attributes, number, vendor_id, collection_id, type_id, \
                     subtitle, short_description, thumbnail, seo_name, page_title, meta_description, meta_keywords, \
                     weight, length, width, height, extensions, seq)",
                    35,
                    self.products,
                )
            } else {
                (
                    "INSERT INTO products (id, organization_id, handle, name, url, description, status, metadata, \
                     default_variant_id, primary_ref_id, created_at, created_by, updated_at, updated_by, \
                     category_id, brand_id, template_id, attributes, number, vendor_id, collection_id, type_id, \
                     subtitle, short_description, thumbnail, seo_name, page_title, meta_description, meta_keywords, \
                     weight, length, width, height, extensions)",
                    34,
                    self.products,
                )
            },
            (
                "INSERT INTO product_options (product_id, option_id, rank)",
                3,
                self.product_options,
            ),
            (
                "INSERT INTO product_tags (product_id, tag_id, rank)",
                3,
                self.product_tags,
            ),
            (
                "INSERT INTO variants (id, organization_id, product_id, title, sku, barcode, price_minor, currency, \
                 inventory_quantity, rank, options_key, metadata, primary_ref_id, created_at, created_by, updated_at, updated_by, \
                 list_price_minor, prices, extensions)",
                20,
                self.variants,
            ),
            (
                "INSERT INTO variant_option_values (variant_id, option_id, value_id)",
                3,
                self.picks,
            ),
            (
                "INSERT INTO media_assets (id, organization_id, name, alt_text, description, public_url, source_url, \
                 thumbnail_url, upload_url, created_at, created_by, updated_at, updated_by)",
                13,
                self.assets,
            ),
            (
                "INSERT INTO product_media (id, organization_id, product_id, variant_id, media_asset_id, position, purpose, created_at)",
                8,
                self.links,
            ),
        ];
        let statements = tables
            .into_iter()
            .flat_map(move |(head, cols, rows)| insert_statements(backend, head, cols, rows))
            .chain(index)
            .chain(counts);
        (statements, self.changes)
    }

    /// The rows of the tables with counter triggers, metric by metric.
    fn counts(&self) -> Vec<(String, i64)> {
        let mut counts: Vec<(String, i64)> = self
            .statuses
            .iter()
            .map(|(status, n)| (format!("products.{status}"), *n))
            .collect();
        for (metric, n) in [
            ("variants", self.variants.len()),
            ("media_assets", self.assets.len()),
            ("product_media", self.links.len()),
        ] {
            counts.push((metric.to_owned(), n as i64));
        }
        counts.retain(|(_, n)| *n > 0);
        counts
    }
}

/// A batch's rows and audit events, bound and ready to run (see [`Rows::into_write`]).
pub(crate) struct Write {
    batch: Batch,
    /// Whether the batch counts itself, in a savepoint to undo should it fail.
    counted: bool,
}

impl Write {
    /// Binds `statements`; a write that counts itself runs them with the counter triggers
    /// paused (see [`counted_batch`]).
    fn new(
        backend: Backend,
        counted: bool,
        statements: impl Iterator<Item = (Sql, Vec<Val>)>,
    ) -> Result<Write, StoreError> {
        let batch = if counted {
            Batch::new(backend, counted_batch(statements))
        } else {
            Batch::new(backend, statements)
        }?;
        Ok(Write { batch, counted })
    }

    /// Runs the write; a failed one that counted itself is undone whole.
    pub(crate) async fn run(self, c: &mut Conn<'_>) -> Result<(), StoreError> {
        let result = c.run(self.batch).await;
        if self.counted {
            undo_counted_batch(c, result).await
        } else {
            result
        }
    }
}
