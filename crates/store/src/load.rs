//! Loading products with their children in a fixed number of queries, whatever the page size.

use crate::db::{Conn, Val, placeholders};
use crate::error::StoreError;
use crate::rows;
use pimento_core::ids::{OptionId, OrganizationId, ProductId, TagId, VariantId};
use pimento_core::label::Tag;
use pimento_core::media::ProductMedia;
use pimento_core::options::{OptionValue, VariantOption};
use pimento_core::product::{Include, Product, ProductView};
use pimento_core::sync::ExternalRef;
use pimento_core::taxonomy::CategoryLink;
use pimento_core::variant::{Variant, VariantOptionValue};
use std::collections::HashMap;

fn id_args(org: OrganizationId, ids: &[uuid::Uuid]) -> Vec<Val> {
    let mut args = Vec::with_capacity(ids.len() + 1);
    args.push(Val::from(org));
    args.extend(ids.iter().map(|id| Val::from(*id)));
    args
}

/// A product row with what [`rows::PRODUCT_FROM`] joins to it: its primary reference and
/// its category.
pub type ProductRow = (Product, Option<ExternalRef>, Option<CategoryLink>);

/// The organization's products of `ids`, in no particular order; one that is gone is left out.
pub async fn product_rows_by_id(
    conn: &mut Conn<'_>,
    org: OrganizationId,
    ids: &[ProductId],
) -> Result<Vec<ProductRow>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let raw: Vec<uuid::Uuid> = ids.iter().map(|id| id.0).collect();
    let tail = format!(
        "WHERE p.organization_id = $1 AND p.id IN ({})",
        placeholders(2, raw.len())
    );
    product_rows(conn, &tail, id_args(org, &raw)).await
}

/// Reads product rows selected by a `WHERE …` tail.
pub async fn product_rows(conn: &mut Conn<'_>, tail: &str, args: Vec<Val>) -> Result<Vec<ProductRow>, StoreError> {
    let sql = format!("SELECT {} {} {tail}", rows::PRODUCT_COLUMNS, rows::PRODUCT_FROM);
    conn.fetch_all(sql, args)
        .await?
        .iter()
        .map(|r| {
            let p = rows::product(r)?;
            let sync = rows::joined_ref(r, p.organization_id.0)?;
            let category = rows::category_link(r, &p)?;
            Ok((p, sync, category))
        })
        .collect()
}

/// A product with its primary reference, category and media.
pub type ProductWithMedia = (Product, Option<ExternalRef>, Option<CategoryLink>, Vec<ProductMedia>);

/// One product of the organization with its media in one statement, or `None`: a row per
/// attachment (one row with empty media columns when there is none).
pub async fn product_with_media(
    conn: &mut Conn<'_>,
    org: OrganizationId,
    id: ProductId,
) -> Result<Option<ProductWithMedia>, StoreError> {
    let sql = format!(
        "SELECT {}, {} {} LEFT JOIN product_media pm ON pm.product_id = p.id \
         LEFT JOIN media_assets a ON a.id = pm.media_asset_id \
         WHERE p.organization_id = $1 AND p.id = $2 ORDER BY pm.position, pm.id",
        rows::PRODUCT_COLUMNS,
        rows::MEDIA_COLUMNS,
        rows::PRODUCT_FROM
    );
    let rows = conn.fetch_all(sql, crate::args![org, id]).await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let product = rows::product(first)?;
    let sync = rows::joined_ref(first, product.organization_id.0)?;
    let category = rows::category_link(first, &product)?;
    let mut media = Vec::with_capacity(rows.len());
    for row in &rows {
        if row.opt_id::<uuid::Uuid>("m_id")?.is_some() {
            media.push(rows::product_media(row)?);
        }
    }
    Ok(Some((product, sync, category, media)))
}

/// One product row of the organization, or `None`.
pub async fn product_row(
    conn: &mut Conn<'_>,
    org: OrganizationId,
    id: ProductId,
) -> Result<Option<ProductRow>, StoreError> {
    Ok(product_rows(
        conn,
        "WHERE p.organization_id = $1 AND p.id = $2",
        crate::args![org, id],
    )
    .await?
    .into_iter()
    .next())
}

/// One product of the organization with its primary reference, or `None`.
pub async fn product(
    conn: &mut Conn<'_>,
    org: OrganizationId,
    id: ProductId,
) -> Result<Option<(Product, Option<ExternalRef>)>, StoreError> {
    Ok(product_row(conn, org, id).await?.map(|(p, sync, _)| (p, sync)))
}

/// Attaches the requested children to product rows, keeping their order.
pub async fn views(
    conn: &mut Conn<'_>,
    org: OrganizationId,
    products: Vec<ProductRow>,
    include: Include,
) -> Result<Vec<ProductView>, StoreError> {
    let ids: Vec<uuid::Uuid> = products.iter().map(|(p, ..)| p.id.0).collect();
    let mut variants = if include.variants && !ids.is_empty() {
        variants_of(conn, org, &ids).await?
    } else {
        HashMap::new()
    };
    let mut media = if include.media && !ids.is_empty() {
        media_of(conn, org, &ids).await?
    } else {
        HashMap::new()
    };
    let mut tags = if include.tags && !ids.is_empty() {
        tags_of(conn, org, &ids).await?
    } else {
        HashMap::new()
    };
    Ok(products
        .into_iter()
        .map(|(product, sync, category)| {
            let id = product.id;
            ProductView {
                category,
                product,
                sync,
                variants: include.variants.then(|| variants.remove(&id).unwrap_or_default()),
                media: include.media.then(|| media.remove(&id).unwrap_or_default()),
                tags: include.tags.then(|| tags.remove(&id).unwrap_or_default()),
            }
        })
        .collect())
}

/// The tags of the given products, by product, in the order each was given them.
pub async fn tags_of(
    conn: &mut Conn<'_>,
    org: OrganizationId,
    product_ids: &[uuid::Uuid],
) -> Result<HashMap<ProductId, Vec<Tag>>, StoreError> {
    let sql = format!(
        "SELECT pt.product_id, {} FROM product_tags pt JOIN tags t ON t.id = pt.tag_id \
         WHERE t.organization_id = $1 AND pt.product_id IN ({}) ORDER BY pt.product_id, pt.rank",
        rows::LABEL_COLUMNS,
        placeholders(2, product_ids.len())
    );
    let mut out: HashMap<ProductId, Vec<Tag>> = HashMap::new();
    for row in conn.fetch_all(sql, id_args(org, product_ids)).await? {
        out.entry(row.id("product_id")?).or_default().push(rows::label(&row)?);
    }
    Ok(out)
}

/// The ids of a product's tags, in order.
pub async fn tag_ids_of(conn: &mut Conn<'_>, product: ProductId) -> Result<Vec<TagId>, StoreError> {
    conn.fetch_all(
        "SELECT tag_id FROM product_tags WHERE product_id = $1 ORDER BY rank",
        crate::args![product],
    )
    .await?
    .iter()
    .map(|r| r.id("tag_id"))
    .collect()
}

/// The variants of the given products, by product, in rank order, with their option values:
/// one query, a row per variant and option value (a variant without options gives one row).
pub async fn variants_of(
    conn: &mut Conn<'_>,
    org: OrganizationId,
    product_ids: &[uuid::Uuid],
) -> Result<HashMap<ProductId, Vec<Variant>>, StoreError> {
    let list = placeholders(2, product_ids.len());
    let sql = format!(
        "SELECT {}, vov.option_id AS o_option_id, o.name AS o_option_name, vov.value_id AS o_value_id, ov.value AS o_value \
         {} \
         LEFT JOIN variant_option_values vov ON vov.variant_id = v.id \
         LEFT JOIN options o ON o.id = vov.option_id \
         LEFT JOIN option_values ov ON ov.id = vov.value_id \
         LEFT JOIN product_options po ON po.product_id = v.product_id AND po.option_id = vov.option_id \
         WHERE v.organization_id = $1 AND v.product_id IN ({list}) \
         ORDER BY v.product_id, v.rank, v.id, po.rank, o.name",
        rows::VARIANT_COLUMNS,
        rows::VARIANT_FROM
    );
    let mut out: HashMap<ProductId, Vec<Variant>> = HashMap::new();
    let mut current: Option<Variant> = None;
    for row in conn.fetch_all(sql, id_args(org, product_ids)).await? {
        let id: VariantId = row.id("id")?;
        if current.as_ref().is_none_or(|v| v.id != id) {
            if let Some(done) = current.take() {
                out.entry(done.product_id).or_default().push(done);
            }
            current = Some(rows::variant(&row)?);
        }
        if let (Some(v), Some(option_id)) = (current.as_mut(), row.opt_id("o_option_id")?) {
            v.options.push(VariantOptionValue {
                option_id,
                option_name: row.get("o_option_name")?,
                value_id: row.id("o_value_id")?,
                value: row.get("o_value")?,
            });
        }
    }
    if let Some(done) = current {
        out.entry(done.product_id).or_default().push(done);
    }
    Ok(out)
}

/// The media attached to the given products, by product, in position order.
pub async fn media_of(
    conn: &mut Conn<'_>,
    org: OrganizationId,
    product_ids: &[uuid::Uuid],
) -> Result<HashMap<ProductId, Vec<ProductMedia>>, StoreError> {
    let list = placeholders(2, product_ids.len());
    let sql = format!(
        "SELECT {} {} WHERE pm.organization_id = $1 AND pm.product_id IN ({list}) ORDER BY pm.product_id, pm.position, pm.id",
        rows::MEDIA_COLUMNS,
        rows::MEDIA_FROM
    );
    let mut out: HashMap<ProductId, Vec<ProductMedia>> = HashMap::new();
    for row in conn.fetch_all(sql, id_args(org, product_ids)).await? {
        let m = rows::product_media(&row)?;
        out.entry(m.product_id).or_default().push(m);
    }
    Ok(out)
}

/// Options with their values, selected by a `WHERE …` tail over `options o`, in the tail's order.
pub async fn options_where(
    conn: &mut Conn<'_>,
    join: &str,
    tail: &str,
    args: Vec<Val>,
) -> Result<Vec<VariantOption>, StoreError> {
    let sql = format!(
        "SELECT o.id, o.organization_id, o.product_id, o.name, o.created_at, o.created_by, o.updated_at, o.updated_by, o.version FROM options o {join} {tail}"
    );
    let mut options: Vec<VariantOption> = conn
        .fetch_all(sql, args)
        .await?
        .iter()
        .map(rows::option)
        .collect::<Result<_, _>>()?;
    if options.is_empty() {
        return Ok(options);
    }
    let ids: Vec<uuid::Uuid> = options.iter().map(|o| o.id.0).collect();
    let sql = format!(
        "SELECT id, option_id, number, value, rank FROM option_values WHERE option_id IN ({}) ORDER BY option_id, rank",
        placeholders(1, ids.len())
    );
    let mut by_option: HashMap<OptionId, Vec<_>> = HashMap::new();
    for row in conn.fetch_all(sql, ids.into_iter().map(Val::from).collect()).await? {
        let v = rows::option_value(&row)?;
        by_option.entry(v.option_id).or_default().push(v);
    }
    for o in &mut options {
        o.values = by_option.remove(&o.id).unwrap_or_default();
    }
    Ok(options)
}

/// The options assigned to a product, in assignment order.
pub async fn assigned_options(
    conn: &mut Conn<'_>,
    org: OrganizationId,
    product: ProductId,
) -> Result<Vec<VariantOption>, StoreError> {
    options_where(
        conn,
        "JOIN product_options po ON po.option_id = o.id",
        "WHERE o.organization_id = $1 AND po.product_id = $2 ORDER BY po.rank",
        crate::args![org, product],
    )
    .await
}

/// The options assigned to each of the given products, in assignment order, each with its
/// values: one query for any number of products, a row per product, option and value.
pub async fn assigned_options_of(
    conn: &mut Conn<'_>,
    org: OrganizationId,
    products: &[ProductId],
) -> Result<HashMap<ProductId, Vec<VariantOption>>, StoreError> {
    let mut out: HashMap<ProductId, Vec<VariantOption>> = HashMap::new();
    if products.is_empty() {
        return Ok(out);
    }
    // Options belong to one organization, and so do the products linked to them.
    let sql = format!(
        "SELECT po.product_id AS linked_to, o.id, o.organization_id, o.product_id, o.name, o.created_at, o.created_by, \
         o.updated_at, o.updated_by, o.version, ov.id AS v_id, ov.number AS v_number, ov.value AS v_value, ov.rank AS v_rank \
         FROM product_options po JOIN options o ON o.id = po.option_id \
         LEFT JOIN option_values ov ON ov.option_id = o.id \
         WHERE o.organization_id = $1 AND po.product_id IN ({}) \
         ORDER BY po.product_id, po.rank, o.id, ov.rank, ov.id",
        placeholders(2, products.len())
    );
    let mut args = crate::args![org];
    args.extend(products.iter().map(|p| Val::from(*p)));
    for row in conn.fetch_all(sql, args).await? {
        let product: ProductId = row.id("linked_to")?;
        let id: OptionId = row.id("id")?;
        let list = out.entry(product).or_default();
        if list.last().is_none_or(|o| o.id != id) {
            list.push(rows::option(&row)?);
        }
        if let (Some(option), Some(value_id)) = (list.last_mut(), row.opt_id("v_id")?) {
            option.values.push(OptionValue {
                id: value_id,
                option_id: id,
                number: row.get("v_number")?,
                value: row.get("v_value")?,
                rank: row.get("v_rank")?,
            });
        }
    }
    Ok(out)
}
