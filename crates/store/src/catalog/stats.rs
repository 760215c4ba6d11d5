//! Catalog totals, read from counters that triggers keep in the same transaction as every
//! write: a handful of rows per organization, whatever the catalog's size.

use crate::Store;
use crate::error::StoreError;
use pimento_core::auth::Ctx;
use pimento_core::product::ProductStatus;
use std::collections::BTreeMap;

/// The organization's catalog totals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogStats {
    /// Products that are not archived.
    pub products: i64,
    /// Products that are not archived, by status.
    pub products_by_status: BTreeMap<&'static str, i64>,
    pub archived_products: i64,
    pub variants: i64,
    pub brands: i64,
    pub categories: i64,
    pub attributes: i64,
    pub attribute_groups: i64,
    pub templates: i64,
    /// Media attachments to products and variants.
    pub media: i64,
    /// Media assets in the organization's library.
    pub media_assets: i64,
}

impl Store {
    /// The organization's catalog totals.
    pub async fn catalog_stats(&self, ctx: &Ctx) -> Result<CatalogStats, StoreError> {
        ctx.principal.require_secret()?;
        let mut pc = self.db.acquire().await?;
        let rows = pc
            .conn()
            .fetch_all(
                "SELECT metric, CAST(SUM(n) AS BIGINT) AS n FROM catalog_counts WHERE organization_id = $1 GROUP BY metric",
                crate::args![ctx.org()],
            )
            .await?;
        let mut counts = BTreeMap::new();
        for r in rows {
            counts.insert(r.get::<String>("metric")?, r.get::<i64>("n")?);
        }
        let get = |k: &str| counts.get(k).copied().unwrap_or(0);
        let products_by_status: BTreeMap<&'static str, i64> = ProductStatus::ALL
            .iter()
            .map(|s| (s.as_str(), get(&format!("products.{}", s.as_str()))))
            .collect();
        Ok(CatalogStats {
            products: products_by_status.values().sum(),
            products_by_status,
            archived_products: get("products.archived"),
            variants: get("variants"),
            brands: get("brands"),
            categories: get("categories"),
            attributes: get("attributes"),
            attribute_groups: get("attribute_groups"),
            templates: get("templates"),
            media: get("product_media"),
            media_assets: get("media_assets"),
        })
    }
}
