//! The product query in SQL: the one place a [`ProductQuery`] becomes statements. Every list
//! of every API and bulk-job selection run through here.

use crate::db::{Backend, Conn, Row, Val, placeholders};
use crate::error::StoreError;
use crate::load::ProductRow;
use crate::page::MAX_LIMIT;
use crate::rows;
use chrono::DateTime;
use pimento_core::CoreError;
use pimento_core::auth::Ctx;
use pimento_core::ids::ProductId;
use pimento_core::product::ProductStatus;
use pimento_core::query::{
    Archived, AttributeCondition, CountMode, Cursor, NO_PRICE, Paging, ProductFilter, ProductQuery, Range, Sort,
    SortKey, SortValue, TextField, search_terms, time_nanos,
};
use pimento_core::taxonomy::CategoryRef;

/// A `WHERE` clause over `products p` and its bound values, placeholders numbered from `$1`.
pub(crate) struct Where {
    pub sql: String,
    pub args: Vec<Val>,
    /// A search on SQLite for a page in creation order: the page is read from the index in
    /// its rowid order (see [`run`]).
    walk: Option<Walk>,
}

/// A full-text search that a page can walk: the bound search text and the condition the
/// walk replaces.
struct Walk {
    text_at: String,
    cond: String,
}

impl Where {
    fn push(&mut self, v: impl Into<Val>) -> String {
        self.args.push(v.into());
        format!("${}", self.args.len())
    }

    fn and(&mut self, cond: &str) {
        self.sql.push_str(" AND ");
        self.sql.push_str(cond);
    }

    /// `col` is one of `values`.
    fn any_of(&mut self, col: &str, values: impl Iterator<Item = Val>) {
        let start = self.args.len() + 1;
        self.args.extend(values);
        let n = self.args.len() + 1 - start;
        self.and(&in_list(col, start, n));
    }

    /// `expr` within the range's bounds.
    fn within<T: Into<Val>>(&mut self, expr: &str, range: Range<T>) {
        if let Some(min) = range.min {
            let at = self.push(min);
            self.and(&format!("{expr} >= {at}"));
        }
        if let Some(max) = range.max {
            let at = self.push(max);
            self.and(&format!("{expr} <= {at}"));
        }
    }
}

/// The conditions of a filter, for the caller's organization. An id or slug the organization
/// does not have selects nothing.
pub(crate) async fn filter(c: &mut Conn<'_>, ctx: &Ctx, f: &ProductFilter) -> Result<Where, StoreError> {
    filter_for(c, ctx, f, false).await
}

/// [`filter`], for a page that can walk the search index in its order when `walkable`.
async fn filter_for(c: &mut Conn<'_>, ctx: &Ctx, f: &ProductFilter, walkable: bool) -> Result<Where, StoreError> {
    let pg = c.backend() == Backend::Postgres;
    let mut w = Where {
        sql: "p.organization_id = $1".to_owned(),
        args: crate::args![ctx.org()],
        walk: None,
    };
    match f.archived {
        Archived::Exclude => w.and("p.archived_at IS NULL"),
        Archived::Include => {}
        Archived::Only => w.and("p.archived_at IS NOT NULL"),
    }
    if let Some(ids) = &f.ids {
        let start = w.args.len() + 1;
        w.args.extend(ids.iter().map(|id| Val::from(*id)));
        w.and(&in_list("p.id", start, ids.len()));
    }
    if let Some(handles) = &f.handles {
        let start = w.args.len() + 1;
        w.args.extend(handles.iter().map(|h| Val::from(h.as_str())));
        w.and(&in_list("p.handle", start, handles.len()));
    }
    if let Some(names) = &f.names {
        let start = w.args.len() + 1;
        w.args.extend(names.iter().map(|n| Val::from(n.as_str())));
        w.and(&in_list("p.name", start, names.len()));
    }
    if let Some(statuses) = &f.statuses {
        let start = w.args.len() + 1;
        w.args.extend(statuses.iter().map(|s| Val::Static(s.as_str())));
        w.and(&in_list("p.status", start, statuses.len()));
    }
    if let Some(r) = &f.category {
        // Named in the statement itself: a category the organization does not have selects
        // nothing, as an unknown brand or product id does, and costs no lookup first.
        match (r, f.category_subtree) {
            (CategoryRef::Id(id), false) => {
                let at = w.push(*id);
                w.and(&format!("p.category_id = {at}"));
            }
            (r, subtree) => {
                let named = match r {
                    CategoryRef::Id(id) => format!("c.id = {}", w.push(*id)),
                    CategoryRef::Slug(slug) => format!("c.slug = {}", w.push(slug.as_str())),
                };
                w.and(&if subtree {
                    // The category's path range holds its whole subtree (see categories.rs).
                    format!(
                        "p.category_id IN (SELECT d.id FROM categories c JOIN categories d \
                         ON d.organization_id = c.organization_id AND d.path >= c.path \
                         AND d.path < substr(c.path, 1, length(c.path) - 1) || '0' \
                         WHERE c.organization_id = $1 AND {named})"
                    )
                } else {
                    format!("p.category_id = (SELECT c.id FROM categories c WHERE c.organization_id = $1 AND {named})")
                });
            }
        }
    }
    if let Some(brands) = &f.brand_ids {
        w.any_of("p.brand_id", brands.iter().map(|b| Val::from(*b)));
    }
    if let Some(vendors) = &f.vendor_ids {
        w.any_of("p.vendor_id", vendors.iter().map(|v| Val::from(*v)));
    }
    if let Some(collections) = &f.collection_ids {
        w.any_of("p.collection_id", collections.iter().map(|c| Val::from(*c)));
    }
    if let Some(types) = &f.type_ids {
        w.any_of("p.type_id", types.iter().map(|t| Val::from(*t)));
    }
    if let Some(tags) = &f.tag_ids {
        let start = w.args.len() + 1;
        w.args.extend(tags.iter().map(|t| Val::from(*t)));
        let list = in_list("pt.tag_id", start, tags.len());
        w.and(&any_row(
            pg,
            &format!("product_tags pt WHERE pt.product_id = p.id AND {list}"),
        ));
    }
    if let Some(x) = &f.external {
        let source = w.push(x.source.as_str());
        let mut cond = format!(
            "r.organization_id = p.organization_id AND r.entity_type = 'product' AND r.entity_id = p.id \
             AND r.sync_source = {source}"
        );
        if let Some(id) = &x.id {
            cond.push_str(&format!(" AND r.sync_source_id = {}", w.push(id.as_str())));
        }
        w.and(&any_row(pg, &format!("external_refs r WHERE {cond}")));
    }
    for m in &f.attributes {
        let key = w.push(m.key.as_str());
        match &m.condition {
            // JSON compared with JSON: a string, a boolean or a number, as stored.
            AttributeCondition::Equals(v) => {
                let want = w.push(v.to_string());
                w.and(&if pg {
                    format!("p.attributes -> {key} = CAST({want} AS JSONB)")
                } else {
                    format!("p.attributes -> {key} = json({want})")
                });
            }
            AttributeCondition::Between(r) => {
                let number = if pg {
                    format!(
                        "(CASE WHEN jsonb_typeof(p.attributes -> {key}) = 'number' \
                         THEN CAST(p.attributes ->> {key} AS DOUBLE PRECISION) END)"
                    )
                } else {
                    format!(
                        "(CASE WHEN json_type(p.attributes, '$.' || {key}) IN ('integer', 'real') THEN p.attributes ->> {key} END)"
                    )
                };
                // A number, even with no bounds given.
                w.and(&format!("{number} IS NOT NULL"));
                w.within(&number, *r);
            }
        }
    }
    for m in &f.extensions {
        // A JSON string equal to the value: the databases write other JSON values as text
        // differently (`true` is `1` on SQLite), so only strings match, on both.
        let (owner, key, value) = (
            w.push(m.owner.as_ref()),
            w.push(m.key.as_ref()),
            w.push(m.value.as_str()),
        );
        let field = if pg {
            format!("p.extensions -> {owner} -> {key}")
        } else {
            format!("(p.extensions -> {owner}) -> {key}")
        };
        let equal = if pg {
            format!("{field} = to_jsonb(CAST({value} AS TEXT))")
        } else {
            format!("{field} = json_quote({value})")
        };
        w.and(&if m.or_absent {
            format!("({equal} OR {field} IS NULL)")
        } else {
            equal
        });
    }
    for (range, column) in [(f.price, "v.price_minor"), (f.list_price, "v.list_price_minor")] {
        let Some(range) = range else { continue };
        let mut cond = format!("v.product_id = p.id AND v.currency = {}", w.push(range.currency.code()));
        if let Some(min) = range.min {
            cond.push_str(&format!(" AND {column} >= {}", w.push(min)));
        }
        if let Some(max) = range.max {
            cond.push_str(&format!(" AND {column} <= {}", w.push(max)));
        }
        if range.min.is_none() && range.max.is_none() {
            cond.push_str(&format!(" AND {column} IS NOT NULL"));
        }
        w.and(&any_row(pg, &format!("variants v WHERE {cond}")));
    }
    if let Some(range) = f.stock {
        w.within(&sort_expr(SortKey::Stock, pg), range);
    }
    w.within("p.created_at", f.created);
    w.within("p.updated_at", f.updated);
    for (field, text) in &f.contains {
        let at = w.push(crate::db::like_pattern(text));
        let like = |col: &str| format!("lower({col}) LIKE lower({at}) ESCAPE '\\'");
        w.and(&match field {
            TextField::Name => like("p.name"),
            TextField::Description => like("p.description"),
            TextField::ShortDescription => like("p.short_description"),
            TextField::MetaKeywords => like("p.meta_keywords"),
            TextField::Handle => like("p.handle"),
            TextField::Sku => any_row(
                pg,
                &format!("variants v WHERE v.product_id = p.id AND {}", like("v.sku")),
            ),
        });
    }
    if let Some(any) = &f.contains_any {
        let at = w.push(crate::db::like_pattern(&any.text));
        let like = |col: &str| format!("lower({col}) LIKE lower({at}) ESCAPE '\\'");
        let conds: Vec<String> = any
            .fields
            .iter()
            .map(|field| match field {
                TextField::Name => like("p.name"),
                TextField::Description => like("p.description"),
                TextField::ShortDescription => like("p.short_description"),
                TextField::MetaKeywords => like("p.meta_keywords"),
                TextField::Handle => like("p.handle"),
                TextField::Sku => any_row(
                    pg,
                    &format!("variants v WHERE v.product_id = p.id AND {}", like("v.sku")),
                ),
            })
            .collect();
        if conds.is_empty() {
            w.and("1 = 0");
        } else {
            w.and(&format!("({})", conds.join(" OR ")));
        }
    }
    if let Some(q) = &f.search {
        let terms = search_terms(q);
        if !terms.is_empty() {
            search(c, ctx, &mut w, &terms, walkable).await?;
        }
    }
    Ok(w)
}

/// The condition of a full-text search, each term a word prefix built from letters and digits
/// only: never query syntax.
///
/// A search few products match starts from the index and finds its products by key; one that
/// many match walks the products in the list's order and checks each against the set of
/// matches, which stops at the page's end. The other way round, 83,000 matches took 1.5 s a
/// page at 1,000,000 products (SQLite), and 110 matches walked a million products (PostgreSQL's
/// planner cannot tell a prefix's matches). Asking the index about each product by rowid
/// instead was slower still (SQLite).
///
/// On SQLite, a page in creation order (`walkable`) reads the index itself in rowid order,
/// which is the id order, and looks each match up by its `seq` until the page is full (see
/// [`run`]): as cheap for 83,000 matches as for 110, with no count first.
async fn search(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    w: &mut Where,
    terms: &[String],
    walkable: bool,
) -> Result<(), StoreError> {
    let (query, matches) = if c.backend() == Backend::Postgres {
        let query = terms.iter().map(|t| format!("{t}:*")).collect::<Vec<_>>().join(" & ");
        let matches = "SELECT s.product_id FROM product_search s WHERE s.organization_id = $1 \
                       AND s.document @@ to_tsquery('simple', $2)";
        (query, matches)
    } else {
        let query = terms.iter().map(|t| format!("\"{t}\"*")).collect::<Vec<_>>().join(" ");
        // `$1` is unused here, so that both databases bind the same values.
        let matches = "SELECT rowid FROM product_search WHERE product_search MATCH $2 AND $1 IS NOT NULL";
        (query, matches)
    };
    let few = ways().few;
    let walk = walkable && c.backend() == Backend::Sqlite;
    let n = if walk {
        // The page walks the index, however many match: nothing to decide.
        few
    } else {
        let sql = format!("SELECT COUNT(*) AS n FROM ({matches} LIMIT {few}) m");
        c.fetch_one(sql, crate::args![ctx.org(), query.as_str()])
            .await?
            .get::<i64>("n")?
    };
    let at = w.push(query);
    let matches = matches.replace("$2", &at);
    let cond = match (c.backend(), n < few) {
        // Evaluated once, first, then a key lookup a match.
        (Backend::Postgres, true) => format!("p.id = ANY(ARRAY({matches}))"),
        (Backend::Postgres, false) => format!("p.id IN ({matches})"),
        (Backend::Sqlite, true) => format!("p.seq IN ({matches})"),
        // `+` keeps SQLite from finding the products by `seq`.
        (Backend::Sqlite, false) => format!("+p.seq IN ({matches})"),
    };
    w.and(&cond);
    if walk {
        w.walk = Some(Walk { text_at: at, cond });
    }
    Ok(())
}

/// Up to this many matches, a search starts from the index (see [`search`]).
const FEW_MATCHES: i64 = 2_000;

/// How searches are read: up to how many matches one starts from the index, and whether a
/// page in creation order walks it. Tests take each way for the same search.
#[derive(Debug, Clone, Copy)]
struct Ways {
    few: i64,
    walk: bool,
}

const WAYS: Ways = Ways {
    few: FEW_MATCHES,
    walk: true,
};

#[cfg(not(test))]
fn ways() -> Ways {
    WAYS
}

#[cfg(test)]
thread_local! {
    static TEST_WAYS: std::cell::Cell<Ways> = const { std::cell::Cell::new(WAYS) };
}

#[cfg(test)]
fn ways() -> Ways {
    TEST_WAYS.with(std::cell::Cell::get)
}

/// Whether `from_where` (`table alias WHERE …`, correlated to `p`) finds a row. On SQLite not
/// written as `EXISTS`: SQLite turns an `EXISTS` into a join inside the id subquery of an
/// offset page that also names ids, and a product with two matching rows then comes back
/// twice, its `OFFSET` counting both (found by the model test). A scalar subquery stops at the
/// first row just the same. PostgreSQL keeps `EXISTS`, which it can plan as a semi-join.
fn any_row(pg: bool, from_where: &str) -> String {
    if pg {
        format!("EXISTS (SELECT 1 FROM {from_where})")
    } else {
        format!("(SELECT 1 FROM {from_where} LIMIT 1) IS NOT NULL")
    }
}

fn in_list(col: &str, start: usize, n: usize) -> String {
    if n == 0 {
        // An empty list selects nothing.
        return "1 = 0".to_owned();
    }
    format!("{col} IN ({})", placeholders(start, n))
}

/// The expression a sort orders by. Text is compared byte by byte on both databases; a
/// product's price, stock and SKU come from its variants, never NULL.
fn sort_expr(key: SortKey, pg: bool) -> String {
    let c = if pg { " COLLATE \"C\"" } else { "" };
    match key {
        SortKey::Created => "p.id".to_owned(),
        SortKey::Updated => "p.updated_at".to_owned(),
        SortKey::Name => format!("p.name{c}"),
        SortKey::Handle => format!("p.handle{c}"),
        SortKey::Status => format!("p.status{c}"),
        SortKey::Price => {
            format!("COALESCE((SELECT MIN(v.price_minor) FROM variants v WHERE v.product_id = p.id), {NO_PRICE})")
        }
        SortKey::Stock => {
            "CAST(COALESCE((SELECT SUM(v.inventory_quantity) FROM variants v WHERE v.product_id = p.id), 0) AS BIGINT)"
                .to_owned()
        }
        SortKey::Sku => format!("COALESCE((SELECT MIN(v.sku{c}) FROM variants v WHERE v.product_id = p.id), '')"),
        SortKey::ListPrice => {
            format!("COALESCE((SELECT MIN(v.list_price_minor) FROM variants v WHERE v.product_id = p.id), {NO_PRICE})")
        }
    }
}

/// The bound form of a cursor's sort value.
fn sort_val(key: SortKey, v: &SortValue) -> Result<Val, StoreError> {
    Ok(match (key, v) {
        (SortKey::Updated, SortValue::Int(nanos)) => Val::from(DateTime::from_timestamp_nanos(*nanos)),
        (_, SortValue::Int(i)) => Val::from(*i),
        (_, SortValue::Text(t)) => Val::from(t.as_str()),
    })
}

/// The sort value of a row read with [`KEY_COLUMNS`] and the `sort_value` column.
fn row_sort_value(key: SortKey, row: &Row) -> Result<Option<SortValue>, StoreError> {
    Ok(match key {
        SortKey::Created => None,
        SortKey::Updated => Some(SortValue::Int(time_nanos(row.get("updated_at")?))),
        SortKey::Price | SortKey::Stock | SortKey::ListPrice => Some(SortValue::Int(row.get::<i64>("sort_value")?)),
        SortKey::Name | SortKey::Handle | SortKey::Status | SortKey::Sku => {
            Some(SortValue::Text(row.get::<String>("sort_value")?))
        }
    })
}

/// A page of products as their ids and versions, with the cursor after the last one and the
/// count asked for.
pub(crate) struct KeyPage {
    pub keys: Vec<PageKey>,
    pub next_cursor: Option<String>,
    pub total: Option<i64>,
}

/// A product of a page: enough to find its cached view, and its row when the page's statement
/// read it.
pub(crate) struct PageKey {
    pub id: ProductId,
    pub version: i64,
    pub row: Option<Box<ProductRow>>,
}

/// What a page's statement reads of each product besides its sort value when the caller reads
/// rows only for views the cache does not hold (`cached.rs`).
const KEY_COLUMNS: &str = "p.id, p.version, p.updated_at";

/// Runs a product query: the page's products as keys, each with its row when `rows` (their
/// children are read by the caller).
pub(crate) async fn run(c: &mut Conn<'_>, ctx: &Ctx, q: &ProductQuery, rows: bool) -> Result<KeyPage, StoreError> {
    let (columns, from) = if rows {
        (rows::PRODUCT_COLUMNS, rows::PRODUCT_FROM)
    } else {
        (KEY_COLUMNS, "FROM products p")
    };
    let pg = c.backend() == Backend::Postgres;
    let limit = q.limit.clamp(1, MAX_LIMIT);
    let filter = q.filter.clone().visible_to(&ctx.principal);
    let walkable = q.sort.key == SortKey::Created && ways().walk;
    let mut w = filter_for(c, ctx, &filter, walkable).await?;
    let total = count(c, ctx, &filter, &w, q.count).await?;
    let expr = sort_expr(q.sort.key, pg);
    let dir = if q.sort.descending { "DESC" } else { "ASC" };
    // The id breaks ties; the creation order is the id alone (a repeated term made SQLite
    // sort each page instead of reading the id index in order).
    let order = match q.sort.key {
        SortKey::Created => format!("ORDER BY p.id {dir}"),
        _ => format!("ORDER BY {expr} {dir}, p.id {dir}"),
    };
    // A search in creation order (SQLite): the index is read in its rowid order, which is the
    // id order (see migration 0012), and the walk stops at the page's end.
    let walk = w.walk.take();
    let ids = |w: &Where, limit_at: &str, offset: &str| match &walk {
        None => format!(
            "SELECT p.id FROM products p WHERE {} {order} LIMIT {limit_at}{offset}",
            w.sql
        ),
        Some(walk) => format!(
            "SELECT p.id FROM product_search s CROSS JOIN products p ON p.seq = s.rowid \
             WHERE product_search MATCH {} AND {} ORDER BY s.rowid {dir} LIMIT {limit_at}{offset}",
            walk.text_at,
            w.sql.replacen(&format!(" AND {}", walk.cond), "", 1)
        ),
    };
    let sql = match &q.paging {
        Paging::After(cursor) => {
            if let Some(cur) = cursor {
                let cond = keyset(&mut w, q.sort, cur, &expr)?;
                w.and(&cond);
                if walk.is_some() {
                    // Where the index's walk starts: the rowid of the product the cursor names,
                    // or of its nearest neighbour in the id order if that product is gone.
                    let id = w.push(cur.id);
                    w.and(&if q.sort.descending {
                        format!(
                            "s.rowid < COALESCE((SELECT x.seq FROM products x WHERE x.id >= {id} ORDER BY x.id LIMIT 1), \
                             9223372036854775807)"
                        )
                    } else {
                        format!(
                            "s.rowid > COALESCE((SELECT x.seq FROM products x WHERE x.id <= {id} ORDER BY x.id DESC LIMIT 1), 0)"
                        )
                    });
                }
            }
            let at = w.push(i64::from(limit) + 1);
            match &walk {
                None => format!(
                    "SELECT {columns}, {expr} AS sort_value {from} WHERE {} {order} LIMIT {at}",
                    w.sql
                ),
                Some(_) => format!(
                    "SELECT {columns}, {expr} AS sort_value {from} WHERE p.id IN ({}) {order}",
                    ids(&w, &at, "")
                ),
            }
        }
        Paging::Offset(offset) => {
            // The skipped products are stepped over in the ids' subquery, which reads no more
            // than the filter and sort need (for the creation order, the organization's id
            // index alone), instead of joining each skipped row.
            let at_limit = w.push(i64::from(limit) + 1);
            let at_offset = w.push(i64::try_from(*offset).unwrap_or(i64::MAX));
            format!(
                "SELECT {columns}, {expr} AS sort_value {from} WHERE p.id IN ({}) {order}",
                ids(&w, &at_limit, &format!(" OFFSET {at_offset}"))
            )
        }
    };
    let fetched = c.fetch_all(sql, w.args).await?;
    let more = fetched.len() > limit as usize;
    let mut out = Vec::with_capacity(fetched.len().min(limit as usize));
    let mut last = None;
    for r in fetched.iter().take(limit as usize) {
        let row = if rows {
            let p = rows::product(r)?;
            let sync = rows::joined_ref(r, p.organization_id.0)?;
            let category = rows::category_link(r, &p)?;
            Some(Box::new((p, sync, category)))
        } else {
            None
        };
        let key = PageKey {
            id: r.id("id")?,
            version: r.get("version")?,
            row,
        };
        last = Some((row_sort_value(q.sort.key, r)?, key.id));
        out.push(key);
    }
    let next_cursor = match (more, last) {
        (true, Some((value, id))) => Some(
            Cursor {
                sort: q.sort,
                value,
                id,
            }
            .encode(),
        ),
        _ => None,
    };
    Ok(KeyPage {
        keys: out,
        next_cursor,
        total,
    })
}

/// The condition for rows after the cursor in the sort's order.
fn keyset(w: &mut Where, sort: Sort, cur: &Cursor, expr: &str) -> Result<String, StoreError> {
    let cmp = if sort.descending { "<" } else { ">" };
    let id = w.push(cur.id);
    Ok(match (&cur.value, sort.key) {
        (_, SortKey::Created) => format!("p.id {cmp} {id}"),
        (Some(v), key) => {
            w.args.push(sort_val(key, v)?);
            let at = format!("${}", w.args.len());
            format!("({expr} {cmp} {at} OR ({expr} = {at} AND p.id {cmp} {id}))")
        }
        (None, _) => return Err(CoreError::invalid("cursor", "is not a cursor of this list and order").into()),
    })
}

/// The number of products the filter selects, as the mode asks. The organization's kept
/// totals answer when the filter is by status and archive state alone; they are exact.
async fn count(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    f: &ProductFilter,
    w: &Where,
    mode: CountMode,
) -> Result<Option<i64>, StoreError> {
    if mode == CountMode::None {
        return Ok(None);
    }
    let by_status_only = ProductFilter {
        statuses: f.statuses.clone(),
        archived: f.archived,
        ..ProductFilter::default()
    } == *f;
    if by_status_only && let Some(n) = kept_total(c, ctx, f).await? {
        return Ok(Some(n));
    }
    if mode == CountMode::Estimate && c.backend() == Backend::Postgres {
        // The planner's estimate: no rows are read.
        let sql = format!("EXPLAIN (FORMAT JSON) SELECT 1 FROM products p WHERE {}", w.sql);
        let plan = c.fetch_one(sql, w.args.clone()).await?.json("QUERY PLAN")?;
        let rows = plan
            .as_ref()
            .and_then(|p| p.pointer("/0/Plan/Plan Rows"))
            .and_then(serde_json::Value::as_f64)
            .ok_or_else(|| StoreError::Corrupt("a query plan without a row estimate".into()))?;
        return Ok(Some(rows.round() as i64));
    }
    let sql = match &w.walk {
        // Each match looked up by its rowid, instead of the set of matches built and every
        // product of the organization checked against it.
        Some(walk) => format!(
            "SELECT COUNT(*) AS n FROM product_search s CROSS JOIN products p ON p.seq = s.rowid \
             WHERE product_search MATCH {} AND {}",
            walk.text_at,
            w.sql.replacen(&format!(" AND {}", walk.cond), "", 1)
        ),
        None => format!("SELECT COUNT(*) AS n FROM products p WHERE {}", w.sql),
    };
    Ok(Some(c.fetch_one(sql, w.args.clone()).await?.get::<i64>("n")?))
}

/// The products of some statuses and archive state, from the counters triggers keep; `None`
/// where they cannot tell (archived products are counted together, whatever their status).
async fn kept_total(c: &mut Conn<'_>, ctx: &Ctx, f: &ProductFilter) -> Result<Option<i64>, StoreError> {
    let live: Vec<String> = ProductStatus::ALL
        .iter()
        .filter(|s| f.statuses.as_ref().is_none_or(|wanted| wanted.contains(s)))
        .map(|s| format!("products.{}", s.as_str()))
        .collect();
    let metrics: Vec<String> = match f.archived {
        Archived::Exclude => live,
        Archived::Only if f.statuses.is_none() => vec!["products.archived".to_owned()],
        Archived::Include if f.statuses.is_none() => {
            let mut all = live;
            all.push("products.archived".to_owned());
            all
        }
        Archived::Only | Archived::Include => return Ok(None),
    };
    if metrics.is_empty() {
        return Ok(Some(0));
    }
    let mut args = crate::args![ctx.org()];
    args.extend(metrics.iter().map(|m| Val::from(m.as_str())));
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) AS n FROM catalog_counts WHERE organization_id = $1 AND metric IN ({})",
        placeholders(2, metrics.len())
    );
    c.fetch_one(sql, args).await?.get::<i64>("n").map(Some)
}

/// The ids of the next `limit` products the filter selects after `after`, in id order: how
/// bulk jobs walk their selection.
pub(crate) async fn ids_after(
    c: &mut Conn<'_>,
    ctx: &Ctx,
    f: &ProductFilter,
    after: ProductId,
    limit: usize,
) -> Result<Vec<ProductId>, StoreError> {
    let mut w = filter(c, ctx, f).await?;
    let at = w.push(after);
    w.and(&format!("p.id > {at}"));
    let at = w.push(i64::try_from(limit).unwrap_or(i64::MAX));
    let sql = format!("SELECT p.id FROM products p WHERE {} ORDER BY p.id LIMIT {at}", w.sql);
    c.fetch_all(sql, w.args).await?.iter().map(|r| r.id("id")).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
