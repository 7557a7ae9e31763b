//! `crossborder ropa --org ORG [--as-of DATE] [--format csv|xlsx] [--output FILE]`: the transfer
//! part of the record of processing (GDPR Art. 30(1)(e), 30(2)(c)), with the verdict of each
//! transfer on the date; `--register` gives the vendor register instead (DPA, TIA,
//! certifications, notes).

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::date::today;
use crate::registry::export::{SheetFormat, ropa};
use crate::rules::RuleSet;

use super::CliError;
use super::assess::parse_as_of;
use super::database::DatabaseArgs;

#[derive(clap::Args)]
pub struct RopaArgs {
    /// The organisation (its slug).
    #[arg(long, value_name = "ORG", value_parser = super::text::Text)]
    org: String,

    /// The day the verdicts are given for (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    as_of: Option<NaiveDate>,

    /// csv (UTF-8, cells neutralised against formulas) or xlsx.
    #[arg(long, default_value = "csv", value_parser = ["csv", "xlsx"])]
    format: String,

    /// Where to write it (default: standard output; an xlsx needs a file).
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// The whole vendor register instead (every status; DPA, TIA, certifications, notes).
    #[arg(long)]
    register: bool,

    #[command(flatten)]
    database: DatabaseArgs,
}

pub fn run(args: RopaArgs) -> Result<(), CliError> {
    let format: SheetFormat = args
        .format
        .parse()
        .map_err(|_| CliError::usage("--format: csv or xlsx"))?;
    if format == SheetFormat::Xlsx && args.output.is_none() {
        return Err(CliError::usage("--format xlsx: give --output FILE"));
    }
    let db = args.database.open()?;
    let mut conn = db.get().map_err(CliError::failure)?;
    let sheet = if args.register {
        ropa::register(&mut conn, &args.org)
    } else {
        let as_of = args.as_of.unwrap_or_else(today);
        ropa::ropa(&mut conn, &args.org, as_of, RuleSet::embedded())
    }
    .map_err(CliError::failure)?
    .ok_or_else(|| CliError::usage(format!("--org: no organisation '{}'", args.org)))?;
    let bytes = sheet.render(format).map_err(CliError::failure)?;
    match &args.output {
        Some(path) => std::fs::write(path, &bytes)
            .map_err(|e| CliError::failure(format!("{}: {e}", path.display()))),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(&bytes).and_then(|_| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(CliError::failure(format!("cannot write the output: {e}")))
                }
                _ => Ok(()),
            }
        }
    }
}
