//! What a product page shows beyond the name and description: a subtitle, a short description,
//! a thumbnail, the search-engine fields and the shipping size.

use crate::CoreError;
use crate::patch::Patch;
use crate::validate::{long_text, text, uri};

/// The largest weight or length accepted, in whatever unit the organization uses.
pub const MAX_MEASURE: f64 = 1e9;

/// A product's descriptive and shipping fields; every one optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProductDetails {
    pub subtitle: Option<String>,
    pub short_description: Option<String>,
    /// The URL of the picture lists show.
    pub thumbnail: Option<String>,
    pub seo: Seo,
    pub dimensions: Dimensions,
}

/// What search engines read: the page's slug, title, description and keywords.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seo {
    /// The page's name in URLs.
    pub name: Option<String>,
    pub page_title: Option<String>,
    pub meta_description: Option<String>,
    pub meta_keywords: Option<String>,
}

/// Shipping weight and size, unitless numbers the organization gives meaning to.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Dimensions {
    pub weight: Option<f64>,
    pub length: Option<f64>,
    pub width: Option<f64>,
    pub height: Option<f64>,
}

/// Changes to a product's details: a field left out stays, `Clear` removes it. On create the
/// same type fills an empty product.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DetailsPatch {
    pub subtitle: Patch<String>,
    pub short_description: Patch<String>,
    pub thumbnail: Patch<String>,
    pub seo_name: Patch<String>,
    pub page_title: Patch<String>,
    pub meta_description: Patch<String>,
    pub meta_keywords: Patch<String>,
    pub weight: Patch<f64>,
    pub length: Patch<f64>,
    pub width: Patch<f64>,
    pub height: Patch<f64>,
}

/// Checks a weight or length: a finite number from 0 to [`MAX_MEASURE`].
pub fn parse_measure(field: &str, value: f64) -> Result<f64, CoreError> {
    if value.is_finite() && (0.0..=MAX_MEASURE).contains(&value) {
        Ok(value)
    } else {
        Err(CoreError::invalid(
            field,
            format!("must be a number from 0 to {MAX_MEASURE}"),
        ))
    }
}

/// A blank text clears the field, as a client that sends `""` means.
fn short(field: &str, patch: Patch<String>, max: usize) -> Result<Patch<String>, CoreError> {
    match patch {
        Patch::Set(s) if s.trim().is_empty() => Ok(Patch::Clear),
        other => other.try_map(|s| text(field, &s, max)),
    }
}

fn long(field: &str, patch: Patch<String>, max: usize) -> Result<Patch<String>, CoreError> {
    match patch {
        Patch::Set(s) if s.trim().is_empty() => Ok(Patch::Clear),
        other => other.try_map(|s| long_text(field, Some(s), max).map(Option::unwrap_or_default)),
    }
}

impl DetailsPatch {
    /// Checks the fields present.
    pub fn validate(self) -> Result<DetailsPatch, CoreError> {
        let measure = |field: &str, p: Patch<f64>| p.try_map(|v| parse_measure(field, v));
        Ok(DetailsPatch {
            subtitle: short("subtitle", self.subtitle, 500)?,
            short_description: long("short_description", self.short_description, 10_000)?,
            thumbnail: match self.thumbnail {
                Patch::Set(s) if s.trim().is_empty() => Patch::Clear,
                other => other.try_map(|u| uri("thumbnail", &u))?,
            },
            seo_name: short("seo_name", self.seo_name, 255)?,
            page_title: short("page_title", self.page_title, 500)?,
            meta_description: long("meta_description", self.meta_description, 10_000)?,
            meta_keywords: long("meta_keywords", self.meta_keywords, 10_000)?,
            weight: measure("weight", self.weight)?,
            length: measure("length", self.length)?,
            width: measure("width", self.width)?,
            height: measure("height", self.height)?,
        })
    }

    /// Applies the (checked) changes to `details`.
    pub fn apply(self, details: &mut ProductDetails) {
        let d = details;
        d.subtitle = self.subtitle.apply(d.subtitle.take());
        d.short_description = self.short_description.apply(d.short_description.take());
        d.thumbnail = self.thumbnail.apply(d.thumbnail.take());
        d.seo.name = self.seo_name.apply(d.seo.name.take());
        d.seo.page_title = self.page_title.apply(d.seo.page_title.take());
        d.seo.meta_description = self.meta_description.apply(d.seo.meta_description.take());
        d.seo.meta_keywords = self.meta_keywords.apply(d.seo.meta_keywords.take());
        d.dimensions.weight = self.weight.apply(d.dimensions.weight);
        d.dimensions.length = self.length.apply(d.dimensions.length);
        d.dimensions.width = self.width.apply(d.dimensions.width);
        d.dimensions.height = self.height.apply(d.dimensions.height);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn blank_texts_clear_and_bad_measures_are_refused() {
        let p = DetailsPatch {
            subtitle: Patch::Set("  ".into()),
            weight: Patch::Set(1.5),
            ..DetailsPatch::default()
        }
        .validate()
        .unwrap();
        assert_eq!(p.subtitle, Patch::Clear);
        let mut d = ProductDetails {
            subtitle: Some("old".into()),
            ..ProductDetails::default()
        };
        p.apply(&mut d);
        assert_eq!((d.subtitle, d.dimensions.weight), (None, Some(1.5)));
        for bad in [-1.0, f64::NAN, f64::INFINITY, 2e9] {
            let e = DetailsPatch {
                height: Patch::Set(bad),
                ..DetailsPatch::default()
            }
            .validate()
            .unwrap_err();
            assert_eq!(e.field().map(ToString::to_string).as_deref(), Some("height"));
        }
        let e = DetailsPatch {
            thumbnail: Patch::Set("not a url".into()),
            ..DetailsPatch::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.field().map(ToString::to_string).as_deref(), Some("thumbnail"));
    }
}
