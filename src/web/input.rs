//! A vendor and a transfer as a person or a tool types them, with their checks: the API's JSON
//! bodies and the workspace's forms both come in as these, are checked by the same rules (field
//! by field, every error at once), then parse into the registry's commands.

use chrono::NaiveDate;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::registry::history::notice::Timing;
use crate::registry::{
    ClaimedMechanism, DataCategory, Evidence, NewVendor, Role, Transfer, VendorCategory,
    VendorFields, VendorStatus,
};
use crate::rules::{CountryCode, RuleSet, ScopeExclusion};
use crate::values::{FieldError, VendorKey, WebUrl, word};

pub use super::field_errors::{field_errors, field_errors_of};

#[derive(Serialize, Deserialize, ToSchema, Clone)]
pub struct MechanismClaim {
    /// A mechanism id of the rules data (scc_2021, dpf, bcr, consent...).
    #[schema(schema_with = crate::web::api::vocabulary::mechanism_id)]
    pub id: String,
    /// When the contract was signed: today or earlier.
    pub signed_on: Option<NaiveDate>,
}

#[derive(Serialize, Deserialize, Validate, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct EvidenceIo {
    /// The document the record comes from.
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub document: String,
    /// A verbatim quote.
    #[validate(length(min = 1, max = 4000), custom(function = "not_blank"))]
    pub quote: String,
    #[validate(custom(function = "valid_web_url"), length(max = 500))]
    pub url: Option<String>,
}

impl EvidenceIo {
    pub fn into_evidence(self) -> Evidence {
        Evidence {
            document: self.document.trim().to_string(),
            quote: self.quote.trim().to_string(),
            url: self.url,
        }
    }
}

// --- inputs ----------------------------------------------------------------------------------

pub(crate) fn error(code: &'static str, message: String) -> ValidationError {
    let mut e = ValidationError::new(code);
    e.message = Some(message.into());
    e
}

pub(crate) fn valid_web_url(value: &str) -> Result<(), ValidationError> {
    WebUrl::parse(value)
        .map(|_| ())
        .map_err(|message| error("url", message))
}

/// A field left blank; its message ("Enter a name") is worded by [`field_errors`], which knows
/// the field.
pub(crate) fn not_blank(value: &str) -> Result<(), ValidationError> {
    (!value.trim().is_empty())
        .then_some(())
        .ok_or_else(|| ValidationError::new("blank"))
}

pub(crate) fn valid_country(value: &str) -> Result<(), ValidationError> {
    CountryCode::parse(value)
        .map(|_| ())
        .map_err(|e| error("country", e.to_string()))
}

fn valid_key(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() {
        return Err(error(
            "key",
            "Enter a key: lowercase letters, digits and '-', such as acme-mail".into(),
        ));
    }
    VendorKey::parse(value).map(|_| ()).map_err(|_| {
        error(
            "key",
            format!(
                "Use only lowercase letters, digits and '-' in the key, at most 64 \
                 ('{value}' has others)"
            ),
        )
    })
}

fn vocabulary<T: std::str::FromStr>(value: &str, words: String) -> Result<(), ValidationError> {
    value.parse::<T>().map(|_| ()).map_err(|_| {
        error(
            "vocabulary",
            format!("Choose one of: {words} ('{value}' is not one)"),
        )
    })
}

/// A day something was done cannot be in the future (the rule is [`crate::date::done_by`]).
fn done_by_today(date: &NaiveDate, what: &str) -> Result<(), ValidationError> {
    crate::date::done_by(*date, crate::date::today(), what)
        .map_err(|message| error("future", message))
}

fn dpa_signed(date: &NaiveDate) -> Result<(), ValidationError> {
    done_by_today(date, "The DPA was signed")
}

fn tia_done(date: &NaiveDate) -> Result<(), ValidationError> {
    done_by_today(date, "The transfer impact assessment was done")
}

pub(crate) fn list_verified(date: &NaiveDate) -> Result<(), ValidationError> {
    done_by_today(date, "The framework's list was checked")
}

fn valid_role(value: &str) -> Result<(), ValidationError> {
    vocabulary::<Role>(value, crate::values::vocabulary::<Role>())
}

fn valid_status(value: &str) -> Result<(), ValidationError> {
    vocabulary::<VendorStatus>(value, crate::values::vocabulary::<VendorStatus>())
}

fn valid_categories(values: &[String]) -> Result<(), ValidationError> {
    if values.is_empty() {
        return Err(error("categories", "Choose at least one category".into()));
    }
    values.iter().try_for_each(|v| {
        vocabulary::<VendorCategory>(v, crate::values::vocabulary::<VendorCategory>())
    })
}

pub(crate) fn valid_data_categories(values: &[String]) -> Result<(), ValidationError> {
    values.iter().try_for_each(|v| {
        vocabulary::<DataCategory>(v, crate::values::vocabulary::<DataCategory>())
    })
}

pub(crate) fn valid_countries(values: &[String]) -> Result<(), ValidationError> {
    if values.is_empty() {
        return Err(error("countries", "Choose at least one country".into()));
    }
    values.iter().try_for_each(|c| valid_country(c))
}

pub(crate) fn valid_outside_scope(values: &[String]) -> Result<(), ValidationError> {
    values.iter().try_for_each(|v| {
        ScopeExclusion::parse(v)
            .map(|_| ())
            .map_err(|e| error("outside_scope", e.to_string()))
    })
}

pub(crate) fn valid_mechanisms(values: &[MechanismClaim]) -> Result<(), ValidationError> {
    let rules = RuleSet::embedded();
    values.iter().try_for_each(|m| {
        let id = rules
            .mechanism_id(&m.id)
            .map_err(|e| error("mechanism", e.to_string()))?;
        m.signed_on.as_ref().map_or(Ok(()), |d| {
            let short = &rules.mechanism(id).short;
            done_by_today(d, &format!("The contract for the {short} was signed"))
        })
    })
}

/// A vendor as the API creates or updates it.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorIn {
    /// Stable id within the organisation (lowercase, digits, '-'). Left out on create: made from
    /// the name, unique in the organisation ("Stripe, Inc." -> `stripe-inc`, then `stripe-inc-2`).
    /// On update it may be left out, or must be the vendor's.
    #[validate(custom(function = "valid_key"))]
    #[serde(default)]
    pub key: String,
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub name: String,
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub legal_entity: Option<String>,
    #[validate(custom(function = "valid_web_url"), length(max = 500))]
    pub website: Option<String>,
    /// ISO 3166-1 alpha-2.
    #[validate(custom(function = "valid_country"))]
    pub headquarters: Option<String>,
    /// processor, sub_processor, independent_controller or joint_controller.
    #[validate(custom(function = "valid_role"))]
    #[schema(schema_with = crate::web::api::vocabulary::role)]
    pub role: String,
    #[validate(custom(function = "valid_categories"))]
    #[schema(schema_with = crate::web::api::vocabulary::categories)]
    pub categories: Vec<String>,
    #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
    pub purpose: String,
    /// proposed or active (default proposed). Retire with the retire route.
    #[validate(custom(function = "valid_status"))]
    #[schema(schema_with = crate::web::api::vocabulary::new_vendor_status)]
    pub status: Option<String>,
    /// When an active vendor takes effect (default: today plus the organisation's notice period).
    pub active_from: Option<NaiveDate>,
    /// When the DPA was signed: today or earlier.
    #[validate(custom(function = "dpa_signed"))]
    pub dpa_signed_on: Option<NaiveDate>,
    #[validate(custom(function = "valid_web_url"), length(max = 500))]
    pub dpa_url: Option<String>,
    #[validate(length(max = 4000))]
    pub notes: Option<String>,
    /// When the change takes effect: today or later. Default: today, or the end of the notice
    /// period for a change that widens sharing (a new vendor, destination, data category or role).
    pub effective_on: Option<NaiveDate>,
    /// Why a change that widens sharing takes effect before the notice period ends (published).
    #[validate(length(min = 1, max = 500), custom(function = "not_blank"))]
    pub urgent_reason: Option<String>,
    /// Makes the change a correction of the past, from `effective_on`, for this reason (published
    /// beside what it corrects).
    #[validate(length(min = 1, max = 500), custom(function = "not_blank"))]
    pub correction_reason: Option<String>,
    /// Transfers to create with the vendor (create only).
    #[serde(default)]
    #[validate(nested)]
    pub transfers: Vec<TransferIn>,
}

/// A value of a validated body, parsed; a value that does not parse is named, never dropped.
fn parsed<T>(field: &str, value: Result<T, String>) -> Result<T, Vec<FieldError>> {
    value.map_err(|message| vec![FieldError::new(field, message)])
}

fn country(field: &str, value: &str) -> Result<CountryCode, Vec<FieldError>> {
    parsed(field, CountryCode::parse(value).map_err(|e| e.to_string()))
}

fn web_url(field: &str, value: Option<&str>) -> Result<Option<WebUrl>, Vec<FieldError>> {
    value.map(|v| parsed(field, WebUrl::parse(v))).transpose()
}

/// When a change asked for takes effect, as the notice rules read it.
pub fn timing(
    effective_on: Option<NaiveDate>,
    urgent_reason: &Option<String>,
    correction_reason: &Option<String>,
) -> Timing {
    Timing {
        effective_on,
        urgent: urgent_reason.clone(),
        correction: correction_reason.clone(),
    }
}

impl VendorIn {
    pub fn timing(&self) -> Timing {
        timing(
            self.effective_on,
            &self.urgent_reason,
            &self.correction_reason,
        )
    }

    /// The vendor's own fields, for an update (the key and the transfers are not part of it).
    pub fn fields(&self) -> Result<VendorFields, Vec<FieldError>> {
        Ok(VendorFields {
            name: self.name.clone(),
            legal_entity: self.legal_entity.clone(),
            website: web_url("website", self.website.as_deref())?,
            headquarters: self
                .headquarters
                .as_deref()
                .map(|c| country("headquarters", c))
                .transpose()?,
            role: parsed("role", word::<Role>(&self.role))?,
            categories: self
                .categories
                .iter()
                .map(|c| parsed("categories", word::<VendorCategory>(c)))
                .collect::<Result<_, _>>()?,
            purpose: self.purpose.clone(),
            status: self
                .status
                .as_deref()
                .map(|s| parsed("status", word::<VendorStatus>(s)))
                .transpose()?,
            active_from: self.active_from,
            dpa_signed_on: self.dpa_signed_on,
            dpa_url: web_url("dpa_url", self.dpa_url.as_deref())?,
            notes: self.notes.clone(),
        })
    }

    /// A new vendor with its first transfers.
    pub fn into_new(self) -> Result<NewVendor, Vec<FieldError>> {
        Ok(NewVendor {
            key: parsed("key", VendorKey::parse(&self.key))?,
            fields: self.fields()?,
            transfers: self
                .transfers
                .into_iter()
                .map(TransferIn::into_transfer)
                .collect::<Result<_, _>>()?,
        })
    }
}

/// A transfer as the API creates or updates it.
#[derive(Deserialize, Validate, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct TransferIn {
    /// ISO 3166-1 alpha-2; leave out when unknown and say where in `location`.
    #[validate(custom(function = "valid_country"))]
    pub country: Option<String>,
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub location: Option<String>,
    #[serde(default)]
    #[validate(custom(function = "valid_data_categories"))]
    #[schema(schema_with = crate::web::api::vocabulary::data_categories)]
    pub data_categories: Vec<String>,
    #[serde(default)]
    #[validate(custom(function = "valid_mechanisms"))]
    pub mechanisms: Vec<MechanismClaim>,
    /// When the transfer impact assessment was done: today or earlier.
    #[validate(custom(function = "tia_done"))]
    pub tia_on: Option<NaiveDate>,
    #[validate(length(max = 4000))]
    pub supplementary_measures: Option<String>,
    #[validate(length(max = 4000))]
    pub notes: Option<String>,
    /// Why the importer is outside an adequacy decision's scope, so that decision does not
    /// cover it: ids such as `kr_religious`, `ca_not_pipeda`, `manual_only` (TRANSFER-RULES.md
    /// §2.1), each about the transfer's country.
    #[serde(default)]
    #[validate(custom(function = "valid_outside_scope"))]
    pub outside_scope: Vec<String>,
    /// Documents and quotes backing the transfer. On an update they are added to what the
    /// transfer has: evidence is never removed.
    #[serde(default)]
    #[validate(nested)]
    pub evidence: Vec<EvidenceIo>,
    /// (Alone, not within a vendor.) When the change takes effect: today or later. Default: today, or the end of the notice
    /// period for a change that widens sharing (a new vendor, destination, data category or role).
    pub effective_on: Option<NaiveDate>,
    /// Why a change that widens sharing takes effect before the notice period ends (published).
    #[validate(length(min = 1, max = 500), custom(function = "not_blank"))]
    pub urgent_reason: Option<String>,
    /// Makes the change a correction of the past, from `effective_on`, for this reason (published
    /// beside what it corrects).
    #[validate(length(min = 1, max = 500), custom(function = "not_blank"))]
    pub correction_reason: Option<String>,
}

impl TransferIn {
    pub fn timing(&self) -> Timing {
        timing(
            self.effective_on,
            &self.urgent_reason,
            &self.correction_reason,
        )
    }

    /// Checks what one field cannot: a country or a location.
    pub fn check(&self) -> Vec<FieldError> {
        if self.country.is_none() && self.location.is_none() {
            vec![FieldError {
                field: "country".into(),
                message: "Choose the country, or say where in the location when it is not known"
                    .into(),
            }]
        } else {
            Vec::new()
        }
    }

    pub fn into_transfer(self) -> Result<Transfer, Vec<FieldError>> {
        let rules = RuleSet::embedded();
        let mut data_categories: Vec<DataCategory> = self
            .data_categories
            .iter()
            .map(|c| parsed("data_categories", word::<DataCategory>(c)))
            .collect::<Result<_, _>>()?;
        data_categories.sort();
        data_categories.dedup();
        let mechanisms = self
            .mechanisms
            .into_iter()
            .map(|m| {
                parsed(
                    "mechanisms",
                    rules.mechanism_id(&m.id).map_err(|e| e.to_string()),
                )?;
                Ok(ClaimedMechanism {
                    id: m.id,
                    signed_on: m.signed_on,
                })
            })
            .collect::<Result<_, Vec<FieldError>>>()?;
        let mut outside_scope: Vec<ScopeExclusion> = self
            .outside_scope
            .iter()
            .map(|e| {
                parsed(
                    "outside_scope",
                    ScopeExclusion::parse(e).map_err(|e| e.to_string()),
                )
            })
            .collect::<Result<_, _>>()?;
        outside_scope.sort();
        outside_scope.dedup();
        Ok(Transfer {
            id: 0,
            position: 0,
            country: self
                .country
                .as_deref()
                .map(|c| country("country", c))
                .transpose()?,
            location: self.location,
            data_categories,
            mechanisms,
            tia_on: self.tia_on,
            supplementary_measures: self.supplementary_measures,
            notes: self.notes,
            outside_scope,
            evidence: self
                .evidence
                .into_iter()
                .map(EvidenceIo::into_evidence)
                .collect(),
            version: 1,
        })
    }
}
