//! Vendors, collections, product types, tags, a product's details and an API's own fields:
//! written, read back, changed, audited and removed alike on both databases.

use super::{product, setup};
use pimento_core::collection::{CollectionInput, CollectionPatch};
use pimento_core::details::DetailsPatch;
use pimento_core::extension::ExtensionPatch;
use pimento_core::ids::{ProductTypeId, TagId};
use pimento_core::label::{LabelInput, LabelPatch};
use pimento_core::patch::Patch;
use pimento_core::product::{Classification, Include, ProductPatch};
use pimento_core::vendor::{VendorInput, VendorPatch, VendorStatus};
use pimento_core::{CoreError, Entity};
use pimento_store::StoreError;
use pimento_store::catalog::GroupingQuery;
use serde_json::json;

const ALL: Include = Include {
    variants: true,
    media: true,
    tags: true,
};

fn label(value: &str) -> LabelInput {
    LabelInput {
        value: value.into(),
        metadata: None,
    }
}

fn field(e: &StoreError) -> Option<String> {
    match e {
        StoreError::Domain(d) => d.field().map(ToString::to_string),
        _ => None,
    }
}

#[tokio::test]
async fn a_product_carries_its_vendor_grouping_details_and_extensions() {
    let (_db, store, ctx) = setup().await;
    let vendor = store
        .create_vendor(
            &ctx,
            VendorInput {
                name: "Acme Outfitters".into(),
                email: Some("sales@acme.example".into()),
                ..VendorInput::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(vendor.number, 1);
    let collection = store
        .create_collection(
            &ctx,
            CollectionInput {
                title: "Summer Sale".into(),
                ..CollectionInput::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(collection.handle, "summer-sale");
    let shirt = store.create_label::<ProductTypeId>(&ctx, label("Shirt")).await.unwrap();
    let (red, new) = (
        store.create_label::<TagId>(&ctx, label("red")).await.unwrap(),
        store.create_label::<TagId>(&ctx, label("new")).await.unwrap(),
    );

    let mut input = product("Linen Shirt", vec![]);
    input.classification = Classification {
        vendor_id: Patch::Set(vendor.id),
        collection_id: Patch::Set(collection.id),
        type_id: Patch::Set(shirt.id),
        tags: Some(vec![red.id, new.id]),
        ..Classification::default()
    };
    input.details = DetailsPatch {
        subtitle: Patch::Set("Breathes".into()),
        short_description: Patch::Set("Light linen".into()),
        thumbnail: Patch::Set("https://cdn.example.com/t.jpg".into()),
        seo_name: Patch::Set("linen-shirt".into()),
        page_title: Patch::Set("Linen Shirt | Acme".into()),
        meta_description: Patch::Set("A shirt".into()),
        meta_keywords: Patch::Set("linen, summer".into()),
        weight: Patch::Set(0.25),
        length: Patch::Set(30.0),
        width: Patch::Set(20.0),
        height: Patch::Set(2.5),
    };
    input.extension = Some(ExtensionPatch {
        owner: "cscart".into(),
        fields: json!({"age_limit": "18"}).as_object().unwrap().clone(),
    });
    let (view, _) = store.create_product(&ctx, input).await.unwrap();
    let p = &view.product;
    assert_eq!(
        (p.vendor_id, p.collection_id, p.type_id),
        (Some(vendor.id), Some(collection.id), Some(shirt.id))
    );
    assert_eq!(p.details.dimensions.height, Some(2.5));
    assert_eq!(p.details.seo.meta_keywords.as_deref(), Some("linen, summer"));
    assert_eq!(p.extensions.get("cscart", "age_limit"), Some(&json!("18")));
    let tags: Vec<_> = view.tags.iter().flatten().map(|t| t.value.clone()).collect();
    assert_eq!(tags, ["red", "new"]);

    // An update clears a detail, merges the extension and replaces the tags, all audited.
    let patch = ProductPatch {
        details: DetailsPatch {
            subtitle: Patch::Clear,
            weight: Patch::Set(0.3),
            ..DetailsPatch::default()
        },
        extensions: vec![ExtensionPatch {
            owner: "cscart".into(),
            fields: json!({"min_qty": "2"}).as_object().unwrap().clone(),
        }],
        classification: Classification {
            tags: Some(vec![new.id]),
            collection_id: Patch::Clear,
            ..Classification::default()
        },
        ..ProductPatch::default()
    };
    let view = store.update_product(&ctx, p.id, None, patch, ALL).await.unwrap();
    let p = &view.product;
    assert_eq!(p.details.subtitle, None);
    assert_eq!(p.details.dimensions.weight, Some(0.3));
    assert_eq!(p.details.short_description.as_deref(), Some("Light linen"));
    assert_eq!(
        p.extensions.to_json(),
        Some(json!({"cscart": {"age_limit": "18", "min_qty": "2"}}))
    );
    assert_eq!(p.collection_id, None);
    assert_eq!(view.tags.as_ref().map(|t| t.len()), Some(1));

    // Unknown references are refused, naming the field.
    let mut bad = product("Bad", vec![]);
    bad.classification.tags = Some(vec![new.id, TagId::generate()]);
    let e = store.create_product(&ctx, bad).await.unwrap_err();
    assert_eq!(field(&e).as_deref(), Some("tags[1]"));
    let mut bad = product("Bad", vec![]);
    bad.classification.vendor_id = Patch::Set(pimento_core::ids::VendorId::generate());
    assert_eq!(
        field(&store.create_product(&ctx, bad).await.unwrap_err()).as_deref(),
        Some("vendor_id")
    );
    let mut bad = product("Bad", vec![]);
    bad.details.weight = Patch::Set(-1.0);
    assert_eq!(
        field(&store.create_product(&ctx, bad).await.unwrap_err()).as_deref(),
        Some("weight")
    );

    // A vendor that owns products stays; a tag or type goes and its products lose it.
    let e = store.delete_vendor(&ctx, vendor.id, None).await.unwrap_err();
    assert!(matches!(e, StoreError::Domain(CoreError::Conflict { .. })), "{e:?}");
    store.delete_label(&ctx, new.id, None).await.unwrap();
    store.delete_label(&ctx, shirt.id, None).await.unwrap();
    let view = store.get_product(&ctx, p.id, ALL).await.unwrap();
    assert_eq!(view.tags, Some(vec![]));
    assert_eq!(view.product.type_id, None);
    assert!(view.product.updated_at > p.updated_at);
}

#[tokio::test]
async fn groupings_list_change_and_stay_in_their_organization() {
    let (_db, store, ctx) = setup().await;
    for v in ["Red", "Blue", "Dark red"] {
        store.create_label::<TagId>(&ctx, label(v)).await.unwrap();
    }
    let dup = store.create_label::<TagId>(&ctx, label("Red")).await.unwrap_err();
    assert_eq!(field(&dup).as_deref(), Some("value"));
    let q = GroupingQuery {
        q: Some("RED".into()),
        limit: 1,
        offset: 0,
        ..GroupingQuery::default()
    };
    let page = store.list_labels::<TagId>(&ctx, &q).await.unwrap();
    assert_eq!((page.items.len(), page.total), (1, Some(2)));
    let page = store
        .list_labels::<TagId>(&ctx, &GroupingQuery { offset: 1, ..q })
        .await
        .unwrap();
    assert_eq!(page.items[0].value, "Dark red");
    let dark = page.items[0].id;
    // Exact values and ids narrow the list; an empty list selects nothing.
    let exact = GroupingQuery {
        values: Some(vec!["Red".into(), "Blue".into()]),
        limit: 10,
        ..GroupingQuery::default()
    };
    assert_eq!(store.list_labels::<TagId>(&ctx, &exact).await.unwrap().total, Some(2));
    let by_id = GroupingQuery {
        ids: Some(vec![dark.0]),
        ..exact.clone()
    };
    assert_eq!(store.list_labels::<TagId>(&ctx, &by_id).await.unwrap().total, Some(0));
    let by_id = GroupingQuery { values: None, ..by_id };
    assert_eq!(
        store.list_labels::<TagId>(&ctx, &by_id).await.unwrap().items[0].id,
        dark
    );
    let none = GroupingQuery {
        ids: Some(vec![]),
        ..by_id
    };
    assert_eq!(store.list_labels::<TagId>(&ctx, &none).await.unwrap().total, Some(0));
    let handles = GroupingQuery {
        handles: Some(vec!["x".into()]),
        limit: 10,
        ..GroupingQuery::default()
    };
    let e = store.list_labels::<TagId>(&ctx, &handles).await.unwrap_err();
    assert_eq!(field(&e).as_deref(), Some("handle"), "tags have no handle");
    assert_eq!(store.list_collections(&ctx, &handles).await.unwrap().total, Some(0));
    let renamed = store
        .update_label(
            &ctx,
            dark,
            None,
            LabelPatch {
                value: Some("Crimson".into()),
                ..LabelPatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.value, "Crimson");

    let c = store
        .create_collection(
            &ctx,
            CollectionInput {
                title: "Winter".into(),
                handle: Some("winter-26".into()),
                metadata: None,
            },
        )
        .await
        .unwrap();
    let c = store
        .update_collection(
            &ctx,
            c.id,
            None,
            CollectionPatch {
                title: Some("Winter 2026".into()),
                ..CollectionPatch::default()
            },
        )
        .await
        .unwrap();
    assert_eq!((c.title.as_str(), c.handle.as_str()), ("Winter 2026", "winter-26"));
    let by_handle = GroupingQuery {
        handles: Some(vec!["winter-26".into()]),
        values: Some(vec!["Winter 2026".into()]),
        limit: 10,
        ..GroupingQuery::default()
    };
    let page = store.list_collections(&ctx, &by_handle).await.unwrap();
    assert_eq!((page.total, page.items[0].id), (Some(1), c.id));
    let v = store
        .create_vendor(
            &ctx,
            VendorInput {
                name: "V".into(),
                ..VendorInput::default()
            },
        )
        .await
        .unwrap();
    let v = store
        .update_vendor(
            &ctx,
            v.id,
            VendorPatch {
                status: Some(VendorStatus::Disabled),
                email: Patch::Set("not an e-mail".into()),
                ..VendorPatch::default()
            },
        )
        .await
        .map(|_| ())
        .unwrap_err();
    assert_eq!(field(&v).as_deref(), Some("email"));

    // Another organization sees none of it.
    let other = store.create_organization("Other").await.unwrap();
    let other = pimento_core::auth::Ctx {
        principal: store.authenticate(&other.secret_key).await.unwrap().unwrap(),
        request_id: None,
    };
    let theirs = store
        .list_labels::<TagId>(
            &other,
            &GroupingQuery {
                limit: 10,
                ..GroupingQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(theirs.total, Some(0));
    let e = store.get_collection(&other, c.id).await.unwrap_err();
    assert!(
        matches!(e, StoreError::Domain(CoreError::NotFound(Entity::Collection))),
        "{e:?}"
    );
    let mut stolen = product("Stolen", vec![]);
    stolen.classification.collection_id = Patch::Set(c.id);
    assert_eq!(
        field(&store.create_product(&other, stolen).await.unwrap_err()).as_deref(),
        Some("collection_id")
    );
}

#[tokio::test]
async fn variants_keep_a_list_price_other_currencies_and_extensions() {
    use pimento_core::variant::{PriceInput, VariantInput, VariantPatch};
    let (_db, store, ctx) = setup().await;
    let eur = |amount: &str| PriceInput {
        amount: amount.into(),
        currency: "EUR".into(),
    };
    let v = VariantInput {
        sku: Some("TEE-1".into()),
        price: Some("20".into()),
        currency: Some("USD".into()),
        list_price: Some("25".into()),
        prices: vec![eur("18.50")],
        extension: Some(ExtensionPatch {
            owner: "medusa".into(),
            fields: json!({"hs_code": "6109"}).as_object().unwrap().clone(),
        }),
        ..VariantInput::default()
    };
    let (view, _) = store.create_product(&ctx, product("Tee", vec![v])).await.unwrap();
    let v = &view.variants.as_ref().unwrap()[0];
    assert_eq!(v.list_price.map(|m| m.to_decimal_string()).as_deref(), Some("25.00"));
    assert_eq!(
        v.prices
            .iter()
            .map(|m| (m.currency.code().to_owned(), m.minor))
            .collect::<Vec<_>>(),
        [("EUR".to_owned(), 1850)]
    );
    assert_eq!(v.extensions.get("medusa", "hs_code"), Some(&json!("6109")));

    let patch = VariantPatch {
        list_price: Patch::Set("30".into()),
        prices: Some(vec![
            eur("19"),
            PriceInput {
                amount: "3000".into(),
                currency: "JPY".into(),
            },
        ]),
        ..VariantPatch::default()
    };
    let after = store
        .update_variant(&ctx, view.product.id, v.id, None, patch)
        .await
        .unwrap();
    assert_eq!(after.list_price.map(|m| m.minor), Some(3000));
    assert_eq!(after.prices.len(), 2);
    assert_eq!(after.extensions.get("medusa", "hs_code"), Some(&json!("6109")), "kept");

    // The price moving to a currency the list price is not in, or one of the other prices
    // is in, is refused, naming the field.
    let to_eur = VariantPatch {
        price: Patch::Set("21".into()),
        currency: Some("EUR".into()),
        ..VariantPatch::default()
    };
    let e = store
        .update_variant(&ctx, view.product.id, v.id, None, to_eur)
        .await
        .unwrap_err();
    assert_eq!(field(&e).as_deref(), Some("list_price"));
    let to_eur = VariantPatch {
        price: Patch::Set("21".into()),
        currency: Some("EUR".into()),
        list_price: Patch::Clear,
        ..VariantPatch::default()
    };
    let e = store
        .update_variant(&ctx, view.product.id, v.id, None, to_eur)
        .await
        .unwrap_err();
    assert_eq!(field(&e).as_deref(), Some("prices[0].currency"));
    let read = store.get_product(&ctx, view.product.id, ALL).await.unwrap();
    assert_eq!(read.variants.unwrap()[0], after, "a refused update changes nothing");
}
