//! Variant options of the organization, and their assignment to products.

use super::numbers::{self, Numbered};
use super::products::{assign, known_options, readable_product};
use super::write::touch_product;
use crate::Store;
use crate::audit;
use crate::db::{Conn, Val, insert_rows, placeholders};
use crate::error::StoreError;
use crate::load;
use crate::page::{MAX_LIMIT, Page};
use chrono::Utc;
use pimento_core::audit::{Action, Change};
use pimento_core::auth::Ctx;
use pimento_core::ids::{OptionId, OptionValueId, ProductId, VariantId};
use pimento_core::options::{OptionInput, OptionPatch, VariantOption, ensure_unused};
use pimento_core::product::check_option_ids;
use pimento_core::version::{self, Precondition};
use pimento_core::{CoreError, Entity};
use serde_json::json;

fn snapshot(o: &VariantOption) -> serde_json::Value {
    json!({"name": o.name, "values": o.values.iter().map(|v| v.value.clone()).collect::<Vec<_>>()})
}

async fn one(c: &mut Conn<'_>, ctx: &Ctx, id: OptionId) -> Result<VariantOption, StoreError> {
    find(c, ctx, id, "").await
}

async fn find(c: &mut Conn<'_>, ctx: &Ctx, id: OptionId, lock: &str) -> Result<VariantOption, StoreError> {
    load::options_where(
        c,
        "",
        &format!("WHERE o.organization_id = $1 AND o.id = $2{lock}"),
        crate::args![ctx.org(), id],
    )
    .await?
    .into_iter()
    .next()
    .ok_or_else(|| CoreError::NotFound(Entity::VariantOption).into())
}

/// The option a write changes, locked as it is read ([`super::guard::for_update`]), once it
/// meets `pre`.
async fn to_change(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    id: OptionId,
    pre: Option<&Precondition>,
) -> Result<VariantOption, StoreError> {
    let lock = super::guard::for_update(c);
    let found = find(c, ctx, id, lock).await?;
    version::check(pre, Entity::VariantOption, found.version)?;
    Ok(found)
}

async fn insert_values(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    option: OptionId,
    values: &[(usize, &String)],
) -> Result<(), StoreError> {
    let numbers = numbers::take(c, ctx.org(), Numbered::OptionValue, values.len()).await?;
    let rows = values
        .iter()
        .zip(numbers)
        .map(|((rank, v), number)| crate::args![OptionValueId::generate(), option, (*v).clone(), *rank as i64, number])
        .collect();
    insert_rows(
        c,
        "INSERT INTO option_values (id, option_id, value, rank, number)",
        5,
        rows,
    )
    .await
}

/// Adds the values an option does not have yet (ignoring case) after its last one, and records
/// the change.
pub(super) async fn add_missing_values(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    option: OptionId,
    values: &[String],
) -> Result<(), StoreError> {
    if values.is_empty() {
        return Ok(());
    }
    let before = one(c, ctx, option).await?;
    let next = before.values.iter().map(|v| v.rank + 1).max().unwrap_or(0);
    let mut missing: Vec<&String> = Vec::new();
    for v in values {
        let lower = v.to_lowercase();
        if !before.values.iter().any(|x| x.value.to_lowercase() == lower)
            && !missing.iter().any(|m| m.to_lowercase() == lower)
        {
            missing.push(v);
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let ranked: Vec<(usize, &String)> = missing
        .into_iter()
        .enumerate()
        .map(|(i, v)| (next as usize + i, v))
        .collect();
    insert_values(c, ctx, option, &ranked).await?;
    let after = one(c, ctx, option).await?;
    audit::record(
        c,
        ctx,
        vec![Change::new(
            Entity::VariantOption,
            option.0,
            Action::Update,
            &snapshot(&before),
            &snapshot(&after),
        )],
    )
    .await
}

/// Variants of the organization that use any of the given option values.
async fn variants_using(c: &mut Conn<'_>, tail: &str, args: Vec<Val>) -> Result<Vec<VariantId>, StoreError> {
    let sql = format!(
        "SELECT DISTINCT vov.variant_id FROM variant_option_values vov JOIN variants v ON v.id = vov.variant_id {tail}"
    );
    c.fetch_all(sql, args)
        .await?
        .iter()
        .map(|r| r.id("variant_id"))
        .collect()
}

/// Creates a VariantOption inside the caller's transaction.
pub(super) async fn insert_option(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    input: OptionInput,
) -> Result<VariantOption, StoreError> {
    let o = input.validate()?;
    let id = OptionId::generate();
    let now = Utc::now();
    c.execute(
        "INSERT INTO options (id, organization_id, name, created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $4, $5)",
        crate::args![id, ctx.org(), o.name.clone(), now, ctx.actor()],
    )
    .await?;
    insert_values(c, ctx, id, &o.values.iter().enumerate().collect::<Vec<_>>()).await?;
    let created = one(c, ctx, id).await?;
    audit::record(
        c,
        ctx,
        vec![Change::created(Entity::VariantOption, id.0, snapshot(&created))],
    )
    .await?;
    Ok(created)
}

/// Which options a page holds (see [`Store::page_options`]).
#[derive(Debug, Clone, Default)]
pub struct OptionQuery {
    pub ids: Option<Vec<OptionId>>,
    /// Exact names.
    pub names: Option<Vec<String>>,
    /// Text the name contains, ignoring case.
    pub contains: Option<String>,
    /// Only products' own options (`true`), only shared ones (`false`), or both.
    pub own: Option<bool>,
    pub limit: u32,
    pub offset: u64,
}

impl Store {
    /// Creates an option with its values.
    pub async fn create_option(&self, ctx: &Ctx, input: OptionInput) -> Result<VariantOption, StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let created = insert_option(&mut tx.conn(), ctx, input).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// A page of the organization's options, in creation order.
    pub async fn list_options(
        &self,
        ctx: &Ctx,
        limit: u32,
        after: Option<OptionId>,
    ) -> Result<Page<VariantOption>, StoreError> {
        // Option definitions are not product data: storefront keys see them only through products.
        ctx.principal.require_secret()?;
        let limit = limit.clamp(1, MAX_LIMIT);
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        let items = load::options_where(
            &mut c,
            "",
            // A product's own options are listed with it, not here.
            "WHERE o.organization_id = $1 AND o.product_id IS NULL AND o.id > $2 ORDER BY o.id LIMIT $3",
            crate::args![ctx.org(), after.map(|a| a.0).unwrap_or_default(), i64::from(limit) + 1],
        )
        .await?;
        Ok(Page::from_overfetch(items, limit, |o| o.id.to_string(), None))
    }

    /// A page of the organization's options by offset, counted: those `q` selects.
    pub async fn page_options(&self, ctx: &Ctx, q: &OptionQuery) -> Result<Page<VariantOption>, StoreError> {
        ctx.principal.require_secret()?;
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        let mut args = crate::args![ctx.org()];
        let mut filter = String::from("WHERE o.organization_id = $1");
        match q.own {
            Some(true) => filter.push_str(" AND o.product_id IS NOT NULL"),
            Some(false) => filter.push_str(" AND o.product_id IS NULL"),
            None => {}
        }
        if let Some(ids) = &q.ids {
            if ids.is_empty() {
                filter.push_str(" AND 1 = 0");
            } else {
                filter.push_str(&format!(" AND o.id IN ({})", placeholders(args.len() + 1, ids.len())));
                args.extend(ids.iter().map(|id| Val::from(*id)));
            }
        }
        if let Some(names) = &q.names {
            if names.is_empty() {
                filter.push_str(" AND 1 = 0");
            } else {
                filter.push_str(&format!(
                    " AND o.name IN ({})",
                    placeholders(args.len() + 1, names.len())
                ));
                args.extend(names.iter().map(|n| Val::from(n.as_str())));
            }
        }
        if let Some(text) = q.contains.as_deref().filter(|t| !t.is_empty()) {
            filter.push_str(&format!(
                " AND lower(o.name) LIKE lower(${}) ESCAPE '\\'",
                args.len() + 1
            ));
            args.push(Val::from(crate::db::like_pattern(text)));
        }
        let total: i64 = c
            .fetch_one(format!("SELECT COUNT(*) AS n FROM options o {filter}"), args.clone())
            .await?
            .get("n")?;
        let n = args.len();
        args.push(Val::from(i64::from(q.limit.clamp(1, MAX_LIMIT))));
        args.push(Val::from(i64::try_from(q.offset).unwrap_or(i64::MAX)));
        let items = load::options_where(
            &mut c,
            "",
            &format!("{filter} ORDER BY o.id LIMIT ${} OFFSET ${}", n + 1, n + 2),
            args,
        )
        .await?;
        Ok(Page {
            items,
            next_cursor: None,
            total: Some(total),
        })
    }

    /// One option with its values.
    pub async fn get_option(&self, ctx: &Ctx, id: OptionId) -> Result<VariantOption, StoreError> {
        ctx.principal.require_secret()?;
        let mut pc = self.db.acquire().await?;
        one(&mut pc.conn(), ctx, id).await
    }

    /// Renames an option and/or replaces its list of values, when it meets `pre`. Values keep
    /// their ids when their text is kept; a value a variant uses cannot be removed.
    pub async fn update_option(
        &self,
        ctx: &Ctx,
        id: OptionId,
        pre: Option<&Precondition>,
        patch: OptionPatch,
    ) -> Result<VariantOption, StoreError> {
        ctx.principal.require_secret()?;
        let patch = patch.validate()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let before = to_change(&mut c, ctx, id, pre).await?;
        if let Some(name) = &patch.name {
            c.execute(
                "UPDATE options SET name = $1 WHERE organization_id = $2 AND id = $3",
                crate::args![name.clone(), ctx.org(), id],
            )
            .await?;
        }
        if let Some(values) = &patch.values {
            let removed: Vec<OptionValueId> = before
                .values
                .iter()
                .filter(|v| !values.iter().any(|n| n.eq_ignore_ascii_case(&v.value)))
                .map(|v| v.id)
                .collect();
            if !removed.is_empty() {
                let mut args = crate::args![ctx.org()];
                args.extend(removed.iter().map(|r| Val::from(*r)));
                let tail = format!(
                    "WHERE v.organization_id = $1 AND vov.value_id IN ({})",
                    crate::db::placeholders(2, removed.len())
                );
                ensure_unused(&variants_using(&mut c, &tail, args).await?)?;
                for r in &removed {
                    c.execute("DELETE FROM option_values WHERE id = $1", crate::args![*r])
                        .await?;
                }
            }
            let mut fresh = Vec::new();
            for (rank, value) in values.iter().enumerate() {
                match before.values.iter().find(|v| v.value.eq_ignore_ascii_case(value)) {
                    Some(v) => {
                        c.execute(
                            "UPDATE option_values SET value = $1, rank = $2 WHERE id = $3",
                            crate::args![value.clone(), rank as i64, v.id],
                        )
                        .await?;
                    }
                    None => fresh.push((rank, value)),
                }
            }
            insert_values(&mut c, ctx, id, &fresh).await?;
        }
        c.execute(
            "UPDATE options SET updated_at = $1, updated_by = $2, version = version + 1 WHERE id = $3",
            crate::args![Utc::now(), ctx.actor(), id],
        )
        .await?;
        let after = one(&mut c, ctx, id).await?;
        audit::record(
            &mut c,
            ctx,
            vec![Change::new(
                Entity::VariantOption,
                id.0,
                Action::Update,
                &snapshot(&before),
                &snapshot(&after),
            )],
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes an option no variant uses, when it meets `pre`; products it was assigned to lose
    /// it.
    pub async fn delete_option(&self, ctx: &Ctx, id: OptionId, pre: Option<&Precondition>) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        let before = to_change(&mut c, ctx, id, pre).await?;
        ensure_unused(
            &variants_using(
                &mut c,
                "WHERE v.organization_id = $1 AND vov.option_id = $2",
                crate::args![ctx.org(), id],
            )
            .await?,
        )?;
        c.execute(
            "DELETE FROM options WHERE organization_id = $1 AND id = $2",
            crate::args![ctx.org(), id],
        )
        .await?;
        audit::record(
            &mut c,
            ctx,
            vec![Change::deleted(Entity::VariantOption, id.0, &snapshot(&before))],
        )
        .await?;
        tx.commit().await
    }

    /// The options assigned to a product, in order.
    pub async fn product_options(&self, ctx: &Ctx, product: ProductId) -> Result<Vec<VariantOption>, StoreError> {
        let mut pc = self.db.acquire().await?;
        let mut c = pc.conn();
        readable_product(&mut c, ctx, product).await?;
        load::assigned_options(&mut c, ctx.org(), product).await
    }

    /// The options assigned to each of several products (those not the organization's have
    /// none).
    pub async fn options_of_products(
        &self,
        ctx: &Ctx,
        products: &[ProductId],
    ) -> Result<std::collections::HashMap<ProductId, Vec<VariantOption>>, StoreError> {
        let mut pc = self.db.acquire().await?;
        load::assigned_options_of(&mut pc.conn(), ctx.org(), products).await
    }

    /// Assigns options to a product (those already assigned stay), when the product meets
    /// `pre`; returns all assigned.
    pub async fn assign_options(
        &self,
        ctx: &Ctx,
        product: ProductId,
        pre: Option<&Precondition>,
        ids: Vec<OptionId>,
    ) -> Result<Vec<VariantOption>, StoreError> {
        ctx.principal.require_secret()?;
        check_option_ids(&ids)?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        super::guard::product_version(&mut c, ctx, product, pre).await?;
        touch_product(&mut c, ctx, product).await?;
        let current = load::assigned_options(&mut c, ctx.org(), product).await?;
        let new_ids: Vec<OptionId> = ids
            .into_iter()
            .filter(|i| !current.iter().any(|o| o.id == *i))
            .collect();
        let mut all: Vec<OptionId> = current.iter().map(|o| o.id).collect();
        all.extend(&new_ids);
        check_option_ids(&all)?;
        known_options(&mut c, ctx, &new_ids).await?;
        assign(&mut c, product, &new_ids).await?;
        let after = load::assigned_options(&mut c, ctx.org(), product).await?;
        if !new_ids.is_empty() {
            let names =
                |os: &[VariantOption]| json!({"options": os.iter().map(|o| o.name.clone()).collect::<Vec<_>>()});
            audit::record(
                &mut c,
                ctx,
                vec![Change::new(
                    Entity::Product,
                    product.0,
                    Action::Update,
                    &names(&current),
                    &names(&after),
                )],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(after)
    }

    /// Removes an option from a product, when the product meets `pre`; refused while a
    /// variant of the product uses it.
    pub async fn unassign_option(
        &self,
        ctx: &Ctx,
        product: ProductId,
        pre: Option<&Precondition>,
        option: OptionId,
    ) -> Result<(), StoreError> {
        ctx.principal.require_secret()?;
        let mut tx = self.db.begin().await?;
        let mut c = tx.conn();
        super::guard::product_version(&mut c, ctx, product, pre).await?;
        touch_product(&mut c, ctx, product).await?;
        let current = load::assigned_options(&mut c, ctx.org(), product).await?;
        let Some(removed) = current.iter().find(|o| o.id == option) else {
            return Err(CoreError::NotFound(Entity::VariantOption).into());
        };
        ensure_unused(
            &variants_using(
                &mut c,
                "WHERE v.organization_id = $1 AND v.product_id = $2 AND vov.option_id = $3",
                crate::args![ctx.org(), product, option],
            )
            .await?,
        )?;
        c.execute(
            "DELETE FROM product_options WHERE product_id = $1 AND option_id = $2",
            crate::args![product, option],
        )
        .await?;
        let before = json!({"options": current.iter().map(|o| o.name.clone()).collect::<Vec<_>>()});
        let after = json!({"options": current.iter().filter(|o| o.id != removed.id).map(|o| o.name.clone()).collect::<Vec<_>>()});
        audit::record(
            &mut c,
            ctx,
            vec![Change::new(Entity::Product, product.0, Action::Update, &before, &after)],
        )
        .await?;
        tx.commit().await
    }
}
