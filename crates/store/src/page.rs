//! Keyset pagination shared by every list.

/// The page size used when a request names none.
pub const DEFAULT_LIMIT: u32 = 50;
/// The largest page a request may ask for.
pub const MAX_LIMIT: u32 = 200;

/// One page of a list.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass back as the cursor to get the next page; `None` on the last page.
    pub next_cursor: Option<String>,
    /// The number of items in the whole list, when it was asked for.
    pub total: Option<i64>,
}

impl<T> Page<T> {
    /// Builds a page from `limit + 1` fetched items: the extra one only says another page exists.
    pub fn from_overfetch(mut items: Vec<T>, limit: u32, cursor_of: impl Fn(&T) -> String, total: Option<i64>) -> Self {
        let more = items.len() > limit as usize;
        items.truncate(limit as usize);
        let next_cursor = if more { items.last().map(cursor_of) } else { None };
        Page {
            items,
            next_cursor,
            total,
        }
    }
}
