-- Categories, attributes and vendors keep the fields only one API knows (CS-Cart's category
-- `meta_keywords`, a feature's `prefix`, a company's `phone`, …) under that API's name, as
-- products and variants do (`extensions`).
ALTER TABLE categories ADD COLUMN extensions JSONB;
ALTER TABLE attributes ADD COLUMN extensions JSONB;
ALTER TABLE vendors ADD COLUMN extensions JSONB;
