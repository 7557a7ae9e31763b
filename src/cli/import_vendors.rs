//! `crossborder import-vendors FILE --org ORG [--dry-run]`: vendors and their transfers from a
//! CSV, a spreadsheet, or a table copied from a published list (tab-separated, Markdown, HTML).
//! The dry run says, vendor by vendor with its rows, what would be created or changed, and
//! names every cell that cannot be read; without --dry-run the same is done in one transaction,
//! or nothing at all while a problem is left.

use std::io::Read;
use std::path::PathBuf;

use crate::registry::bulk::{self, Action, ImportError, Input, Plan};

use super::CliError;
use super::database::DatabaseArgs;
use super::output::emit;

#[derive(clap::Args)]
pub struct ImportVendorsArgs {
    /// The file: .csv, .xlsx (.xls, .ods), .tsv, .md or .html; another name is read by its
    /// look. `-` reads standard input (a table pasted from a published list).
    #[arg(value_name = "FILE")]
    file: PathBuf,

    /// The organisation the vendors are imported into (its slug).
    #[arg(long, value_name = "ORG", value_parser = super::text::Text)]
    org: String,

    /// Say what would be done, and every problem, without writing anything.
    #[arg(long)]
    dry_run: bool,

    #[command(flatten)]
    database: DatabaseArgs,
}

pub fn run(args: ImportVendorsArgs) -> Result<(), CliError> {
    let (bytes, name) = if args.file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| CliError::usage(format!("standard input: {e}")))?;
        (bytes, None)
    } else {
        let bytes = std::fs::read(&args.file)
            .map_err(|e| CliError::usage(format!("{}: {e}", args.file.display())))?;
        (bytes, Some(args.file.to_string_lossy().into_owned()))
    };
    let input = Input {
        bytes: &bytes,
        name: name.as_deref(),
    };
    let db = args.database.open()?;
    let mut conn = db.get().map_err(CliError::failure)?;
    let org = &args.org;
    let result = if args.dry_run {
        bulk::plan(&mut conn, org, input)
    } else {
        bulk::commit(&mut conn, org, input, "cli:import-vendors")
    };
    let plan = match result {
        Ok(plan) => plan,
        Err(ImportError::Problems(plan)) => *plan,
        Err(ImportError::NoOrganisation) => {
            return Err(CliError::usage(format!("--org: no organisation '{org}'")));
        }
        Err(ImportError::Unreadable(e)) => {
            return Err(CliError::usage(format!(
                "{}: {e}",
                name.as_deref().unwrap_or("standard input")
            )));
        }
        Err(ImportError::Edit(e)) => return Err(CliError::failure(e)),
    };
    emit(&describe(
        &plan,
        name.as_deref().unwrap_or("standard input"),
        args.dry_run,
    ))?;
    if !plan.problems.is_empty() {
        return Err(CliError::usage(format!(
            "{} problems in the file (listed above); nothing was imported",
            plan.problems.len()
        )));
    }
    Ok(())
}

/// The plan in lines: what was read, each vendor with its rows and what happens to it, the
/// problems, then the outcome.
pub fn describe(plan: &Plan, file: &str, dry_run: bool) -> String {
    let mut out = format!(
        "Read {file} ({}): {} rows in {}, {} vendors.\n",
        plan.format,
        plan.rows,
        match plan.tables.len() {
            1 => plan.tables[0].clone(),
            n => format!("{n} tables"),
        },
        plan.vendors.len()
    );
    for t in &plan.skipped_tables {
        out.push_str(&format!("Not read: {t}\n"));
    }
    for c in &plan.ignored_columns {
        out.push_str(&format!("Not read: {c}\n"));
    }
    for v in &plan.vendors {
        let rows: Vec<String> = v.incoming.rows.iter().map(ToString::to_string).collect();
        out.push_str(&format!(
            "{}: {} — {}\n",
            rows.join(", "),
            v.incoming.row.name,
            action(v)
        ));
        for note in &v.notes {
            out.push_str(&format!("    {note}\n"));
        }
    }
    if !plan.problems.is_empty() {
        out.push_str(&format!("Problems ({}):\n", plan.problems.len()));
        for p in &plan.problems {
            out.push_str(&format!("  {p}\n"));
        }
    }
    let counts = format!(
        "{} to create, {} to change, {} unchanged",
        plan.created(),
        plan.changed(),
        plan.unchanged()
    );
    out.push_str(&if !plan.problems.is_empty() {
        format!("Nothing was imported: fix the problems and run again ({counts}).\n")
    } else if dry_run {
        format!("Dry run, nothing written: {counts}.\n")
    } else {
        format!(
            "Imported: {}.\n",
            counts
                .replace("to create", "created")
                .replace("to change", "changed")
        )
    });
    out
}

/// What happens to one vendor, in words.
pub fn action(v: &bulk::Planned) -> String {
    let places = |p: &[String]| p.join(", ");
    let transfers: Vec<String> = v
        .incoming
        .row
        .countries
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    match &v.action {
        Action::Create { takes_effect } => {
            let when = match takes_effect {
                Some(d) => format!("active, announced, takes effect on {d}"),
                None => "proposed, not public".into(),
            };
            let to = if transfers.is_empty() {
                "no transfers".to_string()
            } else {
                format!("transfers to {}", places(&transfers))
            };
            format!("create as {} ({when}); {to}", v.incoming.key)
        }
        Action::Update {
            fields,
            added,
            changed,
        } => {
            let mut parts = fields.clone();
            if !added.is_empty() {
                parts.push(format!("add transfers to {}", places(added)));
            }
            if !changed.is_empty() {
                parts.push(format!("change transfers to {}", places(changed)));
            }
            format!(
                "change {}: {}",
                v.matched.as_deref().unwrap_or_default(),
                parts.join("; ")
            )
        }
        Action::Unchanged => format!("unchanged ({})", v.matched.as_deref().unwrap_or_default()),
        Action::Skipped(why) => format!("left as is: {why}"),
    }
}
