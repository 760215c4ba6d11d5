//! The CS-Cart / Multi-Vendor API (`/api/…`, seed 004): CS-Cart's paths, every value a string,
//! the organization's numbers as ids, `{"message": …}` errors, HTTP Basic with an e-mail as the
//! user name and the organization's secret key as the password.

mod caller;
mod categories;
mod error;
mod features;
mod images;
mod names;
mod own;
mod pages;
mod params;
mod products;
mod render;
mod values;
mod vendors;
mod view;
mod wire;

use crate::app::AppState;
use crate::dialect::{self, Mounted};
use error::CsCart;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Pimento CS-Cart API", version = "4",
        description = "CS-Cart / Multi-Vendor's products API over the Pimento catalog: products, categories, features and vendors. Every value is a string; ids are the organization's numbers. Authenticate with HTTP Basic: any e-mail as the user name, the organization's secret key as the password. Paths may end with a slash."),
    modifiers(&BasicAuth),
    security(("basic" = [])),
    tags((name = "Products"), (name = "Categories"), (name = "Features"), (name = "Vendors"))
)]
struct ApiDoc;

struct BasicAuth;

impl Modify for BasicAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "basic",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some(
                        "An administrator's e-mail as the user name, the secret key (sk_…) as the password",
                    ))
                    .build(),
            ),
        );
    }
}

/// This API as the app mounts it: its routes, its errors and its OpenAPI document.
pub fn api() -> Mounted {
    dialect::mount::<CsCart, _>(with_trailing_slashes(router()), "/api", "/api/openapi.json")
        .idempotent::<caller::CsCartCaller>()
        // CS-Cart answers 400 where the others answer 409 or 422 (`error.rs`).
        .answering("CsCartErrorBody", dialect::EVERY_REFUSAL, &[])
}

/// CS-Cart's documents write paths with and without a final slash (`/api/products/`); both
/// are served.
fn with_trailing_slashes(router: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    use axum::routing::get;
    router
        .route(
            "/api/products/",
            get(products::list_products).post(products::create_product),
        )
        .route(
            "/api/products/{product_id}/",
            get(products::get_product)
                .put(products::update_product)
                .delete(products::delete_product),
        )
        .route(
            "/api/categories/{category_id}/products/",
            get(products::list_category_products),
        )
        .route(
            "/api/categories/{category_id}/products/{product_id}/",
            get(products::get_category_product),
        )
        .route(
            "/api/stores/{company_id}/products/",
            get(products::list_store_products).post(products::create_store_product),
        )
        .route(
            "/api/vendors/{vendor_id}/products/",
            get(products::list_vendor_products).post(products::create_vendor_product),
        )
        .route(
            "/api/categories/",
            get(categories::list_categories).post(categories::create_category),
        )
        .route(
            "/api/categories/{category_id}/",
            get(categories::get_category)
                .put(categories::update_category)
                .delete(categories::delete_category),
        )
        .route(
            "/api/features/",
            get(features::list_features).post(features::create_feature),
        )
        .route(
            "/api/features/{feature_id}/",
            get(features::get_feature)
                .put(features::update_feature)
                .delete(features::delete_feature),
        )
        .route("/api/vendors/", get(vendors::list_vendors).post(vendors::create_vendor))
        .route(
            "/api/vendors/{vendor_id}/",
            get(vendors::get_vendor)
                .put(vendors::update_vendor)
                .delete(vendors::delete_vendor),
        )
}

/// The routes of this API with their OpenAPI document.
fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(products::list_products, products::create_product))
        .routes(routes!(
            products::get_product,
            products::update_product,
            products::delete_product
        ))
        .routes(routes!(products::list_category_products))
        .routes(routes!(products::get_category_product))
        .routes(routes!(products::list_store_products, products::create_store_product))
        .routes(routes!(products::list_vendor_products, products::create_vendor_product))
        .routes(routes!(categories::list_categories, categories::create_category))
        .routes(routes!(
            categories::get_category,
            categories::update_category,
            categories::delete_category
        ))
        .routes(routes!(features::list_features, features::create_feature))
        .routes(routes!(
            features::get_feature,
            features::update_feature,
            features::delete_feature
        ))
        .routes(routes!(vendors::list_vendors, vendors::create_vendor))
        .routes(routes!(
            vendors::get_vendor,
            vendors::update_vendor,
            vendors::delete_vendor
        ))
}

/// The OpenAPI document of this API, as pretty JSON: the one it serves.
pub fn openapi_json() -> Result<String, serde_json::Error> {
    api().doc.to_pretty_json()
}
