//! Authentication shared by every API: an API key to a [`Ctx`], with a short-lived in-process
//! cache so a hot path does not hit the database for every request. Which header carries the
//! key is each API's own choice (its `caller.rs`).

use crate::app::AppState;
use crate::error::ApiError;
use axum::extract::ConnectInfo;
use axum::http::request::Parts;
use pimento_core::auth::{Ctx, Principal};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::RwLock;
use std::time::{Duration, Instant};

/// How long a key lookup is trusted. A revoked key keeps working this long on a node that has
/// it cached, so this is the bound on a revocation reaching every node (`pimento key revoke`
/// promises 5 s: this plus a lookup). It still spares a busy key all but one lookup in four
/// seconds per node, and keeps every node stateless.
pub const TTL: Duration = Duration::from_secs(4);
const MAX_ENTRIES: usize = 10_000;

/// Recently seen keys.
#[derive(Default)]
pub struct KeyCache {
    entries: RwLock<HashMap<String, (Principal, Instant)>>,
}

impl KeyCache {
    fn get(&self, token: &str) -> Option<Principal> {
        let map = self.entries.read().ok()?;
        let (p, at) = map.get(token)?;
        (at.elapsed() < TTL).then(|| p.clone())
    }

    /// Drops every cached lookup of this key, so that a revocation holds on this node at once.
    pub fn forget(&self, key_id: pimento_core::ids::ApiKeyId) {
        if let Ok(mut map) = self.entries.write() {
            map.retain(|_, (p, _)| p.key_id != key_id);
        }
    }

    fn put(&self, token: &str, p: Principal) {
        if let Ok(mut map) = self.entries.write() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(token.to_owned(), (p, Instant::now()));
        }
    }
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The caller an API key belongs to, or a 401; each API finds the key in its own way
/// (`bearer`, HTTP Basic, …) and calls this.
pub async fn authenticate(state: &AppState, token: &str, parts: &Parts) -> Result<Ctx, ApiError> {
    let principal = match state.keys.get(token) {
        Some(p) => p,
        None => {
            let address = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
            if let Some(rate) = &state.rate {
                rate.check_address_open(address)?;
            }
            let Some(p) = state.store.authenticate(token).await? else {
                if let Some(rate) = &state.rate {
                    rate.count_wrong_key(address)?;
                }
                return Err(ApiError::unauthorized("Invalid API key"));
            };
            state.keys.put(token, p.clone());
            p
        }
    };
    // A request the idempotency middleware authenticated first was counted then.
    if let Some(rate) = &state.rate
        && parts.extensions.get::<crate::idempotency::KeyCounted>().is_none()
    {
        rate.check_key(principal.key_id)?;
    }
    let request_id = parts
        .headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Ok(Ctx { principal, request_id })
}
