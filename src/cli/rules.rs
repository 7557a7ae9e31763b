//! `crossborder rules`: the transfer rules in force on a date, as text or JSON.

use chrono::NaiveDate;

use crate::date::today;
use crate::rules::RuleSet;
use crate::text;

use super::CliError;
use super::assess::parse_as_of;
use super::output::{emit, json};

#[derive(clap::Args)]
pub struct RulesArgs {
    /// The date, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    as_of: Option<NaiveDate>,

    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: RulesArgs) -> Result<(), CliError> {
    let in_force = RuleSet::embedded().in_force(args.as_of.unwrap_or_else(today));
    if args.json {
        emit(&json(&in_force))
    } else {
        emit(&text::rules_in_force(&in_force))
    }
}
