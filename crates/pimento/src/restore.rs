//! `pimento restore-product`: brings back a product deleted for good, as
//! `POST /api/v1/pim/products/{id}/restore` does, for an operator without a key at hand.

use crate::cli::DbArgs;
use anyhow::Context;
use clap::Args;
use pimento_core::auth::{Ctx, KeyKind, Principal};
use pimento_core::ids::{ApiKeyId, ProductId};
use pimento_core::{CoreError, Entity};
use pimento_store::StoreError;

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The organization the product belonged to (`pimento org list`).
    #[arg(long)]
    pub organization: String,
    /// The product's id (UUID), as `GET /api/v1/pim/deleted-products` lists it.
    pub product_id: String,
    #[command(flatten)]
    pub retention: crate::serve::RetentionArgs,
    /// Print the restored product's id, number, handle and name as one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(db: &DbArgs, args: RestoreArgs) -> anyhow::Result<()> {
    let org_id = crate::key::organization_id(&args.organization)?;
    let id = uuid::Uuid::parse_str(args.product_id.trim())
        .map(ProductId)
        .with_context(|| format!("{:?} is not a product id", args.product_id))?;
    let store = db.open(true).await?;
    let org = crate::jobs::organization(&store, Some(org_id)).await?;
    let ctx = Ctx {
        principal: Principal {
            tenant_id: org.tenant_id,
            organization_id: org.organization_id,
            key_id: ApiKeyId(uuid::Uuid::nil()),
            kind: KeyKind::Secret,
            actor: "cli".into(),
        },
        request_id: Some(format!("restore-product:{id}")),
    };
    let view = match store.restore_product(&ctx, id, args.retention.retention()).await {
        Ok(view) => view,
        Err(StoreError::Domain(CoreError::NotFound(Entity::Product))) => anyhow::bail!(
            "organization {org_id} has no deleted product {id} to restore (never deleted, restored already, or past the retention window)"
        ),
        Err(StoreError::Domain(e @ CoreError::Conflict { .. })) => {
            let field = match &e {
                CoreError::Conflict { field: Some(f), .. } => format!(" ({f})"),
                _ => String::new(),
            };
            anyhow::bail!("cannot restore product {id}{field}: {e}")
        }
        Err(e) => return Err(e).context("cannot restore the product"),
    };
    let p = &view.product;
    if args.json {
        let out = serde_json::json!({"id": p.id, "number": p.number, "handle": p.handle, "name": p.name});
        println!("{out}");
    } else {
        println!("restored product {} (number {}, handle {})", p.id, p.number, p.handle);
    }
    store.db().close().await;
    Ok(())
}
