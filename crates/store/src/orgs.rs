//! Tenants, organizations and their keys.

use crate::Store;
use crate::db::Val;
use crate::error::StoreError;
use crate::keys;
use chrono::Utc;
use pimento_core::auth::{KeyKind, Principal};
use pimento_core::ids::{ApiKeyId, OrganizationId, TenantId};
use pimento_core::validate::text;

/// A new organization and the keys to reach it, shown once.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CreatedOrganization {
    pub tenant_id: TenantId,
    pub organization_id: OrganizationId,
    pub secret_key: String,
    pub publishable_key: String,
}

/// An organization as listed by the CLI.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OrganizationSummary {
    pub tenant_id: TenantId,
    pub organization_id: OrganizationId,
    pub name: String,
}

impl Store {
    /// Creates a tenant with one organization, and a secret and a publishable key for it.
    pub async fn create_organization(&self, name: &str) -> Result<CreatedOrganization, StoreError> {
        let name = text("name", name, 200)?;
        let tenant_id = TenantId::generate();
        let organization_id = OrganizationId::generate();
        let now = Utc::now();
        let secret = keys::generate(KeyKind::Secret);
        let publishable = keys::generate(KeyKind::Publishable);
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        c.execute(
            "INSERT INTO tenants (id, name, created_at) VALUES ($1, $2, $3)",
            crate::args![tenant_id, name.clone(), now],
        )
        .await?;
        c.execute(
            "INSERT INTO organizations (id, tenant_id, name, created_at) VALUES ($1, $2, $3, $4)",
            crate::args![organization_id, tenant_id, name, now],
        )
        .await?;
        crate::catalog::numbers::create_counters(&mut c, organization_id).await?;
        for (kind, key) in [(KeyKind::Secret, &secret), (KeyKind::Publishable, &publishable)] {
            c.execute(
                "INSERT INTO api_keys (id, organization_id, kind, prefix, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                vec![
                    Val::from(ApiKeyId::generate()),
                    Val::from(organization_id),
                    Val::from(kind.as_str()),
                    Val::from(key.prefix.clone()),
                    Val::Bytes(key.hash.clone()),
                    Val::from(now),
                ],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(CreatedOrganization {
            tenant_id,
            organization_id,
            secret_key: secret.token,
            publishable_key: publishable.token,
        })
    }

    /// Finds who a token belongs to; `None` for an unknown or revoked key.
    pub async fn authenticate(&self, token: &str) -> Result<Option<Principal>, StoreError> {
        let mut pc = self.db.acquire().await?;
        let row = pc
            .conn()
            .fetch_optional(
                "SELECT k.id, k.kind, k.prefix, k.organization_id, o.tenant_id FROM api_keys k \
                 JOIN organizations o ON o.id = k.organization_id \
                 WHERE k.secret_hash = $1 AND k.revoked_at IS NULL",
                vec![Val::Bytes(keys::hash(token))],
            )
            .await?;
        let Some(row) = row else { return Ok(None) };
        let kind: String = row.get("kind")?;
        Ok(Some(Principal {
            tenant_id: row.id("tenant_id")?,
            organization_id: row.id("organization_id")?,
            key_id: row.id("id")?,
            kind: KeyKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("key kind {kind}")))?,
            actor: row.get("prefix")?,
        }))
    }

    /// Every organization, oldest first.
    pub async fn list_organizations(&self) -> Result<Vec<OrganizationSummary>, StoreError> {
        let mut pc = self.db.acquire().await?;
        pc.conn()
            .fetch_all(
                "SELECT id, tenant_id, name FROM organizations ORDER BY created_at, id",
                vec![],
            )
            .await?
            .iter()
            .map(|r| {
                Ok(OrganizationSummary {
                    tenant_id: r.id("tenant_id")?,
                    organization_id: r.id("id")?,
                    name: r.get("name")?,
                })
            })
            .collect()
    }
}
