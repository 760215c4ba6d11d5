-- Background jobs (export, import, bulk update and delete), their per-row errors, the files
-- they read and write, and the notifications an organization reads when one finishes.

CREATE TABLE jobs (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('export', 'import', 'bulk_update', 'bulk_delete')),
    params JSONB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'canceled')),
    total BIGINT,
    processed BIGINT NOT NULL DEFAULT 0,
    failed BIGINT NOT NULL DEFAULT 0,
    -- Where a resumed run continues: written in the same transaction as the chunk it follows.
    checkpoint TEXT,
    summary JSONB,
    result_file_id UUID,
    error TEXT,
    cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
    attempts BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_jobs_org ON jobs(organization_id, kind, id);
-- Only unfinished jobs are ever claimed; the index stays as small as the queue.
CREATE INDEX ix_jobs_claimable ON jobs(created_at) WHERE status IN ('queued', 'running');

CREATE TABLE job_errors (
    job_id UUID NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    line BIGINT,
    field TEXT,
    reason TEXT NOT NULL,
    PRIMARY KEY (job_id, seq)
);

CREATE TABLE files (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('upload', 'export')),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    storage_key TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX ix_files_org ON files(organization_id, id);

CREATE TABLE notifications (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    job_id UUID REFERENCES jobs(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    file_id UUID,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_notifications_org ON notifications(organization_id, id);
