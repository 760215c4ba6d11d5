//! Tenants, organizations and their keys: issuing, listing and revoking keys, and deleting an
//! organization with everything it holds.
//!
//! A revoked key is refused by [`Store::authenticate`] at once; each server process trusts a
//! lookup for a few seconds more (`api/auth.rs`), which bounds how long a revocation takes to
//! reach every node.

use crate::Store;
use crate::db::Val;
use crate::error::StoreError;
use crate::keys;
use chrono::{DateTime, Utc};
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

/// A key just issued: the token is shown once, only its hash is kept.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CreatedKey {
    pub id: ApiKeyId,
    pub organization_id: OrganizationId,
    pub kind: &'static str,
    pub prefix: String,
    pub name: Option<String>,
    pub key: String,
}

/// A key as listed: never its token.
#[derive(Debug, Clone, serde::Serialize)]
pub struct KeySummary {
    pub id: ApiKeyId,
    pub organization_id: OrganizationId,
    pub kind: String,
    pub prefix: String,
    pub name: Option<String>,
    pub created_at: DateTime<Utc>,
    /// To the minute: a use within a minute of the last recorded one is not written.
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What `revoke_key` found.
#[derive(Debug, Clone)]
pub enum Revocation {
    /// The key is revoked now.
    Revoked(KeySummary),
    /// The key was revoked before; nothing changed.
    AlreadyRevoked(KeySummary),
    /// No key has this prefix or id.
    NotFound,
    /// Several keys share this prefix (a prefix is 32 bits of the token): name the key by id.
    Ambiguous(Vec<KeySummary>),
}

/// How stale a key's `last_used_at` may get before a use writes it again.
const LAST_USED_GRANULARITY: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

const KEY_COLUMNS: &str = "id, organization_id, kind, prefix, name, created_at, last_used_at, revoked_at";

fn key_summary(r: &crate::db::Row) -> Result<KeySummary, StoreError> {
    Ok(KeySummary {
        id: r.id("id")?,
        organization_id: r.id("organization_id")?,
        kind: r.get("kind")?,
        prefix: r.get("prefix")?,
        name: r.get("name")?,
        created_at: r.get("created_at")?,
        last_used_at: r.get("last_used_at")?,
        revoked_at: r.get("revoked_at")?,
    })
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

    /// Finds who a token belongs to; `None` for an unknown or revoked key. A key whose
    /// recorded last use is over a minute old has it written, in the background: a busy
    /// database must not hold up the request, and a lost write only makes the time older.
    pub async fn authenticate(&self, token: &str) -> Result<Option<Principal>, StoreError> {
        let mut pc = self.db.acquire().await?;
        let row = pc
            .conn()
            .fetch_optional(
                "SELECT k.id, k.kind, k.prefix, k.organization_id, k.last_used_at, o.tenant_id FROM api_keys k \
                 JOIN organizations o ON o.id = k.organization_id \
                 WHERE k.secret_hash = $1 AND k.revoked_at IS NULL",
                vec![Val::Bytes(keys::hash(token))],
            )
            .await?;
        drop(pc);
        let Some(row) = row else { return Ok(None) };
        let kind: String = row.get("kind")?;
        let key_id: ApiKeyId = row.id("id")?;
        let last_used: Option<DateTime<Utc>> = row.get("last_used_at")?;
        let now = Utc::now();
        if last_used.is_none_or(|t| now - t >= LAST_USED_GRANULARITY) {
            let store = self.clone();
            tokio::spawn(async move {
                if let Err(e) = store.touch_key(key_id, now).await {
                    tracing::debug!(error = %e, "could not record a key's last use");
                }
            });
        }
        Ok(Some(Principal {
            tenant_id: row.id("tenant_id")?,
            organization_id: row.id("organization_id")?,
            key_id,
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

    async fn touch_key(&self, key_id: ApiKeyId, now: DateTime<Utc>) -> Result<(), StoreError> {
        let mut pc = self.db.acquire().await?;
        pc.conn()
            .execute(
                "UPDATE api_keys SET last_used_at = $1 WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
                vec![
                    Val::from(now),
                    Val::from(key_id),
                    Val::from(now - LAST_USED_GRANULARITY),
                ],
            )
            .await?;
        Ok(())
    }

    /// Issues a new key for an organization.
    #[tracing::instrument(skip_all, fields(org = %organization_id))]
    pub async fn create_key(
        &self,
        organization_id: OrganizationId,
        kind: KeyKind,
        name: Option<&str>,
    ) -> Result<CreatedKey, StoreError> {
        let name = name.map(|n| text("name", n, 200)).transpose()?;
        let key = keys::generate(kind);
        let id = ApiKeyId::generate();
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let org = c
            .fetch_optional(
                "SELECT id FROM organizations WHERE id = $1",
                crate::args![organization_id],
            )
            .await?;
        if org.is_none() {
            return Err(pimento_core::error::CoreError::NotFound(pimento_core::error::Entity::Organization).into());
        }
        c.execute(
            "INSERT INTO api_keys (id, organization_id, kind, prefix, name, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            vec![
                Val::from(id),
                Val::from(organization_id),
                Val::from(kind.as_str()),
                Val::from(key.prefix.clone()),
                Val::from(name.clone()),
                Val::Bytes(key.hash.clone()),
                Val::from(crate::clock::now()),
            ],
        )
        .await?;
        tx.commit().await?;
        Ok(CreatedKey {
            id,
            organization_id,
            kind: kind.as_str(),
            prefix: key.prefix,
            name,
            key: key.token,
        })
    }

    /// An organization's keys, revoked ones included, oldest first.
    #[tracing::instrument(skip_all, fields(org = %organization_id))]
    pub async fn list_keys(&self, organization_id: OrganizationId) -> Result<Vec<KeySummary>, StoreError> {
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        if c.fetch_optional(
            "SELECT id FROM organizations WHERE id = $1",
            crate::args![organization_id],
        )
        .await?
        .is_none()
        {
            return Err(pimento_core::error::CoreError::NotFound(pimento_core::error::Entity::Organization).into());
        }
        c.fetch_all(
            format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE organization_id = $1 ORDER BY created_at, id"),
            crate::args![organization_id],
        )
        .await?
        .iter()
        .map(key_summary)
        .collect()
    }

    /// Revokes the key with this public prefix (`sk_1a2b3c4d`) or id. `organization`, when
    /// given, confines the search to that organization's keys.
    #[tracing::instrument(skip_all)]
    pub async fn revoke_key(
        &self,
        prefix_or_id: &str,
        organization: Option<OrganizationId>,
    ) -> Result<Revocation, StoreError> {
        let wanted = prefix_or_id.trim();
        let id = uuid::Uuid::parse_str(wanted).ok().map(ApiKeyId::from);
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let found = c
            .fetch_all(
                format!(
                    "SELECT {KEY_COLUMNS} FROM api_keys WHERE (prefix = $1 OR id = $2) \
                     AND ($3 IS NULL OR organization_id = $3) ORDER BY created_at, id"
                ),
                vec![Val::from(wanted.to_owned()), Val::from(id), Val::from(organization)],
            )
            .await?
            .iter()
            .map(key_summary)
            .collect::<Result<Vec<_>, _>>()?;
        let mut key = match <[KeySummary; 1]>::try_from(found) {
            Ok([key]) => key,
            Err(found) if found.is_empty() => return Ok(Revocation::NotFound),
            Err(found) => return Ok(Revocation::Ambiguous(found)),
        };
        if key.revoked_at.is_some() {
            return Ok(Revocation::AlreadyRevoked(key));
        }
        let now = crate::clock::now();
        c.execute(
            "UPDATE api_keys SET revoked_at = $1 WHERE id = $2",
            vec![Val::from(now), Val::from(key.id)],
        )
        .await?;
        tx.commit().await?;
        key.revoked_at = Some(now);
        Ok(Revocation::Revoked(key))
    }

    /// Deletes an organization with its whole catalog, jobs and keys (the schema's cascades),
    /// and its tenant when no other organization is left in it. `false` if there was none.
    #[tracing::instrument(skip_all, fields(org = %organization_id))]
    pub async fn delete_organization(&self, organization_id: OrganizationId) -> Result<bool, StoreError> {
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let Some(row) = c
            .fetch_optional(
                "SELECT tenant_id FROM organizations WHERE id = $1",
                crate::args![organization_id],
            )
            .await?
        else {
            return Ok(false);
        };
        let tenant_id: TenantId = row.id("tenant_id")?;
        // Products, templates and categories first: they hold references without a cascade
        // (to categories, brands, templates, vendors, attributes, a parent category), which
        // PostgreSQL may check before the cascade from the organization has reached them.
        for sql in [
            "DELETE FROM products WHERE organization_id = $1",
            "DELETE FROM templates WHERE organization_id = $1",
            "DELETE FROM categories WHERE organization_id = $1",
            "DELETE FROM organizations WHERE id = $1",
        ] {
            c.execute(sql, crate::args![organization_id]).await?;
        }
        c.execute(
            "DELETE FROM tenants WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM organizations WHERE tenant_id = $1)",
            crate::args![tenant_id],
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }
}
