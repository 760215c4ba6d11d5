-- Pages sorted by name walk an index in name order and stop at the page's end instead of
-- sorting every product the filter keeps: the organization's, and a category's. Names sort
-- byte by byte (the product query's `COLLATE "C"`). The organization's holds live products
-- only, so that an offset page steps over the index alone.
CREATE INDEX ix_products_org_name ON products (organization_id, name COLLATE "C", id) WHERE archived_at IS NULL;
DROP INDEX ix_products_category;
CREATE INDEX ix_products_category ON products (category_id, organization_id, name COLLATE "C", id)
    WHERE category_id IS NOT NULL;
