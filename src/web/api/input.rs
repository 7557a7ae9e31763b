//! What the API alone takes in: certifications, verifications, evidence, retirements, one-off
//! assessments and intake requests. Vendors and transfers come in as [`crate::web::input`].

use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use super::vocabulary;
use crate::registry::{Certification, Evidence};
use crate::rules::RuleSet;
use crate::web::input::{
    EvidenceIo, MechanismClaim, error, list_verified, not_blank, valid_countries, valid_country,
    valid_data_categories, valid_mechanisms, valid_web_url,
};

/// A framework list the vendor is on (the Data Privacy Framework, say), as the API adds it.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificationIn {
    /// A framework id of the rules data: safe_harbour, privacy_shield or dpf.
    #[validate(custom(function = "valid_framework"))]
    #[schema(schema_with = vocabulary::framework)]
    pub framework: String,
    /// The parts of the list the vendor is on, as regime ids: `eu` (the EU-U.S. DPF), `uk` (its
    /// UK Extension), `ch` (the Swiss-U.S. DPF). Default `["eu"]`.
    #[serde(default = "eu_part")]
    #[validate(custom(function = "valid_parts"))]
    pub parts: Vec<String>,
    /// The first day the vendor is on the list.
    pub from: NaiveDate,
    /// The first day it no longer is, if it has left the list.
    pub until: Option<NaiveDate>,
    /// When the list was last checked: today or earlier.
    #[validate(custom(function = "list_verified"))]
    pub verified_on: NaiveDate,
    #[serde(default)]
    #[validate(nested)]
    pub evidence: Vec<EvidenceIo>,
}

impl CertificationIn {
    pub fn into_certification(self) -> Certification {
        Certification {
            id: 0,
            framework: self.framework.trim().to_string(),
            parts: normalised_parts(&self.parts),
            from: self.from,
            until: self.until,
            verified_on: self.verified_on,
            evidence: self
                .evidence
                .into_iter()
                .map(EvidenceIo::into_evidence)
                .collect(),
        }
    }
}

/// A certification checked again, or ended.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationIn {
    /// When the list was checked: today or earlier.
    #[validate(custom(function = "list_verified"))]
    pub verified_on: NaiveDate,
    /// The first day the vendor is no longer on the list; leave out while it is.
    pub until: Option<NaiveDate>,
}

/// Evidence for the vendor, one of its transfers or one of its certifications.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceIn {
    /// vendor, transfer or certification.
    #[validate(custom(function = "valid_evidence_subject"))]
    #[schema(schema_with = vocabulary::evidence_subject)]
    pub about: String,
    /// The transfer's or certification's id (not for the vendor).
    pub id: Option<i32>,
    /// The document the record comes from.
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub document: String,
    /// A verbatim quote.
    #[validate(length(min = 1, max = 4000), custom(function = "not_blank"))]
    pub quote: String,
    #[validate(custom(function = "valid_web_url"), length(max = 500))]
    pub url: Option<String>,
}

impl EvidenceIn {
    /// What the evidence is about; `None` when `about` needs an `id` that is missing.
    pub fn subject(&self) -> Option<crate::registry::EvidenceFor> {
        use crate::registry::EvidenceFor;
        match (self.about.as_str(), self.id) {
            ("vendor", _) => Some(EvidenceFor::Vendor),
            ("transfer", Some(id)) => Some(EvidenceFor::Transfer(id)),
            ("certification", Some(id)) => Some(EvidenceFor::Certification(id)),
            _ => None,
        }
    }

    pub fn evidence(&self) -> Evidence {
        Evidence {
            document: self.document.trim().to_string(),
            quote: self.quote.trim().to_string(),
            url: self.url.clone(),
        }
    }
}

fn valid_evidence_subject(value: &str) -> Result<(), ValidationError> {
    matches!(value, "vendor" | "transfer" | "certification")
        .then_some(())
        .ok_or_else(|| error("about", "one of vendor, transfer, certification".into()))
}

fn eu_part() -> Vec<String> {
    vec!["eu".to_string()]
}

/// Trimmed, in the rule set's order of regimes, each once.
fn normalised_parts(parts: &[String]) -> Vec<String> {
    RuleSet::embedded()
        .regimes
        .iter()
        .map(|r| r.regime.clone())
        .filter(|id| parts.iter().any(|p| p.trim() == id))
        .collect()
}

fn valid_parts(values: &[String]) -> Result<(), ValidationError> {
    RuleSet::embedded()
        .parts(values.iter().map(String::as_str))
        .map(|_| ())
        .map_err(|e| error("parts", e))
}

fn valid_framework(value: &str) -> Result<(), ValidationError> {
    RuleSet::embedded()
        .framework_id(value)
        .map(|_| ())
        .map_err(|e| error("framework", e.to_string()))
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireIn {
    /// The first day the vendor is no longer used: today or later, or a past day with a
    /// `correction_reason`.
    pub effective_on: NaiveDate,
    /// Makes the retirement a correction of the past, for this reason (published).
    #[validate(
        length(min = 1, max = 500),
        custom(function = "crate::web::input::not_blank")
    )]
    pub correction_reason: Option<String>,
}

/// Withdraws a proposed vendor that was never listed.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WithdrawIn {
    /// Why, added to the vendor's notes (not published: the vendor never was).
    #[validate(
        length(min = 1, max = 2000),
        custom(function = "crate::web::input::not_blank")
    )]
    pub reason: Option<String>,
}

/// Ends a transfer.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EndTransferIn {
    /// The first day the transfer no longer happens: today (the default) or later, or a past day
    /// with a `correction_reason`.
    pub effective_on: Option<NaiveDate>,
    /// Makes the end a correction of the past, for this reason (published).
    #[validate(
        length(min = 1, max = 500),
        custom(function = "crate::web::input::not_blank")
    )]
    pub correction_reason: Option<String>,
}

/// The facts of one transfer, as `crossborder assess` takes them.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssessIn {
    /// ISO 3166-1 alpha-2 of the exporter's establishment.
    #[validate(custom(function = "valid_country"))]
    pub exporter: String,
    /// ISO 3166-1 alpha-2 of the destination (or IO-EPO); leave out when not known.
    #[validate(custom(function = "valid_country"))]
    pub importer: Option<String>,
    #[serde(default)]
    #[validate(custom(function = "valid_mechanisms"))]
    pub mechanisms: Vec<MechanismClaim>,
    /// Frameworks whose list the importer is on: safe_harbour, privacy_shield, dpf; each reads
    /// as the part of the regime that assesses (`dpf` for a UK exporter: the UK Extension).
    #[serde(default)]
    #[validate(custom(function = "valid_frameworks"))]
    #[schema(schema_with = vocabulary::frameworks)]
    pub certified: Vec<String>,
    /// Why the importer is outside an adequacy decision's scope: ids such as `kr_religious`,
    /// `ca_not_pipeda`, `manual_only` (TRANSFER-RULES.md §2.1).
    #[serde(default)]
    #[validate(custom(function = "crate::web::input::valid_outside_scope"))]
    pub outside_scope: Vec<String>,
    #[serde(default)]
    pub tia: bool,
    #[serde(default)]
    pub processing_changed: bool,
    /// Default today.
    pub as_of: Option<NaiveDate>,
}

fn valid_frameworks(values: &[String]) -> Result<(), ValidationError> {
    let rules = RuleSet::embedded();
    values.iter().try_for_each(|f| {
        rules
            .framework_id(f)
            .map(|_| ())
            .map_err(|e| error("framework", e.to_string()))
    })
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeIn {
    /// The organisation's slug.
    #[validate(length(min = 1, max = 64))]
    pub organisation: String,
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub vendor_name: String,
    #[validate(custom(function = "valid_web_url"), length(max = 500))]
    pub website: Option<String>,
    #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
    pub purpose: String,
    /// ISO codes of the countries where the vendor would handle data.
    #[validate(custom(function = "valid_countries"))]
    pub countries: Vec<String>,
    #[serde(default)]
    #[validate(custom(function = "valid_data_categories"))]
    #[schema(schema_with = vocabulary::data_categories)]
    pub data_categories: Vec<String>,
    /// Who asks (a person or a team), as the procurement tool knows them.
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub requester: String,
}
