//! `/api/v1/pim/templates`.

use super::caller::PimCaller;
use super::params::{Paging, paged};
use super::view::PimTemplate;
use super::wire::TemplateBody;
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, path_id};
use crate::precondition::{IfMatch, IfMatchHeader, tagged};
use crate::query::Query;
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use pimento_core::attribute::{TemplateAttributeInput, TemplateInput};

fn attributes(list: Option<Vec<super::wire::TemplateAttributeBody>>) -> Option<Vec<TemplateAttributeInput>> {
    list.map(|l| l.into_iter().map(Into::into).collect())
}

/// List product type templates in creation order.
#[utoipa::path(get, path = "/api/v1/pim/templates", tag = "Templates",
    params(Paging),
    responses((status = 200, description = "Templates", body = Vec<PimTemplate>)))]
pub async fn list_templates(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<Paging>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Json<Vec<PimTemplate>>), ApiError> {
    let limit = q.limit.0;
    let page = state
        .store
        .list_templates(&ctx, limit, q.cursor.0.map(Into::into))
        .await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(paged(
        "/api/v1/pim/templates",
        raw.as_deref(),
        limit,
        page.next_cursor,
        items,
    ))
}

/// Create a product type template naming its attributes and which are required.
#[utoipa::path(post, path = "/api/v1/pim/templates", tag = "Templates", request_body = TemplateBody,
    responses(
        (status = 201, description = "The new template", body = PimTemplate, headers(("ETag" = String, description = "The template's version"))),
        (status = 400, description = "Invalid field or unknown attribute", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody),
    ))]
pub async fn create_template(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    JsonBody(body): JsonBody<TemplateBody>,
) -> Result<impl IntoResponse, ApiError> {
    let name = body.name.ok_or_else(|| ApiError::bad_request("name", "is required"))?;
    let input = TemplateInput {
        name,
        description: body.description.apply(None),
        attributes: attributes(body.attributes).unwrap_or_default(),
    };
    let g = state.store.create_template(&ctx, input).await?;
    Ok((StatusCode::CREATED, tagged(g.version), Json(PimTemplate::from(g))))
}

/// One template with its attributes.
#[utoipa::path(get, path = "/api/v1/pim/templates/{id}", tag = "Templates",
    params(("id" = String, Path, description = "UUID of the template")),
    responses(
        (status = 200, description = "The template", body = PimTemplate, headers(("ETag" = String, description = "The template's version"))),
        (status = 404, description = "Template not found", body = ErrorBody),
    ))]
pub async fn get_template(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    let t = state.store.get_template(&ctx, path_id("id", &id)?).await?;
    Ok((tagged(t.version), Json(PimTemplate::from(t))))
}

/// Rename a template, change its description, or replace its attribute list.
#[utoipa::path(put, path = "/api/v1/pim/templates/{id}", tag = "Templates", request_body = TemplateBody,
    params(("id" = String, Path, description = "UUID of the template"), IfMatchHeader),
    responses(
        (status = 200, description = "The updated template", body = PimTemplate, headers(("ETag" = String, description = "The template's new version"))),
        (status = 400, description = "Invalid field or unknown attribute", body = ErrorBody),
        (status = 404, description = "Template not found", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody),
        (status = 412, description = "The template is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The template's current version"))),
    ))]
pub async fn update_template(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
    JsonBody(body): JsonBody<TemplateBody>,
) -> Result<impl IntoResponse, ApiError> {
    let g = state
        .store
        .update_template(
            &ctx,
            path_id("id", &id)?,
            if_match.get(),
            body.name,
            body.description,
            attributes(body.attributes),
        )
        .await?;
    Ok((tagged(g.version), Json(PimTemplate::from(g))))
}

/// Delete a template no product uses.
#[utoipa::path(delete, path = "/api/v1/pim/templates/{id}", tag = "Templates",
    params(("id" = String, Path, description = "UUID of the template"), IfMatchHeader),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "Template not found", body = ErrorBody),
        (status = 409, description = "Products use it (in_use)", body = ErrorBody),
        (status = 412, description = "The template is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The template's current version"))),
    ))]
pub async fn delete_template(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .delete_template(&ctx, path_id("id", &id)?, if_match.get())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
