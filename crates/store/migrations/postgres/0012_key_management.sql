-- Keys get a name chosen by whoever issues them and the time they were last used (kept to
-- the minute: see `Store::authenticate`); `key revoke` finds a key by its public prefix.
ALTER TABLE api_keys ADD COLUMN name TEXT;
ALTER TABLE api_keys ADD COLUMN last_used_at TIMESTAMPTZ;
CREATE INDEX ix_api_keys_prefix ON api_keys(prefix);
