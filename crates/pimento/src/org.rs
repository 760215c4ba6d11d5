//! `pimento org`: organizations and their keys.

use crate::cli::DbArgs;
use anyhow::Context;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Create an organization (in a new tenant) and print its secret and publishable keys once.
    Create {
        /// The organization's name.
        name: String,
        /// Print one JSON object: tenant_id, organization_id, secret_key, publishable_key.
        #[arg(long)]
        json: bool,
    },
    /// List the organizations in the database.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete an organization with its whole catalog, jobs, files and keys. There is no undo.
    Delete {
        /// The organization's id (`pimento org list`).
        organization: String,
        /// Confirms the deletion.
        #[arg(long)]
        yes: bool,
    },
}

pub async fn run(db: &DbArgs, cmd: OrgCommand) -> anyhow::Result<()> {
    let store = db.open(true).await?;
    match cmd {
        OrgCommand::Create { name, json } => {
            let org = store.create_organization(&name).await?;
            if json {
                println!("{}", serde_json::to_string(&org)?);
            } else {
                println!("organization     {}", org.organization_id);
                println!("tenant           {}", org.tenant_id);
                println!("secret key       {}", org.secret_key);
                println!("publishable key  {}", org.publishable_key);
                println!("(the keys are shown only now; store them safely)");
            }
        }
        OrgCommand::List { json } => {
            let orgs = store.list_organizations().await?;
            if json {
                println!("{}", serde_json::to_string(&orgs)?);
            } else {
                println!("{:<36}  {:<36}  NAME", "ORGANIZATION", "TENANT");
                for o in orgs {
                    println!("{}  {}  {}", o.organization_id, o.tenant_id, o.name);
                }
            }
        }
        OrgCommand::Delete { organization, yes } => {
            let id = crate::key::organization_id(&organization)?;
            if !yes {
                anyhow::bail!(
                    "deleting organization {id} removes its whole catalog and keys for good; add --yes to go ahead"
                );
            }
            if !store.delete_organization(id).await? {
                anyhow::bail!("no organization has the id {id}");
            }
            // Its uploads and export results (`LocalBlobs` keeps them under the organization's id).
            let dir = db.files_dir.join(id.to_string());
            if dir.exists() {
                std::fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()))?;
            }
            println!("deleted organization {id}");
        }
    }
    Ok(())
}
