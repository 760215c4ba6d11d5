//! What a CS-Cart client writes it reads back: a feature's, a category's and a company's own
//! fields, a scoped create's `company_id`, feature variants' ids (numbers that removing a
//! variant does not shift) and what removing a variant does to products.

use crate::cscart_products::{category, create, cs, vendor};
use crate::harness::spawn;
use axum::http::Method;
use serde_json::{Value, json};

fn n(v: &Value, key: &str) -> i64 {
    v[key].as_i64().unwrap_or_else(|| panic!("{key} in {v}"))
}

fn message(r: &crate::harness::Resp) -> String {
    r.body["message"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_features_own_fields_are_kept() {
    let app = spawn().await;
    let f = n(
        &cs(
            &app,
            Method::POST,
            "/api/features",
            Some(json!({
                "description": "Weight", "feature_type": "O", "status": "H", "position": 10,
                "prefix": "~", "suffix": "kg", "display_on_header": "Y", "display_on_catalog": "y",
                "display_on_product": "N", "internal_name": "Shipping weight", "purpose": "describe_product",
                "parent_id": "0", "comparison": "Y", "full_description": "How heavy"
            })),
        )
        .await
        .expect(201)
        .body,
        "feature_id",
    );
    let get = |path: String| {
        let app = &app;
        async move { cs(app, Method::GET, &path, None).await.expect(200).body }
    };
    let r = get(format!("/api/features/{f}")).await;
    for (k, v) in [
        ("status", "H"),
        ("position", "10"),
        ("prefix", "~"),
        ("suffix", "kg"),
        ("display_on_header", "Y"),
        ("display_on_catalog", "Y"),
        ("display_on_product", "N"),
        ("internal_name", "Shipping weight"),
        ("purpose", "describe_product"),
        ("comparison", "Y"),
        ("full_description", "How heavy"),
        ("feature_type", "O"),
    ] {
        assert_eq!(r[k], v, "{k} in {r}");
    }
    // An update changes what it gives; the rest stays.
    cs(
        &app,
        Method::PUT,
        &format!("/api/features/{f}"),
        Some(json!({"suffix": "lb", "status": "A"})),
    )
    .await
    .expect(200);
    let r = get(format!("/api/features/{f}")).await;
    assert_eq!((r["suffix"].as_str(), r["status"].as_str()), (Some("lb"), Some("A")));
    assert_eq!((r["prefix"].as_str(), r["position"].as_str()), (Some("~"), Some("10")));
    // A product's features show them.
    let cat = category(&app, "Tools", None).await;
    let p = create(
        &app,
        json!({"product": "Hammer", "category_ids": [cat], "price": 5, "product_features": {f.to_string(): {"value": "2.5"}}}),
    )
    .await;
    let pf = &get(format!("/api/products/{p}")).await["product_features"][f.to_string()];
    assert_eq!(
        (
            pf["prefix"].as_str(),
            pf["suffix"].as_str(),
            pf["display_on_header"].as_str()
        ),
        (Some("~"), Some("lb"), Some("Y")),
        "{pf}"
    );
    assert_eq!(pf["internal_name"], "Shipping weight");
    // A brand is kept as a select and reads back as the brand it was made as.
    let brand = n(
        &cs(
            &app,
            Method::POST,
            "/api/features",
            Some(json!({"description": "Brand", "feature_type": "E", "variants": [{"variant": "Adidas"}]})),
        )
        .await
        .expect(201)
        .body,
        "feature_id",
    );
    assert_eq!(get(format!("/api/features/{brand}")).await["feature_type"], "E");
    // Bad values name their field.
    for (body, field) in [
        (json!({"description": "X", "status": "Z"}), "status"),
        (json!({"description": "X", "position": "first"}), "position"),
        (
            json!({"description": "X", "display_on_header": "yes"}),
            "display_on_header",
        ),
        (json!({"description": "X", "company_id": 42}), "company_id"),
    ] {
        let r = cs(&app, Method::POST, "/api/features", Some(body)).await.expect(400);
        assert!(message(&r).starts_with(field), "{}", r.body);
    }
}

#[tokio::test]
async fn a_categorys_own_fields_are_kept() {
    let app = spawn().await;
    let v = vendor(&app, "Acme").await;
    let c = n(
        &cs(
            &app,
            Method::POST,
            "/api/categories",
            Some(json!({
                "category": "Shoes", "company_id": v, "status": "H", "position": "20",
                "meta_keywords": "shoes, boots", "meta_description": "All shoes", "page_title": "Shoes!",
                "age_verification": "Y", "age_limit": 18
            })),
        )
        .await
        .expect(201)
        .body,
        "category_id",
    );
    let read = || {
        let app = &app;
        async move {
            cs(app, Method::GET, &format!("/api/categories/{c}"), None)
                .await
                .expect(200)
                .body
        }
    };
    let r = read().await;
    for (k, val) in [
        ("company_id", v.to_string()),
        ("status", "H".into()),
        ("position", "20".into()),
        ("meta_keywords", "shoes, boots".into()),
        ("meta_description", "All shoes".into()),
        ("page_title", "Shoes!".into()),
        ("age_verification", "Y".into()),
        ("age_limit", "18".into()),
    ] {
        assert_eq!(r[k], val, "{k} in {r}");
    }
    cs(
        &app,
        Method::PUT,
        &format!("/api/categories/{c}"),
        Some(json!({"meta_keywords": "boots", "position": 5})),
    )
    .await
    .expect(200);
    let r = read().await;
    assert_eq!(
        (
            r["meta_keywords"].as_str(),
            r["position"].as_str(),
            r["page_title"].as_str()
        ),
        (Some("boots"), Some("5"), Some("Shoes!"))
    );
    // The list shows them too.
    let list = cs(&app, Method::GET, "/api/categories", None).await.expect(200).body;
    assert_eq!(list["categories"][0]["meta_keywords"], "boots");
    for (body, field) in [
        (json!({"category": "X", "company_id": 999}), "company_id"),
        (json!({"category": "X", "status": "Q"}), "status"),
        (json!({"category": "X", "position": "top"}), "position"),
    ] {
        let r = cs(&app, Method::POST, "/api/categories", Some(body)).await.expect(400);
        assert!(message(&r).starts_with(field), "{}", r.body);
    }
}

#[tokio::test]
async fn a_companys_contact_fields_are_kept() {
    let app = spawn().await;
    let v = n(
        &cs(
            &app,
            Method::POST,
            "/api/vendors",
            Some(json!({
                "company": "Acme", "email": "sales@acme.example", "phone": "+1 555 0100",
                "url": "https://acme.example", "address": "1 Main St", "city": "Springfield",
                "state": "IL", "country": "US", "zipcode": "62701", "fax": "+1 555 0101"
            })),
        )
        .await
        .expect(201)
        .body,
        "company_id",
    );
    let read = || {
        let app = &app;
        async move {
            cs(app, Method::GET, &format!("/api/vendors/{v}"), None)
                .await
                .expect(200)
                .body
        }
    };
    let r = read().await;
    for (k, val) in [
        ("phone", "+1 555 0100"),
        ("url", "https://acme.example"),
        ("address", "1 Main St"),
        ("city", "Springfield"),
        ("state", "IL"),
        ("country", "US"),
        ("zipcode", "62701"),
        ("fax", "+1 555 0101"),
    ] {
        assert_eq!(r[k], val, "{k} in {r}");
    }
    cs(
        &app,
        Method::PUT,
        &format!("/api/vendors/{v}"),
        Some(json!({"phone": "+1 555 0199"})),
    )
    .await
    .expect(200);
    let r = read().await;
    assert_eq!(
        (r["phone"].as_str(), r["city"].as_str()),
        (Some("+1 555 0199"), Some("Springfield"))
    );
}

/// A create on a store's or vendor's path takes a `company_id` that says the same, and
/// refuses one that says otherwise instead of ignoring it.
#[tokio::test]
async fn a_scoped_create_checks_its_company_id() {
    let app = spawn().await;
    let cat = category(&app, "Apparel", None).await;
    let a = vendor(&app, "A").await;
    let b = vendor(&app, "B").await;
    for scope in ["stores", "vendors"] {
        let path = format!("/api/{scope}/{a}/products");
        for company in [json!(b), json!(0), json!(b.to_string())] {
            let r = cs(
                &app,
                Method::POST,
                &path,
                Some(json!({"product": "P", "category_ids": [cat], "price": 1, "company_id": company})),
            )
            .await
            .expect(400);
            assert!(message(&r).starts_with("company_id"), "{}", r.body);
        }
        let r = cs(
            &app,
            Method::POST,
            &path,
            Some(json!({"product": "P", "category_ids": [cat], "price": 1, "company_id": a.to_string()})),
        )
        .await
        .expect(201);
        let p = n(&r.body, "product_id");
        let got = cs(&app, Method::GET, &format!("/api/products/{p}"), None)
            .await
            .expect(200)
            .body;
        assert_eq!(got["company_id"], a.to_string());
    }
}

async fn variant_ids(app: &crate::harness::TestApp, f: i64) -> Vec<(String, String)> {
    let r = cs(app, Method::GET, &format!("/api/features/{f}"), None)
        .await
        .expect(200)
        .body;
    let mut out: Vec<(String, String)> = r["variants"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| {
            assert_eq!(v["variant_id"].as_str(), Some(k.as_str()));
            (v["variant"].as_str().unwrap().to_owned(), k.clone())
        })
        .collect();
    out.sort();
    out
}

/// Variant ids are numbers of their own: removing one shifts no other, and a new one never
/// takes a removed one's number. Removing a variant removes it from the products that had it
/// (as CS-Cart does); renaming one renames it on them.
#[tokio::test]
async fn variant_ids_stay_and_removed_variants_leave_products() {
    let app = spawn().await;
    let cat = category(&app, "Apparel", None).await;
    let f = n(
        &cs(
            &app,
            Method::POST,
            "/api/features",
            Some(json!({"description": "Colour", "feature_type": "S",
                "variants": [{"variant": "Red"}, {"variant": "Green"}, {"variant": "Blue"}]})),
        )
        .await
        .expect(201)
        .body,
        "feature_id",
    );
    let ids = variant_ids(&app, f).await;
    let id = |name: &str| ids.iter().find(|(n, _)| n == name).unwrap().1.clone();
    let (red, green, blue) = (id("Red"), id("Green"), id("Blue"));
    let with = |variant: String| {
        json!({"product": "P", "category_ids": [cat], "price": 1,
            "product_features": {f.to_string(): {"feature_id": f.to_string(), "variant_id": variant}}})
    };
    let p_green = create(&app, with(green.clone())).await;
    // A variant's id alone (`{"<feature_id>": "<variant_id>"}`) names it too.
    let p_short = create(
        &app,
        json!({"product": "P", "category_ids": [cat], "price": 1,
            "product_features": {f.to_string(): green.clone()}}),
    )
    .await;
    let short = cs(&app, Method::GET, &format!("/api/products/{p_short}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(short["product_features"][f.to_string()]["variant"], "Green");
    let p_blue = create(&app, with(blue.clone())).await;
    let p_red = create(&app, with(red.clone())).await;
    // Green goes; Blue keeps its id; a new Yellow takes a number never given.
    cs(
        &app,
        Method::PUT,
        &format!("/api/features/{f}"),
        Some(json!({"variants": [{"variant_id": red, "variant": "Red"}, {"variant_id": blue, "variant": "Blue"}, {"variant": "Yellow"}]})),
    )
    .await
    .expect(200);
    let after = variant_ids(&app, f).await;
    let id2 = |name: &str| after.iter().find(|(n, _)| n == name).map(|x| x.1.clone());
    assert_eq!(id2("Blue"), Some(blue.clone()));
    assert_eq!(id2("Red"), Some(red.clone()));
    assert_eq!(id2("Green"), None);
    let yellow = id2("Yellow").unwrap();
    assert!(![&red, &green, &blue].contains(&&yellow), "{after:?}");
    let feature_of = |p: i64| {
        let app = &app;
        async move {
            cs(app, Method::GET, &format!("/api/products/{p}"), None)
                .await
                .expect(200)
                .body["product_features"]
                .clone()
        }
    };
    // The product that had Green has no value left; the others keep theirs, by the same id.
    assert_eq!(feature_of(p_green).await, json!([]));
    let pf = feature_of(p_blue).await;
    assert_eq!(pf[f.to_string()]["variant_id"], blue);
    assert_eq!(pf[f.to_string()]["variant"], "Blue");
    // The removed id names nothing now.
    let r = cs(&app, Method::POST, "/api/products", Some(with(green.clone())))
        .await
        .expect(400);
    assert!(
        message(&r).starts_with(&format!("product_features.{f}.variant_id")),
        "{}",
        r.body
    );
    // Renamed by its id: its products follow.
    cs(
        &app,
        Method::PUT,
        &format!("/api/features/{f}"),
        Some(json!({"variants": {red.clone(): {"variant": "Crimson"}, blue.clone(): {"variant": "Blue"}, yellow.clone(): {"variant": "Yellow"}}})),
    )
    .await
    .expect(200);
    let pf = feature_of(p_red).await;
    assert_eq!(pf[f.to_string()]["variant_id"], red);
    assert_eq!(pf[f.to_string()]["variant"], "Crimson");
    // An update of other fields leaves the variants and their ids alone.
    cs(
        &app,
        Method::PUT,
        &format!("/api/features/{f}"),
        Some(json!({"description": "Color"})),
    )
    .await
    .expect(200);
    let ids = variant_ids(&app, f).await;
    assert_eq!(
        ids,
        vec![
            ("Blue".into(), blue),
            ("Crimson".into(), red),
            ("Yellow".into(), yellow)
        ]
    );
}

/// Every scalar has the seed's form: a string, prices with two decimals whatever the
/// currency's own digits (`"30.00"`), stock a whole number (`"10"`); only what the seed shows
/// otherwise is not a string.
#[tokio::test]
async fn every_scalar_has_the_seeds_form() {
    let app = spawn().await;
    let admin = |title: &str, sku: &str, prices: Value| {
        let app = &app;
        let body = json!({"title": title, "options": [{"title": "Size", "values": ["S"]}],
            "variants": [{"title": "S", "sku": sku, "options": {"Size": "S"}, "prices": prices}]});
        async move {
            app.call(Method::POST, "/admin/products", Some(&app.org.secret_key), Some(body))
                .await
                .expect(200);
        }
    };
    admin("Yen", "YEN-S", json!([{"amount": 3000, "currency_code": "jpy"}])).await;
    admin("Dinar", "KWD-S", json!([{"amount": 1.235, "currency_code": "kwd"}])).await;
    let read = |code: &'static str| {
        let app = &app;
        async move {
            cs(app, Method::GET, &format!("/api/products?pcode={code}"), None)
                .await
                .expect(200)
                .body["products"][0]
                .clone()
        }
    };
    let yen = read("YEN-S").await;
    assert_eq!(
        (yen["price"].as_str(), yen["base_price"].as_str()),
        (Some("3000.00"), Some("3000.00"))
    );
    assert_eq!(read("KWD-S").await["price"], "1.24");
    // A product of this API, with a list price, stock, a number feature and an image.
    let cat = category(&app, "Apparel", None).await;
    let f = n(
        &cs(
            &app,
            Method::POST,
            "/api/features",
            Some(json!({"description": "Weight", "feature_type": "O"})),
        )
        .await
        .expect(201)
        .body,
        "feature_id",
    );
    let p = create(
        &app,
        json!({"product": "100g Pants", "category_ids": cat, "price": 30, "list_price": "31", "amount": 10,
            "product_features": {f.to_string(): {"value": 2.5}},
            "main_pair": {"detailed": {"image_path": "https://example.com/p.jpg"}}}),
    )
    .await;
    let got = cs(&app, Method::GET, &format!("/api/products/{p}"), None)
        .await
        .expect(200)
        .body;
    let list = cs(
        &app,
        Method::GET,
        "/api/products?items_per_page=1&sort_by=date&sort_order=desc",
        None,
    )
    .await
    .expect(200)
    .body;
    assert_eq!(list["products"][0], got, "a list shows what a read does");
    assert_eq!(
        (
            got["price"].as_str(),
            got["list_price"].as_str(),
            got["amount"].as_str()
        ),
        (Some("30.00"), Some("31.00"), Some("10"))
    );
    assert_eq!(got["weight"], "0.000");
    assert_eq!(got["list_discount"], json!(1));
    assert_eq!(got["list_discount_prc"], "3");
    assert_eq!(got["product_features"][f.to_string()]["value_int"], "2.50");
    let not_strings = [
        "category_ids",
        "main_category",
        "variation_features",
        "selected_options",
        "product_options",
        "qty_content",
        "main_pair",
        "image_pairs",
        "product_features",
        "discounts",
        "has_options",
        "list_discount",
    ];
    for (k, v) in got.as_object().unwrap() {
        if not_strings.contains(&k.as_str()) {
            continue;
        }
        let ok = v.is_string() || (k.ends_with("_raw") && v.is_null());
        assert!(ok, "{k} is {v}, not a string");
    }
    assert!(got["category_ids"].as_array().unwrap().iter().all(Value::is_i64));
    assert!(got["main_category"].is_i64());
    for (k, v) in got["main_pair"].as_object().unwrap() {
        assert!(v.is_string() || k == "detailed", "main_pair.{k} is {v}");
    }
    // The whole product, its times aside, as the seed's forms have it.
    let mut shown = got.clone();
    for k in ["timestamp", "updated_timestamp"] {
        assert!(shown[k].as_str().is_some_and(|t| t.parse::<i64>().is_ok()), "{k}");
        shown[k] = json!("<time>");
    }
    insta::assert_snapshot!("cscart_product_forms", serde_json::to_string_pretty(&shown).unwrap());
    let params = &list["params"];
    assert_eq!(
        (params["page"].clone(), params["items_per_page"].clone()),
        (json!(1), json!(1))
    );
    assert!(params["total_items"].is_string(), "{params}");
}

/// Image pair ids are numbers of the product's: a pair sent again with its id keeps it,
/// removing one shifts no other, and a new one never takes a removed one's number.
#[tokio::test]
async fn pair_ids_stay() {
    let app = spawn().await;
    let cat = category(&app, "Apparel", None).await;
    let img = |name: &str| json!({"detailed": {"image_path": format!("https://example.com/{name}.jpg")}});
    let p = create(
        &app,
        json!({"product": "P", "category_ids": [cat], "price": 1, "main_pair": img("main"),
            "image_pairs": [img("a"), img("b")]}),
    )
    .await;
    let read = || {
        let app = &app;
        async move {
            let r = cs(app, Method::GET, &format!("/api/products/{p}"), None)
                .await
                .expect(200)
                .body;
            let mut more: Vec<(String, String)> = r["image_pairs"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| {
                            assert_eq!(v["pair_id"].as_str(), Some(k.as_str()));
                            (v["detailed"]["image_path"].as_str().unwrap().to_owned(), k.clone())
                        })
                        .collect()
                })
                .unwrap_or_default();
            more.sort();
            (r["main_pair"]["pair_id"].as_str().unwrap().to_owned(), more)
        }
    };
    let (main, more) = read().await;
    let (a, b) = (more[0].1.clone(), more[1].1.clone());
    assert_eq!(more.len(), 2);
    assert!(main != a && a != b && main != b);
    // Pair `a` goes; `b`, sent with its id, keeps it; the main pair stays as it was.
    let mut kept = img("b");
    kept["pair_id"] = json!(b);
    cs(
        &app,
        Method::PUT,
        &format!("/api/products/{p}"),
        Some(json!({"image_pairs": {b.clone(): kept.clone()}})),
    )
    .await
    .expect(200);
    let (main2, more2) = read().await;
    assert_eq!(main2, main);
    assert_eq!(more2, vec![("https://example.com/b.jpg".to_owned(), b.clone())]);
    // A new pair takes a number never given before.
    cs(
        &app,
        Method::PUT,
        &format!("/api/products/{p}"),
        Some(json!({"image_pairs": [kept, img("c")]})),
    )
    .await
    .expect(200);
    let (_, more3) = read().await;
    let c = more3.iter().find(|(u, _)| u.ends_with("c.jpg")).unwrap().1.clone();
    assert!(![&main, &a, &b].contains(&&c), "{more3:?}");
    assert!(more3.contains(&("https://example.com/b.jpg".to_owned(), b)));
}

/// A refusal names the field the client sent, in its own spelling and place.
#[tokio::test]
async fn refusals_name_the_field_as_sent() {
    let app = spawn().await;
    let cat = category(&app, "Apparel", None).await;
    let feature = |body: Value| {
        let app = &app;
        async move {
            n(
                &cs(app, Method::POST, "/api/features", Some(body))
                    .await
                    .expect(201)
                    .body,
                "feature_id",
            )
        }
    };
    let colour = feature(json!({"description": "Colour", "feature_type": "S", "variants": [{"variant": "Red"}]})).await;
    let weight = feature(json!({"description": "Weight", "feature_type": "O"})).await;
    let product = |extra: Value| {
        let mut body = json!({"product": "P", "category_ids": [cat], "price": 1});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let long = "x".repeat(20_000);
    for (body, field) in [
        (
            product(json!({"product_features": [{"feature_id": "abc"}]})),
            "product_features[0].feature_id".to_owned(),
        ),
        (
            product(json!({"product_features": [{"feature_id": colour, "variant": "Blue"}]})),
            "product_features[0]".to_owned(),
        ),
        (
            product(json!({"product_features": {colour.to_string(): {"variant": "Blue"}}})),
            format!("product_features.{colour}"),
        ),
        (
            product(json!({"product_features": {weight.to_string(): {"value_int": "heavy"}}})),
            format!("product_features.{weight}.value_int"),
        ),
        (
            product(json!({"main_pair": {"detailed": {"image_url": "not a url"}}})),
            "main_pair.detailed.image_url".to_owned(),
        ),
        (
            product(json!({"main_pair": {"image_path": "not a url"}})),
            "main_pair.image_path".to_owned(),
        ),
        (
            product(
                json!({"image_pairs": {"7": {"detailed": {"image_path": "https://e.com/a.jpg", "alt": long.clone()}}}}),
            ),
            "image_pairs.7.detailed.alt".to_owned(),
        ),
    ] {
        let r = cs(&app, Method::POST, "/api/products", Some(body)).await.expect(400);
        assert!(message(&r).starts_with(&format!("{field}:")), "{field}: {}", r.body);
    }
    // The fields kept in an extension, too long together, name no field the client did not send.
    let r = cs(
        &app,
        Method::POST,
        "/api/products",
        Some(product(json!({"promo_text": long.clone()}))),
    )
    .await
    .expect(400);
    assert!(!message(&r).starts_with("extensions"), "{}", r.body);
    // A category's description is its `description` (a product's is `full_description`).
    let r = cs(
        &app,
        Method::POST,
        "/api/categories",
        Some(json!({"category": "X", "description": long})),
    )
    .await
    .expect(400);
    assert!(message(&r).starts_with("description:"), "{}", r.body);
    // A feature's variants sent keyed by id are named by their key.
    let r = cs(
        &app,
        Method::POST,
        "/api/features",
        Some(json!({"description": "Size", "feature_type": "S", "variants": {"5": {"variant": "S"}, "6": {"variant": "s"}}})),
    )
    .await
    .expect(400);
    assert!(message(&r).starts_with("variants.6.variant:"), "{}", r.body);
}

/// A variant's own fields (`position`, `description`, `url`, …) are kept by its id.
#[tokio::test]
async fn a_variants_own_fields_are_kept() {
    let app = spawn().await;
    let f = n(
        &cs(
            &app,
            Method::POST,
            "/api/features",
            Some(json!({"description": "Brand", "feature_type": "E", "variants": [
                {"variant": "Adidas", "position": 20, "url": "https://adidas.example", "description": "Three stripes"},
                {"variant": "Nike"}
            ]})),
        )
        .await
        .expect(201)
        .body,
        "feature_id",
    );
    let variants = || {
        let app = &app;
        async move {
            let r = cs(app, Method::GET, &format!("/api/features/{f}"), None)
                .await
                .expect(200)
                .body;
            r["variants"]
                .as_object()
                .unwrap()
                .values()
                .map(|v| (v["variant"].as_str().unwrap().to_owned(), v.clone()))
                .collect::<std::collections::BTreeMap<_, _>>()
        }
    };
    let v = variants().await;
    let adidas = &v["Adidas"];
    assert_eq!(
        (
            adidas["position"].as_str(),
            adidas["url"].as_str(),
            adidas["description"].as_str()
        ),
        (Some("20"), Some("https://adidas.example"), Some("Three stripes"))
    );
    assert_eq!(v["Nike"]["position"], "1", "a place until a position is written");
    let (a_id, n_id) = (
        adidas["variant_id"].as_str().unwrap().to_owned(),
        v["Nike"]["variant_id"].as_str().unwrap().to_owned(),
    );
    // An update that sends a variant's position keeps its other fields.
    cs(
        &app,
        Method::PUT,
        &format!("/api/features/{f}"),
        Some(json!({"variants": {a_id.clone(): {"variant": "Adidas", "position": "5"}, n_id.clone(): {"variant": "Nike"}}})),
    )
    .await
    .expect(200);
    let v = variants().await;
    assert_eq!(
        (v["Adidas"]["position"].as_str(), v["Adidas"]["url"].as_str()),
        (Some("5"), Some("https://adidas.example"))
    );
    let r = cs(
        &app,
        Method::PUT,
        &format!("/api/features/{f}"),
        Some(json!({"variants": {a_id.clone(): {"variant": "Adidas", "position": "first"}}})),
    )
    .await
    .expect(400);
    assert!(
        message(&r).starts_with(&format!("variants.{a_id}.position:")),
        "{}",
        r.body
    );
}

/// Renaming a variant to the name another variant has now is refused, so products never mix.
#[tokio::test]
async fn a_variant_is_not_renamed_to_anothers_name() {
    let app = spawn().await;
    let f = n(
        &cs(
            &app,
            Method::POST,
            "/api/features",
            Some(json!({"description": "Colour", "feature_type": "S", "variants": [{"variant": "Red"}, {"variant": "Blue"}]})),
        )
        .await
        .expect(201)
        .body,
        "feature_id",
    );
    let ids = variant_ids(&app, f).await;
    let (blue, red) = (ids[0].1.clone(), ids[1].1.clone());
    let r = cs(
        &app,
        Method::PUT,
        &format!("/api/features/{f}"),
        Some(json!({"variants": {red.clone(): {"variant": "Blue"}, blue.clone(): {"variant": "Green"}}})),
    )
    .await
    .expect(400);
    assert!(
        message(&r).starts_with(&format!("variants.{red}.variant:")),
        "{}",
        r.body
    );
    assert_eq!(variant_ids(&app, f).await, ids, "nothing changed");
}

/// Options the PIM adds to a feature read with numbers after the last given, keep them when
/// this API next writes the feature, and never take a removed variant's number.
#[tokio::test]
async fn options_added_elsewhere_take_new_numbers() {
    let app = spawn().await;
    let f = n(
        &cs(
            &app,
            Method::POST,
            "/api/features",
            Some(json!({"description": "Colour", "feature_type": "S", "variants": [{"variant": "Red"}, {"variant": "Blue"}]})),
        )
        .await
        .expect(201)
        .body,
        "feature_id",
    );
    let ids = variant_ids(&app, f).await;
    let (blue, red) = (ids[0].1.clone(), ids[1].1.clone());
    // Blue goes here; then the PIM adds Green.
    cs(
        &app,
        Method::PUT,
        &format!("/api/features/{f}"),
        Some(json!({"variants": [{"variant_id": red, "variant": "Red"}]})),
    )
    .await
    .expect(200);
    let uuid = app
        .store
        .id_by_number(
            &crate::cscart_products::ctx(&app).await,
            pimento_core::numbers::Numbered::Attribute,
            f,
        )
        .await
        .unwrap();
    app.pim_put(
        &format!("/api/v1/pim/attributes/{uuid}"),
        json!({"options": ["Red", "Green"]}),
    )
    .await
    .expect(200);
    let ids = variant_ids(&app, f).await;
    let green = ids.iter().find(|(n, _)| n == "Green").unwrap().1.clone();
    assert!(green != red && green != blue, "{ids:?}");
    // This API's next write keeps it.
    cs(
        &app,
        Method::PUT,
        &format!("/api/features/{f}"),
        Some(json!({"position": 3})),
    )
    .await
    .expect(200);
    assert_eq!(variant_ids(&app, f).await, ids);
}
