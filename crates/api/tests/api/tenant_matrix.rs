//! The tenant matrix: every route of the four APIs, taken from their OpenAPI documents (which
//! are generated from the routers themselves), called with no key, a revoked key, a
//! publishable key and another organization's secret key, on the ids of one organization's
//! real objects. None of them reads or changes that organization's data; its own secret key
//! reads every route. A new route whose path parameters this table does not know fails the
//! test until it is added.

use crate::cscart_products::basic;
use crate::harness::{Resp, TestApp, spawn};
use axum::body::Body;
use axum::http::Method;
use pimento_core::auth::KeyKind;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Text every object of the organization under test carries in its name, and nothing else does.
const MARK: &str = "zqacme";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Api {
    Products,
    Pim,
    Medusa,
    CsCart,
}

impl Api {
    fn document(self) -> Value {
        let text = match self {
            Api::Products => pimento_api::products_v1::openapi_json(),
            Api::Pim => pimento_api::pim::openapi_json(),
            Api::Medusa => pimento_api::medusa::openapi_json(),
            Api::CsCart => pimento_api::cscart::openapi_json(),
        };
        serde_json::from_str(&text.unwrap()).unwrap()
    }
}

/// Who calls.
#[derive(Clone, Copy, Debug)]
enum Caller<'a> {
    Nobody,
    /// A key, with the PIM's tenant and organization headers of `org`.
    Key(&'a str, &'a pimento_store::orgs::CreatedOrganization),
}

async fn call(app: &TestApp, api: Api, caller: Caller<'_>, method: Method, path: &str) -> Resp {
    let body = if method == Method::GET || method == Method::DELETE {
        Body::empty()
    } else {
        Body::from("{}")
    };
    let mut headers: Vec<(&str, String)> = Vec::new();
    if let Caller::Key(key, org) = caller {
        match api {
            Api::CsCart => headers.push(("authorization", basic(key))),
            _ => headers.push(("authorization", format!("Bearer {key}"))),
        }
        if api == Api::Pim {
            headers.push(("x-tenant-id", org.tenant_id.to_string()));
            headers.push(("x-org-id", org.organization_id.to_string()));
        }
    } else if api == Api::Pim {
        headers.push(("x-tenant-id", app.org.tenant_id.to_string()));
        headers.push(("x-org-id", app.org.organization_id.to_string()));
    }
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    app.raw(method, path, None, body, &headers).await
}

fn id(v: &Value, pointer: &str) -> String {
    match v.pointer(pointer) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => panic!("no {pointer} in {v}"),
    }
}

/// The organization's objects, one of each kind, and every route's path filled with their ids.
async fn paths_of_one_of_each(app: &TestApp) -> BTreeMap<&'static str, String> {
    let own = Caller::Key(&app.org.secret_key, &app.org);
    let post = |api: Api, path: &'static str, body: Value| async move {
        let r = app
            .raw(
                Method::POST,
                path,
                None,
                Body::from(body.to_string()),
                &match api {
                    Api::CsCart => vec![("authorization", basic(&app.org.secret_key))],
                    Api::Pim => vec![
                        ("authorization", format!("Bearer {}", app.org.secret_key)),
                        ("x-tenant-id", app.org.tenant_id.to_string()),
                        ("x-org-id", app.org.organization_id.to_string()),
                    ],
                    _ => vec![("authorization", format!("Bearer {}", app.org.secret_key))],
                }
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
            )
            .await;
        assert!(r.status.is_success(), "{path}: {} {}", r.status, r.body);
        r.body
    };
    // The Products API's product, with a shared option, a variant and an image.
    let option = post(
        Api::Products,
        "/api/v1/variant-options",
        json!({"name": format!("{MARK} size"), "values": ["S", "M"]}),
    )
    .await;
    let option_id = id(&option, "/id");
    let product = post(
        Api::Products,
        "/api/v1/products",
        json!({"name": format!("{MARK} tee"), "url": "https://x.example/tee", "variantOptionIds": [option_id],
               "variants": [{"sku": "ZQ-1", "price": "5.00", "options": [{"optionId": option_id, "value": "S"}]}]}),
    )
    .await;
    let pid = id(&product, "/id");
    let vid = id(&product, "/variants/0/id");
    let asset = post(
        Api::Products,
        Box::leak(format!("/api/v1/products/{pid}/media-assets").into_boxed_str()),
        json!({"mediaAsset": {"publicUrl": "https://x.example/a.jpg", "name": format!("{MARK} image")}}),
    )
    .await;
    let asset_id = id(&asset, "/mediaAssetId");

    // The PIM's definitions, a job, a key and a deleted product.
    let category = post(
        Api::Pim,
        "/api/v1/pim/categories",
        json!({"name": format!("{MARK} shirts")}),
    )
    .await;
    let r = app
        .pim_put(
            &format!("/api/v1/pim/products/{pid}"),
            json!({"category_id": id(&category, "/id")}),
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    let brand = post(Api::Pim, "/api/v1/pim/brands", json!({"name": format!("{MARK} brand")})).await;
    let attribute = post(
        Api::Pim,
        "/api/v1/pim/attributes",
        json!({"name": format!("{MARK} fabric")}),
    )
    .await;
    let group = post(
        Api::Pim,
        "/api/v1/pim/attribute-groups",
        json!({"name": format!("{MARK} group")}),
    )
    .await;
    let template = post(
        Api::Pim,
        "/api/v1/pim/templates",
        json!({"name": format!("{MARK} template"), "attributes": [{"attribute_id": id(&attribute, "/id"), "required": false}]}),
    )
    .await;
    let job = post(Api::Pim, "/api/v1/pim/export", json!({"format": "ndjson"})).await;
    let key = post(Api::Pim, "/api/v1/pim/api-keys", json!({"name": format!("{MARK} key")})).await;
    let gone = post(
        Api::Pim,
        "/api/v1/pim/products",
        json!({"name": format!("{MARK} gone")}),
    )
    .await;
    let gone_id = id(&gone, "/id");
    let r = call(
        app,
        Api::Pim,
        own,
        Method::DELETE,
        &format!("/api/v1/pim/products/{gone_id}"),
    )
    .await;
    assert!(r.status.is_success(), "{}", r.body);

    // Medusa's groupings, an export and its notification.
    let collection = post(
        Api::Medusa,
        "/admin/collections",
        json!({"title": format!("{MARK} summer")}),
    )
    .await;
    let tag = post(
        Api::Medusa,
        "/admin/product-tags",
        json!({"value": format!("{MARK} tag")}),
    )
    .await;
    let kind = post(
        Api::Medusa,
        "/admin/product-types",
        json!({"value": format!("{MARK} type")}),
    )
    .await;
    let export = post(Api::Medusa, "/admin/products/export", json!({})).await;
    let transaction = id(&export, "/transaction_id");
    app.run_jobs().await;
    let notes = call(app, Api::Medusa, own, Method::GET, "/admin/notifications").await;
    let notification = id(&notes.body, "/notifications/0/id");
    let found = call(app, Api::Medusa, own, Method::GET, "/admin/products?q=ZQ-1")
        .await
        .body;
    let (m_product, m_variant) = (id(&found, "/products/0/id"), id(&found, "/products/0/variants/0/id"));
    let m_option = id(
        &call(app, Api::Medusa, own, Method::GET, "/admin/product-options")
            .await
            .body,
        "/product_options/0/id",
    );
    let media = id(
        &call(app, Api::Pim, own, Method::GET, "/api/v1/pim/media").await.body,
        "/0/id",
    );
    let m_category = id(
        &call(app, Api::Medusa, own, Method::GET, "/admin/product-categories")
            .await
            .body,
        "/product_categories/0/id",
    );

    // CS-Cart's numbers.
    let feature = post(
        Api::CsCart,
        "/api/features",
        json!({"description": format!("{MARK} feature"), "feature_type": "T"}),
    )
    .await;
    let vendor = post(
        Api::CsCart,
        "/api/vendors",
        json!({"company": format!("{MARK} vendor"), "email": "v@example.com"}),
    )
    .await;
    let found = call(app, Api::CsCart, own, Method::GET, "/api/products?pcode=ZQ-1")
        .await
        .body;
    let number = id(&found, "/products/0/product_id");
    let cs_category = id(
        &call(app, Api::CsCart, own, Method::GET, "/api/categories").await.body,
        "/categories/0/category_id",
    );
    let (feature, vendor) = (id(&feature, "/feature_id"), id(&vendor, "/company_id"));

    let (category, brand, attribute, group, template) = (
        id(&category, "/id"),
        id(&brand, "/id"),
        id(&attribute, "/id"),
        id(&group, "/id"),
        id(&template, "/id"),
    );
    let (job, key, collection, tag, kind) = (
        id(&job, "/id"),
        id(&key, "/id"),
        id(&collection, "/collection/id"),
        id(&tag, "/product_tag/id"),
        id(&kind, "/product_type/id"),
    );
    // Objects no read gives an id of: well-formed ids that name nothing.
    let upload = "01KJ0000000000000000000000".to_owned();
    BTreeMap::from([
        ("/api/v1/products/{productId}", format!("/api/v1/products/{pid}")),
        (
            "/api/v1/products/{productId}/media-assets",
            format!("/api/v1/products/{pid}/media-assets"),
        ),
        (
            "/api/v1/products/{productId}/media-assets/reorder",
            format!("/api/v1/products/{pid}/media-assets/reorder"),
        ),
        (
            "/api/v1/products/{productId}/media-assets/{assetId}",
            format!("/api/v1/products/{pid}/media-assets/{asset_id}"),
        ),
        (
            "/api/v1/products/{productId}/variant-options",
            format!("/api/v1/products/{pid}/variant-options"),
        ),
        (
            "/api/v1/products/{productId}/variant-options/{optionId}",
            format!("/api/v1/products/{pid}/variant-options/{option_id}"),
        ),
        (
            "/api/v1/products/{productId}/variants",
            format!("/api/v1/products/{pid}/variants"),
        ),
        (
            "/api/v1/products/{productId}/variants/{variantId}",
            format!("/api/v1/products/{pid}/variants/{vid}"),
        ),
        (
            "/api/v1/variant-options/{optionId}",
            format!("/api/v1/variant-options/{option_id}"),
        ),
        ("/api/v1/pim/api-keys/{id}", format!("/api/v1/pim/api-keys/{key}")),
        (
            "/api/v1/pim/attribute-groups/{id}",
            format!("/api/v1/pim/attribute-groups/{group}"),
        ),
        (
            "/api/v1/pim/attributes/{id}",
            format!("/api/v1/pim/attributes/{attribute}"),
        ),
        ("/api/v1/pim/brands/{id}", format!("/api/v1/pim/brands/{brand}")),
        (
            "/api/v1/pim/categories/{id}",
            format!("/api/v1/pim/categories/{category}"),
        ),
        ("/api/v1/pim/jobs/{id}", format!("/api/v1/pim/jobs/{job}")),
        ("/api/v1/pim/jobs/{id}/cancel", format!("/api/v1/pim/jobs/{job}/cancel")),
        (
            "/api/v1/pim/jobs/{id}/download",
            format!("/api/v1/pim/jobs/{job}/download"),
        ),
        ("/api/v1/pim/jobs/{id}/errors", format!("/api/v1/pim/jobs/{job}/errors")),
        ("/api/v1/pim/media/{id}", format!("/api/v1/pim/media/{media}")),
        ("/api/v1/pim/products/{id}", format!("/api/v1/pim/products/{pid}")),
        (
            "/api/v1/pim/products/{id}/restore",
            format!("/api/v1/pim/products/{gone_id}/restore"),
        ),
        (
            "/api/v1/pim/products/{product_id}/variants",
            format!("/api/v1/pim/products/{pid}/variants"),
        ),
        (
            "/api/v1/pim/products/{product_id}/variants/{id}",
            format!("/api/v1/pim/products/{pid}/variants/{vid}"),
        ),
        (
            "/api/v1/pim/templates/{id}",
            format!("/api/v1/pim/templates/{template}"),
        ),
        ("/admin/collections/{id}", format!("/admin/collections/{collection}")),
        (
            "/admin/exports/{transaction_id}/download",
            format!("/admin/exports/{transaction}/download"),
        ),
        (
            "/admin/notifications/{id}",
            format!("/admin/notifications/{notification}"),
        ),
        (
            "/admin/product-categories/{id}",
            format!("/admin/product-categories/{m_category}"),
        ),
        (
            "/admin/product-options/{id}",
            format!("/admin/product-options/{m_option}"),
        ),
        ("/admin/product-tags/{id}", format!("/admin/product-tags/{tag}")),
        ("/admin/product-types/{id}", format!("/admin/product-types/{kind}")),
        (
            "/admin/products/import/{transaction_id}/confirm",
            format!("/admin/products/import/{transaction}/confirm"),
        ),
        (
            "/admin/products/imports/{transaction_id}/confirm",
            format!("/admin/products/imports/{transaction}/confirm"),
        ),
        ("/admin/products/{id}", format!("/admin/products/{m_product}")),
        (
            "/admin/products/{id}/options",
            format!("/admin/products/{m_product}/options"),
        ),
        (
            "/admin/products/{id}/options/batch",
            format!("/admin/products/{m_product}/options/batch"),
        ),
        (
            "/admin/products/{id}/variants",
            format!("/admin/products/{m_product}/variants"),
        ),
        (
            "/admin/products/{id}/variants/batch",
            format!("/admin/products/{m_product}/variants/batch"),
        ),
        (
            "/admin/products/{id}/variants/{variant_id}",
            format!("/admin/products/{m_product}/variants/{m_variant}"),
        ),
        ("/admin/uploads/{id}", format!("/admin/uploads/{upload}")),
        (
            "/api/categories/{category_id}",
            format!("/api/categories/{cs_category}"),
        ),
        (
            "/api/categories/{category_id}/products",
            format!("/api/categories/{cs_category}/products"),
        ),
        (
            "/api/categories/{category_id}/products/{product_id}",
            format!("/api/categories/{cs_category}/products/{number}"),
        ),
        ("/api/features/{feature_id}", format!("/api/features/{feature}")),
        ("/api/products/{product_id}", format!("/api/products/{number}")),
        (
            "/api/stores/{company_id}/products",
            format!("/api/stores/{vendor}/products"),
        ),
        ("/api/vendors/{vendor_id}", format!("/api/vendors/{vendor}")),
        (
            "/api/vendors/{vendor_id}/products",
            format!("/api/vendors/{vendor}/products"),
        ),
    ])
}

/// Every route of every API, as `(api, method, template, path)`.
fn routes(filled: &BTreeMap<&'static str, String>) -> Vec<(Api, Method, String, String)> {
    let mut out = Vec::new();
    for api in [Api::Products, Api::Pim, Api::Medusa, Api::CsCart] {
        let doc = api.document();
        for (template, item) in doc["paths"].as_object().unwrap() {
            let path = if template.contains('{') {
                filled
                    .get(template.as_str())
                    .unwrap_or_else(|| panic!("{template}: a route the tenant matrix has no ids for; add it"))
                    .clone()
            } else {
                template.clone()
            };
            for method in item.as_object().unwrap().keys() {
                let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                out.push((api, m, template.clone(), path.clone()));
            }
        }
    }
    out
}

/// The organization's newest audit event: any write to its data records a newer one.
async fn last_write(app: &TestApp) -> Value {
    app.pim_get("/api/v1/pim/audit?limit=1").await.expect(200).body[0]["seq"].clone()
}

#[tokio::test]
async fn no_caller_but_the_organization_reaches_its_data_on_any_route() {
    let app = spawn().await;
    let filled = paths_of_one_of_each(&app).await;
    let routes = routes(&filled);
    assert!(routes.len() > 100, "{} routes", routes.len());
    let revoked = app
        .store
        .create_key(app.org.organization_id, KeyKind::Secret, Some("revoked"))
        .await
        .unwrap();
    app.store.revoke_key(&revoked.prefix, None).await.unwrap();
    let writes_before = last_write(&app).await;

    for (api, method, template, path) in &routes {
        let what = format!("{api:?} {method} {template}");
        let write = *method != Method::GET;
        // No key, and a revoked key: 401 on every route.
        for (caller, name) in [
            (Caller::Nobody, "no key"),
            (Caller::Key(&revoked.key, &app.org), "a revoked key"),
        ] {
            let r = call(&app, *api, caller, method.clone(), path).await;
            assert_eq!(r.status.as_u16(), 401, "{what} with {name}: {}", r.body);
        }
        // A publishable key writes nothing.
        let r = call(
            &app,
            *api,
            Caller::Key(&app.org.publishable_key, &app.org),
            method.clone(),
            path,
        )
        .await;
        assert!(
            !r.status.is_server_error(),
            "{what} with the publishable key: {} {}",
            r.status,
            r.body
        );
        if write {
            assert!(
                matches!(r.status.as_u16(), 401 | 403),
                "{what} with the publishable key: {} {}",
                r.status,
                r.body
            );
        }
        // Another organization's secret key, with its own headers and with ours: nothing of
        // ours is read, and ids of ours name nothing.
        for org in [&app.other, &app.org] {
            let r = call(
                &app,
                *api,
                Caller::Key(&app.other.secret_key, org),
                method.clone(),
                path,
            )
            .await;
            assert!(
                !r.status.is_server_error(),
                "{what} by the other organization: {} {}",
                r.status,
                r.body
            );
            assert!(
                !r.body.to_string().to_lowercase().contains(MARK),
                "{what} by the other organization read our data: {}",
                r.body
            );
            let names_ours = template.contains('{') && refuses_ids_it_does_not_find(*api);
            if names_ours {
                assert!(
                    !r.status.is_success(),
                    "{what} by the other organization succeeded on our object: {} {}",
                    r.status,
                    r.body
                );
            }
        }
    }
    assert_eq!(
        last_write(&app).await,
        writes_before,
        "no call by another organization or without a valid secret key changed our data"
    );

    // The organization's own secret key reads every route that reads.
    for (api, method, template, path) in &routes {
        if *method != Method::GET {
            continue;
        }
        let r = call(
            &app,
            *api,
            Caller::Key(&app.org.secret_key, &app.org),
            Method::GET,
            path,
        )
        .await;
        let status = r.status.as_u16();
        assert!(
            !r.status.is_server_error() && status != 401 && status != 403,
            "{api:?} GET {template}: {status} {}",
            r.body
        );
        // Objects that exist are found (the placeholders above name none for uploads).
        if template.contains('{') && !template.starts_with("/admin/uploads/") {
            assert_ne!(status, 404, "{api:?} GET {template}: {}", r.body);
        }
    }
}

/// Whether another organization's id must fail in this API. CS-Cart's numbers are each
/// organization's own, so the same number may name the caller's own object; Medusa answers an
/// id it does not find with 200 `{}` or `deleted: true`, as Medusa does. There the checks that
/// nothing of ours is read or changed are what holds.
fn refuses_ids_it_does_not_find(api: Api) -> bool {
    matches!(api, Api::Products | Api::Pim)
}
