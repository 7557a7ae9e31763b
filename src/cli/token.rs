//! `crossborder token issue`: sign a one-off API token with the HS256 secret.

use std::time::Duration;

use clap::Subcommand;

use crate::auth::Verifier;

use super::CliError;
use super::jwt::JwtArgs;
use super::output::emit;
use super::scopes::{ScopeList, parse_scope_list};
use super::text::Text;

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Sign a one-off token with the HS256 secret and print it.
    Issue {
        /// The subject (who the token is for); it is written in the audit trail.
        #[arg(long, value_parser = Text)]
        sub: String,
        /// Space-separated scopes: registry:read, registry:write, intake:write.
        #[arg(long, value_parser = parse_scope_list)]
        scope: ScopeList,
        /// Lifetime (15m, 1h, 1d).
        #[arg(long, default_value = "15m", value_parser = humantime::parse_duration)]
        ttl: Duration,
        /// An organisation (slug) the token may act on; repeat for several (default: all).
        #[arg(long = "org", value_name = "SLUG", value_parser = Text)]
        organisations: Vec<String>,
        #[command(flatten)]
        jwt: JwtArgs,
    },
}

pub fn run(command: TokenCommand) -> Result<(), CliError> {
    let TokenCommand::Issue {
        sub,
        scope,
        ttl,
        organisations,
        jwt,
    } = command;
    for slug in &organisations {
        crate::values::Slug::parse(slug)
            .map_err(|e| CliError::usage(format!("--org '{slug}': {e}")))?;
    }
    let organisations = (!organisations.is_empty()).then_some(organisations);
    crate::auth::check_grant(&scope.0, organisations.as_deref()).map_err(CliError::usage)?;
    let config = jwt.auth_config(None)?;
    if config.hs256_secret.is_none() {
        return Err(CliError::usage(
            "set JWT_SECRET or --jwt-secret-file to sign tokens",
        ));
    }
    let verifier = Verifier::new(&config).map_err(CliError::usage)?;
    let (token, _) = verifier
        .issue(&sub, &scope.0, organisations.as_deref(), Some(ttl))
        .map_err(CliError::usage)?;
    emit(&format!("{token}\n"))
}
