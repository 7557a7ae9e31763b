//! `crossborder migrate`: apply the database migrations not yet applied.

use super::CliError;
use super::database::DatabaseArgs;
use super::output::emit;

pub fn run(args: DatabaseArgs) -> Result<(), CliError> {
    args.open()?;
    emit("database is up to date\n")
}
