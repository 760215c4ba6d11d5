//! Medusa's import CSV, once read (`csv_import.rs`), planned as one product batch
//! (`Store::batch_products_in`): which products it creates and which it updates, the tags it
//! needs, and which row a refusal names.

use super::csv_import::{Group, Reading, RowVariant, Sheet, at_row, numbered, read_group};
use super::ids;
use super::products::worded;
use super::variant_wire::option_titles;
use super::wire::{CreateProduct, UpdateProduct};
use crate::error::{ApiError, Field};
use pimento_core::auth::Ctx;
use pimento_core::ids::{ProductId, TagId};
use pimento_core::label::LabelInput;
use pimento_core::product::Include;
use pimento_store::catalog::{GroupingQuery, ProductBatch, ProductChange};
use pimento_store::{Store, StoreError};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

/// Where a planned product came from, to name the row of a refusal.
#[derive(Debug, Clone)]
struct Origin {
    first_row: u64,
    /// The row of each variant the product's body gives, in order.
    variant_rows: Vec<u64>,
    handle: Option<String>,
    skus: Vec<Option<String>>,
}

/// The file translated: the batch, and what names a refusal's row.
#[derive(Debug)]
pub(super) struct Plan {
    pub(super) batch: ProductBatch,
    /// Tag values the organization does not have yet, made before the batch is written
    /// (with where each goes: `create[i]` or `update[i]`).
    missing_tags: Vec<(String, Slot)>,
    created: Vec<Origin>,
    updated: Vec<Origin>,
}

#[derive(Debug, Clone, Copy)]
enum Slot {
    Create(usize),
    Update(usize),
}

impl Plan {
    /// `{toCreate, toUpdate}`, as Medusa's import summary counts products.
    pub(super) fn summary(&self) -> Value {
        json!({"toCreate": self.batch.create.len(), "toUpdate": self.batch.update.len()})
    }

    /// Makes the tags the file names by a value the organization does not have yet, and
    /// gives them to their products.
    pub(super) async fn make_tags(&mut self, store: &Store, ctx: &Ctx) -> Result<(), ApiError> {
        let mut made: HashMap<String, TagId> = HashMap::new();
        for (value, slot) in std::mem::take(&mut self.missing_tags) {
            let id = match made.get(&value) {
                Some(id) => *id,
                None => {
                    let tag = store
                        .create_label::<TagId>(
                            ctx,
                            LabelInput {
                                value: value.clone(),
                                metadata: None,
                            },
                        )
                        .await?;
                    made.insert(value, tag.id);
                    tag.id
                }
            };
            let tags = match slot {
                Slot::Create(i) => &mut self.batch.create[i].classification.tags,
                Slot::Update(i) => &mut self.batch.update[i].1.patch.classification.tags,
            };
            tags.get_or_insert_with(Vec::new).push(id);
        }
        Ok(())
    }

    /// The store's refusal of the batch, naming the file's row (and column, when the
    /// refusal names a field).
    pub(super) fn explain(&self, e: StoreError) -> ApiError {
        let e = ApiError::from(e);
        let field = match &e.field {
            Some(Field::Core(p)) => p.to_string(),
            Some(Field::Wire(w)) => w.clone(),
            None => return e,
        };
        let (origin, rest) = if let Some(rest) = field.strip_prefix("create[") {
            let (i, rest) = rest.split_once(']').unwrap_or((rest, ""));
            (i.parse::<usize>().ok().and_then(|i| self.created.get(i)), rest)
        } else if let Some(rest) = field.strip_prefix("update[") {
            let (i, rest) = rest.split_once(']').unwrap_or((rest, ""));
            (i.parse::<usize>().ok().and_then(|i| self.updated.get(i)), rest)
        } else {
            (None, "")
        };
        let Some(origin) = origin else { return e };
        let rest = rest.trim_start_matches('.');
        let (row, inner) = match rest
            .strip_prefix("variants[")
            .and_then(|r| r.split_once(']'))
            .and_then(|(j, r)| Some((j.parse::<usize>().ok()?, r)))
        {
            Some((j, r)) => (
                origin.variant_rows.get(j).copied().unwrap_or(origin.first_row),
                format!("variants[0]{r}"),
            ),
            None => (origin.first_row, rest.to_owned()),
        };
        let status = e.status;
        let code = e.code;
        let column = column_of(&inner);
        // Medusa's words for the common refusals (a taken handle or SKU), then the row.
        let skus: Vec<Option<String>> = match rest.strip_prefix("variants[").and_then(|r| r.split(']').next()) {
            Some(j) => vec![
                j.parse::<usize>()
                    .ok()
                    .and_then(|j| origin.skus.get(j).cloned().flatten()),
            ],
            None => Vec::new(),
        };
        let message = e.message.clone();
        let w = worded(
            ApiError {
                field: Some(Field::Wire(inner.clone())),
                ..e
            },
            origin.handle.as_deref(),
            &skus,
        );
        if w.field.is_none() {
            // Medusa's own words, with its status.
            return ApiError::new(w.status, w.code, format!("Row {row}: {}", w.message));
        }
        let text = match column {
            Some(c) => format!("Invalid value provided for \"{c}\": {message}"),
            None => format!("{message} ({inner})"),
        };
        ApiError::new(status, code, format!("Row {row}: {text}"))
    }
}

/// The column a refused field of a product or its first variant comes from.
fn column_of(field: &str) -> Option<&'static str> {
    let (variant, name) = match field.strip_prefix("variants[0]") {
        Some(rest) => (true, rest.trim_start_matches('.')),
        None => (false, field),
    };
    let name = name.split(['.', '[']).next().unwrap_or_default();
    Some(match (variant, name) {
        (false, "handle") => "Product Handle",
        (false, "name") => "Product Title",
        (false, "description") => "Product Description",
        (false, "status") => "Product Status",
        (false, "media") => "Product Image",
        (false, "tags") => "Product Tag",
        (false, "collection_id") => "Product Collection Id",
        (false, "type_id") => "Product Type Id",
        (false, "category" | "category_id") => "Product Category",
        (true, "sku") => "Variant Sku",
        (true, "title") => "Variant Title",
        (true, "barcode") => "Variant Barcode",
        (true, "price" | "prices" | "list_price") => "Variant Price",
        (true, "options") => "Variant Option",
        _ => return None,
    })
}

/// Translates the sheet into a batch, reading what it needs from the store: which products
/// exist, their variants, options and metadata, and the organization's tags.
pub(super) async fn plan(store: &Store, ctx: &Ctx, sheet: &Sheet) -> Result<Plan, ApiError> {
    let mut plan = Plan {
        batch: ProductBatch::default(),
        missing_tags: Vec::new(),
        created: Vec::new(),
        updated: Vec::new(),
    };
    let tags = tag_ids(store, ctx, sheet).await?;
    for g in &sheet.products {
        let reading = read_group(&sheet.header, g)?;
        let first_row = g.rows.first().map_or(0, |(r, _)| *r);
        let existing = match g.id.as_deref().and_then(|raw| ids::PRODUCT.read(raw)) {
            Some(id) => match store.get_product(ctx, ProductId(id), Include::default()).await {
                Ok(v) if v.product.archived_at.is_none() => Some(v),
                Ok(_) => None,
                Err(StoreError::Domain(pimento_core::CoreError::NotFound(_))) => None,
                Err(e) => return Err(e.into()),
            },
            None => None,
        };
        let (tag_ids, missing): (Vec<TagId>, Vec<String>) = match &reading.tags {
            None => (Vec::new(), Vec::new()),
            Some(values) => {
                let mut found = Vec::new();
                let mut missing = Vec::new();
                for v in values {
                    match tags.get(v) {
                        Some(id) if !found.contains(id) => found.push(*id),
                        Some(_) => {}
                        None => missing.push(v.clone()),
                    }
                }
                (found, missing)
            }
        };
        match existing {
            None => {
                let slot = Slot::Create(plan.batch.create.len());
                let (input, origin) = plan_create(g, reading.product, &reading.variants, first_row)?;
                let mut input = input;
                if reading.tags.is_some() {
                    input.classification.tags = Some(tag_ids);
                }
                plan.missing_tags.extend(missing.into_iter().map(|t| (t, slot)));
                plan.batch.create.push(input);
                plan.created.push(origin);
            }
            Some(current) => {
                let slot = Slot::Update(plan.batch.update.len());
                let id = current.product.id;
                let (mut change, origin) =
                    plan_update(store, ctx, id, current.product.metadata.as_ref(), reading, first_row).await?;
                if let Some(t) = change.patch.classification.tags.as_mut() {
                    *t = tag_ids;
                }
                plan.missing_tags.extend(missing.into_iter().map(|t| (t, slot)));
                plan.batch.update.push((id, change));
                plan.updated.push(origin);
            }
        }
    }
    Ok(plan)
}

/// The organization's tags the file names, by value; a cell holding a tag's id (`ptag_…`)
/// counts as that tag's value.
async fn tag_ids(store: &Store, ctx: &Ctx, sheet: &Sheet) -> Result<HashMap<String, TagId>, ApiError> {
    let cols = numbered(&sheet.header, "product tag");
    let mut values: Vec<String> = Vec::new();
    for g in &sheet.products {
        for (_, cells) in &g.rows {
            for c in &cols {
                if let Some(v) = cells.get(c.as_str()).filter(|v| !values.contains(v)) {
                    values.push(v.clone());
                }
            }
        }
    }
    let mut found = HashMap::new();
    for part in values.chunks(100) {
        let q = GroupingQuery {
            values: Some(part.to_vec()),
            limit: 200,
            ..GroupingQuery::default()
        };
        for t in store.list_labels::<TagId>(ctx, &q).await?.items {
            found.insert(t.value.clone(), t.id);
        }
        let as_ids: Vec<uuid::Uuid> = part.iter().filter_map(|v| ids::TAG.read(v)).collect();
        if !as_ids.is_empty() {
            let q = GroupingQuery {
                ids: Some(as_ids),
                limit: 200,
                ..GroupingQuery::default()
            };
            for t in store.list_labels::<TagId>(ctx, &q).await?.items {
                found.insert(ids::TAG.show(t.id.0), t.id);
                found.insert(t.id.0.to_string(), t.id);
            }
        }
    }
    Ok(found)
}

fn plan_create(
    g: &Group,
    mut product: Map<String, Value>,
    variants: &[RowVariant],
    first_row: u64,
) -> Result<(pimento_core::product::ProductInput, Origin), ApiError> {
    if !product.contains_key("title") {
        return Err(at_row(first_row, "\"Product Title\" is required to create a product"));
    }
    if let Some(h) = &g.handle {
        product.insert("handle".into(), Value::String(h.clone()));
    }
    // The product's options: each title the rows pick, with its values in the order met.
    let mut options: Vec<(String, Vec<String>)> = Vec::new();
    let mut bodies = Vec::with_capacity(variants.len());
    for v in variants {
        for (title, value) in &v.picks {
            match options.iter_mut().find(|(t, _)| t == title) {
                Some((_, values)) if !values.contains(value) => values.push(value.clone()),
                Some(_) => {}
                None => options.push((title.clone(), vec![value.clone()])),
            }
        }
        let mut body = v.body.clone();
        // A variant id names a variant of another product (or organization): a created
        // product's variants are new.
        body.remove("id");
        if !body.contains_key("title") {
            return Err(at_row(v.row, "\"Variant Title\" is required to create a variant"));
        }
        body.entry("prices").or_insert_with(|| Value::Array(Vec::new()));
        bodies.push(Value::Object(body));
    }
    product.insert(
        "options".into(),
        Value::Array(
            options
                .iter()
                .map(|(t, values)| json!({"title": t, "values": values}))
                .collect(),
        ),
    );
    product.insert("variants".into(), Value::Array(bodies));
    let origin = Origin {
        first_row,
        variant_rows: variants.iter().map(|v| v.row).collect(),
        handle: g.handle.clone(),
        skus: variants
            .iter()
            .map(|v| v.body.get("sku").and_then(Value::as_str).map(str::to_owned))
            .collect(),
    };
    let body: CreateProduct = from_body(first_row, Value::Object(product))?;
    let input = body.into_input().map_err(|e| at_row(first_row, message_of(&e)))?;
    Ok((input, origin))
}

async fn plan_update(
    store: &Store,
    ctx: &Ctx,
    id: ProductId,
    metadata: Option<&Value>,
    reading: Reading,
    first_row: u64,
) -> Result<(ProductChange, Origin), ApiError> {
    let mut product = reading.product;
    let has_tags = reading.tags.is_some();
    let view = store
        .get_product(
            ctx,
            id,
            Include {
                variants: true,
                ..Include::default()
            },
        )
        .await?;
    let own = view.variants.unwrap_or_default();
    let options = store.product_options(ctx, id).await?;
    let titles = option_titles(&options);
    if has_tags {
        // Filled in by the caller with the tags' ids.
        product.insert("tags".into(), Value::Array(Vec::new()));
    }
    let body: UpdateProduct = from_body(first_row, Value::Object(product))?;
    let parts = body
        .into_parts(metadata)
        .map_err(|e| at_row(first_row, message_of(&e)))?;
    let mut variants = Vec::with_capacity(reading.variants.len());
    for (j, v) in reading.variants.iter().enumerate() {
        let mut body = v.body.clone();
        let given = body.get("id").and_then(Value::as_str).map(str::to_owned);
        let sku = body.get("sku").and_then(Value::as_str);
        let found = match &given {
            Some(raw) => {
                let mine = ids::VARIANT.read(raw).and_then(|u| own.iter().find(|o| o.id.0 == u));
                match mine {
                    Some(o) => Some(o.id),
                    None => {
                        return Err(at_row(
                            v.row,
                            format!(
                                "Variant with id {raw} is not a variant of product {}",
                                ids::PRODUCT.show(id.0)
                            ),
                        ));
                    }
                }
            }
            None => sku
                .and_then(|s| own.iter().find(|o| o.sku.as_deref() == Some(s)))
                .map(|o| o.id),
        };
        match found {
            Some(vid) => {
                body.insert("id".into(), Value::String(ids::VARIANT.show(vid.0)));
            }
            None => {
                if !body.contains_key("title") {
                    return Err(at_row(v.row, "\"Variant Title\" is required to create a variant"));
                }
                body.entry("prices").or_insert_with(|| Value::Array(Vec::new()));
            }
        }
        let wire: super::variant_wire::VariantIn = from_body(v.row, Value::Object(body))?;
        variants.push(super::variants::change(wire, &titles, j).map_err(|e| at_row(v.row, message_of(&e)))?);
    }
    let patch = parts.patch;
    let origin = Origin {
        first_row,
        variant_rows: reading.variants.iter().map(|v| v.row).collect(),
        handle: None,
        skus: reading
            .variants
            .iter()
            .map(|v| v.body.get("sku").and_then(Value::as_str).map(str::to_owned))
            .collect(),
    };
    Ok((
        ProductChange {
            patch,
            media: parts.images,
            variants,
            option_ids: parts.option_ids,
            delete_variants: Vec::new(),
        },
        origin,
    ))
}

/// A body built from the row, read by the API's own request types.
fn from_body<T: serde::de::DeserializeOwned>(row: u64, body: Value) -> Result<T, ApiError> {
    let bytes = serde_json::to_vec(&body).map_err(|e| at_row(row, e))?;
    super::body::parse(&bytes).map_err(|e| at_row(row, message_of(&e)))
}

/// A refusal's message without the validator's `Invalid request: ` (the row says where).
fn message_of(e: &ApiError) -> String {
    let m = e.message.strip_prefix("Invalid request: ").unwrap_or(&e.message);
    match &e.field {
        Some(Field::Wire(w)) => format!("{m} ({w})"),
        Some(Field::Core(p)) => format!("{m} ({p})"),
        None => m.to_owned(),
    }
}
