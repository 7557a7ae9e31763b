//! `crossborder import`: load a file written by `export` into an empty database.

use std::path::PathBuf;

use crate::registry::export;

use super::CliError;
use super::database::DatabaseArgs;
use super::output::emit;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The file written by `crossborder export` (`-` for stdin).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// Empty every table first, in the same transaction, when the database holds data.
    #[arg(long)]
    replace: bool,

    #[command(flatten)]
    database: DatabaseArgs,
}

pub fn run(args: ImportArgs) -> Result<(), CliError> {
    let name = args.file.display();
    let bytes = if args.file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes).map(|_| bytes)
    } else {
        std::fs::read(&args.file)
    };
    let bytes = bytes.map_err(|e| CliError::usage(format!("{name}: {e}")))?;
    // The whole file is checked before the database is touched.
    let file = export::parse(&bytes).map_err(|e| CliError::usage(format!("{name}: {e}")))?;
    let db = args.database.open()?;
    let mut conn = db.get().map_err(CliError::failure)?;
    let report = match export::import(&mut conn, &file, args.replace) {
        Ok(report) => report,
        Err(e @ (export::ImportError::Invalid(_) | export::ImportError::NotEmpty(_))) => {
            return Err(CliError::usage(format!("{name}: {e}")));
        }
        Err(e) => return Err(CliError::failure(format!("{name}: {e}"))),
    };
    for note in &report.notes {
        eprintln!("crossborder: note: {note}");
    }
    let total: usize = report.counts.iter().map(|(_, n)| n).sum();
    let mut out = format!(
        "imported {total} rows into the {} database{}\n",
        report.backend,
        if report.replaced {
            " (its previous content deleted)"
        } else {
            ""
        }
    );
    for (table, n) in &report.counts {
        out.push_str(&format!("{table:<26}{n:>8}\n"));
    }
    emit(&out)
}
