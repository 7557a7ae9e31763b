//! The `crossborder` command line: one module per subcommand, each with its clap arguments and
//! a `run` that prints the answer on stdout or returns a [`CliError`].

mod assess;
mod backup;
mod client;
mod database;
mod error;
mod export;
mod import;
mod import_vendors;
mod jwt;
mod migrate;
mod org;
mod output;
mod ropa;
mod rules;
mod scopes;
mod seed;
mod serve;
mod text;
mod token;
mod user;
mod verify;
mod webhook;

use clap::{Parser, Subcommand};

pub use error::CliError;

#[derive(Parser)]
#[command(
    name = "crossborder",
    version,
    about = "A registry of third parties and cross-border transfers of personal data",
    long_about = "A registry of third parties and cross-border transfers of personal data.\n\n\
                  `assess` answers whether one transfer out of the EU/EEA is covered on a date, \
                  from dated EU transfer law compiled into the binary; `rules` shows that law."
)]
pub struct Cli {
    /// Without a command, `serve` with its defaults (or BIND and DATABASE_URL).
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service: migrate the database, load the example organisations into an empty one
    /// (not with --no-examples), serve the public pages and feeds. Stops cleanly on Ctrl-C or SIGTERM.
    Serve(serve::ServeArgs),
    /// Load organisation seed files (default: the example organisations compiled in). Only adds:
    /// creates what is missing and reports what differs without changing it; loading the same
    /// files twice changes nothing. --replace reloads cleanly, saying first what it discards.
    Seed(seed::SeedArgs),
    /// Apply the database migrations not yet applied.
    Migrate(database::DatabaseArgs),
    /// Write the whole database as JSON on stdout (every table and column, ids included), to
    /// move it to another database or backend with `import`: `crossborder export > registry.json`.
    Export(database::DatabaseArgs),
    /// Load a file written by `export` into an empty database, in one transaction. A bad file is
    /// refused whole; a database holding data is refused unless --replace is given.
    Import(import::ImportArgs),
    /// Copy an SQLite database while it is in use (VACUUM INTO) into a new file. For PostgreSQL,
    /// use pg_dump.
    Backup(backup::BackupArgs),
    /// Manage the machine clients of the API (OAuth 2.0 client credentials).
    #[command(subcommand)]
    Client(client::ClientCommand),
    /// Issue API tokens.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Manage workspace accounts.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Create, edit and list organisations; retire the example organisations.
    #[command(subcommand)]
    Org(org::OrgCommand),
    /// Assess one transfer of personal data out of the EU/EEA on a date (no database needed).
    #[command(after_long_help = assess::examples())]
    Assess(assess::AssessArgs),
    /// Print the transfer rules in force on a date, with their legal references.
    Rules(rules::RulesArgs),
    /// Check the change log's hash chain: of every organisation in the database, or of a
    /// downloaded history (FILE, from /{org}/history.json). Names the first entry that does not
    /// match; exit 1 when a chain is broken.
    Verify(verify::VerifyArgs),
    /// Manage the webhooks an organisation's changes and objections are posted to.
    #[command(subcommand)]
    Webhook(webhook::WebhookCommand),
    /// Import vendors and their transfers from a CSV, a spreadsheet (XLSX) or a table copied
    /// from a published list (tab-separated, Markdown, HTML). --dry-run says what would be
    /// created or changed and names every bad cell, writing nothing; without it, all in one
    /// transaction, or nothing while a problem is left. Importing the same file again changes
    /// nothing.
    ImportVendors(import_vendors::ImportVendorsArgs),
    /// The transfer part of the record of processing (GDPR Art. 30(1)(e), 30(2)(c)) with each
    /// transfer's verdict on a date, as CSV or XLSX; --register: the vendor register instead.
    Ropa(ropa::RopaArgs),
}

/// Runs the command given; without one, `serve` with its flags' defaults and environment.
pub fn run(cli: Cli) -> Result<(), CliError> {
    let command = match cli.command {
        Some(command) => command,
        None => Cli::parse_from(["crossborder", "serve"])
            .command
            .ok_or_else(|| CliError::usage("no command"))?,
    };
    match command {
        Command::Serve(args) => serve::run(args),
        Command::Seed(args) => seed::run(args),
        Command::Migrate(args) => migrate::run(args),
        Command::Export(args) => export::run(args),
        Command::Import(args) => import::run(args),
        Command::Backup(args) => backup::run(args),
        Command::Client(command) => client::run(command),
        Command::Token(command) => token::run(command),
        Command::User(command) => user::run(command),
        Command::Org(command) => org::run(command),
        Command::Assess(args) => assess::run(args),
        Command::Rules(args) => rules::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Webhook(command) => webhook::run(command),
        Command::ImportVendors(args) => import_vendors::run(args),
        Command::Ropa(args) => ropa::run(args),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    /// clap's own checks of the definitions (conflicting flags, bad defaults, duplicate names).
    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
