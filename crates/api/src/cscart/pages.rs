//! The paging of CS-Cart's lists other than products (`page` from 1, `items_per_page`) and the
//! `params` object every list answers with.

use super::params::{DEFAULT_ITEMS_PER_PAGE, MAX_ITEMS_PER_PAGE};
use super::values::{bad, integer};
use crate::error::ApiError;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::IntoParams;

/// A list's paging.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// The page, from 1 (default 1)
    pub page: Option<String>,
    /// Items a page, 1 to 200 (default 10; 0 or more than 200 gives 200)
    pub items_per_page: Option<String>,
}

/// A page asked for: its number from 1 and its size.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub page: u64,
    pub per_page: u32,
}

impl PageParams {
    /// Reads the paging.
    pub fn read(&self) -> Result<Page, ApiError> {
        let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let page = match given(&self.page) {
            None => 1,
            Some(raw) => integer("page", &raw)?.max(1) as u64,
        };
        let per_page = match given(&self.items_per_page) {
            None => DEFAULT_ITEMS_PER_PAGE,
            Some(raw) => match integer("items_per_page", &raw)? {
                n if n < 0 => return Err(bad("items_per_page", "must not be negative")),
                0 => MAX_ITEMS_PER_PAGE,
                n => n.min(i64::from(MAX_ITEMS_PER_PAGE)) as u32,
            },
        };
        Ok(Page { page, per_page })
    }
}

impl Page {
    /// Items before this page.
    pub fn offset(&self) -> u64 {
        (self.page - 1).saturating_mul(u64::from(self.per_page))
    }

    /// This page of a whole list.
    pub fn of<T>(&self, all: Vec<T>) -> Vec<T> {
        let skip = usize::try_from(self.offset()).unwrap_or(usize::MAX);
        all.into_iter().skip(skip).take(self.per_page as usize).collect()
    }

    /// The `params` of a list's answer.
    pub fn params(&self, total: i64) -> Value {
        json!({"page": self.page, "items_per_page": self.per_page, "total_items": total.to_string()})
    }
}
