-- Full-text search over products: name, description, handle and the SKUs of their variants.
--
-- FTS5 keys its rows by an integer, and a product's implicit rowid may change on VACUUM, so
-- products get a stable `seq`: one more than the highest, given by the insert trigger below
-- when the writer gives none.
ALTER TABLE products ADD COLUMN seq INTEGER;
UPDATE products SET seq = rowid;
CREATE UNIQUE INDEX ux_products_seq ON products(seq);

-- Contentless: the index holds the tokens only (the text stays in products and variants), and
-- rows can still be deleted and replaced. `unicode61` splits on anything but letters and
-- digits and folds case and diacritics. Positions are kept: a search word that this tokenizer
-- splits in two (a word with a combining mark the server's splitting keeps) becomes a phrase,
-- which FTS5 refuses without them. (Prefix indexes of 2 and 3 letters made imports 9 %
-- slower; see docs/PERFORMANCE.md.)
CREATE VIRTUAL TABLE product_search USING fts5(
    name, description, handle, skus,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO product_search (rowid, name, description, handle, skus)
SELECT p.seq, p.name, p.description, p.handle,
       (SELECT group_concat(v.sku, ' ') FROM variants v WHERE v.product_id = p.id)
FROM products p;

-- Kept current by triggers, in the transaction of every write: no code path can forget it.
-- A batch that pauses the counters (catalog_count_pauses, migration 0005) numbers its new
-- products itself and indexes them, and the existing products it adds variants to, in one
-- statement after its variants (store/src/catalog/batch.rs): one index write a product
-- instead of one a row. The product trigger still numbers and indexes a paused row that
-- comes without a number.
CREATE TRIGGER tr_search_products_insert AFTER INSERT ON products
WHEN NEW.seq IS NULL OR NOT EXISTS (SELECT 1 FROM catalog_count_pauses) BEGIN
    UPDATE products SET seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM products)
    WHERE rowid = NEW.rowid AND NEW.seq IS NULL;
    INSERT INTO product_search (rowid, name, description, handle, skus)
    SELECT seq, name, description, handle, NULL FROM products WHERE rowid = NEW.rowid;
END;

CREATE TRIGGER tr_search_products_update AFTER UPDATE OF name, description, handle ON products BEGIN
    INSERT OR REPLACE INTO product_search (rowid, name, description, handle, skus)
    VALUES (NEW.seq, NEW.name, NEW.description, NEW.handle,
            (SELECT group_concat(v.sku, ' ') FROM variants v WHERE v.product_id = NEW.id));
END;

CREATE TRIGGER tr_search_products_delete AFTER DELETE ON products BEGIN
    DELETE FROM product_search WHERE rowid = OLD.seq;
END;

CREATE TRIGGER tr_search_variants_insert AFTER INSERT ON variants
WHEN NEW.sku IS NOT NULL AND NOT EXISTS (SELECT 1 FROM catalog_count_pauses) BEGIN
    INSERT OR REPLACE INTO product_search (rowid, name, description, handle, skus)
    SELECT p.seq, p.name, p.description, p.handle,
           (SELECT group_concat(v.sku, ' ') FROM variants v WHERE v.product_id = p.id)
    FROM products p WHERE p.id = NEW.product_id;
END;

CREATE TRIGGER tr_search_variants_update AFTER UPDATE OF sku ON variants
WHEN NEW.sku IS NOT OLD.sku BEGIN
    INSERT OR REPLACE INTO product_search (rowid, name, description, handle, skus)
    SELECT p.seq, p.name, p.description, p.handle,
           (SELECT group_concat(v.sku, ' ') FROM variants v WHERE v.product_id = p.id)
    FROM products p WHERE p.id = NEW.product_id;
END;

CREATE TRIGGER tr_search_variants_delete AFTER DELETE ON variants WHEN OLD.sku IS NOT NULL BEGIN
    INSERT OR REPLACE INTO product_search (rowid, name, description, handle, skus)
    SELECT p.seq, p.name, p.description, p.handle,
           (SELECT group_concat(v.sku, ' ') FROM variants v WHERE v.product_id = p.id)
    FROM products p WHERE p.id = OLD.product_id;
END;
