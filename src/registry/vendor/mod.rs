//! Vendors: the third parties an organisation shares personal data with. The record and its
//! vocabularies here; the lifecycle rules in [`lifecycle`]; reading in [`read`], writing in
//! [`write`].

pub mod key;
pub mod lifecycle;
mod read;
pub mod search;
mod write;

use chrono::NaiveDate;
use diesel::dsl;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

use super::certification::Certification;
use super::evidence::Evidence;
use super::transfer::Transfer;
use crate::db::schema::vendors;
use crate::rules::{self, Assessment, Certified, Claim, CountryCode, Facts, RuleSet};

pub use key::{key_from_name, unique_key};
pub use lifecycle::{NewVendor, VendorFields};
pub use read::{Named, all, find, find_in, named};
pub(super) use write::{bump_version, insert};
pub use write::{create, create_record, create_with_key_from_name, retire, update, withdraw};

/// Which vendors a read loads: an organisation's, or one of them. Either way their children are
/// read with the same queries, through [`Scope::vendor_ids`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope {
    organisation: i32,
    /// The range of vendor ids: every one, or a single one.
    ids: (i32, i32),
}

/// `SELECT id FROM vendors WHERE organisation_id = ? AND id BETWEEN ? AND ?`
pub(crate) type VendorIds = dsl::Select<
    dsl::Filter<
        dsl::Filter<vendors::table, dsl::Eq<vendors::organisation_id, i32>>,
        dsl::Between<vendors::id, i32, i32>,
    >,
    vendors::id,
>;

impl Scope {
    pub(crate) fn organisation(id: i32) -> Self {
        Scope {
            organisation: id,
            ids: (i32::MIN, i32::MAX),
        }
    }

    pub(crate) fn vendor(organisation: i32, id: i32) -> Self {
        Scope {
            organisation,
            ids: (id, id),
        }
    }

    /// The ids of the vendors in scope, as a subquery.
    pub(crate) fn vendor_ids(self) -> VendorIds {
        vendors::table
            .filter(vendors::organisation_id.eq(self.organisation))
            .filter(vendors::id.between(self.ids.0, self.ids.1))
            .select(vendors::id)
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    Processor,
    SubProcessor,
    IndependentController,
    JointController,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Processor => "Processor",
            Role::SubProcessor => "Sub-processor",
            Role::IndependentController => "Independent controller",
            Role::JointController => "Joint controller",
        }
    }
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum VendorStatus {
    Proposed,
    Active,
    Retired,
    /// A proposal given up before it was ever listed: kept (nothing is deleted), never public.
    Withdrawn,
}

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum VendorCategory {
    Hosting,
    Payments,
    Analytics,
    Advertising,
    Search,
    Email,
    Crm,
    Support,
    CustomerService,
    SocialLogin,
    SocialMedia,
    Shipping,
    Surveys,
    Cdn,
    FraudPrevention,
    StreamingPartner,
    MusicLicensing,
    Recommendation,
    Marketing,
    Affiliate,
    Other,
}

impl VendorCategory {
    pub fn label(self) -> String {
        let s: &str = self.into();
        match self {
            VendorCategory::Crm => "CRM".into(),
            VendorCategory::Cdn => "CDN".into(),
            _ => {
                let s = s.replace('_', " ");
                let mut c = s.chars();
                c.next()
                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                    .unwrap_or_default()
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vendor {
    #[serde(skip)]
    pub id: i32,
    pub key: String,
    pub name: String,
    pub legal_entity: Option<String>,
    pub website: Option<String>,
    pub headquarters: Option<CountryCode>,
    pub role: Role,
    pub categories: Vec<VendorCategory>,
    pub purpose: String,
    pub status: VendorStatus,
    pub proposed_on: Option<NaiveDate>,
    pub active_from: Option<NaiveDate>,
    pub retired_from: Option<NaiveDate>,
    pub dpa_signed_on: Option<NaiveDate>,
    pub dpa_url: Option<String>,
    pub notes: Option<String>,
    pub evidence: Vec<Evidence>,
    pub certifications: Vec<Certification>,
    pub transfers: Vec<Transfer>,
    /// Transfers that ended: no longer part of the record, kept for the lists dated before
    /// their end (their evidence) and the workspace's history.
    #[serde(skip)]
    pub ended_transfers: Vec<Transfer>,
    #[serde(skip)]
    pub version: i32,
}

impl Vendor {
    /// The vendor with its lists holding no spare room: they are built by pushing (room for
    /// four at least), and an organisation's snapshot keeps tens of thousands of them.
    pub fn compact(mut self) -> Self {
        self.categories.shrink_to_fit();
        self.evidence.shrink_to_fit();
        self.certifications.shrink_to_fit();
        self.transfers.shrink_to_fit();
        self.ended_transfers.shrink_to_fit();
        self
    }

    /// On the list on `date`: active from a date not after it (or an unknown one), not yet retired.
    pub fn listed_on(&self, date: NaiveDate) -> bool {
        match self.status {
            VendorStatus::Proposed | VendorStatus::Withdrawn => false,
            VendorStatus::Active | VendorStatus::Retired => {
                self.active_from.is_none_or(|d| d <= date)
                    && self.retired_from.is_none_or(|d| date < d)
            }
        }
    }

    /// The engine's facts for one of this vendor's transfers, as of `date`.
    pub fn facts(
        &self,
        transfer: &Transfer,
        exporter: CountryCode,
        rules: &RuleSet,
        date: NaiveDate,
    ) -> Facts {
        let mut facts = Facts::to(exporter, transfer.country);
        facts.claims = transfer
            .mechanisms
            .iter()
            // Ids are checked when loaded (`transfer::load`) and when given (API, forms, seeds).
            .filter_map(|m| {
                rules.mechanism_id(&m.id).ok().map(|mechanism| Claim {
                    mechanism,
                    signed: m.signed_on,
                })
            })
            .collect();
        facts.certified = self
            .certifications
            .iter()
            .filter(|c| c.holds_on(date))
            .filter_map(|c| {
                Some(Certified {
                    framework: rules.framework_id(&c.framework).ok()?,
                    parts: rules.parts(c.parts.iter().map(String::as_str)).ok()?,
                })
            })
            .collect();
        facts.tia = transfer.tia_on.is_some_and(|d| d <= date);
        facts.outside_scope = transfer.outside_scope.clone();
        facts
    }

    pub fn assess<'r>(
        &self,
        transfer: &Transfer,
        exporter: CountryCode,
        rules: &'r RuleSet,
        date: NaiveDate,
    ) -> Assessment<'r> {
        rules::assess(&self.facts(transfer, exporter, rules, date), rules, date)
    }
}
