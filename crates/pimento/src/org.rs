//! `pimento org`: organizations and their keys.

use crate::cli::DbArgs;
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
                for o in orgs {
                    println!("{}  {}  {}", o.organization_id, o.tenant_id, o.name);
                }
            }
        }
    }
    Ok(())
}
