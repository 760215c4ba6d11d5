//! The search index's rows for a batch write that paused its triggers (SQLite; see migration
//! 0008): written once a product after the batch's variants, instead of once a row.

use super::batch::IN_LIST;
use crate::db::{Sql, Val};
use std::collections::HashSet;
use uuid::Uuid;

/// A product's row in the index, rebuilt from what is stored.
const INDEX_PRODUCTS: &str = "INSERT OR REPLACE INTO product_search (rowid, name, description, handle, skus) \
     SELECT p.seq, p.name, concat_ws(' ', p.description, p.short_description, p.meta_keywords), p.handle, \
     (SELECT group_concat(v.sku, ' ') FROM variants v WHERE v.product_id = p.id) FROM products p";

/// The statements that index a paused batch's products: its new products by their `seq`
/// range (`seqs`), and the existing products its variants were added to, by id. `products` and
/// `variants` are the batch's rows (ids first; a variant's product third).
pub(crate) fn batch_statements(
    seqs: Option<(i64, i64)>,
    products: &[Vec<Val>],
    variants: &[Vec<Val>],
) -> Vec<(Sql, Vec<Val>)> {
    let mut out = Vec::new();
    if let Some((first, last)) = seqs {
        out.push((
            Sql::from(format!("{INDEX_PRODUCTS} WHERE p.seq BETWEEN ? AND ?")),
            crate::args![first, last],
        ));
    }
    let uuid = |v: Option<&Val>| match v {
        Some(Val::Uuid(Some(u))) => Some(*u),
        _ => None,
    };
    // Products the range covers; unnumbered ones were indexed by their trigger, without SKUs,
    // so their variants count as added to an existing product.
    let new: HashSet<Uuid> = match seqs {
        Some(_) => products.iter().filter_map(|r| uuid(r.first())).collect(),
        None => HashSet::new(),
    };
    let mut existing: Vec<Uuid> = variants
        .iter()
        .filter_map(|r| uuid(r.get(2)))
        .filter(|id| !new.contains(id))
        .collect();
    existing.sort_unstable();
    existing.dedup();
    for ids in existing.chunks(IN_LIST) {
        let list = vec!["?"; ids.len()].join(", ");
        out.push((
            Sql::from(format!("{INDEX_PRODUCTS} WHERE p.id IN ({list})")),
            ids.iter().map(|id| Val::from(*id)).collect(),
        ));
    }
    out
}
