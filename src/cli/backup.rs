//! `crossborder backup`: copy an SQLite database in use into a new file (VACUUM INTO).

use std::path::PathBuf;

use crate::db::{Database, DatabaseUrl};
use crate::registry::export;

use super::CliError;
use super::database::DatabaseArgs;
use super::output::emit;

#[derive(clap::Args)]
pub struct BackupArgs {
    /// The copy to write: a new file (an existing one is refused).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    #[command(flatten)]
    database: DatabaseArgs,
}

pub fn run(args: BackupArgs) -> Result<(), CliError> {
    let url = args.database.existing()?;
    if let DatabaseUrl::Postgres(_) = url {
        return Err(CliError::usage(export::POSTGRES_BACKUP));
    }
    let db = Database::connect(&url).map_err(CliError::failure)?;
    let mut conn = db.get().map_err(CliError::failure)?;
    match export::backup_sqlite(&mut conn, &args.file) {
        Ok(()) => emit(&format!("backed up to {}\n", args.file.display())),
        Err(e @ export::BackupError::Refused(_)) => Err(CliError::usage(e)),
        Err(e) => Err(CliError::failure(e)),
    }
}
