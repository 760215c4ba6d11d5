//! The CS-Cart API's categories, features and vendors: list, create, read, update, delete,
//! errors and another organization's key.

use crate::cscart_products::{create, cs, cs_as};
use crate::harness::spawn;
use axum::http::Method;
use serde_json::{Value, json};

fn n(v: &Value, key: &str) -> i64 {
    v[key].as_i64().unwrap_or_else(|| panic!("{key} in {v}"))
}

#[tokio::test]
async fn categories_form_a_tree_of_numbers() {
    let app = spawn().await;
    let root = n(
        &cs(
            &app,
            Method::POST,
            "/api/categories",
            Some(json!({"category": "Clothes", "status": "A"})),
        )
        .await
        .expect(201)
        .body,
        "category_id",
    );
    let child = n(
        &cs(
            &app,
            Method::POST,
            "/api/categories/",
            Some(json!({"category": "Pants", "parent_id": root.to_string(), "description": "Legs"})),
        )
        .await
        .expect(201)
        .body,
        "category_id",
    );
    let c = cs(&app, Method::GET, &format!("/api/categories/{child}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(c["category_id"], child.to_string());
    assert_eq!(c["parent_id"], root.to_string());
    assert_eq!(c["id_path"], format!("{root}/{child}"));
    assert_eq!(c["category"], "Pants");
    assert_eq!(c["description"], "Legs");
    assert_eq!(c["status"], "A");
    let list = cs(&app, Method::GET, "/api/categories?items_per_page=1", None)
        .await
        .expect(200)
        .body;
    assert_eq!(list["categories"].as_array().unwrap().len(), 1);
    assert_eq!(list["params"]["total_items"], "2");
    cs(
        &app,
        Method::PUT,
        &format!("/api/categories/{child}"),
        Some(json!({"category": "Trousers", "parent_id": 0})),
    )
    .await
    .expect(200);
    let c = cs(&app, Method::GET, &format!("/api/categories/{child}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(
        (c["category"].as_str(), c["parent_id"].as_str()),
        (Some("Trousers"), Some("0"))
    );
    // A value that means nothing is refused, naming its field.
    for (body, field) in [
        (json!({"category": "X", "status": "Q"}), "status"),
        (json!({"category": "X", "position": "tenth"}), "position"),
        (json!({"category": "X", "parent_id": "999"}), "parent_id"),
        (json!({"parent_id": "0"}), "category"),
    ] {
        let r = cs(&app, Method::POST, "/api/categories", Some(body)).await.expect(400);
        assert!(r.body["message"].as_str().unwrap().starts_with(field), "{}", r.body);
    }
    // A category that files a product is not deleted.
    let p = create(&app, json!({"product": "P", "category_ids": [child], "price": 1})).await;
    cs(&app, Method::DELETE, &format!("/api/categories/{child}"), None)
        .await
        .expect(400);
    cs(&app, Method::DELETE, &format!("/api/products/{p}"), None)
        .await
        .expect(204);
    cs(&app, Method::DELETE, &format!("/api/categories/{child}/"), None)
        .await
        .expect(204);
    cs(&app, Method::GET, &format!("/api/categories/{child}"), None)
        .await
        .expect(404);
    // Another organization's key.
    let other = app.other.secret_key.clone();
    cs_as(&app, &other, Method::GET, &format!("/api/categories/{root}"), None)
        .await
        .expect(404);
    cs_as(&app, &other, Method::DELETE, &format!("/api/categories/{root}"), None)
        .await
        .expect(404);
    let list = cs_as(&app, &other, Method::GET, "/api/categories", None)
        .await
        .expect(200)
        .body;
    assert_eq!(list["categories"], json!([]));
}

/// A name may repeat under other parents, as in CS-Cart: the derived slug takes a number; a
/// slug given and taken is still refused.
#[tokio::test]
async fn category_names_repeat_under_other_parents() {
    let app = spawn().await;
    let post = |body: Value| {
        let app = &app;
        async move { cs(app, Method::POST, "/api/categories", Some(body)).await }
    };
    let men = n(&post(json!({"category": "Men"})).await.expect(201).body, "category_id");
    let women = n(
        &post(json!({"category": "Women"})).await.expect(201).body,
        "category_id",
    );
    let mut slugs = Vec::new();
    for parent in [men, women] {
        let id = n(
            &post(json!({"category": "Accessories", "parent_id": parent}))
                .await
                .expect(201)
                .body,
            "category_id",
        );
        let c = cs(&app, Method::GET, &format!("/api/categories/{id}"), None)
            .await
            .expect(200)
            .body;
        assert_eq!(c["category"], "Accessories");
        slugs.push(c["seo_name"].as_str().unwrap().to_owned());
    }
    assert_eq!(slugs, ["accessories", "accessories-2"]);
    let r = post(json!({"category": "Other", "seo_name": "accessories"}))
        .await
        .expect(400);
    assert!(
        r.body["message"].as_str().unwrap().starts_with("seo_name"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn vendors_are_companies() {
    let app = spawn().await;
    let v = n(
        &cs(
            &app,
            Method::POST,
            "/api/vendors",
            Some(json!({"company": "Acme", "email": "sales@acme.example", "status": "P"})),
        )
        .await
        .expect(201)
        .body,
        "company_id",
    );
    let got = cs(&app, Method::GET, &format!("/api/vendors/{v}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(got["company"], "Acme");
    assert_eq!(got["email"], "sales@acme.example");
    assert_eq!(got["status"], "P");
    cs(
        &app,
        Method::PUT,
        &format!("/api/vendors/{v}"),
        Some(json!({"status": "A", "company": "Acme Inc"})),
    )
    .await
    .expect(200);
    let list = cs(&app, Method::GET, "/api/vendors", None).await.expect(200).body;
    assert_eq!(list["vendors"][0]["company"], "Acme Inc");
    assert_eq!(list["vendors"][0]["status"], "A");
    assert_eq!(list["params"]["total_items"], "1");
    for (body, field) in [
        (json!({"email": "a@b.example"}), "company"),
        (json!({"company": "X", "status": "Q"}), "status"),
        (json!({"company": "X", "email": "nope"}), "email"),
    ] {
        let r = cs(&app, Method::POST, "/api/vendors", Some(body)).await.expect(400);
        assert!(r.body["message"].as_str().unwrap().starts_with(field), "{}", r.body);
    }
    cs_as(
        &app,
        &app.other.secret_key.clone(),
        Method::GET,
        &format!("/api/vendors/{v}"),
        None,
    )
    .await
    .expect(404);
    cs(&app, Method::DELETE, &format!("/api/vendors/{v}"), None)
        .await
        .expect(204);
    cs(&app, Method::GET, &format!("/api/vendors/{v}"), None)
        .await
        .expect(404);
}

#[tokio::test]
async fn features_and_their_variants_are_attributes_and_options() {
    let app = spawn().await;
    let brand = n(
        &cs(
            &app,
            Method::POST,
            "/api/features",
            Some(json!({"description": "Brand", "feature_type": "E", "variants": [{"variant": "Nike"}, {"variant": "Adidas"}]})),
        )
        .await
        .expect(201)
        .body,
        "feature_id",
    );
    let f = cs(&app, Method::GET, &format!("/api/features/{brand}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(f["description"], "Brand");
    assert_eq!(f["feature_type"], "E", "a brand reads back as the brand it was made as");
    assert_eq!(f["variants"]["2"]["variant"], "Adidas");
    // A product given the feature through the product API.
    let cat = n(
        &cs(&app, Method::POST, "/api/categories", Some(json!({"category": "C"})))
            .await
            .expect(201)
            .body,
        "category_id",
    );
    let p = create(
        &app,
        json!({"product": "Shoe", "category_ids": [cat], "price": 1,
               "product_features": {brand.to_string(): {"feature_id": brand.to_string(), "variant_id": "2"}}}),
    )
    .await;
    let got = cs(&app, Method::GET, &format!("/api/products/{p}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(got["product_features"][brand.to_string()]["variant"], "Adidas");
    cs(&app, Method::PUT, &format!("/api/features/{brand}"), Some(json!({"description": "Make", "variants": {"1": {"variant": "Nike"}, "2": {"variant": "Adidas"}, "3": {"variant": "Puma"}}})))
        .await
        .expect(200);
    let list = cs(&app, Method::GET, "/api/features", None).await.expect(200).body;
    assert_eq!(list["features"][0]["description"], "Make");
    assert_eq!(list["features"][0]["variants"]["3"]["variant"], "Puma");
    for (body, field) in [
        (json!({"feature_type": "T"}), "description"),
        (json!({"description": "X", "feature_type": "Q"}), "feature_type"),
        (json!({"description": "Y", "feature_type": "S"}), "variants"),
    ] {
        let r = cs(&app, Method::POST, "/api/features", Some(body)).await.expect(400);
        assert!(r.body["message"].as_str().unwrap().starts_with(field), "{}", r.body);
    }
    let r = cs(
        &app,
        Method::PUT,
        &format!("/api/features/{brand}"),
        Some(json!({"feature_type": "T"})),
    )
    .await
    .expect(400);
    assert!(r.body["message"].as_str().unwrap().starts_with("feature_type"));
    cs_as(
        &app,
        &app.other.secret_key.clone(),
        Method::GET,
        &format!("/api/features/{brand}"),
        None,
    )
    .await
    .expect(404);
    let number = n(
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
    cs(&app, Method::DELETE, &format!("/api/features/{number}"), None)
        .await
        .expect(204);
    cs(&app, Method::GET, &format!("/api/features/{number}"), None)
        .await
        .expect(404);
}

/// CS-Cart deletes a feature's values with the feature: a product read through any API no
/// longer holds them, a new feature with the same code starts empty, and each product's change
/// is in the audit log. The PIM keeps them instead, for its validation report to list.
#[tokio::test]
async fn deleting_a_feature_removes_its_values_from_products() {
    let app = spawn().await;
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
    let size = feature(
        json!({"description": "Size", "feature_code": "size", "feature_type": "S",
                              "variants": [{"variant": "S"}, {"variant": "M"}]}),
    )
    .await;
    let note = feature(json!({"description": "Note", "feature_code": "note", "feature_type": "T"})).await;
    let cat = n(
        &cs(&app, Method::POST, "/api/categories", Some(json!({"category": "C"})))
            .await
            .expect(201)
            .body,
        "category_id",
    );
    let mut products = Vec::new();
    for name in ["One", "Two"] {
        products.push(
            create(
                &app,
                json!({"product": name, "category_ids": [cat], "price": 1,
                       "product_features": {size.to_string(): {"variant": "M"}, note.to_string(): {"value": "kept"}}}),
            )
            .await,
        );
    }
    // A product without the feature is not touched.
    let bare = create(&app, json!({"product": "Bare", "category_ids": [cat], "price": 1})).await;
    let bare_before = cs(&app, Method::GET, &format!("/api/products/{bare}"), None)
        .await
        .expect(200);

    cs(&app, Method::DELETE, &format!("/api/features/{size}"), None)
        .await
        .expect(204);
    for p in &products {
        let got = cs(&app, Method::GET, &format!("/api/products/{p}"), None)
            .await
            .expect(200)
            .body;
        let features = got["product_features"].as_object().cloned().unwrap_or_default();
        assert!(!features.contains_key(&size.to_string()), "{got}");
        assert_eq!(features[&note.to_string()]["value"], "kept", "{got}");
        let uuid = crate::cscart_products::find_uuid(&app, *p).await;
        let pim = app
            .pim_get(&format!("/api/v1/pim/products/{uuid}"))
            .await
            .expect(200)
            .body;
        assert_eq!(pim["attributes"], json!({"note": "kept"}), "{pim}");
        let audit = app
            .pim_get(&format!("/api/v1/pim/audit?entity_id={uuid}"))
            .await
            .expect(200)
            .body;
        let removed = audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["changes"]["attributes"]["before"]["size"] == "M");
        assert!(removed, "the removal is recorded: {audit}");
    }
    let bare_after = cs(&app, Method::GET, &format!("/api/products/{bare}"), None)
        .await
        .expect(200);
    assert_eq!(
        bare_before.body, bare_after.body,
        "a product without the feature keeps its version"
    );

    // A new feature under the old code does not bring old values back.
    let again = feature(json!({"description": "Size", "feature_code": "size", "feature_type": "T"})).await;
    let got = cs(&app, Method::GET, &format!("/api/products/{}", products[0]), None)
        .await
        .expect(200)
        .body;
    assert!(
        !got["product_features"]
            .as_object()
            .is_some_and(|f| f.contains_key(&again.to_string())),
        "{got}"
    );

    // Another organization's key deletes nothing here.
    cs_as(
        &app,
        &app.other.secret_key.clone(),
        Method::DELETE,
        &format!("/api/features/{note}"),
        None,
    )
    .await
    .expect(404);

    // The PIM's delete keeps the values, for its validation report.
    let pim_note = app
        .pim_get("/api/v1/pim/attributes")
        .await
        .expect(200)
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "note")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.pim_delete(&format!("/api/v1/pim/attributes/{pim_note}"))
        .await
        .expect(204);
    let uuid = crate::cscart_products::find_uuid(&app, products[0]).await;
    let pim = app
        .pim_get(&format!("/api/v1/pim/products/{uuid}"))
        .await
        .expect(200)
        .body;
    assert_eq!(pim["attributes"], json!({"note": "kept"}), "{pim}");
}
