//! `crossborder assess`: one transfer on a date, under the regime of the exporter (EU/EEA, UK,
//! Swiss), from the rules compiled in (no database needed).

use chrono::NaiveDate;

use crate::date::{parse_date, today};
use crate::rules::{self, Certified, Claim, CountryCode, Facts, Parts, RuleSet, ScopeExclusion};
use crate::text;

use super::CliError;
use super::output::{emit, json};

#[derive(clap::Args)]
pub struct AssessArgs {
    /// Country where the exporter (the organisation sending the data) is established: an ISO
    /// 3166-1 alpha-2 code, case-insensitive (FR, de, GB, CH). It chooses the regime with the
    /// date: EU/EEA law, UK law for GB from 2021-01-01, Swiss law for CH from 2008-01-01.
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
    certified: Vec<Certified>,

    #[arg(
        long = "outside-scope",
        value_name = "CONDITION",
        value_parser = parse_exclusion,
        help = "The importer is outside an adequacy decision's scope for this reason \
                (kr_religious, ca_not_pipeda...): the decisions it excludes do not cover it. Repeatable",
        long_help = outside_scope_help()
    )]
    outside_scope: Vec<ScopeExclusion>,

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

    /// Print one JSON object {regime, verdict, flagged, severity, reason, mechanism, references,
    /// hints}.
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
        facts.certified.push(Certified::all(dpf));
    }
    facts.tia = args.tia;
    facts.processing_changed = args.processing_changed;
    facts.outside_scope = args.outside_scope;
    rules.check(&facts).map_err(CliError::usage)?;
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

/// `FRAMEWORK[:REGIME,...]`: without parts, the part of the regime that assesses.
fn parse_framework(s: &str) -> Result<Certified, String> {
    let rules = RuleSet::embedded();
    let (id, parts) = match s.split_once(':') {
        Some((id, parts)) => (id, Some(parts)),
        None => (s, None),
    };
    let framework = rules.framework_id(id).map_err(|e| e.to_string())?;
    let parts = match parts {
        None => Parts::ALL,
        Some(list) => rules.parts(list.split(','))?,
    };
    Ok(Certified { framework, parts })
}

fn parse_exclusion(s: &str) -> Result<ScopeExclusion, String> {
    ScopeExclusion::parse(s).map_err(|e| e.to_string())
}

fn ids_of(kind: &str) -> String {
    let rules = RuleSet::embedded();
    rules
        .mechanisms()
        .filter(|m| m.kind.label() == kind)
        .map(|m| {
            let only: Vec<&str> = rules
                .regimes
                .iter()
                .filter(|r| rules.mechanism_id(m.id()).is_ok_and(|id| r.accepts(id)))
                .map(|r| r.regime.as_str())
                .collect();
            if only.len() == rules.regimes.len() {
                m.id().to_string()
            } else {
                format!("{} ({})", m.id(), only.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn outside_scope_help() -> String {
    let conditions: Vec<String> = ScopeExclusion::all()
        .map(|e| {
            let countries: Vec<&str> = e.countries().iter().map(|c| c.as_str()).collect();
            format!("  {} ({}): {}", e.id(), countries.join(", "), e.label())
        })
        .collect();
    format!(
        "The importer is outside an adequacy decision's scope for this reason: the decisions that \
         name it do not cover the transfer, which goes on to safeguards. Repeatable. Without it, \
         the importer is taken to be inside the scope, shown as a hint (TRANSFER-RULES.md §2.1).\n\n{}",
        conditions.join("\n")
    )
}

fn mechanism_help() -> String {
    format!(
        "A mechanism the contract or policy claims, by its id in the rules data. Repeatable.\n\
         Append `:YYYY-MM-DD` for the date the contract was signed (the old SCCs count after \
         2021-09-27 only for contracts signed before it).\n\n\
         Ids valid in some regimes only name them in brackets; a Swiss exporter claiming a \
         UK-only tool is bad input (exit status 2).\n\n\
         Frameworks (cover only certified importers, see --certified): {}\n\
         Safeguards (Art. 46/47): {}\n\
         A safeguard claimed but not named (verdict unverified): {}\n\
         Derogations (Art. 49): {}",
        ids_of("framework"),
        ids_of("safeguard"),
        ids_of("unnamed"),
        ids_of("derogation")
    )
}

fn certified_help() -> String {
    format!(
        "The importer is on the official list of this framework on the date assessed. \
         Repeatable. A framework covers a transfer only with it: `--mechanism dpf` without \
         `--certified dpf` is unsafeguarded. Each regime reads its own part of the list: `dpf` is \
         the EU-U.S. DPF for EU exporters, the UK Extension for UK exporters, the Swiss-U.S. DPF \
         for Swiss exporters. `FRAMEWORK:eu,uk` names the parts the importer is on (regime ids: \
         {}); without them, the part of the regime that assesses.\n\nFrameworks: {}",
        RuleSet::embedded().regime_ids(),
        ids_of("framework")
    )
}

/// Shown after `crossborder assess --help`.
pub fn examples() -> &'static str {
    "Examples:\n  \
     crossborder assess --exporter FR --importer US --mechanism privacy_shield --certified privacy_shield --as-of 2019-05-23\n  \
     crossborder assess --exporter DE --importer IN --mechanism scc_2010:2019-03-01 --as-of 2022-06-01 --json\n  \
     crossborder assess --exporter SE --importer US --certified dpf --tia\n  \
     crossborder assess --exporter GB --importer US --certified dpf:eu --as-of 2024-01-01\n  \
     crossborder assess --exporter CH --importer IN --mechanism scc_2010:2021-01-15 --as-of 2022-12-31\n  \
     crossborder assess --exporter FR --importer KR --outside-scope kr_religious --mechanism scc_2021 --tia\n  \
     crossborder assess --exporter NL --importer US --mechanism unnamed_safeguard"
}
