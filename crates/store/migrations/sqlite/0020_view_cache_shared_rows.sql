-- Cached views are kept with each API's rendering of them (api/src/rendered.rs). The Medusa
-- and CS-Cart renderings show more of the shared rows a product refers to than the view does:
-- a category's every field and its ancestors, the collection, the product type, the vendor's
-- number, attribute definitions, and every value of an assigned option. So `names_version`
-- now moves with any change to those rows, not only to the names the view shows. A value added
-- to a product's own option comes with a write to the option (or the new product), which moves
-- a number already; one added to a shared option (an import does) moves `names_version`.
DROP TRIGGER tr_names_categories_update;
DROP TRIGGER tr_names_options_update;
DROP TRIGGER tr_names_option_values_update;

CREATE TRIGGER tr_names_categories_update AFTER UPDATE ON categories BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER tr_names_options_update AFTER UPDATE ON options BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER tr_names_option_values_update AFTER UPDATE ON option_values BEGIN
    UPDATE organizations SET names_version = names_version + 1
    WHERE id = (SELECT organization_id FROM options WHERE id = NEW.option_id);
END;
CREATE TRIGGER tr_names_option_values_insert AFTER INSERT ON option_values BEGIN
    UPDATE organizations SET names_version = names_version + 1
    WHERE id = (SELECT organization_id FROM options WHERE id = NEW.option_id AND product_id IS NULL);
END;
CREATE TRIGGER tr_names_collections_update AFTER UPDATE ON collections BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER tr_names_collections_delete AFTER DELETE ON collections BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = OLD.organization_id;
END;
CREATE TRIGGER tr_names_product_types_update AFTER UPDATE ON product_types BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER tr_names_product_types_delete AFTER DELETE ON product_types BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = OLD.organization_id;
END;
CREATE TRIGGER tr_names_vendors_update AFTER UPDATE ON vendors BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER tr_names_vendors_delete AFTER DELETE ON vendors BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = OLD.organization_id;
END;
CREATE TRIGGER tr_names_attributes_insert AFTER INSERT ON attributes BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER tr_names_attributes_update AFTER UPDATE ON attributes BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = NEW.organization_id;
END;
CREATE TRIGGER tr_names_attributes_delete AFTER DELETE ON attributes BEGIN
    UPDATE organizations SET names_version = names_version + 1 WHERE id = OLD.organization_id;
END;
