//! `/api/v1/pim/categories` and `/api/v1/pim/brands`.

use crate::harness::{id_of, spawn};
use serde_json::{Value, json};

#[tokio::test]
async fn seed_example_categories_nest_to_any_depth() {
    let app = spawn().await;
    let men = app
        .pim_create(
            "/api/v1/pim/categories",
            json!({"name": "Men", "slug": "men", "description": "For men"}),
        )
        .await;
    assert_eq!(men["depth"], 0);
    assert_eq!(men["parent_id"], Value::Null);
    let outer = app
        .pim_create(
            "/api/v1/pim/categories",
            json!({"name": "Men's Outerwear", "slug": "mens-outerwear", "parent_id": men["id"]}),
        )
        .await;
    assert_eq!(outer["slug"], "mens-outerwear");
    assert_eq!(outer["parent_id"], men["id"]);
    assert_eq!(outer["depth"], 1);
    let mut parent = outer.clone();
    for i in 0..5 {
        parent = app
            .pim_create(
                "/api/v1/pim/categories",
                json!({"name": format!("Level {i}"), "parent_id": parent["id"]}),
            )
            .await;
    }
    assert_eq!(parent["depth"], 6);
    assert_eq!(parent["slug"], "level-4");
    // Lists: all, roots, children of one.
    assert_eq!(
        app.pim_get("/api/v1/pim/categories")
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        7
    );
    let roots = app.pim_get("/api/v1/pim/categories?parent_id=root").await.body;
    assert_eq!(
        roots.as_array().unwrap().iter().map(id_of).collect::<Vec<_>>(),
        vec![id_of(&men)]
    );
    let kids = app
        .pim_get(&format!("/api/v1/pim/categories?parent_id={}", id_of(&men)))
        .await
        .body;
    assert_eq!(
        kids.as_array().unwrap().iter().map(id_of).collect::<Vec<_>>(),
        vec![id_of(&outer)]
    );
    let one = app
        .pim_get(&format!("/api/v1/pim/categories/{}", id_of(&outer)))
        .await
        .expect(200);
    assert_eq!(one.body, outer);
}

#[tokio::test]
async fn category_input_errors() {
    let app = spawn().await;
    let c = "/api/v1/pim/categories";
    app.pim_create(c, json!({"name": "Men", "slug": "men"})).await;
    let dup = app
        .pim_post(c, json!({"name": "Other", "slug": "men"}))
        .await
        .expect_error(409, "slug");
    assert_eq!(dup.body["code"], "duplicate_slug");
    app.pim_post(c, json!({"name": "Bad", "slug": "Not Safe"}))
        .await
        .expect_error(400, "slug");
    app.pim_post(c, json!({"slug": "x"})).await.expect_error(400, "name");
    app.pim_post(c, json!({"name": "Orphan", "parent_id": uuid::Uuid::now_v7()}))
        .await
        .expect_error(400, "parent_id");
    app.pim_post(c, json!({"name": "Orphan", "parent_id": "nope"}))
        .await
        .expect_error(400, "parent_id");
    app.pim_get("/api/v1/pim/categories?parent_id=nope")
        .await
        .expect_error(400, "parent_id");
    app.pim_get(&format!("{c}/{}", uuid::Uuid::now_v7())).await.expect(404);
    assert_eq!(app.pim_get(c).await.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn moving_a_category_carries_its_subtree_and_refuses_cycles() {
    let app = spawn().await;
    let c = "/api/v1/pim/categories";
    let a = app.pim_create(c, json!({"name": "A"})).await;
    let b = app.pim_create(c, json!({"name": "B", "parent_id": a["id"]})).await;
    let d = app.pim_create(c, json!({"name": "D", "parent_id": b["id"]})).await;
    let e = app.pim_create(c, json!({"name": "E"})).await;
    // A cannot go under itself or its grandchild.
    let path_a = format!("{c}/{}", id_of(&a));
    app.pim_put(&path_a, json!({"parent_id": a["id"]}))
        .await
        .expect_error(400, "parent_id");
    app.pim_put(&path_a, json!({"parent_id": d["id"]}))
        .await
        .expect_error(400, "parent_id");
    // Moving B (with D) under E.
    let moved = app
        .pim_put(
            &format!("{c}/{}", id_of(&b)),
            json!({"parent_id": e["id"], "name": "B2"}),
        )
        .await
        .expect(200)
        .body;
    assert_eq!(moved["parent_id"], e["id"]);
    assert_eq!(moved["name"], "B2");
    assert_eq!(moved["depth"], 1);
    let d2 = app.pim_get(&format!("{c}/{}", id_of(&d))).await.body;
    assert_eq!(d2["depth"], 2);
    // Now A may go under D: it is no longer A's descendant.
    let a2 = app
        .pim_put(&path_a, json!({"parent_id": d["id"]}))
        .await
        .expect(200)
        .body;
    assert_eq!(a2["depth"], 3);
    // And E cannot go under A, which now sits below E.
    app.pim_put(&format!("{c}/{}", id_of(&e)), json!({"parent_id": a["id"]}))
        .await
        .expect_error(400, "parent_id");
    // Back to a root with null.
    let root = app
        .pim_put(&format!("{c}/{}", id_of(&b)), json!({"parent_id": null}))
        .await
        .expect(200)
        .body;
    assert_eq!(root["depth"], 0);
    assert_eq!(app.pim_get(&format!("{c}/{}", id_of(&a))).await.body["depth"], 2);
}

#[tokio::test]
async fn a_category_with_subcategories_or_products_cannot_be_deleted() {
    let app = spawn().await;
    let c = "/api/v1/pim/categories";
    let parent = app.pim_create(c, json!({"name": "Parent"})).await;
    let child = app
        .pim_create(c, json!({"name": "Child", "parent_id": parent["id"]}))
        .await;
    let p = app
        .pim_create("/api/v1/pim/products", json!({"title": "P", "category": "child"}))
        .await;
    let r = app.pim_delete(&format!("{c}/{}", id_of(&parent))).await.expect(409);
    assert_eq!(r.body["code"], "category_has_children");
    let r = app.pim_delete(&format!("{c}/{}", id_of(&child))).await.expect(409);
    assert_eq!(r.body["code"], "in_use");
    // Move the product out, then both go.
    app.pim_put(
        &format!("/api/v1/pim/products/{}", id_of(&p)),
        json!({"category": null}),
    )
    .await
    .expect(200);
    app.pim_delete(&format!("{c}/{}", id_of(&child))).await.expect(204);
    app.pim_delete(&format!("{c}/{}", id_of(&parent))).await.expect(204);
    app.pim_get(&format!("{c}/{}", id_of(&parent))).await.expect(404);
    assert_eq!(app.pim_get(c).await.body, json!([]));
}

#[tokio::test]
async fn seed_example_brands() {
    let app = spawn().await;
    let b = app
        .pim_create(
            "/api/v1/pim/brands",
            json!({"name": "Acme", "description": "Since 1901", "logo_url": "https://cdn.example/acme.png"}),
        )
        .await;
    assert_eq!(b["name"], "Acme");
    assert_eq!(b["logo_url"], "https://cdn.example/acme.png");
    let listed = app.pim_get("/api/v1/pim/brands").await.expect(200).body;
    assert_eq!(listed, json!([b.clone()]));
    let path = format!("/api/v1/pim/brands/{}", id_of(&b));
    assert_eq!(app.pim_get(&path).await.expect(200).body, b);
    let u = app
        .pim_put(&path, json!({"name": "Acme Co", "logo_url": null}))
        .await
        .expect(200)
        .body;
    assert_eq!(u["name"], "Acme Co");
    assert_eq!(u["logo_url"], Value::Null);
    assert_eq!(u["description"], "Since 1901");
    // Errors.
    let dup = app
        .pim_post("/api/v1/pim/brands", json!({"name": "acme co"}))
        .await
        .expect_error(409, "name");
    assert_eq!(dup.body["code"], "duplicate_name");
    app.pim_post("/api/v1/pim/brands", json!({"name": "X", "logo_url": "not a url"}))
        .await
        .expect_error(400, "logo_url");
    app.pim_post("/api/v1/pim/brands", json!({"description": "no name"}))
        .await
        .expect_error(400, "name");
    // A brand products carry cannot be deleted; once free it can.
    let p = app
        .pim_create("/api/v1/pim/products", json!({"title": "P", "brand_id": b["id"]}))
        .await;
    assert_eq!(p["brand_id"], b["id"]);
    assert_eq!(app.pim_delete(&path).await.expect(409).body["code"], "in_use");
    app.pim_put(
        &format!("/api/v1/pim/products/{}", id_of(&p)),
        json!({"brand_id": null}),
    )
    .await
    .expect(200);
    app.pim_delete(&path).await.expect(204);
    app.pim_get(&path).await.expect(404);
}
