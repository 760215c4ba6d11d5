//! `/api/v1/pim/media`: media attached to products and variants, the same attachments the
//! Products API shows as `productMediaAssets`.

use super::caller::PimCaller;
use super::params::{PageSize, paged};
use super::view::PimMedia;
use super::wire::CreatePimMedia;
use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{JsonBody, path_id};
use crate::precondition::{IfMatch, IfMatchHeader};
use crate::query::{OptId, Query};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use pimento_core::ids::{ProductId, ProductMediaId, VariantId};
use pimento_core::media::{MediaAssetInput, MediaInput, MediaSource};
use pimento_store::catalog::MediaQuery;
use serde::Deserialize;
use utoipa::IntoParams;

/// What `GET /api/v1/pim/media` accepts.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListMedia {
    /// Only this product's media
    #[param(value_type = Option<String>)]
    pub product_id: OptId<ProductId>,
    /// Only this variant's media
    #[param(value_type = Option<String>)]
    pub variant_id: OptId<VariantId>,
    /// Page size, 1 to 100 (default 100)
    #[param(value_type = Option<u32>)]
    pub limit: PageSize,
    /// The X-Next-Cursor of the previous page
    #[param(value_type = Option<String>)]
    pub cursor: OptId<ProductMediaId>,
}

/// List media; with `product_id` or `variant_id`, that product's or variant's media in display
/// order, otherwise all of the organization's a page at a time.
#[utoipa::path(get, path = "/api/v1/pim/media", tag = "Media",
    params(ListMedia),
    responses(
        (status = 200, description = "Media", body = Vec<PimMedia>),
        (status = 400, description = "Invalid parameter", body = ErrorBody),
    ))]
pub async fn list_media(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Query(q): Query<ListMedia>,
    RawQuery(raw): RawQuery,
) -> Result<(HeaderMap, Json<Vec<PimMedia>>), ApiError> {
    let limit = q.limit.0;
    let query = MediaQuery {
        product_id: q.product_id.0,
        variant_id: q.variant_id.0,
        limit,
        after: q.cursor.0,
    };
    let page = state.store.find_media(&ctx, query).await?;
    let items = page.items.into_iter().map(Into::into).collect();
    Ok(paged(
        "/api/v1/pim/media",
        raw.as_deref(),
        limit,
        page.next_cursor,
        items,
    ))
}

/// Attach a media asset to a product, or to one of its variants.
#[utoipa::path(post, path = "/api/v1/pim/media", tag = "Media", request_body = CreatePimMedia,
    params(IfMatchHeader),
    responses(
        (status = 201, description = "The attachment", body = PimMedia),
        (status = 400, description = "Invalid URL, or neither product_id nor variant_id", body = ErrorBody),
        (status = 404, description = "Product or variant not found", body = ErrorBody),
        (status = 412, description = "The product is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The product's current version"))),
    ))]
pub async fn create_media(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    if_match: IfMatch,
    JsonBody(body): JsonBody<CreatePimMedia>,
) -> Result<(StatusCode, Json<PimMedia>), ApiError> {
    let variant: Option<VariantId> = body.variant_id.map(Into::into);
    let product: ProductId = match (body.product_id, variant) {
        (Some(p), _) => p.into(),
        (None, Some(v)) => state.store.product_of_variant(&ctx, v).await?,
        (None, None) => {
            return Err(ApiError::bad_request(
                "product_id",
                "a product_id or variant_id is required",
            ));
        }
    };
    let input = MediaInput {
        source: MediaSource::New(MediaAssetInput {
            name: body.name,
            public_url: Some(body.url),
            alt_text: body.alt_text,
            ..Default::default()
        }),
        position: body.position,
        purpose: None,
        variant_id: variant,
    };
    let m = state
        .store
        .add_media(&ctx, product, if_match.get(), input)
        .await
        .map_err(|e| ApiError::from(e).named(super::names::MEDIA))?;
    Ok((StatusCode::CREATED, Json(m.into())))
}

/// One attachment.
#[utoipa::path(get, path = "/api/v1/pim/media/{id}", tag = "Media",
    params(("id" = String, Path, description = "UUID of the attachment")),
    responses(
        (status = 200, description = "The attachment", body = PimMedia),
        (status = 404, description = "Media asset not found", body = ErrorBody),
    ))]
pub async fn get_media(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
) -> Result<Json<PimMedia>, ApiError> {
    Ok(Json(
        state.store.media_attachment(&ctx, path_id("id", &id)?).await?.into(),
    ))
}

/// Detach a media asset from its product.
#[utoipa::path(delete, path = "/api/v1/pim/media/{id}", tag = "Media",
    params(("id" = String, Path, description = "UUID of the attachment"), IfMatchHeader),
    responses(
        (status = 204, description = "Detached"),
        (status = 404, description = "Media asset not found", body = ErrorBody),
        (status = 412, description = "The product is at another version than `If-Match` names", body = ErrorBody, headers(("ETag" = String, description = "The product's current version"))),
    ))]
pub async fn delete_media(
    State(state): State<AppState>,
    PimCaller(ctx): PimCaller,
    Path(id): Path<String>,
    if_match: IfMatch,
) -> Result<StatusCode, ApiError> {
    let m = state.store.media_attachment(&ctx, path_id("id", &id)?).await?;
    state
        .store
        .remove_media(&ctx, m.product_id, if_match.get(), m.id.0)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
