//! Filing a product: resolving its category, brand and template, and checking its attribute
//! values against the organization's definitions.

use super::batch::Facts;
use crate::db::Conn;
use crate::error::StoreError;
use pimento_core::auth::Ctx;
use pimento_core::product::{Classification, Product};

/// Applies a classification to a product about to be written. Every id and slug must belong to
/// the caller's organization; an unknown one is a 400 naming the field.
pub(super) async fn apply(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    product: &mut Product,
    cls: Classification,
) -> Result<(), StoreError> {
    let mut facts = Facts::default();
    facts.load_classifications(c, ctx, &[&cls]).await?;
    Ok(facts.classify(product, cls)?)
}
