//! External references: the id a product or variant has in another system (Shopify, an ERP).

use crate::CoreError;
use crate::ids::{ExternalRefId, OrganizationId};
use crate::validate::{opt_text, text};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// The sync state of an external reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncStatus {
    Pending,
    Synced,
    Failed,
}

impl SyncStatus {
    /// The name used on the wire and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            SyncStatus::Pending => "PENDING",
            SyncStatus::Synced => "SYNCED",
            SyncStatus::Failed => "FAILED",
        }
    }

    /// Reads a status name in any letter case.
    pub fn parse(field: &str, s: &str) -> Result<Self, CoreError> {
        match s.to_ascii_uppercase().as_str() {
            "PENDING" => Ok(SyncStatus::Pending),
            "SYNCED" => Ok(SyncStatus::Synced),
            "FAILED" => Ok(SyncStatus::Failed),
            _ => Err(CoreError::invalid(field, "must be one of PENDING, SYNCED, FAILED")),
        }
    }
}

/// A sync source as a client gives it.
#[derive(Debug, Clone, Default)]
pub struct SyncSourceInput {
    pub sync_source: String,
    pub sync_source_id: String,
    pub source_vendor: Option<String>,
    pub source_data: Option<Value>,
    pub sync_status: Option<String>,
    pub last_synced_at: Option<DateTime<Utc>>,
}

/// A checked sync source.
#[derive(Debug, Clone)]
pub struct SyncSource {
    pub sync_source: String,
    pub sync_source_id: String,
    pub source_vendor: Option<String>,
    pub source_data: Option<Value>,
    pub sync_status: SyncStatus,
    pub last_synced_at: Option<DateTime<Utc>>,
}

impl SyncSourceInput {
    /// Checks the input: both ids non-blank, source data an object.
    pub fn validate(self) -> Result<SyncSource, CoreError> {
        let sync_source = text("source", &self.sync_source, 100)?;
        let sync_source_id = text("source_id", &self.sync_source_id, 255)?;
        // A source system's whole record may be large; only its nesting is limited like metadata's.
        let source_data = crate::validate::json_object("source_data", self.source_data, 1024)?;
        let sync_status = match &self.sync_status {
            Some(s) => SyncStatus::parse("sync_status", s)?,
            None => SyncStatus::Synced,
        };
        Ok(SyncSource {
            sync_source,
            sync_source_id,
            source_vendor: opt_text("source_vendor", self.source_vendor.as_deref(), 100)?,
            source_data,
            sync_status,
            last_synced_at: self.last_synced_at,
        })
    }
}

/// A stored external reference.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalRef {
    pub id: ExternalRefId,
    pub organization_id: OrganizationId,
    pub sync_source: String,
    pub sync_source_id: String,
    pub source_vendor: Option<String>,
    pub source_data: Option<Value>,
    pub sync_status: SyncStatus,
    pub last_synced_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}
