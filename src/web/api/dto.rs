//! What the API reads and writes, with its OpenAPI schemas. Inputs are checked field by field
//! (validator) and turned into registry records; outputs are built from them.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError, ValidationErrors};

use crate::registry::{
    Certification, ClaimedMechanism, DataCategory, Evidence, NewVendor, Organisation, Role,
    Transfer, Vendor, VendorCategory, VendorFields, VendorStatus,
};
use crate::rules::{Assessment, CountryCode, RuleSet};
use crate::values::{FieldError, VendorKey, WebUrl, word};

// --- outputs ---------------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct OrganisationOut {
    pub slug: String,
    pub name: String,
    pub legal_name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    pub privacy_contact: Option<String>,
    pub website: Option<String>,
    pub policy_date: Option<NaiveDate>,
    /// Days between announcing a new sub-processor and its taking effect.
    pub announce_days: i32,
}

impl From<&Organisation> for OrganisationOut {
    fn from(o: &Organisation) -> Self {
        OrganisationOut {
            slug: o.slug.clone(),
            name: o.name.clone(),
            legal_name: o.legal_name.clone(),
            country: o.country.to_string(),
            privacy_contact: o.privacy_contact.clone(),
            website: o.website.clone(),
            policy_date: o.policy_date,
            announce_days: o.announce_days,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrganisationList {
    pub data: Vec<OrganisationOut>,
}

#[derive(Serialize, ToSchema)]
pub struct ReferenceOut {
    /// The rule's id in the rules data.
    pub rule: String,
    pub reference: String,
    /// OJ, P, 2 or K: how sure the rules data is of it.
    pub confidence: String,
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentOut {
    /// out_of_scope, intra_eea, adequate, safeguarded, derogation or unsafeguarded.
    pub verdict: String,
    pub flagged: bool,
    /// info, ok, warning or critical.
    pub severity: String,
    pub reason: String,
    pub mechanism: Option<String>,
    pub references: Vec<ReferenceOut>,
    pub hints: Vec<String>,
}

impl From<&Assessment<'_>> for AssessmentOut {
    fn from(a: &Assessment<'_>) -> Self {
        AssessmentOut {
            verdict: a.verdict.as_str().into(),
            flagged: a.flagged,
            severity: a.severity.as_str().into(),
            reason: a.reason.clone(),
            mechanism: a.mechanism.map(str::to_string),
            references: a
                .references
                .iter()
                .map(|r| ReferenceOut {
                    rule: r.rule.clone(),
                    reference: r.reference.clone(),
                    confidence: r.confidence.tag().into(),
                })
                .collect(),
            hints: a.hints.clone(),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema, Clone)]
pub struct MechanismClaim {
    /// A mechanism id of the rules data (scc_2021, dpf, bcr, consent...).
    pub id: String,
    /// When the contract was signed.
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

/// A framework list the vendor is on (the Data Privacy Framework, say), as the API adds it.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificationIn {
    /// A framework id of the rules data: safe_harbour, privacy_shield or dpf.
    #[validate(custom(function = "valid_framework"))]
    pub framework: String,
    /// The first day the vendor is on the list.
    pub from: NaiveDate,
    /// The first day it no longer is, if it has left the list.
    pub until: Option<NaiveDate>,
    /// When the list was last checked.
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

fn valid_framework(value: &str) -> Result<(), ValidationError> {
    RuleSet::embedded()
        .framework_id(value)
        .map(|_| ())
        .map_err(|e| error("framework", e.to_string()))
}

#[derive(Serialize, ToSchema)]
pub struct TransferOut {
    pub id: i32,
    /// Use it in If-Match to update the transfer.
    pub version: i32,
    pub country: Option<String>,
    pub location: Option<String>,
    #[schema(value_type = Vec<String>)]
    pub data_categories: Vec<DataCategory>,
    pub mechanisms: Vec<MechanismClaim>,
    pub tia_on: Option<NaiveDate>,
    pub supplementary_measures: Option<String>,
    pub notes: Option<String>,
    pub evidence: Vec<EvidenceIo>,
    /// The verdict on the date asked (`as_of`, default today).
    pub assessment: AssessmentOut,
}

#[derive(Serialize, ToSchema)]
pub struct CertificationOut {
    /// Names the certification in its update route.
    pub id: i32,
    /// safe_harbour, privacy_shield or dpf.
    pub framework: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub verified_on: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct VendorOut {
    pub key: String,
    /// Use it in If-Match to update or retire the vendor.
    pub version: i32,
    pub name: String,
    pub legal_entity: Option<String>,
    pub website: Option<String>,
    pub headquarters: Option<String>,
    #[schema(value_type = String)]
    pub role: Role,
    #[schema(value_type = Vec<String>)]
    pub categories: Vec<VendorCategory>,
    pub purpose: String,
    #[schema(value_type = String)]
    pub status: VendorStatus,
    pub proposed_on: Option<NaiveDate>,
    pub active_from: Option<NaiveDate>,
    pub retired_from: Option<NaiveDate>,
    pub dpa_signed_on: Option<NaiveDate>,
    pub dpa_url: Option<String>,
    pub notes: Option<String>,
    /// Whether any transfer is flagged on the date asked.
    pub flagged: bool,
    pub certifications: Vec<CertificationOut>,
    pub evidence: Vec<EvidenceIo>,
    pub transfers: Vec<TransferOut>,
}

fn evidence_out(e: &[Evidence]) -> Vec<EvidenceIo> {
    e.iter()
        .map(|e| EvidenceIo {
            document: e.document.clone(),
            quote: e.quote.clone(),
            url: e.url.clone(),
        })
        .collect()
}

pub fn transfer_out(
    vendor: &Vendor,
    t: &Transfer,
    exporter: CountryCode,
    rules: &'static RuleSet,
    as_of: NaiveDate,
) -> TransferOut {
    TransferOut {
        id: t.id,
        version: t.version,
        country: t.country.map(|c| c.to_string()),
        location: t.location.clone(),
        data_categories: t.data_categories.clone(),
        mechanisms: t
            .mechanisms
            .iter()
            .map(|m| MechanismClaim {
                id: m.id.clone(),
                signed_on: m.signed_on,
            })
            .collect(),
        tia_on: t.tia_on,
        supplementary_measures: t.supplementary_measures.clone(),
        notes: t.notes.clone(),
        evidence: evidence_out(&t.evidence),
        assessment: AssessmentOut::from(&vendor.assess(t, exporter, rules, as_of)),
    }
}

pub fn vendor_out(
    v: &Vendor,
    exporter: CountryCode,
    rules: &'static RuleSet,
    as_of: NaiveDate,
) -> VendorOut {
    let transfers: Vec<TransferOut> = v
        .transfers
        .iter()
        .map(|t| transfer_out(v, t, exporter, rules, as_of))
        .collect();
    VendorOut {
        key: v.key.clone(),
        version: v.version,
        name: v.name.clone(),
        legal_entity: v.legal_entity.clone(),
        website: v.website.clone(),
        headquarters: v.headquarters.map(|c| c.to_string()),
        role: v.role,
        categories: v.categories.clone(),
        purpose: v.purpose.clone(),
        status: v.status,
        proposed_on: v.proposed_on,
        active_from: v.active_from,
        retired_from: v.retired_from,
        dpa_signed_on: v.dpa_signed_on,
        dpa_url: v.dpa_url.clone(),
        notes: v.notes.clone(),
        flagged: transfers.iter().any(|t| t.assessment.flagged),
        certifications: v
            .certifications
            .iter()
            .map(|c: &Certification| CertificationOut {
                id: c.id,
                framework: c.framework.clone(),
                from: c.from,
                until: c.until,
                verified_on: c.verified_on,
            })
            .collect(),
        evidence: evidence_out(&v.evidence),
        transfers,
    }
}

#[derive(Serialize, ToSchema)]
pub struct VendorPage {
    pub data: Vec<VendorOut>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LookupMatch {
    pub key: String,
    pub name: String,
    pub website: Option<String>,
    #[schema(value_type = String)]
    pub status: VendorStatus,
    /// Whether it is on the list today (active, not retired).
    pub in_use: bool,
    pub flagged: bool,
    /// Destination countries.
    pub countries: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LookupResult {
    pub known: bool,
    pub matches: Vec<LookupMatch>,
}

#[derive(Serialize, ToSchema)]
pub struct TransferRowOut {
    pub vendor_key: String,
    pub vendor_name: String,
    #[serde(flatten)]
    pub transfer: TransferOut,
}

#[derive(Serialize, ToSchema)]
pub struct TransferList {
    pub as_of: NaiveDate,
    pub data: Vec<TransferRowOut>,
}

// --- inputs ----------------------------------------------------------------------------------

fn error(code: &'static str, message: String) -> ValidationError {
    let mut e = ValidationError::new(code);
    e.message = Some(message.into());
    e
}

fn valid_web_url(value: &str) -> Result<(), ValidationError> {
    WebUrl::parse(value)
        .map(|_| ())
        .map_err(|message| error("url", message))
}

fn not_blank(value: &str) -> Result<(), ValidationError> {
    (!value.trim().is_empty())
        .then_some(())
        .ok_or_else(|| error("blank", "must not be blank".into()))
}

fn valid_country(value: &str) -> Result<(), ValidationError> {
    CountryCode::parse(value)
        .map(|_| ())
        .map_err(|e| error("country", e.to_string()))
}

fn valid_key(value: &str) -> Result<(), ValidationError> {
    VendorKey::parse(value)
        .map(|_| ())
        .map_err(|message| error("key", message))
}

fn vocabulary<T: std::str::FromStr>(value: &str, words: String) -> Result<(), ValidationError> {
    value
        .parse::<T>()
        .map(|_| ())
        .map_err(|_| error("vocabulary", format!("'{value}' is not one of: {words}")))
}

fn valid_role(value: &str) -> Result<(), ValidationError> {
    vocabulary::<Role>(value, crate::values::vocabulary::<Role>())
}

fn valid_status(value: &str) -> Result<(), ValidationError> {
    vocabulary::<VendorStatus>(value, crate::values::vocabulary::<VendorStatus>())
}

fn valid_categories(values: &[String]) -> Result<(), ValidationError> {
    if values.is_empty() {
        return Err(error("categories", "name at least one category".into()));
    }
    values.iter().try_for_each(|v| {
        vocabulary::<VendorCategory>(v, crate::values::vocabulary::<VendorCategory>())
    })
}

fn valid_data_categories(values: &[String]) -> Result<(), ValidationError> {
    values.iter().try_for_each(|v| {
        vocabulary::<DataCategory>(v, crate::values::vocabulary::<DataCategory>())
    })
}

fn valid_countries(values: &[String]) -> Result<(), ValidationError> {
    if values.is_empty() {
        return Err(error("countries", "name at least one country".into()));
    }
    values.iter().try_for_each(|c| valid_country(c))
}

fn valid_mechanisms(values: &[MechanismClaim]) -> Result<(), ValidationError> {
    let rules = RuleSet::embedded();
    values.iter().try_for_each(|m| {
        rules
            .mechanism_id(&m.id)
            .map(|_| ())
            .map_err(|e| error("mechanism", e.to_string()))
    })
}

/// Turns validator's errors into `{field, message}` pairs, nested fields dotted.
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect(errors, "", &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field));
    // One message per field: an empty name is "too short" and "blank", say it once.
    out.dedup_by(|a, b| a.field == b.field);
    out
}

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    use validator::ValidationErrorsKind;
    let errors: &HashMap<_, _> = errors.errors();
    for (field, kind) in errors {
        let name = if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}.{field}")
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e
                        .message
                        .as_ref()
                        .map(|m| m.to_string())
                        .unwrap_or_else(|| match e.code.as_ref() {
                            "length" => match (e.params.get("min"), e.params.get("max")) {
                                (Some(min), Some(max)) => {
                                    format!("length must be between {min} and {max}")
                                }
                                (None, Some(max)) => format!("at most {max} characters"),
                                (Some(min), None) => format!("at least {min} characters"),
                                _ => "wrong length".into(),
                            },
                            "url" => "not a valid URL".into(),
                            "email" => "not a valid e-mail address".into(),
                            code => format!("invalid ({code})"),
                        });
                    out.push(FieldError {
                        field: name.clone(),
                        message,
                    });
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &name, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    collect(inner, &format!("{name}[{i}]"), out);
                }
            }
        }
    }
}

/// A vendor as the API creates or updates it.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorIn {
    /// Stable id within the organisation (lowercase, digits, '-'). Ignored on update.
    #[validate(custom(function = "valid_key"))]
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
    pub role: String,
    #[validate(custom(function = "valid_categories"))]
    pub categories: Vec<String>,
    #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
    pub purpose: String,
    /// proposed or active (default proposed). Retire with the retire route.
    #[validate(custom(function = "valid_status"))]
    pub status: Option<String>,
    /// When an active vendor takes effect (default: today plus the organisation's notice period).
    pub active_from: Option<NaiveDate>,
    pub dpa_signed_on: Option<NaiveDate>,
    #[validate(custom(function = "valid_web_url"), length(max = 500))]
    pub dpa_url: Option<String>,
    #[validate(length(max = 4000))]
    pub notes: Option<String>,
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

impl VendorIn {
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
    pub data_categories: Vec<String>,
    #[serde(default)]
    #[validate(custom(function = "valid_mechanisms"))]
    pub mechanisms: Vec<MechanismClaim>,
    pub tia_on: Option<NaiveDate>,
    #[validate(length(max = 4000))]
    pub supplementary_measures: Option<String>,
    #[validate(length(max = 4000))]
    pub notes: Option<String>,
    /// Documents and quotes backing the transfer. On an update they are added to what the
    /// transfer has: evidence is never removed.
    #[serde(default)]
    #[validate(nested)]
    pub evidence: Vec<EvidenceIo>,
}

impl TransferIn {
    /// Checks what one field cannot: a country or a location.
    pub fn check(&self) -> Vec<FieldError> {
        if self.country.is_none() && self.location.is_none() {
            vec![FieldError {
                field: "country".into(),
                message: "give the country, or a location when it is not known".into(),
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
        Ok(Transfer {
            id: 0,
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
            evidence: self
                .evidence
                .into_iter()
                .map(EvidenceIo::into_evidence)
                .collect(),
            version: 1,
        })
    }
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireIn {
    /// The first day the vendor is no longer used.
    pub effective_on: NaiveDate,
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
    /// Frameworks whose list the importer is on: safe_harbour, privacy_shield, dpf.
    #[serde(default)]
    #[validate(custom(function = "valid_frameworks"))]
    pub certified: Vec<String>,
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
    pub data_categories: Vec<String>,
    /// Who asks (a person or a team), as the procurement tool knows them.
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    pub requester: String,
}

#[derive(Serialize, ToSchema)]
pub struct IntakeOut {
    pub id: i32,
    pub organisation: String,
    pub vendor_name: String,
    pub website: Option<String>,
    pub purpose: String,
    pub countries: Vec<String>,
    pub data_categories: Vec<String>,
    pub requester: String,
    /// pending, approved or rejected.
    pub status: String,
    pub decision_reason: Option<String>,
    /// The key of the proposed vendor an approval created (then under
    /// `/organisations/{organisation}/vendors/{vendor}`).
    pub vendor: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    pub access_token: String,
    /// Always "Bearer".
    pub token_type: String,
    /// Seconds.
    pub expires_in: u64,
    pub scope: String,
}
