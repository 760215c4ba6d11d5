//! `/api/vendors[/{id}]`: the catalog's vendors, CS-Cart's companies. `company` is the name,
//! `status` `A` (active), `P` (pending) or `D` (disabled); the contact fields the catalog has
//! no place for (`phone`, `url`, `address`, …: `own::VENDOR_FIELDS`) are kept in the vendor's
//! `cscart` extension and read back.

use super::caller::CsCartCaller;
use super::own;
use super::pages::PageParams;
use super::products::{find, not_found, path_number};
use super::values::{Text, bad, typed};
use crate::app::AppState;
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use crate::query::Query;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pimento_core::auth::Ctx;
use pimento_core::extension::ExtensionPatch;
use pimento_core::ids::VendorId;
use pimento_core::numbers::Numbered;
use pimento_core::patch::Patch;
use pimento_core::vendor::{Vendor, VendorInput, VendorPatch, VendorStatus};
use pimento_store::page::MAX_LIMIT;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

fn letter(s: VendorStatus) -> &'static str {
    match s {
        VendorStatus::Active => "A",
        VendorStatus::Pending => "P",
        VendorStatus::Disabled => "D",
    }
}

fn status_of(raw: &str) -> Result<VendorStatus, ApiError> {
    match raw.trim().to_ascii_uppercase().as_str() {
        "A" => Ok(VendorStatus::Active),
        "P" | "N" => Ok(VendorStatus::Pending),
        "D" => Ok(VendorStatus::Disabled),
        _ => Err(bad("status", format!("'{raw}' is not A, P or D"))),
    }
}

fn render(v: &Vendor) -> Value {
    let mut out = serde_json::Map::new();
    own::render_in(own::VENDOR_FIELDS, &v.extensions, &mut out);
    out.extend(
        [
            ("company_id", v.number.to_string()),
            ("company", v.name.clone()),
            ("email", v.email.clone().unwrap_or_default()),
            ("company_description", v.description.clone().unwrap_or_default()),
            ("status", letter(v.status).to_owned()),
            ("timestamp", v.created_at.timestamp().to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::String(v))),
    );
    Value::Object(out)
}

/// The extension patch of the contact fields a body gives.
fn own_patch(body: &serde_json::Map<String, Value>) -> Result<Option<ExtensionPatch>, ApiError> {
    let given = body.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    own::patch_in(own::VENDOR_FIELDS, &given, serde_json::Map::new())
}

async fn load(state: &AppState, ctx: &Ctx, raw: &str) -> Result<Vendor, ApiError> {
    let n = path_number(raw, "Vendor")?;
    let id = find(state, ctx, Numbered::Vendor, n)
        .await?
        .ok_or_else(|| not_found("Vendor"))?;
    Ok(state.store.get_vendor(ctx, VendorId(id)).await?)
}

/// Every vendor of the organization, in creation order.
async fn all(state: &AppState, ctx: &Ctx) -> Result<Vec<Vendor>, ApiError> {
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let page = state.store.list_vendors(ctx, MAX_LIMIT, after).await?;
        let more = page.next_cursor.is_some();
        after = page.items.last().map(|v| v.id);
        out.extend(page.items);
        if !more {
            return Ok(out);
        }
    }
}

/// List vendors, in creation order.
#[utoipa::path(get, path = "/api/vendors", tag = "Vendors", params(PageParams),
    responses((status = 200, description = "{vendors: [...], params: {page, items_per_page, total_items}}")))]
pub async fn list_vendors(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Query(q): Query<PageParams>,
) -> Result<Json<Value>, ApiError> {
    let page = q.read()?;
    let everything = all(&state, &ctx).await?;
    let total = everything.len() as i64;
    let items: Vec<Value> = page.of(everything).iter().map(render).collect();
    Ok(Json(json!({"vendors": items, "params": page.params(total)})))
}

/// One vendor.
#[utoipa::path(get, path = "/api/vendors/{vendor_id}", tag = "Vendors",
    params(("vendor_id" = String, Path, description = "The vendor's id")),
    responses((status = 200, description = "The vendor", headers(("ETag" = String, description = "The vendor's version"))), (status = 404, description = "No such vendor", body = super::error::CsCartErrorBody)))]
pub async fn get_vendor(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
) -> Result<Response, ApiError> {
    let v = load(&state, &ctx, &raw).await?;
    Ok((tagged(v.version), Json(render(&v))).into_response())
}

/// A vendor as CS-Cart sends it. Its contact fields (`phone`, `fax`, `url`, `address`,
/// `city`, `state`, `country`, `zipcode`, `tax_number`, `lang_code`) are kept as sent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VendorBody {
    /// The name (required on create).
    pub company: Option<Text>,
    pub email: Option<String>,
    pub company_description: Option<String>,
    /// A (default), P or D.
    pub status: Option<Text>,
}

/// Create a vendor; answers 201 with its id.
#[utoipa::path(post, path = "/api/vendors", tag = "Vendors", request_body = VendorBody,
    responses((status = 201, description = "{company_id}"), (status = 400, description = "A field refused", body = super::error::CsCartErrorBody)))]
pub async fn create_vendor(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    JsonBody(raw): JsonBody<serde_json::Map<String, Value>>,
) -> Result<Response, ApiError> {
    let body: VendorBody = typed(&raw)?;
    let extension = own_patch(&raw)?;
    let name = body.company.map(|t| t.0).ok_or_else(|| bad("company", "is required"))?;
    let status = body.status.map(|s| status_of(&s.0)).transpose()?.unwrap_or_default();
    let v = state
        .store
        .create_vendor_extended(
            &ctx,
            VendorInput {
                name,
                email: body.email,
                description: body.company_description,
                status,
                metadata: None,
            },
            extension,
        )
        .await
        .map_err(|e| ApiError::from(e).named(super::names::VENDOR))?;
    Ok((StatusCode::CREATED, Json(json!({"company_id": v.number}))).into_response())
}

/// Change a vendor: the fields given, when it meets `If-Match`.
#[utoipa::path(put, path = "/api/vendors/{vendor_id}", tag = "Vendors", request_body = VendorBody,
    params(("vendor_id" = String, Path, description = "The vendor's id"), IfMatchHeader),
    responses((status = 200, description = "{company_id}", headers(("ETag" = String, description = "The vendor's new version"))), (status = 404, description = "No such vendor", body = super::error::CsCartErrorBody), (status = 412, description = "The vendor is at another version than `If-Match` names", body = super::error::CsCartErrorBody, headers(("ETag" = String, description = "The vendor's current version")))))]
pub async fn update_vendor(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
    JsonBody(sent): JsonBody<serde_json::Map<String, Value>>,
) -> Result<Response, ApiError> {
    let v = load(&state, &ctx, &raw).await?;
    let body: VendorBody = typed(&sent)?;
    let extension = own_patch(&sent)?;
    let clearable = |t: Option<String>| match t {
        None => Patch::Keep,
        Some(s) if s.trim().is_empty() => Patch::Clear,
        Some(s) => Patch::Set(s),
    };
    let changed = state
        .store
        .update_vendor_extended(
            &ctx,
            v.id,
            if_match.get(),
            VendorPatch {
                name: body.company.map(|t| t.0),
                email: clearable(body.email),
                description: clearable(body.company_description),
                status: body.status.map(|s| status_of(&s.0)).transpose()?,
                metadata: Patch::Keep,
            },
            extension,
        )
        .await
        .map_err(|e| ApiError::from(e).named(super::names::VENDOR))?;
    Ok((tagged(changed.version), Json(json!({"company_id": v.number}))).into_response())
}

/// Delete a vendor, when it meets `If-Match`; one that owns products is refused (400).
#[utoipa::path(delete, path = "/api/vendors/{vendor_id}", tag = "Vendors",
    params(("vendor_id" = String, Path, description = "The vendor's id"), IfMatchHeader),
    responses((status = 204, description = "Deleted"), (status = 400, description = "It owns products", body = super::error::CsCartErrorBody), (status = 404, description = "No such vendor", body = super::error::CsCartErrorBody), (status = 412, description = "The vendor is at another version than `If-Match` names", body = super::error::CsCartErrorBody, headers(("ETag" = String, description = "The vendor's current version")))))]
pub async fn delete_vendor(
    State(state): State<AppState>,
    CsCartCaller(ctx): CsCartCaller,
    Path(raw): Path<String>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    let v = load(&state, &ctx, &raw).await?;
    state
        .store
        .delete_vendor(&ctx, v.id, if_match.get())
        .await
        .map_err(|e| ApiError::from(e).named(super::names::VENDOR))?;
    Ok(StatusCode::NO_CONTENT)
}
