-- Cached views are kept with each API's rendering of them (api/src/rendered.rs). The Medusa
-- and CS-Cart renderings show more of the shared rows a product refers to than the view does:
-- a category's every field and its ancestors, the collection, the product type, the vendor's
-- number, attribute definitions, and every value of an assigned option. So `names_version`
-- now moves with any change to those rows, not only to the names the view shows. A value added
-- to a product's own option comes with a write to the option (or the new product), which moves
-- a number already; one added to a shared option (an import does) moves `names_version`.
--
-- These triggers are deferred to the commit: an import that adds an attribute or an option
-- value and then locks products would otherwise take the organization's row first, while a
-- product write that renames a media asset takes the product's row first (deadlock). At
-- commit every other lock of the transaction is held already, so the organization's row is
-- always the last one taken.
CREATE FUNCTION pimento_shared_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE organizations SET names_version = names_version + 1 WHERE id = OLD.organization_id;
    ELSE
        UPDATE organizations SET names_version = names_version + 1 WHERE id = NEW.organization_id;
    END IF;
    RETURN NULL;
END $$;
-- An option value's organization is its option's; TG_ARGV[0] = 'shared' counts only values of
-- options no product owns.
CREATE FUNCTION pimento_option_value_row_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE organizations SET names_version = names_version + 1
    WHERE id = (SELECT organization_id FROM options
                WHERE id = NEW.option_id AND (TG_ARGV[0] <> 'shared' OR product_id IS NULL));
    RETURN NULL;
END $$;

DROP TRIGGER tr_names_categories_update ON categories;
DROP TRIGGER tr_names_options_update ON options;
DROP TRIGGER tr_names_option_values_update ON option_values;

CREATE CONSTRAINT TRIGGER tr_names_categories_update AFTER UPDATE ON categories
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pimento_shared_row_changed();
CREATE CONSTRAINT TRIGGER tr_names_options_update AFTER UPDATE ON options
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pimento_shared_row_changed();
CREATE CONSTRAINT TRIGGER tr_names_option_values_update AFTER UPDATE ON option_values
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pimento_option_value_row_changed('any');
CREATE CONSTRAINT TRIGGER tr_names_option_values_insert AFTER INSERT ON option_values
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pimento_option_value_row_changed('shared');
CREATE CONSTRAINT TRIGGER tr_names_collections_update AFTER UPDATE ON collections
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pimento_shared_row_changed();
CREATE CONSTRAINT TRIGGER tr_names_collections_delete AFTER DELETE ON collections
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pimento_shared_row_changed();
CREATE CONSTRAINT TRIGGER tr_names_product_types_update AFTER UPDATE ON product_types
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pimento_shared_row_changed();
CREATE CONSTRAINT TRIGGER tr_names_product_types_delete AFTER DELETE ON product_types
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pimento_shared_row_changed();
CREATE CONSTRAINT TRIGGER tr_names_vendors_update AFTER UPDATE ON vendors
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pimento_shared_row_changed();
CREATE CONSTRAINT TRIGGER tr_names_vendors_delete AFTER DELETE ON vendors
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pimento_shared_row_changed();
CREATE CONSTRAINT TRIGGER tr_names_attributes_insert AFTER INSERT ON attributes
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pimento_shared_row_changed();
CREATE CONSTRAINT TRIGGER tr_names_attributes_update AFTER UPDATE ON attributes
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pimento_shared_row_changed();
CREATE CONSTRAINT TRIGGER tr_names_attributes_delete AFTER DELETE ON attributes
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pimento_shared_row_changed();
