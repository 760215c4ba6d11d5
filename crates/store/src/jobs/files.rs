//! Stored files: uploads to import and the results of exports. The bytes live in a blob store
//! (a local directory by default); their record, scoped to an organization, in the database.

use crate::error::StoreError;
use crate::{Store, clock};
use chrono::{DateTime, Utc};
use pimento_core::auth::Ctx;
use pimento_core::ids::{FileId, OrganizationId};
use pimento_core::{CoreError, Entity};
use std::io::{self, Read, Write};
use std::path::PathBuf;

/// Where blobs are kept. Writes become visible only when finished, so a crash never leaves a
/// half-written file under a file's key.
pub trait BlobStore: Send + Sync + std::fmt::Debug {
    /// Starts writing the blob under `key`.
    fn create(&self, key: &str) -> io::Result<Box<dyn BlobWriter>>;
    /// Reads the blob under `key`.
    fn open(&self, key: &str) -> io::Result<Box<dyn Read + Send>>;
    /// The blob's path on the local disk, when it has one (downloads stream straight from it).
    fn local_path(&self, key: &str) -> Option<PathBuf>;
    /// Removes the blob; a missing one is not an error.
    fn remove(&self, key: &str) -> io::Result<()>;
    /// Removes the unfinished blobs no writer holds that were last written more than `age`
    /// ago (a process killed while writing an upload or an export); returns how many.
    fn sweep_unfinished(&self, age: std::time::Duration) -> io::Result<usize> {
        let _ = age;
        Ok(0)
    }
}

/// A blob being written.
pub trait BlobWriter: Write + Send {
    /// Flushes the blob to durable storage and makes it visible under its key; returns its size.
    fn finish(self: Box<Self>) -> io::Result<u64>;
}

/// Blobs as files under one directory.
#[derive(Debug, Clone)]
pub struct LocalBlobs {
    root: PathBuf,
}

impl LocalBlobs {
    /// Keeps blobs under `root`, created if missing.
    pub fn new(root: impl Into<PathBuf>) -> io::Result<Self> {
        let root = root.into();
        std::fs::create_dir_all(&root)?;
        Ok(LocalBlobs { root })
    }

    fn path(&self, key: &str) -> PathBuf {
        // Keys are made by the store (`<org>/<file id>`), never taken from a request.
        self.root.join(key)
    }
}

struct LocalWriter {
    /// `None` once finished.
    file: Option<io::BufWriter<std::fs::File>>,
    tmp: PathBuf,
    dest: PathBuf,
    size: u64,
}

impl Write for LocalWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file()?.write(buf)?;
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file()?.flush()
    }
}

impl LocalWriter {
    fn file(&mut self) -> io::Result<&mut io::BufWriter<std::fs::File>> {
        self.file
            .as_mut()
            .ok_or_else(|| io::Error::other("the blob is already finished"))
    }
}

/// A blob dropped before it was finished (an upload refused or cut off, a failed export)
/// leaves no partial file behind.
impl Drop for LocalWriter {
    fn drop(&mut self) {
        // The file (and its lock) is held until it is gone.
        if let Some(_file) = self.file.take() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

impl BlobWriter for LocalWriter {
    fn finish(mut self: Box<Self>) -> io::Result<u64> {
        let buffered = self.file()?;
        buffered.flush()?;
        buffered.get_ref().sync_all()?;
        std::fs::rename(&self.tmp, &self.dest)?;
        // Renamed: nothing is left for the drop to remove.
        self.file = None;
        Ok(self.size)
    }
}

impl BlobStore for LocalBlobs {
    fn create(&self, key: &str) -> io::Result<Box<dyn BlobWriter>> {
        let dest = self.path(key);
        if let Some(dir) = dest.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = dest.with_extension(UNFINISHED);
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&tmp)?;
        // Held until the writer is finished or dropped (and by the process, so a killed one
        // lets go): a sweep leaves a locked file alone, and a second writer of the same key
        // (a job run twice) is refused instead of writing into the first one's file.
        file.try_lock().map_err(|e| match e {
            std::fs::TryLockError::WouldBlock => io::Error::new(
                io::ErrorKind::ResourceBusy,
                "the file is being written by another writer",
            ),
            std::fs::TryLockError::Error(e) => e,
        })?;
        file.set_len(0)?;
        Ok(Box::new(LocalWriter {
            file: Some(io::BufWriter::with_capacity(256 * 1024, file)),
            tmp,
            dest,
            size: 0,
        }))
    }

    fn open(&self, key: &str) -> io::Result<Box<dyn Read + Send>> {
        Ok(Box::new(std::fs::File::open(self.path(key))?))
    }

    fn local_path(&self, key: &str) -> Option<PathBuf> {
        Some(self.path(key))
    }

    fn remove(&self, key: &str) -> io::Result<()> {
        match std::fs::remove_file(self.path(key)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Keys are `<organization>/<file id>`: the unfinished files are one directory down.
    fn sweep_unfinished(&self, age: std::time::Duration) -> io::Result<usize> {
        let mut removed = 0;
        for dir in std::fs::read_dir(&self.root)? {
            let dir = dir?;
            if !dir.file_type()?.is_dir() {
                continue;
            }
            for entry in std::fs::read_dir(dir.path())? {
                let path = entry?.path();
                if path.extension().is_some_and(|e| e == UNFINISHED) && remove_if_abandoned(&path, age)? {
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }
}

/// The extension of a blob being written.
const UNFINISHED: &str = "partial";

/// Removes an unfinished file last written over `age` ago that no writer holds.
fn remove_if_abandoned(path: &std::path::Path, age: std::time::Duration) -> io::Result<bool> {
    let stale = |m: &std::fs::Metadata| {
        m.modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|e| e > age)
    };
    match std::fs::metadata(path) {
        Ok(m) if stale(&m) => {}
        Ok(_) => return Ok(false),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    }
    let file = match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    if file.try_lock().is_err() {
        return Ok(false);
    }
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Why a file is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilePurpose {
    /// A file uploaded to be imported.
    Upload,
    /// The result of an export.
    Export,
}

impl FilePurpose {
    fn as_str(self) -> &'static str {
        match self {
            FilePurpose::Upload => "upload",
            FilePurpose::Export => "export",
        }
    }
}

/// A new file's description.
#[derive(Debug, Clone)]
pub struct FileMeta {
    pub purpose: FilePurpose,
    /// The name a download offers.
    pub name: String,
    pub content_type: String,
}

/// A stored file's record.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredFile {
    pub id: FileId,
    pub organization_id: OrganizationId,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    /// Where the blob store keeps the bytes.
    pub storage_key: String,
    pub created_at: DateTime<Utc>,
}

/// The blob key of a file: scoped by organization so one directory never mixes them.
pub fn storage_key(org: OrganizationId, id: FileId) -> String {
    format!("{org}/{id}")
}

impl Store {
    /// Records a file whose bytes are already in the blob store under [`storage_key`].
    pub async fn add_file(
        &self,
        org: OrganizationId,
        actor: &str,
        id: FileId,
        meta: FileMeta,
        size: u64,
    ) -> Result<StoredFile, StoreError> {
        let key = storage_key(org, id);
        let now = clock::now();
        let mut tx = self.db.begin().await?;
        tx.conn()
            .execute(
                "INSERT INTO files (id, organization_id, purpose, name, content_type, size, storage_key, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                crate::args![
                    id,
                    org,
                    meta.purpose.as_str(),
                    meta.name.as_str(),
                    meta.content_type.as_str(),
                    size as i64,
                    key.as_str(),
                    now,
                    actor
                ],
            )
            .await?;
        tx.commit().await?;
        Ok(StoredFile {
            id,
            organization_id: org,
            name: meta.name,
            content_type: meta.content_type,
            size,
            storage_key: key,
            created_at: now,
        })
    }

    /// Forgets a file's record (its bytes are the blob store's to remove): a file nothing
    /// will name, such as an upload whose import was refused or a result whose job was lost
    /// to another worker before it could name it.
    pub async fn remove_file_record(&self, org: OrganizationId, id: FileId) -> Result<(), StoreError> {
        let mut tx = self.db.begin().await?;
        tx.conn()
            .execute(
                "DELETE FROM files WHERE organization_id = $1 AND id = $2",
                crate::args![org, id],
            )
            .await?;
        tx.commit().await
    }

    /// A file of the caller's organization.
    pub async fn get_file(&self, ctx: &Ctx, id: FileId) -> Result<StoredFile, StoreError> {
        self.file_of(ctx.org(), id).await
    }

    /// A file of an organization.
    pub async fn file_of(&self, org: OrganizationId, id: FileId) -> Result<StoredFile, StoreError> {
        let mut pc = self.db.acquire().await?;
        let r = pc
            .conn()
            .fetch_optional(
                "SELECT id, organization_id, name, content_type, size, storage_key, created_at FROM files \
                 WHERE organization_id = $1 AND id = $2",
                crate::args![org, id],
            )
            .await?
            .ok_or(CoreError::NotFound(Entity::File))?;
        Ok(StoredFile {
            id: r.id("id")?,
            organization_id: r.id("organization_id")?,
            name: r.get("name")?,
            content_type: r.get("content_type")?,
            size: r.get::<i64>("size")? as u64,
            storage_key: r.get("storage_key")?,
            created_at: r.get("created_at")?,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use std::time::{Duration, SystemTime};

    /// Sets a file's last write `ago` in the past.
    fn age(path: &std::path::Path, ago: Duration) {
        let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
        f.set_modified(SystemTime::now() - ago).unwrap();
    }

    #[test]
    fn a_sweep_removes_only_old_unfinished_files_no_writer_holds() {
        let root = std::env::temp_dir().join(format!("pimento-blobs-{}", uuid::Uuid::now_v7()));
        let blobs = LocalBlobs::new(&root).unwrap();
        let dir = root.join("org");
        std::fs::create_dir_all(&dir).unwrap();
        let hour = Duration::from_secs(3600);

        // Left by a killed process: old, no writer.
        std::fs::write(dir.join("abandoned.partial"), b"half").unwrap();
        age(&dir.join("abandoned.partial"), hour);
        // Being written, though not for a while (an export between pages).
        let mut live = blobs.create("org/live").unwrap();
        live.write_all(b"rows").unwrap();
        live.flush().unwrap();
        age(&dir.join("live.partial"), hour);
        // Recent: maybe an upload that has just begun.
        std::fs::write(dir.join("recent.partial"), b"x").unwrap();
        // Finished files are never touched.
        std::fs::write(dir.join("finished"), b"done").unwrap();
        age(&dir.join("finished"), hour);

        assert_eq!(blobs.sweep_unfinished(Duration::from_secs(60)).unwrap(), 1);
        assert!(!dir.join("abandoned.partial").exists());
        assert!(dir.join("live.partial").exists());
        assert!(dir.join("recent.partial").exists());
        assert!(dir.join("finished").exists());

        // A second writer of the same key is refused while the first holds it.
        let second = blobs.create("org/live").err().unwrap();
        assert_eq!(second.kind(), io::ErrorKind::ResourceBusy);
        // Dropped unfinished, the writer removes its file; finished, it is renamed.
        drop(live);
        assert!(!dir.join("live.partial").exists());
        let mut done = blobs.create("org/done").unwrap();
        done.write_all(b"all").unwrap();
        assert_eq!(done.finish().unwrap(), 3);
        assert!(dir.join("done").exists() && !dir.join("done.partial").exists());
        std::fs::remove_dir_all(&root).unwrap();
    }
}
