//! `crossborder assess`: one transfer out of the EU/EEA on a date, from the rules compiled in
//! (no database needed).

use chrono::NaiveDate;

use crate::date::{parse_date, today};
use crate::rules::{self, Claim, CountryCode, Facts, MechanismId, RuleSet};
use crate::text;

use super::CliError;
use super::output::{emit, json};

#[derive(clap::Args)]
pub struct AssessArgs {
    /// Country where the exporter (the organisation sending the data) is established: an ISO
    /// 3166-1 alpha-2 code, case-insensitive (FR, de, SE).
    #[arg(long, value_name = "CC", value_parser = parse_country)]
    exporter: CountryCode,

    /// Country where the importer receives or handles the data: an ISO 3166-1 alpha-2 code,
    /// case-insensitive, or an international organisation's code (IO-EPO).
    #[arg(long, value_name = "CC", value_parser = parse_country)]
    importer: CountryCode,

    #[arg(
        long = "mechanism",
        value_name = "ID[:YYYY-MM-DD]",
        value_parser = parse_claim,
        help = "A mechanism the contract or policy claims, by its id in the rules data; \
                `:YYYY-MM-DD` is the date the contract was signed. Repeatable",
        long_help = mechanism_help()
    )]
    mechanisms: Vec<Claim>,

    #[arg(
        long = "certified",
        value_name = "FRAMEWORK",
        value_parser = parse_framework,
        help = "The importer is on the official list of this framework on the date assessed. Repeatable",
        long_help = certified_help()
    )]
    certified: Vec<MechanismId>,

    /// Same as `--certified dpf`.
    #[arg(long, hide = true)]
    dpf_certified: bool,

    /// A transfer impact assessment is on record (expected for Art. 46 safeguards since
    /// 2020-07-16, CJEU C-311/18); without one a safeguarded transfer is a warning.
    #[arg(long)]
    tia: bool,

    /// The processing covered by an old contract has changed since it was signed: old SCCs then
    /// stop counting after their cutoff ((EU) 2021/914 Art. 4).
    #[arg(long)]
    processing_changed: bool,

    /// The date to assess, YYYY-MM-DD (default: today). The rules in force that day apply.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_as_of)]
    as_of: Option<NaiveDate>,

    /// Print one JSON object {verdict, flagged, severity, reason, mechanism, references, hints}.
    #[arg(long)]
    json: bool,
}

pub fn run(args: AssessArgs) -> Result<(), CliError> {
    let rules = RuleSet::embedded();
    let mut facts = Facts::new(args.exporter, args.importer);
    facts.claims = args.mechanisms;
    facts.certified = args.certified;
    if args.dpf_certified
        && let Ok(dpf) = rules.framework_id("dpf")
    {
        facts.certified.push(dpf);
    }
    facts.tia = args.tia;
    facts.processing_changed = args.processing_changed;
    let assessment = rules::assess(&facts, rules, args.as_of.unwrap_or_else(today));
    if args.json {
        emit(&json(&assessment))
    } else {
        emit(&text::assessment(&assessment))
    }
}

fn parse_country(s: &str) -> Result<CountryCode, String> {
    CountryCode::parse(s).map_err(|e| e.to_string())
}

/// `--as-of`, here and in `rules`.
pub fn parse_as_of(s: &str) -> Result<NaiveDate, String> {
    parse_date(s).map_err(|e| e.to_string())
}

fn parse_claim(s: &str) -> Result<Claim, String> {
    let (id, signed) = match s.split_once(':') {
        Some((id, date)) => (
            id,
            Some(parse_date(date).map_err(|e| format!("signing date: {e}"))?),
        ),
        None => (s, None),
    };
    let mechanism = RuleSet::embedded()
        .mechanism_id(id)
        .map_err(|e| e.to_string())?;
    Ok(Claim { mechanism, signed })
}

fn parse_framework(s: &str) -> Result<MechanismId, String> {
    RuleSet::embedded()
        .framework_id(s)
        .map_err(|e| e.to_string())
}

fn ids_of(kind: &str) -> String {
    RuleSet::embedded()
        .mechanisms
        .iter()
        .filter(|m| m.kind.label() == kind)
        .map(|m| m.id())
        .collect::<Vec<_>>()
        .join(", ")
}

fn mechanism_help() -> String {
    format!(
        "A mechanism the contract or policy claims, by its id in the rules data. Repeatable.\n\
         Append `:YYYY-MM-DD` for the date the contract was signed (the old SCCs count after \
         2021-09-27 only for contracts signed before it).\n\n\
         Frameworks (cover only certified importers, see --certified): {}\n\
         Safeguards (Art. 46/47): {}\n\
         Derogations (Art. 49): {}",
        ids_of("framework"),
        ids_of("safeguard"),
        ids_of("derogation")
    )
}

fn certified_help() -> String {
    format!(
        "The importer is on the official list of this framework on the date assessed. \
         Repeatable. A framework covers a transfer only with it: `--mechanism dpf` without \
         `--certified dpf` is unsafeguarded.\n\nFrameworks: {}",
        ids_of("framework")
    )
}

/// Shown after `crossborder assess --help`.
pub fn examples() -> &'static str {
    "Examples:\n  \
     crossborder assess --exporter FR --importer US --mechanism privacy_shield --certified privacy_shield --as-of 2019-05-23\n  \
     crossborder assess --exporter DE --importer IN --mechanism scc_2010:2019-03-01 --as-of 2022-06-01 --json\n  \
     crossborder assess --exporter SE --importer US --certified dpf --tia"
}
