-- Two index entries every new product paid for and no query needs.
--
-- Most media belong to the product, not to a variant: the variant index now holds only the
-- rows that name one. `variant_id = $1` implies the condition, so the planner still uses it.
DROP INDEX ix_product_media_variant;
CREATE INDEX ix_product_media_variant ON product_media(variant_id) WHERE variant_id IS NOT NULL;

-- No query finds an audit event by its id (ids are v7 UUIDs the server makes): the id's unique
-- index only cost every event an entry.
ALTER TABLE audit_events DROP CONSTRAINT audit_events_id_key;
