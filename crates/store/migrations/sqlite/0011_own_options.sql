-- Options that belong to one product (Medusa's product options): made with the product, named
-- freely (another product, or the organization, may have a "Size" of its own), never listed
-- among the organization's shared options. `product_id` is NULL for a shared option.
ALTER TABLE options ADD COLUMN product_id BLOB;
DROP INDEX ux_options_name;
CREATE UNIQUE INDEX ux_options_name ON options(organization_id, lower(name)) WHERE product_id IS NULL;
CREATE UNIQUE INDEX ux_options_product_name ON options(product_id, lower(name)) WHERE product_id IS NOT NULL;
-- A product's own options go with it.
CREATE TRIGGER tr_products_own_options AFTER DELETE ON products
BEGIN
    DELETE FROM options WHERE product_id = OLD.id;
END;
