//! `crossborder webhook`: the endpoints an organisation's events are posted to, signed
//! (Standard Webhooks).

use clap::Subcommand;

use crate::registry::{EditError, webhook};
use crate::values::WebUrl;

use super::CliError;
use super::database::DatabaseArgs;
use super::output::emit;

#[derive(Subcommand)]
pub enum WebhookCommand {
    /// Register an endpoint; prints its id and its signing secret (shown once).
    Add {
        /// The organisation (slug).
        #[arg(long = "org", value_name = "SLUG")]
        organisation: String,
        /// Where deliveries are posted (http or https).
        #[arg(long)]
        url: String,
        /// An event to send; repeat for several: change.announced, change.effective,
        /// change.corrected, objection.received.
        #[arg(long = "event", value_name = "EVENT", required = true)]
        events: Vec<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// List the endpoints (never their secrets), removed ones included.
    List {
        /// Only this organisation's.
        #[arg(long = "org", value_name = "SLUG")]
        organisation: Option<String>,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Remove an endpoint: nothing more is sent to it (it stays listed, with the time).
    Remove {
        /// The organisation (slug).
        #[arg(long = "org", value_name = "SLUG")]
        organisation: String,
        /// The endpoint's id.
        id: i32,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

pub fn run(command: WebhookCommand) -> Result<(), CliError> {
    let database = match &command {
        WebhookCommand::Add { database, .. }
        | WebhookCommand::List { database, .. }
        | WebhookCommand::Remove { database, .. } => database,
    };
    let db = database.open()?;
    let mut conn = db.get().map_err(CliError::failure)?;
    let refused = |e: EditError| match e {
        EditError::NotFound(what) => CliError::usage(format!("no such {what}")),
        EditError::Db(e) => CliError::failure(e),
        other => CliError::usage(other),
    };
    match command {
        WebhookCommand::Add {
            organisation,
            url,
            events,
            ..
        } => {
            let url =
                WebUrl::parse(url.trim()).map_err(|e| CliError::usage(format!("--url: {e}")))?;
            let events =
                webhook::events(&events).map_err(|e| CliError::usage(format!("--event: {e}")))?;
            if crate::registry::organisation::find(&mut conn, &organisation)
                .map_err(CliError::failure)?
                .is_none()
            {
                return Err(CliError::usage(format!(
                    "--org: there is no organisation '{organisation}'"
                )));
            }
            let (hook, secret) =
                webhook::add(&mut conn, &organisation, &url, &events, "cli").map_err(refused)?;
            emit(&format!(
                "id: {}\nurl: {}\nevents: {}\nsecret: {secret}\nKeep the secret now: verify each delivery's webhook-signature with it; it is not shown again.\n",
                hook.id,
                hook.url,
                hook.events.join(" ")
            ))
        }
        WebhookCommand::List { organisation, .. } => {
            let hooks =
                webhook::list(&mut conn, organisation.as_deref()).map_err(CliError::failure)?;
            let mut out = String::new();
            for h in hooks {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    h.id,
                    h.organisation,
                    h.url,
                    h.events.join(" "),
                    h.removed_at
                        .map_or("active".to_string(), |at| format!("removed {at}"))
                ));
            }
            emit(&out)
        }
        WebhookCommand::Remove {
            organisation, id, ..
        } => {
            let hook = webhook::remove(&mut conn, &organisation, id, "cli").map_err(refused)?;
            emit(&format!("webhook {} removed ({})\n", hook.id, hook.url))
        }
    }
}
