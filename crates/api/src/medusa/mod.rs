//! The Medusa admin API (`/admin/…`, seed 001, as Medusa 2.21 serves it): Medusa's paths,
//! bodies, `fields` selection, ids (`prod_01…`, the catalog's UUIDs written as ULIDs) and
//! `{type, message}` errors, with the organization's secret key sent as the official
//! `@medusajs/js-sdk` sends its `apiKey` (HTTP Basic) or as a Bearer token.

mod batch;
mod body;
mod caller;
mod categories;
mod collections;
mod csv;
mod csv_import;
mod csv_plan;
mod error;
mod exports;
/// Public for the fuzz target of the `fields` parameter (`fuzz/`).
pub mod fields;
mod ids;
mod imports;
mod labels;
mod list;
mod names;
mod notifications;
mod options;
mod products;
mod qs;
mod render;
mod tags;
mod taxonomy;
mod types;
mod variant_wire;
mod variants;
mod view;
mod wire;

use crate::app::AppState;
use crate::dialect::{self, Mounted};
use error::Medusa;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Pimento Medusa admin API", version = "2.21",
        description = "Medusa's admin product API over the Pimento catalog: products, variants, options, categories, collections, tags, types, exports, imports, uploads and notifications. Authenticate with the organization's secret key as HTTP Basic (the key as the user name, as @medusajs/js-sdk sends its apiKey) or as a Bearer token."),
    modifiers(&MedusaAuth),
    security(("basic" = []), ("bearer" = [])),
    tags((name = "Products"), (name = "Variants"), (name = "Options"), (name = "Product Categories"),
        (name = "Collections"), (name = "Product Tags"), (name = "Product Types"), (name = "Notifications"), (name = "Uploads"))
)]
struct ApiDoc;

struct MedusaAuth;

impl Modify for MedusaAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "basic",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some("The secret key (sk_…) as the user name, no password"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The secret key (sk_…)"))
                    .build(),
            ),
        );
    }
}

/// The table Medusa's export CSV is written with, for the worker (`ExchangeFormat::MedusaCsv`).
pub fn export_table() -> std::sync::Arc<dyn pimento_core::exchange::ViewTable> {
    csv::table()
}

/// The importer of Medusa's product CSV, for the worker (`ExchangeFormat::MedusaCsv`).
pub fn importer() -> std::sync::Arc<dyn pimento_jobs::BatchImport> {
    std::sync::Arc::new(imports::MedusaImport)
}

/// This API as the app mounts it: its routes, its errors and its OpenAPI document.
pub fn api() -> Mounted {
    dialect::mount::<Medusa, _>(router(), "/admin", "/admin/openapi.json")
        .idempotent::<caller::MedusaCaller>()
        .answering("MedusaErrorBody", dialect::EVERY_REFUSAL, dialect::WRITE_REFUSALS)
}

/// The routes of this API with their OpenAPI document.
fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(products::list_products, products::create_product))
        .routes(routes!(batch::batch_products))
        .routes(routes!(exports::export_products))
        .routes(routes!(exports::download_export))
        .routes(routes!(imports::create_import))
        .routes(routes!(imports::confirm_import))
        .routes(routes!(imports::upload_import))
        .routes(routes!(imports::confirm_upload_import))
        .routes(routes!(imports::upload_files))
        .routes(routes!(imports::presigned_url))
        .routes(routes!(imports::get_upload))
        .routes(routes!(notifications::list_notifications))
        .routes(routes!(notifications::get_notification))
        .routes(routes!(
            products::get_product,
            products::update_product,
            products::delete_product
        ))
        .routes(routes!(variants::list_variants, variants::create_variant))
        .routes(routes!(variants::batch_variants))
        .routes(routes!(variants::all_variants))
        .routes(routes!(options::create_option, options::list_options))
        .routes(routes!(
            options::get_option,
            options::update_option,
            options::delete_option
        ))
        .routes(routes!(options::product_options))
        .routes(routes!(options::link_options))
        .routes(routes!(
            variants::get_variant,
            variants::update_variant,
            variants::delete_variant
        ))
        .routes(routes!(categories::list_categories, categories::create_category))
        .routes(routes!(
            categories::get_category,
            categories::update_category,
            categories::delete_category
        ))
        .routes(routes!(collections::list_collections, collections::create_collection))
        .routes(routes!(
            collections::get_collection,
            collections::update_collection,
            collections::delete_collection
        ))
        .routes(routes!(tags::list_tags, tags::create_tag))
        .routes(routes!(tags::get_tag, tags::update_tag, tags::delete_tag))
        .routes(routes!(types::list_types, types::create_type))
        .routes(routes!(types::get_type, types::update_type, types::delete_type))
}

/// The OpenAPI document of this API, as pretty JSON: the one it serves.
pub fn openapi_json() -> Result<String, serde_json::Error> {
    api().doc.to_pretty_json()
}
