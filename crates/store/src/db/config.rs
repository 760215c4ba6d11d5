//! How a process's database pools are set up, and what they report.

use std::time::Duration;

/// How many database connections a process holds, and how many of them are in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    /// Connections open.
    pub open: u32,
    /// Open connections waiting for work.
    pub idle: u32,
    /// The most the pools may open.
    pub max: u32,
}

/// Pool settings.
#[derive(Debug, Clone)]
pub struct PoolConfig {
    /// Most connections held open; `None` picks a default for the backend.
    pub max_connections: Option<u32>,
    /// How long a request waits for a free connection before the store reports itself unavailable.
    pub acquire_timeout: Duration,
    /// When a SQLite commit is reported done (PostgreSQL keeps its own `synchronous_commit`).
    pub sqlite_commits: SqliteCommits,
}

impl Default for PoolConfig {
    fn default() -> Self {
        PoolConfig {
            max_connections: None,
            acquire_timeout: Duration::from_secs(10),
            sqlite_commits: SqliteCommits::Durable,
        }
    }
}

/// When a SQLite commit is reported done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SqliteCommits {
    /// On the disk (`synchronous=FULL`): a power loss keeps every reported commit. Writers that
    /// queue meanwhile share one commit, and so one flush (group commit).
    #[default]
    Durable,
    /// In the log (`synchronous=NORMAL`): a crash of the process keeps every commit, a power
    /// loss can drop the last ones. Each write commits on its own; no flush waits.
    Fast,
}
