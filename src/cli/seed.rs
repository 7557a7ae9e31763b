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
    #[arg(long, default_value = "synthetic", requires = "synthetic")]
    slug: String,

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
    let mut out = String::new();
    for s in &seeds {
        let r = seed::apply(&mut conn, s, "cli:seed")
            .map_err(|e| CliError::failure(format!("{}: {e}", s.organisation.slug)))?;
        let what = if r.organisation_created {
            format!("created with {} vendors", r.vendors_added)
        } else if r.changed_anything() {
            format!(
                "{} vendors added, {} updated{}",
                r.vendors_added,
                r.vendors_updated,
                if r.organisation_updated {
                    ", organisation updated"
                } else {
                    ""
                }
            )
        } else {
            "unchanged".to_string()
        };
        out.push_str(&format!("{}: {what}\n", s.organisation.slug));
    }
    emit(&out)
}
