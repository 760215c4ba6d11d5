//! Medusa's ids: a type prefix and a ULID (`prod_01JF…`). Pimento's ids are UUIDs (version 7,
//! time-ordered like a ULID), and a ULID carries a UUID's 128 bits unchanged, so an id converts
//! both ways without a lookup, and a product made through any API has its Medusa id.

use ulid::Ulid;
use uuid::Uuid;

/// A kind of object and the prefix Medusa gives its ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind(pub &'static str);

pub const PRODUCT: Kind = Kind("prod");
pub const VARIANT: Kind = Kind("variant");
pub const OPTION: Kind = Kind("opt");
pub const OPTION_VALUE: Kind = Kind("optval");
pub const IMAGE: Kind = Kind("img");
pub const CATEGORY: Kind = Kind("pcat");
pub const COLLECTION: Kind = Kind("pcol");
pub const TAG: Kind = Kind("ptag");
pub const TYPE: Kind = Kind("ptyp");
pub const PRICE: Kind = Kind("price");
pub const NOTIFICATION: Kind = Kind("noti");
/// An uploaded file (Medusa's local file provider names them by their key; any text is an id).
pub const FILE: Kind = Kind("file");

/// The `transaction_id` of a job Medusa runs as a workflow (an export, an import):
/// `auto-<ULID>`, as Medusa's are.
pub fn transaction(id: pimento_core::ids::JobId) -> String {
    format!("auto-{}", Ulid::from(id.0))
}

/// The job a `transaction_id` names; a bare UUID is taken too.
pub fn read_transaction(raw: &str) -> Option<pimento_core::ids::JobId> {
    let raw = raw.trim();
    let id = match raw.strip_prefix("auto-") {
        Some(ulid) => Uuid::from(Ulid::from_string(ulid).ok()?),
        None => Uuid::parse_str(raw).ok()?,
    };
    Some(pimento_core::ids::JobId(id))
}

/// The `transaction_id` of an import waiting for its confirmation: its upload's id, written as
/// a transaction id.
pub fn import_transaction(file: pimento_core::ids::FileId) -> String {
    format!("auto-{}", Ulid::from(file.0))
}

/// The upload an import's `transaction_id` names.
pub fn read_import_transaction(raw: &str) -> Option<pimento_core::ids::FileId> {
    read_transaction(raw).map(|j| pimento_core::ids::FileId(j.0))
}

impl Kind {
    /// The Medusa id of a Pimento id.
    pub fn show(self, id: Uuid) -> String {
        let mut out = String::with_capacity(self.0.len() + 27);
        out.push_str(self.0);
        out.push('_');
        out.push_str(&Ulid::from(id).to_string());
        out
    }

    /// The Pimento id of a Medusa id of this kind; a bare UUID (as the other APIs show ids) is
    /// taken too. `None` for anything else, which the caller answers as not found.
    pub fn read(self, raw: &str) -> Option<Uuid> {
        let raw = raw.trim();
        if let Some(ulid) = raw.strip_prefix(self.0).and_then(|r| r.strip_prefix('_')) {
            return Ulid::from_string(ulid).ok().map(Uuid::from);
        }
        Uuid::parse_str(raw).ok()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ids_convert_both_ways() {
        let id = Uuid::now_v7();
        let shown = PRODUCT.show(id);
        assert!(shown.starts_with("prod_01"), "{shown}");
        assert_eq!(shown.len(), 5 + 26);
        assert_eq!(PRODUCT.read(&shown), Some(id));
        assert_eq!(PRODUCT.read(&id.to_string()), Some(id), "a bare UUID is taken");
        assert_eq!(VARIANT.read(&shown), None, "another kind's id is not");
        assert_eq!(PRODUCT.read("prod_nope"), None);
        assert_eq!(PRODUCT.read("prod_"), None);
        assert_eq!(PRODUCT.read(""), None);
    }
}
