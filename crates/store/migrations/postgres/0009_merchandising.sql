-- What the Medusa and CS-Cart APIs carry beyond the first two: vendors (companies) that own
-- products, collections, product types and tags; a product's subtitle, short description,
-- thumbnail, search-engine fields and shipping size; a variant's list (compare-at) price and
-- its prices in other currencies; and each API's own fields, kept per product and variant
-- under that API's name (`extensions`).

CREATE TABLE vendors (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    description TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'pending', 'disabled')),
    metadata JSONB,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_vendors_number ON vendors(organization_id, number);

CREATE TABLE collections (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    handle TEXT NOT NULL,
    metadata JSONB,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_collections_handle ON collections(organization_id, handle);

CREATE TABLE product_types (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    metadata JSONB,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_product_types_value ON product_types(organization_id, value);

CREATE TABLE tags (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    metadata JSONB,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_tags_value ON tags(organization_id, value);

CREATE TABLE product_tags (
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    tag_id UUID NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    PRIMARY KEY (product_id, tag_id)
);
CREATE INDEX ix_product_tags_tag ON product_tags(tag_id, product_id);

ALTER TABLE products
    ADD COLUMN vendor_id UUID REFERENCES vendors(id),
    ADD COLUMN collection_id UUID REFERENCES collections(id) ON DELETE SET NULL,
    ADD COLUMN type_id UUID REFERENCES product_types(id) ON DELETE SET NULL,
    ADD COLUMN subtitle TEXT,
    ADD COLUMN short_description TEXT,
    ADD COLUMN thumbnail TEXT,
    ADD COLUMN seo_name TEXT,
    ADD COLUMN page_title TEXT,
    ADD COLUMN meta_description TEXT,
    ADD COLUMN meta_keywords TEXT,
    ADD COLUMN weight DOUBLE PRECISION,
    ADD COLUMN length DOUBLE PRECISION,
    ADD COLUMN width DOUBLE PRECISION,
    ADD COLUMN height DOUBLE PRECISION,
    ADD COLUMN extensions JSONB;
-- Partial: a product without one costs no entry.
CREATE INDEX ix_products_vendor ON products(vendor_id) WHERE vendor_id IS NOT NULL;
CREATE INDEX ix_products_collection ON products(collection_id) WHERE collection_id IS NOT NULL;
CREATE INDEX ix_products_type ON products(type_id) WHERE type_id IS NOT NULL;

ALTER TABLE variants
    ADD COLUMN list_price_minor BIGINT,
    -- Prices in currencies other than the variant's own: [{"currency": "EUR", "amount": 1999}].
    ADD COLUMN prices JSONB,
    ADD COLUMN extensions JSONB;

-- Search covers the short description and the meta keywords too. Products so far have
-- neither, so the documents need no rebuild: only the functions change.
CREATE OR REPLACE FUNCTION pimento_search_refresh(ids UUID[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO product_search (product_id, organization_id, document)
    SELECT p.id, p.organization_id,
           to_tsvector('simple', regexp_replace(concat_ws(' ', p.name, p.description, p.short_description,
               p.meta_keywords, p.handle,
               (SELECT string_agg(v.sku, ' ') FROM variants v WHERE v.product_id = p.id)), '[^[:alnum:]]+', ' ', 'g'))
    FROM products p WHERE p.id = ANY(ids)
    ON CONFLICT (product_id) DO UPDATE SET document = EXCLUDED.document;
$$;

CREATE OR REPLACE FUNCTION pimento_search_products_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pimento_search_refresh(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.name IS DISTINCT FROM o.name OR n.description IS DISTINCT FROM o.description
           OR n.handle IS DISTINCT FROM o.handle OR n.short_description IS DISTINCT FROM o.short_description
           OR n.meta_keywords IS DISTINCT FROM o.meta_keywords));
    RETURN NULL;
END $$;
