//! `pimento key`: issue, list and revoke an organization's API keys.

use crate::cli::DbArgs;
use anyhow::{Context, bail};
use clap::Subcommand;
use pimento_core::auth::KeyKind;
use pimento_core::ids::OrganizationId;
use pimento_store::orgs::{KeySummary, Revocation};

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Issue a new key (secret unless --publishable) and print it once.
    Create {
        /// The organization's id (`pimento org list`).
        #[arg(long)]
        organization: String,
        /// A publishable key (reads active products only) instead of a secret one.
        #[arg(long)]
        publishable: bool,
        /// A name to tell the key apart in `key list` ("storefront", "ci").
        #[arg(long)]
        name: Option<String>,
        /// Print one JSON object: id, organization_id, kind, prefix, name, key.
        #[arg(long)]
        json: bool,
    },
    /// List an organization's keys (never the keys themselves: their prefixes).
    List {
        /// The organization's id (`pimento org list`).
        #[arg(long)]
        organization: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key, named by the prefix `key list` and audit actors show (`sk_1a2b3c4d`) or
    /// by its id. Every server refuses it within 5 seconds.
    Revoke {
        /// The key's prefix or id.
        key: String,
    },
}

/// An organization id given on the command line.
pub fn organization_id(raw: &str) -> anyhow::Result<OrganizationId> {
    uuid::Uuid::parse_str(raw.trim())
        .map(OrganizationId::from)
        .with_context(|| format!("{raw:?} is not an organization id (see `pimento org list`)"))
}

fn time(t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    t.map_or_else(|| "-".to_owned(), |t| t.format("%Y-%m-%d %H:%M:%SZ").to_string())
}

fn print_table(keys: &[KeySummary]) {
    println!(
        "{:<12}  {:<11}  {:<20}  {:<20}  {:<20}  {:<20}  ID",
        "PREFIX", "KIND", "NAME", "CREATED", "LAST USED", "REVOKED"
    );
    for k in keys {
        println!(
            "{:<12}  {:<11}  {:<20}  {:<20}  {:<20}  {:<20}  {}",
            k.prefix,
            k.kind,
            k.name.as_deref().unwrap_or("-"),
            time(Some(k.created_at)),
            time(k.last_used_at),
            time(k.revoked_at),
            k.id
        );
    }
}

pub async fn run(db: &DbArgs, cmd: KeyCommand) -> anyhow::Result<()> {
    let store = db.open(true).await?;
    match cmd {
        KeyCommand::Create {
            organization,
            publishable,
            name,
            json,
        } => {
            let kind = if publishable {
                KeyKind::Publishable
            } else {
                KeyKind::Secret
            };
            let key = store
                .create_key(organization_id(&organization)?, kind, name.as_deref())
                .await?;
            if json {
                println!("{}", serde_json::to_string(&key)?);
            } else {
                println!("{} key  {}", key.kind, key.key);
                println!("prefix       {}", key.prefix);
                println!("id           {}", key.id);
                println!("(the key is shown only now; store it safely)");
            }
        }
        KeyCommand::List { organization, json } => {
            let keys = store.list_keys(organization_id(&organization)?).await?;
            if json {
                println!("{}", serde_json::to_string(&keys)?);
            } else {
                print_table(&keys);
            }
        }
        KeyCommand::Revoke { key } => match store.revoke_key(&key, None).await? {
            Revocation::Revoked(k) => println!(
                "revoked {} ({} key of organization {}); servers refuse it within 5 seconds",
                k.prefix, k.kind, k.organization_id
            ),
            Revocation::AlreadyRevoked(k) => {
                println!("{} was already revoked at {}", k.prefix, time(k.revoked_at))
            }
            Revocation::NotFound => bail!("no key has the prefix or id {key:?}"),
            Revocation::Ambiguous(keys) => {
                print_table(&keys);
                bail!("{} keys share the prefix {key:?}: revoke one by its id", keys.len())
            }
        },
    }
    Ok(())
}
