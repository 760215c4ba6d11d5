//! Medusa's request bodies for products and variants, and their translation into the core's
//! inputs. Medusa's own fields go to the `medusa` extension (`view::EXT`).

use super::body::{Flag, invalid, nullable};
use super::ids;
use super::variant_wire::VariantIn;
use super::view::{EXT, status_of};
use crate::error::ApiError;
use pimento_core::details::DetailsPatch;
use pimento_core::extension::ExtensionPatch;
use pimento_core::handle::parse_handle;
use pimento_core::ids::{CategoryId, CollectionId, OptionId, ProductTypeId, TagId};
use pimento_core::media::{MediaAssetInput, MediaInput, MediaSource};
use pimento_core::options::{OptionInput, OwnOption};
use pimento_core::patch::Patch;
use pimento_core::product::{ProductInput, ProductPatch, ProductStatus};
use pimento_core::taxonomy::CategoryRef;
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use utoipa::ToSchema;

/// `{id}` naming a tag, category or sales channel.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdRef {
    pub id: String,
}

/// An image by URL. Images given on update replace the product's, with new ids, as Medusa's
/// do, so an `id` is taken and not needed.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImageIn {
    #[allow(dead_code)]
    pub id: Option<String>,
    pub url: String,
}

/// An option given inline: a new one of the product's own (`title`, `values`), or an existing
/// option of the organization (`id`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionIn {
    pub id: Option<String>,
    pub value_ids: Option<Vec<String>>,
    pub title: Option<String>,
    pub values: Option<Vec<String>>,
    pub ranks: Option<Map<String, Value>>,
    #[schema(value_type = Option<bool>)]
    pub is_exclusive: Option<Flag>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
}

/// A product as Medusa creates it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProduct {
    pub title: String,
    pub subtitle: Option<String>,
    pub description: Option<String>,
    pub handle: Option<String>,
    /// `draft` (the default), `proposed`, `published` or `rejected`.
    pub status: Option<String>,
    #[schema(value_type = Option<bool>)]
    pub is_giftcard: Option<Flag>,
    #[schema(value_type = Option<bool>)]
    pub discountable: Option<Flag>,
    pub thumbnail: Option<String>,
    pub images: Option<Vec<ImageIn>>,
    pub external_id: Option<String>,
    pub type_id: Option<String>,
    pub collection_id: Option<String>,
    pub categories: Option<Vec<IdRef>>,
    pub tags: Option<Vec<IdRef>>,
    pub sales_channels: Option<Vec<IdRef>>,
    pub shipping_profile_id: Option<String>,
    pub options: Option<Vec<OptionIn>>,
    pub variants: Option<Vec<VariantIn>>,
    #[schema(value_type = Option<f64>)]
    pub weight: Option<Number>,
    #[schema(value_type = Option<f64>)]
    pub length: Option<Number>,
    #[schema(value_type = Option<f64>)]
    pub height: Option<Number>,
    #[schema(value_type = Option<f64>)]
    pub width: Option<Number>,
    pub hs_code: Option<String>,
    pub mid_code: Option<String>,
    pub origin_country: Option<String>,
    pub material: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
    /// Medusa hands it to its workflow hooks and keeps nothing; so does this API.
    #[allow(dead_code)]
    #[schema(value_type = Option<Object>)]
    pub additional_data: Option<Value>,
}

/// A partial update of a product as Medusa sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProduct {
    /// The product to change: in a batch's `update` only (the path names it otherwise).
    pub id: Option<String>,
    pub title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub subtitle: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub description: Option<Option<String>>,
    pub handle: Option<String>,
    pub status: Option<String>,
    #[schema(value_type = Option<bool>)]
    pub is_giftcard: Option<Flag>,
    #[schema(value_type = Option<bool>)]
    pub discountable: Option<Flag>,
    #[serde(default, deserialize_with = "nullable")]
    pub thumbnail: Option<Option<String>>,
    pub images: Option<Vec<ImageIn>>,
    #[serde(default, deserialize_with = "nullable")]
    pub external_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub type_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub collection_id: Option<Option<String>>,
    pub categories: Option<Vec<IdRef>>,
    pub tags: Option<Vec<IdRef>>,
    pub sales_channels: Option<Vec<IdRef>>,
    pub shipping_profile_id: Option<String>,
    pub option_ids: Option<Vec<String>>,
    pub variants: Option<Vec<VariantIn>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>)]
    pub weight: Option<Option<Number>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>)]
    pub length: Option<Option<Number>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>)]
    pub height: Option<Option<Number>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>)]
    pub width: Option<Option<Number>>,
    #[serde(default, deserialize_with = "nullable")]
    pub hs_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub mid_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub origin_country: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    pub material: Option<Option<String>>,
    /// Merged key by key; a key set to `""` is removed; `null` clears all.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Option<Value>>,
    /// Medusa hands it to its workflow hooks and keeps nothing; so does this API.
    #[allow(dead_code)]
    #[schema(value_type = Option<Object>)]
    pub additional_data: Option<Value>,
    /// Refused, as Medusa 2.16 and later refuse it.
    #[schema(value_type = Option<Vec<Object>>)]
    pub options: Option<Value>,
}

/// The id of a kind, or a 404 naming it as Medusa does.
fn id_of<T: From<uuid::Uuid>>(kind: ids::Kind, raw: &str, relation: &str) -> Result<T, ApiError> {
    kind.read(raw).map(T::from).ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::NOT_FOUND,
            "not_found",
            format!("You tried to set relationship {relation}: {raw}, but such entity does not exist"),
        )
    })
}

fn status(raw: &str) -> Result<ProductStatus, ApiError> {
    status_of(raw).ok_or_else(|| {
        invalid(format!(
            "Expected: 'draft, proposed, published, rejected' for field 'status', but got: '{raw}'"
        ))
    })
}

/// A measure (weight, length, …) as the core keeps it.
fn measure(n: &Number) -> Option<f64> {
    n.as_f64()
}

/// Medusa's product fields kept in the extension, from a create.
fn product_extension(c: &CreateProduct) -> Option<ExtensionPatch> {
    let mut fields = Map::new();
    for (key, v) in [
        ("external_id", &c.external_id),
        ("hs_code", &c.hs_code),
        ("mid_code", &c.mid_code),
        ("origin_country", &c.origin_country),
        ("material", &c.material),
        ("shipping_profile_id", &c.shipping_profile_id),
    ] {
        if let Some(v) = v {
            fields.insert(key.into(), Value::String(v.clone()));
        }
    }
    if let Some(b) = c.is_giftcard {
        fields.insert("is_giftcard".into(), Value::Bool(b.0));
    }
    if let Some(b) = c.discountable {
        fields.insert("discountable".into(), Value::Bool(b.0));
    }
    if let Some(list) = c.sales_channels.as_deref().filter(|l| !l.is_empty()) {
        fields.insert("sales_channels".into(), channels(list));
    }
    (!fields.is_empty()).then(|| ExtensionPatch {
        owner: EXT.into(),
        fields,
    })
}

fn images(list: &[ImageIn]) -> Vec<MediaInput> {
    list.iter()
        .enumerate()
        .map(|(i, img)| MediaInput {
            source: MediaSource::New(MediaAssetInput {
                public_url: Some(img.url.clone()),
                ..MediaAssetInput::default()
            }),
            position: Some(i as i64),
            purpose: None,
            variant_id: None,
        })
        .collect()
}

fn one_category(list: &[IdRef]) -> Result<Patch<CategoryRef>, ApiError> {
    match list {
        [] => Ok(Patch::Clear),
        [c] => Ok(Patch::Set(CategoryRef::Id(id_of::<CategoryId>(
            ids::CATEGORY,
            &c.id,
            "product_category_id",
        )?))),
        _ => Err(invalid(
            "A product is filed in at most one category here: give 'categories' one entry",
        )),
    }
}

fn tag_ids(list: &[IdRef]) -> Result<Vec<TagId>, ApiError> {
    list.iter()
        .map(|t| {
            ids::TAG.read(&t.id).map(TagId).ok_or_else(|| {
                invalid(format!(
                    "Tag with id {} not found. Please create the tag before associating it with the product.",
                    t.id
                ))
            })
        })
        .collect()
}

/// Sales channels are not modelled: the ids a product is given are kept as Medusa's own field
/// and shown back (`[{id}]`), nothing more.
fn channels(list: &[IdRef]) -> Value {
    Value::Array(list.iter().map(|c| Value::String(c.id.clone())).collect())
}

impl CreateProduct {
    /// The core's product input. Inline options become options of the product's own;
    /// options given by `id` are the organization's.
    pub fn into_input(self) -> Result<ProductInput, ApiError> {
        let given = self.options.clone().unwrap_or_default();
        if given.is_empty() {
            return Err(invalid_plain(format!(
                "Product options are not provided for: [{}].",
                self.title
            )));
        }
        let mut own = Vec::new();
        let mut shared = Vec::new();
        let mut titles: Vec<(OptionId, String)> = Vec::new();
        for (i, o) in given.into_iter().enumerate() {
            match (o.id, o.title) {
                (Some(id), _) => {
                    if o.value_ids.as_ref().is_some_and(|v| !v.is_empty()) {
                        return Err(invalid(format!(
                            "Field 'options, {i}, value_ids': an option is linked with all its values here"
                        )));
                    }
                    let id = ids::OPTION
                        .read(&id)
                        .map(OptionId)
                        .ok_or_else(|| invalid(format!("Product option with id {id} not found")))?;
                    shared.push(id);
                }
                (None, Some(title)) => {
                    if o.metadata.as_ref().is_some_and(|m| !m.is_null()) {
                        return Err(invalid(format!(
                            "Field 'options, {i}, metadata': options carry no metadata here"
                        )));
                    }
                    if o.is_exclusive.is_some_and(|f| !f.0) {
                        return Err(invalid(format!(
                            "Field 'options, {i}, is_exclusive': an option made with a product is the product's own; link a shared option by id"
                        )));
                    }
                    let mut values = o.values.unwrap_or_default();
                    if let Some(ranks) = &o.ranks {
                        // Values in the order of their ranks; unranked ones after, as given.
                        let rank = |v: &String| ranks.get(v).and_then(Value::as_f64).unwrap_or(f64::MAX);
                        values.sort_by(|a, b| rank(a).total_cmp(&rank(b)));
                    }
                    let id = OptionId::generate();
                    titles.push((id, title.clone()));
                    own.push(OwnOption {
                        id,
                        input: OptionInput { name: title, values },
                    });
                }
                (None, None) => return Err(invalid(format!("Field 'options, {i}, title' is required"))),
            }
        }
        let variants = self
            .variants
            .clone()
            .unwrap_or_default()
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                if v.title.is_none() {
                    return Err(invalid(format!("Field 'variants, {i}, title' is required")));
                }
                if v.prices.is_none() {
                    return Err(invalid(format!("Field 'variants, {i}, prices' is required")));
                }
                v.into_input(&titles, i)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let status = match self.status.as_deref() {
            None => ProductStatus::Draft,
            Some(s) => status(s)?,
        };
        let extension = product_extension(&self);
        let images = images(self.images.as_deref().unwrap_or_default());
        let thumbnail = self
            .thumbnail
            .clone()
            .or_else(|| self.images.as_ref().and_then(|i| i.first()).map(|i| i.url.clone()));
        // Medusa derives the handle from the title and refuses one that is taken; a derived
        // handle the catalog cannot keep (letters beyond ASCII) is left to the core to derive.
        let handle = self
            .handle
            .or_else(|| Some(to_handle(&self.title)).filter(|h| parse_handle("handle", h).is_ok()));
        let mut input = ProductInput {
            name: self.title,
            handle,
            description: self.description,
            status,
            metadata: self.metadata,
            option_ids: shared,
            own_options: own,
            variants,
            media: images,
            extension,
            details: DetailsPatch {
                subtitle: self.subtitle.map_or(Patch::Keep, Patch::Set),
                thumbnail: thumbnail.map_or(Patch::Keep, Patch::Set),
                weight: self.weight.as_ref().and_then(measure).map_or(Patch::Keep, Patch::Set),
                length: self.length.as_ref().and_then(measure).map_or(Patch::Keep, Patch::Set),
                height: self.height.as_ref().and_then(measure).map_or(Patch::Keep, Patch::Set),
                width: self.width.as_ref().and_then(measure).map_or(Patch::Keep, Patch::Set),
                ..DetailsPatch::default()
            },
            ..ProductInput::default()
        };
        let c = &mut input.classification;
        if let Some(t) = &self.type_id {
            c.type_id = Patch::Set(id_of::<ProductTypeId>(ids::TYPE, t, "type_id")?);
        }
        if let Some(col) = &self.collection_id {
            c.collection_id = Patch::Set(id_of::<CollectionId>(ids::COLLECTION, col, "collection_id")?);
        }
        if let Some(cats) = &self.categories {
            c.category = match one_category(cats)? {
                Patch::Clear => Patch::Keep,
                other => other,
            };
        }
        if let Some(tags) = &self.tags {
            c.tags = Some(tag_ids(tags)?);
        }
        Ok(input)
    }
}

/// Medusa's handle of a title: lower case, `ß` as `ss`, anything but letters, digits, spaces,
/// `_` and `-` dropped, runs of spaces and `_` as one `-`, no `-` at either end.
pub fn to_handle(title: &str) -> String {
    let lower = title.to_lowercase().replace('ß', "ss");
    let kept: String = lower
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace() || *c == '_' || *c == '-')
        .map(|c| if c.is_whitespace() || c == '_' { '-' } else { c })
        .collect();
    let mut out = String::with_capacity(kept.len());
    for c in kept.chars() {
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_matches('-').to_owned()
}

/// A 400 `invalid_data` whose message is Medusa's own, not its validator's.
pub fn invalid_plain(message: String) -> ApiError {
    ApiError::new(axum::http::StatusCode::BAD_REQUEST, "invalid_field", message)
}

/// What an update changes besides the product's own fields.
pub struct UpdateParts {
    pub patch: ProductPatch,
    /// The new set of images, when given.
    pub images: Option<Vec<MediaInput>>,
    /// Inline variant changes and additions.
    pub variants: Option<Vec<VariantIn>>,
    /// The new set of the organization's options linked, when given.
    pub option_ids: Option<Vec<OptionId>>,
}

impl UpdateProduct {
    /// Refuses what no product could take: `options` (gone since Medusa 2.16).
    pub fn check(&self) -> Result<(), ApiError> {
        if self.options.is_some() {
            return Err(invalid(
                "The 'options' property was removed in version 2.16.0. Please remove it from your request payload.",
            ));
        }
        Ok(())
    }

    /// The core's patch, with `metadata` merged into `current` the Medusa way.
    pub fn into_parts(self, current_metadata: Option<&Value>) -> Result<UpdateParts, ApiError> {
        self.check()?;
        let text = |v: Option<Option<String>>| match v {
            None => Patch::Keep,
            Some(None) => Patch::Clear,
            Some(Some(s)) => Patch::Set(s),
        };
        let num = |v: &Option<Option<Number>>| match v {
            None => Patch::Keep,
            Some(None) => Patch::Clear,
            Some(Some(n)) => measure(n).map_or(Patch::Clear, Patch::Set),
        };
        let mut fields = Map::new();
        for (key, v) in [
            ("external_id", &self.external_id),
            ("hs_code", &self.hs_code),
            ("mid_code", &self.mid_code),
            ("origin_country", &self.origin_country),
            ("material", &self.material),
        ] {
            if let Some(v) = v {
                fields.insert(key.into(), v.clone().map_or(Value::Null, Value::String));
            }
        }
        if let Some(s) = &self.shipping_profile_id {
            fields.insert("shipping_profile_id".into(), Value::String(s.clone()));
        }
        if let Some(b) = self.is_giftcard {
            fields.insert("is_giftcard".into(), Value::Bool(b.0));
        }
        if let Some(b) = self.discountable {
            fields.insert("discountable".into(), Value::Bool(b.0));
        }
        if let Some(list) = &self.sales_channels {
            // An empty list removes the field.
            let v = if list.is_empty() { Value::Null } else { channels(list) };
            fields.insert("sales_channels".into(), v);
        }
        let metadata = match self.metadata {
            None => Patch::Keep,
            Some(None) => Patch::Clear,
            Some(Some(Value::Object(changes))) => {
                let mut merged = current_metadata.and_then(Value::as_object).cloned().unwrap_or_default();
                for (k, v) in changes {
                    if v == Value::String(String::new()) {
                        merged.remove(&k);
                    } else {
                        merged.insert(k, v);
                    }
                }
                Patch::Set(Value::Object(merged))
            }
            Some(Some(other)) => {
                return Err(invalid(format!(
                    "Expected type: 'object' for field 'metadata', got: '{other}'"
                )));
            }
        };
        let mut patch = ProductPatch {
            name: self.title,
            handle: self.handle,
            description: text(self.description),
            status: self.status.as_deref().map(status).transpose()?,
            metadata,
            details: DetailsPatch {
                subtitle: text(self.subtitle),
                thumbnail: text(self.thumbnail),
                weight: num(&self.weight),
                length: num(&self.length),
                height: num(&self.height),
                width: num(&self.width),
                ..DetailsPatch::default()
            },
            extensions: if fields.is_empty() {
                Vec::new()
            } else {
                vec![ExtensionPatch {
                    owner: EXT.into(),
                    fields,
                }]
            },
            ..ProductPatch::default()
        };
        let c = &mut patch.classification;
        match &self.type_id {
            None => {}
            Some(None) => c.type_id = Patch::Clear,
            Some(Some(t)) => c.type_id = Patch::Set(id_of(ids::TYPE, t, "type_id")?),
        }
        match &self.collection_id {
            None => {}
            Some(None) => c.collection_id = Patch::Clear,
            Some(Some(col)) => c.collection_id = Patch::Set(id_of(ids::COLLECTION, col, "collection_id")?),
        }
        if let Some(cats) = &self.categories {
            c.category = one_category(cats)?;
        }
        if let Some(tags) = &self.tags {
            c.tags = Some(tag_ids(tags)?);
        }
        let option_ids = self
            .option_ids
            .map(|list| {
                list.iter()
                    .map(|o| {
                        ids::OPTION
                            .read(o)
                            .map(OptionId)
                            .ok_or_else(|| invalid(format!("Product option with id {o} not found")))
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        Ok(UpdateParts {
            patch,
            images: self.images.as_deref().map(images),
            variants: self.variants,
            option_ids,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::to_handle;

    #[test]
    fn handles_are_derived_as_medusa_derives_them() {
        assert_eq!(
            to_handle("Basic Tee: V2 (Limited) Édition"),
            "basic-tee-v2-limited-édition"
        );
        assert_eq!(to_handle("  Große  Straße_x "), "grosse-strasse-x");
        assert_eq!(to_handle("Red Cotton Shirt"), "red-cotton-shirt");
    }
}
