//! Exactly-once writes for requests sent with an `Idempotency-Key`: the record of a key, and
//! why it can never be separated from the write it stands for.
//!
//! The HTTP layer [claims](Store::claim_idempotency_key) a key before the request runs: a
//! `pending` row, committed at once, which makes a concurrent duplicate wait its turn (it is
//! told the key is in use). The request then runs inside [`Claim::scope`], a task-local that
//! [`Tx::commit`](crate::db::Tx::commit) reads: the request's first commit marks the row
//! `committed` inside its own transaction, so the write and the record commit or roll back
//! together, and a crash cannot keep one without the other. The answer is stored afterwards
//! (`done`) and replayed to a retry. A crash between the commit and storing the answer leaves
//! a `committed` row without one: a retry is told the write was applied, never runs it again.
//! A `pending` row whose request never committed is released when the request fails or is
//! dropped, and a crashed process's is taken over once it is older than a request can run.
//!
//! The claim's token guards the takeover: the commit marks the row only while it still holds
//! the token it claimed, so a request that outlived its claim rolls its write back.

use crate::Store;
use crate::db::{Backend, Conn, Val};
use crate::error::StoreError;
use chrono::{DateTime, TimeDelta, Utc};
use pimento_core::CoreError;
use pimento_core::error::codes;
use pimento_core::ids::OrganizationId;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use uuid::Uuid;

/// How long a key is remembered: a retry after this runs as a new request.
pub const KEEP: Duration = Duration::from_secs(24 * 60 * 60);

tokio::task_local! {
    /// The claim of the request this task is answering, if it came with a key.
    static CLAIM: Arc<Claim>;
}

/// A key this request holds: the first commit made while it is in scope records it.
#[derive(Debug)]
pub struct Claim {
    organization_id: OrganizationId,
    key: String,
    token: Uuid,
    committed: AtomicBool,
}

impl Claim {
    /// Runs `f` (the request) with this claim in scope for every commit it makes.
    pub async fn scope<F: Future>(self: &Arc<Self>, f: F) -> F::Output {
        CLAIM.scope(self.clone(), f).await
    }

    /// Whether a write of the request committed (and the key with it).
    pub fn committed(&self) -> bool {
        self.committed.load(Ordering::Acquire)
    }
}

/// The claim in scope whose key no commit has recorded yet.
pub(crate) fn unrecorded() -> Option<Arc<Claim>> {
    CLAIM.try_with(|c| (!c.committed()).then(|| c.clone())).ok().flatten()
}

/// Marks the claimed row `committed` inside the transaction about to commit. Refuses (and so
/// rolls the write back) when the claim was taken over by a retry meanwhile.
pub(crate) async fn record(claim: &Claim, conn: &mut Conn<'_>) -> Result<(), StoreError> {
    let n = conn
        .execute(
            "UPDATE idempotency_keys SET state = 'committed' \
             WHERE organization_id = $1 AND idempotency_key = $2 AND token = $3",
            vec![
                Val::from(claim.organization_id),
                Val::from(claim.key.as_str()),
                Val::Uuid(Some(claim.token)),
            ],
        )
        .await?;
    if n == 0 {
        return Err(CoreError::Conflict {
            code: codes::IDEMPOTENCY_KEY_IN_USE,
            field: None,
            message: "This request took too long and a retry with its Idempotency-Key took over; nothing was written"
                .into(),
        }
        .into());
    }
    Ok(())
}

/// Called once the commit that recorded the claim succeeded.
pub(crate) fn recorded(claim: &Claim) {
    claim.committed.store(true, Ordering::Release);
}

/// A stored answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    /// Name and value of each header kept, in order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What claiming a key found.
#[derive(Debug)]
pub enum Claimed {
    /// The key is this request's: run it inside [`Claim::scope`].
    Fresh(Arc<Claim>),
    /// The same request was answered: this is its answer.
    Replay(StoredResponse),
    /// The key was used for another request (another method, path or body).
    Reused,
    /// The same request is still running.
    InUse,
    /// The same request's write committed but its answer was not kept (a crash in between, or
    /// an answer that must not be stored, such as a new key's secret).
    Applied,
}

/// The fingerprint of a request: SHA-256 of its method, its path with query, and its body.
pub fn fingerprint(method: &str, target: &str, body: &[u8]) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update([0]);
    h.update(target.as_bytes());
    h.update([0]);
    h.update(body);
    h.finalize().to_vec()
}

fn ago(now: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    let d = TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX);
    now.checked_sub_signed(d).unwrap_or(DateTime::<Utc>::MIN_UTC)
}

impl Store {
    /// Claims `key` for a request of `organization_id` whose [`fingerprint`] is given, or says
    /// why it cannot run. A `pending` claim older than `stale_after` belongs to a request that
    /// can no longer commit (a process that stopped) and is taken over.
    #[tracing::instrument(skip_all, fields(org = %organization_id))]
    pub async fn claim_idempotency_key(
        &self,
        organization_id: OrganizationId,
        key: &str,
        fingerprint: Vec<u8>,
        stale_after: Duration,
    ) -> Result<Claimed, StoreError> {
        let now = crate::clock::now();
        let token = Uuid::now_v7();
        let fresh = || {
            Claimed::Fresh(Arc::new(Claim {
                organization_id,
                key: key.to_owned(),
                token,
                committed: AtomicBool::new(false),
            }))
        };
        let mut tx = self.db.begin().await?;
        // On PostgreSQL the row is locked until this decision commits; SQLite's write
        // transaction holds the whole database already.
        let lock = match self.db.backend() {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        };
        // On PostgreSQL the key's row can go between the two statements: the insert met a
        // claim whose request then failed and gave the key back. The insert is tried again.
        let mut attempts = 0;
        let row = loop {
            let inserted = tx
                .conn()
                .execute(
                    "INSERT INTO idempotency_keys \
                     (organization_id, idempotency_key, fingerprint, token, state, created_at, claimed_at) \
                     VALUES ($1, $2, $3, $4, 'pending', $5, $5) \
                     ON CONFLICT (organization_id, idempotency_key) DO NOTHING",
                    vec![
                        Val::from(organization_id),
                        Val::from(key),
                        Val::Bytes(fingerprint.clone()),
                        Val::Uuid(Some(token)),
                        Val::from(now),
                    ],
                )
                .await?;
            if inserted == 1 {
                tx.commit().await?;
                return Ok(fresh());
            }
            let row = tx
                .conn()
                .fetch_optional(
                    format!(
                        "SELECT fingerprint, state, created_at, claimed_at, status, headers, body FROM idempotency_keys \
                         WHERE organization_id = $1 AND idempotency_key = $2{lock}"
                    ),
                    vec![Val::from(organization_id), Val::from(key)],
                )
                .await?;
            attempts += 1;
            match row {
                Some(row) => break row,
                // Claimed and given back again and again: as busy as a claim still running.
                None if attempts >= 3 => return Ok(Claimed::InUse),
                None => continue,
            }
        };
        let stored: Vec<u8> = row.get("fingerprint")?;
        let state: String = row.get("state")?;
        let created_at: DateTime<Utc> = row.get("created_at")?;
        let claimed_at: DateTime<Utc> = row.get("claimed_at")?;
        let expired = created_at < ago(now, KEEP);
        let takeover = if expired {
            // Older than the window (the sweep has not come by yet): a new request.
            Some("created_at = $5, fingerprint = $4,")
        } else if stored != fingerprint {
            return Ok(Claimed::Reused);
        } else {
            match state.as_str() {
                "done" => {
                    let status: i64 = row.get("status")?;
                    let headers = match row.json("headers")? {
                        Some(Value::Array(pairs)) => pairs
                            .into_iter()
                            .filter_map(|p| match p {
                                Value::Array(mut nv) if nv.len() == 2 => match (nv.pop(), nv.pop()) {
                                    (Some(Value::String(v)), Some(Value::String(n))) => Some((n, v)),
                                    _ => None,
                                },
                                _ => None,
                            })
                            .collect(),
                        _ => Vec::new(),
                    };
                    let body: Option<Vec<u8>> = row.get("body")?;
                    return Ok(Claimed::Replay(StoredResponse {
                        status: u16::try_from(status).map_err(|_| StoreError::Corrupt(format!("status {status}")))?,
                        headers,
                        body: body.unwrap_or_default(),
                    }));
                }
                "committed" => return Ok(Claimed::Applied),
                _ if claimed_at >= ago(now, stale_after) => return Ok(Claimed::InUse),
                // A claim no request can commit any more.
                _ => Some(""),
            }
        };
        if let Some(reset) = takeover {
            tx.conn()
                .execute(
                    format!(
                        "UPDATE idempotency_keys SET {reset} token = $3, state = 'pending', claimed_at = $5, \
                         status = NULL, headers = NULL, body = NULL \
                         WHERE organization_id = $1 AND idempotency_key = $2"
                    ),
                    vec![
                        Val::from(organization_id),
                        Val::from(key),
                        Val::Uuid(Some(token)),
                        Val::Bytes(fingerprint),
                        Val::from(now),
                    ],
                )
                .await?;
        }
        tx.commit().await?;
        Ok(fresh())
    }

    /// Stores the answer to a claimed request, to be replayed to its retries.
    #[tracing::instrument(skip_all, fields(org = %claim.organization_id))]
    pub async fn store_idempotent_response(&self, claim: &Claim, response: StoredResponse) -> Result<(), StoreError> {
        let headers = Value::Array(
            response
                .headers
                .into_iter()
                .map(|(n, v)| Value::Array(vec![Value::String(n), Value::String(v)]))
                .collect(),
        );
        let mut tx = self.db.begin().await?;
        tx.conn()
            .execute(
                "UPDATE idempotency_keys SET state = 'done', status = $4, headers = $5, body = $6 \
                 WHERE organization_id = $1 AND idempotency_key = $2 AND token = $3",
                vec![
                    Val::from(claim.organization_id),
                    Val::from(claim.key.as_str()),
                    Val::Uuid(Some(claim.token)),
                    Val::from(i64::from(response.status)),
                    Val::from(headers),
                    Val::Bytes(response.body),
                ],
            )
            .await?;
        tx.commit().await
    }

    /// Gives a key back after its request wrote nothing (it failed, or was dropped), so a retry
    /// runs. A claim whose write committed is kept whatever happens after.
    #[tracing::instrument(skip_all, fields(org = %claim.organization_id))]
    pub async fn release_idempotency_key(&self, claim: &Claim) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        tx.conn()
            .execute(
                "DELETE FROM idempotency_keys \
                 WHERE organization_id = $1 AND idempotency_key = $2 AND token = $3 AND state = 'pending'",
                vec![
                    Val::from(claim.organization_id),
                    Val::from(claim.key.as_str()),
                    Val::Uuid(Some(claim.token)),
                ],
            )
            .await?;
        tx.commit().await
    }

    /// Forgets, in every organization, the keys older than [`KEEP`]; returns how many.
    /// Idempotent, so nodes sweeping at once only find less to remove.
    #[tracing::instrument(skip_all)]
    pub async fn purge_idempotency_keys(&self) -> Result<u64, StoreError> {
        let mut tx = self.db.begin().await?;
        let n = tx
            .conn()
            .execute(
                "DELETE FROM idempotency_keys WHERE created_at < $1",
                vec![Val::from(ago(crate::clock::now(), KEEP))],
            )
            .await?;
        tx.commit().await?;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::testing::TestDb;

    async fn state(store: &Store, org: OrganizationId, key: &str) -> Option<String> {
        let mut pc = store.db.acquire().await.unwrap();
        let row = pc
            .conn()
            .fetch_optional(
                "SELECT state FROM idempotency_keys WHERE organization_id = $1 AND idempotency_key = $2",
                vec![Val::from(org), Val::from(key)],
            )
            .await
            .unwrap();
        row.map(|r| r.get::<String>("state").unwrap())
    }

    async fn write(store: &Store, org: OrganizationId, name: &str, commit: bool) -> Result<(), StoreError> {
        let mut tx = store.db.begin().await?;
        tx.conn()
            .execute(
                "UPDATE organizations SET name = $2 WHERE id = $1",
                vec![Val::from(org), Val::from(name)],
            )
            .await?;
        if commit { tx.commit().await } else { Ok(()) }
    }

    async fn name(store: &Store, org: OrganizationId) -> String {
        let mut pc = store.db.acquire().await.unwrap();
        let row = pc
            .conn()
            .fetch_one("SELECT name FROM organizations WHERE id = $1", vec![Val::from(org)])
            .await
            .unwrap();
        row.get("name").unwrap()
    }

    fn fresh(c: Claimed) -> Arc<Claim> {
        match c {
            Claimed::Fresh(c) => c,
            other => panic!("not fresh: {other:?}"),
        }
    }

    /// The key is recorded by the write's own commit: a write that rolls back leaves it
    /// pending (and a retry may run), one that commits marks it with the write.
    #[tokio::test]
    async fn the_record_commits_with_the_write_and_only_with_it() {
        let db = TestDb::new().await;
        let store = Store::new(db.db.clone());
        let org = store.create_organization("Acme").await.unwrap().organization_id;
        let print = fingerprint("POST", "/x", b"{}");
        let minute = Duration::from_secs(60);
        let claim = fresh(
            store
                .claim_idempotency_key(org, "k", print.clone(), minute)
                .await
                .unwrap(),
        );
        assert_eq!(state(&store, org, "k").await.as_deref(), Some("pending"));

        // A write that rolls back: no record, and nothing of the write.
        claim.scope(write(&store, org, "Rolled back", false)).await.unwrap();
        assert!(!claim.committed());
        assert_eq!(state(&store, org, "k").await.as_deref(), Some("pending"));
        assert_eq!(name(&store, org).await, "Acme");
        // A duplicate meanwhile is told the key is in use.
        let dup = store
            .claim_idempotency_key(org, "k", print.clone(), minute)
            .await
            .unwrap();
        assert!(matches!(dup, Claimed::InUse), "{dup:?}");

        // A write that commits: the record with it.
        claim.scope(write(&store, org, "Written", true)).await.unwrap();
        assert!(claim.committed());
        assert_eq!(state(&store, org, "k").await.as_deref(), Some("committed"));
        assert_eq!(name(&store, org).await, "Written");
        // A retry now is told the write was applied; it is never run again.
        let retry = store
            .claim_idempotency_key(org, "k", print.clone(), minute)
            .await
            .unwrap();
        assert!(matches!(retry, Claimed::Applied), "{retry:?}");
        // Releasing a committed key changes nothing.
        store.release_idempotency_key(&claim).await.unwrap();
        assert_eq!(state(&store, org, "k").await.as_deref(), Some("committed"));

        let answer = StoredResponse {
            status: 201,
            headers: vec![("content-type".into(), "application/json".into())],
            body: b"{\"id\":1}".to_vec(),
        };
        store.store_idempotent_response(&claim, answer.clone()).await.unwrap();
        match store.claim_idempotency_key(org, "k", print, minute).await.unwrap() {
            Claimed::Replay(r) => assert_eq!(r, answer),
            other => panic!("{other:?}"),
        }
        let other = fingerprint("POST", "/x", b"{\"a\":1}");
        let reused = store.claim_idempotency_key(org, "k", other, minute).await.unwrap();
        assert!(matches!(reused, Claimed::Reused), "{reused:?}");
    }

    /// A claim whose request outlived it (taken over by a retry) cannot commit its write.
    #[tokio::test]
    async fn a_claim_taken_over_rolls_its_write_back() {
        let db = TestDb::new().await;
        let store = Store::new(db.db.clone());
        let org = store.create_organization("Acme").await.unwrap().organization_id;
        let print = fingerprint("POST", "/x", b"{}");
        let slow = fresh(
            store
                .claim_idempotency_key(org, "k", print.clone(), Duration::from_secs(60))
                .await
                .unwrap(),
        );
        let retry = fresh(
            store
                .claim_idempotency_key(org, "k", print, Duration::ZERO)
                .await
                .unwrap(),
        );
        let refused = slow.scope(write(&store, org, "Late", true)).await;
        assert!(
            matches!(&refused, Err(StoreError::Domain(CoreError::Conflict { code, .. })) if *code == codes::IDEMPOTENCY_KEY_IN_USE),
            "{refused:?}"
        );
        assert_eq!(name(&store, org).await, "Acme");
        assert!(!slow.committed());
        retry.scope(write(&store, org, "Retried", true)).await.unwrap();
        assert_eq!(name(&store, org).await, "Retried");
        assert_eq!(state(&store, org, "k").await.as_deref(), Some("committed"));
        // Only the first commit of a request records; later ones run as they are.
        retry.scope(write(&store, org, "Again", true)).await.unwrap();
        assert_eq!(name(&store, org).await, "Again");
        assert_eq!(store.purge_idempotency_keys().await.unwrap(), 0);
    }
}
