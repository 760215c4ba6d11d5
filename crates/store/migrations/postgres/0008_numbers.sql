-- Per-organization numbers, for the APIs whose ids are integers (CS-Cart's `product_id`,
-- `category_id`, `feature_id`, feature `variant_id`). Each organization counts each kind in a
-- sequence of its own, `pimento_n_<organization id in hex>_<kind>`, made with the organization:
-- `nextval` takes no lock held to commit, so concurrent creates in one organization never queue
-- on a counter, and a number is never given twice, even after a delete or a rollback.
CREATE FUNCTION pimento_number_sequences(org UUID, start_product BIGINT, start_category BIGINT,
                                         start_attribute BIGINT, start_option_value BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    hex TEXT := replace(org::text, '-', '');
BEGIN
    EXECUTE format('CREATE SEQUENCE %I START %s', 'pimento_n_' || hex || '_product', start_product);
    EXECUTE format('CREATE SEQUENCE %I START %s', 'pimento_n_' || hex || '_category', start_category);
    EXECUTE format('CREATE SEQUENCE %I START %s', 'pimento_n_' || hex || '_attribute', start_attribute);
    EXECUTE format('CREATE SEQUENCE %I START %s', 'pimento_n_' || hex || '_option_value', start_option_value);
    EXECUTE format('CREATE SEQUENCE %I START %s', 'pimento_n_' || hex || '_vendor', 1);
END $$;

-- What exists is numbered in creation order.
ALTER TABLE products ADD COLUMN number BIGINT;
UPDATE products SET number = r.n FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY organization_id ORDER BY created_at, id) AS n FROM products
) AS r WHERE r.id = products.id;
ALTER TABLE products ALTER COLUMN number SET NOT NULL;
CREATE UNIQUE INDEX ux_products_number ON products(organization_id, number);

ALTER TABLE categories ADD COLUMN number BIGINT;
UPDATE categories SET number = r.n FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY organization_id ORDER BY created_at, id) AS n FROM categories
) AS r WHERE r.id = categories.id;
ALTER TABLE categories ALTER COLUMN number SET NOT NULL;
CREATE UNIQUE INDEX ux_categories_number ON categories(organization_id, number);

ALTER TABLE attributes ADD COLUMN number BIGINT;
UPDATE attributes SET number = r.n FROM (
    SELECT id, ROW_NUMBER() OVER (PARTITION BY organization_id ORDER BY created_at, id) AS n FROM attributes
) AS r WHERE r.id = attributes.id;
ALTER TABLE attributes ALTER COLUMN number SET NOT NULL;
CREATE UNIQUE INDEX ux_attributes_number ON attributes(organization_id, number);

ALTER TABLE option_values ADD COLUMN number BIGINT;
UPDATE option_values SET number = r.n FROM (
    SELECT v.id, ROW_NUMBER() OVER (PARTITION BY o.organization_id ORDER BY o.created_at, o.id, v.rank, v.id) AS n
    FROM option_values v JOIN options o ON o.id = v.option_id
) AS r WHERE r.id = option_values.id;
ALTER TABLE option_values ALTER COLUMN number SET NOT NULL;
CREATE INDEX ix_option_values_number ON option_values(number);

SELECT pimento_number_sequences(
    o.id,
    COALESCE((SELECT MAX(number) FROM products WHERE organization_id = o.id), 0) + 1,
    COALESCE((SELECT MAX(number) FROM categories WHERE organization_id = o.id), 0) + 1,
    COALESCE((SELECT MAX(number) FROM attributes WHERE organization_id = o.id), 0) + 1,
    COALESCE((SELECT MAX(v.number) FROM option_values v JOIN options p ON p.id = v.option_id
              WHERE p.organization_id = o.id), 0) + 1
) FROM organizations o;
