//! A product's image pairs (`main_pair`, `image_pairs`). An image with an address
//! (`image_path`, `image_url`) is one of the product's media, which every API shows. What only
//! CS-Cart knows of a pair, its server's file paths (`absolute_path`, `relative_path`: not
//! addresses another API could show), its type and size, is kept as sent in the product's
//! `cscart` extension (`pairs`) and read back while the product's media are still the ones
//! written with it; once another API changes them, the pairs are read from the media alone.
//! A pair's id is its place among the product's pairs (1 is the first).

use super::own::EXT;
use super::values::{Text, bad};
use crate::error::ApiError;
use pimento_core::media::{MediaAssetInput, MediaInput, MediaSource, ProductMedia};
use pimento_core::product::ProductView;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// One image pair as a client gave it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pair {
    pub main: bool,
    /// The image's address, when it has one.
    pub url: Option<String>,
    pub absolute_path: String,
    pub relative_path: String,
    pub alt: String,
    pub image_x: String,
    pub image_y: String,
}

fn field(d: &Map<String, Value>, name: &str) -> Option<String> {
    d.get(name)
        .and_then(|v| Text::deserialize(v).ok())
        .map(|t| t.0.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// Reads one pair (`{detailed: {...}}`, or the image's fields themselves).
pub fn read_pair(at: &str, v: &Value, main: bool) -> Result<Pair, ApiError> {
    let Value::Object(pair) = v else {
        return Err(bad(at, "must be an image pair object"));
    };
    let d = match pair.get("detailed").or_else(|| pair.get("icon")) {
        Some(Value::Object(d)) => d,
        Some(_) => return Err(bad(&format!("{at}.detailed"), "must be an object")),
        None => pair,
    };
    let url = field(d, "image_url")
        .or_else(|| field(d, "image_path"))
        .or_else(|| field(d, "https_image_path"))
        .or_else(|| field(d, "http_image_path"));
    let p = Pair {
        main,
        url,
        absolute_path: field(d, "absolute_path").unwrap_or_default(),
        relative_path: field(d, "relative_path").unwrap_or_default(),
        alt: field(d, "alt").unwrap_or_default(),
        image_x: field(d, "image_x").unwrap_or_else(|| "0".into()),
        image_y: field(d, "image_y").unwrap_or_else(|| "0".into()),
    };
    if p.url.is_none() && p.absolute_path.is_empty() && p.relative_path.is_empty() {
        return Err(bad(
            &format!("{at}.detailed"),
            "needs an image_path, image_url, absolute_path or relative_path",
        ));
    }
    if let Some(u) = &p.url {
        pimento_core::validate::uri(&format!("{at}.detailed.image_path"), u)
            .map_err(|_| bad(&format!("{at}.detailed.image_path"), format!("'{u}' is not a URL")))?;
    }
    Ok(p)
}

/// Reads `image_pairs`: pairs keyed by id, an array of pairs, or one pair.
pub fn read_pairs(at: &str, v: &Value) -> Result<Vec<Pair>, ApiError> {
    let items: Vec<(String, &Value)> = match v {
        Value::Null => return Ok(Vec::new()),
        Value::Array(a) => a.iter().enumerate().map(|(i, v)| (format!("{at}[{i}]"), v)).collect(),
        Value::Object(m) if m.contains_key("detailed") || m.contains_key("icon") => vec![(at.to_owned(), v)],
        Value::Object(m) => m.iter().map(|(k, v)| (format!("{at}.{k}"), v)).collect(),
        _ => return Err(bad(at, "must be an object of image pairs")),
    };
    let mut pairs: Vec<(i64, Pair)> = items
        .into_iter()
        .map(|(at, v)| {
            let position = v
                .get("position")
                .and_then(|p| Text::deserialize(p).ok())
                .and_then(|t| t.0.trim().parse().ok());
            read_pair(&at, v, false).map(|p| (position.unwrap_or(i64::MAX), p))
        })
        .collect::<Result<_, _>>()?;
    pairs.sort_by_key(|(pos, _)| *pos);
    Ok(pairs.into_iter().map(|(_, p)| p).collect())
}

fn stored(p: &Pair) -> Value {
    json!({
        "main": if p.main { "Y" } else { "N" },
        "image_path": p.url.clone().unwrap_or_default(),
        "absolute_path": p.absolute_path,
        "relative_path": p.relative_path,
        "alt": p.alt,
        "image_x": p.image_x,
        "image_y": p.image_y,
    })
}

fn from_stored(v: &Value) -> Option<Pair> {
    let m = v.as_object()?;
    let s = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    Some(Pair {
        main: s("main") == "Y",
        url: Some(s("image_path")).filter(|u| !u.is_empty()),
        absolute_path: s("absolute_path"),
        relative_path: s("relative_path"),
        alt: s("alt"),
        image_x: s("image_x"),
        image_y: s("image_y"),
    })
}

fn from_media(media: &[ProductMedia]) -> Vec<Pair> {
    media
        .iter()
        .enumerate()
        .map(|(i, m)| Pair {
            main: i == 0,
            url: m.asset.public_url.clone().or_else(|| m.asset.source_url.clone()),
            alt: m.asset.alt_text.clone().unwrap_or_default(),
            image_x: "0".into(),
            image_y: "0".into(),
            ..Pair::default()
        })
        .collect()
}

/// A product's pairs, the main one first.
pub fn pairs(view: &ProductView) -> Vec<Pair> {
    let media = view.media.as_deref().unwrap_or_default();
    let kept: Option<Vec<Pair>> = match view.product.extensions.get(EXT, "pairs") {
        Some(Value::Array(list)) => list.iter().map(from_stored).collect(),
        _ => None,
    };
    let urls: Vec<Option<String>> = media
        .iter()
        .map(|m| m.asset.public_url.clone().or_else(|| m.asset.source_url.clone()))
        .collect();
    match kept {
        Some(kept)
            if kept
                .iter()
                .filter(|p| p.url.is_some())
                .map(|p| p.url.clone())
                .eq(urls.iter().cloned()) =>
        {
            kept
        }
        _ => from_media(media),
    }
}

/// The media and the kept pairs of a product whose pairs become `pairs` (main first).
pub fn write(pairs: &[Pair]) -> (Vec<MediaInput>, Value) {
    let media = pairs
        .iter()
        .filter_map(|p| p.url.as_ref().map(|u| (u, p)))
        .map(|(u, p)| MediaInput {
            source: MediaSource::New(MediaAssetInput {
                public_url: Some(u.clone()),
                alt_text: Some(p.alt.clone()).filter(|a| !a.is_empty()),
                ..MediaAssetInput::default()
            }),
            position: None,
            purpose: None,
            variant_id: None,
        })
        .collect();
    (media, Value::Array(pairs.iter().map(stored).collect()))
}

/// The pairs after a change: the main pair and the additional ones replaced when given.
pub fn merge(current: Vec<Pair>, main: Option<Option<Pair>>, additional: Option<Vec<Pair>>) -> Vec<Pair> {
    let (cur_main, cur_more): (Vec<Pair>, Vec<Pair>) = current.into_iter().partition(|p| p.main);
    let main = match main {
        None => cur_main,
        Some(m) => m.into_iter().collect(),
    };
    let more = additional.unwrap_or(cur_more);
    main.into_iter()
        .map(|p| Pair { main: true, ..p })
        .chain(more.into_iter().map(|p| Pair { main: false, ..p }))
        .collect()
}

/// One pair as CS-Cart shows it.
pub fn render(p: &Pair, pair_id: usize, object_id: i64) -> Value {
    let url = p.url.clone().unwrap_or_default();
    let http = url.replacen("https://", "http://", 1);
    let https = url.replacen("http://", "https://", 1);
    json!({
        "pair_id": pair_id.to_string(),
        "image_id": "0",
        "detailed_id": pair_id.to_string(),
        "position": (pair_id - 1).to_string(),
        "object_id": object_id.to_string(),
        "object_type": "product",
        "detailed": {
            "object_id": object_id.to_string(),
            "object_type": "product",
            "type": if p.main { "M" } else { "A" },
            "image_path": url,
            "alt": p.alt,
            "image_x": p.image_x,
            "image_y": p.image_y,
            "http_image_path": http,
            "https_image_path": https,
            "absolute_path": p.absolute_path,
            "relative_path": p.relative_path,
            "is_high_res": false,
        }
    })
}
