//! Catalog operations: the one implementation of every rule, called by every API.

mod media;
mod options;
mod products;
mod variants;
mod write;

pub use products::{ArchivedFilter, ProductListQuery, Saved};
