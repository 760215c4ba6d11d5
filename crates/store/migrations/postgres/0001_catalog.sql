-- Pimento catalog schema, PostgreSQL. Money is integer minor units plus an ISO 4217 code.

CREATE TABLE tenants (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE organizations (
    id UUID PRIMARY KEY,
    tenant_id UUID NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_organizations_tenant ON organizations(tenant_id);

CREATE TABLE api_keys (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('secret', 'publishable')),
    prefix TEXT NOT NULL,
    secret_hash BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX ux_api_keys_secret_hash ON api_keys(secret_hash);
CREATE INDEX ix_api_keys_org ON api_keys(organization_id);

CREATE TABLE external_refs (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    entity_type TEXT NOT NULL,
    entity_id UUID NOT NULL,
    sync_source TEXT NOT NULL,
    sync_source_id TEXT NOT NULL,
    source_vendor TEXT,
    source_data JSONB,
    sync_status TEXT NOT NULL,
    last_synced_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_external_refs_source ON external_refs(organization_id, entity_type, sync_source, sync_source_id);
CREATE INDEX ix_external_refs_entity ON external_refs(entity_id);

CREATE TABLE products (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    handle TEXT NOT NULL,
    name TEXT NOT NULL,
    url TEXT,
    description TEXT,
    status TEXT NOT NULL,
    metadata JSONB,
    default_variant_id UUID,
    primary_ref_id UUID REFERENCES external_refs(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL,
    archived_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX ux_products_handle ON products(organization_id, handle);
CREATE INDEX ix_products_org ON products(organization_id, id);

CREATE TABLE options (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_options_name ON options(organization_id, lower(name));

CREATE TABLE option_values (
    id UUID PRIMARY KEY,
    option_id UUID NOT NULL REFERENCES options(id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    rank BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_option_values_value ON option_values(option_id, lower(value));

CREATE TABLE product_options (
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    option_id UUID NOT NULL REFERENCES options(id) ON DELETE CASCADE,
    rank BIGINT NOT NULL,
    PRIMARY KEY (product_id, option_id)
);
CREATE INDEX ix_product_options_option ON product_options(option_id);

CREATE TABLE variants (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    title TEXT,
    sku TEXT,
    barcode TEXT,
    price_minor BIGINT,
    currency TEXT,
    inventory_quantity BIGINT NOT NULL DEFAULT 0,
    rank BIGINT NOT NULL,
    options_key TEXT,
    metadata JSONB,
    primary_ref_id UUID REFERENCES external_refs(id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_variants_sku ON variants(organization_id, sku);
CREATE UNIQUE INDEX ux_variants_options_key ON variants(product_id, options_key);
CREATE INDEX ix_variants_product ON variants(product_id, rank);

CREATE TABLE variant_option_values (
    variant_id UUID NOT NULL REFERENCES variants(id) ON DELETE CASCADE,
    option_id UUID NOT NULL REFERENCES options(id) ON DELETE CASCADE,
    value_id UUID NOT NULL REFERENCES option_values(id) ON DELETE CASCADE,
    PRIMARY KEY (variant_id, option_id)
);
CREATE INDEX ix_variant_option_values_value ON variant_option_values(value_id);
CREATE INDEX ix_variant_option_values_option ON variant_option_values(option_id);

CREATE TABLE media_assets (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    alt_text TEXT,
    description TEXT,
    public_url TEXT,
    source_url TEXT,
    thumbnail_url TEXT,
    upload_url TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX ix_media_assets_org ON media_assets(organization_id, id);

CREATE TABLE product_media (
    id UUID PRIMARY KEY,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    variant_id UUID REFERENCES variants(id) ON DELETE SET NULL,
    media_asset_id UUID NOT NULL REFERENCES media_assets(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    purpose TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_product_media_product ON product_media(product_id, position);
CREATE INDEX ix_product_media_asset ON product_media(media_asset_id);
CREATE INDEX ix_product_media_variant ON product_media(variant_id);

CREATE TABLE audit_events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id UUID NOT NULL UNIQUE,
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id UUID NOT NULL,
    changes JSONB NOT NULL,
    request_id TEXT,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX ix_audit_events_org ON audit_events(organization_id, seq);
CREATE INDEX ix_audit_events_entity ON audit_events(entity_id);
