-- Taxonomy, typed attributes and templates for the PIM API; product classification columns;
-- and per-organization counters kept by triggers so catalog stats never scan.

CREATE TABLE categories (
    id BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    parent_id BLOB REFERENCES categories(id),
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    description TEXT,
    -- Ids from the root down to this category, '/'-separated: a subtree is one index range.
    path TEXT NOT NULL,
    depth INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_categories_slug ON categories(organization_id, slug);
CREATE INDEX ix_categories_path ON categories(organization_id, path);
CREATE INDEX ix_categories_parent ON categories(parent_id);

CREATE TABLE brands (
    id BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    logo_url TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_brands_name ON brands(organization_id, lower(name));

CREATE TABLE attribute_groups (
    id BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    rank INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_attribute_groups_name ON attribute_groups(organization_id, lower(name));

CREATE TABLE attributes (
    id BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('TEXT', 'NUMBER', 'BOOLEAN', 'SELECT')),
    options TEXT,
    group_id BLOB REFERENCES attribute_groups(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_attributes_key ON attributes(organization_id, key);
CREATE INDEX ix_attributes_group ON attributes(group_id);

CREATE TABLE templates (
    id BLOB PRIMARY KEY,
    organization_id BLOB NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_templates_name ON templates(organization_id, lower(name));

CREATE TABLE template_attributes (
    template_id BLOB NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
    attribute_id BLOB NOT NULL REFERENCES attributes(id),
    required INTEGER NOT NULL,
    rank INTEGER NOT NULL,
    PRIMARY KEY (template_id, attribute_id)
);
CREATE INDEX ix_template_attributes_attribute ON template_attributes(attribute_id);

ALTER TABLE products ADD COLUMN category_id BLOB REFERENCES categories(id);
ALTER TABLE products ADD COLUMN brand_id BLOB REFERENCES brands(id);
ALTER TABLE products ADD COLUMN template_id BLOB REFERENCES templates(id);
ALTER TABLE products ADD COLUMN attributes TEXT;
-- Partial indexes: a product without a category, brand or template costs no index entry.
CREATE INDEX ix_products_category ON products(category_id) WHERE category_id IS NOT NULL;
CREATE INDEX ix_products_brand ON products(brand_id) WHERE brand_id IS NOT NULL;
CREATE INDEX ix_products_template ON products(template_id) WHERE template_id IS NOT NULL;

-- Duplicate-barcode checks look barcodes up; keyed like the SKU index (see 0002).
CREATE INDEX ix_variants_barcode ON variants(barcode, organization_id) WHERE barcode IS NOT NULL;
-- Audit filters. Most events are creations of products, variants and media, written several
-- per request; these indexes hold only the rarer events, so writes stay cheap, and a query
-- filtering on a rare type or action repeats the index's condition to use it (store/src/audit.rs).
CREATE INDEX ix_audit_events_type ON audit_events(organization_id, entity_type, seq)
WHERE entity_type NOT IN ('product', 'variant', 'product_media', 'media_asset');
CREATE INDEX ix_audit_events_action ON audit_events(organization_id, action, seq) WHERE action <> 'create';

-- Row counts per organization. SQLite has one writer, so one shard per metric.
CREATE TABLE catalog_counts (
    organization_id BLOB NOT NULL,
    metric TEXT NOT NULL,
    shard INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (organization_id, metric, shard)
) WITHOUT ROWID;

-- A live product counts under its status, an archived one under 'archived'.
CREATE TRIGGER tr_count_products_insert AFTER INSERT ON products BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n)
    VALUES (NEW.organization_id, CASE WHEN NEW.archived_at IS NULL THEN 'products.' || NEW.status ELSE 'products.archived' END, 0, 1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_products_delete AFTER DELETE ON products BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n)
    VALUES (OLD.organization_id, CASE WHEN OLD.archived_at IS NULL THEN 'products.' || OLD.status ELSE 'products.archived' END, 0, -1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_products_update AFTER UPDATE OF status, archived_at ON products
WHEN OLD.status IS NOT NEW.status OR (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n)
    VALUES (OLD.organization_id, CASE WHEN OLD.archived_at IS NULL THEN 'products.' || OLD.status ELSE 'products.archived' END, 0, -1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
    INSERT INTO catalog_counts (organization_id, metric, shard, n)
    VALUES (NEW.organization_id, CASE WHEN NEW.archived_at IS NULL THEN 'products.' || NEW.status ELSE 'products.archived' END, 0, 1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_variants_insert AFTER INSERT ON variants BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (NEW.organization_id, 'variants', 0, 1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_variants_delete AFTER DELETE ON variants BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (OLD.organization_id, 'variants', 0, -1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_brands_insert AFTER INSERT ON brands BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (NEW.organization_id, 'brands', 0, 1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_brands_delete AFTER DELETE ON brands BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (OLD.organization_id, 'brands', 0, -1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_categories_insert AFTER INSERT ON categories BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (NEW.organization_id, 'categories', 0, 1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_categories_delete AFTER DELETE ON categories BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (OLD.organization_id, 'categories', 0, -1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_attributes_insert AFTER INSERT ON attributes BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (NEW.organization_id, 'attributes', 0, 1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_attributes_delete AFTER DELETE ON attributes BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (OLD.organization_id, 'attributes', 0, -1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_attribute_groups_insert AFTER INSERT ON attribute_groups BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (NEW.organization_id, 'attribute_groups', 0, 1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_attribute_groups_delete AFTER DELETE ON attribute_groups BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (OLD.organization_id, 'attribute_groups', 0, -1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_templates_insert AFTER INSERT ON templates BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (NEW.organization_id, 'templates', 0, 1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_templates_delete AFTER DELETE ON templates BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (OLD.organization_id, 'templates', 0, -1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_product_media_insert AFTER INSERT ON product_media BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (NEW.organization_id, 'product_media', 0, 1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_product_media_delete AFTER DELETE ON product_media BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (OLD.organization_id, 'product_media', 0, -1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_media_assets_insert AFTER INSERT ON media_assets BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (NEW.organization_id, 'media_assets', 0, 1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER tr_count_media_assets_delete AFTER DELETE ON media_assets BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n) VALUES (OLD.organization_id, 'media_assets', 0, -1)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = n + excluded.n;
END;

-- Counts of the rows already there.
INSERT INTO catalog_counts (organization_id, metric, shard, n)
SELECT organization_id, CASE WHEN archived_at IS NULL THEN 'products.' || status ELSE 'products.archived' END, 0, COUNT(*)
FROM products GROUP BY 1, 2;
INSERT INTO catalog_counts (organization_id, metric, shard, n) SELECT organization_id, 'variants', 0, COUNT(*) FROM variants GROUP BY organization_id;
INSERT INTO catalog_counts (organization_id, metric, shard, n) SELECT organization_id, 'product_media', 0, COUNT(*) FROM product_media GROUP BY organization_id;
INSERT INTO catalog_counts (organization_id, metric, shard, n) SELECT organization_id, 'media_assets', 0, COUNT(*) FROM media_assets GROUP BY organization_id;
