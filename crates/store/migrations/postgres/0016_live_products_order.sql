-- An offset page of live products in creation order (Medusa's and the PIM's default lists)
-- steps over this index alone, instead of reading each skipped product to see whether it is
-- archived.
CREATE INDEX ix_products_org_live ON products (organization_id, id) WHERE archived_at IS NULL;
