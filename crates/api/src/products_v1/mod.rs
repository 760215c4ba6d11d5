//! The Products API (`/api/v1/products`, `/api/v1/variant-options`): camelCase JSON, UUID ids,
//! prices as decimal strings, `Authorization: Bearer <key>`.

mod caller;
mod error;
mod media;
mod names;
mod options;
mod params;
mod products;
mod variants;
pub mod view;
pub mod wire;

use crate::app::AppState;
use crate::dialect::{self, Mounted};
use error::ProductsV1;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Pimento Products API", version = "1", description = "Products, variants, variant options and media assets."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "Products"), (name = "Variants"), (name = "Variant options"), (name = "Media assets"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A secret key (sk_…), or a publishable key (pk_…) for reads of active products",
                    ))
                    .build(),
            ),
        );
    }
}

/// This API as the app mounts it: its routes, its errors and its OpenAPI document.
pub fn api() -> Mounted {
    dialect::mount::<ProductsV1, _>(router(), "/api/v1", "/api/v1/openapi.json")
        .idempotent::<caller::Caller>()
        .answering("ErrorBody", dialect::EVERY_REFUSAL, dialect::WRITE_REFUSALS)
}

/// The routes of this API with their OpenAPI document.
fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(products::list_products, products::create_product))
        .routes(routes!(products::search_products))
        .routes(routes!(
            products::get_product,
            products::update_product,
            products::archive_product
        ))
        .routes(routes!(media::list_media, media::add_media))
        .routes(routes!(media::reorder_media))
        .routes(routes!(media::update_media, media::remove_media))
        .routes(routes!(options::product_options, options::assign_options))
        .routes(routes!(options::unassign_option))
        .routes(routes!(variants::list_variants, variants::create_variant))
        .routes(routes!(
            variants::get_variant,
            variants::update_variant,
            variants::delete_variant
        ))
        .routes(routes!(options::list_options, options::create_option))
        .routes(routes!(
            options::get_option,
            options::update_option,
            options::delete_option
        ))
}

/// The OpenAPI document of this API, as pretty JSON: the one it serves.
pub fn openapi_json() -> Result<String, serde_json::Error> {
    api().doc.to_pretty_json()
}
