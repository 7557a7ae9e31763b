//! `crossborder verify`: checks the change log's hash chain, of every organisation in a database
//! or of one downloaded history (`/{org}/history.json`), and names the first entry that does not
//! match. Exit 0 when every chain holds, 1 when one is broken, 2 for a file or URL that cannot
//! be read.

use std::path::PathBuf;

use crate::db::Database;
use crate::registry::history::chain::{self, HistoryFile, Link};
use crate::registry::organisation;

use super::CliError;
use super::database::DatabaseArgs;
use super::output::emit;

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// A downloaded history (`https://…/{org}/history.json`) to check instead of the database.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,

    #[command(flatten)]
    database: DatabaseArgs,
}

pub fn run(args: VerifyArgs) -> Result<(), CliError> {
    let chains: Vec<(String, Vec<Link>)> = match &args.file {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::usage(format!("{}: {e}", path.display())))?;
            let file: HistoryFile = serde_json::from_str(&text).map_err(|e| {
                CliError::usage(format!(
                    "{}: not a crossborder history: {e}",
                    path.display()
                ))
            })?;
            vec![(file.organisation, file.entries)]
        }
        None => {
            // Read as it is: no migration, which could add to what is checked.
            let db = Database::connect(&args.database.existing()?).map_err(CliError::failure)?;
            let mut conn = db.get().map_err(CliError::failure)?;
            let mut chains = Vec::new();
            for (id, slug) in organisation::all_slugs(&mut conn).map_err(CliError::failure)? {
                let links = chain::links(&mut conn, id).map_err(CliError::failure)?;
                chains.push((slug, links));
            }
            chains
        }
    };
    let mut report = String::new();
    let mut broken = Vec::new();
    for (slug, links) in &chains {
        match chain::verify(links) {
            Ok(()) => report.push_str(&format!(
                "{slug}: {} entries, chain intact, head {}\n",
                links.len(),
                links.last().map_or("(empty)", |l| l.hash.as_str())
            )),
            Err(e) => broken.push(format!("{slug}: chain broken at {e}")),
        }
    }
    emit(&report)?;
    if broken.is_empty() {
        Ok(())
    } else {
        Err(CliError::failure(broken.join("\n")))
    }
}
