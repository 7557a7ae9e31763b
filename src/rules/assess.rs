//! `assess`: is one transfer of personal data covered on one date? A pure function of the facts,
//! the rules and the date. The exporter's country and the date choose the regime (EU/EEA, UK,
//! Swiss); under it, in the order of TRANSFER-RULES.md §6, [`decide`] finds the step and the
//! rules that decide, [`explain`] puts the decision into words.

use chrono::NaiveDate;
use serde::Serialize;

use super::citation::Citation;
use super::decide::decide;
use super::explain::{explain, no_regime};
use super::facts::Facts;
use super::ruleset::RuleSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    OutOfScope,
    IntraEea,
    Adequate,
    Safeguarded,
    Domestic,
    Unverified,
    Derogation,
    Unsafeguarded,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::OutOfScope => "out_of_scope",
            Verdict::IntraEea => "intra_eea",
            Verdict::Adequate => "adequate",
            Verdict::Safeguarded => "safeguarded",
            Verdict::Domestic => "domestic",
            Verdict::Unverified => "unverified",
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
            Verdict::Domestic => "domestic",
            Verdict::Unverified => "safeguard claimed, not named",
            Verdict::Derogation => "derogation only",
            Verdict::Unsafeguarded => "no safeguard",
        }
    }

    pub fn is_flagged(self) -> bool {
        matches!(
            self,
            Verdict::Unverified | Verdict::Derogation | Verdict::Unsafeguarded
        )
    }

    /// Every verdict, in order of gravity.
    pub const ALL: [Verdict; 8] = [
        Verdict::OutOfScope,
        Verdict::IntraEea,
        Verdict::Adequate,
        Verdict::Safeguarded,
        Verdict::Domestic,
        Verdict::Unverified,
        Verdict::Derogation,
        Verdict::Unsafeguarded,
    ];
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
    /// The regime that assessed (`eu`, `uk`, `ch`); `None` when none governs the exporter.
    pub regime: Option<&'r str>,
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

/// Assesses one transfer on `as_of`: the regime of the exporter on that date, then `decide`
/// which step of §6 holds and which rules decided, then `explain` it. The facts' ids must come
/// from the same rule set, and the facts should have passed [`RuleSet::check`].
pub fn assess<'r>(facts: &Facts, rules: &'r RuleSet, as_of: NaiveDate) -> Assessment<'r> {
    match rules.regime_for(facts.exporter, as_of) {
        Some((position, regime, membership)) => {
            explain(decide(facts, rules, position, membership, as_of), regime)
        }
        None => no_regime(facts, rules, as_of),
    }
}
