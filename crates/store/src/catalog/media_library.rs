//! Media across the organization: attachments found by id, product or variant, without
//! knowing their product first (the PIM's `/media`).

use crate::Store;
use crate::db::Val;
use crate::error::StoreError;
use crate::page::{MAX_LIMIT, Page};
use crate::rows;
use pimento_core::auth::Ctx;
use pimento_core::ids::{ProductId, ProductMediaId, VariantId};
use pimento_core::media::ProductMedia;
use pimento_core::{CoreError, Entity};

/// Which attachments a media list shows.
#[derive(Debug, Clone, Default)]
pub struct MediaQuery {
    pub product_id: Option<ProductId>,
    pub variant_id: Option<VariantId>,
    pub limit: u32,
    pub after: Option<ProductMediaId>,
}

impl Store {
    /// Attachments of the organization: of one product or variant in position order, or all of
    /// them a page at a time in creation order.
    pub async fn find_media(&self, ctx: &Ctx, q: MediaQuery) -> Result<Page<ProductMedia>, StoreError> {
        ctx.principal.require_secret()?;
        let limit = q.limit.clamp(1, MAX_LIMIT);
        let mut sql = format!(
            "SELECT {} {} WHERE pm.organization_id = $1",
            rows::MEDIA_COLUMNS,
            rows::MEDIA_FROM
        );
        let mut args = crate::args![ctx.org()];
        if let Some(p) = q.product_id {
            args.push(Val::from(p));
            sql.push_str(&format!(" AND pm.product_id = ${}", args.len()));
        }
        if let Some(v) = q.variant_id {
            args.push(Val::from(v));
            sql.push_str(&format!(" AND pm.variant_id = ${}", args.len()));
        }
        let by_position = q.product_id.is_some() || q.variant_id.is_some();
        if by_position {
            // A product has at most a few hundred attachments: one page, in display order.
            sql.push_str(" ORDER BY pm.position, pm.id");
        } else {
            args.push(Val::from(q.after.map(|a| a.0).unwrap_or_default()));
            sql.push_str(&format!(" AND pm.id > ${}", args.len()));
            args.push(Val::from(i64::from(limit) + 1));
            sql.push_str(&format!(" ORDER BY pm.id LIMIT ${}", args.len()));
        }
        let mut pc = self.db.acquire().await?;
        let items = pc
            .conn()
            .fetch_all(sql, args)
            .await?
            .iter()
            .map(rows::product_media)
            .collect::<Result<Vec<_>, _>>()?;
        if by_position {
            return Ok(Page {
                items,
                next_cursor: None,
                total: None,
            });
        }
        Ok(Page::from_overfetch(items, limit, |m| m.id.to_string(), None))
    }

    /// One attachment of the organization by its id.
    pub async fn media_attachment(&self, ctx: &Ctx, id: ProductMediaId) -> Result<ProductMedia, StoreError> {
        ctx.principal.require_secret()?;
        let sql = format!(
            "SELECT {} {} WHERE pm.organization_id = $1 AND pm.id = $2",
            rows::MEDIA_COLUMNS,
            rows::MEDIA_FROM
        );
        let mut pc = self.db.acquire().await?;
        pc.conn()
            .fetch_optional(sql, crate::args![ctx.org(), id])
            .await?
            .map(|r| rows::product_media(&r))
            .transpose()?
            .ok_or_else(|| CoreError::NotFound(Entity::MediaAsset).into())
    }

    /// The product a variant of the organization belongs to.
    pub async fn product_of_variant(&self, ctx: &Ctx, variant: VariantId) -> Result<ProductId, StoreError> {
        let mut pc = self.db.acquire().await?;
        pc.conn()
            .fetch_optional(
                "SELECT product_id FROM variants WHERE organization_id = $1 AND id = $2",
                crate::args![ctx.org(), variant],
            )
            .await?
            .map(|r| r.id("product_id"))
            .transpose()?
            .ok_or_else(|| CoreError::NotFound(Entity::Variant).into())
    }
}
