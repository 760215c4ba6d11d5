//! The PIM API (`/api/v1/pim/…`, seed 003): snake_case JSON, UUID ids, and on every request
//! `Authorization: Bearer <secret key>`, `X-Tenant-ID` and `X-Org-ID`.

mod api_keys;
mod attribute_groups;
mod attributes;
mod audit;
mod brands;
mod bulk_jobs;
mod caller;
mod categories;
mod error;
mod export;
mod imports;
mod jobs;
mod media;
mod names;
mod notifications;
mod params;
mod products;
mod restore;
mod stats;
mod templates;
mod validation;
mod variants;
pub mod view;
pub mod wire;

use crate::app::AppState;
use crate::dialect::{self, Mounted};
use error::Pim;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "Pimento PIM API", version = "1",
        description = "Products, variants, categories, brands, typed attributes, templates, media, stats, validation issues and audit events. Every request carries a secret key and the X-Tenant-ID and X-Org-ID of that key's organization."),
    modifiers(&PimAuth),
    security(("bearer" = [], "tenant" = [], "organization" = [])),
    tags(
        (name = "Products"), (name = "Variants"), (name = "Categories"), (name = "Brands"),
        (name = "Attributes"), (name = "Templates"), (name = "Media"), (name = "Stats"),
        (name = "Validation"), (name = "Audit"), (name = "API keys"),
    )
)]
struct ApiDoc;

struct PimAuth;

impl Modify for PimAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A secret key (sk_…)"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "tenant",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Tenant-ID",
                "UUID of your tenant",
            ))),
        );
        components.add_security_scheme(
            "organization",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Org-ID",
                "UUID of your organization",
            ))),
        );
    }
}

/// This API as the app mounts it: its routes, its errors and its OpenAPI document.
pub fn api() -> Mounted {
    dialect::mount::<Pim, _>(router(), "/api/v1/pim", "/api/v1/pim/openapi.json")
        .idempotent::<caller::PimCaller>()
        .answering(
            "ErrorBody",
            &[
                dialect::EVERY_REFUSAL[0],
                dialect::EVERY_REFUSAL[1],
                (403, "A publishable key"),
                (404, "The tenant or organization is not the key's"),
            ],
            dialect::WRITE_REFUSALS,
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
        .routes(routes!(restore::restore_product))
        .routes(routes!(restore::list_deleted))
        .routes(routes!(variants::list_variants, variants::create_variant))
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
        .routes(routes!(brands::list_brands, brands::create_brand))
        .routes(routes!(brands::get_brand, brands::update_brand, brands::delete_brand))
        .routes(routes!(attributes::list_attributes, attributes::create_attribute))
        .routes(routes!(
            attributes::get_attribute,
            attributes::update_attribute,
            attributes::delete_attribute
        ))
        .routes(routes!(attribute_groups::list_groups, attribute_groups::create_group))
        .routes(routes!(
            attribute_groups::get_group,
            attribute_groups::update_group,
            attribute_groups::delete_group
        ))
        .routes(routes!(templates::list_templates, templates::create_template))
        .routes(routes!(
            templates::get_template,
            templates::update_template,
            templates::delete_template
        ))
        .routes(routes!(media::list_media, media::create_media))
        .routes(routes!(media::get_media, media::delete_media))
        .routes(routes!(stats::stats))
        .routes(routes!(validation::validation))
        .routes(routes!(audit::audit))
        .routes(routes!(export::export))
        .routes(routes!(imports::import))
        .routes(routes!(bulk_jobs::list_bulk_jobs, bulk_jobs::create_bulk_job))
        .routes(routes!(jobs::list_jobs))
        .routes(routes!(jobs::get_job))
        .routes(routes!(jobs::cancel_job))
        .routes(routes!(jobs::job_errors))
        .routes(routes!(jobs::download))
        .routes(routes!(notifications::list_notifications))
        .routes(routes!(api_keys::list_keys, api_keys::create_key))
        .routes(routes!(api_keys::revoke_key))
}

/// The OpenAPI document of this API, as pretty JSON: the one it serves.
pub fn openapi_json() -> Result<String, serde_json::Error> {
    api().doc.to_pretty_json()
}
