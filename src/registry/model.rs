//! The registry's records (DESIGN.md §3) and their controlled vocabularies.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

use crate::rules::{self, Assessment, Claim, CountryCode, Facts, RuleSet};

/// Words of a controlled vocabulary, for error messages ("hosting, payments, ...").
pub fn vocabulary<T: VariantArray + Into<&'static str> + Copy>() -> String {
    T::VARIANTS
        .iter()
        .map(|v| (*v).into())
        .collect::<Vec<&str>>()
        .join(", ")
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
pub enum DataCategory {
    Identity,
    Contact,
    Account,
    Payment,
    Usage,
    DeviceAndNetwork,
    Location,
    Communications,
    MarketingPreferences,
    UserContent,
    InferredProfile,
    SpecialCategory,
    Children,
}

impl DataCategory {
    pub fn label(self) -> &'static str {
        match self {
            DataCategory::Identity => "identity",
            DataCategory::Contact => "contact details",
            DataCategory::Account => "account",
            DataCategory::Payment => "payment",
            DataCategory::Usage => "usage",
            DataCategory::DeviceAndNetwork => "device and network",
            DataCategory::Location => "location",
            DataCategory::Communications => "communications",
            DataCategory::MarketingPreferences => "marketing preferences",
            DataCategory::UserContent => "user content",
            DataCategory::InferredProfile => "inferred profile",
            DataCategory::SpecialCategory => "special categories (Art. 9)",
            DataCategory::Children => "children's data",
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
pub enum ChangeKind {
    Added,
    Changed,
    Retired,
}

/// Where a record comes from: a document and a verbatim quote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub document: String,
    pub quote: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organisation {
    #[serde(skip)]
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub legal_name: String,
    pub country: CountryCode,
    pub privacy_contact: Option<String>,
    pub website: Option<String>,
    pub policy_title: Option<String>,
    pub policy_date: Option<NaiveDate>,
    pub policy_source: Option<String>,
    pub policy_url: Option<String>,
    pub announce_days: i32,
    #[serde(skip)]
    pub version: i32,
    /// Bumped by every write to the organisation's records.
    #[serde(skip)]
    pub revision: i32,
    #[serde(skip)]
    pub updated_at: NaiveDateTime,
}

/// A framework list the vendor is on, between two dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Certification {
    #[serde(skip)]
    pub id: i32,
    pub framework: String,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub verified_on: NaiveDate,
    pub evidence: Vec<Evidence>,
}

impl Certification {
    pub fn holds_on(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date < u)
    }
}

/// A mechanism claimed for a transfer, by its id in the rules data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimedMechanism {
    pub id: String,
    pub signed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transfer {
    #[serde(skip)]
    pub id: i32,
    /// `None` when the source names no country; `location` then says where.
    pub country: Option<CountryCode>,
    pub location: Option<String>,
    pub data_categories: Vec<DataCategory>,
    pub mechanisms: Vec<ClaimedMechanism>,
    pub tia_on: Option<NaiveDate>,
    pub supplementary_measures: Option<String>,
    pub notes: Option<String>,
    pub evidence: Vec<Evidence>,
    #[serde(skip)]
    pub version: i32,
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
    #[serde(skip)]
    pub version: i32,
}

impl Vendor {
    /// On the list on `date`: active from a date not after it (or an unknown one), not yet retired.
    pub fn listed_on(&self, date: NaiveDate) -> bool {
        match self.status {
            VendorStatus::Proposed => false,
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
            .filter_map(|c| rules.framework_id(&c.framework).ok())
            .collect();
        facts.tia = transfer.tia_on.is_some_and(|d| d <= date);
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    #[serde(skip)]
    pub id: i32,
    pub kind: ChangeKind,
    /// The vendor's name (and its id, which the public copy leaves out).
    pub vendor: Option<String>,
    #[serde(skip)]
    pub vendor_id: Option<i32>,
    pub summary: String,
    pub announced_on: NaiveDate,
    pub effective_on: NaiveDate,
    #[serde(skip)]
    pub created_at: NaiveDateTime,
}

/// One organisation's whole registry, as the public pages and the seeds see it.
#[derive(Debug, Clone)]
pub struct Registry {
    pub organisation: Organisation,
    pub vendors: Vec<Vendor>,
    pub changes: Vec<Change>,
}

impl Registry {
    /// When anything in it last changed, for `Last-Modified`.
    pub fn last_modified(&self) -> NaiveDateTime {
        self.changes
            .iter()
            .map(|c| c.created_at)
            .chain(std::iter::once(self.organisation.updated_at))
            .max()
            .unwrap_or(self.organisation.updated_at)
    }

    /// The date of the newest change that has taken effect by `date`.
    pub fn last_change_on(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.changes
            .iter()
            .map(|c| c.effective_on)
            .filter(|d| *d <= date)
            .max()
    }
}
