//! The public facts of a vendor as versions hold them: its listing, each transfer, each
//! certification, as canonical JSON (keys sorted, so the same fact is always the same text and
//! the change log's hashes can cover it).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr};

use crate::registry::certification::Certification;
use crate::registry::transfer::{ClaimedMechanism, DataCategory, Transfer};
use crate::registry::vendor::{Role, Vendor, VendorCategory, VendorStatus};
use crate::rules::{CountryCode, ScopeExclusion};

/// Which fact of a vendor a version is of.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Display, EnumString, IntoStaticStr,
)]
#[strum(serialize_all = "snake_case")]
pub enum Fact {
    /// The vendor's listing: name, entity, role, purpose, categories, headquarters, status.
    Vendor,
    Transfer,
    Certification,
}

/// Whether a listed vendor is in use or retired (a proposed vendor is not public: no version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Listed {
    Active,
    Retired,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListingBody {
    pub name: String,
    pub legal_entity: Option<String>,
    pub website: Option<String>,
    pub headquarters: Option<CountryCode>,
    pub role: Role,
    pub categories: Vec<VendorCategory>,
    pub purpose: String,
    pub status: Listed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MechanismBody {
    pub id: String,
    pub signed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransferBody {
    pub position: i32,
    pub country: Option<CountryCode>,
    pub location: Option<String>,
    pub data_categories: Vec<DataCategory>,
    pub mechanisms: Vec<MechanismBody>,
    pub tia_on: Option<NaiveDate>,
    pub supplementary_measures: Option<String>,
    /// Absent in versions written before issue 14, and when empty: the canonical text of a
    /// transfer that states no scope condition is unchanged, so old hashes still verify.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outside_scope: Vec<ScopeExclusion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificationBody {
    pub framework: String,
    /// Absent in versions written before issue 14 (the EU list), and when only `eu`.
    #[serde(default = "eu_only", skip_serializing_if = "is_eu_only")]
    pub parts: Vec<String>,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub verified_on: NaiveDate,
}

fn eu_only() -> Vec<String> {
    vec!["eu".to_string()]
}

fn is_eu_only(parts: &[String]) -> bool {
    parts == ["eu"]
}

/// Canonical JSON: object keys sorted (serde_json's map is ordered), no spaces.
pub fn canonical<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .map(|v| v.to_string())
        .unwrap_or_default()
}

impl ListingBody {
    pub fn of(v: &Vendor) -> Option<Self> {
        let status = match v.status {
            VendorStatus::Proposed | VendorStatus::Withdrawn => return None,
            VendorStatus::Active => Listed::Active,
            VendorStatus::Retired => Listed::Retired,
        };
        Some(ListingBody {
            name: v.name.clone(),
            legal_entity: v.legal_entity.clone(),
            website: v.website.clone(),
            headquarters: v.headquarters,
            role: v.role,
            categories: v.categories.clone(),
            purpose: v.purpose.clone(),
            status,
        })
    }
}

impl TransferBody {
    pub fn of(t: &Transfer) -> Self {
        let mut data_categories = t.data_categories.clone();
        data_categories.sort();
        TransferBody {
            position: t.position,
            country: t.country,
            location: t.location.clone(),
            data_categories,
            mechanisms: t
                .mechanisms
                .iter()
                .map(|m| MechanismBody {
                    id: m.id.clone(),
                    signed_on: m.signed_on,
                })
                .collect(),
            tia_on: t.tia_on,
            supplementary_measures: t.supplementary_measures.clone(),
            outside_scope: t.outside_scope.clone(),
        }
    }

    /// The transfer this body describes; notes and evidence are the current record's.
    pub fn transfer(&self, current: Option<&Transfer>, id: i32) -> Transfer {
        Transfer {
            id,
            position: self.position,
            country: self.country,
            location: self.location.clone(),
            data_categories: self.data_categories.clone(),
            mechanisms: self
                .mechanisms
                .iter()
                .map(|m| ClaimedMechanism {
                    id: m.id.clone(),
                    signed_on: m.signed_on,
                })
                .collect(),
            tia_on: self.tia_on,
            supplementary_measures: self.supplementary_measures.clone(),
            outside_scope: self.outside_scope.clone(),
            notes: current.and_then(|t| t.notes.clone()),
            evidence: current.map(|t| t.evidence.clone()).unwrap_or_default(),
            version: current.map_or(0, |t| t.version),
        }
    }
}

impl CertificationBody {
    pub fn of(c: &Certification) -> Self {
        CertificationBody {
            framework: c.framework.clone(),
            parts: c.parts.clone(),
            from: c.from,
            until: c.until,
            verified_on: c.verified_on,
        }
    }

    pub fn certification(&self, current: Option<&Certification>, id: i32) -> Certification {
        Certification {
            id,
            framework: self.framework.clone(),
            parts: self.parts.clone(),
            from: self.from,
            until: self.until,
            verified_on: self.verified_on,
            evidence: current.map(|c| c.evidence.clone()).unwrap_or_default(),
        }
    }
}

/// The public facts of a vendor's current record, as (fact, id, canonical body): none for a
/// proposed vendor.
pub fn facts(v: &Vendor) -> Vec<(Fact, i32, String)> {
    let Some(listing) = ListingBody::of(v) else {
        return Vec::new();
    };
    let mut out = vec![(Fact::Vendor, v.id, canonical(&listing))];
    for t in &v.transfers {
        out.push((Fact::Transfer, t.id, canonical(&TransferBody::of(t))));
    }
    for c in &v.certifications {
        out.push((
            Fact::Certification,
            c.id,
            canonical(&CertificationBody::of(c)),
        ));
    }
    out
}
