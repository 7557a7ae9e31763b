//! Which law governs whom: the laws, the groups of states, the memberships that place a country
//! inside a group on a date, the applications of a law to a group, and adequacy decisions.

use serde::Serialize;

use super::citation::{Citation, Period};
use super::country::CountryCode;
use super::ids::{GroupId, LawId};

#[derive(Debug, Clone, Serialize)]
pub struct Law {
    pub id: String,
    pub name: String,
    pub transfer_rules: String,
    pub adequacy_basis: String,
    pub safeguards_basis: String,
    pub derogations_basis: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub id: String,
    pub name: String,
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
}

#[derive(Debug, Clone)]
pub struct Adequacy {
    pub citation: Citation,
    pub country: CountryCode,
    pub scope: String,
    pub partial_scope: bool,
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
