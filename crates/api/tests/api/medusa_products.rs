//! The Medusa admin API's products and variants over HTTP: Medusa's shapes, `fields`, list
//! filters, errors, another organization's key, and the same catalog as the other APIs.

use crate::harness::{Resp, TestApp, spawn};
use axum::body::Body;
use axum::http::Method;
use serde_json::{Value, json};

/// `Authorization: Basic base64(<key>:)`, as `@medusajs/js-sdk` sends its `apiKey`.
fn basic(key: &str) -> String {
    use base64::Engine;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{key}:"))
    )
}

async fn medusa(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> Resp {
    as_key(app, &app.org.secret_key, method, path, body).await
}

async fn as_key(app: &TestApp, key: &str, method: Method, path: &str, body: Option<Value>) -> Resp {
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    app.raw(
        method,
        path,
        None,
        body,
        &[("authorization", &basic(key)), ("x-medusa-locale", "")],
    )
    .await
}

fn shirt() -> Value {
    json!({
        "title": "Red Cotton Shirt",
        "subtitle": "Comfy",
        "description": "A shirt",
        "status": "published",
        "thumbnail": "https://example.com/thumb.png",
        "images": [{"url": "https://example.com/1.png"}, {"url": "https://example.com/2.png"}],
        "metadata": {"color": "red", "n": 1},
        "weight": 100, "origin_country": "us", "hs_code": "610910", "external_id": "ext-1",
        "is_giftcard": "false",
        "sales_channels": [{"id": "sc_01ARZ3NDEKTSV4RRFFQ69G5FAV"}], "shipping_profile_id": "sp_1",
        "options": [{"title": "Size", "values": ["S", "M"]}],
        "variants": [
            {"title": "Small", "sku": "RCS-S", "options": {"Size": "S"},
             "prices": [{"currency_code": "usd", "amount": 10}, {"currency_code": "eur", "amount": 9.5}],
             "manage_inventory": false},
            {"title": "Medium", "sku": "RCS-M", "options": {"Size": "M"},
             "prices": [{"currency_code": "usd", "amount": 12}],
             "barcode": "123", "ean": "e", "allow_backorder": true, "weight": 1, "metadata": {"v": 1}}
        ]
    })
}

async fn create(app: &TestApp, body: Value) -> Value {
    medusa(app, Method::POST, "/admin/products", Some(body))
        .await
        .expect(200)
        .body["product"]
        .clone()
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_product_is_created_read_changed_and_deleted_the_medusa_way() {
    let app = spawn().await;
    let p = create(&app, shirt()).await;
    let pid = id(&p);
    assert!(pid.starts_with("prod_01"), "{pid}");
    assert_eq!(p["status"], "published");
    assert_eq!(p["handle"], "red-cotton-shirt");
    assert_eq!(p["external_id"], "ext-1");
    assert_eq!(p["is_giftcard"], false);
    assert_eq!(p["discountable"], true);
    assert_eq!(p["weight"], 100);
    assert_eq!(p["options"][0]["title"], "Size");
    assert_eq!(p["options"][0]["is_exclusive"], true);
    assert_eq!(p["options"][0]["values"].as_array().unwrap().len(), 2);
    assert_eq!(p["images"][1]["rank"], 1);
    let small = &p["variants"][0];
    assert_eq!(small["sku"], "RCS-S");
    assert_eq!(small["manage_inventory"], false);
    assert_eq!(small["options"][0]["value"], "S");
    assert_eq!(small["options"][0]["option"]["title"], "Size");
    let prices: Vec<(Value, Value)> = small["prices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["currency_code"].clone(), p["amount"].clone()))
        .collect();
    assert_eq!(prices, vec![(json!("usd"), json!(10)), (json!("eur"), json!(9.5))]);
    let medium = &p["variants"][1];
    assert_eq!(medium["barcode"], "123", "a barcode that is no GTIN is kept as given");
    assert_eq!(
        (medium["ean"].clone(), medium["allow_backorder"].clone()),
        (json!("e"), json!(true))
    );
    assert!(p.get("categories").is_none(), "categories are not a default field");
    assert_eq!(
        p["sales_channels"],
        json!([{"id": "sc_01ARZ3NDEKTSV4RRFFQ69G5FAV"}]),
        "kept as given"
    );
    let profile = medusa(
        &app,
        Method::GET,
        &format!("/admin/products/{pid}?fields=shipping_profile"),
        None,
    )
    .await;
    assert_eq!(
        profile.expect(200).body["product"]["shipping_profile"],
        json!({"id": "sp_1"})
    );

    // Read back, the same.
    let got = medusa(&app, Method::GET, &format!("/admin/products/{pid}"), None)
        .await
        .expect(200);
    assert_eq!(got.body["product"], p);

    // A partial update: metadata merges, "" removes a key.
    let changed = medusa(
        &app,
        Method::POST,
        &format!("/admin/products/{pid}"),
        Some(
            json!({"title": "Red Shirt", "metadata": {"color": "", "added": "yes"}, "status": "draft",
                    "variants": [{"id": id(small), "prices": [{"currency_code": "usd", "amount": 11}]}]}),
        ),
    )
    .await
    .expect(200)
    .body["product"]
        .clone();
    assert_eq!(changed["title"], "Red Shirt");
    assert_eq!(changed["status"], "draft");
    assert_eq!(changed["metadata"], json!({"n": 1, "added": "yes"}));
    assert_eq!(
        changed["variants"][0]["prices"].as_array().unwrap().len(),
        1,
        "prices given replace the set"
    );
    assert_eq!(changed["variants"][0]["prices"][0]["amount"], 11);
    assert_eq!(changed["subtitle"], "Comfy", "fields left out stay");

    // Delete: archived, gone from reads and lists, back with with_deleted.
    let del = medusa(&app, Method::DELETE, &format!("/admin/products/{pid}"), None)
        .await
        .expect(200);
    assert_eq!(del.body, json!({"id": pid, "object": "product", "deleted": true}));
    let gone = medusa(&app, Method::GET, &format!("/admin/products/{pid}"), None)
        .await
        .expect(404);
    assert_eq!(gone.body, json!({"type": "not_found", "message": "Product not found"}));
    let list = medusa(&app, Method::GET, "/admin/products", None).await.expect(200);
    assert_eq!(list.body["count"], 0);
    let list = medusa(
        &app,
        Method::GET,
        "/admin/products?with_deleted=true&fields=id,deleted_at",
        None,
    )
    .await
    .expect(200);
    assert_eq!(list.body["count"], 1);
    assert!(list.body["products"][0]["deleted_at"].is_string());
    // Deleting again, or something that never was, answers the same.
    medusa(&app, Method::DELETE, &format!("/admin/products/{pid}"), None)
        .await
        .expect(200);
    medusa(
        &app,
        Method::DELETE,
        "/admin/products/prod_01ARZ3NDEKTSV4RRFFQ69G5FAV",
        None,
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn fields_add_remove_replace_and_reach_into_relations() {
    let app = spawn().await;
    let pid = id(&create(&app, shirt()).await);
    let get = |q: &str| {
        let path = format!("/admin/products/{pid}?fields={q}");
        let app = &app;
        async move { medusa(app, Method::GET, &path, None).await.expect(200).body["product"].clone() }
    };
    assert_eq!(get("title").await, json!({"id": pid, "title": "Red Cotton Shirt"}));
    let plus = get("%2Bmetadata,-variants,-options,-images,-tags,-type,-collection,-sales_channels").await;
    assert_eq!(plus["metadata"], json!({"color": "red", "n": 1}));
    assert!(plus.get("variants").is_none() && plus.get("title").is_some());
    // An unencoded `+` arrives as a space and adds all the same.
    let spaced = get("+metadata").await;
    assert!(spaced.get("variants").is_some() && spaced.get("metadata").is_some());
    let skus = get("variants.sku").await;
    assert_eq!(skus["variants"][0].as_object().unwrap().len(), 2, "{skus}");
    assert_eq!(skus["variants"][1]["sku"], "RCS-M");
    let cats = get("*categories").await;
    assert_eq!(cats["categories"], json!([]));
    assert!(
        cats.get("variants").is_some(),
        "a starred relation adds to the defaults"
    );
}

#[tokio::test]
async fn lists_filter_order_and_page_as_medusa_clients_ask() {
    let app = spawn().await;
    let mut ids = Vec::new();
    for (title, status) in [
        ("Alpha Tee", "published"),
        ("Beta Mug", "draft"),
        ("Gamma Tee", "published"),
    ] {
        let p = create(
            &app,
            json!({"title": title, "status": status, "options": [{"title": "Default", "values": ["Default"]}]}),
        )
        .await;
        ids.push(id(&p));
    }
    let list = |q: &str| {
        let path = format!("/admin/products?{q}");
        let app = &app;
        async move { medusa(app, Method::GET, &path, None).await.expect(200).body }
    };
    let titles = |b: &Value| -> Vec<String> {
        b["products"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = list("fields=title").await;
    assert_eq!(
        (all["count"].clone(), all["limit"].clone(), all["offset"].clone()),
        (json!(3), json!(50), json!(0))
    );
    assert_eq!(
        titles(&all),
        ["Alpha Tee", "Beta Mug", "Gamma Tee"],
        "creation order by default"
    );
    assert_eq!(
        titles(&list("order=-title&fields=title").await),
        ["Gamma Tee", "Beta Mug", "Alpha Tee"]
    );
    let page = list("limit=1&offset=1&fields=title").await;
    assert_eq!(
        (titles(&page), page["count"].clone()),
        (vec!["Beta Mug".to_owned()], json!(3))
    );
    assert_eq!(titles(&list("q=tee&fields=title").await), ["Alpha Tee", "Gamma Tee"]);
    assert_eq!(titles(&list("status%5B0%5D=draft&fields=title").await), ["Beta Mug"]);
    assert_eq!(
        titles(&list("status[]=draft&status[]=published&fields=title").await).len(),
        3
    );
    let by_id = format!("id%5B0%5D={}&id%5B1%5D={}&fields=title", ids[0], ids[2]);
    assert_eq!(titles(&list(&by_id).await), ["Alpha Tee", "Gamma Tee"]);
    assert_eq!(titles(&list("handle=beta-mug&fields=title").await), ["Beta Mug"]);
    assert_eq!(titles(&list("title=Gamma%20Tee&fields=title").await), ["Gamma Tee"]);
    assert_eq!(list("created_at%5B%24gt%5D=2999-01-01&fields=title").await["count"], 0);
    assert_eq!(list("created_at%5B%24gt%5D=2000-01-01&fields=title").await["count"], 3);
    let counted = list("limit=0").await;
    assert_eq!(
        (counted["products"].clone(), counted["count"].clone()),
        (json!([]), json!(3))
    );
    // Unknown parameters are ignored here, as Medusa ignores them on this list.
    assert_eq!(list("whatever=1&fields=title").await["count"], 3);
}

#[tokio::test]
async fn refusals_have_medusas_types_and_words() {
    let app = spawn().await;
    let refused = |method: Method, path: &'static str, body: Option<Value>, status: u16| {
        let app = &app;
        async move { medusa(app, method, path, body).await.expect(status).body }
    };
    let no_key = app
        .raw(Method::GET, "/admin/products", None, Body::empty(), &[])
        .await
        .expect(401);
    assert_eq!(no_key.body, json!({"message": "Unauthorized"}));
    let wrong = as_key(&app, "sk_wrong", Method::GET, "/admin/products", None)
        .await
        .expect(401);
    assert_eq!(wrong.body, json!({"message": "Unauthorized"}));
    for raw in [app.org.secret_key.clone(), {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(&app.org.secret_key)
    }] {
        let r = app
            .raw(
                Method::GET,
                "/admin/products",
                None,
                Body::empty(),
                &[("authorization", &format!("Basic {raw}"))],
            )
            .await;
        r.expect(200);
    }
    let publishable = as_key(&app, &app.org.publishable_key, Method::GET, "/admin/products", None).await;
    assert_eq!(publishable.expect(401).body, json!({"message": "Unauthorized"}));

    let body = refused(Method::POST, "/admin/products", Some(json!({})), 400).await;
    assert_eq!(
        body,
        json!({"type": "invalid_data", "message": "Invalid request: Field 'title' is required"})
    );
    let body = refused(
        Method::POST,
        "/admin/products",
        Some(json!({"title": "X", "bogus": 1})),
        400,
    )
    .await;
    assert_eq!(body["message"], "Invalid request: Unrecognized fields: 'bogus'");
    let body = refused(Method::POST, "/admin/products", Some(json!({"title": 1})), 400).await;
    assert_eq!(
        body["message"],
        "Invalid request: Expected type: 'string' for field 'title', got: '1'"
    );
    let body = refused(
        Method::POST,
        "/admin/products",
        Some(json!({"title": "Plain Mug"})),
        400,
    )
    .await;
    assert_eq!(body["message"], "Product options are not provided for: [Plain Mug].");
    let body = refused(
        Method::POST,
        "/admin/products",
        Some(json!({"title": "X", "status": "foo", "options": [{"title": "A", "values": ["a"]}]})),
        400,
    )
    .await;
    assert_eq!(
        body["message"],
        "Invalid request: Expected: 'draft, proposed, published, rejected' for field 'status', but got: 'foo'"
    );
    for (field, relation) in [("type_id", "type_id"), ("collection_id", "collection_id")] {
        let mut body = json!({"title": "X", "options": [{"title": "A", "values": ["a"]}]});
        body[field] = json!("ptyp_01ARZ3NDEKTSV4RRFFQ69G5FAV");
        let got = medusa(&app, Method::POST, "/admin/products", Some(body))
            .await
            .expect(404)
            .body;
        assert_eq!(got["type"], "not_found");
        assert!(
            got["message"]
                .as_str()
                .unwrap()
                .starts_with(&format!("You tried to set relationship {relation}")),
            "{got}"
        );
    }
    let unknown_category = json!({"title": "X", "options": [{"title": "A", "values": ["a"]}],
                                  "categories": [{"id": "pcat_01ARZ3NDEKTSV4RRFFQ69G5FAV"}]});
    let got = medusa(&app, Method::POST, "/admin/products", Some(unknown_category))
        .await
        .expect(404)
        .body;
    assert_eq!(
        got["message"],
        "You tried to set relationship product_category_id, but such entity does not exist"
    );
    let no_prices = json!({"title": "X", "options": [{"title": "A", "values": ["a"]}], "variants": [{"title": "a"}]});
    let body = refused(Method::POST, "/admin/products", Some(no_prices), 400).await;
    assert_eq!(
        body["message"],
        "Invalid request: Field 'variants, 0, prices' is required"
    );

    create(&app, shirt()).await;
    let body = refused(Method::POST, "/admin/products", Some(shirt()), 400).await;
    assert_eq!(
        body,
        json!({"type": "invalid_data", "message": "Product with handle: red-cotton-shirt, already exists."})
    );
    let mut same_sku = shirt();
    same_sku["handle"] = json!("another");
    let body = refused(Method::POST, "/admin/products", Some(same_sku), 400).await;
    assert_eq!(body["message"], "Product variant with sku: RCS-S, already exists.");

    let body = refused(Method::GET, "/admin/products?limit=abc", None, 400).await;
    assert_eq!(
        body["message"],
        "Invalid request: Expected type: 'number' for field 'limit', got: 'abc'"
    );
    let body = refused(Method::GET, "/admin/products?status=published", None, 400).await;
    assert_eq!(
        body["message"],
        "Invalid request: Expected type: 'array' for field 'status', got: 'published'"
    );
    let body = refused(
        Method::GET,
        "/admin/products/prod_01ARZ3NDEKTSV4RRFFQ69G5FAV?foo=1",
        None,
        400,
    )
    .await;
    assert_eq!(body["message"], "Invalid request: Unrecognized fields: 'foo'");
    let body = refused(
        Method::GET,
        "/admin/products/prod_01ARZ3NDEKTSV4RRFFQ69G5FAV",
        None,
        404,
    )
    .await;
    assert_eq!(body, json!({"type": "not_found", "message": "Product not found"}));
    let body = refused(
        Method::POST,
        "/admin/products/prod_01ARZ3NDEKTSV4RRFFQ69G5FAV",
        Some(json!({})),
        404,
    )
    .await;
    assert_eq!(
        body["message"],
        "Product with id \"prod_01ARZ3NDEKTSV4RRFFQ69G5FAV\" not found"
    );
    let body = refused(Method::POST, "/admin/products/x", Some(json!({"options": []})), 400).await;
    assert!(
        body["message"].as_str().unwrap().contains("removed in version 2.16.0"),
        "{body}"
    );
    let body = refused(Method::GET, "/admin/no-such-thing", None, 404).await;
    assert_eq!(body["type"], "not_found");
    let r = app
        .raw(
            Method::POST,
            "/admin/products",
            None,
            Body::from("{"),
            &[("authorization", &basic(&app.org.secret_key))],
        )
        .await;
    assert_eq!(
        (r.status.as_u16(), r.body["type"].clone()),
        (400, json!("invalid_data")),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn another_organizations_key_sees_nothing_of_this_one() {
    let app = spawn().await;
    let pid = id(&create(&app, shirt()).await);
    let theirs = &app.other.secret_key;
    let path = format!("/admin/products/{pid}");
    as_key(&app, theirs, Method::GET, &path, None).await.expect(404);
    as_key(&app, theirs, Method::POST, &path, Some(json!({"title": "Mine now"})))
        .await
        .expect(404);
    as_key(&app, theirs, Method::DELETE, &path, None).await.expect(200);
    let list = as_key(&app, theirs, Method::GET, "/admin/products", None)
        .await
        .expect(200);
    assert_eq!(list.body["count"], 0);
    let variants = as_key(&app, theirs, Method::GET, &format!("{path}/variants"), None)
        .await
        .expect(200);
    assert_eq!(variants.body["count"], 0);
    // Still there, unchanged, for its own organization.
    let p = medusa(&app, Method::GET, &path, None).await.expect(200);
    assert_eq!(p.body["product"]["title"], "Red Cotton Shirt");
    // Their own product of the same handle and SKUs is theirs alone.
    as_key(&app, theirs, Method::POST, "/admin/products", Some(shirt()))
        .await
        .expect(200);
}

#[tokio::test]
async fn the_other_apis_see_the_same_product() {
    let app = spawn().await;
    let p = create(&app, shirt()).await;
    let uuid = {
        let ulid: ulid::Ulid = id(&p)["prod_".len()..].parse().unwrap();
        uuid::Uuid::from(ulid)
    };
    let v1 = app
        .get(&format!("/api/v1/products/{uuid}?include=variants,mediaAssets"))
        .await
        .expect(200)
        .body;
    assert_eq!(v1["name"], "Red Cotton Shirt");
    assert_eq!(v1["variants"][0]["sku"], "RCS-S");
    assert_eq!(v1["variants"][0]["price"], "10.00");
    assert_eq!(v1["variants"][0]["currency"], "USD");
    assert_eq!(v1["productMediaAssets"].as_array().unwrap().len(), 2);
    let pim = app
        .pim_as(&app.org, Method::GET, &format!("/api/v1/pim/products/{uuid}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(pim["title"], "Red Cotton Shirt");

    // And the reverse: a product of the Products API, read here.
    let size = app.option("Colour", &["Red", "Blue"]).await;
    let made = app
        .product(json!({"name": "Blue Cap", "url": "https://example.com/cap", "variantOptionIds": [size["id"]], "variants": [
            {"sku": "CAP-B", "price": "7.50", "currency": "EUR", "options": [{"optionId": size["id"], "value": "Blue"}]}]}))
        .await;
    let mid = format!(
        "prod_{}",
        ulid::Ulid::from(uuid::Uuid::parse_str(made["id"].as_str().unwrap()).unwrap())
    );
    let got = medusa(&app, Method::GET, &format!("/admin/products/{mid}"), None)
        .await
        .expect(200)
        .body["product"]
        .clone();
    assert_eq!(got["title"], "Blue Cap");
    assert_eq!(got["status"], "published");
    assert_eq!(got["options"][0]["is_exclusive"], false, "the organization's option");
    assert_eq!(got["variants"][0]["options"][0]["value"], "Blue");
    assert_eq!(
        got["variants"][0]["prices"],
        json!([{
        "id": got["variants"][0]["prices"][0]["id"], "amount": 7.5, "currency_code": "eur", "min_quantity": null,
        "max_quantity": null, "variant_id": got["variants"][0]["id"], "created_at": got["variants"][0]["created_at"],
        "updated_at": got["variants"][0]["updated_at"], "rules": {}}])
    );
}

#[tokio::test]
async fn variants_are_listed_added_changed_and_deleted() {
    let app = spawn().await;
    let p = create(&app, shirt()).await;
    let pid = id(&p);
    let base = format!("/admin/products/{pid}/variants");
    let list = medusa(&app, Method::GET, &base, None).await.expect(200).body;
    assert_eq!(list["count"], 2);
    assert_eq!(
        list["variants"][0]["options"][0]["option"],
        json!({"id": p["options"][0]["id"]})
    );

    let added = medusa(
        &app,
        Method::POST,
        &base,
        Some(json!({"title": "Large", "sku": "RCS-L", "options": {"Size": "M"}, "prices": [{"currency_code": "usd", "amount": 14}]})),
    )
    .await
    .expect(400)
    .body;
    assert_eq!(added["message"], "Variant with provided options already exists.");
    let product = medusa(
        &app,
        Method::POST,
        &base,
        Some(json!({"title": "Plain", "sku": "RCS-P", "prices": [{"currency_code": "usd", "amount": 14}]})),
    )
    .await
    .expect(200)
    .body["product"]
        .clone();
    assert_eq!(product["variants"].as_array().unwrap().len(), 3);
    let vid = id(&product["variants"][2]);

    let one = medusa(&app, Method::GET, &format!("{base}/{vid}?fields=sku,title"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(one, json!({"variant": {"id": vid, "sku": "RCS-P", "title": "Plain"}}));
    let none = medusa(
        &app,
        Method::GET,
        &format!("{base}/variant_01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        None,
    )
    .await
    .expect(200);
    assert_eq!(
        none.body,
        json!({}),
        "Medusa answers an unknown variant with an empty object"
    );

    let changed = medusa(
        &app,
        Method::POST,
        &format!("{base}/{vid}"),
        Some(json!({"title": "Plain v2", "metadata": {"k": 1}})),
    )
    .await
    .expect(200)
    .body["product"]
        .clone();
    assert_eq!(changed["variants"][2]["title"], "Plain v2");

    let deleted = medusa(&app, Method::DELETE, &format!("{base}/{vid}"), None)
        .await
        .expect(200)
        .body;
    assert_eq!(
        (
            deleted["id"].clone(),
            deleted["object"].clone(),
            deleted["deleted"].clone()
        ),
        (json!(vid), json!("variant"), json!(true))
    );
    assert_eq!(deleted["parent"]["variants"].as_array().unwrap().len(), 2);
    let body = medusa(&app, Method::POST, &base, Some(json!({})))
        .await
        .expect(400)
        .body;
    assert_eq!(
        body["message"],
        "Invalid request: Field 'title' is required; Field 'prices' is required"
    );
}

#[tokio::test]
async fn a_variant_picks_a_value_for_every_option_or_none_and_only_one_picks_none() {
    let app = spawn().await;
    let two = json!([{"title": "Size", "values": ["S", "M"]}, {"title": "Color", "values": ["Red"]}]);
    let body = medusa(
        &app,
        Method::POST,
        "/admin/products",
        Some(json!({"title": "Half", "options": two, "variants": [{"title": "S", "options": {"Size": "S"}, "prices": []}]})),
    )
    .await
    .expect(400)
    .body;
    assert_eq!(body["type"], "invalid_data");
    assert!(
        body["message"].as_str().unwrap().contains("no value for Color"),
        "{body}"
    );

    let p = create(
        &app,
        json!({"title": "Whole", "options": two, "variants": [{"title": "S red", "options": {"Size": "S", "Color": "Red"}, "prices": []}]}),
    )
    .await;
    let base = format!("/admin/products/{}/variants", id(&p));
    let plain = json!({"title": "Plain", "prices": [{"currency_code": "usd", "amount": 5}]});
    medusa(&app, Method::POST, &base, Some(plain.clone())).await.expect(200);
    let again = medusa(&app, Method::POST, &base, Some(plain)).await.expect(400).body;
    assert_eq!(again["message"], "Variant with provided options already exists.");
    let half = json!({"title": "M", "options": {"Size": "M"}, "prices": []});
    let body = medusa(&app, Method::POST, &base, Some(half)).await.expect(400).body;
    assert!(
        body["message"].as_str().unwrap().contains("no value for Color"),
        "{body}"
    );
}

/// Deleting a variant of a malformed product id is a 404, which the document lists (found by
/// the fuzzer: the operation listed only its 200).
#[tokio::test]
async fn deleting_a_variant_of_a_malformed_product_id_is_a_documented_404() {
    let app = spawn().await;
    let r = medusa(&app, Method::DELETE, "/admin/products/0/variants/0", None)
        .await
        .expect(404);
    assert_eq!(r.body["type"], "not_found");
    let doc: Value = serde_json::from_str(&pimento_api::medusa::openapi_json().unwrap()).unwrap();
    let op = &doc["paths"]["/admin/products/{id}/variants/{variant_id}"]["delete"];
    assert!(op["responses"]["404"].is_object(), "{op}");
}
