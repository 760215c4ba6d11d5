-- Per-organization numbers, for the APIs whose ids are integers (CS-Cart's `product_id`,
-- `category_id`, `feature_id`, feature `variant_id`). Each organization counts each kind on its
-- own and the counter only grows, so a number is never given twice, even after a delete.
--
-- Products, created far more often than the rest, take no counter write: the next number is
-- one more than the larger of the organization's highest product number (one step down its
-- unique index) and `last`, which only a delete raises (the trigger below). Writes on SQLite
-- are one at a time, so no two creates can read the same highest number.
CREATE TABLE org_numbers (
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (organization_id, kind)
) WITHOUT ROWID;

-- What exists is numbered in creation order.
ALTER TABLE products ADD COLUMN number INTEGER;
UPDATE products SET number = r.n FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY organization_id ORDER BY created_at, id) AS n FROM products
) AS r WHERE r.id = products.id;
CREATE UNIQUE INDEX ux_products_number ON products(organization_id, number);
INSERT INTO org_numbers (organization_id, kind, last)
SELECT organization_id, 'product', MAX(number) FROM products GROUP BY organization_id;
-- Skipped when the organization itself is being deleted (its counters go with it).
CREATE TRIGGER tr_numbers_product_deleted AFTER DELETE ON products
WHEN OLD.number IS NOT NULL AND EXISTS (SELECT 1 FROM organizations WHERE id = OLD.organization_id) BEGIN
    INSERT INTO org_numbers (organization_id, kind, last) VALUES (OLD.organization_id, 'product', OLD.number)
    ON CONFLICT (organization_id, kind) DO UPDATE SET last = max(last, excluded.last);
END;

ALTER TABLE categories ADD COLUMN number INTEGER;
UPDATE categories SET number = r.n FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY organization_id ORDER BY created_at, id) AS n FROM categories
) AS r WHERE r.id = categories.id;
CREATE UNIQUE INDEX ux_categories_number ON categories(organization_id, number);
INSERT INTO org_numbers (organization_id, kind, last)
SELECT organization_id, 'category', MAX(number) FROM categories GROUP BY organization_id;

ALTER TABLE attributes ADD COLUMN number INTEGER;
UPDATE attributes SET number = r.n FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY organization_id ORDER BY created_at, id) AS n FROM attributes
) AS r WHERE r.id = attributes.id;
CREATE UNIQUE INDEX ux_attributes_number ON attributes(organization_id, number);
INSERT INTO org_numbers (organization_id, kind, last)
SELECT organization_id, 'attribute', MAX(number) FROM attributes GROUP BY organization_id;

-- Option values belong to an organization through their option.
ALTER TABLE option_values ADD COLUMN number INTEGER;
UPDATE option_values SET number = r.n FROM (
    SELECT v.id, ROW_NUMBER() OVER (PARTITION BY o.organization_id ORDER BY o.created_at, o.id, v.rank, v.id) AS n
    FROM option_values v JOIN options o ON o.id = v.option_id
) AS r WHERE r.id = option_values.id;
CREATE INDEX ix_option_values_number ON option_values(number);
INSERT INTO org_numbers (organization_id, kind, last)
SELECT o.organization_id, 'option_value', MAX(v.number) FROM option_values v JOIN options o ON o.id = v.option_id
GROUP BY o.organization_id;
