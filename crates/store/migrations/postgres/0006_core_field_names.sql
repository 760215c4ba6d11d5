-- Audit events name fields in the core's snake_case names (`default_variant_id`, not
-- `defaultVariantId`), as every API reads them; events recorded before are renamed here. Only
-- the field names at the top of `changes` are renamed (and the attribute ids inside a template's
-- attribute list): values, metadata and attribute keys stay as they were written.
UPDATE audit_events a
SET changes = (
    SELECT jsonb_object_agg(
        CASE e.key
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
            ELSE e.key
        END,
        CASE
            WHEN e.key = 'attributes' AND a.entity_type = 'template'
            THEN replace(e.value::text, '"attributeId":', '"attribute_id":')::jsonb
            ELSE e.value
        END)
    FROM jsonb_each(a.changes) AS e
)
WHERE a.changes ?| ARRAY['defaultVariantId', 'categoryId', 'brandId', 'templateId', 'inventoryQuantity', 'mediaAssetId', 'variantId', 'altText', 'publicUrl', 'sourceUrl', 'parentId', 'logoUrl', 'groupId', 'attributeIds']
   OR (a.entity_type = 'template' AND a.changes ? 'attributes');
