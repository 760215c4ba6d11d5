-- A search that many products match reads the index in its rowid order (a product's `seq`) as
-- the list's creation order (the product id): `seq` must follow the ids. New products get
-- both in write order, each id above every stored one (store/src/catalog/create.rs); products
-- written before that may be out of step, and are numbered again here, in id order, with the
-- index rebuilt. Nothing is done where they are in step.
CREATE TEMP TABLE search_renumbered AS
SELECT id, row_number() OVER (ORDER BY id) AS seq FROM products
WHERE EXISTS (
    SELECT 1 FROM (SELECT seq < lag(seq) OVER (ORDER BY id) AS behind FROM products) WHERE behind
);

UPDATE products SET seq = -seq WHERE id IN (SELECT id FROM search_renumbered);
UPDATE products SET seq = (SELECT r.seq FROM search_renumbered r WHERE r.id = products.id)
WHERE id IN (SELECT id FROM search_renumbered);

INSERT INTO product_search (product_search)
SELECT 'delete-all' WHERE EXISTS (SELECT 1 FROM search_renumbered);
INSERT INTO product_search (rowid, name, description, handle, skus)
SELECT p.seq, p.name, concat_ws(' ', p.description, p.short_description, p.meta_keywords), p.handle,
       (SELECT group_concat(v.sku, ' ') FROM variants v WHERE v.product_id = p.id)
FROM products p
WHERE EXISTS (SELECT 1 FROM search_renumbered);

DROP TABLE search_renumbered;

-- Pages sorted by name walk an index in name order and stop at the page's end instead of
-- sorting every product the filter keeps: the organization's, and a category's. The category's
-- index names the organization too, so that the planner prefers it to the organization's own
-- indexes whatever their statistics say (a sampled ANALYZE rates one organization's rows as
-- a few thousand). The statistics of these new indexes are taken after the migrations
-- (store/src/db.rs). The organization's holds live products only, so that an offset page steps
-- over the index alone, reading no product row.
CREATE INDEX ix_products_org_name ON products(organization_id, name, id) WHERE archived_at IS NULL;
DROP INDEX ix_products_category;
CREATE INDEX ix_products_category ON products(category_id, organization_id, name, id) WHERE category_id IS NOT NULL;
