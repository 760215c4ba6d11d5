//! Vendors: the companies of a marketplace that own products (CS-Cart's `company_id`).

use crate::CoreError;
use crate::ids::{OrganizationId, VendorId};
use crate::patch::Patch;
use crate::validate::{long_text, metadata, text};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

/// Whether a vendor sells: active, waiting for approval, or disabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VendorStatus {
    #[default]
    Active,
    Pending,
    Disabled,
}

impl VendorStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            VendorStatus::Active => "active",
            VendorStatus::Pending => "pending",
            VendorStatus::Disabled => "disabled",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "active" => VendorStatus::Active,
            "pending" => VendorStatus::Pending,
            "disabled" => VendorStatus::Disabled,
            _ => return None,
        })
    }
}

/// A vendor as a client gives it.
#[derive(Debug, Clone, Default)]
pub struct VendorInput {
    pub name: String,
    pub email: Option<String>,
    pub description: Option<String>,
    pub status: VendorStatus,
    pub metadata: Option<Value>,
}

/// Changes to a vendor; absent fields stay.
#[derive(Debug, Clone, Default)]
pub struct VendorPatch {
    pub name: Option<String>,
    pub email: Patch<String>,
    pub description: Patch<String>,
    pub status: Option<VendorStatus>,
    pub metadata: Patch<Value>,
}

/// A stored vendor.
#[derive(Debug, Clone, PartialEq)]
pub struct Vendor {
    pub id: VendorId,
    pub organization_id: OrganizationId,
    /// The organization's number for it (see [`crate::numbers`]).
    pub number: i64,
    pub name: String,
    pub email: Option<String>,
    pub description: Option<String>,
    pub status: VendorStatus,
    pub metadata: Option<Value>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
    /// Goes up with every change to the vendor (see [`crate::version`]).
    pub version: crate::version::Version,
    /// Every API's own fields of the vendor (see [`crate::extension`]).
    pub extensions: crate::extension::Extensions,
}

/// Checks an e-mail address's form: one `@` with text on both sides, no spaces, 254 at most.
pub fn parse_email(field: &str, raw: &str) -> Result<String, CoreError> {
    let t = raw.trim();
    let ok = t.len() <= 254
        && !t.chars().any(|c| c.is_whitespace() || c.is_control())
        && matches!(t.split_once('@'), Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !domain.contains('@'));
    if ok {
        Ok(t.to_owned())
    } else {
        Err(CoreError::invalid(field, "must be an e-mail address"))
    }
}

fn email(raw: Option<String>) -> Result<Option<String>, CoreError> {
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(e) => parse_email("email", e).map(Some),
    }
}

impl VendorInput {
    /// Checks every field.
    pub fn validate(self) -> Result<VendorInput, CoreError> {
        Ok(VendorInput {
            name: text("name", &self.name, 255)?,
            email: email(self.email)?,
            description: long_text("description", self.description, 100_000)?,
            status: self.status,
            metadata: metadata("metadata", self.metadata)?,
        })
    }
}

impl VendorPatch {
    /// Checks the fields present.
    pub fn validate(self) -> Result<VendorPatch, CoreError> {
        Ok(VendorPatch {
            name: self.name.map(|n| text("name", &n, 255)).transpose()?,
            email: match self.email {
                Patch::Set(e) => email(Some(e))?.map_or(Patch::Clear, Patch::Set),
                other => other,
            },
            description: self
                .description
                .try_map(|d| long_text("description", Some(d), 100_000).map(Option::unwrap_or_default))?,
            status: self.status,
            metadata: match self.metadata {
                Patch::Set(v) => metadata("metadata", Some(v))?.map_or(Patch::Clear, Patch::Set),
                other => other,
            },
        })
    }

    /// Applies the (checked) changes.
    pub fn apply(self, v: &mut Vendor) {
        if let Some(n) = self.name {
            v.name = n;
        }
        v.email = self.email.apply(v.email.take());
        v.description = self.description.apply(v.description.take());
        if let Some(s) = self.status {
            v.status = s;
        }
        v.metadata = self.metadata.apply(v.metadata.take());
    }
}

impl Vendor {
    /// The audited fields, as JSON.
    pub fn snapshot(&self) -> Value {
        json!({
            "name": self.name,
            "email": self.email,
            "description": self.description,
            "status": self.status.as_str(),
            "metadata": self.metadata,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_have_a_form() {
        assert!(parse_email("email", "sales@acme.example").is_ok());
        for bad in ["", "acme", "@acme", "a@", "a b@c", "a@b@c"] {
            assert!(parse_email("email", bad).is_err(), "{bad}");
        }
    }
}
