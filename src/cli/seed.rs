//! `crossborder seed`: load organisation seed files, or a synthetic organisation.

use std::path::PathBuf;

use crate::registry::seed;
use crate::rules::RuleSet;

use super::CliError;
use super::database::DatabaseArgs;
use super::output::emit;

#[derive(clap::Args)]
pub struct SeedArgs {
    /// A directory of seed files (*.toml, format in seeds/organisations/README.md) instead of
    /// the compiled-in examples.
    #[arg(long, value_name = "DIR", conflicts_with = "synthetic")]
    dir: Option<PathBuf>,

    /// Generate a synthetic organisation with this many vendors (for benchmarks), instead.
    #[arg(long, value_name = "VENDORS", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    synthetic: Option<u32>,

    /// The slug of the synthetic organisation.
    #[arg(long, default_value = "synthetic", requires = "synthetic", value_parser = super::text::Text)]
    slug: String,

    /// A clean reload: discard what the database holds for each organisation loaded (vendors,
    /// transfers, change log, intake requests; the audit log is kept), reset its settings to the
    /// seed's and load the seed anew. Says what it discards before doing it.
    #[arg(long)]
    replace: bool,

    #[command(flatten)]
    database: DatabaseArgs,
}

pub fn run(args: SeedArgs) -> Result<(), CliError> {
    let rules = RuleSet::embedded();
    let seeds = match (&args.dir, args.synthetic) {
        (_, Some(count)) => Ok(vec![seed::synthetic(&args.slug, count as usize)]),
        (Some(dir), None) => seed::from_dir(dir, rules),
        (None, None) => seed::embedded(rules),
    };
    let seeds = seeds.map_err(CliError::usage)?;
    let db = args.database.open()?;
    let mut conn = db.get().map_err(CliError::failure)?;
    for s in &seeds {
        let slug = &s.organisation.slug;
        let failed = |e: crate::db::DbError| CliError::failure(format!("{slug}: {e}"));
        // A retired organisation (examples removed) keeps its slug and is not loaded again.
        if crate::registry::organisation::is_retired(&mut conn, slug).map_err(failed)? {
            emit(&format!("{slug}: retired; not loaded again\n"))?;
            continue;
        }
        if args.replace {
            // Said first, so that what goes is known before it goes.
            let line = match seed::discarded(&mut conn, s).map_err(failed)? {
                Some(d) => format!("{slug}: --replace discards {d}\n"),
                None => format!("{slug}: not in the database; nothing to discard\n"),
            };
            emit(&line)?;
            let (discarded, report) =
                seed::replace(&mut conn, s, "cli:seed --replace").map_err(failed)?;
            let line = match discarded {
                Some(_) => format!(
                    "{slug}: reloaded from the seed with {} vendors\n",
                    report.vendors_added
                ),
                None => format!("{slug}: created with {} vendors\n", report.vendors_added),
            };
            emit(&line)?;
        } else {
            let report = seed::apply(&mut conn, s, "cli:seed").map_err(failed)?;
            emit(&describe(slug, &report))?;
        }
    }
    Ok(())
}

/// What loading one seed did, then each record that differs from it, one line each.
fn describe(slug: &str, r: &seed::SeedReport) -> String {
    let added = match r.vendors_added {
        0 => "nothing added".to_string(),
        1 => "1 vendor added".to_string(),
        n => format!("{n} vendors added"),
    };
    let mut out = match (r.organisation_created, r.differences.len()) {
        (true, _) => format!("{slug}: created with {} vendors\n", r.vendors_added),
        (false, 0) if r.vendors_added == 0 => format!("{slug}: unchanged\n"),
        (false, 0) => format!("{slug}: {added}\n"),
        (false, 1) => format!("{slug}: {added}; 1 record differs from the seed, left as is:\n"),
        (false, n) => {
            format!("{slug}: {added}; {n} records differ from the seed, left as is:\n")
        }
    };
    for (key, date) in &r.announced {
        out.push_str(&match date {
            Some(d) => format!("{slug}: vendor {key} announced today, takes effect {d}\n"),
            None => format!("{slug}: vendor {key} added as a proposal (not public)\n"),
        });
    }
    for d in &r.differences {
        out.push_str(&format!("{slug}: {d}\n"));
    }
    out
}
