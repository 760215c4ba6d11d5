-- Taxonomy, typed attributes and templates for the PIM API; product classification columns;
-- and per-organization counters kept by triggers so catalog stats never scan.

CREATE TABLE categories (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    parent_id UUID REFERENCES categories(id),
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    description TEXT,
    -- Ids from the root down to this category, '/'-separated: a subtree is one index range.
    path TEXT NOT NULL,
    depth BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_categories_slug ON categories(organization_id, slug);
CREATE INDEX ix_categories_path ON categories(organization_id, path);
CREATE INDEX ix_categories_parent ON categories(parent_id);

CREATE TABLE brands (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    logo_url TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_brands_name ON brands(organization_id, lower(name));

CREATE TABLE attribute_groups (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    rank BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_attribute_groups_name ON attribute_groups(organization_id, lower(name));

CREATE TABLE attributes (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('TEXT', 'NUMBER', 'BOOLEAN', 'SELECT')),
    options JSONB,
    group_id UUID REFERENCES attribute_groups(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_attributes_key ON attributes(organization_id, key);
CREATE INDEX ix_attributes_group ON attributes(group_id);

CREATE TABLE templates (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_templates_name ON templates(organization_id, lower(name));

CREATE TABLE template_attributes (
    template_id UUID NOT NULL REFERENCES templates(id) ON DELETE CASCADE,
    attribute_id UUID NOT NULL REFERENCES attributes(id),
    required BOOLEAN NOT NULL,
    rank BIGINT NOT NULL,
    PRIMARY KEY (template_id, attribute_id)
);
CREATE INDEX ix_template_attributes_attribute ON template_attributes(attribute_id);

ALTER TABLE products ADD COLUMN category_id UUID REFERENCES categories(id);
ALTER TABLE products ADD COLUMN brand_id UUID REFERENCES brands(id);
ALTER TABLE products ADD COLUMN template_id UUID REFERENCES templates(id);
ALTER TABLE products ADD COLUMN attributes JSONB;
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

-- Row counts per organization, spread over shards so that concurrent writers in one
-- organization do not queue on one counter row; a count is the sum of its shards.
CREATE TABLE catalog_counts (
    organization_id UUID NOT NULL,
    metric TEXT NOT NULL,
    shard SMALLINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (organization_id, metric, shard)
);

-- Statement-level triggers: one counter update per statement (a multi-row insert of 2,000
-- variants is one upsert), in metric order. A transaction keeps one shard for all its updates,
-- so two transactions never take the same counter rows in opposite orders.
CREATE FUNCTION pimento_shard() RETURNS smallint LANGUAGE sql VOLATILE AS $$
    SELECT (txid_current() % 8)::smallint;
$$;

-- A live product counts under its status, an archived one under 'archived'.
CREATE FUNCTION pimento_product_metric(status TEXT, archived_at TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN archived_at IS NULL THEN 'products.' || status ELSE 'products.archived' END;
$$;

CREATE FUNCTION pimento_count_products_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n)
    SELECT organization_id, pimento_product_metric(status, archived_at), pimento_shard(), COUNT(*)
    FROM new_rows GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = catalog_counts.n + excluded.n;
    RETURN NULL;
END;
$$;
CREATE FUNCTION pimento_count_products_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n)
    SELECT organization_id, pimento_product_metric(status, archived_at), pimento_shard(), -COUNT(*)
    FROM old_rows GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = catalog_counts.n + excluded.n;
    RETURN NULL;
END;
$$;
CREATE FUNCTION pimento_count_products_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n)
    SELECT org, metric, pimento_shard(), SUM(d) FROM (
        SELECT o.organization_id AS org, pimento_product_metric(o.status, o.archived_at) AS metric, -1 AS d
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE pimento_product_metric(o.status, o.archived_at) <> pimento_product_metric(n.status, n.archived_at)
        UNION ALL
        SELECT n.organization_id, pimento_product_metric(n.status, n.archived_at), 1
        FROM old_rows o JOIN new_rows n ON n.id = o.id
        WHERE pimento_product_metric(o.status, o.archived_at) <> pimento_product_metric(n.status, n.archived_at)
    ) moves GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = catalog_counts.n + excluded.n;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tr_count_products_insert AFTER INSERT ON products REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_products_inserted();
CREATE TRIGGER tr_count_products_delete AFTER DELETE ON products REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_products_deleted();
CREATE TRIGGER tr_count_products_update AFTER UPDATE ON products REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_products_updated();

-- Other tables count under their own name.
CREATE FUNCTION pimento_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n)
    SELECT organization_id, TG_TABLE_NAME::text, pimento_shard(), COUNT(*) FROM new_rows GROUP BY 1 ORDER BY 1
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = catalog_counts.n + excluded.n;
    RETURN NULL;
END;
$$;
CREATE FUNCTION pimento_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalog_counts (organization_id, metric, shard, n)
    SELECT organization_id, TG_TABLE_NAME::text, pimento_shard(), -COUNT(*) FROM old_rows GROUP BY 1 ORDER BY 1
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = catalog_counts.n + excluded.n;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tr_count_variants_insert AFTER INSERT ON variants REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_inserted();
CREATE TRIGGER tr_count_variants_delete AFTER DELETE ON variants REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_deleted();
CREATE TRIGGER tr_count_brands_insert AFTER INSERT ON brands REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_inserted();
CREATE TRIGGER tr_count_brands_delete AFTER DELETE ON brands REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_deleted();
CREATE TRIGGER tr_count_categories_insert AFTER INSERT ON categories REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_inserted();
CREATE TRIGGER tr_count_categories_delete AFTER DELETE ON categories REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_deleted();
CREATE TRIGGER tr_count_attributes_insert AFTER INSERT ON attributes REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_inserted();
CREATE TRIGGER tr_count_attributes_delete AFTER DELETE ON attributes REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_deleted();
CREATE TRIGGER tr_count_attribute_groups_insert AFTER INSERT ON attribute_groups REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_inserted();
CREATE TRIGGER tr_count_attribute_groups_delete AFTER DELETE ON attribute_groups REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_deleted();
CREATE TRIGGER tr_count_templates_insert AFTER INSERT ON templates REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_inserted();
CREATE TRIGGER tr_count_templates_delete AFTER DELETE ON templates REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_deleted();
CREATE TRIGGER tr_count_product_media_insert AFTER INSERT ON product_media REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_inserted();
CREATE TRIGGER tr_count_product_media_delete AFTER DELETE ON product_media REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_deleted();
CREATE TRIGGER tr_count_media_assets_insert AFTER INSERT ON media_assets REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_inserted();
CREATE TRIGGER tr_count_media_assets_delete AFTER DELETE ON media_assets REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pimento_count_deleted();

-- Counts of the rows already there.
INSERT INTO catalog_counts (organization_id, metric, shard, n)
SELECT organization_id, pimento_product_metric(status, archived_at), 0, COUNT(*) FROM products GROUP BY 1, 2;
INSERT INTO catalog_counts (organization_id, metric, shard, n) SELECT organization_id, 'variants', 0, COUNT(*) FROM variants GROUP BY organization_id;
INSERT INTO catalog_counts (organization_id, metric, shard, n) SELECT organization_id, 'product_media', 0, COUNT(*) FROM product_media GROUP BY organization_id;
INSERT INTO catalog_counts (organization_id, metric, shard, n) SELECT organization_id, 'media_assets', 0, COUNT(*) FROM media_assets GROUP BY organization_id;
