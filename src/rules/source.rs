//! A regime's rules file as a lawyer writes it (`seeds/rules/eu.toml`, `uk.toml`, `ch.toml`):
//! plain rows with string ids, before validation. `load.rs` turns these into the checked, indexed [`RuleSet`].
//!
//! [`RuleSet`]: super::RuleSet

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use super::Confidence;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    pub regime: String,
    pub name: String,
    /// How a sentence names the regime ("EU/EEA law").
    pub label: String,
    /// Where its exporters are ("the EU/EEA").
    pub area: String,
    pub tia: TiaRow,
    pub derogations: GuidanceRow,
    pub law: Vec<LawRow>,
    pub group: Vec<GroupRow>,
    pub application: Vec<ApplicationRow>,
    pub membership: Vec<MembershipRow>,
    pub adequacy: Vec<AdequacyRow>,
    pub framework: Vec<FrameworkRow>,
    pub safeguard: Vec<SafeguardRow>,
    pub transition: Vec<TransitionRow>,
    pub derogation: Vec<DerogationRow>,
    /// Claims that a safeguard is used without naming it (verdict `unverified`).
    #[serde(default)]
    pub unnamed: Vec<UnnamedRow>,
    /// Ids of other regimes that this one knows but refuses, with the reason.
    #[serde(default)]
    pub refused: Vec<RefusedRow>,
    /// Hints shown for destinations whose status is debated.
    #[serde(default)]
    pub destination_note: Vec<DestinationNoteRow>,
    /// Points of the reference not verified or still open, shown by `crossborder rules`.
    #[serde(default)]
    pub open_point: Vec<OpenPointRow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TiaRow {
    /// What the regime calls it ("transfer risk assessment" in the UK).
    #[serde(default = "tia_name")]
    pub name: String,
    pub expected_from: NaiveDate,
    pub reference: String,
    pub confidence: Confidence,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidanceRow {
    pub reference: String,
    pub confidence: Confidence,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LawRow {
    pub id: String,
    pub name: String,
    pub transfer_rules: String,
    pub adequacy_basis: String,
    pub safeguards_basis: String,
    pub derogations_basis: String,
    /// The words for an adequacy finding under this law ("adequacy decision").
    #[serde(default = "adequacy_term")]
    pub adequacy_term: String,
    /// A provision that makes the TIA part of the safeguard itself, cited when none is on record.
    pub tia_basis: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
    /// The verdict for a destination inside: `intra_eea` (default) or `domestic`.
    pub inside: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationRow {
    pub id: String,
    pub law: String,
    pub group: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub reference: String,
    pub confidence: Confidence,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipRow {
    pub id: String,
    pub group: String,
    pub status: String,
    pub countries: Vec<String>,
    /// A bridge binds only these exporters' groups and countries, when given.
    pub exporter_groups: Option<Vec<String>>,
    pub exporter_countries: Option<Vec<String>>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub reference: String,
    pub confidence: Confidence,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdequacyRow {
    pub id: String,
    /// One destination, or several in `countries`.
    pub country: Option<String>,
    pub countries: Option<Vec<String>>,
    pub scope: String,
    /// Scope conditions (`scope.toml`) that put an importer outside this decision.
    #[serde(default)]
    pub excludes: Vec<String>,
    #[serde(default)]
    pub partial_scope: bool,
    pub exporter_groups: Option<Vec<String>>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub reference: String,
    pub confidence: Confidence,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkRow {
    pub id: String,
    pub name: String,
    pub country: String,
    pub list: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub invalidated_by: Option<String>,
    /// A hint given with every verdict the framework decides (a pending challenge).
    pub risk: Option<String>,
    pub reference: String,
    pub confidence: Confidence,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafeguardRow {
    pub id: String,
    pub name: String,
    pub short: String,
    #[serde(default)]
    pub family: Option<String>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub new_contracts_until: Option<NaiveDate>,
    pub transition: Option<String>,
    /// A doubt on the sunset: a hint for contracts accepted from `from` on.
    pub doubt: Option<DoubtRow>,
    pub basis: BTreeMap<String, String>,
    pub reference: String,
    pub confidence: Confidence,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionRow {
    pub id: String,
    pub name: String,
    pub new_contracts_until: NaiveDate,
    pub valid_until: NaiveDate,
    pub requires_unchanged_processing: bool,
    pub reference: String,
    pub confidence: Confidence,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerogationRow {
    pub id: String,
    pub name: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub basis: BTreeMap<String, String>,
    pub reference: Option<String>,
    pub confidence: Confidence,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DoubtRow {
    pub from: NaiveDate,
    pub hint: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnnamedRow {
    pub id: String,
    pub name: String,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub basis: BTreeMap<String, String>,
    pub hint: String,
    pub reference: String,
    pub confidence: Confidence,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefusedRow {
    pub id: String,
    pub name: String,
    pub reason: String,
    pub reference: String,
    pub confidence: Confidence,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DestinationNoteRow {
    pub id: String,
    pub countries: Vec<String>,
    pub hint: String,
    pub reference: String,
    pub confidence: Confidence,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenPointRow {
    pub id: String,
    pub text: String,
}

fn tia_name() -> String {
    "transfer impact assessment".to_string()
}

fn adequacy_term() -> String {
    "adequacy decision".to_string()
}
