//! What the API answers, with its OpenAPI schemas, built from the registry's records.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::vocabulary;
use crate::registry::{
    Certification, DataCategory, Evidence, Organisation, Role, Transfer, Vendor, VendorCategory,
    VendorStatus,
};
use crate::rules::{Assessment, CountryCode, RuleSet};
use crate::web::input::{EvidenceIo, MechanismClaim};

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
    pub policy_title: Option<String>,
    pub policy_url: Option<String>,
    pub policy_date: Option<NaiveDate>,
    /// Days between announcing a new sub-processor and its taking effect.
    pub announce_days: i32,
    /// What its public list (page, JSON, CSV, feed) shows of the assessments and evidence.
    pub publication: PublicationOut,
    /// Its version, also its ETag: send it as If-Match to change it.
    pub version: i32,
}

/// What an organisation's public list shows.
#[derive(Serialize, ToSchema)]
pub struct PublicationOut {
    /// Each transfer's verdict (with severity, covering mechanism and law cited).
    pub verdicts: bool,
    /// The reason of each verdict.
    pub reasons: bool,
    /// The hints for the privacy officer (internal by default).
    pub hints: bool,
    /// The names of evidence documents (internal by default; quotes and links are public).
    pub evidence_documents: bool,
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
            policy_title: o.policy_title.clone(),
            policy_url: o.policy_url.clone(),
            policy_date: o.policy_date,
            announce_days: o.announce_days,
            publication: PublicationOut {
                verdicts: o.publication.verdicts,
                reasons: o.publication.reasons,
                hints: o.publication.hints,
                evidence_documents: o.publication.evidence_documents,
            },
            version: o.version,
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
    #[schema(schema_with = vocabulary::confidence)]
    pub confidence: String,
}

#[derive(Serialize, ToSchema)]
pub struct AssessmentOut {
    /// The regime that assessed, chosen by the exporter's country and the date: eu (EU/EEA
    /// law), uk (UK law, GB exporters from 2021-01-01) or ch (Swiss law); null when none
    /// governs the exporter (out_of_scope).
    pub regime: Option<String>,
    /// out_of_scope, intra_eea, adequate, safeguarded, domestic (exporter and importer in the
    /// same country under the UK or Swiss regime), unverified (a safeguard claimed but not
    /// named: flagged, warning), derogation or unsafeguarded.
    #[schema(schema_with = vocabulary::verdict)]
    pub verdict: String,
    pub flagged: bool,
    /// info, ok, warning or critical.
    #[schema(schema_with = vocabulary::severity)]
    pub severity: String,
    pub reason: String,
    pub mechanism: Option<String>,
    pub references: Vec<ReferenceOut>,
    pub hints: Vec<String>,
}

impl From<&Assessment<'_>> for AssessmentOut {
    fn from(a: &Assessment<'_>) -> Self {
        let (reason, hints) = a.words();
        AssessmentOut {
            regime: a.regime.map(str::to_string),
            verdict: a.verdict.as_str().into(),
            flagged: a.flagged,
            severity: a.severity.as_str().into(),
            reason,
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
            hints,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TransferOut {
    pub id: i32,
    /// Use it in If-Match to update the transfer.
    pub version: i32,
    pub country: Option<String>,
    pub location: Option<String>,
    #[schema(schema_with = vocabulary::data_categories)]
    pub data_categories: Vec<DataCategory>,
    pub mechanisms: Vec<MechanismClaim>,
    pub tia_on: Option<NaiveDate>,
    pub supplementary_measures: Option<String>,
    pub notes: Option<String>,
    /// Why the importer is outside an adequacy decision's scope (scope condition ids).
    pub outside_scope: Vec<String>,
    pub evidence: Vec<EvidenceIo>,
    /// The verdict on the date asked (`as_of`, default today).
    pub assessment: AssessmentOut,
}

#[derive(Serialize, ToSchema)]
pub struct CertificationOut {
    /// Names the certification in its update route.
    pub id: i32,
    /// safe_harbour, privacy_shield or dpf.
    #[schema(schema_with = vocabulary::framework)]
    pub framework: String,
    /// The parts of the list, as regime ids: eu, uk (the DPF's UK Extension), ch (Swiss-U.S.).
    pub parts: Vec<String>,
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
    #[schema(schema_with = vocabulary::role)]
    pub role: Role,
    #[schema(schema_with = vocabulary::categories)]
    pub categories: Vec<VendorCategory>,
    pub purpose: String,
    #[schema(schema_with = vocabulary::vendor_status)]
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
        outside_scope: t.outside_scope.iter().map(|e| e.to_string()).collect(),
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
                parts: c.parts.clone(),
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
    #[schema(schema_with = vocabulary::vendor_status)]
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

#[derive(Serialize, ToSchema)]
pub struct IntakeOut {
    pub id: i32,
    pub organisation: String,
    pub vendor_name: String,
    pub website: Option<String>,
    pub purpose: String,
    pub countries: Vec<String>,
    #[schema(schema_with = vocabulary::data_categories)]
    pub data_categories: Vec<String>,
    pub requester: String,
    /// pending, approved or rejected.
    #[schema(schema_with = vocabulary::intake_status)]
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
    #[schema(schema_with = vocabulary::token_type)]
    pub token_type: String,
    /// Seconds.
    pub expires_in: u64,
    pub scope: String,
}
