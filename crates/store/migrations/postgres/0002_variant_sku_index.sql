-- SKU uniqueness keyed (sku, organization_id): the same rule and the same SKU lookups, but an
-- index that starts with organization_id tempted SQLite's planner into scanning every variant
-- of the organization when loading the variants of a page of products.
DROP INDEX ux_variants_sku;
CREATE UNIQUE INDEX ux_variants_sku ON variants(sku, organization_id);
