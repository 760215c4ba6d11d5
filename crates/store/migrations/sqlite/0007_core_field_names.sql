-- Audit events name fields in the core's snake_case names (`default_variant_id`, not
-- `defaultVariantId`), as every API reads them; events recorded before are renamed here. Only
-- the field names at the top of `changes` are renamed (and the attribute ids inside a template's
-- attribute list): values, metadata and attribute keys stay as they were written.
UPDATE audit_events
SET changes = (
    SELECT json_group_object(
        CASE key
            WHEN 'defaultVariantId' THEN 'default_variant_id'
            WHEN 'categoryId' THEN 'category_id'
            WHEN 'brandId' THEN 'brand_id'
            WHEN 'templateId' THEN 'template_id'
            WHEN 'inventoryQuantity' THEN 'inventory_quantity'
            WHEN 'mediaAssetId' THEN 'media_asset_id'
            WHEN 'variantId' THEN 'variant_id'
            WHEN 'altText' THEN 'alt_text'
            WHEN 'publicUrl' THEN 'public_url'
            WHEN 'sourceUrl' THEN 'source_url'
            WHEN 'parentId' THEN 'parent_id'
            WHEN 'logoUrl' THEN 'logo_url'
            WHEN 'groupId' THEN 'group_id'
            WHEN 'attributeIds' THEN 'attribute_ids'
            ELSE key
        END,
        CASE
            WHEN key = 'attributes' AND audit_events.entity_type = 'template'
            THEN json(replace(value, '"attributeId":', '"attribute_id":'))
            ELSE json(value)
        END)
    FROM json_each(audit_events.changes)
)
WHERE EXISTS (SELECT 1 FROM json_each(audit_events.changes) WHERE key IN ('defaultVariantId', 'categoryId', 'brandId', 'templateId', 'inventoryQuantity', 'mediaAssetId', 'variantId', 'altText', 'publicUrl', 'sourceUrl', 'parentId', 'logoUrl', 'groupId', 'attributeIds'))
   OR (entity_type = 'template' AND changes LIKE '%"attributeId":%');
