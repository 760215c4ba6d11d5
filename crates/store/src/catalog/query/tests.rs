//! The product query's ways of reading a search give the same pages.

use super::*;
use crate::Store;
use crate::catalog::create::tests::setup;
use pimento_core::product::ProductInput;

/// A search read from the index and one checked row by row give the same pages.
#[tokio::test(flavor = "current_thread")]
async fn a_search_gives_the_same_pages_whichever_way_it_is_read() {
    let (db, ctx) = setup().await;
    let store = Store::new(db.db.clone());
    let org = store.create_organization("Other").await.unwrap();
    let other = Ctx {
        principal: store.authenticate(&org.secret_key).await.unwrap().unwrap(),
        request_id: None,
    };
    let mut made = Vec::new();
    for i in 0..12 {
        let name = if i % 3 == 0 {
            format!("Other {i}")
        } else {
            format!("Alpine jacket {i}")
        };
        let input = ProductInput {
            name,
            ..ProductInput::default()
        };
        made.push(store.create_product(&ctx, input.clone()).await.unwrap().0.product.id);
        // Another organization's matches, interleaved, are never on this one's pages.
        store.create_product(&other, input).await.unwrap();
    }
    let descending = Sort {
        key: SortKey::Created,
        descending: true,
    };
    for sort in [Sort::default(), descending] {
        let mut pages = Vec::new();
        for (few, walk) in [(FEW_MATCHES, false), (1, false), (FEW_MATCHES, true)] {
            TEST_WAYS.with(|w| w.set(Ways { few, walk }));
            // By cursor, then by offset.
            let mut ids = Vec::new();
            let mut query = ProductQuery {
                filter: ProductFilter {
                    search: Some("alp jack".into()),
                    ..ProductFilter::default()
                },
                sort,
                limit: 3,
                count: CountMode::Exact,
                ..ProductQuery::default()
            };
            loop {
                let mut c = db.db.acquire().await.unwrap();
                let page = run(&mut c.conn(), &ctx, &query, false).await.unwrap();
                assert_eq!(page.total, Some(8));
                ids.extend(page.keys.iter().map(|k| k.id));
                match page.next_cursor {
                    Some(next) => query.paging = Paging::After(Some(Cursor::decode("cursor", &next, sort).unwrap())),
                    None => break,
                }
            }
            let mut offset = Vec::new();
            for start in (0..9).step_by(3) {
                query.paging = Paging::Offset(start);
                let mut c = db.db.acquire().await.unwrap();
                let page = run(&mut c.conn(), &ctx, &query, true).await.unwrap();
                offset.extend(page.keys.iter().map(|k| k.id));
            }
            assert_eq!(ids, offset);
            pages.push(ids);
        }
        let mut want: Vec<ProductId> = made
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 3 != 0)
            .map(|(_, id)| *id)
            .collect();
        if sort.descending {
            want.reverse();
        }
        assert_eq!(pages[0], want);
        assert_eq!(pages[0], pages[1]);
        assert_eq!(pages[0], pages[2]);
    }
    // A cursor whose product is gone still continues from where it was.
    let gone = made[4];
    let after = ProductQuery {
        filter: ProductFilter {
            search: Some("alp jack".into()),
            ..ProductFilter::default()
        },
        paging: Paging::After(Some(Cursor {
            sort: Sort::default(),
            value: None,
            id: gone,
        })),
        limit: 50,
        ..ProductQuery::default()
    };
    store.delete_product(&ctx, gone, None).await.unwrap();
    let mut seen = Vec::new();
    for (few, walk) in [(FEW_MATCHES, false), (1, false), (FEW_MATCHES, true)] {
        TEST_WAYS.with(|w| w.set(Ways { few, walk }));
        let mut c = db.db.acquire().await.unwrap();
        let page = run(&mut c.conn(), &ctx, &after, false).await.unwrap();
        seen.push(page.keys.iter().map(|k| k.id).collect::<Vec<_>>());
    }
    assert_eq!(seen[0], [made[5], made[7], made[8], made[10], made[11]]);
    assert_eq!(seen[0], seen[1]);
    assert_eq!(seen[0], seen[2]);
}
