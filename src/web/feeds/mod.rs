//! The machine-readable copies of the public list: JSON (DESIGN.md §5), CSV (RFC 4180, one row per
//! transfer) and the Atom feed of changes. Only what a published list shows: no internal notes.

use chrono::NaiveDate;
use serde::Serialize;

mod atom;
mod csv;

pub use atom::{FeedPart, PER_DOCUMENT, atom};
pub use csv::csv;

use super::views::mechanism_name_in;
use crate::registry::listing::{Listing, Summary, VendorRow};
use crate::registry::organisation::Publication;
use crate::registry::{
    Certification, Change, DataCategory, Evidence, Role, VendorCategory, VendorStatus,
};
use crate::rules::{Assessment, Citation, CountryCode, RuleSet, ScopeExclusion, Severity, Verdict};

#[derive(Serialize)]
struct PublicList<'a> {
    organisation: OrganisationJson<'a>,
    /// What the organisation publishes of its assessments and evidence: what is left out
    /// below is left out by choice.
    publication: Publication,
    as_of: NaiveDate,
    filters: FiltersJson,
    summary: SummaryJson,
    vendors: Vec<VendorJson<'a>>,
    upcoming_changes: Vec<UpcomingJson<'a>>,
    changes: &'a [&'a Change],
    /// Corrections made after the day read to what was published for it.
    corrected_later: &'a [Change],
    history: HistoryJson<'a>,
}

/// A change still to come, with its vendor as it will be on the day it takes effect.
#[derive(Serialize)]
struct UpcomingJson<'a> {
    #[serde(flatten)]
    change: &'a Change,
    vendor_as_it_will_be: Option<VendorJson<'a>>,
}

/// The change log's hash chain: its newest entry's hash on the date read, and where the whole
/// chain is (for `crossborder verify`).
#[derive(Serialize)]
struct HistoryJson<'a> {
    head: Option<&'a str>,
    url: String,
}

/// The list's counts; those of flagged transfers only when verdicts are published.
#[derive(Serialize)]
struct SummaryJson {
    vendors: usize,
    countries: usize,
    transfers: usize,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    verdicts: Option<FlaggedJson>,
}

#[derive(Serialize)]
struct FlaggedJson {
    flagged: usize,
    critical: usize,
    warning: usize,
}

impl SummaryJson {
    fn new(s: &Summary, publication: Publication) -> Self {
        SummaryJson {
            vendors: s.vendors,
            countries: s.countries,
            transfers: s.transfers,
            verdicts: publication.verdicts.then_some(FlaggedJson {
                flagged: s.flagged,
                critical: s.critical,
                warning: s.warning,
            }),
        }
    }
}

/// A certification as published, its evidence as [`EvidenceJson`].
#[derive(Serialize)]
struct CertificationJson<'a> {
    framework: &'a str,
    parts: &'a [String],
    from: NaiveDate,
    until: Option<NaiveDate>,
    verified_on: NaiveDate,
    evidence: Vec<EvidenceJson<'a>>,
}

impl<'a> CertificationJson<'a> {
    fn new(c: &'a Certification, publication: Publication) -> Self {
        CertificationJson {
            framework: &c.framework,
            parts: &c.parts,
            from: c.from,
            until: c.until,
            verified_on: c.verified_on,
            evidence: evidence_json(&c.evidence, publication),
        }
    }
}

/// A piece of evidence as published: the document's name only when the organisation publishes it.
#[derive(Serialize)]
struct EvidenceJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    document: Option<&'a str>,
    quote: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

fn evidence_json(evidence: &[Evidence], publication: Publication) -> Vec<EvidenceJson<'_>> {
    evidence
        .iter()
        .map(|e| EvidenceJson {
            document: publication
                .evidence_documents
                .then_some(e.document.as_str()),
            quote: &e.quote,
            url: e.url.as_deref(),
        })
        .collect()
}

/// A transfer's assessment as published (DESIGN.md §5): the verdict, its reason and hints as the
/// organisation chooses; `None` when it does not publish verdicts.
#[derive(Serialize)]
struct AssessmentJson<'a> {
    regime: Option<&'a str>,
    verdict: Verdict,
    flagged: bool,
    severity: Severity,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
    mechanism: Option<&'a str>,
    references: &'a [&'a Citation],
    #[serde(skip_serializing_if = "Option::is_none")]
    hints: Option<Vec<String>>,
}

fn assessment_json<'a>(
    a: &'a Assessment<'static>,
    publication: Publication,
) -> Option<AssessmentJson<'a>> {
    if !publication.verdicts {
        return None;
    }
    // Written here, once: an assessment keeps what decided, not the sentences.
    let (reason, hints) = match (publication.shows_reasons(), publication.shows_hints()) {
        (false, false) => (None, None),
        (true, false) => (Some(a.reason()), None),
        (shows_reasons, true) => {
            let (reason, hints) = a.words();
            (shows_reasons.then_some(reason), Some(hints))
        }
    };
    Some(AssessmentJson {
        regime: a.regime,
        verdict: a.verdict,
        flagged: a.flagged,
        severity: a.severity,
        reason,
        mechanism: a.mechanism,
        references: &a.references,
        hints,
    })
}

#[derive(Serialize)]
struct FiltersJson {
    category: Option<VendorCategory>,
    country: Option<CountryCode>,
    flagged: Option<bool>,
}

#[derive(Serialize)]
struct OrganisationJson<'a> {
    slug: &'a str,
    name: &'a str,
    legal_name: &'a str,
    country: CountryCode,
    privacy_contact: Option<&'a str>,
    website: Option<&'a str>,
    policy: PolicyJson<'a>,
    last_change: Option<NaiveDate>,
}

#[derive(Serialize)]
struct PolicyJson<'a> {
    title: Option<&'a str>,
    date: Option<NaiveDate>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct VendorJson<'a> {
    key: &'a str,
    name: &'a str,
    legal_entity: Option<&'a str>,
    website: Option<&'a str>,
    headquarters: Option<CountryCode>,
    role: Role,
    categories: &'a [VendorCategory],
    purpose: &'a str,
    status: VendorStatus,
    active_from: Option<NaiveDate>,
    retired_from: Option<NaiveDate>,
    dpa_signed_on: Option<NaiveDate>,
    certifications: Vec<CertificationJson<'a>>,
    evidence: Vec<EvidenceJson<'a>>,
    transfers: Vec<TransferJson<'a>>,
}

#[derive(Serialize)]
struct MechanismJson<'a> {
    id: &'a str,
    name: String,
    signed_on: Option<NaiveDate>,
}

#[derive(Serialize)]
struct TransferJson<'a> {
    country: Option<CountryCode>,
    country_name: Option<&'static str>,
    location: Option<&'a str>,
    data_categories: &'a [DataCategory],
    mechanisms: Vec<MechanismJson<'a>>,
    tia_on: Option<NaiveDate>,
    supplementary_measures: Option<&'a str>,
    /// Why the importer is outside an adequacy decision's scope, when the record says so.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    outside_scope: &'a [ScopeExclusion],
    evidence: Vec<EvidenceJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assessment: Option<AssessmentJson<'a>>,
}

/// One vendor of the list with its transfers and their assessments.
fn vendor_json<'a>(
    row: &'a VendorRow<'a>,
    rules: &RuleSet,
    publication: Publication,
) -> VendorJson<'a> {
    let v = row.vendor;
    VendorJson {
        key: &v.key,
        name: &v.name,
        legal_entity: v.legal_entity.as_deref(),
        website: v.website.as_deref(),
        headquarters: v.headquarters,
        role: v.role,
        categories: &v.categories,
        purpose: &v.purpose,
        status: v.status,
        active_from: v.active_from,
        retired_from: v.retired_from,
        dpa_signed_on: v.dpa_signed_on,
        certifications: (v.certifications.iter())
            .map(|c| CertificationJson::new(c, publication))
            .collect(),
        evidence: evidence_json(&v.evidence, publication),
        transfers: row
            .transfers
            .iter()
            .map(|t| TransferJson {
                country: t.transfer.country,
                country_name: t.transfer.country.map(|c| c.name()),
                location: t.transfer.location.as_deref(),
                data_categories: &t.transfer.data_categories,
                mechanisms: t
                    .transfer
                    .mechanisms
                    .iter()
                    .map(|m| MechanismJson {
                        id: &m.id,
                        name: mechanism_name_in(rules, t.assessment.regime, &m.id),
                        signed_on: m.signed_on,
                    })
                    .collect(),
                tia_on: t.transfer.tia_on,
                supplementary_measures: t.transfer.supplementary_measures.as_deref(),
                outside_scope: &t.transfer.outside_scope,
                evidence: evidence_json(&t.transfer.evidence, publication),
                assessment: assessment_json(&t.assessment, publication),
            })
            .collect(),
    }
}

/// The list as JSON, written straight into the body's bytes (no intermediate string).
pub fn json(listing: &Listing, rules: &RuleSet, out: impl std::io::Write) -> std::io::Result<()> {
    let org = &listing.registry.organisation;
    let publication = org.publication;
    let as_of = listing.filters.as_of;
    let vendors = listing
        .rows
        .iter()
        .map(|row| vendor_json(row, rules, publication))
        .collect();
    let upcoming = listing
        .upcoming
        .iter()
        .zip(&listing.to_come)
        .map(|(change, row)| UpcomingJson {
            change,
            vendor_as_it_will_be: row.as_ref().map(|row| vendor_json(row, rules, publication)),
        })
        .collect();
    let list = PublicList {
        organisation: OrganisationJson {
            slug: &org.slug,
            name: &org.name,
            legal_name: &org.legal_name,
            country: org.country,
            privacy_contact: org.privacy_contact.as_deref(),
            website: org.website.as_deref(),
            policy: PolicyJson {
                title: org.policy_title.as_deref(),
                date: org.policy_date,
                url: org.policy_url.as_deref(),
            },
            last_change: listing.registry.last_change_on(as_of),
        },
        publication,
        as_of,
        filters: FiltersJson {
            category: listing.filters.category,
            country: listing.filters.country,
            flagged: listing.filters.flagged,
        },
        summary: SummaryJson::new(&listing.summary, publication),
        vendors,
        upcoming_changes: upcoming,
        changes: &listing.past,
        corrected_later: &listing.registry.corrected_later,
        history: HistoryJson {
            head: listing.registry.chain_head(),
            url: format!("/{}/history.json", org.slug),
        },
    };
    // Plain structs of strings, numbers and dates: only writing can fail.
    serde_json::to_writer_pretty(out, &list).map_err(std::io::Error::from)
}
