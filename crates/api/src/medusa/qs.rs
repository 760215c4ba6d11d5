//! The query string as Medusa's clients write it: the js-sdk encodes with `qs`, so a list is
//! `status[0]=draft&status[1]=published` (or `status[]=…`, or a plain repeated `status=…`), and
//! an operator is `created_at[$gt]=…`.

use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;

/// One `name[a][b]=value` pair: its name, its bracketed keys, its value.
#[derive(Debug, Clone, PartialEq)]
struct Pair {
    name: String,
    keys: Vec<String>,
    value: String,
}

/// A parsed query string.
#[derive(Debug, Clone, Default)]
pub struct Qs {
    pairs: Vec<Pair>,
}

impl Qs {
    /// Parses a raw query string (without the `?`).
    pub fn parse(raw: &str) -> Qs {
        let pairs = url::form_urlencoded::parse(raw.as_bytes())
            .map(|(k, v)| {
                let (name, keys) = match k.find('[') {
                    Some(at) => {
                        let keys = k[at..]
                            .split('[')
                            .filter(|s| !s.is_empty())
                            .map(|s| s.trim_end_matches(']').to_owned())
                            .collect();
                        (k[..at].to_owned(), keys)
                    }
                    None => (k.into_owned(), Vec::new()),
                };
                Pair {
                    name,
                    keys,
                    value: v.into_owned(),
                }
            })
            .collect();
        Qs { pairs }
    }

    /// The names given, each once.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.pairs.iter().map(|p| p.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// A single value (`name=value`); a list or an operator for it is refused.
    pub fn one(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut found = None;
        for p in self.pairs.iter().filter(|p| p.name == name) {
            if !p.keys.is_empty() || found.is_some() {
                return Err(ApiError::bad_request(name, "must be given once, as a single value"));
            }
            found = Some(p.value.as_str());
        }
        Ok(found)
    }

    /// Every value of a list (`name=a&name=b`, `name[]=a`, `name[0]=a`), in order; `None` when the
    /// parameter is absent. An operator (`name[$in][0]=a`) counts as a list only for `$in`/`$eq`.
    pub fn many(&self, name: &str) -> Result<Option<Vec<&str>>, ApiError> {
        let mut out: Vec<(usize, &str)> = Vec::new();
        let mut any = false;
        for (at, p) in self.pairs.iter().enumerate().filter(|(_, p)| p.name == name) {
            any = true;
            let keys: Vec<&str> = p
                .keys
                .iter()
                .map(String::as_str)
                .filter(|k| *k != "$in" && *k != "$eq")
                .collect();
            let order = match keys.as_slice() {
                [] | [""] => at,
                [i] => i.parse::<usize>().map_err(|_| {
                    ApiError::bad_request(name, format!("'{i}' is not a list index or an operator here"))
                })?,
                _ => return Err(ApiError::bad_request(name, "is nested too deeply")),
            };
            out.push((order, p.value.as_str()));
        }
        out.sort_by_key(|(i, _)| *i);
        Ok(any.then(|| out.into_iter().map(|(_, v)| v).collect()))
    }

    /// The operators given for `name` (`name[$gt]=…` → `("$gt", …)`); a plain `name=v` is `$eq`.
    pub fn operators(&self, name: &str) -> Vec<(&str, &str)> {
        self.pairs
            .iter()
            .filter(|p| p.name == name)
            .map(|p| (p.keys.first().map_or("$eq", String::as_str), p.value.as_str()))
            .collect()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Qs {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or("");
        crate::query::refuse_nul(raw)?;
        Ok(Qs::parse(raw))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn lists_come_in_every_form_qs_writes() {
        let q = Qs::parse("status%5B1%5D=published&status%5B0%5D=draft&id=a&id=b&tag_id[]=t&handle=h");
        assert_eq!(q.many("status").unwrap(), Some(vec!["draft", "published"]));
        assert_eq!(q.many("id").unwrap(), Some(vec!["a", "b"]));
        assert_eq!(q.many("tag_id").unwrap(), Some(vec!["t"]));
        assert_eq!(q.many("nothing").unwrap(), None);
        assert_eq!(q.one("handle").unwrap(), Some("h"));
        assert!(q.one("id").is_err(), "a repeated single value is refused");
        assert_eq!(q.names(), vec!["handle", "id", "status", "tag_id"]);
    }

    #[test]
    fn operators_are_read_by_key() {
        let q = Qs::parse("created_at%5B%24gt%5D=2024-01-01&created_at[$lte]=2025-01-01&updated_at=x");
        assert_eq!(
            q.operators("created_at"),
            vec![("$gt", "2024-01-01"), ("$lte", "2025-01-01")]
        );
        assert_eq!(q.operators("updated_at"), vec![("$eq", "x")]);
    }
}
