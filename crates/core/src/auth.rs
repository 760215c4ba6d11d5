//! Who is calling: the organization a key belongs to and what the key may do.

use crate::CoreError;
use crate::ids::{ApiKeyId, OrganizationId, TenantId};
use std::sync::Arc;

/// The two kinds of API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// Full read and write access to the organization's catalog.
    Secret,
    /// Read access to active, non-archived products only (safe in a storefront).
    Publishable,
}

impl KeyKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyKind::Secret => "secret",
            KeyKind::Publishable => "publishable",
        }
    }

    /// Reads the stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "secret" => Some(KeyKind::Secret),
            "publishable" => Some(KeyKind::Publishable),
            _ => None,
        }
    }

    /// The prefix keys of this kind start with.
    pub fn prefix(self) -> &'static str {
        match self {
            KeyKind::Secret => "sk_",
            KeyKind::Publishable => "pk_",
        }
    }
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub tenant_id: TenantId,
    pub organization_id: OrganizationId,
    pub key_id: ApiKeyId,
    pub kind: KeyKind,
    /// The key's public prefix (`sk_1a2b3c4d`), recorded as the actor of its writes. Shared:
    /// a batch records it on every row it writes.
    pub actor: Arc<str>,
}

impl Principal {
    /// Refuses callers that may not write.
    pub fn require_secret(&self) -> Result<(), CoreError> {
        match self.kind {
            KeyKind::Secret => Ok(()),
            KeyKind::Publishable => Err(CoreError::Forbidden(
                "A publishable key can only read active products; use a secret key".into(),
            )),
        }
    }

    /// Whether this caller may only see active, non-archived products.
    pub fn storefront_only(&self) -> bool {
        self.kind == KeyKind::Publishable
    }
}

/// Everything a write needs to know about its caller, for access checks and the audit trail.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub principal: Principal,
    pub request_id: Option<String>,
}

impl Ctx {
    /// The caller's organization.
    pub fn org(&self) -> OrganizationId {
        self.principal.organization_id
    }

    /// The name recorded as `createdBy` / `updatedBy`.
    pub fn actor(&self) -> &str {
        &self.principal.actor
    }

    /// [`actor`](Self::actor), shared rather than copied.
    pub fn shared_actor(&self) -> Arc<str> {
        self.principal.actor.clone()
    }
}
