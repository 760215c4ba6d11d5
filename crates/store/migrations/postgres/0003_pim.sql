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

CREATE FUNCTION pimento_bump_count(org UUID, name TEXT, delta BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO catalog_counts (organization_id, metric, shard, n)
    VALUES (org, name, floor(random() * 8)::smallint, delta)
    ON CONFLICT (organization_id, metric, shard) DO UPDATE SET n = catalog_counts.n + excluded.n;
$$;

-- A live product counts under its status, an archived one under 'archived'.
CREATE FUNCTION pimento_product_metric(status TEXT, archived_at TIMESTAMPTZ) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN archived_at IS NULL THEN 'products.' || status ELSE 'products.archived' END;
$$;

CREATE FUNCTION pimento_count_products() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM pimento_bump_count(NEW.organization_id, pimento_product_metric(NEW.status, NEW.archived_at), 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pimento_bump_count(OLD.organization_id, pimento_product_metric(OLD.status, OLD.archived_at), -1);
    ELSIF pimento_product_metric(OLD.status, OLD.archived_at) <> pimento_product_metric(NEW.status, NEW.archived_at) THEN
        PERFORM pimento_bump_count(OLD.organization_id, pimento_product_metric(OLD.status, OLD.archived_at), -1);
        PERFORM pimento_bump_count(NEW.organization_id, pimento_product_metric(NEW.status, NEW.archived_at), 1);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tr_count_products AFTER INSERT OR DELETE OR UPDATE OF status, archived_at ON products
FOR EACH ROW EXECUTE FUNCTION pimento_count_products();

-- Other tables count under their own name.
CREATE FUNCTION pimento_count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM pimento_bump_count(NEW.organization_id, TG_TABLE_NAME::text, 1);
    ELSE
        PERFORM pimento_bump_count(OLD.organization_id, TG_TABLE_NAME::text, -1);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER tr_count_variants AFTER INSERT OR DELETE ON variants FOR EACH ROW EXECUTE FUNCTION pimento_count_rows();
CREATE TRIGGER tr_count_brands AFTER INSERT OR DELETE ON brands FOR EACH ROW EXECUTE FUNCTION pimento_count_rows();
CREATE TRIGGER tr_count_categories AFTER INSERT OR DELETE ON categories FOR EACH ROW EXECUTE FUNCTION pimento_count_rows();
CREATE TRIGGER tr_count_attributes AFTER INSERT OR DELETE ON attributes FOR EACH ROW EXECUTE FUNCTION pimento_count_rows();
CREATE TRIGGER tr_count_attribute_groups AFTER INSERT OR DELETE ON attribute_groups FOR EACH ROW EXECUTE FUNCTION pimento_count_rows();
CREATE TRIGGER tr_count_templates AFTER INSERT OR DELETE ON templates FOR EACH ROW EXECUTE FUNCTION pimento_count_rows();
CREATE TRIGGER tr_count_product_media AFTER INSERT OR DELETE ON product_media FOR EACH ROW EXECUTE FUNCTION pimento_count_rows();
CREATE TRIGGER tr_count_media_assets AFTER INSERT OR DELETE ON media_assets FOR EACH ROW EXECUTE FUNCTION pimento_count_rows();

-- Counts of the rows already there.
INSERT INTO catalog_counts (organization_id, metric, shard, n)
SELECT organization_id, pimento_product_metric(status, archived_at), 0, COUNT(*) FROM products GROUP BY 1, 2;
INSERT INTO catalog_counts (organization_id, metric, shard, n) SELECT organization_id, 'variants', 0, COUNT(*) FROM variants GROUP BY organization_id;
INSERT INTO catalog_counts (organization_id, metric, shard, n) SELECT organization_id, 'product_media', 0, COUNT(*) FROM product_media GROUP BY organization_id;
INSERT INTO catalog_counts (organization_id, metric, shard, n) SELECT organization_id, 'media_assets', 0, COUNT(*) FROM media_assets GROUP BY organization_id;
