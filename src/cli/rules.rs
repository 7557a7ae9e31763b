//! `crossborder rules`: the transfer rules of one regime in force on a date, as text or JSON,
//! with the points of its reference still open.

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

    /// The regime: eu (EU/EEA: GDPR, Directive 95/46/EC before), uk (UK GDPR, from 2021-01-01)
    /// or ch (Swiss FADP, from 2008-01-01).
    #[arg(long, value_name = "REGIME", default_value = "eu")]
    regime: String,

    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: RulesArgs) -> Result<(), CliError> {
    let rules = RuleSet::embedded();
    let regime = rules.regime(&args.regime).ok_or_else(|| {
        CliError::usage(format!(
            "--regime: unknown regime '{}'; valid: {}",
            args.regime,
            rules.regime_ids()
        ))
    })?;
    let in_force = regime.in_force(args.as_of.unwrap_or_else(today));
    if args.json {
        emit(&json(&in_force))
    } else {
        emit(&text::rules_in_force(&in_force))
    }
}
