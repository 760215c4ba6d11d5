-- Two index entries every new product paid for and no query needs.
--
-- Most media belong to the product, not to a variant: the variant index now holds only the
-- rows that name one. The planner still uses it for `variant_id = ?`, which implies the
-- condition, and so do the foreign key's `ON DELETE SET NULL` lookups.
DROP INDEX ix_product_media_variant;
CREATE INDEX ix_product_media_variant ON product_media(variant_id) WHERE variant_id IS NOT NULL;

-- No query finds an audit event by its id (ids are v7 UUIDs the server makes), so the id no
-- longer has a unique index of its own: six of them a product in an import. SQLite cannot drop
-- a column's UNIQUE, so the table is rebuilt, keeping every `seq`; AUTOINCREMENT's counter is
-- carried over, so no number is ever given twice.
CREATE TABLE audit_events_rebuilt (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id BLOB NOT NULL,
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id BLOB NOT NULL,
    changes TEXT NOT NULL,
    request_id TEXT,
    created_at TEXT NOT NULL
);
INSERT INTO audit_events_rebuilt (seq, id, organization_id, actor, action, entity_type, entity_id, changes, request_id, created_at)
SELECT seq, id, organization_id, actor, action, entity_type, entity_id, changes, request_id, created_at FROM audit_events;
DELETE FROM sqlite_sequence WHERE name = 'audit_events_rebuilt';
INSERT INTO sqlite_sequence (name, seq) SELECT 'audit_events_rebuilt', seq FROM sqlite_sequence WHERE name = 'audit_events';
DROP TABLE audit_events;
ALTER TABLE audit_events_rebuilt RENAME TO audit_events;
CREATE INDEX ix_audit_events_org ON audit_events(organization_id, seq);
CREATE INDEX ix_audit_events_entity ON audit_events(entity_id);
CREATE INDEX ix_audit_events_type ON audit_events(organization_id, entity_type, seq)
WHERE entity_type NOT IN ('product', 'variant', 'product_media', 'media_asset');
CREATE INDEX ix_audit_events_action ON audit_events(organization_id, action, seq) WHERE action <> 'create';
