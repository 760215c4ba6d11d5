//! Paging of Medusa's lists (`limit`, `offset`, `with_deleted`), and the check that a strict
//! route's query names only the parameters it takes.

use super::body::invalid;
use super::qs::Qs;
use crate::error::ApiError;
use pimento_store::page::MAX_LIMIT;

/// A list's paging.
#[derive(Debug, Clone, Copy)]
pub struct ListParams {
    /// Items per page; 0 counts without listing.
    pub limit: u32,
    pub offset: u64,
    /// Whether deleted (archived) items are listed too.
    pub with_deleted: bool,
}

fn number<T: std::str::FromStr>(q: &Qs, name: &str) -> Result<Option<T>, ApiError> {
    match q.one(name)?.map(str::trim) {
        None | Some("") => Ok(None),
        Some(raw) => raw
            .parse()
            .map(Some)
            .map_err(|_| invalid(format!("Expected type: 'number' for field '{name}', got: '{raw}'"))),
    }
}

impl ListParams {
    /// Reads the paging, `default_limit` when none is given. A page holds at most
    /// [`MAX_LIMIT`] items: a larger `limit` is answered with that many (and says so).
    pub fn read(q: &Qs, default_limit: u32) -> Result<Self, ApiError> {
        let limit = number::<u32>(q, "limit")?.unwrap_or(default_limit).min(MAX_LIMIT);
        let offset = number::<u64>(q, "offset")?.unwrap_or(0);
        let with_deleted = match q.one("with_deleted")? {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                return Err(invalid(format!(
                    "Expected type: 'boolean' for field 'with_deleted', got: '{other}'"
                )));
            }
        };
        Ok(ListParams {
            limit,
            offset,
            with_deleted,
        })
    }
}

/// Refuses parameters a strict route does not take, as Medusa does.
pub fn strict(q: &Qs, allowed: &[&str]) -> Result<(), ApiError> {
    let unknown: Vec<&str> = q.names().into_iter().filter(|n| !allowed.contains(n)).collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(invalid(format!("Unrecognized fields: '{}'", unknown.join(", "))))
    }
}
