//! Group commit on SQLite: the writes queued for the one writer connection share one commit,
//! and so one flush of the log to the disk.
//!
//! With durable commits (`synchronous=FULL`) a commit waits for the log to reach the disk, and
//! SQLite has one writer: committed one at a time, writes would queue behind each other's
//! flushes. Instead each write runs in a savepoint of a SQLite transaction its group shares.
//! When a write commits while another is queued for the turn, it releases its savepoint, hands
//! the open transaction on and waits for the group's commit, which a task it starts makes once
//! the queue before it has had its turn (or the group is full). A write that fails or is dropped
//! rolls back to its savepoint and leaves the others' work as it was. No write is reported done
//! before the commit holding it is on the disk, and a failed group commit fails every member.

use super::SqliteWriter;
use crate::StoreError;
use sqlx::pool::PoolConnection;
use sqlx::{Executor, Sqlite, SqliteConnection};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::{OwnedMutexGuard, watch};

/// The most writes one commit holds: bounds how long the first of them waits.
const MAX_MEMBERS: usize = 64;

/// What a group's commit came to, once it is known: `Err` holds the database's message.
type Outcome = Option<Result<(), String>>;

/// The writer connection's state between writes: the group being written, if one is open.
#[derive(Debug, Default)]
pub struct Writing {
    group: Option<Group>,
}

/// A SQLite transaction that writes share.
#[derive(Debug)]
struct Group {
    /// Tells a closer task whether the group it was started for is still the open one.
    id: u64,
    /// `None` while a member holds it.
    conn: Option<PoolConnection<Sqlite>>,
    /// Members that released their work into the transaction.
    released: usize,
    /// A member was dropped without its savepoint being rolled back (see [`Member`]'s drop).
    unwind: bool,
    outcome: watch::Sender<Outcome>,
}

static GROUP_IDS: AtomicU64 = AtomicU64::new(0);

/// Waits for the turn to write, counted as queued meanwhile (also when the wait is abandoned).
pub(super) async fn take_turn(writer: &Arc<SqliteWriter>) -> OwnedMutexGuard<Writing> {
    struct Queued<'a>(&'a SqliteWriter);
    impl Drop for Queued<'_> {
        fn drop(&mut self) {
            self.0.queued.fetch_sub(1, Ordering::SeqCst);
        }
    }
    writer.queued.fetch_add(1, Ordering::SeqCst);
    let _queued = Queued(writer);
    writer.turn.clone().lock_owned().await
}

/// Commits the open group, if any, and tells its members the outcome. The statements run on a
/// task of their own: a caller abandoned half-way (its request gone) cannot leave the writer
/// connection inside a transaction that no group owns.
pub(super) async fn close(writer: &Arc<SqliteWriter>, turn: &mut Writing) -> Result<(), StoreError> {
    let Some(group) = turn.group.take() else {
        return Ok(());
    };
    tokio::spawn(finish(writer.clone(), group))
        .await
        .map_err(|e| shared_commit_failed(&e.to_string()))?
}

/// Ends a group taken out of the turn: rolls back a member left unwound, commits what its
/// members released (or rolls back when they released nothing), and tells them.
async fn finish(writer: Arc<SqliteWriter>, mut group: Group) -> Result<(), StoreError> {
    let Some(mut conn) = group.conn.take() else {
        // Its connection went with a member that ended without handing it back.
        group
            .outcome
            .send_replace(Some(Err("the group lost its connection".to_owned())));
        return Err(shared_commit_failed("the group lost its connection"));
    };
    if group.unwind
        && let Err(e) = unwind(&mut conn).await
    {
        let _ = conn.execute("ROLLBACK").await;
        group.outcome.send_replace(Some(Err(e.to_string())));
        return Err(shared_commit_failed(&e.to_string()));
    }
    if group.released == 0 {
        // Nothing to keep; the transaction may not even have begun.
        let _ = conn.execute("ROLLBACK").await;
        group.outcome.send_replace(Some(Ok(())));
        return Ok(());
    }
    let result = conn.execute("COMMIT").await.map(|_| ());
    if result.is_err() {
        let _ = conn.execute("ROLLBACK").await;
    }
    writer.committed.notify_one();
    group
        .outcome
        .send_replace(Some(result.as_ref().map(|_| ()).map_err(ToString::to_string)));
    result.map_err(StoreError::from)
}

async fn unwind(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    conn.execute("ROLLBACK TO member").await?;
    conn.execute("RELEASE member").await?;
    Ok(())
}

/// Begins a group's transaction. A connection found inside one (which no group owns, so no
/// write was reported from it) is rolled back first rather than refusing every write after.
async fn begin_group(conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
    match conn.execute("BEGIN IMMEDIATE").await {
        Ok(_) => Ok(()),
        Err(e) if e.to_string().contains("within a transaction") => {
            tracing::error!(error = %e, "the writer connection was left in a transaction; rolled back");
            conn.execute("ROLLBACK").await?;
            conn.execute("BEGIN IMMEDIATE").await.map(|_| ())
        }
        Err(e) => Err(e),
    }
}

fn shared_commit_failed(message: &str) -> StoreError {
    StoreError::Database(sqlx::Error::Protocol(format!(
        "the commit this write shared with others failed: {message}"
    )))
}

/// One write of a group: its savepoint, the connection while it runs, and the turn. Every
/// statement that changes the connection's transaction state runs either inside a member
/// (whose drop puts things right) or on a task of its own, never half-way in a request.
#[derive(Debug)]
pub struct Member(Option<Running>);

#[derive(Debug)]
struct Running {
    conn: PoolConnection<Sqlite>,
    turn: OwnedMutexGuard<Writing>,
    writer: Arc<SqliteWriter>,
    /// Whether this write's savepoint may exist (its statement was sent).
    savepoint: bool,
}

impl Member {
    /// Waits for the turn, then opens a savepoint in the open group, or in a new one.
    pub(super) async fn begin(writer: &Arc<SqliteWriter>) -> Result<Member, StoreError> {
        let mut turn = take_turn(writer).await;
        if turn.group.as_ref().is_some_and(|g| g.unwind || g.conn.is_none())
            && let Err(e) = close(writer, &mut turn).await
        {
            // Left by a member dropped where nothing could run its rollback: its members are
            // told; this write starts a group of its own.
            tracing::error!(error = %e, "a group commit failed");
        }
        let reused = turn.group.as_mut().and_then(|g| g.conn.take());
        let fresh = reused.is_none();
        let conn = match reused {
            Some(conn) => conn,
            None => {
                let conn = writer.pool.acquire().await?;
                turn.group = Some(Group {
                    id: GROUP_IDS.fetch_add(1, Ordering::Relaxed),
                    conn: None,
                    released: 0,
                    unwind: false,
                    outcome: watch::Sender::new(None),
                });
                conn
            }
        };
        // From here an error or an abandoned request drops the member, which ends what it began.
        let mut member = Member(Some(Running {
            conn,
            turn,
            writer: writer.clone(),
            savepoint: false,
        }));
        if fresh {
            begin_group(member.conn()).await?;
        }
        if let Some(r) = member.0.as_mut() {
            r.savepoint = true;
        }
        member.conn().execute("SAVEPOINT member").await?;
        Ok(member)
    }

    /// The connection, inside this write's savepoint.
    pub fn conn(&mut self) -> &mut SqliteConnection {
        match &mut self.0 {
            Some(r) => &mut r.conn,
            // Only `commit` and `drop` take the write, and both consume the member.
            None => unreachable!("a member's connection is asked for after it ended"),
        }
    }

    /// Releases this write into its group, and returns once the group's commit holding it has
    /// succeeded (its error otherwise). The release runs on a task of its own, so that the
    /// request being abandoned cannot split the connection from its group.
    pub(super) async fn commit(mut self) -> Result<(), StoreError> {
        let Some(running) = self.0.take() else {
            return Ok(());
        };
        match tokio::spawn(release(running)).await {
            Ok(Ok(Some(outcome))) => outcome_of(outcome).await,
            Ok(Ok(None)) => Ok(()),
            Ok(Err(e)) => Err(e),
            Err(e) => Err(shared_commit_failed(&e.to_string())),
        }
    }
}

/// Releases a member's savepoint into its group and commits the group, or leaves it to the
/// writes queued for the turn; `Some` when the commit is still to come.
async fn release(running: Running) -> Result<Option<watch::Receiver<Outcome>>, StoreError> {
    let Running {
        mut conn,
        mut turn,
        writer,
        ..
    } = running;
    if let Err(e) = conn.execute("RELEASE member").await {
        if let Some(g) = turn.group.as_mut() {
            g.conn = Some(conn);
        }
        let _ = fail(&writer, &mut turn, &e.to_string()).await;
        return Err(e.into());
    }
    let Some(group) = turn.group.as_mut() else {
        return Err(shared_commit_failed("the group is gone"));
    };
    group.conn = Some(conn);
    group.released += 1;
    let wait = writer.durable && writer.queued.load(Ordering::SeqCst) > 0 && group.released < MAX_MEMBERS;
    if !wait && group.released == 1 {
        return close(&writer, &mut turn).await.map(|()| None);
    }
    let outcome = group.outcome.subscribe();
    if wait {
        hand_on(writer, turn);
    } else if let Err(e) = close(&writer, &mut turn).await {
        tracing::error!(error = %e, "a group commit failed");
    }
    Ok(Some(outcome))
}

/// Waits for the group's commit, and tells one member what came of it.
async fn outcome_of(mut outcome: watch::Receiver<Outcome>) -> Result<(), StoreError> {
    match outcome.wait_for(Option::is_some).await {
        Ok(known) => match known.as_ref() {
            Some(Ok(())) => Ok(()),
            Some(Err(message)) => Err(shared_commit_failed(message)),
            None => Err(shared_commit_failed("no outcome")),
        },
        Err(_) => Err(shared_commit_failed("the group ended without an outcome")),
    }
}

/// Leaves the open group to the writes queued for the turn, and starts a task queued behind
/// them that commits it. The task runs on its own, so an abandoned request cannot leave the
/// group open.
fn hand_on(writer: Arc<SqliteWriter>, turn: OwnedMutexGuard<Writing>) {
    let Some(id) = turn.group.as_ref().map(|g| g.id) else {
        return;
    };
    drop(turn);
    tokio::spawn(async move {
        let mut turn = take_turn(&writer).await;
        if turn.group.as_ref().is_some_and(|g| g.id == id)
            && let Err(e) = close(&writer, &mut turn).await
        {
            tracing::error!(error = %e, "a group commit failed");
        }
    });
}

/// Rolls the whole group back and tells its members.
async fn fail(writer: &SqliteWriter, turn: &mut Writing, message: &str) -> Result<(), StoreError> {
    if let Some(mut group) = turn.group.take() {
        if let Some(mut conn) = group.conn.take() {
            let _ = conn.execute("ROLLBACK").await;
        }
        group.outcome.send_replace(Some(Err(message.to_owned())));
    }
    writer.committed.notify_one();
    Ok(())
}

impl Drop for Member {
    /// A write dropped before it committed (an error, or its request abandoned) rolls back to
    /// its savepoint; the group carries on.
    fn drop(&mut self) {
        let Some(Running {
            conn,
            mut turn,
            writer,
            savepoint,
        }) = self.0.take()
        else {
            return;
        };
        if let Some(g) = turn.group.as_mut() {
            g.conn = Some(conn);
            g.unwind = savepoint;
        }
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // The next writer unwinds it (see `begin`).
            return;
        };
        runtime.spawn(async move {
            let Some(g) = turn.group.as_mut() else { return };
            if g.unwind {
                let Some(conn) = g.conn.as_mut() else { return };
                match unwind(conn).await {
                    Ok(()) => g.unwind = false,
                    Err(e) => {
                        let _ = fail(&writer, &mut turn, &e.to_string()).await;
                        return;
                    }
                }
            }
            // Released members wait for a commit, which queued writes can join.
            if g.released > 0 && writer.durable && writer.queued.load(Ordering::SeqCst) > 0 {
                hand_on(writer, turn);
            } else if let Err(e) = close(&writer, &mut turn).await {
                tracing::error!(error = %e, "a group commit failed");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::db::{Backend, Db, Tx};
    use crate::testing::{TestDb, backend};
    use std::time::Duration;

    fn writer(db: &Db) -> Arc<SqliteWriter> {
        match db {
            Db::Sqlite(_, w) => w.clone(),
            Db::Postgres(_) => unreachable!(),
        }
    }

    async fn exec(tx: &mut Tx, sql: &'static str) -> Result<u64, StoreError> {
        tx.conn().execute(sql, vec![]).await
    }

    async fn count(db: &Db, table: &str) -> i64 {
        let mut c = db.acquire().await.unwrap();
        c.conn()
            .fetch_one(format!("SELECT COUNT(*) AS n FROM {table}"), vec![])
            .await
            .unwrap()
            .get::<i64>("n")
            .unwrap()
    }

    /// Holds the turn with one write until `n` more are queued behind it, so that they all
    /// join its group.
    async fn queue_behind(db: &Db, first: Tx, n: usize) -> Result<(), StoreError> {
        let w = writer(db);
        for _ in 0..500 {
            if w.queued.load(Ordering::SeqCst) >= n {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        assert!(w.queued.load(Ordering::SeqCst) >= n, "the writes queued");
        first.commit().await
    }

    async fn setup() -> Option<TestDb> {
        if backend() != Backend::Sqlite {
            return None;
        }
        let db = TestDb::new().await;
        let mut tx = db.db.begin().await.unwrap();
        exec(&mut tx, "CREATE TABLE g_parent (id INTEGER PRIMARY KEY)")
            .await
            .unwrap();
        exec(
            &mut tx,
            "CREATE TABLE g_child (parent INTEGER REFERENCES g_parent(id) DEFERRABLE INITIALLY DEFERRED)",
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        Some(db)
    }

    /// Concurrent writes share commits, and every one of them is there afterwards; a write
    /// dropped in the middle of a group takes only its own work back.
    #[tokio::test]
    async fn queued_writes_share_a_commit_and_a_dropped_one_leaves_the_others() {
        let Some(db) = setup().await else { return };
        let first = {
            let mut tx = db.db.begin().await.unwrap();
            exec(&mut tx, "INSERT INTO g_parent (id) VALUES (0)").await.unwrap();
            tx
        };
        let mut writes = Vec::new();
        for i in 1..=80_i64 {
            let d = db.db.clone();
            writes.push(tokio::spawn(async move {
                let mut tx = d.begin().await?;
                tx.conn()
                    .execute("INSERT INTO g_parent (id) VALUES ($1)", crate::args![i])
                    .await?;
                if i % 5 == 0 {
                    // Dropped: rolled back to its savepoint.
                    return Ok(false);
                }
                tx.commit().await.map(|()| true)
            }));
        }
        queue_behind(&db.db, first, 80).await.unwrap();
        let mut committed = 1;
        for w in writes {
            if w.await.unwrap().unwrap() {
                committed += 1;
            }
        }
        // More than a group holds: the write that fills one commits it for the others.
        assert_eq!(committed, 65);
        assert_eq!(count(&db.db, "g_parent").await, 65);
        assert_eq!(count(&db.db, "g_parent WHERE id % 5 = 0 AND id > 0").await, 0);
        // The writer is free and starts a new group.
        let mut tx = db.db.begin().await.unwrap();
        exec(&mut tx, "INSERT INTO g_parent (id) VALUES (100)").await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(&db.db, "g_parent").await, 66);
    }

    /// A commit that fails fails every write of its group, and none of their work stays.
    #[tokio::test]
    async fn a_failed_group_commit_fails_each_member() {
        let Some(db) = setup().await else { return };
        let first = {
            let mut tx = db.db.begin().await.unwrap();
            exec(&mut tx, "INSERT INTO g_parent (id) VALUES (1)").await.unwrap();
            tx
        };
        let d = db.db.clone();
        let good = tokio::spawn(async move {
            let mut tx = d.begin().await?;
            exec(&mut tx, "INSERT INTO g_parent (id) VALUES (2)").await?;
            tx.commit().await
        });
        let d = db.db.clone();
        let bad = tokio::spawn(async move {
            let mut tx = d.begin().await?;
            // Checked only when the group commits.
            exec(&mut tx, "INSERT INTO g_child (parent) VALUES (99)").await?;
            tx.commit().await
        });
        let first = queue_behind(&db.db, first, 2).await;
        assert!(first.is_err());
        assert!(good.await.unwrap().is_err());
        assert!(bad.await.unwrap().is_err());
        assert_eq!(count(&db.db, "g_parent").await, 0);
        assert_eq!(count(&db.db, "g_child").await, 0);
        let mut tx = db.db.begin().await.unwrap();
        exec(&mut tx, "INSERT INTO g_parent (id) VALUES (3)").await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(&db.db, "g_parent").await, 1);
    }

    /// A write that fails part way (a statement refused) and is dropped keeps the work before
    /// it only if it commits; the writer stays usable.
    #[tokio::test]
    async fn a_refused_statement_then_drop_rolls_back_that_write_alone() {
        let Some(db) = setup().await else { return };
        let mut tx = db.db.begin().await.unwrap();
        exec(&mut tx, "INSERT INTO g_parent (id) VALUES (1)").await.unwrap();
        assert!(exec(&mut tx, "INSERT INTO g_parent (id) VALUES (1)").await.is_err());
        drop(tx);
        let mut tx = db.db.begin().await.unwrap();
        exec(&mut tx, "INSERT INTO g_parent (id) VALUES (2)").await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(count(&db.db, "g_parent").await, 1);
    }

    /// Writes abandoned at any await point (a client gone, a timeout) while others write: the
    /// writer never keeps a transaction open that no group owns, so later writes still land;
    /// every write that reported success is there.
    #[tokio::test]
    async fn writes_abandoned_at_any_point_leave_the_writer_usable() {
        let Some(db) = setup().await else { return };
        let mut writes = Vec::new();
        for i in 1..=400_i64 {
            let d = db.db.clone();
            writes.push(tokio::spawn(async move {
                let write = async {
                    let mut tx = d.begin().await?;
                    tx.conn()
                        .execute("INSERT INTO g_parent (id) VALUES ($1)", crate::args![i])
                        .await?;
                    tx.commit().await
                };
                // Cut off after a few microseconds to a few milliseconds: at BEGIN, at the
                // savepoint, in the statement, at the release or at the commit.
                let budget = Duration::from_micros(u64::try_from(i * 37 % 3000).unwrap());
                matches!(tokio::time::timeout(budget, write).await, Ok(Ok(())))
            }));
        }
        let mut reported = 0;
        for w in writes {
            if w.await.unwrap() {
                reported += 1;
            }
        }
        assert!(count(&db.db, "g_parent").await >= reported);
        for i in 1000..1010_i64 {
            let mut tx = db.db.begin().await.unwrap();
            tx.conn()
                .execute("INSERT INTO g_parent (id) VALUES ($1)", crate::args![i])
                .await
                .unwrap();
            tx.commit().await.unwrap();
        }
        assert_eq!(count(&db.db, "g_parent WHERE id >= 1000").await, 10);
    }
}
