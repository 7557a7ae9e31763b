//! Which law governs whom: the laws, the groups of states, the memberships that place a country
//! inside a group on a date, the applications of a law to a group, and adequacy decisions.

use serde::Serialize;

use super::citation::{Citation, Period};
use super::country::CountryCode;
use super::ids::{GroupId, LawId};
use super::scope::ScopeExclusion;

#[derive(Debug, Clone, Serialize)]
pub struct Law {
    pub id: String,
    pub name: String,
    pub transfer_rules: String,
    pub adequacy_basis: String,
    pub safeguards_basis: String,
    pub derogations_basis: String,
    /// "adequacy decision", "UK adequacy finding"...
    pub adequacy_term: String,
    /// Where the TIA is part of the safeguard itself (UK GDPR Art. 46(1A) from 2026-02-05).
    pub tia_basis: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    /// The verdict for a destination inside the group.
    pub inside: Inside,
}

/// What a transfer to a destination inside the exporter's own area is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Inside {
    /// Inside the EU/EEA: no transfer to a third country.
    IntraEea,
    /// The exporter's own country under a national regime: not a restricted transfer.
    Domestic,
}

/// Which law governs exporters established in a group of states, and when.
#[derive(Debug, Clone)]
pub struct Application {
    pub citation: Citation,
    pub law: LawId,
    pub group: GroupId,
    pub period: Period,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MembershipStatus {
    /// Established inside, and a destination inside.
    Member,
    /// No longer a member but EU law still applies (a withdrawal agreement's transition period).
    Transition,
    /// Only as a destination: transfers to it are not treated as transfers to a third country.
    Bridge,
}

impl MembershipStatus {
    /// Whether an exporter established there is under the group's law.
    pub fn governs_exporters(self) -> bool {
        !matches!(self, MembershipStatus::Bridge)
    }
}

#[derive(Debug, Clone)]
pub struct Membership {
    pub citation: Citation,
    pub group: GroupId,
    pub status: MembershipStatus,
    pub countries: Vec<CountryCode>,
    pub period: Period,
    /// A bridge binds only these exporters, when given (EFTA states that gave it effect).
    pub exporter_groups: Option<Vec<GroupId>>,
    pub exporter_countries: Option<Vec<CountryCode>>,
}

impl Membership {
    /// Whether this row places a destination inside for an exporter of `group` in `exporter`.
    pub fn admits(&self, group: GroupId, exporter: CountryCode) -> bool {
        if self.exporter_groups.is_none() && self.exporter_countries.is_none() {
            return true;
        }
        self.exporter_groups
            .as_ref()
            .is_some_and(|g| g.contains(&group))
            || self
                .exporter_countries
                .as_ref()
                .is_some_and(|c| c.contains(&exporter))
    }
}

#[derive(Debug, Clone)]
pub struct Adequacy {
    pub citation: Citation,
    pub countries: Vec<CountryCode>,
    pub scope: String,
    pub partial_scope: bool,
    /// Scope conditions that put an importer outside the decision (§2.1).
    pub excludes: Vec<ScopeExclusion>,
    /// The groups whose exporters the decision binds; `None` for all.
    pub exporter_groups: Option<Vec<GroupId>>,
    pub period: Period,
}

impl Adequacy {
    pub fn binds(&self, group: GroupId) -> bool {
        self.exporter_groups
            .as_ref()
            .is_none_or(|groups| groups.contains(&group))
    }
}
