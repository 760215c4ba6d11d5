-- A version per product and per variant, for optimistic concurrency (HTTP ETag and If-Match):
-- 1 when created, one more with every statement that sets the row's `updated_at` (the rule is
-- in `pimento_core::version`). The taxonomy tables and options get one too, kept by the same
-- rule (`catalog/update_recorded.rs` writes them all), for the APIs to expose in turn.
-- A constant default, so adding the column rewrites no row.
ALTER TABLE products ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE variants ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE categories ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE brands ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE attributes ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE attribute_groups ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE templates ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE vendors ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE collections ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE tags ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE product_types ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE options ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
