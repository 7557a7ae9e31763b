//! `crossborder export`: the whole database as JSON on stdout.

use crate::registry::export;

use super::CliError;
use super::database::DatabaseArgs;
use super::output::{emit, json};

pub fn run(args: DatabaseArgs) -> Result<(), CliError> {
    args.existing()?;
    let db = args.open()?;
    let mut conn = db.get().map_err(CliError::failure)?;
    let export = export::export(&mut conn).map_err(CliError::failure)?;
    emit(&json(&export))
}
