//! A product's image pairs (`main_pair`, `image_pairs`). An image with an address
//! (`image_path`, `image_url`) is one of the product's media, which every API shows. What only
//! CS-Cart knows of a pair, its server's file paths (`absolute_path`, `relative_path`: not
//! addresses another API could show), its type and size, is kept as sent in the product's
//! `cscart` extension (`pairs`) and read back while the product's media are still the ones
//! written with it; once another API changes them, the pairs are read from the media alone.
//! A pair's id is a number of the product's, kept with the pair (`pair_id`) and the last one
//! given (`last_pair_id`): a pair sent again with its id keeps it, a new one takes the next,
//! and no number is given twice, so removing a pair shifts no other. Pairs read from the media
//! alone (or kept before pairs had numbers) are numbered after the last given, in order.

use super::own::EXT;
use super::values::{Text, bad};
use crate::error::ApiError;
use pimento_core::media::{MediaAssetInput, MediaInput, MediaSource, ProductMedia};
use pimento_core::product::ProductView;
use serde::Deserialize;
use serde_json::{Map, Value, json};

/// The longest `alt` (the core's longest alt text), checked here so the refusal names the
/// pair the client wrote rather than the media list it becomes.
const MAX_ALT: usize = 1000;

/// One image pair as a client gave it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pair {
    /// Its number: as sent (a hint, kept only if it is one of the product's) or as kept.
    pub id: Option<i64>,
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
    // Where the image's fields are, as the client wrote it: in `detailed`, `icon`, or the pair.
    let (d, dat) = match (pair.get("detailed"), pair.get("icon")) {
        (Some(Value::Object(d)), _) => (d, format!("{at}.detailed")),
        (Some(_), _) => return Err(bad(&format!("{at}.detailed"), "must be an object")),
        (None, Some(Value::Object(d))) => (d, format!("{at}.icon")),
        (None, Some(_)) => return Err(bad(&format!("{at}.icon"), "must be an object")),
        (None, None) => (pair, at.to_owned()),
    };
    let url_key = ["image_url", "image_path", "https_image_path", "http_image_path"]
        .into_iter()
        .find(|k| field(d, k).is_some());
    let url = url_key.and_then(|k| field(d, k));
    let id = pair
        .get("pair_id")
        .and_then(|v| Text::deserialize(v).ok())
        .and_then(|t| t.0.trim().parse::<i64>().ok())
        .filter(|n| *n > 0);
    let p = Pair {
        id,
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
            &dat,
            "needs an image_path, image_url, absolute_path or relative_path",
        ));
    }
    if let (Some(u), Some(k)) = (&p.url, url_key) {
        let at = format!("{dat}.{k}");
        pimento_core::validate::uri(&at, u).map_err(|_| bad(&at, format!("'{u}' is not a URL")))?;
    }
    if p.alt.chars().count() > MAX_ALT {
        return Err(bad(
            &format!("{dat}.alt"),
            format!("must be at most {MAX_ALT} characters"),
        ));
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
            let key = at.rsplit_once('.').and_then(|(_, k)| k.parse::<i64>().ok());
            read_pair(&at, v, false).map(|p| {
                let id = p.id.or(key);
                (position.unwrap_or(i64::MAX), Pair { id, ..p })
            })
        })
        .collect::<Result<_, _>>()?;
    pairs.sort_by_key(|(pos, _)| *pos);
    Ok(pairs.into_iter().map(|(_, p)| p).collect())
}

fn stored(p: &Pair) -> Value {
    json!({
        "pair_id": p.id,
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
        id: m.get("pair_id").and_then(Value::as_i64),
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

/// The highest pair number the product has given.
pub fn last_pair_id(view: &ProductView) -> i64 {
    view.product
        .extensions
        .get(EXT, "last_pair_id")
        .and_then(Value::as_i64)
        .unwrap_or(0)
}

/// A product's pairs, the main one first, each with its number.
pub fn pairs(view: &ProductView) -> Vec<Pair> {
    let last = last_pair_id(view);
    let mut next = last;
    let mut out = unnumbered_pairs(view);
    for p in &mut out {
        if p.id.is_none() {
            next += 1;
            p.id = Some(next);
        }
    }
    out
}

fn unnumbered_pairs(view: &ProductView) -> Vec<Pair> {
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

/// The pairs after a change (the main pair and the additional ones replaced when given), each
/// numbered, and the last number given. `current` are the product's pairs (numbered), `last`
/// the last number it gave. A pair sent with the number of one of the product's pairs keeps
/// it; any other takes the next.
pub fn merge(
    current: Vec<Pair>,
    main: Option<Option<Pair>>,
    additional: Option<Vec<Pair>>,
    last: i64,
) -> (Vec<Pair>, i64) {
    let known: Vec<i64> = current.iter().filter_map(|p| p.id).collect();
    let mut last = known.iter().copied().fold(last, i64::max);
    let (cur_main, cur_more): (Vec<Pair>, Vec<Pair>) = current.into_iter().partition(|p| p.main);
    let main = match main {
        None => cur_main,
        Some(m) => m.into_iter().collect(),
    };
    let more = additional.unwrap_or(cur_more);
    let mut taken: Vec<i64> = Vec::new();
    let pairs = main
        .into_iter()
        .map(|p| Pair { main: true, ..p })
        .chain(more.into_iter().map(|p| Pair { main: false, ..p }))
        .map(|p| {
            let id = match p.id.filter(|n| known.contains(n) && !taken.contains(n)) {
                Some(n) => n,
                None => {
                    last += 1;
                    last
                }
            };
            taken.push(id);
            Pair { id: Some(id), ..p }
        })
        .collect();
    (pairs, last)
}

/// One pair as CS-Cart shows it; `place` is its place among the product's pairs (0 first).
pub fn render(p: &Pair, place: usize, object_id: i64) -> Value {
    let url = p.url.clone().unwrap_or_default();
    let http = url.replacen("https://", "http://", 1);
    let https = url.replacen("http://", "https://", 1);
    let pair_id = p.id.unwrap_or(place as i64 + 1);
    json!({
        "pair_id": pair_id.to_string(),
        "image_id": "0",
        "detailed_id": pair_id.to_string(),
        "position": place.to_string(),
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
