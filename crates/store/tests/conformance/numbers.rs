//! Per-organization numbers: increasing, never given twice, each organization on its own.

use super::{product, setup};
use pimento_core::attribute::{AttributeInput, AttributeType};
use pimento_core::numbers::Numbered;
use pimento_core::options::OptionInput;
use pimento_core::product::Include;
use pimento_core::taxonomy::CategoryInput;
use pimento_core::{CoreError, Entity};
use pimento_store::StoreError;
use pimento_store::catalog::{CategoryQuery, ParentFilter};

#[tokio::test]
async fn numbers_grow_and_are_never_given_twice() {
    let (_db, store, ctx) = setup().await;
    let mut numbers = Vec::new();
    for name in ["a", "b", "c"] {
        let (view, _) = store.create_product(&ctx, product(name, vec![])).await.unwrap();
        numbers.push(view.product.number);
    }
    assert_eq!(numbers, [1, 2, 3]);
    let last = store.id_by_number(&ctx, Numbered::Product, 3).await.unwrap();
    store.delete_product(&ctx, last.into(), None).await.unwrap();
    let (view, _) = store.create_product(&ctx, product("d", vec![])).await.unwrap();
    assert_eq!(
        view.product.number, 4,
        "the deleted product's number is not given again"
    );
    let err = store.id_by_number(&ctx, Numbered::Product, 3).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Domain(CoreError::NotFound(Entity::Product))),
        "{err:?}"
    );

    // A refused create does not hand its number to anyone.
    let mut dup = product("e", vec![]);
    dup.handle = Some(view.product.handle.clone());
    assert!(store.create_product(&ctx, dup).await.is_err());
    let (view, _) = store.create_product(&ctx, product("f", vec![])).await.unwrap();
    assert!(view.product.number > 4);

    // Another organization counts on its own, and this one's numbers are not found there.
    let other = store.create_organization("Other").await.unwrap();
    let other = pimento_core::auth::Ctx {
        principal: store.authenticate(&other.secret_key).await.unwrap().unwrap(),
        request_id: None,
    };
    assert!(store.id_by_number(&other, Numbered::Product, 1).await.is_err());
    let (theirs, _) = store.create_product(&other, product("x", vec![])).await.unwrap();
    assert_eq!(theirs.product.number, 1);
    let found = store.id_by_number(&other, Numbered::Product, 1).await.unwrap();
    assert_eq!(found, theirs.product.id.0);
    let mine = store.id_by_number(&ctx, Numbered::Product, 1).await.unwrap();
    assert_ne!(mine, found);
}

#[tokio::test]
async fn concurrent_creates_get_distinct_numbers() {
    let (_db, store, ctx) = setup().await;
    let creates = (0..16).map(|i| {
        let (store, ctx) = (store.clone(), ctx.clone());
        tokio::spawn(async move { store.create_product(&ctx, product(&format!("p{i}"), vec![])).await })
    });
    let mut numbers = Vec::new();
    for c in creates {
        numbers.push(c.await.unwrap().unwrap().0.product.number);
    }
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), 16);
    assert!(numbers.iter().all(|n| (1..=16).contains(n)), "{numbers:?}");
}

#[tokio::test]
async fn taxonomy_is_numbered_per_kind() {
    let (_db, store, ctx) = setup().await;
    let a = store
        .create_category(
            &ctx,
            CategoryInput {
                name: "A".into(),
                slug: None,
                description: None,
                parent_id: None,
            },
        )
        .await
        .unwrap();
    let b = store
        .create_category(
            &ctx,
            CategoryInput {
                name: "B".into(),
                slug: None,
                description: None,
                parent_id: Some(a.id),
            },
        )
        .await
        .unwrap();
    assert_eq!((a.number, b.number), (1, 2));
    // A counted list: by parent, by text in the name or slug, by ids and slugs, offset in.
    let list = |q: CategoryQuery| {
        let (store, ctx) = (store.clone(), ctx.clone());
        async move {
            let page = store.find_categories(&ctx, &q).await.unwrap();
            (page.total, page.items.iter().map(|c| c.id).collect::<Vec<_>>())
        }
    };
    let q = |parent| CategoryQuery {
        parent,
        limit: 10,
        ..CategoryQuery::default()
    };
    assert_eq!(list(q(ParentFilter::Any)).await, (Some(2), vec![a.id, b.id]));
    assert_eq!(list(q(ParentFilter::Root)).await, (Some(1), vec![a.id]));
    assert_eq!(list(q(ParentFilter::Of(a.id))).await, (Some(1), vec![b.id]));
    let text = CategoryQuery {
        q: Some("b".into()),
        ..q(ParentFilter::Any)
    };
    assert_eq!(list(text).await, (Some(1), vec![b.id]));
    let slugs = CategoryQuery {
        slugs: Some(vec![a.slug.clone()]),
        ids: Some(vec![a.id, b.id]),
        ..q(ParentFilter::Any)
    };
    assert_eq!(list(slugs).await, (Some(1), vec![a.id]));
    let paged = CategoryQuery {
        ids: Some(vec![]),
        ..q(ParentFilter::Any)
    };
    assert_eq!(list(paged).await, (Some(0), vec![]));
    let paged = CategoryQuery {
        offset: 1,
        ..q(ParentFilter::Any)
    };
    assert_eq!(list(paged).await, (Some(2), vec![b.id]));
    let attr = store
        .create_attribute(
            &ctx,
            AttributeInput {
                name: "Color".into(),
                key: None,
                attr_type: AttributeType::Select,
                options: vec!["Red".into()],
                group_id: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(attr.number, 1);
    let size = store
        .create_option(
            &ctx,
            OptionInput {
                name: "Size".into(),
                values: vec!["S".into(), "M".into()],
            },
        )
        .await
        .unwrap();
    let color = store
        .create_option(
            &ctx,
            OptionInput {
                name: "Shade".into(),
                values: vec!["Red".into()],
            },
        )
        .await
        .unwrap();
    let numbers: Vec<i64> = size.values.iter().chain(&color.values).map(|v| v.number).collect();
    assert_eq!(numbers, [1, 2, 3], "option values count across options");
    assert_eq!(store.id_by_number(&ctx, Numbered::Category, 2).await.unwrap(), b.id.0);
    assert_eq!(
        store.id_by_number(&ctx, Numbered::OptionValue, 3).await.unwrap(),
        color.values[0].id.0
    );
    let view = store
        .get_product(
            &ctx,
            store
                .create_product(&ctx, product("p", vec![]))
                .await
                .unwrap()
                .0
                .product
                .id,
            Include::default(),
        )
        .await
        .unwrap();
    assert_eq!(view.product.number, 1, "products count apart from taxonomy");
}
