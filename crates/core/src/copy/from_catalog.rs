//! Records made from the catalog's own types, as an export writes them.

use super::*;

fn extensions(x: &Extensions) -> Map<String, Value> {
    x.0.clone()
}

impl From<&AttributeGroup> for GroupRecord {
    fn from(g: &AttributeGroup) -> Self {
        GroupRecord {
            id: g.id,
            name: g.name.clone(),
            description: g.description.clone(),
            rank: g.rank,
            created_at: Some(g.created_at),
            updated_at: Some(g.updated_at),
            version: Some(g.version.0),
        }
    }
}

impl From<&Attribute> for AttributeRecord {
    fn from(a: &Attribute) -> Self {
        AttributeRecord {
            id: a.id,
            key: a.key.clone(),
            name: a.name.clone(),
            attr_type: a.attr_type.as_str().to_owned(),
            options: a.options.clone(),
            group: a.group_id,
            extensions: extensions(&a.extensions),
            number: Some(a.number),
            created_at: Some(a.created_at),
            updated_at: Some(a.updated_at),
            version: Some(a.version.0),
        }
    }
}

impl From<&Template> for TemplateRecord {
    fn from(t: &Template) -> Self {
        TemplateRecord {
            id: t.id,
            name: t.name.clone(),
            description: t.description.clone(),
            attributes: t
                .attributes
                .iter()
                .map(|a| TemplateAttributeRecord {
                    attribute: a.attribute.id,
                    required: a.required,
                })
                .collect(),
            created_at: Some(t.created_at),
            updated_at: Some(t.updated_at),
            version: Some(t.version.0),
        }
    }
}

impl From<&Category> for CategoryRecord {
    fn from(c: &Category) -> Self {
        CategoryRecord {
            id: c.id,
            parent: c.parent_id,
            name: c.name.clone(),
            slug: c.slug.clone(),
            description: c.description.clone(),
            extensions: extensions(&c.extensions),
            number: Some(c.number),
            created_at: Some(c.created_at),
            updated_at: Some(c.updated_at),
            version: Some(c.version.0),
        }
    }
}

impl From<&Brand> for BrandRecord {
    fn from(b: &Brand) -> Self {
        BrandRecord {
            id: b.id,
            name: b.name.clone(),
            description: b.description.clone(),
            logo_url: b.logo_url.clone(),
            created_at: Some(b.created_at),
            updated_at: Some(b.updated_at),
            version: Some(b.version.0),
        }
    }
}

impl From<&Vendor> for VendorRecord {
    fn from(v: &Vendor) -> Self {
        VendorRecord {
            id: v.id,
            name: v.name.clone(),
            email: v.email.clone(),
            description: v.description.clone(),
            status: v.status.as_str().to_owned(),
            metadata: v.metadata.clone(),
            extensions: extensions(&v.extensions),
            number: Some(v.number),
            created_at: Some(v.created_at),
            updated_at: Some(v.updated_at),
            version: Some(v.version.0),
        }
    }
}

impl From<&Collection> for CollectionRecord {
    fn from(c: &Collection) -> Self {
        CollectionRecord {
            id: c.id,
            title: c.title.clone(),
            handle: c.handle.clone(),
            metadata: c.metadata.clone(),
            created_at: Some(c.created_at),
            updated_at: Some(c.updated_at),
            version: Some(c.version.0),
        }
    }
}

impl LabelRecord {
    /// A type's or tag's record.
    pub fn of<Id>(id: uuid::Uuid, l: &Label<Id>) -> Self {
        LabelRecord {
            id,
            value: l.value.clone(),
            metadata: l.metadata.clone(),
            created_at: Some(l.created_at),
            updated_at: Some(l.updated_at),
            version: Some(l.version.0),
        }
    }
}

impl From<&VariantOption> for OptionRecord {
    fn from(o: &VariantOption) -> Self {
        OptionRecord {
            id: o.id,
            name: o.name.clone(),
            values: o.values.iter().map(|v| v.value.clone()).collect(),
            created_at: Some(o.created_at),
            updated_at: Some(o.updated_at),
            version: Some(o.version.0),
        }
    }
}

impl ProductRecord {
    /// A product read with its variants, media and tags, and the options assigned to it in
    /// order.
    pub fn from_view(view: &ProductView, options: &[VariantOption]) -> Self {
        let p = &view.product;
        let variants = view.variants.as_deref().unwrap_or_default();
        let place = |id: VariantId| variants.iter().position(|v| v.id == id);
        let option_records: Vec<ProductOptionRecord> = options
            .iter()
            .map(|o| {
                let own = o.product_id.is_some();
                ProductOptionRecord {
                    id: o.id,
                    name: o.name.clone(),
                    own,
                    values: if own {
                        o.values.iter().map(|v| v.value.clone()).collect()
                    } else {
                        Vec::new()
                    },
                    created_at: own.then_some(o.created_at),
                    updated_at: own.then_some(o.updated_at),
                    version: own.then_some(o.version.0),
                }
            })
            .collect();
        let media: &[ProductMedia] = view.media.as_deref().unwrap_or_default();
        ProductRecord {
            id: p.id,
            number: Some(p.number),
            handle: p.handle.clone(),
            name: p.name.clone(),
            url: p.url.clone(),
            description: p.description.clone(),
            status: p.status.as_str().to_owned(),
            archived_at: p.archived_at,
            metadata: p.metadata.clone(),
            category: p.category_id,
            brand: p.brand_id,
            template: p.template_id,
            vendor: p.vendor_id,
            collection: p.collection_id,
            product_type: p.type_id,
            tags: view.tags.iter().flatten().map(|t| t.id).collect(),
            attributes: p.attributes.clone().unwrap_or_default(),
            details: DetailsRecord::from(&p.details),
            extensions: extensions(&p.extensions),
            sync: view.sync.as_ref().map(SyncRecord::from),
            variants: variants
                .iter()
                .map(|v| VariantRecord {
                    id: v.id,
                    title: v.title.clone(),
                    sku: v.sku.clone(),
                    barcode: v.barcode.clone(),
                    price: v.price.as_ref().map(PriceRecord::from),
                    list_price: v.list_price.as_ref().map(Money::to_decimal_string),
                    prices: v.prices.iter().map(PriceRecord::from).collect(),
                    inventory_quantity: v.inventory_quantity,
                    metadata: v.metadata.clone(),
                    options: v
                        .options
                        .iter()
                        .filter_map(|s| {
                            let option = options.iter().position(|o| o.id == s.option_id)?;
                            Some(SelectionRecord {
                                option,
                                value: s.value.clone(),
                            })
                        })
                        .collect(),
                    sync: v.sync.as_ref().map(SyncRecord::from),
                    extensions: extensions(&v.extensions),
                    created_at: Some(v.created_at),
                    updated_at: Some(v.updated_at),
                    version: Some(v.version.0),
                })
                .collect(),
            options: option_records,
            default_variant: p.default_variant_id.and_then(place),
            media: media
                .iter()
                .map(|m| MediaRecord {
                    asset: AssetRecord {
                        id: m.asset.id,
                        name: m.asset.name.clone(),
                        alt_text: m.asset.alt_text.clone(),
                        description: m.asset.description.clone(),
                        public_url: m.asset.public_url.clone(),
                        source_url: m.asset.source_url.clone(),
                        thumbnail_url: m.asset.thumbnail_url.clone(),
                        upload_url: m.asset.upload_url.clone(),
                        created_at: Some(m.asset.created_at),
                        updated_at: Some(m.asset.updated_at),
                    },
                    position: m.position,
                    purpose: m.purpose.clone(),
                    variant: m.variant_id.and_then(place),
                })
                .collect(),
            created_at: Some(p.created_at),
            updated_at: Some(p.updated_at),
            version: Some(p.version.0),
        }
    }
}
