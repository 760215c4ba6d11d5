-- Requests sent with an `Idempotency-Key` header (store/src/idempotency.rs): one row per
-- organization and key, kept 24 hours. A request claims its key (`pending`); the first commit
-- of its write marks the row `committed` inside that write's transaction, so the write and
-- the record commit or roll back together; its answer is stored afterwards (`done`) and
-- replayed to a retry.
CREATE TABLE idempotency_keys (
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    -- SHA-256 of the method, path with query and body.
    fingerprint BLOB NOT NULL,
    -- The claim that holds the key; a claim taken over after a crash gets a new one.
    token BLOB NOT NULL,
    state TEXT NOT NULL CONSTRAINT ck_idempotency_keys_state CHECK (state IN ('pending', 'committed', 'done')),
    created_at TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    status INTEGER,
    headers TEXT,
    body BLOB,
    PRIMARY KEY (organization_id, idempotency_key)
);
CREATE INDEX ix_idempotency_keys_created_at ON idempotency_keys(created_at);
