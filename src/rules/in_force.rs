//! The rules of one regime in force on one date, as `crossborder rules` shows them, with the
//! points of its reference still open.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::citation::Citation;
use super::country::CountryCode;
use super::ids::LawId;
use super::law::MembershipStatus;
use super::mechanism::{MechanismKind, OpenPoint};
use super::regime::Regime;

#[derive(Debug, Serialize)]
pub struct InForce<'r> {
    pub regime: &'r str,
    pub name: &'r str,
    pub label: &'r str,
    pub as_of: NaiveDate,
    /// Which law governs exporters of each group.
    pub laws: Vec<LawInForce<'r>>,
    /// The countries inside the EU/EEA (or treated as inside) on the date.
    pub inside: Vec<Inside<'r>>,
    pub adequacy: Vec<AdequacyInForce<'r>>,
    pub frameworks: Vec<MechanismInForce<'r>>,
    pub safeguards: Vec<MechanismInForce<'r>>,
    pub derogations: Vec<MechanismInForce<'r>>,
    /// Claims of a safeguard that name none (verdict `unverified`).
    pub unnamed: Vec<MechanismInForce<'r>>,
    /// Points of the reference not verified or still open, whatever the date.
    pub open_points: &'r [OpenPoint],
}

#[derive(Debug, Serialize)]
pub struct LawInForce<'r> {
    pub group: &'r str,
    pub group_name: &'r str,
    pub law: &'r str,
    pub law_name: &'r str,
    pub source: &'r Citation,
}

#[derive(Debug, Serialize)]
pub struct Inside<'r> {
    pub country: CountryCode,
    pub country_name: &'static str,
    pub group: &'r str,
    pub status: MembershipStatus,
    pub source: &'r Citation,
}

#[derive(Debug, Serialize)]
pub struct AdequacyInForce<'r> {
    pub country: CountryCode,
    pub country_name: &'static str,
    pub scope: &'r str,
    pub partial_scope: bool,
    /// Scope conditions a record can state to put an importer outside it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub excludes: Vec<&'static str>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// The groups whose exporters it binds, when not all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub binds_only: Option<Vec<&'r str>>,
    pub source: &'r Citation,
}

#[derive(Debug, Serialize)]
pub struct MechanismInForce<'r> {
    pub id: &'r str,
    pub name: &'r str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// The article that makes it a transfer tool, per law in force.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub basis: BTreeMap<&'r str, &'r str>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    /// Old contracts only: signed before this date, counting until `valid_until`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub only_contracts_signed_before: Option<NaiveDate>,
    pub source: &'r Citation,
}

impl Regime {
    pub fn in_force(&self, as_of: NaiveDate) -> InForce<'_> {
        let laws: Vec<LawInForce> = self
            .applications
            .iter()
            .filter(|a| a.period.contains(as_of))
            .map(|a| LawInForce {
                group: &self.group(a.group).id,
                group_name: &self.group(a.group).name,
                law: &self.law(a.law).id,
                law_name: &self.law(a.law).name,
                source: &a.citation,
            })
            .collect();
        let laws_in_force: Vec<LawId> = self
            .applications
            .iter()
            .filter(|a| a.period.contains(as_of))
            .map(|a| a.law)
            .collect();

        let mut inside: Vec<Inside> = self
            .memberships
            .iter()
            .filter(|m| m.period.contains(as_of))
            .flat_map(|m| {
                m.countries.iter().map(move |&c| Inside {
                    country: c,
                    country_name: c.name(),
                    group: &self.group(m.group).id,
                    status: m.status,
                    source: &m.citation,
                })
            })
            .collect();
        inside.sort_by_key(|i| i.country);

        let adequacy = self
            .adequacy
            .iter()
            .filter(|a| a.period.contains(as_of))
            .flat_map(|a| a.countries.iter().map(move |&c| (a, c)))
            .map(|(a, country)| AdequacyInForce {
                country,
                country_name: country.name(),
                scope: &a.scope,
                partial_scope: a.partial_scope,
                excludes: a.excludes.iter().map(|e| e.id()).collect(),
                valid_from: a.period.valid_from,
                valid_until: a.period.valid_until,
                binds_only: a
                    .exporter_groups
                    .as_ref()
                    .map(|g| g.iter().map(|&i| self.group(i).id.as_str()).collect()),
                source: &a.citation,
            })
            .collect();

        let (mut frameworks, mut safeguards, mut derogations, mut unnamed) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for m in &self.mechanisms {
            if !m.period.contains(as_of) {
                continue;
            }
            let basis: BTreeMap<&str, &str> = laws_in_force
                .iter()
                .filter_map(|&l| match m.kind.basis(l) {
                    Some(article) if !article.is_empty() => {
                        Some((self.law(l).id.as_str(), article))
                    }
                    _ => None,
                })
                .collect();
            let mut entry = MechanismInForce {
                id: m.id(),
                name: &m.name,
                country: None,
                basis,
                valid_from: m.period.valid_from,
                valid_until: m.period.valid_until,
                only_contracts_signed_before: None,
                source: &m.citation,
            };
            match &m.kind {
                MechanismKind::Framework { country, .. } => {
                    entry.country = Some(*country);
                    frameworks.push(entry);
                }
                MechanismKind::Safeguard {
                    new_contracts_until,
                    transition,
                    ..
                } => {
                    if entry.basis.is_empty() {
                        continue;
                    }
                    let sunset = transition.map(|t| self.transition(t));
                    let cutoff = new_contracts_until
                        .iter()
                        .copied()
                        .chain(sunset.map(|t| t.new_contracts_until))
                        .min();
                    if let Some(cutoff) = cutoff.filter(|c| as_of >= *c) {
                        if sunset.is_some_and(|t| as_of >= t.valid_until) {
                            continue;
                        }
                        entry.only_contracts_signed_before = Some(cutoff);
                        entry.valid_until = sunset.map(|t| t.valid_until).or(entry.valid_until);
                    }
                    safeguards.push(entry);
                }
                MechanismKind::Derogation { .. } => {
                    if !entry.basis.is_empty() {
                        derogations.push(entry);
                    }
                }
                MechanismKind::Unnamed { .. } => {
                    if !entry.basis.is_empty() {
                        unnamed.push(entry);
                    }
                }
                MechanismKind::Refused { .. } => {}
            }
        }

        InForce {
            regime: &self.regime,
            name: &self.name,
            label: &self.label,
            as_of,
            laws,
            inside,
            adequacy,
            frameworks,
            safeguards,
            derogations,
            unnamed,
            open_points: &self.open_points,
        }
    }
}
