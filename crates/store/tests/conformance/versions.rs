//! Versions: a product's moves with every change to it or what it owns, a variant's with every
//! write of it, and a write that requires a version is refused, writing nothing, when the entity
//! has another; of concurrent writers naming one version exactly one wins.

use super::{product, setup};
use pimento_core::patch::Patch;
use pimento_core::product::{Include, ProductPatch};
use pimento_core::variant::{VariantInput, VariantPatch};
use pimento_core::version::{Precondition, Version};
use pimento_core::{CoreError, Entity};
use pimento_store::StoreError;

fn price(p: &str) -> VariantPatch {
    VariantPatch {
        price: Patch::Set(p.into()),
        ..VariantPatch::default()
    }
}

fn stale(e: StoreError) -> (Entity, Version) {
    match e {
        StoreError::Domain(CoreError::Stale { entity, current }) => (entity, current),
        other => panic!("not stale: {other:?}"),
    }
}

#[tokio::test]
async fn a_products_version_follows_its_own_fields_and_its_variants() {
    let (_db, store, ctx) = setup().await;
    let variant = VariantInput {
        sku: Some("V-1".into()),
        price: Some("1".into()),
        currency: Some("EUR".into()),
        ..VariantInput::default()
    };
    let (view, _) = store.create_product(&ctx, product("P", vec![variant])).await.unwrap();
    let id = view.product.id;
    let v = view.variants.unwrap().remove(0);
    assert_eq!((view.product.version, v.version), (Version(1), Version(1)));
    let version = |store: &pimento_store::Store| {
        let ctx = ctx.clone();
        let store = store.clone();
        async move {
            store
                .get_product(&ctx, id, Include::default())
                .await
                .unwrap()
                .product
                .version
        }
    };

    let renamed = ProductPatch {
        name: Some("Q".into()),
        ..ProductPatch::default()
    };
    store
        .update_product(&ctx, id, None, renamed, Include::default())
        .await
        .unwrap();
    let after_rename = version(&store).await;
    assert!(after_rename > Version(1));

    let changed = store.update_variant(&ctx, id, v.id, None, price("2")).await.unwrap();
    assert_eq!(changed.version, Version(2));
    let after_price = version(&store).await;
    assert!(after_price > after_rename);

    store.create_variant(&ctx, id, VariantInput::default()).await.unwrap();
    assert!(version(&store).await > after_price);
}

#[tokio::test]
async fn a_stale_precondition_writes_nothing() {
    let (_db, store, ctx) = setup().await;
    let variant = VariantInput {
        price: Some("1".into()),
        currency: Some("EUR".into()),
        ..VariantInput::default()
    };
    let (view, _) = store.create_product(&ctx, product("P", vec![variant])).await.unwrap();
    let id = view.product.id;
    let v = view.variants.unwrap().remove(0);
    let old = Precondition::OneOf(vec![Version(1)]);
    let renamed = |name: &str| ProductPatch {
        name: Some(name.into()),
        ..ProductPatch::default()
    };
    let now = store
        .update_product(&ctx, id, Some(&old), renamed("Q"), Include::default())
        .await
        .unwrap()
        .product
        .version;
    let e = store
        .update_product(&ctx, id, Some(&old), renamed("R"), Include::default())
        .await
        .unwrap_err();
    assert_eq!(stale(e), (Entity::Product, now));
    let e = store.delete_product(&ctx, id, Some(&old)).await.unwrap_err();
    assert_eq!(stale(e), (Entity::Product, now));
    let read = store.get_product(&ctx, id, Include::default()).await.unwrap();
    assert_eq!((read.product.name.as_str(), read.product.version), ("Q", now));
    // `*` passes whatever the version; a missing product is not found, not stale.
    store
        .update_product(&ctx, id, Some(&Precondition::Exists), renamed("S"), Include::default())
        .await
        .unwrap();

    store
        .update_variant(&ctx, id, v.id, Some(&old), price("2"))
        .await
        .unwrap();
    let e = store
        .update_variant(&ctx, id, v.id, Some(&old), price("3"))
        .await
        .unwrap_err();
    assert_eq!(stale(e), (Entity::Variant, Version(2)));
    store
        .delete_product(&ctx, id, Some(&Precondition::Exists))
        .await
        .unwrap();
    let e = store
        .delete_product(&ctx, id, Some(&Precondition::Exists))
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Domain(CoreError::NotFound(Entity::Product))),
        "{e:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_writers_naming_one_version_exactly_one_wins() {
    let (_db, store, ctx) = setup().await;
    let (view, _) = store.create_product(&ctx, product("P", vec![])).await.unwrap();
    let id = view.product.id;
    let pre = Precondition::OneOf(vec![view.product.version]);
    let writers = (0..8).map(|i| {
        let (store, ctx, pre) = (store.clone(), ctx.clone(), pre.clone());
        tokio::spawn(async move {
            let patch = ProductPatch {
                name: Some(format!("W{i}")),
                ..ProductPatch::default()
            };
            store
                .update_product(&ctx, id, Some(&pre), patch, Include::default())
                .await
        })
    });
    let results = futures::future::join_all(writers).await;
    let won = results.into_iter().filter(|r| r.as_ref().unwrap().is_ok()).count();
    assert_eq!(won, 1);
}
