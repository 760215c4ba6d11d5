//! Rate limits (`--rate-limit N`): a token bucket of N requests a second, with a burst of N,
//! per API key; and the same per client address for keys that are not valid, so guessing
//! keys costs an address as much as using one. Off unless configured.
//!
//! A valid key is counted on every request, after its lookup (cached, `auth.rs`). An address
//! is counted on every lookup that finds no key; once its bucket is empty the address is
//! refused before any lookup until a token is back, so wrong-key attempts stop reaching the
//! database. A key still in the cache keeps working from such an address; a new one waits.
//! The address is the connection's peer: behind a proxy every client shares the proxy's.
//!
//! A refusal is a 429 in the API's own error body, with `Retry-After` (whole seconds) and the
//! `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers.

use crate::error::ApiError;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use governor::clock::{Clock, DefaultClock};
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use pimento_core::ids::ApiKeyId;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// How many checks pass between two sweeps of buckets that are full again (and so forgotten).
const SWEEP_EVERY: u32 = 4096;

/// The buckets of every key and address.
pub struct RateLimits {
    per_second: NonZeroU32,
    keys: Keyed<ApiKeyId>,
    /// `None`: a request with no peer address (called in-process).
    addresses: Keyed<Option<IpAddr>>,
    /// Addresses whose bucket ran out, and until when their lookups are refused.
    shut: Mutex<HashMap<Option<IpAddr>, Instant>>,
    clock: DefaultClock,
    checks: AtomicU32,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits")
            .field("per_second", &self.per_second)
            .finish()
    }
}

impl RateLimits {
    /// `per_second` requests a second, in bursts of as many.
    pub fn new(per_second: NonZeroU32) -> Self {
        let quota = Quota::per_second(per_second).allow_burst(per_second);
        RateLimits {
            per_second,
            keys: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
            addresses: RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>(),
            shut: Mutex::new(HashMap::new()),
            clock: DefaultClock::default(),
            checks: AtomicU32::new(0),
        }
    }

    /// Counts a request of a valid key.
    pub fn check_key(&self, key: ApiKeyId) -> Result<(), ApiError> {
        self.sweep();
        self.check(&self.keys, &key).map_err(|wait| self.refusal(wait))
    }

    /// Refuses an address whose wrong-key attempts used up its bucket, before a lookup.
    pub fn check_address_open(&self, address: Option<IpAddr>) -> Result<(), ApiError> {
        let now = Instant::now();
        let Ok(mut shut) = self.shut.lock() else {
            return Ok(());
        };
        match shut.get(&address) {
            Some(until) if *until > now => Err(self.refusal(*until - now)),
            Some(_) => {
                shut.remove(&address);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Counts a lookup from `address` that found no key.
    pub fn count_wrong_key(&self, address: Option<IpAddr>) -> Result<(), ApiError> {
        self.sweep();
        match self.check(&self.addresses, &address) {
            Ok(()) => Ok(()),
            Err(wait) => {
                if let Ok(mut shut) = self.shut.lock() {
                    shut.insert(address, Instant::now() + wait);
                }
                Err(self.refusal(wait))
            }
        }
    }

    /// One token of `key`'s bucket, or how long until there is one.
    fn check<K: Clone + Hash + Eq>(&self, limiter: &Keyed<K>, key: &K) -> Result<(), Duration> {
        limiter
            .check_key(key)
            .map(|_| ())
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// Forgets, now and then, the buckets that are full again and the shut addresses reopened.
    fn sweep(&self) {
        if !self.checks.fetch_add(1, Ordering::Relaxed).is_multiple_of(SWEEP_EVERY) {
            return;
        }
        self.keys.retain_recent();
        self.addresses.retain_recent();
        let now = Instant::now();
        if let Ok(mut shut) = self.shut.lock() {
            shut.retain(|_, until| *until > now);
        }
    }

    /// A 429 saying when to come back.
    fn refusal(&self, wait: Duration) -> ApiError {
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        let seconds = seconds.max(1);
        let header = |name: &'static str, value: u64| (HeaderName::from_static(name), HeaderValue::from(value));
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!(
                "Too many requests: at most {} a second; try again in {seconds} s",
                self.per_second
            ),
        );
        e.headers = vec![
            header("retry-after", seconds),
            header("ratelimit-limit", u64::from(self.per_second.get())),
            header("ratelimit-remaining", 0),
            header("ratelimit-reset", seconds),
        ];
        e
    }
}
