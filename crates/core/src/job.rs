//! Background jobs: what a job is, the states it passes through and the parameters of each kind.

use crate::CoreError;
use crate::bulk::BulkRequest;
use crate::ids::{FileId, JobId, OrganizationId};
use crate::query::ProductFilter;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a job does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    Export,
    Import,
    BulkUpdate,
    BulkDelete,
}

impl JobKind {
    /// Every kind.
    pub const ALL: [JobKind; 4] = [
        JobKind::Export,
        JobKind::Import,
        JobKind::BulkUpdate,
        JobKind::BulkDelete,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Export => "export",
            JobKind::Import => "import",
            JobKind::BulkUpdate => "bulk_update",
            JobKind::BulkDelete => "bulk_delete",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
    Canceled,
}

impl JobStatus {
    /// Every status.
    pub const ALL: [JobStatus; 5] = [
        JobStatus::Queued,
        JobStatus::Running,
        JobStatus::Succeeded,
        JobStatus::Failed,
        JobStatus::Canceled,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Succeeded => "succeeded",
            JobStatus::Failed => "failed",
            JobStatus::Canceled => "canceled",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether the job will not change any more.
    pub fn is_final(self) -> bool {
        matches!(self, JobStatus::Succeeded | JobStatus::Failed | JobStatus::Canceled)
    }
}

/// A file format for catalog exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExchangeFormat {
    /// One row per variant, product columns repeated.
    Csv,
    /// One product document per line.
    Ndjson,
    /// Medusa's product CSV (`Product Id, Product Handle, …, Variant Price USD, …`): one row
    /// per variant in the columns Medusa's admin writes. Written through the table the Medusa
    /// API hands the worker (`exchange::ViewTable`); never named by [`ExchangeFormat::parse`],
    /// so only that API queues it.
    #[serde(rename = "medusa_csv")]
    MedusaCsv,
}

impl ExchangeFormat {
    /// Reads a format name (`csv`, `ndjson`), whatever its case.
    pub fn parse(field: &str, s: &str) -> Result<Self, CoreError> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Ok(ExchangeFormat::Csv),
            "ndjson" | "jsonl" => Ok(ExchangeFormat::Ndjson),
            _ => Err(CoreError::invalid(field, "must be csv or ndjson")),
        }
    }

    /// The format a file name's extension names, if any.
    pub fn from_file_name(name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.')?.1;
        Self::parse("file", ext).ok()
    }

    /// The media type of files in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            ExchangeFormat::Csv | ExchangeFormat::MedusaCsv => "text/csv",
            ExchangeFormat::Ndjson => "application/x-ndjson",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExchangeFormat::Csv | ExchangeFormat::MedusaCsv => "csv",
            ExchangeFormat::Ndjson => "ndjson",
        }
    }
}

/// The parameters of a job, by kind; stored as JSON with the job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobParams {
    Export {
        format: ExchangeFormat,
        /// Only the products this filter selects (an API's list query); the whole live
        /// catalog when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filter: Option<Box<ProductFilter>>,
        /// A full copy (NDJSON only, no filter): every definition, then every product,
        /// archived ones included (`crate::copy`).
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        full: bool,
    },
    Import {
        format: ExchangeFormat,
        file_id: FileId,
        dry_run: bool,
    },
    BulkUpdate(BulkRequest),
    BulkDelete(BulkRequest),
}

impl JobParams {
    /// The kind of job these parameters are for.
    pub fn kind(&self) -> JobKind {
        match self {
            JobParams::Export { .. } => JobKind::Export,
            JobParams::Import { .. } => JobKind::Import,
            JobParams::BulkUpdate(_) => JobKind::BulkUpdate,
            JobParams::BulkDelete(_) => JobKind::BulkDelete,
        }
    }
}

/// What a job did, counted by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSummary {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub deleted: u64,
    pub failed: u64,
}

impl JobSummary {
    /// Adds another chunk's counts.
    pub fn add(&mut self, other: JobSummary) {
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.deleted += other.deleted;
        self.failed += other.failed;
    }

    /// Every item counted, whatever its outcome.
    pub fn items(&self) -> u64 {
        self.created + self.updated + self.unchanged + self.deleted + self.failed
    }
}

/// One item a job could not process: where it was, which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The line of the input file (1-based; the CSV header is line 1), or `None` for a bulk job.
    pub line: Option<u64>,
    /// The field at fault, as the error names it (`variants[0].price`).
    pub field: Option<String>,
    pub reason: String,
}

impl RowError {
    /// The error a domain refusal becomes in an import's report: its field in the names of
    /// the file's documents.
    pub fn from_core(line: Option<u64>, e: &CoreError) -> Self {
        RowError {
            line,
            field: e.field().map(crate::exchange::field_name),
            reason: match e {
                CoreError::Invalid { message, .. } => message.clone(),
                other => other.to_string(),
            },
        }
    }
}

/// A job as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: JobId,
    pub organization_id: OrganizationId,
    pub params: JobParams,
    pub status: JobStatus,
    /// How many items the job will process, once known.
    pub total: Option<u64>,
    pub processed: u64,
    pub failed: u64,
    pub summary: JobSummary,
    /// The file the job produced (an export), once it has succeeded.
    pub result_file_id: Option<FileId>,
    /// Why the job failed as a whole.
    pub error: Option<String>,
    pub cancel_requested: bool,
    pub attempts: u64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

impl Job {
    /// What the job does.
    pub fn kind(&self) -> JobKind {
        self.params.kind()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in JobKind::ALL {
            assert_eq!(JobKind::parse(k.as_str()), Some(k));
        }
        for s in JobStatus::ALL {
            assert_eq!(JobStatus::parse(s.as_str()), Some(s));
        }
        assert!(JobStatus::Canceled.is_final() && !JobStatus::Running.is_final());
    }

    #[test]
    fn an_export_keeps_its_filter() {
        use crate::query::{Archived, Range};
        let whole = JobParams::Export {
            format: ExchangeFormat::Csv,
            filter: None,
            full: false,
        };
        let json = serde_json::to_value(&whole).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({"kind": "export", "format": "csv"}),
            "unchanged without a filter"
        );
        let filter = ProductFilter {
            handles: Some(vec!["a".into()]),
            statuses: Some(vec![crate::product::ProductStatus::Active]),
            archived: Archived::Include,
            created: Range {
                min: Some(chrono::Utc::now()),
                max: None,
            },
            price: Some(crate::query::PriceRange {
                currency: crate::money::Currency::parse("c", "eur").unwrap_or_else(|_| unreachable!()),
                min: Some(1),
                max: None,
            }),
            ..ProductFilter::default()
        };
        let params = JobParams::Export {
            format: ExchangeFormat::MedusaCsv,
            filter: Some(Box::new(filter)),
            full: false,
        };
        let back: JobParams =
            serde_json::from_str(&serde_json::to_string(&params).unwrap_or_default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(back, params);
        assert!(
            ExchangeFormat::parse("format", "medusa_csv").is_err(),
            "only the Medusa API queues it"
        );
    }

    #[test]
    fn formats_from_names() {
        assert_eq!(ExchangeFormat::from_file_name("a.CSV"), Some(ExchangeFormat::Csv));
        assert_eq!(ExchangeFormat::from_file_name("a.jsonl"), Some(ExchangeFormat::Ndjson));
        assert_eq!(ExchangeFormat::from_file_name("a"), None);
        assert!(ExchangeFormat::parse("format", "xml").is_err());
    }
}
