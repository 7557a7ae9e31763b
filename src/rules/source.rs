//! The rules file as a lawyer writes it (`seeds/rules/eu.toml`): plain rows with string ids,
//! before validation. `load.rs` turns these into the checked, indexed [`RuleSet`].
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TiaRow {
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRow {
    pub id: String,
    pub name: String,
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
    pub country: String,
    pub scope: String,
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
