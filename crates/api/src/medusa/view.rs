//! Medusa's shapes of the catalog: a product with its type, collection, options, tags, images,
//! variants (with prices and option values) and categories, written straight to the serializer
//! with only the fields the request's `fields` pick (`fields.rs`): no JSON tree is built on the
//! way, which is most of what a product read costs.
//!
//! Fields Medusa has and the core does not (`is_giftcard`, `hs_code`, a variant's `ean`, …) are
//! kept in the product's and variants' `medusa` extension (`EXT`) and read back from there.

use super::fields::Pick;
use super::ids::{self, Kind};
use chrono::{DateTime, Datelike, Timelike, Utc};
use pimento_core::collection::Collection;
use pimento_core::extension::Extensions;
use pimento_core::label::{Label, ProductType};
use pimento_core::media::ProductMedia;
use pimento_core::money::Money;
use pimento_core::options::{OptionValue, VariantOption};
use pimento_core::product::{ProductStatus, ProductView};
use pimento_core::taxonomy::Category;
use pimento_core::variant::{Variant, VariantOptionValue};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// The extension owner of Medusa's own fields.
pub const EXT: &str = "medusa";

/// Medusa's timestamp form: UTC with milliseconds (`2026-12-06T21:59:52.202Z`).
pub fn ts(t: DateTime<Utc>) -> Value {
    Value::String(Ts(t).text().as_str().to_owned())
}

/// A timestamp written in Medusa's form from a buffer on the stack.
#[derive(Clone, Copy)]
pub struct Ts(pub DateTime<Utc>);

/// Fixed-width ASCII on the stack: a timestamp or an id, written without an allocation.
struct Buf<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Buf<N> {
    fn new() -> Self {
        Buf { bytes: [0; N], len: 0 }
    }

    fn push(&mut self, b: &[u8]) {
        let end = (self.len + b.len()).min(N);
        self.bytes[self.len..end].copy_from_slice(&b[..end - self.len]);
        self.len = end;
    }

    fn digits(&mut self, n: u32, width: usize) {
        let mut d = [b'0'; 10];
        let mut n = n;
        for slot in d[..width].iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
        }
        self.push(&d[..width]);
    }

    fn as_str(&self) -> &str {
        // Only ASCII is pushed.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl Ts {
    fn text(self) -> Buf<32> {
        let t = self.0;
        let mut b = Buf::new();
        let year = t.year();
        if !(0..=9999).contains(&year) {
            // Outside what four digits hold: chrono's own form (not reached by stored times).
            b.push(t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true).as_bytes());
            return b;
        }
        b.digits(year as u32, 4);
        b.push(b"-");
        b.digits(t.month(), 2);
        b.push(b"-");
        b.digits(t.day(), 2);
        b.push(b"T");
        b.digits(t.hour(), 2);
        b.push(b":");
        b.digits(t.minute(), 2);
        b.push(b":");
        b.digits(t.second(), 2);
        b.push(b".");
        // A leap second's nanoseconds run past 1e9; Medusa's milliseconds stop at 999.
        b.digits((t.nanosecond() / 1_000_000).min(999), 3);
        b.push(b"Z");
        b
    }
}

impl Serialize for Ts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.text().as_str())
    }
}

/// A Medusa id (`prod_01JF…`) written from a buffer on the stack.
#[derive(Clone, Copy)]
pub struct Id(pub Kind, pub uuid::Uuid);

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut b = Buf::<64>::new();
        b.push(self.0.0.as_bytes());
        b.push(b"_");
        let mut ulid = [0u8; ulid::ULID_LEN];
        b.push(ulid::Ulid::from(self.1).array_to_str(&mut ulid).as_bytes());
        s.serialize_str(b.as_str())
    }
}

/// Medusa's statuses of the core's lifecycle; a status only other APIs have (hidden, disabled)
/// shows as `draft`, the one Medusa status that is not for sale either.
pub fn status_name(s: ProductStatus) -> &'static str {
    match s {
        ProductStatus::Draft | ProductStatus::Hidden | ProductStatus::Disabled => "draft",
        ProductStatus::Proposed => "proposed",
        ProductStatus::Active => "published",
        ProductStatus::Rejected => "rejected",
    }
}

/// The core status of a Medusa status.
pub fn status_of(name: &str) -> Option<ProductStatus> {
    Some(match name {
        "draft" => ProductStatus::Draft,
        "proposed" => ProductStatus::Proposed,
        "published" => ProductStatus::Active,
        "rejected" => ProductStatus::Rejected,
        _ => return None,
    })
}

/// A whole number where it is one, as JavaScript writes numbers.
enum Number {
    Whole(i64),
    Fraction(f64),
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Number::Whole(n) => s.serialize_i64(n),
            Number::Fraction(f) => s.serialize_f64(f),
        }
    }
}

/// A price's amount in major units.
struct Amount<'a>(&'a Money);

impl Amount<'_> {
    fn number(&self) -> Number {
        let m = self.0;
        let unit = 10_i64.pow(m.currency.digits());
        if m.minor % unit == 0 {
            Number::Whole(m.minor / unit)
        } else {
            Number::Fraction(m.minor as f64 / unit as f64)
        }
    }
}

impl Serialize for Amount<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.number().serialize(s)
    }
}

const NULL: &Value = &Value::Null;
const FALSE: &Value = &Value::Bool(false);
const TRUE: &Value = &Value::Bool(true);

fn ext<'a>(e: &'a Extensions, key: &str) -> &'a Value {
    e.get(EXT, key).unwrap_or(NULL)
}

fn ext_or<'a>(e: &'a Extensions, key: &str, default: &'a Value) -> &'a Value {
    e.get(EXT, key).unwrap_or(default)
}

/// A measure (weight, length, …): whole where it is whole.
fn measure(v: Option<f64>) -> Option<Number> {
    v.map(|n| {
        if n.fract() == 0.0 && n.abs() < 1e15 {
            Number::Whole(n as i64)
        } else {
            Number::Fraction(n)
        }
    })
}

/// Writes `name: value` into a map when the pick includes `name`.
macro_rules! put {
    ($m:ident, $pick:expr, $name:literal, $value:expr) => {
        if $pick.has($name) {
            $m.serialize_entry($name, &$value)?;
        }
    };
}

/// Writes `name: <object or list>` when the pick includes `name`, giving the writer the
/// pick of what is inside.
macro_rules! nest {
    ($m:ident, $pick:expr, $name:literal, |$sub:ident| $value:expr) => {
        if let Some($sub) = $pick.field($name) {
            $m.serialize_entry($name, &$value)?;
        }
    };
}

/// A sequence written from an iterator each item of which is made on the way.
struct Each<F>(F);

impl<I, F> Serialize for Each<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let items = (self.0)();
        let mut seq = s.serialize_seq(None)?;
        for item in items {
            seq.serialize_element(&item)?;
        }
        seq.end()
    }
}

/// Medusa's empty object (a price's `rules`).
struct Empty;

impl Serialize for Empty {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_map(Some(0))?.end()
    }
}

/// An object of one `id` (a shipping profile, a sales channel), by reference.
struct IdOnly<'a> {
    id: &'a Value,
    pick: Pick<'a>,
}

impl Serialize for IdOnly<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        put!(m, self.pick, "id", self.id);
        m.end()
    }
}

/// A writer's output as a JSON value.
fn whole(v: &impl Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// A label (a product type or a tag), as it appears inside a product.
struct LabelOut<'a, I> {
    kind: Kind,
    id: uuid::Uuid,
    l: &'a Label<I>,
    pick: Pick<'a>,
}

impl<I> Serialize for LabelOut<'_, I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (l, p) = (self.l, self.pick);
        let mut m = s.serialize_map(None)?;
        put!(m, p, "id", Id(self.kind, self.id));
        put!(m, p, "value", l.value);
        put!(m, p, "external_id", NULL);
        put!(m, p, "metadata", l.metadata);
        put!(m, p, "created_at", Ts(l.created_at));
        put!(m, p, "updated_at", Ts(l.updated_at));
        put!(m, p, "deleted_at", NULL);
        m.end()
    }
}

/// A collection.
struct CollectionOut<'a> {
    c: &'a Collection,
    pick: Pick<'a>,
}

impl Serialize for CollectionOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (c, p) = (self.c, self.pick);
        let mut m = s.serialize_map(None)?;
        put!(m, p, "id", Id(ids::COLLECTION, c.id.0));
        put!(m, p, "title", c.title);
        put!(m, p, "handle", c.handle);
        put!(m, p, "external_id", NULL);
        put!(m, p, "metadata", c.metadata);
        put!(m, p, "created_at", Ts(c.created_at));
        put!(m, p, "updated_at", Ts(c.updated_at));
        put!(m, p, "deleted_at", NULL);
        m.end()
    }
}

/// A category as a product lists it.
struct CategoryOut<'a> {
    c: &'a Category,
    pick: Pick<'a>,
}

impl Serialize for CategoryOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (c, p) = (self.c, self.pick);
        let mut m = s.serialize_map(None)?;
        put!(m, p, "id", Id(ids::CATEGORY, c.id.0));
        put!(m, p, "name", c.name);
        put!(m, p, "description", c.description.as_deref().unwrap_or_default());
        put!(m, p, "handle", c.slug);
        put!(m, p, "is_active", true);
        put!(m, p, "is_internal", false);
        put!(m, p, "rank", 0);
        put!(
            m,
            p,
            "parent_category_id",
            c.parent_id.map(|id| Id(ids::CATEGORY, id.0))
        );
        put!(m, p, "metadata", NULL);
        put!(m, p, "created_at", Ts(c.created_at));
        put!(m, p, "updated_at", Ts(c.updated_at));
        put!(m, p, "deleted_at", NULL);
        m.end()
    }
}

/// An option with its values.
pub fn option(o: &VariantOption) -> Value {
    whole(&OptionOut {
        o,
        values: true,
        pick: Pick::Whole,
    })
}

/// An option; with its values, or its head alone (as a variant's picked value shows it).
struct OptionOut<'a> {
    o: &'a VariantOption,
    values: bool,
    pick: Pick<'a>,
}

impl Serialize for OptionOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (o, p) = (self.o, self.pick);
        let mut m = s.serialize_map(None)?;
        put!(m, p, "id", Id(ids::OPTION, o.id.0));
        put!(m, p, "title", o.name);
        put!(m, p, "is_exclusive", o.product_id.is_some());
        put!(m, p, "metadata", NULL);
        put!(m, p, "created_at", Ts(o.created_at));
        put!(m, p, "updated_at", Ts(o.updated_at));
        put!(m, p, "deleted_at", NULL);
        if self.values {
            nest!(m, p, "values", |sub| Each(|| o.values.iter().map(move |v| ValueOut {
                o,
                v,
                pick: sub
            })));
        }
        m.end()
    }
}

/// One of an option's values.
struct ValueOut<'a> {
    o: &'a VariantOption,
    v: &'a OptionValue,
    pick: Pick<'a>,
}

impl Serialize for ValueOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (o, v, p) = (self.o, self.v, self.pick);
        let mut m = s.serialize_map(None)?;
        put!(m, p, "id", Id(ids::OPTION_VALUE, v.id.0));
        put!(m, p, "value", v.value);
        put!(m, p, "rank", v.rank);
        put!(m, p, "metadata", NULL);
        put!(m, p, "option_id", Id(ids::OPTION, o.id.0));
        put!(m, p, "created_at", Ts(o.created_at));
        put!(m, p, "updated_at", Ts(o.updated_at));
        put!(m, p, "deleted_at", NULL);
        m.end()
    }
}

/// What a product's JSON is built from, besides the product view itself.
#[derive(Default)]
pub struct Related<'a> {
    /// The product's options, each with all its values.
    pub options: &'a [VariantOption],
    pub collection: Option<&'a Collection>,
    pub product_type: Option<&'a ProductType>,
    pub category: Option<&'a Category>,
}

/// A variant on its own (without the product's images), with the fields `pick` names.
pub fn variant(v: &Variant, options: &[VariantOption], pick: Pick) -> Value {
    whole(&VariantOut {
        v,
        options,
        images: &[],
        pick,
    })
}

/// A variant as Medusa writes it.
struct VariantOut<'a> {
    v: &'a Variant,
    /// The product's options, for the picked values' ranks and option heads.
    options: &'a [VariantOption],
    /// The product's images, which Medusa shows with each variant.
    images: &'a [ProductMedia],
    pick: Pick<'a>,
}

impl Serialize for VariantOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (v, p) = (self.v, self.pick);
        let e = &v.extensions;
        let mut m = s.serialize_map(None)?;
        put!(m, p, "id", Id(ids::VARIANT, v.id.0));
        put!(m, p, "title", v.title);
        put!(m, p, "sku", v.sku);
        if p.has("barcode") {
            match &v.barcode {
                Some(code) => m.serialize_entry("barcode", code)?,
                None => m.serialize_entry("barcode", ext(e, "barcode"))?,
            }
        }
        put!(m, p, "ean", ext(e, "ean"));
        put!(m, p, "upc", ext(e, "upc"));
        put!(m, p, "allow_backorder", ext_or(e, "allow_backorder", FALSE));
        put!(m, p, "manage_inventory", ext_or(e, "manage_inventory", TRUE));
        put!(m, p, "inventory_quantity", v.inventory_quantity);
        put!(m, p, "hs_code", ext(e, "hs_code"));
        put!(m, p, "origin_country", ext(e, "origin_country"));
        put!(m, p, "mid_code", ext(e, "mid_code"));
        put!(m, p, "material", ext(e, "material"));
        put!(m, p, "weight", ext(e, "weight"));
        put!(m, p, "length", ext(e, "length"));
        put!(m, p, "height", ext(e, "height"));
        put!(m, p, "width", ext(e, "width"));
        put!(m, p, "metadata", v.metadata);
        if p.has("variant_rank") {
            match e.get(EXT, "variant_rank") {
                Some(rank) => m.serialize_entry("variant_rank", rank)?,
                None => m.serialize_entry("variant_rank", &v.rank)?,
            }
        }
        put!(m, p, "thumbnail", ext(e, "thumbnail"));
        put!(m, p, "product_id", Id(ids::PRODUCT, v.product_id.0));
        put!(m, p, "created_at", Ts(v.created_at));
        put!(m, p, "updated_at", Ts(v.updated_at));
        put!(m, p, "deleted_at", NULL);
        let pid = v.product_id;
        nest!(m, p, "images", |sub| Each(|| self.images.iter().map(move |i| {
            ImageOut {
                m: i,
                product: pid,
                pick: sub,
            }
        })));
        nest!(m, p, "options", |sub| Each(|| v.options.iter().map(move |pick| {
            PickedOut {
                v,
                pick,
                options: self.options,
                sel: sub,
            }
        })));
        nest!(m, p, "prices", |sub| Each(|| v
            .price
            .iter()
            .chain(v.prices.iter())
            .map(move |money| PriceOut { v, money, pick: sub })));
        m.end()
    }
}

/// A variant's price in one currency.
struct PriceOut<'a> {
    v: &'a Variant,
    money: &'a Money,
    pick: Pick<'a>,
}

impl Serialize for PriceOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (v, money, p) = (self.v, self.money, self.pick);
        let mut m = s.serialize_map(None)?;
        put!(m, p, "id", price_id(v, money));
        put!(m, p, "amount", Amount(money));
        put!(m, p, "currency_code", money.currency.code().to_ascii_lowercase());
        put!(m, p, "min_quantity", NULL);
        put!(m, p, "max_quantity", NULL);
        put!(m, p, "variant_id", Id(ids::VARIANT, v.id.0));
        put!(m, p, "created_at", Ts(v.created_at));
        put!(m, p, "updated_at", Ts(v.updated_at));
        put!(m, p, "rules", Empty);
        m.end()
    }
}

/// The value a variant picks for one option, with the option's head.
struct PickedOut<'a> {
    v: &'a Variant,
    pick: &'a VariantOptionValue,
    options: &'a [VariantOption],
    sel: Pick<'a>,
}

impl Serialize for PickedOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (v, pick, p) = (self.v, self.pick, self.sel);
        let option = self.options.iter().find(|o| o.id == pick.option_id);
        let mut m = s.serialize_map(None)?;
        put!(m, p, "id", Id(ids::OPTION_VALUE, pick.value_id.0));
        put!(m, p, "value", pick.value);
        put!(
            m,
            p,
            "rank",
            option
                .and_then(|o| o.values.iter().find(|x| x.id == pick.value_id))
                .map(|x| x.rank)
        );
        put!(m, p, "metadata", NULL);
        put!(m, p, "option_id", Id(ids::OPTION, pick.option_id.0));
        nest!(m, p, "option", |sub| match option {
            Some(o) => OptionHead::Known(OptionOut {
                o,
                values: false,
                pick: sub
            }),
            None => OptionHead::Named { pick, sel: sub },
        });
        put!(m, p, "created_at", Ts(v.created_at));
        put!(m, p, "updated_at", Ts(v.updated_at));
        put!(m, p, "deleted_at", NULL);
        m.end()
    }
}

/// A picked value's option: the product's own, or (not among them) its id and name alone.
enum OptionHead<'a> {
    Known(OptionOut<'a>),
    Named {
        pick: &'a VariantOptionValue,
        sel: Pick<'a>,
    },
}

impl Serialize for OptionHead<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            OptionHead::Known(o) => o.serialize(s),
            OptionHead::Named { pick, sel } => {
                let mut m = s.serialize_map(None)?;
                put!(m, sel, "id", Id(ids::OPTION, pick.option_id.0));
                put!(m, sel, "title", pick.option_name);
                m.end()
            }
        }
    }
}

/// A product image.
struct ImageOut<'a> {
    m: &'a ProductMedia,
    product: pimento_core::ids::ProductId,
    pick: Pick<'a>,
}

impl Serialize for ImageOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (i, p) = (self.m, self.pick);
        let mut m = s.serialize_map(None)?;
        put!(m, p, "id", Id(ids::IMAGE, i.id.0));
        put!(m, p, "url", i.asset.public_url.as_ref().or(i.asset.source_url.as_ref()));
        put!(m, p, "metadata", NULL);
        put!(m, p, "rank", i.position);
        put!(m, p, "product_id", Id(ids::PRODUCT, self.product.0));
        put!(m, p, "created_at", Ts(i.asset.created_at));
        put!(m, p, "updated_at", Ts(i.asset.updated_at));
        put!(m, p, "deleted_at", NULL);
        m.end()
    }
}

/// A price's id: the variant's, with the currency (a variant has one price per currency).
fn price_id(v: &Variant, m: &Money) -> String {
    format!("{}_{}", ids::PRICE.show(v.id.0), m.currency.code().to_ascii_lowercase())
}

/// A product, whole.
pub fn product(view: &ProductView, related: &Related) -> Value {
    whole(&ProductOut {
        view,
        related,
        pick: Pick::Whole,
    })
}

/// A product as Medusa writes it, with the fields its pick names.
pub struct ProductOut<'a> {
    pub view: &'a ProductView,
    pub related: &'a Related<'a>,
    pub pick: Pick<'a>,
}

impl Serialize for ProductOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (view, related, p) = (self.view, self.related, self.pick);
        let product = &view.product;
        let (e, d) = (&product.extensions, &product.details);
        let images = view.media.as_deref().unwrap_or_default();
        let mut m = s.serialize_map(None)?;
        put!(m, p, "id", Id(ids::PRODUCT, product.id.0));
        put!(m, p, "title", product.name);
        put!(m, p, "subtitle", d.subtitle);
        put!(m, p, "status", status_name(product.status));
        put!(m, p, "external_id", ext(e, "external_id"));
        put!(m, p, "description", product.description);
        put!(m, p, "handle", product.handle);
        put!(m, p, "is_giftcard", ext_or(e, "is_giftcard", FALSE));
        put!(m, p, "discountable", ext_or(e, "discountable", TRUE));
        put!(m, p, "thumbnail", d.thumbnail);
        put!(
            m,
            p,
            "collection_id",
            product.collection_id.map(|c| Id(ids::COLLECTION, c.0))
        );
        put!(m, p, "type_id", product.type_id.map(|t| Id(ids::TYPE, t.0)));
        put!(m, p, "weight", measure(d.dimensions.weight));
        put!(m, p, "length", measure(d.dimensions.length));
        put!(m, p, "height", measure(d.dimensions.height));
        put!(m, p, "width", measure(d.dimensions.width));
        put!(m, p, "hs_code", ext(e, "hs_code"));
        put!(m, p, "origin_country", ext(e, "origin_country"));
        put!(m, p, "mid_code", ext(e, "mid_code"));
        put!(m, p, "material", ext(e, "material"));
        put!(m, p, "created_at", Ts(product.created_at));
        put!(m, p, "updated_at", Ts(product.updated_at));
        put!(m, p, "deleted_at", product.archived_at.map(Ts));
        put!(m, p, "metadata", product.metadata);
        nest!(m, p, "type", |sub| related.product_type.map(|t| LabelOut {
            kind: ids::TYPE,
            id: t.id.0,
            l: t,
            pick: sub
        }));
        nest!(m, p, "collection", |sub| related
            .collection
            .map(|c| CollectionOut { c, pick: sub }));
        nest!(m, p, "options", |sub| Each(|| related.options.iter().map(move |o| {
            OptionOut {
                o,
                values: true,
                pick: sub,
            }
        })));
        nest!(m, p, "tags", |sub| Each(|| view.tags.iter().flatten().map(move |t| {
            LabelOut {
                kind: ids::TAG,
                id: t.id.0,
                l: t,
                pick: sub,
            }
        })));
        let pid = product.id;
        nest!(m, p, "images", |sub| Each(|| images.iter().map(move |i| ImageOut {
            m: i,
            product: pid,
            pick: sub
        })));
        nest!(m, p, "variants", |sub| Each(|| view.variants.iter().flatten().map(
            move |v| VariantOut {
                v,
                options: related.options,
                images,
                pick: sub,
            }
        )));
        nest!(m, p, "categories", |sub| Each(|| related
            .category
            .into_iter()
            .map(move |c| CategoryOut { c, pick: sub })));
        nest!(m, p, "shipping_profile", |sub| e
            .get(EXT, "shipping_profile_id")
            .map(|id| IdOnly { id, pick: sub }));
        nest!(m, p, "sales_channels", |sub| Each(|| e
            .get(EXT, "sales_channels")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(move |id| IdOnly { id, pick: sub })));
        m.end()
    }
}
