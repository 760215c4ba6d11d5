//! Vendors of the organization: the companies that own products.

use super::extended::write_extensions;
use super::numbers::{self, Numbered};
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
use pimento_core::extension::{ExtensionPatch, Extensions};
use pimento_core::ids::VendorId;
use pimento_core::vendor::{Vendor, VendorInput, VendorPatch, VendorStatus};
use pimento_core::version::{self, Precondition, Version};
use pimento_core::{CoreError, Entity};

const COLUMNS: &str = "id, organization_id, number, name, email, description, status, metadata, \
created_at, created_by, updated_at, updated_by, version, extensions";

fn vendor(r: &Row) -> Result<Vendor, StoreError> {
    let status: String = r.get("status")?;
    Ok(Vendor {
        id: r.id("id")?,
        organization_id: r.id("organization_id")?,
        number: r.get("number")?,
        name: r.get("name")?,
        email: r.get("email")?,
        description: r.get("description")?,
        status: VendorStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("vendor status {status}")))?,
        metadata: r.json("metadata")?,
        created_at: r.get("created_at")?,
        created_by: r.get("created_by")?,
        updated_at: r.get("updated_at")?,
        updated_by: r.get("updated_by")?,
        version: Version(r.get("version")?),
        extensions: Extensions::from_json(r.json("extensions")?),
    })
}

/// One vendor of the organization; `lock` is [`super::guard::for_update`]'s suffix or "".
async fn one(c: &mut Conn<'_>, ctx: &Ctx, id: VendorId, lock: &str) -> Result<Vendor, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM vendors WHERE organization_id = $1 AND id = $2{lock}");
    c.fetch_optional(sql, crate::args![ctx.org(), id])
        .await?
        .map(|r| vendor(&r))
        .transpose()?
        .ok_or_else(|| CoreError::NotFound(Entity::Vendor).into())
}

impl Store {
    /// Creates a vendor, numbered in the organization.
    pub async fn create_vendor(&self, ctx: &Ctx, input: VendorInput) -> Result<Vendor, StoreError> {
        self.create_vendor_extended(ctx, input, None).await
    }

    /// [`Store::create_vendor`], keeping an API's own fields of it in the same transaction.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn create_vendor_extended(
        &self,
        ctx: &Ctx,
        input: VendorInput,
        extension: Option<ExtensionPatch>,
    ) -> Result<Vendor, StoreError> {
        ctx.principal.require_secret()?;
        let v = input.validate()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let now = crate::clock::now();
        let mut created = Vendor {
            id: VendorId::generate(),
            organization_id: ctx.org(),
            number: numbers::take_one(&mut c, ctx.org(), Numbered::Vendor).await?,
            name: v.name,
            email: v.email,
            description: v.description,
            status: v.status,
            metadata: v.metadata,
            created_at: now,
            created_by: ctx.actor().to_owned(),
            updated_at: now,
            updated_by: ctx.actor().to_owned(),
            version: Version(1),
            extensions: Extensions::default(),
        };
        c.execute(
            "INSERT INTO vendors (id, organization_id, number, name, email, description, status, metadata, \
             created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $9, $10)",
            crate::args![
                created.id,
                ctx.org(),
                created.number,
                created.name.clone(),
                created.email.clone(),
                created.description.clone(),
                created.status.as_str(),
                created.metadata.clone(),
                now,
                ctx.actor(),
            ],
        )
        .await?;
        audit::record(
            &mut c,
            ctx,
            vec![Change::created(Entity::Vendor, created.id.0, created.snapshot())],
        )
        .await?;
        let id = created.id.0;
        write_extensions(
            &mut c,
            ctx,
            "vendors",
            Entity::Vendor,
            id,
            &mut created.extensions,
            extension,
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// A page of vendors in creation order.
    pub async fn list_vendors(
        &self,
        ctx: &Ctx,
        limit: u32,
        after: Option<VendorId>,
    ) -> Result<Page<Vendor>, StoreError> {
        ctx.principal.require_secret()?;
        let limit = limit.clamp(1, MAX_LIMIT);
        let sql = format!("SELECT {COLUMNS} FROM vendors WHERE organization_id = $1 AND id > $2 ORDER BY id LIMIT $3");
        let mut pc = self.db.acquire().await?;
        let items = pc
            .conn()
            .fetch_all(
                sql,
                crate::args![ctx.org(), after.map(|a| a.0).unwrap_or_default(), i64::from(limit) + 1],
            )
            .await?
            .iter()
            .map(vendor)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::from_overfetch(items, limit, |v| v.id.to_string(), None))
    }

    /// One vendor.
    pub async fn get_vendor(&self, ctx: &Ctx, id: VendorId) -> Result<Vendor, StoreError> {
        let mut pc = self.db.acquire().await?;
        one(&mut pc.conn(), ctx, id, "").await
    }

    /// Changes the fields present.
    pub async fn update_vendor(&self, ctx: &Ctx, id: VendorId, patch: VendorPatch) -> Result<Vendor, StoreError> {
        self.update_vendor_extended(ctx, id, None, patch, None).await
    }

    /// [`Store::update_vendor`], when the vendor meets `pre`, changing an API's own fields of
    /// it in the same transaction.
    #[tracing::instrument(skip_all, fields(org = %ctx.org()))]
    pub async fn update_vendor_extended(
        &self,
        ctx: &Ctx,
        id: VendorId,
        pre: Option<&Precondition>,
        patch: VendorPatch,
        extension: Option<ExtensionPatch>,
    ) -> Result<Vendor, StoreError> {
        ctx.principal.require_secret()?;
        let patch = patch.validate()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let lock = super::guard::for_update(&c);
        let before = one(&mut c, ctx, id, lock).await?;
        version::check(pre, Entity::Vendor, before.version)?;
        let mut after = before.clone();
        patch.apply(&mut after);
        after.updated_by = ctx.actor().to_owned();
        // The one statement below that moves the version moves it by one.
        after.version = Version(before.version.0 + 1);
        after.updated_at = update_recorded(
            &mut c,
            ctx,
            "vendors",
            Entity::Vendor,
            id.0,
            &["name", "email", "description", "status", "metadata"],
            crate::args![
                after.name.clone(),
                after.email.clone(),
                after.description.clone(),
                after.status.as_str(),
                after.metadata.clone()
            ],
            (&before.snapshot(), &after.snapshot()),
        )
        .await?;
        write_extensions(
            &mut c,
            ctx,
            "vendors",
            Entity::Vendor,
            id.0,
            &mut after.extensions,
            extension,
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes a vendor that owns no product (otherwise 409), when it meets `pre`.
    pub async fn delete_vendor(&self, ctx: &Ctx, id: VendorId, pre: Option<&Precondition>) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let lock = super::guard::for_update(&c);
        let before = one(&mut c, ctx, id, lock).await?;
        version::check(pre, Entity::Vendor, before.version)?;
        refuse_while(
            &mut c,
            "SELECT 1 AS one FROM products WHERE vendor_id = $1 LIMIT 1",
            id,
            codes::IN_USE,
            "Cannot delete: the vendor owns products; give them to another vendor or delete them first",
        )
        .await?;
        delete_recorded(&mut c, ctx, "vendors", Entity::Vendor, id.0, &before.snapshot()).await?;
        tx.commit().await?;
        Ok(())
    }
}
