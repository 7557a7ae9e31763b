//! `assess`: is one transfer of personal data covered on one date? A pure function of the facts,
//! the rules and the date. The exporter's country and the date choose the regime (EU/EEA, UK,
//! Swiss); under it, in the order of TRANSFER-RULES.md §6, [`decide`] finds the step and the
//! rules that decide, [`explain`] puts the decision into words.

use chrono::NaiveDate;
use serde::Serialize;

use super::citation::Citation;
use super::decide::{Decision, Outside, decide, outside};
use super::explain::{Explanation, explain, no_regime};
use super::facts::Facts;
use super::regime::Regime;
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
/// the rule set. The reason and the hints are written only when asked for ([`reason`],
/// [`hints`]): the engine assesses millions of transfers, and most sentences are never read.
///
/// [`reason`]: Assessment::reason
/// [`hints`]: Assessment::hints
#[derive(Clone)]
pub struct Assessment<'r> {
    /// The regime that assessed (`eu`, `uk`, `ch`); `None` when none governs the exporter.
    pub regime: Option<&'r str>,
    pub verdict: Verdict,
    pub flagged: bool,
    pub severity: Severity,
    /// The id of the rule that covers the transfer (adequacy decision, framework, safeguard or
    /// derogation), if any.
    pub mechanism: Option<&'r str>,
    pub references: Vec<&'r Citation>,
    /// What decided, kept to write the sentences from.
    decided: Decided<'r>,
}

#[derive(Clone)]
enum Decided<'r> {
    Under(&'r Regime, Decision<'r>),
    Outside(&'r RuleSet, Outside<'r>),
}

impl<'r> Decided<'r> {
    fn words(&self, speak: bool) -> Explanation<'r> {
        match *self {
            Decided::Under(regime, ref decision) => explain(decision, regime, speak),
            Decided::Outside(all, ref outside) => no_regime(outside, all, speak),
        }
    }
}

impl<'r> Assessment<'r> {
    /// Why, in one sentence that starts with the regime's tag ("[UK law] ...").
    pub fn reason(&self) -> String {
        self.spoken().reason
    }

    /// What to do next, in sentences.
    pub fn hints(&self) -> Vec<String> {
        self.spoken().hints
    }

    /// The reason and the hints, written in one go.
    pub fn words(&self) -> (String, Vec<String>) {
        let said = self.spoken();
        (said.reason, said.hints)
    }

    /// The decision explained aloud. In tests and debug builds, also checks that the muted
    /// pass (which gave this assessment its verdict) decided the same: a rule must never
    /// depend on whether its words are written.
    fn spoken(&self) -> Explanation<'r> {
        let said = self.decided.words(true);
        debug_assert!(
            said.verdict == self.verdict
                && said.flagged == self.flagged
                && said.severity == self.severity
                && said.mechanism == self.mechanism
                && said.references.len() == self.references.len()
                && (said.references.iter().zip(&self.references))
                    .all(|(a, b)| std::ptr::eq(*a, *b)),
            "the muted and the spoken explanation differ: {}",
            said.reason
        );
        said
    }

    fn new(regime: Option<&'r str>, decided: Decided<'r>) -> Self {
        let e = decided.words(false);
        let (verdict, flagged, severity, mechanism, references) =
            (e.verdict, e.flagged, e.severity, e.mechanism, e.references);
        Assessment {
            regime,
            verdict,
            flagged,
            severity,
            mechanism,
            references,
            decided,
        }
    }
}

impl std::fmt::Debug for Assessment<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (reason, hints) = self.words();
        f.debug_struct("Assessment")
            .field("regime", &self.regime)
            .field("verdict", &self.verdict)
            .field("flagged", &self.flagged)
            .field("severity", &self.severity)
            .field("reason", &reason)
            .field("mechanism", &self.mechanism)
            .field("references", &self.references)
            .field("hints", &hints)
            .finish()
    }
}

/// The same fields as in `Debug`, with the sentences written (the CLI's `--json`).
impl Serialize for Assessment<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (reason, hints) = self.words();
        let mut s = serializer.serialize_struct("Assessment", 8)?;
        s.serialize_field("regime", &self.regime)?;
        s.serialize_field("verdict", &self.verdict)?;
        s.serialize_field("flagged", &self.flagged)?;
        s.serialize_field("severity", &self.severity)?;
        s.serialize_field("reason", &reason)?;
        s.serialize_field("mechanism", &self.mechanism)?;
        s.serialize_field("references", &self.references)?;
        s.serialize_field("hints", &hints)?;
        s.end()
    }
}

/// Assesses one transfer on `as_of`: the regime of the exporter on that date, then `decide`
/// which step of §6 holds and which rules decided; `explain` puts it into words when asked.
/// The facts' ids must come from the same rule set, and the facts should have passed
/// [`RuleSet::check`].
pub fn assess<'r>(facts: &Facts, rules: &'r RuleSet, as_of: NaiveDate) -> Assessment<'r> {
    match rules.regime_for(facts.exporter, as_of) {
        Some((position, regime, membership)) => Assessment::new(
            Some(&regime.regime),
            Decided::Under(regime, decide(facts, rules, position, membership, as_of)),
        ),
        None => Assessment::new(None, Decided::Outside(rules, outside(facts, rules, as_of))),
    }
}
