-- Background jobs (export, import, bulk update and delete), their per-row errors, the files
-- they read and write, and the notifications an organization reads when one finishes.

CREATE TABLE jobs (
    id BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('export', 'import', 'bulk_update', 'bulk_delete')),
    params TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
    total INTEGER,
    processed INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    -- Where a resumed run continues: written in the same transaction as the chunk it follows.
    checkpoint TEXT,
    summary TEXT,
    result_file_id BLOB,
    error TEXT,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_jobs_org ON jobs(organization_id, kind, id);
-- Only unfinished jobs are ever claimed; the index stays as small as the queue.
CREATE INDEX ix_jobs_claimable ON jobs(created_at) WHERE status IN ('queued', 'running');

CREATE TABLE job_errors (
    job_id BLOB NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    line INTEGER,
    field TEXT,
    reason TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE files (
    id BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('upload', 'export')),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    storage_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX ix_files_org ON files(organization_id, id);

CREATE TABLE notifications (
    id BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    job_id BLOB REFERENCES jobs(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    file_id BLOB,
    created_at TEXT NOT NULL
);
CREATE INDEX ix_notifications_org ON notifications(organization_id, id);
