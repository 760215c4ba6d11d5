//! The seam between the APIs and the core. Each API (a folder under `src/`) implements
//! [`Dialect`]: how it spells the core's field names and what its error body is. [`mount`]
//! turns its routes into the part of the app it answers for: every error raised there (by a
//! handler, an extractor, an unknown path under its prefix, a wrong method, a panic) is
//! rendered by that API alone.

use crate::app::AppState;
use crate::error::{ApiError, Field};
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use std::borrow::Cow;
use tower_http::catch_panic::CatchPanicLayer;
use utoipa::openapi::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// An error ready for an API's body: its field in that API's spelling.
#[derive(Debug, Clone)]
pub struct Spelled {
    pub status: StatusCode,
    pub code: &'static str,
    /// Never repeats the field.
    pub message: String,
    pub field: Option<String>,
}

/// One API's translation of errors.
pub trait Dialect: Send + Sync + 'static {
    /// This API's name for a core field name; every name of a path goes through it.
    fn spell(core: &str) -> Cow<'static, str>;

    /// This API's response for an error.
    fn respond(error: Spelled) -> Response;

    /// An error with its field in this API's spelling.
    fn spelled(e: ApiError) -> Spelled {
        let field = e.field.map(|f| match f {
            Field::Core(path) => {
                path.spelled(
                    |depth, name| match e.names.iter().find(|(core, _)| depth == 0 && *core == name) {
                        Some((_, wire)) => Cow::Borrowed(*wire),
                        None => Self::spell(name),
                    },
                )
            }
            Field::Wire(w) => w,
        });
        Spelled {
            status: e.status,
            code: e.code,
            message: e.message,
            field,
        }
    }
}

/// An API as the app mounts it: its routes with their error rendering, and its OpenAPI
/// document with the path it is served at.
pub struct Mounted<S = AppState> {
    pub router: Router<S>,
    pub doc_path: &'static str,
    pub doc: OpenApi,
    /// The paths it answers for, and how it renders an error.
    pub owner: Owner,
}

/// Which paths an API answers for, and its rendering of an error: what answers a refusal made
/// outside its routes (by the HTTP layer: a body too large, a client too slow, a request
/// line or headers hyper refused) for a path under its prefix.
#[derive(Clone, Copy)]
pub struct Owner {
    pub prefix: &'static str,
    pub respond: fn(ApiError) -> Response,
    /// How it finds a request's organization (its authentication), when its writes take an
    /// `Idempotency-Key` (`idempotency.rs`).
    pub identify: Option<crate::idempotency::Identify>,
}

impl Owner {
    /// The owner of the paths under `prefix`, rendering with `D`.
    pub fn of<D: Dialect>(prefix: &'static str) -> Owner {
        Owner {
            prefix,
            respond: |e| D::respond(D::spelled(e)),
            identify: None,
        }
    }

    fn owns(&self, path: &str) -> bool {
        path.strip_prefix(self.prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }
}

/// Every API's [`Owner`]: an error answered anywhere in the app gets the body of the API whose
/// prefix is the longest that the path starts with (`/api/v1/pim/…` is the PIM's, `/api/v1/…`
/// the Products API's, `/api/…` CS-Cart's), and outside them all the neutral
/// `{error, code, field}` body.
#[derive(Clone, Default)]
pub struct Owners(Vec<Owner>);

impl Owners {
    pub fn new(mut owners: Vec<Owner>) -> Self {
        owners.sort_by_key(|o| std::cmp::Reverse(o.prefix.len()));
        Owners(owners)
    }

    /// Every API's prefix.
    pub fn prefixes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|o| o.prefix)
    }

    /// The owner of a path, if an API has it.
    pub fn of(&self, path: &str) -> Option<&Owner> {
        self.0.iter().find(|o| o.owns(path))
    }

    /// An error in the body of the path's API, or the neutral one.
    pub fn respond(&self, path: &str, e: ApiError) -> Response {
        match self.of(path) {
            Some(owner) => (owner.respond)(e),
            None => {
                let mut r = e.into_response();
                r.extensions_mut().remove::<ApiError>();
                r
            }
        }
    }

    /// Gives a response its body if it is an error that has none of an API's yet: an
    /// [`ApiError`] answered outside the APIs' own routes (a timeout, a panic caught at the
    /// top), or a refusal with no JSON body (a wrong method on `/health`, a layer's plain-text
    /// answer). Headers the refusal set are kept.
    pub async fn render(&self, path: &str, response: Response) -> Response {
        rendered(response, |error| self.respond(path, error)).await
    }
}

fn is_json(parts: &axum::http::response::Parts) -> bool {
    parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

/// `rendered`, with the headers of the refusal it replaces (a 405's `Allow`, a 429's
/// `Retry-After`) but its own body's.
fn keep_headers(parts: &axum::http::response::Parts, mut rendered: Response) -> Response {
    for name in parts.headers.keys() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rendered.headers_mut().remove(name);
            for value in parts.headers.get_all(name) {
                rendered.headers_mut().append(name.clone(), value.clone());
            }
        }
    }
    rendered
}

/// Mounts an API's routes: paths under `prefix` that none of them serves answer this API's 404,
/// and errors and panics get this API's body.
pub fn mount<D: Dialect, S: Clone + Send + Sync + 'static>(
    routes: OpenApiRouter<S>,
    prefix: &'static str,
    doc_path: &'static str,
) -> Mounted<S> {
    let (router, doc) = routes.split_for_parts();
    let router = router
        .route(prefix, any(no_route))
        .route(&format!("{prefix}/{{*rest}}"), any(no_route))
        .layer(CatchPanicLayer::custom(|_| {
            tracing::error!("handler panicked");
            ApiError::internal().into_response()
        }))
        .layer(axum::middleware::map_response(render::<D>));
    Mounted {
        router,
        doc_path,
        doc,
        owner: Owner::of::<D>(prefix),
    }
}

impl Mounted<AppState> {
    /// Takes an `Idempotency-Key` on this API's writes, finding the organization whose keys
    /// it is with the API's caller extractor `C`.
    pub fn idempotent<C>(mut self) -> Self
    where
        C: axum::extract::FromRequestParts<AppState, Rejection = ApiError> + Into<pimento_core::auth::Ctx>,
    {
        self.owner.identify = Some(crate::idempotency::identify::<C>);
        crate::idempotency::document(&mut self.doc);
        self
    }
}

/// What any request of an API can be refused with before its operation decides anything.
pub const EVERY_REFUSAL: &[(u16, &str)] = &[
    (
        400,
        "A malformed path, query or header parameter (an id, a page size, `Idempotency-Key`), or body",
    ),
    (401, "No key, or an unknown one"),
];

/// What any write with an `Idempotency-Key` can be refused with (`idempotency.rs`).
pub const WRITE_REFUSALS: &[(u16, &str)] = &[
    (
        409,
        "The `Idempotency-Key`'s first request still runs, or its answer was not kept",
    ),
    (422, "The `Idempotency-Key` was sent with another request"),
];

impl<S> Mounted<S> {
    /// Lists on every operation of the document the answers any of its requests can get,
    /// whatever the operation does, with the API's error body (`error_schema`): `every` on all
    /// of them (a malformed parameter or header, a missing key), `writes` on POST, PUT, PATCH
    /// and DELETE (an `Idempotency-Key` sent with another request, or whose first request
    /// still runs). A status an operation lists already keeps its own description.
    pub fn answering(mut self, error_schema: &str, every: &[(u16, &str)], writes: &[(u16, &str)]) -> Self {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let response = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name(error_schema)))
                            .build(),
                    )
                    .build(),
            )
        };
        for item in self.doc.paths.paths.values_mut() {
            let reads = [&mut item.get].into_iter().flatten().map(|op| (op, false));
            let changes = [&mut item.post, &mut item.put, &mut item.patch, &mut item.delete]
                .into_iter()
                .flatten()
                .map(|op| (op, true));
            for (op, write) in reads.chain(changes) {
                let listed = if write { writes } else { &[] };
                for (status, description) in every.iter().chain(listed) {
                    op.responses
                        .responses
                        .entry(status.to_string())
                        .or_insert_with(|| response(description));
                }
            }
        }
        self
    }
}

async fn no_route() -> ApiError {
    ApiError::no_route()
}

/// Gives an error response its API's body. A refusal that carries no error (axum's own: a
/// wrong method's 405, a malformed path's plain-text 400) gets one too, its text kept as the
/// message.
async fn render<D: Dialect>(response: Response) -> Response {
    rendered(response, |error| D::respond(D::spelled(error))).await
}

/// `response` as it is, or, when it is an error without an API's body yet (an [`ApiError`],
/// or a refusal with no JSON body), that error in the body `respond` gives it, with the
/// refusal's own headers kept.
async fn rendered(response: Response, respond: impl FnOnce(ApiError) -> Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let error = match parts.extensions.remove::<ApiError>() {
        Some(e) => e,
        None if (parts.status.is_client_error() || parts.status.is_server_error()) && !is_json(&parts) => {
            bare(parts.status, body).await
        }
        None => return Response::from_parts(parts, body),
    };
    keep_headers(&parts, respond(error))
}

/// The error of a refusal made without one, from its status and (short) text.
pub(crate) async fn bare(status: StatusCode, body: axum::body::Body) -> ApiError {
    let (code, fallback) = match status {
        StatusCode::NOT_FOUND => ("not_found", "No such endpoint"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "This endpoint does not take this method"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "The request body is too large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "The request body's type is not accepted"),
        StatusCode::URI_TOO_LONG => ("uri_too_long", "The request's URI is too long"),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            ("headers_too_large", "The request's headers are too large or too many")
        }
        StatusCode::REQUEST_TIMEOUT => ("request_timeout", "The request was not received in time"),
        StatusCode::TOO_MANY_REQUESTS => ("rate_limited", "Too many requests; try again later"),
        StatusCode::SERVICE_UNAVAILABLE => ("unavailable", "The service is temporarily unavailable; try again"),
        s if s.is_server_error() => ("internal", "Internal server error"),
        _ => ("invalid_request", "The request could not be read"),
    };
    // A client error's text says what was wrong; a server error's is never shown.
    let text = if status.is_server_error() {
        None
    } else {
        axum::body::to_bytes(body, 1024)
            .await
            .ok()
            .and_then(|b| String::from_utf8(b.to_vec()).ok())
            .filter(|t| !t.trim().is_empty())
    };
    ApiError::new(status, code, text.unwrap_or_else(|| fallback.to_owned()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::extract::JsonBody;
    use axum::body::Body;
    use axum::http::{Method, Request};
    use http_body_util::BodyExt;
    use pimento_core::CoreError;
    use serde_json::{Value, json};
    use tower::ServiceExt;

    /// A dialect whose body no real API has, so a test sees whose body answered.
    struct Teapot;

    impl Dialect for Teapot {
        fn spell(core: &str) -> Cow<'static, str> {
            Cow::Owned(core.to_uppercase())
        }

        fn respond(e: Spelled) -> Response {
            let body = json!({"teapot": e.message, "code": e.code, "at": e.field});
            (e.status, axum::Json(body)).into_response()
        }
    }

    #[derive(serde::Deserialize)]
    struct Thing {
        #[allow(dead_code)]
        count: u32,
    }

    async fn take_json(JsonBody(_): JsonBody<Thing>) -> &'static str {
        "ok"
    }

    async fn refuse() -> Result<(), ApiError> {
        Err(CoreError::invalid("variants[1].unit_price", "must not be negative").into())
    }

    async fn panic_now() -> &'static str {
        panic!("a handler bug")
    }

    async fn take_path(axum::extract::Path(n): axum::extract::Path<u32>) -> String {
        n.to_string()
    }

    fn app() -> Router {
        let routes = OpenApiRouter::new()
            .route("/tea/things", axum::routing::post(take_json))
            .route("/tea/refuse", axum::routing::get(refuse))
            .route("/tea/panic", axum::routing::get(panic_now))
            .route("/tea/numbers/{n}", axum::routing::get(take_path));
        let tea = mount::<Teapot, ()>(routes, "/tea", "/tea/openapi.json");
        Router::new().merge(tea.router)
    }

    async fn call(method: Method, path: &str, body: &str) -> (StatusCode, Value, Option<String>) {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        let res = app().oneshot(req).await.unwrap();
        let status = res.status();
        let allow = res.headers().get("allow").map(|v| v.to_str().unwrap().to_owned());
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        (status, serde_json::from_slice(&bytes).unwrap(), allow)
    }

    #[tokio::test]
    async fn every_error_under_the_prefix_has_the_dialects_body() {
        let (status, body, _) = call(Method::POST, "/tea/things", "{").await;
        assert_eq!(
            (status.as_u16(), &body["code"]),
            (400, &json!("invalid_json")),
            "{body}"
        );
        assert!(body["teapot"].is_string());

        let (status, body, _) = call(Method::POST, "/tea/things", r#"{"count": -1}"#).await;
        assert_eq!((status.as_u16(), &body["at"]), (400, &json!("count")), "{body}");

        let (status, body, _) = call(Method::GET, "/tea/refuse", "").await;
        assert_eq!(status.as_u16(), 400);
        assert_eq!(
            body["at"], "VARIANTS[1].UNIT_PRICE",
            "core names go through the dialect"
        );
        assert_eq!(body["teapot"], "must not be negative");

        for path in ["/tea", "/tea/nothing", "/tea/things/1/more"] {
            let (status, body, _) = call(Method::GET, path, "").await;
            assert_eq!(
                (status.as_u16(), &body["code"]),
                (404, &json!("not_found")),
                "{path}: {body}"
            );
        }

        let (status, body, allow) = call(Method::DELETE, "/tea/things", "").await;
        assert_eq!(
            (status.as_u16(), &body["code"]),
            (405, &json!("method_not_allowed")),
            "{body}"
        );
        assert_eq!(allow.as_deref(), Some("POST"));

        // axum's own plain-text refusal of a malformed path.
        let (status, body, _) = call(Method::GET, "/tea/numbers/x", "").await;
        assert_eq!(
            (status.as_u16(), &body["code"]),
            (400, &json!("invalid_request")),
            "{body}"
        );
        assert!(body["teapot"].as_str().is_some_and(|t| !t.is_empty()), "{body}");

        let (status, body, _) = call(Method::GET, "/tea/panic", "").await;
        assert_eq!((status.as_u16(), &body["code"]), (500, &json!("internal")), "{body}");
        assert!(body["teapot"].is_string());
    }
}
