-- Products deleted for good, kept restorable for the retention window: every row the product
-- owned, table by table (store/src/catalog/deleted/snapshot.rs), written in the deleting
-- transaction. The server's sweep removes those past the window.
CREATE TABLE deleted_products (
    organization_id UUID NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    product_id UUID NOT NULL,
    number BIGINT NOT NULL,
    name TEXT NOT NULL,
    sku TEXT,
    deleted_at TIMESTAMPTZ NOT NULL,
    deleted_by TEXT NOT NULL,
    snapshot JSONB NOT NULL,
    PRIMARY KEY (organization_id, product_id)
);
CREATE INDEX ix_deleted_products_org ON deleted_products(organization_id, deleted_at);
CREATE INDEX ix_deleted_products_deleted_at ON deleted_products(deleted_at);
