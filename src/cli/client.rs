//! `crossborder client`: the machine clients of the API (OAuth 2.0 client credentials).

use clap::Subcommand;

use crate::auth::clients;

use super::CliError;
use super::database::DatabaseArgs;
use super::output::emit;
use super::scopes::{ScopeList, parse_scope_list};
use super::text::Text;

#[derive(Subcommand)]
pub enum ClientCommand {
    /// Create a client; prints its id and its secret (shown once).
    Create {
        /// What the client is ("Procurement tool").
        #[arg(long, value_parser = Text)]
        name: String,
        /// Space-separated scopes it may ask for: registry:read, registry:write, intake:write,
        /// objections:write, webhooks:manage, accounts:manage (only without --org).
        #[arg(long, value_parser = parse_scope_list)]
        scope: ScopeList,
        /// An organisation (slug) the client acts on; repeat for several. Without it, the client
        /// acts on every organisation. Its tokens carry them; anything else is a 404 to it.
        #[arg(long = "org", value_name = "SLUG", value_parser = Text)]
        organisations: Vec<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List the clients (never their secrets).
    List {
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Revoke a client: it gets no new token, and its tokens are refused from the next request.
    Revoke {
        /// The client id (cb_...).
        #[arg(value_parser = Text)]
        client_id: String,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

pub fn run(command: ClientCommand) -> Result<(), CliError> {
    let database = match &command {
        ClientCommand::Create { database, .. }
        | ClientCommand::List { database }
        | ClientCommand::Revoke { database, .. } => database,
    };
    let db = database.open()?;
    let mut conn = db.get().map_err(CliError::failure)?;
    match command {
        ClientCommand::Create {
            name,
            scope,
            organisations,
            ..
        } => {
            for slug in &organisations {
                let found = crate::registry::organisation::find(&mut conn, slug)
                    .map_err(CliError::failure)?;
                if found.is_none() {
                    return Err(CliError::usage(format!(
                        "--org: there is no organisation '{slug}'"
                    )));
                }
            }
            let organisations = (!organisations.is_empty()).then_some(organisations);
            crate::auth::check_grant(&scope.0, organisations.as_deref())
                .map_err(CliError::usage)?;
            let (client, secret) =
                clients::create(&mut conn, &name, &scope.0, organisations.as_deref(), "cli")
                    .map_err(CliError::failure)?;
            emit(&format!(
                "client_id: {}\nclient_secret: {secret}\nscopes: {}\norganisations: {}\nKeep the secret now: it is not stored and cannot be shown again.\n",
                client.client_id,
                client.scopes.join(" "),
                client
                    .organisations
                    .as_ref()
                    .map_or("all".to_string(), |o| o.join(" "))
            ))
        }
        ClientCommand::List { .. } => {
            let mut out = String::new();
            for c in clients::list(&mut conn).map_err(CliError::failure)? {
                let state = match c.revoked_at {
                    Some(at) => format!("revoked {}", at.format("%Y-%m-%d %H:%M")),
                    None => "active".into(),
                };
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    c.client_id,
                    c.name,
                    c.scopes.join(" "),
                    c.organisations
                        .as_ref()
                        .map_or("all organisations".to_string(), |o| o.join(" ")),
                    state
                ));
            }
            emit(&out)
        }
        ClientCommand::Revoke { client_id, .. } => {
            match clients::revoke(&mut conn, &client_id, "cli") {
                Ok(true) => emit(&format!("{client_id} revoked\n")),
                Ok(false) => Err(CliError::usage(format!("no active client '{client_id}'"))),
                Err(e) => Err(CliError::failure(e)),
            }
        }
    }
}
