//! Builds a realistic catalog fast, for benchmarks and demos: each product has three variants
//! (sizes S, M, L of one option), two media assets, a price and a description. Rows go in with
//! multi-row inserts, a few hundred products per transaction, and the planner's statistics are
//! refreshed at the end. Products are filed under a few categories and brands, typed with a
//! template whose required attribute one product in ten lacks (so the validation report has
//! work), and each product's creation is in the audit log.

use crate::Store;
use crate::catalog::numbers::{Numbered, take, take_one};
use crate::db::{Conn, Val, insert_rows};
use crate::error::StoreError;
use chrono::Utc;
use pimento_core::ids::{
    AttributeId, AuditEventId, BrandId, CategoryId, MediaAssetId, OptionId, OptionValueId, OrganizationId, ProductId,
    ProductMediaId, TemplateId, VariantId,
};
use pimento_core::options::combination_key;
use pimento_core::taxonomy::category_path;
use pimento_core::variant::with_check_digit;

const CHUNK: usize = 400;
const SIZES: [&str; 3] = ["S", "M", "L"];
const ADJECTIVES: [&str; 12] = [
    "Classic",
    "Organic",
    "Merino",
    "Recycled",
    "Lightweight",
    "Waterproof",
    "Vintage",
    "Slim",
    "Relaxed",
    "Heavyweight",
    "Linen",
    "Performance",
];
const NOUNS: [&str; 10] = [
    "Tee",
    "Hoodie",
    "Rain Jacket",
    "Chinos",
    "Sweater",
    "Cap",
    "Parka",
    "Polo",
    "Shorts",
    "Overshirt",
];
const COLORS: [&str; 8] = ["Black", "Navy", "Olive", "Sand", "White", "Rust", "Stone", "Forest"];
const ACTOR: &str = "seed";

/// What a seeding run made.
#[derive(Debug, Clone, Copy, Default)]
pub struct SeedReport {
    pub products: u64,
    pub variants: u64,
    pub media: u64,
}

async fn size_option(c: &mut Conn<'_>, org: OrganizationId) -> Result<(OptionId, Vec<OptionValueId>), StoreError> {
    let now = Utc::now();
    let existing = c
        .fetch_optional(
            "SELECT id FROM options WHERE organization_id = $1 AND product_id IS NULL AND lower(name) = 'size'",
            crate::args![org],
        )
        .await?;
    let option = match existing {
        Some(r) => r.id("id")?,
        None => {
            let id = OptionId::generate();
            c.execute(
                "INSERT INTO options (id, organization_id, name, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, 'Size', $3, $4, $3, $4)",
                crate::args![id, org, now, ACTOR],
            )
            .await?;
            id
        }
    };
    let mut ids = Vec::new();
    for (rank, size) in SIZES.iter().enumerate() {
        let found = c
            .fetch_optional(
                "SELECT id FROM option_values WHERE option_id = $1 AND lower(value) = lower($2)",
                crate::args![option, *size],
            )
            .await?;
        let id = match found {
            Some(r) => r.id("id")?,
            None => {
                let id = OptionValueId::generate();
                let number = take_one(c, org, Numbered::OptionValue).await?;
                c.execute(
                    "INSERT INTO option_values (id, option_id, value, rank, number) VALUES ($1, $2, $3, $4, $5)",
                    crate::args![id, option, *size, rank as i64, number],
                )
                .await?;
                id
            }
        };
        ids.push(id);
    }
    Ok((option, ids))
}

/// The taxonomy products are filed under: categories, brands, attributes and one template.
struct Taxonomy {
    categories: Vec<CategoryId>,
    brands: Vec<BrandId>,
    template: TemplateId,
}

async fn taxonomy(c: &mut Conn<'_>, org: OrganizationId, run: &str) -> Result<Taxonomy, StoreError> {
    let now = Utc::now();
    let mut categories = Vec::new();
    for noun in NOUNS {
        let id = CategoryId::generate();
        let slug = format!("{}-{run}", pimento_core::handle::slugify(noun));
        let number = take_one(c, org, Numbered::Category).await?;
        c.execute(
            "INSERT INTO categories (id, organization_id, parent_id, name, slug, description, path, depth, created_at, created_by, updated_at, updated_by, number) \
             VALUES ($1, $2, NULL, $3, $4, NULL, $5, 0, $6, $7, $6, $7, $8)",
            crate::args![id, org, noun, slug, category_path(None, id), now, ACTOR, number],
        )
        .await?;
        categories.push(id);
    }
    let mut brands = Vec::new();
    for name in ["Northwind", "Fabrikam", "Contoso", "Tailspin", "Litware"] {
        let id = BrandId::generate();
        c.execute(
            "INSERT INTO brands (id, organization_id, name, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $4, $5)",
            crate::args![id, org, format!("{name} {run}"), now, ACTOR],
        )
        .await?;
        brands.push(id);
    }
    let mut attributes = Vec::new();
    for (key, kind, options) in [
        ("color", "SELECT", Some(serde_json::json!(COLORS))),
        ("material", "TEXT", None),
    ] {
        let id = AttributeId::generate();
        let number = take_one(c, org, Numbered::Attribute).await?;
        c.execute(
            "INSERT INTO attributes (id, organization_id, key, name, type, options, created_at, created_by, updated_at, updated_by, number) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $7, $8, $9)",
            crate::args![id, org, format!("{key}-{run}"), key, kind, options, now, ACTOR, number],
        )
        .await?;
        attributes.push(id);
    }
    let template = TemplateId::generate();
    c.execute(
        "INSERT INTO templates (id, organization_id, name, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $4, $5)",
        crate::args![template, org, format!("Apparel {run}"), now, ACTOR],
    )
    .await?;
    for (rank, a) in attributes.iter().enumerate() {
        c.execute(
            "INSERT INTO template_attributes (template_id, attribute_id, required, rank) VALUES ($1, $2, $3, $4)",
            crate::args![template, *a, rank == 0, rank as i64],
        )
        .await?;
    }
    Ok(Taxonomy {
        categories,
        brands,
        template,
    })
}

impl Store {
    /// Adds `count` products to the organization; `progress` hears the running total.
    pub async fn seed(
        &self,
        org: OrganizationId,
        count: u64,
        progress: impl Fn(u64),
    ) -> Result<SeedReport, StoreError> {
        let run = &uuid::Uuid::now_v7().simple().to_string()[20..];
        let (option, values, tax) = {
            let mut tx = self.db.begin().await?;
            let ids = size_option(&mut tx.conn(), org).await?;
            let tax = taxonomy(&mut tx.conn(), org, run).await?;
            tx.commit().await?;
            (ids.0, ids.1, tax)
        };
        let mut report = SeedReport::default();
        let mut done = 0u64;
        while done < count {
            let n = (count - done).min(CHUNK as u64);
            let now = Utc::now();
            let (mut products, mut assigned, mut variants, mut picks, mut assets, mut links, mut events) = (
                Vec::new(),
                Vec::new(),
                Vec::new(),
                Vec::new(),
                Vec::new(),
                Vec::new(),
                Vec::new(),
            );
            for k in 0..n {
                let i = done + k;
                let id = ProductId::generate();
                let name = format!(
                    "{} {} {}",
                    ADJECTIVES[(i % 12) as usize],
                    COLORS[((i / 12) % 8) as usize],
                    NOUNS[((i / 96) % 10) as usize]
                );
                let handle = format!("seed-{run}-{i}");
                let first_variant = VariantId::generate();
                let color = COLORS[((i / 12) % 8) as usize];
                let attributes = if i.is_multiple_of(10) {
                    serde_json::json!({format!("material-{run}"): "Cotton"})
                } else {
                    serde_json::json!({format!("color-{run}"): color, format!("material-{run}"): "Cotton"})
                };
                events.push(crate::args![
                    AuditEventId::generate(),
                    org,
                    ACTOR,
                    "create",
                    "product",
                    id,
                    serde_json::json!({"name": {"before": null, "after": format!("{name} #{i}")}}),
                    now,
                ]);
                products.push(crate::args![
                    id,
                    org,
                    handle.clone(),
                    format!("{name} #{i}"),
                    format!("https://shop.example.com/products/{handle}"),
                    format!("{name}: a dependable everyday piece, cut for comfort and made to last. Machine washable."),
                    "active",
                    serde_json::json!({"season": if i.is_multiple_of(2) { "SS" } else { "FW" }, "batch": run}),
                    first_variant,
                    now,
                    ACTOR,
                    now,
                    ACTOR,
                    tax.categories[(i as usize / 96) % tax.categories.len()],
                    tax.brands[i as usize % tax.brands.len()],
                    tax.template,
                    attributes,
                ]);
                assigned.push(crate::args![id, option, 0_i64]);
                let base_price = 1_500 + (i % 100) as i64 * 50;
                for (s, value) in values.iter().enumerate() {
                    let vid = if s == 0 { first_variant } else { VariantId::generate() };
                    let key = combination_key(&[(option, *value)], true);
                    variants.push(crate::args![
                        vid,
                        org,
                        id,
                        SIZES[s],
                        format!("SEED-{run}-{i}-{}", SIZES[s]),
                        with_check_digit(&format!("{:012}", 200_000_000_000_i64 + (i as i64) * 3 + s as i64)),
                        base_price + s as i64 * 200,
                        "USD",
                        (i % 50) as i64,
                        s as i64,
                        key,
                        now,
                        ACTOR,
                        now,
                        ACTOR,
                    ]);
                    picks.push(crate::args![vid, option, *value]);
                }
                for m in 0..2_i64 {
                    let aid = MediaAssetId::generate();
                    let url = format!("https://cdn.example.com/{handle}/{m}.jpg");
                    assets.push(crate::args![
                        aid,
                        org,
                        format!("{m}.jpg"),
                        format!("{name}, view {}", m + 1),
                        url.clone(),
                        url,
                        now,
                        ACTOR,
                        now,
                        ACTOR,
                    ]);
                    links.push(crate::args![
                        ProductMediaId::generate(),
                        org,
                        id,
                        aid,
                        m,
                        "gallery",
                        now
                    ]);
                }
            }
            report.products += n;
            report.variants += variants.len() as u64;
            report.media += links.len() as u64;
            let mut tx = self.db.begin().await?;
            let mut c = tx.conn();
            let numbers = take(&mut c, org, Numbered::Product, products.len()).await?;
            for (row, number) in products.iter_mut().zip(numbers) {
                row.push(Val::from(number));
            }
            insert_rows(&mut c, "INSERT INTO products (id, organization_id, handle, name, url, description, status, metadata, default_variant_id, created_at, created_by, updated_at, updated_by, category_id, brand_id, template_id, attributes, number)", 18, products).await?;
            insert_rows(
                &mut c,
                "INSERT INTO product_options (product_id, option_id, rank)",
                3,
                assigned,
            )
            .await?;
            insert_rows(&mut c, "INSERT INTO variants (id, organization_id, product_id, title, sku, barcode, price_minor, currency, inventory_quantity, rank, options_key, created_at, created_by, updated_at, updated_by)", 15, variants).await?;
            insert_rows(
                &mut c,
                "INSERT INTO variant_option_values (variant_id, option_id, value_id)",
                3,
                picks,
            )
            .await?;
            insert_rows(&mut c, "INSERT INTO media_assets (id, organization_id, name, alt_text, public_url, source_url, created_at, created_by, updated_at, updated_by)", 10, assets).await?;
            insert_rows(&mut c, "INSERT INTO product_media (id, organization_id, product_id, media_asset_id, position, purpose, created_at)", 7, links).await?;
            insert_rows(&mut c, "INSERT INTO audit_events (id, organization_id, actor, action, entity_type, entity_id, changes, created_at)", 8, events).await?;
            tx.commit().await?;
            done += n;
            progress(done);
        }
        self.db.analyze().await?;
        Ok(report)
    }
}
