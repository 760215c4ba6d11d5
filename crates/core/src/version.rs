//! Versions: how many times an entity has been written, and what a write may require of it.
//!
//! A product's version goes up by one or more in every transaction that changes what a read of
//! it shows: its own fields, and what it owns (its variants, their prices and option values,
//! its media attachments, the options linked to it, its attribute values, its tags). A
//! variant's goes up with every write of the variant. Names of shared things a read shows
//! beside the product (a category's name, an option's name, a library asset's text) are
//! versioned with those things, not with every product that links them. Versions only grow:
//! a deleted and recreated entity has a new id, never an old version.
//!
//! The store reads the version in the statement that reads the entity and compares it, when a
//! write requires one, with the entity's row locked in the write's transaction; the APIs turn
//! it into an `ETag` and `If-Match` into a [`Precondition`].

use crate::{CoreError, Entity};
use std::fmt;

/// An entity's version: 1 when created, greater after every change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub i64);

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What a write requires of the stored entity before it changes it (HTTP `If-Match`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// The entity exists, whatever its version (`If-Match: *`).
    Exists,
    /// The entity's version is one of these (an empty list matches nothing).
    OneOf(Vec<Version>),
}

impl Precondition {
    /// Passes when `current` satisfies the precondition; otherwise a refusal naming `current`.
    pub fn check(&self, entity: Entity, current: Version) -> Result<(), CoreError> {
        let ok = match self {
            Precondition::Exists => true,
            Precondition::OneOf(versions) => versions.contains(&current),
        };
        if ok {
            Ok(())
        } else {
            Err(CoreError::Stale { entity, current })
        }
    }
}

/// Checks an optional precondition; `None` (no `If-Match`) always passes.
pub fn check(pre: Option<&Precondition>, entity: Entity, current: Version) -> Result<(), CoreError> {
    pre.map_or(Ok(()), |p| p.check(entity, current))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_matches_when_it_holds_the_current_version() {
        let pre = Precondition::OneOf(vec![Version(2), Version(3)]);
        assert!(pre.check(Entity::Product, Version(3)).is_ok());
        assert_eq!(
            pre.check(Entity::Product, Version(4)),
            Err(CoreError::Stale {
                entity: Entity::Product,
                current: Version(4)
            })
        );
        assert!(Precondition::Exists.check(Entity::Product, Version(9)).is_ok());
        assert!(Precondition::OneOf(vec![]).check(Entity::Product, Version(1)).is_err());
        assert!(check(None, Entity::Product, Version(1)).is_ok());
    }
}
