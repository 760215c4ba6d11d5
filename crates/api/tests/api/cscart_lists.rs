//! The CS-Cart product list: paging, every sort field in both orders, every filter of the
//! seed's table, and the seed's own example requests.

use crate::cscart_products::{category, create, cs, vendor};
use crate::harness::{Resp, spawn};
use axum::http::Method;
use serde_json::json;

fn names(r: &Resp) -> Vec<String> {
    r.body["products"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", r.body))
        .iter()
        .map(|p| p["product"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn lists_page_sort_and_filter_as_the_seed_says() {
    let app = spawn().await;
    let root = category(&app, "Root", None).await;
    let child = category(&app, "Child", Some(root)).await;
    let other = category(&app, "Other", None).await;
    let v = vendor(&app, "Vendor").await;
    // name, category, price, list price, amount, code, status, extra fields
    let rows = [
        (
            "Cedar",
            root,
            "30",
            "35",
            10,
            "C-3",
            "A",
            json!({"free_shipping": "Y", "age_limit": "18", "age_verification": "Y",
            "short_description": "woody smell", "meta_keywords": "tree", "full_description": "A tall foo tree"}),
        ),
        (
            "Apple",
            child,
            "10",
            "0",
            5,
            "A-1",
            "A",
            json!({"is_returnable": "N", "product_type": "V", "age_warning_message": "Adults"}),
        ),
        (
            "Birch",
            other,
            "20",
            "25",
            0,
            "B-2",
            "H",
            json!({"company_id": v, "full_description": "white bark"}),
        ),
        ("Dogwood", other, "40", "0", 7, "D-4", "D", json!({"pname_dummy": 1})),
    ];
    for (name, cat, price, list, amount, code, status, extra) in rows {
        let mut body = json!({"product": name, "category_ids": [cat], "price": price, "list_price": list,
            "amount": amount, "product_code": code, "status": status});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        create(&app, body).await;
    }
    let get = |q: &'static str| {
        let app = &app;
        async move {
            cs(app, Method::GET, &format!("/api/products{q}"), None)
                .await
                .expect(200)
        }
    };
    // Default: by name, ascending, 10 a page; params as CS-Cart gives them.
    let r = get("").await;
    assert_eq!(names(&r), ["Apple", "Birch", "Cedar", "Dogwood"]);
    let params = &r.body["params"];
    assert_eq!(params["page"], 1);
    assert_eq!(params["items_per_page"], 10);
    assert_eq!(params["sort_by"], "product");
    assert_eq!(params["sort_order"], "asc");
    assert_eq!(params["total_items"], "4");
    // The seed's test request: two a page.
    let r = get("?items_per_page=2").await;
    assert_eq!(names(&r), ["Apple", "Birch"]);
    assert_eq!(r.body["params"]["total_items"], "4");
    assert_eq!(names(&get("?items_per_page=2&page=2").await), ["Cedar", "Dogwood"]);
    assert!(names(&get("?items_per_page=2&page=3").await).is_empty());
    // Every sort, both ways.
    for (q, want) in [
        (
            "?sort_by=product&sort_order=desc",
            vec!["Dogwood", "Cedar", "Birch", "Apple"],
        ),
        ("?sort_by=price", vec!["Apple", "Birch", "Cedar", "Dogwood"]),
        (
            "?sort_by=price&sort_order=desc",
            vec!["Dogwood", "Cedar", "Birch", "Apple"],
        ),
        ("?sort_by=list_price", vec!["Birch", "Cedar", "Apple", "Dogwood"]),
        // The seed's example: by quantity, descending.
        (
            "?sort_by=amount&sort_order=desc",
            vec!["Cedar", "Dogwood", "Apple", "Birch"],
        ),
        ("?sort_by=code", vec!["Apple", "Birch", "Cedar", "Dogwood"]),
        (
            "?sort_by=code&sort_order=desc",
            vec!["Dogwood", "Cedar", "Birch", "Apple"],
        ),
        ("?sort_by=date", vec!["Cedar", "Apple", "Birch", "Dogwood"]),
        (
            "?sort_by=date&sort_order=desc",
            vec!["Dogwood", "Birch", "Apple", "Cedar"],
        ),
        // active < disabled < hidden, by the stored names; ties in creation order.
        ("?sort_by=status", vec!["Cedar", "Apple", "Dogwood", "Birch"]),
    ] {
        let r = cs(&app, Method::GET, &format!("/api/products{q}"), None)
            .await
            .expect(200);
        assert_eq!(names(&r), want, "{q}");
    }
    // Every filter.
    for (q, want) in [
        ("?q=foo&pname=Y&pshort=Y&pfull=Y&pkeywords=Y", vec!["Cedar"]),
        ("?q=foo&pname=Y", vec![]),
        ("?q=smell&pshort=Y", vec!["Cedar"]),
        ("?q=tree&pkeywords=Y&pname=N", vec!["Cedar"]),
        ("?q=b-2&pname=Y&pcode_from_q=Y", vec!["Birch"]),
        ("?q=tall", vec!["Cedar"]),
        ("?pname=irc", vec!["Birch"]),
        ("?pfull=bark", vec!["Birch"]),
        ("?pshort=woody", vec!["Cedar"]),
        ("?pkeywords=tree", vec!["Cedar"]),
        ("?pcode=A-", vec!["Apple"]),
        ("?code=d-4", vec!["Dogwood"]),
        ("?product=edar", vec!["Cedar"]),
        ("?cid=ROOT", vec!["Apple", "Cedar"]),
        ("?cid=ROOT&subcats=N", vec!["Cedar"]),
        ("?cid=999", vec![]),
        ("?price_from=20&price_to=30", vec!["Birch", "Cedar"]),
        ("?price=40", vec!["Dogwood"]),
        ("?list_price=25", vec!["Birch"]),
        ("?amount_from=6", vec!["Cedar", "Dogwood"]),
        ("?amount_to=5", vec!["Apple", "Birch"]),
        ("?amount=0", vec!["Birch"]),
        ("?free_shipping=Y", vec!["Cedar"]),
        ("?free_shipping=N", vec!["Apple", "Birch", "Dogwood"]),
        ("?status=A", vec!["Apple", "Cedar"]),
        ("?status=H", vec!["Birch"]),
        ("?status=D", vec!["Dogwood"]),
        ("?status=A,H", vec!["Apple", "Birch", "Cedar"]),
        ("?product_type=V", vec!["Apple"]),
        ("?product_type=P", vec!["Birch", "Cedar", "Dogwood"]),
        ("?is_returnable=N", vec!["Apple"]),
        ("?is_returnable=Y", vec!["Birch", "Cedar", "Dogwood"]),
        ("?age_verification=Y", vec!["Cedar"]),
        ("?age_limit=18", vec!["Cedar"]),
        ("?age_limit=0", vec!["Apple", "Birch", "Dogwood"]),
        ("?age_warning_message=Adults", vec!["Apple"]),
        ("?company_id=VENDOR", vec!["Birch"]),
        ("?order_ids=1,2", vec![]),
    ] {
        let q = q.replace("ROOT", &root.to_string()).replace("VENDOR", &v.to_string());
        let r = cs(&app, Method::GET, &format!("/api/products{q}"), None)
            .await
            .expect(200);
        assert_eq!(names(&r), want, "{q}");
        assert_eq!(r.body["params"]["total_items"], want.len().to_string(), "{q}");
    }
    // The seed's store example: a store's products over $10 named foo, by name.
    let r = cs(
        &app,
        Method::GET,
        &format!("/api/stores/{v}/products?price_from=10&sort_by=product&sort_order=asc&pname=irc"),
        None,
    )
    .await
    .expect(200);
    assert_eq!(names(&r), ["Birch"]);
    // Parameters that mean nothing.
    for (q, field) in [
        ("?page=x", "page"),
        ("?items_per_page=-1", "items_per_page"),
        ("?sort_by=colour", "sort_by"),
        ("?sort_order=up", "sort_order"),
        ("?price_from=cheap", "price_from"),
        ("?amount_to=lots", "amount_to"),
        ("?status=Z", "status"),
        ("?free_shipping=maybe", "free_shipping"),
        ("?subcats=perhaps", "subcats"),
        ("?cid=abc", "cid"),
    ] {
        let r = cs(&app, Method::GET, &format!("/api/products{q}"), None)
            .await
            .expect(400);
        let m = r.body["message"].as_str().unwrap();
        assert!(m.starts_with(&format!("{field}:")), "{q}: {m}");
    }
    // A page holds at most 200; 0 is CS-Cart's "all", answered with the most.
    let r = get("?items_per_page=5000").await;
    assert_eq!(r.body["params"]["items_per_page"], 200);
    let r = get("?items_per_page=0").await;
    assert_eq!(r.body["params"]["items_per_page"], 200);
    assert_eq!(names(&r).len(), 4);
}
