-- Full-text search over products: name, description, handle and the SKUs of their variants,
-- one `tsvector` a product in the `simple` configuration (no stemming, no stop words: names
-- and SKUs are not prose), found through a GIN index. Everything but letters and digits is a
-- word break, as in SQLite's `unicode61` (the parser would read `ab-1` as `ab` and `-1`).
CREATE TABLE product_search (
    product_id UUID PRIMARY KEY REFERENCES products(id) ON DELETE CASCADE,
    organization_id UUID NOT NULL,
    document TSVECTOR NOT NULL
);
CREATE INDEX ix_product_search ON product_search USING GIN (document);

-- (Re)builds the documents of some products; products that no longer exist are skipped.
CREATE FUNCTION pimento_search_refresh(ids UUID[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO product_search (product_id, organization_id, document)
    SELECT p.id, p.organization_id,
           to_tsvector('simple', regexp_replace(concat_ws(' ', p.name, p.description, p.handle,
               (SELECT string_agg(v.sku, ' ') FROM variants v WHERE v.product_id = p.id)), '[^[:alnum:]]+', ' ', 'g'))
    FROM products p WHERE p.id = ANY(ids)
    ON CONFLICT (product_id) DO UPDATE SET document = EXCLUDED.document;
$$;

SELECT pimento_search_refresh(ARRAY(SELECT id FROM products));

-- Kept current by statement-level triggers, in the transaction of every write: one refresh a
-- statement, whatever its row count.
CREATE FUNCTION pimento_search_products_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pimento_search_refresh(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END $$;

CREATE FUNCTION pimento_search_products_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pimento_search_refresh(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.name IS DISTINCT FROM o.name OR n.description IS DISTINCT FROM o.description
           OR n.handle IS DISTINCT FROM o.handle));
    RETURN NULL;
END $$;

CREATE FUNCTION pimento_search_variants_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pimento_search_refresh(ARRAY(SELECT DISTINCT product_id FROM new_rows WHERE sku IS NOT NULL));
    RETURN NULL;
END $$;

CREATE FUNCTION pimento_search_variants_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pimento_search_refresh(ARRAY(
        SELECT DISTINCT n.product_id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.sku IS DISTINCT FROM o.sku));
    RETURN NULL;
END $$;

CREATE FUNCTION pimento_search_variants_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pimento_search_refresh(ARRAY(SELECT DISTINCT product_id FROM old_rows WHERE sku IS NOT NULL));
    RETURN NULL;
END $$;

CREATE TRIGGER tr_search_products_insert AFTER INSERT ON products REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION pimento_search_products_inserted();
CREATE TRIGGER tr_search_products_update AFTER UPDATE ON products REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION pimento_search_products_updated();
CREATE TRIGGER tr_search_variants_insert AFTER INSERT ON variants REFERENCING NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION pimento_search_variants_inserted();
CREATE TRIGGER tr_search_variants_update AFTER UPDATE ON variants REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION pimento_search_variants_updated();
CREATE TRIGGER tr_search_variants_delete AFTER DELETE ON variants REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION pimento_search_variants_deleted();
