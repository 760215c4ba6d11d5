//! Pimento's catalog domain: the types every API shares, the validation of what comes in and
//! the business rules. Nothing here knows about HTTP or SQL.

pub mod attribute;
pub mod audit;
pub mod auth;
pub mod bulk;
pub mod collection;
pub mod copy;
pub mod details;
pub mod error;
pub mod exchange;
pub mod extension;
pub mod field;
pub mod handle;
pub mod ids;
pub mod issues;
pub mod job;
pub mod label;
pub mod media;
pub mod money;
pub mod numbers;
pub mod options;
pub mod patch;
pub mod product;
pub mod query;
pub mod sync;
pub mod taxonomy;
pub mod validate;
pub mod variant;
pub mod vendor;
pub mod version;

pub use error::{CoreError, Entity};
pub use field::FieldPath;
