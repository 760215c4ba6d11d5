-- The product view cache (store/src/view_cache.rs) serves a cached view while the product's
-- version and its organization's `names_version` are those the view was read at. The
-- product's version moves with every change to the product and what it owns; `names_version`
-- moves with every change to a shared row that views show by name or content: categories (name,
-- slug), options (name), option values (value), media assets and tags. Such changes are rare,
-- and the triggers make sure no code path can forget one.
ALTER TABLE organizations ADD COLUMN names_version INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER tr_names_categories_update AFTER UPDATE OF name, slug ON categories
WHEN OLD.name IS NOT NEW.name OR OLD.slug IS NOT NEW.slug BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER tr_names_categories_delete AFTER DELETE ON categories BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = OLD.organization_id;
END;
CREATE TRIGGER tr_names_options_update AFTER UPDATE OF name ON options
WHEN OLD.name IS NOT NEW.name BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER tr_names_options_delete AFTER DELETE ON options BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = OLD.organization_id;
END;
-- An option value's organization is its option's; a value deleted with its option finds none,
-- and the option's own trigger counts that change.
CREATE TRIGGER tr_names_option_values_update AFTER UPDATE OF value ON option_values
WHEN OLD.value IS NOT NEW.value BEGIN
    UPDATE organizations SET names_version = names_version + 1
    WHERE id = (SELECT organization_id FROM options WHERE id = NEW.option_id);
END;
CREATE TRIGGER tr_names_option_values_delete AFTER DELETE ON option_values BEGIN
    UPDATE organizations SET names_version = names_version + 1
    WHERE id = (SELECT organization_id FROM options WHERE id = OLD.option_id);
END;
CREATE TRIGGER tr_names_media_assets_update AFTER UPDATE ON media_assets BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER tr_names_media_assets_delete AFTER DELETE ON media_assets BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = OLD.organization_id;
END;
CREATE TRIGGER tr_names_tags_update AFTER UPDATE ON tags BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER tr_names_tags_delete AFTER DELETE ON tags BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = OLD.organization_id;
END;
