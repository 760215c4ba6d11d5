//! Brands of the organization.

use super::removal::{delete_recorded, refuse_while};
use super::update_recorded::update_recorded;
use crate::Store;
use crate::audit;
use crate::db::{Conn, Row};
use crate::error::StoreError;
use crate::page::{MAX_LIMIT, Page};
use pimento_core::audit::Change;
use pimento_core::auth::Ctx;
use pimento_core::error::codes;
use pimento_core::ids::BrandId;
use pimento_core::taxonomy::{Brand, BrandInput, BrandPatch};
use pimento_core::version::{self, Precondition, Version};
use pimento_core::{CoreError, Entity};

const COLUMNS: &str =
    "id, organization_id, name, description, logo_url, created_at, created_by, updated_at, updated_by, version";

fn brand(r: &Row) -> Result<Brand, StoreError> {
    Ok(Brand {
        id: r.id("id")?,
        organization_id: r.id("organization_id")?,
        name: r.get("name")?,
        description: r.get("description")?,
        logo_url: r.get("logo_url")?,
        created_at: r.get("created_at")?,
        created_by: r.get("created_by")?,
        updated_at: r.get("updated_at")?,
        updated_by: r.get("updated_by")?,
        version: Version(r.get("version")?),
    })
}

async fn one(c: &mut Conn<'_>, ctx: &Ctx, id: BrandId) -> Result<Brand, StoreError> {
    find(c, ctx, id, "").await
}

async fn find(c: &mut Conn<'_>, ctx: &Ctx, id: BrandId, lock: &str) -> Result<Brand, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM brands WHERE organization_id = $1 AND id = $2{lock}");
    c.fetch_optional(sql, crate::args![ctx.org(), id])
        .await?
        .map(|r| brand(&r))
        .transpose()?
        .ok_or_else(|| CoreError::NotFound(Entity::Brand).into())
}

/// The brand a write changes, locked as it is read ([`super::guard::for_update`]), once it
/// meets `pre`.
async fn to_change(c: &mut Conn<'_>, ctx: &Ctx, id: BrandId, pre: Option<&Precondition>) -> Result<Brand, StoreError> {
    let lock = super::guard::for_update(c);
    let found = find(c, ctx, id, lock).await?;
    version::check(pre, Entity::Brand, found.version)?;
    Ok(found)
}

/// Creates a Brand inside the caller's transaction.
pub(super) async fn insert_brand(c: &mut Conn<'_>, ctx: &Ctx, input: BrandInput) -> Result<Brand, StoreError> {
    let b = input.validate()?;
    let now = crate::clock::now();
    let created = Brand {
        id: BrandId::generate(),
        organization_id: ctx.org(),
        name: b.name,
        description: b.description,
        logo_url: b.logo_url,
        created_at: now,
        created_by: ctx.actor().to_owned(),
        updated_at: now,
        updated_by: ctx.actor().to_owned(),
        version: Version(1),
    };
    c.execute(
        "INSERT INTO brands (id, organization_id, name, description, logo_url, created_at, created_by, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $6, $7)",
        crate::args![
            created.id,
            ctx.org(),
            created.name.clone(),
            created.description.clone(),
            created.logo_url.clone(),
            now,
            ctx.actor(),
        ],
    )
    .await?;
    audit::record(
        c,
        ctx,
        vec![Change::created(Entity::Brand, created.id.0, created.snapshot())],
    )
    .await?;
    Ok(created)
}

impl Store {
    /// Creates a brand; names are unique in the organization, ignoring case.
    pub async fn create_brand(&self, ctx: &Ctx, input: BrandInput) -> Result<Brand, StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let created = insert_brand(&mut tx.conn(), ctx, input).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// A page of brands in creation order.
    pub async fn list_brands(&self, ctx: &Ctx, limit: u32, after: Option<BrandId>) -> Result<Page<Brand>, StoreError> {
        ctx.principal.require_secret()?;
        let limit = limit.clamp(1, MAX_LIMIT);
        let sql = format!("SELECT {COLUMNS} FROM brands WHERE organization_id = $1 AND id > $2 ORDER BY id LIMIT $3");
        let mut pc = self.db.acquire().await?;
        let items = pc
            .conn()
            .fetch_all(
                sql,
                crate::args![ctx.org(), after.map(|a| a.0).unwrap_or_default(), i64::from(limit) + 1],
            )
            .await?
            .iter()
            .map(brand)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(items, limit, |b| b.id.to_string(), None))
    }

    /// One brand.
    pub async fn get_brand(&self, ctx: &Ctx, id: BrandId) -> Result<Brand, StoreError> {
        ctx.principal.require_secret()?;
        let mut pc = self.db.acquire().await?;
        one(&mut pc.conn(), ctx, id).await
    }

    /// Changes the fields present, when the brand meets `pre`.
    pub async fn update_brand(
        &self,
        ctx: &Ctx,
        id: BrandId,
        pre: Option<&Precondition>,
        patch: BrandPatch,
    ) -> Result<Brand, StoreError> {
        ctx.principal.require_secret()?;
        let patch = patch.validate()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let before = to_change(&mut c, ctx, id, pre).await?;
        let mut after = before.clone();
        if let Some(n) = patch.name {
            after.name = n;
        }
        after.description = patch.description.apply(after.description);
        after.logo_url = patch.logo_url.apply(after.logo_url);
        after.updated_by = ctx.actor().to_owned();
        // The one statement below that moves the version moves it by one.
        after.version = Version(before.version.0 + 1);
        after.updated_at = update_recorded(
            &mut c,
            ctx,
            "brands",
            Entity::Brand,
            id.0,
            &["name", "description", "logo_url"],
            crate::args![after.name.clone(), after.description.clone(), after.logo_url.clone()],
            (&before.snapshot(), &after.snapshot()),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes a brand no product carries (otherwise 409), when it meets `pre`.
    pub async fn delete_brand(&self, ctx: &Ctx, id: BrandId, pre: Option<&Precondition>) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let before = to_change(&mut c, ctx, id, pre).await?;
        refuse_while(
            &mut c,
            "SELECT 1 AS one FROM products WHERE brand_id = $1 LIMIT 1",
            id,
            codes::IN_USE,
            "Cannot delete: products carry this brand; change their brand first",
        )
        .await?;
        delete_recorded(&mut c, ctx, "brands", Entity::Brand, id.0, &before.snapshot()).await?;
        tx.commit().await?;
        Ok(())
    }
}
