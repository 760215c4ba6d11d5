-- The product view cache (store/src/view_cache.rs) serves a cached view while the product's
-- version and its organization's `names_version` are those the view was read at. The
-- product's version moves with every change to the product and what it owns; `names_version`
-- moves with every change to a shared row that views show by name or content: categories (name,
-- slug), options (name), option values (value), media assets and tags. Such changes are rare,
-- and the triggers make sure no code path can forget one.
ALTER TABLE organizations ADD COLUMN names_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION pimento_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = NEW.organization_id;
    RETURN NULL;
END $$;
CREATE FUNCTION pimento_names_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations SET names_version = names_version + 1
    WHERE id IN (SELECT DISTINCT organization_id FROM old_rows);
    RETURN NULL;
END $$;
-- An option value's organization is its option's; a value deleted with its option finds none,
-- and the option's own trigger counts that change.
CREATE FUNCTION pimento_option_value_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations SET names_version = names_version + 1
    WHERE id = (SELECT organization_id FROM options WHERE id = NEW.option_id);
    RETURN NULL;
END $$;
CREATE FUNCTION pimento_option_values_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations SET names_version = names_version + 1
    WHERE id IN (SELECT DISTINCT o.organization_id FROM old_rows v JOIN options o ON o.id = v.option_id);
    RETURN NULL;
END $$;

CREATE TRIGGER tr_names_categories_update AFTER UPDATE OF name, slug ON categories FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.slug IS DISTINCT FROM NEW.slug)
EXECUTE FUNCTION pimento_names_changed();
CREATE TRIGGER tr_names_categories_delete AFTER DELETE ON categories REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION pimento_names_deleted();
CREATE TRIGGER tr_names_options_update AFTER UPDATE OF name ON options FOR EACH ROW
WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION pimento_names_changed();
CREATE TRIGGER tr_names_options_delete AFTER DELETE ON options REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION pimento_names_deleted();
CREATE TRIGGER tr_names_option_values_update AFTER UPDATE OF value ON option_values FOR EACH ROW
WHEN (OLD.value IS DISTINCT FROM NEW.value)
EXECUTE FUNCTION pimento_option_value_changed();
CREATE TRIGGER tr_names_option_values_delete AFTER DELETE ON option_values REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION pimento_option_values_deleted();
CREATE TRIGGER tr_names_media_assets_update AFTER UPDATE ON media_assets FOR EACH ROW
EXECUTE FUNCTION pimento_names_changed();
CREATE TRIGGER tr_names_media_assets_delete AFTER DELETE ON media_assets REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION pimento_names_deleted();
CREATE TRIGGER tr_names_tags_update AFTER UPDATE ON tags FOR EACH ROW
EXECUTE FUNCTION pimento_names_changed();
CREATE TRIGGER tr_names_tags_delete AFTER DELETE ON tags REFERENCING OLD TABLE AS old_rows
FOR EACH STATEMENT EXECUTE FUNCTION pimento_names_deleted();
