//! `assess`: is one transfer of personal data covered on one date? A pure function of the facts,
//! the rules and the date, evaluated in the order of TRANSFER-RULES.md §6: [`decide`] finds the
//! step and the rules that decide, [`explain`] puts the decision into words.

use chrono::NaiveDate;
use serde::Serialize;

use super::citation::Citation;
use super::decide::decide;
use super::explain::explain;
use super::facts::Facts;
use super::ruleset::RuleSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    OutOfScope,
    IntraEea,
    Adequate,
    Safeguarded,
    Derogation,
    Unsafeguarded,
}

impl Verdict {
    pub const ALL: [Verdict; 6] = [
        Verdict::OutOfScope,
        Verdict::IntraEea,
        Verdict::Adequate,
        Verdict::Safeguarded,
        Verdict::Derogation,
        Verdict::Unsafeguarded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::OutOfScope => "out_of_scope",
            Verdict::IntraEea => "intra_eea",
            Verdict::Adequate => "adequate",
            Verdict::Safeguarded => "safeguarded",
            Verdict::Derogation => "derogation",
            Verdict::Unsafeguarded => "unsafeguarded",
        }
    }

    /// Words for people ("no safeguard").
    pub fn label(self) -> &'static str {
        match self {
            Verdict::OutOfScope => "out of scope",
            Verdict::IntraEea => "inside the EEA",
            Verdict::Adequate => "adequate",
            Verdict::Safeguarded => "safeguarded",
            Verdict::Derogation => "derogation only",
            Verdict::Unsafeguarded => "no safeguard",
        }
    }

    pub fn is_flagged(self) -> bool {
        matches!(self, Verdict::Derogation | Verdict::Unsafeguarded)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Ok,
    Warning,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Info,
        Severity::Ok,
        Severity::Warning,
        Severity::Critical,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Ok => "ok",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

/// The verdict on one transfer on one date, with what decided it. Borrows its citations from
/// the rule set, so assessing allocates only the sentences.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment<'r> {
    pub verdict: Verdict,
    pub flagged: bool,
    pub severity: Severity,
    pub reason: String,
    /// The id of the rule that covers the transfer (adequacy decision, framework, safeguard or
    /// derogation), if any.
    pub mechanism: Option<&'r str>,
    pub references: Vec<&'r Citation>,
    pub hints: Vec<String>,
}

/// Assesses one transfer on `as_of` under `rules`: `decide` which step of §6 holds and which
/// rules decided, then `explain` it. The facts' mechanism ids must come from the same rule set.
pub fn assess<'r>(facts: &Facts, rules: &'r RuleSet, as_of: NaiveDate) -> Assessment<'r> {
    explain(decide(facts, rules, as_of), rules)
}
