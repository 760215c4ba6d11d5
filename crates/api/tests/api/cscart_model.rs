//! The CS-Cart product list against a plain model: random catalogs made through the API,
//! random combinations of filters, sorts and pages, and the model's ids in order (and its
//! total) for each.

use crate::cscart_products::{category, create, cs};
use crate::harness::spawn;
use axum::http::Method;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::json;

const NAMES: [&str; 5] = ["Alpha", "alpha", "Beta", "Gamma ray", "Delta"];
const CODES: [&str; 3] = ["AA", "BB", "CC"];
const STATUSES: [&str; 3] = ["A", "D", "H"];
const NEEDLES: [&str; 4] = ["al", "ET", "ray", "x"];
const SORTS: [&str; 7] = ["date", "status", "list_price", "product", "price", "code", "amount"];

#[derive(Debug, Clone)]
struct Spec {
    name: usize,
    code: usize,
    price: u32,
    list: Option<u32>,
    amount: i64,
    status: usize,
    free: Option<bool>,
    /// 0: the root, 1: its child, 2: another root.
    category: usize,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..NAMES.len(),
        0..CODES.len(),
        1..50u32,
        prop::option::of(1..60u32),
        0..20i64,
        0..3usize,
        prop::option::of(any::<bool>()),
        0..3usize,
    )
        .prop_map(|(name, code, price, list, amount, status, free, category)| Spec {
            name,
            code,
            price,
            list,
            amount,
            status,
            free,
            category,
        })
}

#[derive(Debug, Clone)]
struct Q {
    price: (Option<u32>, Option<u32>),
    amount: (Option<i64>, Option<i64>),
    status: Option<usize>,
    free: Option<bool>,
    /// A category and whether its subcategories count.
    cid: Option<(usize, bool)>,
    pname: Option<usize>,
    q_in_name: Option<usize>,
    pcode: Option<usize>,
    sort: usize,
    desc: bool,
    per_page: u32,
    page: u64,
}

fn query() -> impl Strategy<Value = Q> {
    let filters = (
        (prop::option::of(1..50u32), prop::option::of(1..50u32)),
        (prop::option::of(0..20i64), prop::option::of(0..20i64)),
        prop::option::of(0..3usize),
        prop::option::of(any::<bool>()),
        prop::option::of((0..3usize, any::<bool>())),
        prop::option::of(0..NEEDLES.len()),
        prop::option::of(0..NEEDLES.len()),
        prop::option::of(0..CODES.len()),
    );
    let order = (0..SORTS.len(), any::<bool>(), 1..5u32, 1..4u64);
    (filters, order).prop_map(
        |((price, amount, status, free, cid, pname, q_in_name, pcode), (sort, desc, per_page, page))| Q {
            price,
            amount,
            status,
            free,
            cid,
            pname,
            q_in_name,
            pcode,
            sort,
            desc,
            per_page,
            page,
        },
    )
}

impl Q {
    fn string(&self, cats: &[i64; 3]) -> String {
        let mut p = vec![
            format!("sort_by={}", SORTS[self.sort]),
            format!("sort_order={}", if self.desc { "desc" } else { "asc" }),
            format!("items_per_page={}", self.per_page),
            format!("page={}", self.page),
        ];
        if let Some(v) = self.price.0 {
            p.push(format!("price_from={v}"));
        }
        if let Some(v) = self.price.1 {
            p.push(format!("price_to={v}"));
        }
        if let Some(v) = self.amount.0 {
            p.push(format!("amount_from={v}"));
        }
        if let Some(v) = self.amount.1 {
            p.push(format!("amount_to={v}"));
        }
        if let Some(s) = self.status {
            p.push(format!("status={}", STATUSES[s]));
        }
        if let Some(f) = self.free {
            p.push(format!("free_shipping={}", if f { "Y" } else { "N" }));
        }
        if let Some((c, sub)) = self.cid {
            p.push(format!("cid={}&subcats={}", cats[c], if sub { "Y" } else { "N" }));
        }
        // One `pname` at a time: `q` with `pname=Y`, or a text of its own.
        if let (Some(n), None) = (self.pname, self.q_in_name) {
            p.push(format!("pname={}", NEEDLES[n]));
        }
        if let Some(n) = self.q_in_name {
            p.push(format!("q={}&pname=Y", NEEDLES[n]));
        }
        if let Some(c) = self.pcode {
            p.push(format!("pcode={}", CODES[c]));
        }
        p.join("&")
    }

    fn selects(&self, s: &Spec) -> bool {
        let contains = |hay: &str, needle: &str| hay.to_lowercase().contains(&needle.to_lowercase());
        self.price.0.is_none_or(|m| s.price >= m)
            && self.price.1.is_none_or(|m| s.price <= m)
            && self.amount.0.is_none_or(|m| s.amount >= m)
            && self.amount.1.is_none_or(|m| s.amount <= m)
            && self.status.is_none_or(|st| st == s.status)
            && self.free.is_none_or(|f| s.free.unwrap_or(false) == f)
            && self
                .cid
                .is_none_or(|(c, sub)| s.category == c || (sub && c == 0 && s.category == 1))
            && (self.q_in_name.is_some() || self.pname.is_none_or(|n| contains(NAMES[s.name], NEEDLES[n])))
            && self.q_in_name.is_none_or(|n| contains(NAMES[s.name], NEEDLES[n]))
            && self.pcode.is_none_or(|c| CODES[s.code] == CODES[c])
    }

    /// What the product is sorted by, as text comparable byte by byte or as a number.
    fn key(&self, s: &Spec, i: usize) -> (i64, String) {
        match SORTS[self.sort] {
            "date" => (i as i64, String::new()),
            "status" => (0, ["active", "disabled", "hidden"][s.status].to_owned()),
            "list_price" => (s.list.map_or(i64::MAX, |l| i64::from(l) * 100), String::new()),
            "product" => (0, NAMES[s.name].to_owned()),
            "price" => (i64::from(s.price) * 100, String::new()),
            "code" => (0, format!("{}-{i}", CODES[s.code])),
            _ => (s.amount, String::new()),
        }
    }
}

#[test]
fn lists_give_what_the_model_gives() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut runner = TestRunner::new(Config {
        cases: 6,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (prop::collection::vec(spec(), 0..14), prop::collection::vec(query(), 30));
    runner
        .run(&strategy, |(specs, queries)| {
            rt.block_on(async {
                let app = spawn().await;
                let root = category(&app, "Root", None).await;
                let cats = [
                    root,
                    category(&app, "Child", Some(root)).await,
                    category(&app, "Other", None).await,
                ];
                let mut numbers = Vec::new();
                for (i, s) in specs.iter().enumerate() {
                    let mut body = json!({
                        "product": NAMES[s.name], "category_ids": [cats[s.category]],
                        "price": s.price.to_string(), "amount": s.amount,
                        "product_code": format!("{}-{i}", CODES[s.code]), "status": STATUSES[s.status],
                    });
                    if let Some(l) = s.list {
                        body["list_price"] = json!(l);
                    }
                    if let Some(f) = s.free {
                        body["free_shipping"] = json!(if f { "Y" } else { "N" });
                    }
                    numbers.push(create(&app, body).await.to_string());
                }
                for q in &queries {
                    let mut hits: Vec<((i64, String), usize)> = specs
                        .iter()
                        .enumerate()
                        .filter(|(_, s)| q.selects(s))
                        .map(|(i, s)| (q.key(s, i), i))
                        .collect();
                    hits.sort();
                    if q.desc {
                        hits.reverse();
                    }
                    let total = hits.len();
                    let skip = ((q.page - 1) * u64::from(q.per_page)) as usize;
                    let want: Vec<String> = hits
                        .into_iter()
                        .skip(skip)
                        .take(q.per_page as usize)
                        .map(|(_, i)| numbers[i].clone())
                        .collect();
                    let path = format!("/api/products?{}", q.string(&cats));
                    let r = cs(&app, Method::GET, &path, None).await.expect(200);
                    let got: Vec<String> = r.body["products"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|p| p["product_id"].as_str().unwrap().to_owned())
                        .collect();
                    prop_assert_eq!(&got, &want, "{}", path);
                    prop_assert_eq!(&r.body["params"]["total_items"], &json!(total.to_string()), "{}", path);
                }
                Ok(())
            })
        })
        .unwrap();
}
