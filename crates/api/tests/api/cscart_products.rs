//! The CS-Cart API's products over HTTP: the seed's paths, example requests and bodies, string
//! values, paging, sorting and every filter, errors, another organization's key, and the same
//! catalog as the other APIs.

use crate::harness::{Resp, TestApp, spawn};
use axum::body::Body;
use axum::http::Method;
use pimento_core::attribute::{AttributeInput, AttributeType};
use pimento_core::auth::Ctx;
use pimento_core::taxonomy::CategoryInput;
use pimento_core::vendor::VendorInput;
use serde_json::{Value, json};

/// `Authorization: Basic base64(<email>:<key>)`, as CS-Cart clients send it.
pub fn basic(key: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("admin@example.com:{key}"))
    )
}

pub async fn cs_as(app: &TestApp, key: &str, method: Method, path: &str, body: Option<Value>) -> Resp {
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.raw(method, path, None, body, &[("authorization", &basic(key))])
        .await
}

pub async fn cs(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> Resp {
    cs_as(app, &app.org.secret_key, method, path, body).await
}

pub async fn ctx(app: &TestApp) -> Ctx {
    Ctx {
        principal: app.store.authenticate(&app.org.secret_key).await.unwrap().unwrap(),
        request_id: None,
    }
}

/// A category (under `parent`) made in the core; its number.
pub async fn category(app: &TestApp, name: &str, parent: Option<i64>) -> i64 {
    let c = ctx(app).await;
    let parent_id = match parent {
        Some(n) => Some(pimento_core::ids::CategoryId(
            app.store
                .id_by_number(&c, pimento_core::numbers::Numbered::Category, n)
                .await
                .unwrap(),
        )),
        None => None,
    };
    app.store
        .create_category(
            &c,
            CategoryInput {
                name: name.into(),
                parent_id,
                ..CategoryInput::default()
            },
        )
        .await
        .unwrap()
        .number
}

/// A vendor made in the core; its number.
pub async fn vendor(app: &TestApp, name: &str) -> i64 {
    app.store
        .create_vendor(
            &ctx(app).await,
            VendorInput {
                name: name.into(),
                ..VendorInput::default()
            },
        )
        .await
        .unwrap()
        .number
}

/// Creates a product through the CS-Cart API; its number.
pub async fn create(app: &TestApp, body: Value) -> i64 {
    let r = cs(app, Method::POST, "/api/products", Some(body)).await.expect(201);
    r.body["product_id"].as_i64().unwrap()
}

fn message(r: &Resp) -> String {
    r.body["message"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn the_seeds_create_read_update_and_delete() {
    let app = spawn().await;
    let cat = category(&app, "Apparel", None).await;
    // The seed's minimal create, with the category as a string.
    let id = create(
        &app,
        json!({"product": "Product Name", "category_ids": cat.to_string(), "price": "1000"}),
    )
    .await;
    let p = cs(&app, Method::GET, &format!("/api/products/{id}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(p["product_id"], id.to_string());
    assert_eq!(p["product"], "Product Name");
    assert_eq!(p["price"], "1000.00");
    assert_eq!(p["base_price"], "1000.00");
    assert_eq!(p["list_price"], "0.00");
    assert_eq!(p["status"], "A");
    assert_eq!(p["amount"], "0");
    assert_eq!(p["category_ids"], json!([cat]));
    assert_eq!(p["main_category"], json!(cat));
    assert_eq!(p["seo_name"], "product-name");
    assert_eq!(p["seo_path"], cat.to_string());
    assert_eq!(p["company_id"], "0");
    assert_eq!(p["free_shipping"], "N");
    assert_eq!(p["is_returnable"], "Y");
    assert_eq!(p["weight"], "0.000");
    assert_eq!(p["length"], "0");
    assert!(p["timestamp"].as_str().unwrap().parse::<i64>().unwrap() > 1_700_000_000);
    assert_eq!(p["product_features"], json!([]));
    assert_eq!(p["main_pair"], json!([]));

    // The seed's update (at the path with a final slash too).
    let r = cs(
        &app,
        Method::PUT,
        &format!("/api/products/{id}/"),
        Some(json!({"product": "100g Pants Updated", "price": "31.00", "list_price": "35.00", "amount": "15"})),
    )
    .await
    .expect(200);
    assert_eq!(r.body, json!({"product_id": id}));
    let p = cs(&app, Method::GET, &format!("/api/products/{id}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(p["product"], "100g Pants Updated");
    assert_eq!(p["price"], "31.00");
    assert_eq!(p["list_price"], "35.00");
    assert_eq!(p["amount"], "15");
    assert_eq!(p["list_discount"], json!(4));
    assert_eq!(p["list_discount_prc"], "11");
    assert_eq!(p["seo_name"], "product-name", "the slug stays");

    // The seed's delete, with its final slash.
    cs(&app, Method::DELETE, &format!("/api/products/{id}/"), None)
        .await
        .expect(204);
    cs(&app, Method::GET, &format!("/api/products/{id}"), None)
        .await
        .expect(404);
    cs(&app, Method::DELETE, &format!("/api/products/{id}"), None)
        .await
        .expect(404);
    cs(
        &app,
        Method::PUT,
        &format!("/api/products/{id}"),
        Some(json!({"price": "1"})),
    )
    .await
    .expect(404);
}

#[tokio::test]
async fn every_field_written_is_read_back() {
    let app = spawn().await;
    let root = category(&app, "Clothes", None).await;
    let pants = category(&app, "Pants", Some(root)).await;
    let other = category(&app, "Sale", None).await;
    let v = vendor(&app, "Acme").await;
    let id = create(
        &app,
        json!({
            "product": "100g Pants", "category_ids": [pants, other], "main_category": pants,
            "price": 30, "list_price": "31.00", "amount": 10, "product_code": "U0012O5AF0",
            "status": "H", "company_id": v.to_string(),
            "full_description": "<p>Warm</p>", "short_description": "Warm pants",
            "meta_keywords": "pants, warm", "meta_description": "Pants", "page_title": "Pants!",
            "seo_name": "100g-pants", "weight": "1.5", "length": 10, "width": "20", "height": "2.5",
            "free_shipping": "Y", "is_returnable": "N", "return_period": "30", "min_qty": 2,
            "max_qty": "9", "qty_step": "1", "tax_ids": [6, 7], "age_verification": "Y",
            "age_limit": "18", "age_warning_message": "Adults only", "tracking": "D",
            "zero_price_action": "A", "out_of_stock_actions": "B", "search_words": "trousers",
            "box_length": 3, "shipping_freight": "2.5", "promo_text": "New!"
        }),
    )
    .await;
    let p = cs(&app, Method::GET, &format!("/api/products/{id}"), None)
        .await
        .expect(200)
        .body;
    let expect = json!({
        "product": "100g Pants", "category_ids": [pants, other], "main_category": pants,
        "seo_path": format!("{root}/{pants}"),
        "price": "30.00", "list_price": "31.00", "amount": "10", "product_code": "U0012O5AF0",
        "status": "H", "company_id": v.to_string(),
        "full_description": "<p>Warm</p>", "short_description": "Warm pants",
        "meta_keywords": "pants, warm", "meta_description": "Pants", "page_title": "Pants!",
        "seo_name": "100g-pants", "weight": "1.500", "length": "10", "width": "20", "height": "2.5",
        "free_shipping": "Y", "is_returnable": "N", "return_period": "30", "min_qty": "2",
        "max_qty": "9", "qty_step": "1", "tax_ids": "6,7", "age_verification": "Y",
        "age_limit": "18", "age_warning_message": "Adults only", "tracking": "D",
        "zero_price_action": "A", "out_of_stock_actions": "B", "search_words": "trousers",
        "shipping_freight": "2.50", "promo_text": "New!", "list_discount": 1, "list_discount_prc": "3",
        "shipping_params": "a:5:{s:16:\"min_items_in_box\";i:0;s:16:\"max_items_in_box\";i:0;s:10:\"box_length\";i:3;s:9:\"box_width\";i:0;s:10:\"box_height\";i:0;}",
    });
    for (k, want) in expect.as_object().unwrap() {
        assert_eq!(&p[k], want, "{k}: {p}");
    }
    // A field left out of an update stays; one given changes.
    cs(
        &app,
        Method::PUT,
        &format!("/api/products/{id}"),
        Some(json!({"free_shipping": "N", "category_ids": [other], "company_id": 0, "status": "D"})),
    )
    .await
    .expect(200);
    let p = cs(&app, Method::GET, &format!("/api/products/{id}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(p["free_shipping"], "N");
    assert_eq!(p["age_limit"], "18");
    assert_eq!(p["category_ids"], json!([other]));
    assert_eq!(p["company_id"], "0");
    assert_eq!(p["status"], "D");
    assert_eq!(p["product_code"], "U0012O5AF0");
}

#[tokio::test]
async fn images_are_created_replaced_and_kept_as_sent() {
    let app = spawn().await;
    let cat = category(&app, "C", None).await;
    // The seed's create with images (its additional pairs as an array).
    let id = create(
        &app,
        json!({
            "product": "Product Name", "category_ids": cat.to_string(), "price": "1000",
            "image_pairs": [
                {"object_type": "product", "detailed": {"object_type": "product", "type": "A",
                  "absolute_path": "/srv/projects/example.com/images/detailed/additional_image1.jpg",
                  "alt": "This is where the alt text for the image goes."}},
                {"object_type": "product", "detailed": {"object_type": "product", "type": "A",
                  "alt": "This is where the alt text for the image goes.",
                  "relative_path": "detailed/0/additional_image2.jpg"}}
            ],
            "main_pair": {"object_type": "product", "detailed": {"object_type": "product", "type": "M",
                "image_path": "https://example.com/images/detailed/main_image.jpg",
                "alt": "This is where the alt text for the image goes."}}
        }),
    )
    .await;
    let p = cs(&app, Method::GET, &format!("/api/products/{id}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(
        p["main_pair"]["detailed"]["image_path"],
        "https://example.com/images/detailed/main_image.jpg"
    );
    assert_eq!(p["main_pair"]["detailed"]["type"], "M");
    assert_eq!(p["main_pair"]["pair_id"], "1");
    let pairs = p["image_pairs"].as_object().unwrap();
    assert_eq!(pairs.len(), 2, "{p}");
    assert_eq!(
        pairs["2"]["detailed"]["absolute_path"],
        "/srv/projects/example.com/images/detailed/additional_image1.jpg"
    );
    assert_eq!(
        pairs["3"]["detailed"]["relative_path"],
        "detailed/0/additional_image2.jpg"
    );

    // The seed's image update: the additional pairs keyed by id replace those there were; the
    // main pair given replaces the main image.
    cs(
        &app,
        Method::PUT,
        &format!("/api/products/{id}"),
        Some(json!({
            "image_pairs": {"6759": {"pair_id": "6759", "image_id": "0", "detailed_id": "8665", "position": "1",
                "object_id": "180", "object_type": "product",
                "detailed": {"object_id": "180", "object_type": "product", "type": "A",
                    "image_path": "https://example.com/images/detailed/0/additional_image.jpg",
                    "alt": "Alt", "image_x": "600", "image_y": "396",
                    "absolute_path": "/srv/projects/example.com/images/detailed/0/additional_image.jpg",
                    "relative_path": "detailed/0/additional_image.jpg"}}}
        })),
    )
    .await
    .expect(200);
    let p = cs(&app, Method::GET, &format!("/api/products/{id}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(
        p["main_pair"]["detailed"]["image_path"], "https://example.com/images/detailed/main_image.jpg",
        "the main image stays"
    );
    let pairs = p["image_pairs"].as_object().unwrap();
    assert_eq!(pairs.len(), 1, "{p}");
    // A pair id the product never gave (6759) is not taken: the new pair gets the next number.
    let d = &pairs["4"]["detailed"];
    assert_eq!(
        d["image_path"],
        "https://example.com/images/detailed/0/additional_image.jpg"
    );
    assert_eq!(d["image_x"], "600");
    assert_eq!(d["relative_path"], "detailed/0/additional_image.jpg");

    // The images are the product's media for the other APIs.
    let uuid = find_uuid(&app, id).await;
    let media = app
        .get(&format!("/api/v1/products/{uuid}/media-assets"))
        .await
        .expect(200)
        .body;
    let text = media.to_string();
    assert!(
        text.contains("main_image.jpg") && text.contains("additional_image.jpg"),
        "{media}"
    );

    // No main pair: only the additional ones are left.
    cs(
        &app,
        Method::PUT,
        &format!("/api/products/{id}"),
        Some(json!({"main_pair": null})),
    )
    .await
    .expect(200);
    let p = cs(&app, Method::GET, &format!("/api/products/{id}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(p["main_pair"], json!([]));
    assert_eq!(p["image_pairs"].as_object().unwrap().len(), 1);
}

/// The UUID of a product number.
pub async fn find_uuid(app: &TestApp, n: i64) -> uuid::Uuid {
    app.store
        .id_by_number(&ctx(app).await, pimento_core::numbers::Numbered::Product, n)
        .await
        .unwrap()
}

#[tokio::test]
async fn features_are_set_by_variant_or_value() {
    let app = spawn().await;
    let cat = category(&app, "C", None).await;
    let c = ctx(&app).await;
    let brand = app
        .store
        .create_attribute(
            &c,
            AttributeInput {
                name: "Brand".into(),
                attr_type: AttributeType::Select,
                options: vec!["Nike".into(), "Adidas".into()],
                ..AttributeInput::default()
            },
        )
        .await
        .unwrap();
    let organic = app
        .store
        .create_attribute(
            &c,
            AttributeInput {
                name: "Organic".into(),
                attr_type: AttributeType::Boolean,
                ..AttributeInput::default()
            },
        )
        .await
        .unwrap();
    let id = create(&app, json!({"product": "P", "category_ids": [cat], "price": 1})).await;
    let b = brand.number.to_string();
    // The seed's feature update: a variant by its id.
    cs(
        &app,
        Method::PUT,
        &format!("/api/products/{id}"),
        Some(
            json!({"product_features": {b.clone(): {"feature_id": b, "variant_id": "2",
            "variants": {"2": {"variant_id": "2", "variant": "Adidas"}}},
            organic.number.to_string(): {"value": "Y"}}}),
        ),
    )
    .await
    .expect(200);
    let p = cs(&app, Method::GET, &format!("/api/products/{id}"), None)
        .await
        .expect(200)
        .body;
    let f = &p["product_features"][&b];
    assert_eq!(f["feature_id"], b);
    assert_eq!(f["variant_id"], "2");
    assert_eq!(f["variant"], "Adidas");
    assert_eq!(f["feature_type"], "S");
    assert_eq!(f["description"], "Brand");
    assert_eq!(f["variants"]["2"]["variant"], "Adidas");
    assert_eq!(p["product_features"][organic.number.to_string()]["value"], "Y");
    // Unknown feature, unknown variant.
    let r = cs(
        &app,
        Method::PUT,
        &format!("/api/products/{id}"),
        Some(json!({"product_features": {"999": {"variant_id": "1"}}})),
    )
    .await
    .expect(400);
    assert!(message(&r).starts_with("product_features.999"), "{}", r.body);
    let r = cs(
        &app,
        Method::PUT,
        &format!("/api/products/{id}"),
        Some(json!({"product_features": {b.clone(): {"variant_id": "7"}}})),
    )
    .await
    .expect(400);
    assert!(message(&r).contains("variant_id"), "{}", r.body);
    // A list where a value belongs is refused, not read as no value.
    let r = cs(
        &app,
        Method::PUT,
        &format!("/api/products/{id}"),
        Some(json!({"product_features": {b.clone(): {"value": ["a"]}}})),
    )
    .await
    .expect(400);
    assert!(
        message(&r).ends_with(".value: must be a string or a number"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn bad_input_is_a_400_naming_the_field() {
    let app = spawn().await;
    let cat = category(&app, "C", None).await;
    let ok = json!({"product": "P", "category_ids": [cat], "price": "1"});
    for (change, field) in [
        (json!({"product": null}), "product"),
        (json!({"product": ""}), "product"),
        (json!({"category_ids": null}), "category_ids"),
        (json!({"category_ids": []}), "category_ids"),
        (json!({"category_ids": ["x"]}), "category_ids"),
        (json!({"category_ids": [9999]}), "category_ids"),
        (json!({"price": null}), "price"),
        (json!({"price": "abc"}), "price"),
        (json!({"price": "-1"}), "price"),
        (json!({"amount": "many"}), "amount"),
        (json!({"status": "X"}), "status"),
        (json!({"company_id": "77"}), "company_id"),
        (json!({"free_shipping": "maybe"}), "free_shipping"),
        (json!({"tracking": "Z"}), "tracking"),
        (json!({"age_limit": "old"}), "age_limit"),
        (json!({"weight": "heavy"}), "weight"),
        (json!({"weight": "-1"}), "weight"),
        (json!({"main_category": 9999}), "main_category"),
        (
            json!({"main_pair": {"detailed": {"alt": "no image"}}}),
            "main_pair.detailed",
        ),
        (
            json!({"main_pair": {"detailed": {"image_path": "not a url"}}}),
            "main_pair.detailed.image_path",
        ),
    ] {
        let mut body = ok.clone();
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = cs(&app, Method::POST, "/api/products", Some(body)).await;
        assert_eq!(r.status.as_u16(), 400, "{change}: {}", r.body);
        assert!(message(&r).starts_with(&format!("{field}:")), "{change}: {}", r.body);
    }
    // A taken product code is a 400 naming it, as CS-Cart answers.
    create(
        &app,
        json!({"product": "A", "category_ids": [cat], "price": 1, "product_code": "SKU-1"}),
    )
    .await;
    let r = cs(
        &app,
        Method::POST,
        "/api/products",
        Some(json!({"product": "B", "category_ids": [cat], "price": 1, "product_code": "SKU-1"})),
    )
    .await
    .expect(400);
    assert!(message(&r).starts_with("product_code:"), "{}", r.body);
    // Not JSON.
    let r = app
        .raw(
            Method::POST,
            "/api/products",
            None,
            Body::from("{"),
            &[("authorization", &basic(&app.org.secret_key))],
        )
        .await
        .expect(400);
    assert!(!message(&r).is_empty());
    // Unknown ids and paths.
    for path in [
        "/api/products/0",
        "/api/products/abc",
        "/api/products/999",
        "/api/nothing",
        "/api/categories/9/products",
    ] {
        let r = cs(&app, Method::GET, path, None).await.expect(404);
        assert!(!message(&r).is_empty(), "{path}");
    }
}

#[tokio::test]
async fn keys_are_checked_and_organizations_kept_apart() {
    let app = spawn().await;
    let cat = category(&app, "C", None).await;
    let v = vendor(&app, "V").await;
    let id = create(&app, json!({"product": "Mine", "category_ids": [cat], "price": 1})).await;
    // No key, a wrong key, a key as a Bearer token: 401 with CS-Cart's body.
    let r = app
        .raw(Method::GET, "/api/products", None, Body::empty(), &[])
        .await
        .expect(401);
    assert!(r.body["message"].is_string());
    cs_as(&app, "sk_wrong", Method::GET, "/api/products", None)
        .await
        .expect(401);
    app.call(Method::GET, "/api/products", Some(&app.org.secret_key), None)
        .await
        .expect(401);
    // A publishable key may not use the admin API.
    let r = cs_as(&app, &app.org.publishable_key, Method::GET, "/api/products", None).await;
    assert_eq!(r.status.as_u16(), 403, "{}", r.body);
    // Another organization's key sees none of it.
    let other = app.other.secret_key.clone();
    let list = cs_as(&app, &other, Method::GET, "/api/products", None)
        .await
        .expect(200)
        .body;
    assert_eq!(list["products"], json!([]));
    assert_eq!(list["params"]["total_items"], "0");
    for (method, path, body) in [
        (Method::GET, format!("/api/products/{id}"), None),
        (Method::PUT, format!("/api/products/{id}"), Some(json!({"price": 5}))),
        (Method::DELETE, format!("/api/products/{id}"), None),
        (Method::GET, format!("/api/categories/{cat}/products"), None),
        (Method::GET, format!("/api/categories/{cat}/products/{id}"), None),
        (Method::GET, format!("/api/stores/{v}/products"), None),
        (Method::GET, format!("/api/vendors/{v}/products"), None),
        (
            Method::POST,
            format!("/api/vendors/{v}/products"),
            Some(json!({"product": "x", "category_ids": [1], "price": 1})),
        ),
    ] {
        cs_as(&app, &other, method.clone(), &path, body).await.expect(404);
    }
    // Its own number 1 is its own object, never ours: it has none.
    let r = cs_as(
        &app,
        &other,
        Method::POST,
        "/api/products",
        Some(json!({"product": "x", "category_ids": [cat], "price": 1})),
    )
    .await
    .expect(400);
    assert!(message(&r).starts_with("category_ids"), "{}", r.body);
    let p = cs(&app, Method::GET, &format!("/api/products/{id}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(p["price"], "1.00");
}

#[tokio::test]
async fn scoped_lists_reads_and_creates() {
    let app = spawn().await;
    let root = category(&app, "Root", None).await;
    let child = category(&app, "Child", Some(root)).await;
    let other = category(&app, "Other", None).await;
    let v1 = vendor(&app, "One").await;
    let v2 = vendor(&app, "Two").await;
    let in_root = create(&app, json!({"product": "In root", "category_ids": [root], "price": 1})).await;
    let in_child = create(
        &app,
        json!({"product": "In child", "category_ids": [child], "price": 2}),
    )
    .await;
    let elsewhere = create(
        &app,
        json!({"product": "Elsewhere", "category_ids": [other], "price": 3}),
    )
    .await;
    // The seed's vendor create.
    let r = cs(
        &app,
        Method::POST,
        &format!("/api/vendors/{v1}/products"),
        Some(json!({"product": "Vendor's Product Name", "category_ids": other.to_string(), "price": "1000"})),
    )
    .await
    .expect(201);
    let by_v1 = r.body["product_id"].as_i64().unwrap();
    let by_v2 = cs(
        &app,
        Method::POST,
        &format!("/api/stores/{v2}/products/"),
        Some(json!({"product": "Store product", "category_ids": [other], "price": "5"})),
    )
    .await
    .expect(201)
    .body["product_id"]
        .as_i64()
        .unwrap();
    let ids = |r: Resp| -> Vec<String> {
        r.body["products"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["product_id"].as_str().unwrap().to_owned())
            .collect()
    };
    let s = |n: i64| n.to_string();
    assert_eq!(
        ids(cs(&app, Method::GET, &format!("/api/categories/{root}/products"), None)
            .await
            .expect(200)),
        [s(in_child), s(in_root)]
    );
    assert_eq!(
        ids(cs(
            &app,
            Method::GET,
            &format!("/api/categories/{root}/products/?subcats=N"),
            None
        )
        .await
        .expect(200)),
        [s(in_root)]
    );
    assert_eq!(
        ids(cs(&app, Method::GET, &format!("/api/vendors/{v1}/products"), None)
            .await
            .expect(200)),
        [s(by_v1)]
    );
    assert_eq!(
        ids(cs(&app, Method::GET, &format!("/api/stores/{v2}/products"), None)
            .await
            .expect(200)),
        [s(by_v2)]
    );
    let p = cs(&app, Method::GET, &format!("/api/products/{by_v1}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(p["company_id"], v1.to_string());
    // A product of a category (or its subcategories), and not of another.
    cs(
        &app,
        Method::GET,
        &format!("/api/categories/{root}/products/{in_child}"),
        None,
    )
    .await
    .expect(200);
    cs(
        &app,
        Method::GET,
        &format!("/api/categories/{child}/products/{in_root}"),
        None,
    )
    .await
    .expect(404);
    cs(
        &app,
        Method::GET,
        &format!("/api/categories/{root}/products/{elsewhere}"),
        None,
    )
    .await
    .expect(404);
    // The seed's example: the 5th page of 20 of a vendor's products is empty here.
    let r = cs(
        &app,
        Method::GET,
        &format!("/api/vendors/{v1}/products?page=5&items_per_page=20"),
        None,
    )
    .await
    .expect(200);
    assert_eq!(r.body["products"], json!([]));
    assert_eq!(r.body["params"]["page"], 5);
    assert_eq!(r.body["params"]["items_per_page"], 20);
    assert_eq!(r.body["params"]["total_items"], "1");
    // Unknown scopes.
    cs(&app, Method::GET, "/api/vendors/999/products", None)
        .await
        .expect(404);
    cs(&app, Method::POST, "/api/stores/999/products", Some(json!({})))
        .await
        .expect(404);
}

#[tokio::test]
async fn a_product_is_the_same_in_every_api() {
    let app = spawn().await;
    let cat = category(&app, "C", None).await;
    let id = create(
        &app,
        json!({"product": "Shared", "category_ids": [cat], "price": "12.50", "amount": 4, "product_code": "SH-1",
               "full_description": "Made here", "status": "A"}),
    )
    .await;
    let uuid = find_uuid(&app, id).await;
    let v1 = app.get(&format!("/api/v1/products/{uuid}")).await.expect(200).body;
    assert_eq!(v1["name"], "Shared", "{v1}");
    let pim = app
        .pim_get(&format!("/api/v1/pim/products/{uuid}"))
        .await
        .expect(200)
        .body;
    assert_eq!(pim["number"], id, "{pim}");
    assert_eq!(pim["description"], "Made here");
    // The other way: a product made with the Products API, read here.
    let made = app
        .product(json!({"name": "From v1", "url": "https://x.example/v1", "variants": [{"sku": "V1-1", "price": "7.00", "inventoryQuantity": 3}]}))
        .await;
    let list = cs(&app, Method::GET, "/api/products?pcode=V1-1", None)
        .await
        .expect(200)
        .body;
    let p = &list["products"][0];
    assert_eq!(p["product"], "From v1", "{list} {made}");
    assert_eq!(p["price"], "7.00");
    assert_eq!(p["amount"], "3");
    assert_eq!(p["product_code"], "V1-1");
    assert_eq!(p["category_ids"], json!([]));
    assert_eq!(
        p["free_shipping"], "N",
        "a product made elsewhere reads CS-Cart's defaults"
    );
}

/// CS-Cart's price is the variant's price in CS-Cart's currency (USD) wherever the variant keeps
/// it; writing it leaves the variant's other currencies as they are.
#[tokio::test]
async fn the_price_is_the_usd_price_and_other_currencies_stay() {
    let app = spawn().await;
    let admin = |body: Value| {
        let app = &app;
        async move {
            app.call(Method::POST, "/admin/products", Some(&app.org.secret_key), Some(body))
                .await
                .expect(200)
                .body
        }
    };
    let prices_of = |sku: &'static str| {
        let app = &app;
        async move {
            let list = app
                .call(
                    Method::GET,
                    &format!("/admin/product-variants?q={sku}&fields=sku,*prices"),
                    Some(&app.org.secret_key),
                    None,
                )
                .await
                .expect(200)
                .body;
            let mut prices: Vec<(String, f64)> = list["variants"][0]["prices"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| {
                    (
                        p["currency_code"].as_str().unwrap().to_owned(),
                        p["amount"].as_f64().unwrap(),
                    )
                })
                .collect();
            prices.sort_by(|a, b| a.0.cmp(&b.0));
            prices
        }
    };
    let product = |title: &str, sku: &str, prices: Value| {
        json!({"title": title, "options": [{"title": "Size", "values": ["S"]}],
               "variants": [{"title": "S", "sku": sku, "options": {"Size": "S"}, "prices": prices}]})
    };
    admin(product(
        "Both",
        "BOTH-S",
        json!([{"amount": 5, "currency_code": "eur"}, {"amount": 6, "currency_code": "usd"}]),
    ))
    .await;
    admin(product(
        "Euro",
        "EURO-S",
        json!([{"amount": 5, "currency_code": "eur"}]),
    ))
    .await;

    let read = |code: &'static str| {
        let app = &app;
        async move {
            let list = cs(app, Method::GET, &format!("/api/products?pcode={code}"), None)
                .await
                .expect(200)
                .body;
            let p = &list["products"][0];
            (
                p["product_id"].as_str().unwrap().to_owned(),
                p["price"].as_str().unwrap().to_owned(),
            )
        }
    };
    let (both, price) = read("BOTH-S").await;
    assert_eq!(price, "6.00", "the USD price, not the first one");
    cs(
        &app,
        Method::PUT,
        &format!("/api/products/{both}"),
        Some(json!({"price": "8"})),
    )
    .await
    .expect(200);
    assert_eq!(read("BOTH-S").await.1, "8.00");
    assert_eq!(prices_of("BOTH-S").await, [("eur".into(), 5.0), ("usd".into(), 8.0)]);

    // No USD price yet: the variant's own price is shown, and a new price is added in USD.
    let (euro, price) = read("EURO-S").await;
    assert_eq!(price, "5.00");
    cs(
        &app,
        Method::PUT,
        &format!("/api/products/{euro}"),
        Some(json!({"price": "9.5"})),
    )
    .await
    .expect(200);
    assert_eq!(read("EURO-S").await.1, "9.50");
    assert_eq!(prices_of("EURO-S").await, [("eur".into(), 5.0), ("usd".into(), 9.5)]);
}
