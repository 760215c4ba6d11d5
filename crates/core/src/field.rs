//! Field paths: which part of an input a refusal is about, in the core's own names
//! (`variants[1].price`). Each API spells a path in its own names; the core never does.

use std::borrow::Cow;
use std::fmt;

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A field, by its core name (`variants`, `inventory_quantity`).
    Name(Cow<'static, str>),
    /// An element of a list, from 0.
    Index(usize),
    /// A key the user chose (an attribute key): every API shows it as it was given.
    Key(String),
}

/// A path into an input, e.g. [`variants`, 1, `price`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPath(Vec<Step>);

impl FieldPath {
    /// A path of one core field name.
    pub fn name(name: &'static str) -> Self {
        FieldPath(vec![Step::Name(Cow::Borrowed(name))])
    }

    /// Reads the core spelling, `a[1].b`: every dotted part a name, every `[n]` an index.
    pub fn parse(path: &str) -> Self {
        let mut steps = Vec::new();
        for part in path.split('.').filter(|p| !p.is_empty()) {
            let (name, mut rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
            if !name.is_empty() {
                steps.push(Step::Name(Cow::Owned(name.to_owned())));
            }
            while let Some((index, after)) = rest.split_once(']') {
                match index.parse() {
                    Ok(i) => steps.push(Step::Index(i)),
                    Err(_) => steps.push(Step::Name(Cow::Owned(format!("[{index}]")))),
                }
                rest = after.strip_prefix('[').unwrap_or(after);
            }
        }
        FieldPath(steps)
    }

    /// This path with a user-chosen key appended (`attributes` then `color`).
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.0.push(Step::Key(key.into()));
        self
    }

    /// This path with a core field name appended.
    pub fn field(mut self, name: &'static str) -> Self {
        self.0.push(Step::Name(Cow::Borrowed(name)));
        self
    }

    /// This path with a list index appended.
    pub fn index(mut self, i: usize) -> Self {
        self.0.push(Step::Index(i));
        self
    }

    /// `prefix` followed by this path.
    pub fn within(self, prefix: FieldPath) -> Self {
        let mut steps = prefix.0;
        steps.extend(self.0);
        FieldPath(steps)
    }

    /// The steps, outermost first.
    pub fn steps(&self) -> &[Step] {
        &self.0
    }

    /// The path written with each name spelled by `spell` (an API's table), keys as given.
    pub fn spelled(&self, mut spell: impl FnMut(usize, &str) -> Cow<'static, str>) -> String {
        let mut out = String::new();
        for (depth, step) in self.0.iter().enumerate() {
            match step {
                Step::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
                Step::Name(n) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&spell(depth, n));
                }
                Step::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
            }
        }
        out
    }
}

impl fmt::Display for FieldPath {
    /// The core spelling, as the import and export files use it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.spelled(|_, n| Cow::Owned(n.to_owned())))
    }
}

impl From<&str> for FieldPath {
    fn from(path: &str) -> Self {
        FieldPath::parse(path)
    }
}

impl From<&String> for FieldPath {
    fn from(path: &String) -> Self {
        FieldPath::parse(path)
    }
}

impl From<String> for FieldPath {
    fn from(path: String) -> Self {
        FieldPath::parse(&path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_writes_the_core_spelling() {
        for p in [
            "name",
            "variants[1].price",
            "media[0].public_url",
            "a[1][2].b",
            "options[3]",
        ] {
            assert_eq!(FieldPath::parse(p).to_string(), p);
        }
        assert_eq!(
            FieldPath::parse("variants[1].price").steps(),
            &[
                Step::Name("variants".into()),
                Step::Index(1),
                Step::Name("price".into())
            ]
        );
    }

    #[test]
    fn keys_are_never_spelled() {
        let p = FieldPath::name("attributes").key("color_code");
        let upper = p.spelled(|_, n| Cow::Owned(n.to_uppercase()));
        assert_eq!(upper, "ATTRIBUTES.color_code");
    }

    #[test]
    fn within_prefixes() {
        let p = FieldPath::parse("sku").within(FieldPath::name("variants").index(2));
        assert_eq!(p.to_string(), "variants[2].sku");
    }
}
