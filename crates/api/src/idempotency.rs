//! `Idempotency-Key` on every write (POST, PUT, PATCH, DELETE) of every API: a retried request
//! gets the first one's answer, byte for byte, and is never run twice.
//!
//! This middleware does the HTTP half; the store (`pimento_store::idempotency`) keeps the key
//! in the write's own transaction. Requests without the header pass straight through (one
//! header lookup). With it, the request is authenticated first, by the API the path belongs
//! to (its `Caller`), since keys are kept per organization; its body is read (at most
//! [`MAX_BODY_BYTES`]) to fingerprint it; the key is claimed; the request runs with the claim
//! in scope; and then:
//!
//! - a write committed: the answer is stored and replayed to every retry for 24 h, whatever
//!   its status, except a 5xx, which leaves the key "applied, answer lost" (409 to a retry);
//! - nothing committed and the answer is a success (a write that changed nothing): stored too;
//! - nothing committed and the answer is a 4xx or 5xx: the key is given back, so a retry (or
//!   a corrected request with the same key) runs.
//!
//! A retry with another method, path or body is refused (422, `idempotency_key_reused`); one
//! that arrives while the first still runs too (409, `idempotency_key_in_use`).

use crate::app::{AppState, MAX_BODY_BYTES};
use crate::dialect::Owners;
use crate::error::{ApiError, Field};
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use pimento_core::auth::Ctx;
use pimento_core::error::codes;
use pimento_core::ids::OrganizationId;
use pimento_store::idempotency::{Claim, Claimed, StoredResponse, fingerprint};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// The request header.
pub const HEADER: &str = "Idempotency-Key";
/// The header a replayed answer carries.
pub const REPLAYED: &str = "idempotent-replayed";
/// The longest key taken.
pub const MAX_KEY_LEN: usize = 255;

/// How an API finds the organization of a request: its own authentication.
pub type Identify = for<'a> fn(
    &'a mut Parts,
    &'a AppState,
) -> Pin<Box<dyn Future<Output = Result<OrganizationId, ApiError>> + Send + 'a>>;

/// The [`Identify`] of an API whose caller extractor is `C`.
pub fn identify<'a, C>(
    parts: &'a mut Parts,
    state: &'a AppState,
) -> Pin<Box<dyn Future<Output = Result<OrganizationId, ApiError>> + Send + 'a>>
where
    C: FromRequestParts<AppState, Rejection = ApiError> + Into<Ctx>,
{
    Box::pin(async move {
        let caller = C::from_request_parts(parts, state).await?;
        Ok(caller.into().principal.organization_id)
    })
}

/// Marks a request whose key the middleware has authenticated and counted for the rate limit,
/// so the handler's own authentication does not count it again.
#[derive(Clone, Copy)]
pub(crate) struct KeyCounted;

/// Marks an answer that must not be kept (it shows a secret, such as a new API key): a retry
/// is told the write was applied (409, `idempotency_response_lost`) instead.
#[derive(Clone, Copy)]
pub(crate) struct NotKept;

/// The middleware (see the module's documentation).
pub(crate) async fn guard(
    State((state, owners)): State<(AppState, Arc<Owners>)>,
    req: Request,
    next: Next,
) -> Response {
    if !matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    ) || !req.headers().contains_key(HEADER)
    {
        return next.run(req).await;
    }
    let Some(owner) = owners.of(req.uri().path()).copied() else {
        return next.run(req).await;
    };
    let Some(identify) = owner.identify else {
        return next.run(req).await;
    };
    let respond = owner.respond;
    let key = match key(req.headers()) {
        Ok(k) => k,
        Err(e) => return respond(e),
    };
    let (mut parts, body) = req.into_parts();
    let organization = match identify(&mut parts, &state).await {
        Ok(o) => o,
        Err(e) => return respond(e),
    };
    parts.extensions.insert(KeyCounted);
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY_BYTES).await else {
        return respond(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            format!(
                "A request with an Idempotency-Key may carry at most {} MiB",
                MAX_BODY_BYTES >> 20
            ),
        ));
    };
    let target = parts.uri.path_and_query().map_or("", |p| p.as_str()).to_owned();
    let method = parts.method.to_string();
    let print = if bytes.len() > 64 * 1024 {
        let b = bytes.clone();
        match tokio::task::spawn_blocking(move || fingerprint(&method, &target, &b)).await {
            Ok(p) => p,
            Err(_) => return respond(ApiError::internal()),
        }
    } else {
        fingerprint(&method, &target, &bytes)
    };
    let claimed = state
        .store
        .claim_idempotency_key(organization, &key, print, state.stale_claim_after())
        .await;
    let claim = match claimed {
        Ok(Claimed::Fresh(c)) => c,
        Ok(Claimed::Replay(stored)) => return replay(stored),
        Ok(Claimed::Reused) => {
            return respond(refusal(
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::IDEMPOTENCY_KEY_REUSED,
                "The key was sent with another request (method, path or body) in the last 24 hours; send a new key",
            ));
        }
        Ok(Claimed::InUse) => {
            return respond(refusal(
                StatusCode::CONFLICT,
                codes::IDEMPOTENCY_KEY_IN_USE,
                "The key's first request is still running; retry once it has answered",
            ));
        }
        Ok(Claimed::Applied) => {
            return respond(refusal(
                StatusCode::CONFLICT,
                codes::IDEMPOTENCY_RESPONSE_LOST,
                "The key's request was applied, but its answer was not kept; read the resource to see the result",
            ));
        }
        Err(e) => return respond(e.into()),
    };
    let mut held = Held {
        state: state.clone(),
        claim: Some(claim.clone()),
    };
    let req = Request::from_parts(parts, Body::from(bytes));
    let response = claim.scope(next.run(req)).await;
    held.claim = None;
    finish(&state, &claim, response, respond).await
}

/// The key of the request's header, or a 400 naming it.
fn key(headers: &HeaderMap) -> Result<String, ApiError> {
    let mut values = headers.get_all(HEADER).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        return Err(ApiError::bad_request(HEADER, "must be given once"));
    };
    let bad = || ApiError::bad_request(HEADER, format!("must be 1 to {MAX_KEY_LEN} printable ASCII characters"));
    let text = value.to_str().map_err(|_| bad())?;
    if text.is_empty() || text.len() > MAX_KEY_LEN || !text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(bad());
    }
    Ok(text.to_owned())
}

/// A refusal about the key, naming the header.
fn refusal(status: StatusCode, code: &'static str, message: &str) -> ApiError {
    ApiError {
        field: Some(Field::Wire(HEADER.to_owned())),
        ..ApiError::new(status, code, message)
    }
}

/// The stored answer, as it was first sent, marked as a replay.
fn replay(stored: StoredResponse) -> Response {
    let mut response = Response::new(Body::from(stored.body));
    *response.status_mut() = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in stored.headers {
        if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            response.headers_mut().append(n, v);
        }
    }
    response
        .headers_mut()
        .insert(HeaderName::from_static(REPLAYED), HeaderValue::from_static("true"));
    response
}

/// Headers that describe one transmission, not the answer: never stored.
fn per_transmission(name: &HeaderName) -> bool {
    name == header::CONTENT_LENGTH
        || name == header::TRANSFER_ENCODING
        || name == header::CONNECTION
        || name == header::DATE
        || name.as_str() == "x-request-id"
}

/// Keeps the answer (or gives the key back) once the request has run.
async fn finish(state: &AppState, claim: &Claim, response: Response, respond: fn(ApiError) -> Response) -> Response {
    let status = response.status();
    let committed = claim.committed();
    let failed = status.is_client_error() || status.is_server_error();
    if !committed && failed {
        if let Err(e) = state.store.release_idempotency_key(claim).await {
            tracing::warn!(error = %e, "could not give an idempotency key back");
        }
        return response;
    }
    if status.is_server_error() || response.extensions().get::<NotKept>().is_some() {
        // Committed: the key stays "applied", its answer not kept.
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        tracing::warn!("an answer's body could not be read to keep it");
        if !committed && let Err(e) = state.store.release_idempotency_key(claim).await {
            tracing::warn!(error = %e, "could not give an idempotency key back");
        }
        return respond(ApiError::internal());
    };
    let headers = parts
        .headers
        .iter()
        .filter(|(n, _)| !per_transmission(n))
        .filter_map(|(n, v)| Some((n.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let stored = StoredResponse {
        status: status.as_u16(),
        headers,
        body: bytes.to_vec(),
    };
    if let Err(e) = state.store.store_idempotent_response(claim, stored).await {
        // A retry is told the write was applied (if it was) or runs again (if not).
        tracing::warn!(error = %e, "could not keep an idempotent request's answer");
        if !committed && let Err(e) = state.store.release_idempotency_key(claim).await {
            tracing::warn!(error = %e, "could not give an idempotency key back");
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// A claim held while its request runs: dropped with the request (it ran out of time, or the
/// client went away), the key is given back unless a write committed.
struct Held {
    state: AppState,
    claim: Option<Arc<Claim>>,
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(claim) = self.claim.take()
            && !claim.committed()
        {
            let store = self.state.store.clone();
            tokio::spawn(async move {
                if let Err(e) = store.release_idempotency_key(&claim).await {
                    tracing::warn!(error = %e, "could not give an idempotency key back");
                }
            });
        }
    }
}

/// Lists the optional `Idempotency-Key` header on every write of an API's OpenAPI document.
pub(crate) fn document(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{ObjectBuilder, RefOr, Required, Type};
    let param = ParameterBuilder::new()
        .name(HEADER)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "Makes the write run at most once: a retry with the same key and request within 24 hours \
             gets the first answer again (with `Idempotent-Replayed: true`); the key with another \
             request is refused (422), and while its first request runs (409).",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(MAX_KEY_LEN)),
        ))
        .build();
    for item in doc.paths.paths.values_mut() {
        for op in [&mut item.post, &mut item.put, &mut item.patch, &mut item.delete]
            .into_iter()
            .flatten()
        {
            op.parameters.get_or_insert_with(Vec::new).push(RefOr::T(param.clone()));
        }
    }
}

/// How old a claim whose request never committed must be before another request takes it
/// over: by then its request has run out of time (and was dropped) or its process stopped.
pub(crate) fn stale_after(request_timeout: Duration) -> Duration {
    (request_timeout * 2).max(Duration::from_secs(60))
}
