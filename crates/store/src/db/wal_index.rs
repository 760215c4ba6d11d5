//! Whether a SQLite file in WAL mode has changed, told by its WAL index header and not by a
//! read transaction.
//!
//! Every commit, by any process, rewrites the header at the start of the `-shm` file before
//! the commit returns: the number of valid WAL frames, the WAL's salts (new at each WAL
//! restart) and a commit counter (`iChange`), with a checksum. So while the header holds the
//! same bytes, no transaction has committed (<https://www.sqlite.org/walformat.html>, "The
//! WAL-Index Header"); SQLite itself decides whether its cached pages are still good the same
//! way. Reading it takes one `pread` of 96 bytes; a read transaction takes two `fcntl` locks
//! on the same file and a mutex around each, which cost the view cache's probe most of its time.
//!
//! The header is written in two copies, the second first, each with a checksum of its fields.
//! A read that finds the copies equal and the checksum right is not torn, as SQLite's own
//! readers decide. Staleness never hangs on it anyway: once a commit has returned, both copies
//! hold its header or a later one, and every later header differs from every earlier one (the
//! commit counter only grows), so a read made after the commit cannot match one made before.
//!
//! A connection to the file stays open for as long as the header is read: while one is open
//! (holding its shared lock on the database file), no other connection can delete or truncate
//! the `-shm` file, so the file read here is the one every writer updates.
//!
//! The `-shm` file's descriptor is never closed. POSIX record locks belong to the process, not
//! to a descriptor: closing any descriptor of the file would drop every lock this process holds
//! on it, SQLite's own included, and another process could then write while this one reads. So
//! a process keeps one descriptor for each connected `Db` (a server has one), for its lifetime.
//!
//! This holds for the WAL index SQLite keeps in a shared file, which is how Pimento opens
//! SQLite (WAL mode, normal locking); a database opened with exclusive locking keeps the index
//! in memory, and its connections cannot be read beside anyway.

use std::fs::File;
use std::hash::{Hash, Hasher};
use std::mem::ManuallyDrop;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::Mutex;

/// The size of one copy of the WAL index header.
const HEADER: usize = 48;

/// The WAL index header of one SQLite file, read on demand.
pub(crate) struct WalIndex {
    shm: ManuallyDrop<File>,
    /// Keeps the `-shm` file in place (see the module's documentation); never used otherwise.
    _anchor: Mutex<rusqlite::Connection>,
}

impl super::Db {
    /// A fingerprint of the committed state of a SQLite file, read without a transaction:
    /// equal at two times means nothing committed in between, by any process. `None` on
    /// PostgreSQL, in memory, or when the header could not be read whole.
    pub(crate) fn committed_state(&self) -> Option<u64> {
        let super::Db::Sqlite(_, writer) = self else {
            return None;
        };
        writer
            .wal_index
            .get_or_init(|| self.sqlite_file().and_then(|f| WalIndex::open(&f)))
            .as_ref()?
            .state()
    }
}

impl std::fmt::Debug for WalIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WalIndex").finish_non_exhaustive()
    }
}

impl WalIndex {
    /// The WAL index of the database at `file`, when it is in WAL mode and can be read.
    pub(crate) fn open(file: &Path) -> Option<WalIndex> {
        let opened = (|| -> Result<Option<WalIndex>, Box<dyn std::error::Error>> {
            use rusqlite::OpenFlags;
            let anchor = rusqlite::Connection::open_with_flags(
                file,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            // A read opens the WAL and the wal-index, and from then on the connection holds a
            // shared lock on the database file until it closes.
            let mode: String = anchor.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            anchor.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Ok(None);
            }
            // SQLite names the index after the database's real path (symbolic links resolved):
            // a `-shm` file beside a link to the database would be one nothing writes.
            let mut shm_path = std::fs::canonicalize(file)?.into_os_string();
            shm_path.push("-shm");
            let shm = File::open(shm_path)?;
            Ok(Some(WalIndex {
                shm: ManuallyDrop::new(shm),
                _anchor: Mutex::new(anchor),
            }))
        })();
        match opened {
            Ok(found) => found,
            Err(e) => {
                tracing::debug!(error = %e, "the WAL index cannot be read: every read probes the database");
                None
            }
        }
    }

    /// A fingerprint of the committed state of the database: equal fingerprints, read at two
    /// times, mean nothing committed in between. `None` when the header could not be read
    /// whole (a writer was writing it).
    pub(crate) fn state(&self) -> Option<u64> {
        let mut both = [0u8; 2 * HEADER];
        self.shm.read_exact_at(&mut both, 0).ok()?;
        let (first, second) = both.split_at(HEADER);
        // Byte 12 is `isInit`: 0 until a connection has built the index.
        if first != second || first[12] == 0 || !checksum_holds(first) {
            return None;
        }
        let mut h = std::hash::DefaultHasher::new();
        first.hash(&mut h);
        // 0 stands for "never read" where fingerprints are kept.
        Some(h.finish().max(1))
    }
}

/// Whether a header's last 8 bytes are the checksum of the 40 before them: SQLite's
/// `walChecksumBytes` over native-order 32-bit words, two running sums.
fn checksum_holds(header: &[u8]) -> bool {
    let word = |i: usize| {
        let mut w = [0u8; 4];
        w.copy_from_slice(&header[4 * i..4 * i + 4]);
        u32::from_ne_bytes(w)
    };
    let (mut s1, mut s2) = (0u32, 0u32);
    for i in (0..10).step_by(2) {
        s1 = s1.wrapping_add(word(i)).wrapping_add(s2);
        s2 = s2.wrapping_add(word(i + 1)).wrapping_add(s1);
    }
    s1 == word(10) && s2 == word(11)
}
