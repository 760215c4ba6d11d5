//! The times, versions and numbers a copy's records keep, checked before anything of a record
//! is written: a hostile file is refused line by line, naming the field, never half-written.

use super::{ProductRecord, Record, SyncRecord};
use chrono::{DateTime, Utc};

/// The largest number or version a copy may carry: the largest integer a JSON reader keeps
/// exactly, far above what a catalog reaches and far enough below the databases' limit that
/// counting on from it cannot overflow.
pub const MAX_KEPT: i64 = (1 << 53) - 1;

/// What is wrong with a kept value: the field (`variants[1].version`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadKept {
    pub field: String,
    pub reason: String,
}

/// Checks the times, versions and numbers a record carries before anything of it is
/// written, so that a hostile file is refused line by line and never half-written.
#[derive(Default)]
struct Kept {
    at: Vec<String>,
    bad: Option<BadKept>,
}

impl Kept {
    fn field(&self, name: &str) -> String {
        let mut f = self.at.join(".");
        if !f.is_empty() {
            f.push('.');
        }
        f.push_str(name);
        f
    }

    fn fail(&mut self, name: &str, reason: &str) {
        if self.bad.is_none() {
            self.bad = Some(BadKept {
                field: self.field(name),
                reason: reason.to_owned(),
            });
        }
    }

    fn time(&mut self, name: &str, t: Option<DateTime<Utc>>) -> &mut Self {
        // From the Unix epoch to the last second of year 9999: what both databases store and
        // every API writes (CS-Cart's timestamps are Unix seconds).
        const LAST: i64 = 253_402_300_799;
        if let Some(t) = t
            && !(0..=LAST).contains(&t.timestamp())
        {
            self.fail(name, "must be a time between 1970 and 9999");
        }
        self
    }

    fn times(&mut self, created: Option<DateTime<Utc>>, updated: Option<DateTime<Utc>>) -> &mut Self {
        self.time("created_at", created).time("updated_at", updated)
    }

    fn count(&mut self, name: &str, n: Option<i64>) -> &mut Self {
        if let Some(n) = n
            && !(1..=MAX_KEPT).contains(&n)
        {
            self.fail(name, &format!("must be a whole number from 1 to {MAX_KEPT}"));
        }
        self
    }

    fn within(&mut self, at: String, f: impl FnOnce(&mut Self)) -> &mut Self {
        self.at.push(at);
        f(self);
        self.at.pop();
        self
    }

    fn sync(&mut self, name: &str, s: Option<&SyncRecord>) -> &mut Self {
        if let Some(s) = s {
            self.within(name.to_owned(), |k| {
                k.time("last_synced_at", s.last_synced_at)
                    .times(s.created_at, s.updated_at);
            });
        }
        self
    }
}

impl Record {
    /// The first time, version or number of the record that no catalog can hold (a time
    /// before 1970 or after 9999, a number or version below 1 or above [`MAX_KEPT`]).
    pub fn check_kept(&self) -> Result<(), BadKept> {
        let mut k = Kept::default();
        match self {
            Record::Catalog(_) => {}
            Record::AttributeGroup(g) => {
                k.times(g.created_at, g.updated_at).count("version", g.version);
            }
            Record::Attribute(a) => {
                k.times(a.created_at, a.updated_at)
                    .count("version", a.version)
                    .count("number", a.number);
            }
            Record::Template(t) => {
                k.times(t.created_at, t.updated_at).count("version", t.version);
            }
            Record::Category(c) => {
                k.times(c.created_at, c.updated_at)
                    .count("version", c.version)
                    .count("number", c.number);
            }
            Record::Brand(b) => {
                k.times(b.created_at, b.updated_at).count("version", b.version);
            }
            Record::Vendor(v) => {
                k.times(v.created_at, v.updated_at)
                    .count("version", v.version)
                    .count("number", v.number);
            }
            Record::Collection(c) => {
                k.times(c.created_at, c.updated_at).count("version", c.version);
            }
            Record::Type(l) | Record::Tag(l) => {
                k.times(l.created_at, l.updated_at).count("version", l.version);
            }
            Record::Option(o) => {
                k.times(o.created_at, o.updated_at).count("version", o.version);
            }
            Record::Product(p) => return p.check_kept(),
        }
        k.bad.map_or(Ok(()), Err)
    }
}

impl ProductRecord {
    /// [`Record::check_kept`] of a product line, and the places in `variants` it names (its
    /// default variant, a medium's variant).
    pub fn check_kept(&self) -> Result<(), BadKept> {
        let p = self;
        let mut k = Kept::default();
        k.times(p.created_at, p.updated_at)
            .time("archived_at", p.archived_at)
            .count("version", p.version)
            .count("number", p.number)
            .sync("sync", p.sync.as_ref());
        for (i, o) in p.options.iter().enumerate() {
            k.within(format!("options[{i}]"), |k| {
                k.times(o.created_at, o.updated_at).count("version", o.version);
            });
        }
        for (i, v) in p.variants.iter().enumerate() {
            k.within(format!("variants[{i}]"), |k| {
                k.times(v.created_at, v.updated_at)
                    .count("version", v.version)
                    .sync("sync", v.sync.as_ref());
            });
        }
        for (i, m) in p.media.iter().enumerate() {
            k.within(format!("media[{i}].asset"), |k| {
                k.times(m.asset.created_at, m.asset.updated_at);
            });
        }
        // Places in `variants`, which a write would otherwise pass over in silence.
        let places = p.variants.len();
        if p.default_variant.is_some_and(|i| i >= places) {
            k.fail("default_variant", "is not a place in variants");
        }
        if let Some(i) = p.media.iter().position(|m| m.variant.is_some_and(|v| v >= places)) {
            k.fail(&format!("media[{i}].variant"), "is not a place in variants");
        }
        k.bad.map_or(Ok(()), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;

    #[test]
    fn kept_values_no_catalog_holds_are_named() {
        let line = r#"{"kind":"product","id":"0190f1a2-0000-7000-8000-000000000001","handle":"h","name":"H","status":"active","number":3,"version":2,"created_at":"2026-01-01T00:00:00Z","variants":[{"id":"0190f1a2-0000-7000-8000-000000000002","version":1}]}"#;
        let Ok(Record::Product(p)) = serde_json::from_str::<Record>(line) else {
            panic!("not a product");
        };
        assert_eq!(p.check_kept(), Ok(()));
        let field = |p: &ProductRecord| p.check_kept().map_err(|b| b.field);
        let mut bad = p.clone();
        bad.number = Some(0);
        assert_eq!(field(&bad), Err("number".to_owned()));
        let mut bad = p.clone();
        bad.version = Some(MAX_KEPT + 1);
        assert_eq!(field(&bad), Err("version".to_owned()));
        let mut bad = p.clone();
        bad.variants[0].version = Some(-1);
        assert_eq!(field(&bad), Err("variants[0].version".to_owned()));
        let mut bad = p.clone();
        bad.updated_at = "1969-12-31T23:59:59Z".parse().ok();
        assert_eq!(field(&bad), Err("updated_at".to_owned()));
        let mut bad = p.clone();
        bad.default_variant = Some(1);
        assert_eq!(field(&bad), Err("default_variant".to_owned()));
        let mut bad = *p;
        bad.archived_at = "+10000-01-01T00:00:00Z".parse().ok();
        assert!(bad.archived_at.is_some());
        assert_eq!(field(&bad), Err("archived_at".to_owned()));
        // A time that is not one is refused when the line is read.
        assert!(serde_json::from_str::<Record>(&line.replace("2026-01-01T00:00:00Z", "yesterday")).is_err());
        let category =
            r#"{"kind":"category","id":"0190f1a2-0000-7000-8000-000000000003","name":"C","slug":"c","number":-4}"#;
        let r: Record = serde_json::from_str(category).unwrap();
        assert_eq!(r.check_kept().map_err(|b| b.field), Err("number".to_owned()));
    }
}
