//! Writing a copy: the header, the definitions from the store's lists, then every product
//! (archived ones included) from its view, a page at a time.

use super::{LIST, every, every_by_offset, everything};
use crate::JobError;
use crate::chunk::{Chunker, Progress};
use pimento_core::auth::Ctx;
use pimento_core::copy::{self, Header, ProductRecord, Record};
use pimento_core::ids::{ProductId, ProductTypeId, TagId};
use pimento_core::product::Include;
use pimento_core::query::{CountMode, ProductQuery};
use pimento_store::catalog::ParentFilter;
use pimento_store::{Store, StoreError};
use std::io::Write;
use uuid::Uuid;

/// Products read per page.
const PAGE: usize = 500;

/// The organization's definitions, as records, in the order a copy writes them.
async fn definitions(store: &Store, ctx: &Ctx) -> Result<Vec<Record>, StoreError> {
    let mut out = Vec::new();
    let mut groups = every(|a| store.list_attribute_groups(ctx, LIST, a), |g| g.id).await?;
    groups.sort_by_key(|g| (g.rank, g.id));
    out.extend(groups.iter().map(|g| Record::AttributeGroup(g.into())));
    let attributes = every(|a| store.list_attributes(ctx, None, LIST, a), |x| x.id).await?;
    out.extend(attributes.iter().map(|a| Record::Attribute(a.into())));
    let templates = every(|a| store.list_templates(ctx, LIST, a), |t| t.id).await?;
    out.extend(templates.iter().map(|t| Record::Template(t.into())));
    let categories = every(|a| store.list_categories(ctx, ParentFilter::Any, LIST, a), |c| c.id).await?;
    out.extend(categories.iter().map(|c| Record::Category(c.into())));
    let brands = every(|a| store.list_brands(ctx, LIST, a), |b| b.id).await?;
    out.extend(brands.iter().map(|b| Record::Brand(b.into())));
    let vendors = every(|a| store.list_vendors(ctx, LIST, a), |v| v.id).await?;
    out.extend(vendors.iter().map(|v| Record::Vendor(v.into())));
    let collections = every_by_offset(|q| async move { store.list_collections(ctx, &q).await }).await?;
    out.extend(collections.iter().map(|c| Record::Collection(c.into())));
    let types = every_by_offset(|q| async move { store.list_labels::<ProductTypeId>(ctx, &q).await }).await?;
    out.extend(types.iter().map(|t| Record::Type(copy::LabelRecord::of(t.id.0, t))));
    let tags = every_by_offset(|q| async move { store.list_labels::<TagId>(ctx, &q).await }).await?;
    out.extend(tags.iter().map(|t| Record::Tag(copy::LabelRecord::of(t.id.0, t))));
    let options = every(|a| store.list_options(ctx, LIST, a), |o| o.id).await?;
    out.extend(options.iter().map(|o| Record::Option(o.into())));
    Ok(out)
}

fn line(out: &mut Vec<u8>, record: &Record) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, record).map_err(std::io::Error::from)?;
    out.push(b'\n');
    Ok(())
}

/// Writes the organization's full copy to `out`; returns the number of products written.
pub(crate) async fn export_full(
    store: &Store,
    ctx: &Ctx,
    out: &mut (dyn Write + Send),
    chunker: &Chunker,
    progress: Progress<'_>,
) -> Result<u64, JobError> {
    let filter = everything();
    let query = ProductQuery {
        filter: filter.clone(),
        limit: 1,
        count: CountMode::Exact,
        ..ProductQuery::default()
    };
    let total = store
        .list_products(ctx, &query, Include::default())
        .await?
        .total
        .map_or(0, |n| n.max(0) as u64);
    chunker.set_total(store, total).await?;
    progress(0, Some(total));
    let mut buf = Vec::new();
    let header = Record::Catalog(Header {
        format: copy::FORMAT.to_owned(),
        version: copy::VERSION,
        exported_at: chrono::Utc::now(),
        products: total,
    });
    line(&mut buf, &header)?;
    for d in definitions(store, ctx).await? {
        line(&mut buf, &d)?;
    }
    out.write_all(&buf)?;
    let mut after = ProductId(Uuid::nil());
    let mut written = 0_u64;
    loop {
        let ids = store.select_product_ids(ctx, &filter, after, PAGE).await?;
        let Some(last) = ids.last() else { break };
        after = *last;
        let mut buf = Vec::with_capacity(ids.len() * 2048);
        for (view, options) in store.export_views(ctx, &ids).await? {
            line(
                &mut buf,
                &Record::Product(Box::new(ProductRecord::from_view(&view, &options))),
            )?;
            written += 1;
        }
        out.write_all(&buf)?;
        progress(written, Some(total));
        chunker.heartbeat(store).await?;
    }
    out.flush()?;
    Ok(written)
}
