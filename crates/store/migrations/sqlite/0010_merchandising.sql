-- What the Medusa and CS-Cart APIs carry beyond the first two: vendors (companies) that own
-- products, collections, product types and tags; a product's subtitle, short description,
-- thumbnail, search-engine fields and shipping size; a variant's list (compare-at) price and
-- its prices in other currencies; and each API's own fields, kept per product and variant
-- under that API's name (`extensions`, JSON).

CREATE TABLE vendors (
    id BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    description TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'pending', 'disabled')),
    metadata TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_vendors_number ON vendors(organization_id, number);

CREATE TABLE collections (
    id BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    handle TEXT NOT NULL,
    metadata TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_collections_handle ON collections(organization_id, handle);

CREATE TABLE product_types (
    id BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    metadata TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_product_types_value ON product_types(organization_id, value);

CREATE TABLE tags (
    id BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    metadata TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_tags_value ON tags(organization_id, value);

CREATE TABLE product_tags (
    product_id BLOB NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    tag_id BLOB NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    PRIMARY KEY (product_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX ix_product_tags_tag ON product_tags(tag_id, product_id);

ALTER TABLE products ADD COLUMN vendor_id BLOB REFERENCES vendors(id);
ALTER TABLE products ADD COLUMN collection_id BLOB REFERENCES collections(id) ON DELETE SET NULL;
ALTER TABLE products ADD COLUMN type_id BLOB REFERENCES product_types(id) ON DELETE SET NULL;
ALTER TABLE products ADD COLUMN subtitle TEXT;
ALTER TABLE products ADD COLUMN short_description TEXT;
ALTER TABLE products ADD COLUMN thumbnail TEXT;
ALTER TABLE products ADD COLUMN seo_name TEXT;
ALTER TABLE products ADD COLUMN page_title TEXT;
ALTER TABLE products ADD COLUMN meta_description TEXT;
ALTER TABLE products ADD COLUMN meta_keywords TEXT;
ALTER TABLE products ADD COLUMN weight REAL;
ALTER TABLE products ADD COLUMN length REAL;
ALTER TABLE products ADD COLUMN width REAL;
ALTER TABLE products ADD COLUMN height REAL;
ALTER TABLE products ADD COLUMN extensions TEXT;
-- Partial: a product without one costs no entry.
CREATE INDEX ix_products_vendor ON products(vendor_id) WHERE vendor_id IS NOT NULL;
CREATE INDEX ix_products_collection ON products(collection_id) WHERE collection_id IS NOT NULL;
CREATE INDEX ix_products_type ON products(type_id) WHERE type_id IS NOT NULL;

ALTER TABLE variants ADD COLUMN list_price_minor INTEGER;
-- Prices in currencies other than the variant's own (`price_minor`, `currency`):
-- [{"currency": "EUR", "amount": 1999}], amounts in minor units.
ALTER TABLE variants ADD COLUMN prices TEXT;
ALTER TABLE variants ADD COLUMN extensions TEXT;

-- Search covers the short description and the meta keywords too, as the description's words.
-- Products so far have neither, so the index needs no rebuild: only the triggers change.
DROP TRIGGER tr_search_products_insert;
DROP TRIGGER tr_search_products_update;
DROP TRIGGER tr_search_variants_insert;
DROP TRIGGER tr_search_variants_update;
DROP TRIGGER tr_search_variants_delete;

CREATE TRIGGER tr_search_products_insert AFTER INSERT ON products
WHEN NEW.seq IS NULL OR NOT EXISTS (SELECT 1 FROM catalog_count_pauses) BEGIN
    UPDATE products SET seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM products)
    WHERE rowid = NEW.rowid AND NEW.seq IS NULL;
    INSERT INTO product_search (rowid, name, description, handle, skus)
    SELECT seq, name, concat_ws(' ', description, short_description, meta_keywords), handle, NULL
    FROM products WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER tr_search_products_update
AFTER UPDATE OF name, description, handle, short_description, meta_keywords ON products BEGIN
    INSERT OR REPLACE INTO product_search (rowid, name, description, handle, skus)
    VALUES (NEW.seq, NEW.name, concat_ws(' ', NEW.description, NEW.short_description, NEW.meta_keywords), NEW.handle,
            (SELECT group_concat(v.sku, ' ') FROM variants v WHERE v.product_id = NEW.id));
END;

CREATE TRIGGER tr_search_variants_insert AFTER INSERT ON variants
WHEN NEW.sku IS NOT NULL AND NOT EXISTS (SELECT 1 FROM catalog_count_pauses) BEGIN
    INSERT OR REPLACE INTO product_search (rowid, name, description, handle, skus)
    SELECT p.seq, p.name, concat_ws(' ', p.description, p.short_description, p.meta_keywords), p.handle,
           (SELECT group_concat(v.sku, ' ') FROM variants v WHERE v.product_id = p.id)
    FROM products p WHERE p.id = NEW.product_id;
END;

CREATE TRIGGER tr_search_variants_update AFTER UPDATE OF sku ON variants
WHEN NEW.sku IS NOT OLD.sku BEGIN
    INSERT OR REPLACE INTO product_search (rowid, name, description, handle, skus)
    SELECT p.seq, p.name, concat_ws(' ', p.description, p.short_description, p.meta_keywords), p.handle,
           (SELECT group_concat(v.sku, ' ') FROM variants v WHERE v.product_id = p.id)
    FROM products p WHERE p.id = NEW.product_id;
END;

CREATE TRIGGER tr_search_variants_delete AFTER DELETE ON variants WHEN OLD.sku IS NOT NULL BEGIN
    INSERT OR REPLACE INTO product_search (rowid, name, description, handle, skus)
    SELECT p.seq, p.name, concat_ws(' ', p.description, p.short_description, p.meta_keywords), p.handle,
           (SELECT group_concat(v.sku, ' ') FROM variants v WHERE v.product_id = p.id)
    FROM products p WHERE p.id = OLD.product_id;
END;
