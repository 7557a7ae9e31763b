//! The validated rules of one regime, indexed by country for the engine, and the questions the
//! engine asks of them.

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;

use super::citation::Citation;
use super::country::CountryCode;
use super::ids::{AdequacyId, GroupId, LawId, MechanismId, MembershipId, TransitionId};
use super::law::{Adequacy, Application, Group, Law, Membership};
use super::mechanism::{Mechanism, MechanismKind, TiaRule, Transition};

/// Rows that concern one country, so an assessment never scans all rules.
#[derive(Debug, Clone, Default)]
pub(super) struct CountryRules {
    memberships: Vec<MembershipId>,
    adequacy: Vec<AdequacyId>,
    frameworks: Vec<MechanismId>,
}

#[derive(Debug)]
pub struct RuleSet {
    pub regime: String,
    pub name: String,
    pub tia: TiaRule,
    pub derogation_guidance: Citation,
    pub laws: Vec<Law>,
    pub groups: Vec<Group>,
    pub applications: Vec<Application>,
    pub memberships: Vec<Membership>,
    pub adequacy: Vec<Adequacy>,
    pub mechanisms: Vec<Mechanism>,
    pub transitions: Vec<Transition>,
    /// Filled by [`RuleSet::indexed`].
    pub(super) by_country: Vec<CountryRules>,
    pub(super) mechanism_ids: HashMap<String, MechanismId>,
}

/// The rules file could not be loaded: a parse error with its line, or every invalid row.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("rules file does not parse: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("rules file has {} invalid row(s):\n{}", .0.len(), .0.join("\n"))]
    Invalid(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown mechanism '{given}'; valid ids: {valid}")]
pub struct UnknownMechanism {
    pub given: String,
    pub valid: String,
}

static EMBEDDED: LazyLock<RuleSet> = LazyLock::new(|| {
    // Compiled-in data: the tests load it, so a bad row fails the build's tests, not a user.
    RuleSet::from_toml(include_str!("../../seeds/rules/eu.toml"))
        .unwrap_or_else(|e| panic!("seeds/rules/eu.toml: {e}"))
});

impl RuleSet {
    /// The EU/EEA rules compiled into the binary.
    pub fn embedded() -> &'static RuleSet {
        &EMBEDDED
    }

    /// A mechanism's name from the rules data, or its id when the rules no longer know it.
    pub fn name_of(&self, id: &str) -> String {
        self.mechanism_id(id)
            .map(|m| self.mechanism(m).short.clone())
            .or_else(|_| {
                self.adequacy
                    .iter()
                    .find(|a| a.citation.rule == id)
                    .map(|a| format!("adequacy decision for {}", a.country.name()))
                    .ok_or(())
            })
            .unwrap_or_else(|_| id.to_string())
    }

    /// Builds the per-country and per-id indices of validated rows.
    pub(super) fn indexed(mut self) -> RuleSet {
        let mut by_country = vec![CountryRules::default(); CountryCode::count()];
        for (i, m) in self.memberships.iter().enumerate() {
            for c in &m.countries {
                by_country[c.index()]
                    .memberships
                    .push(MembershipId(i as u16));
            }
        }
        for (i, a) in self.adequacy.iter().enumerate() {
            by_country[a.country.index()]
                .adequacy
                .push(AdequacyId(i as u16));
        }
        for (i, m) in self.mechanisms.iter().enumerate() {
            if let MechanismKind::Framework { country, .. } = m.kind {
                by_country[country.index()]
                    .frameworks
                    .push(MechanismId(i as u16));
            }
        }
        self.mechanism_ids = self
            .mechanisms
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id().to_string(), MechanismId(i as u16)))
            .collect();
        self.by_country = by_country;
        self
    }

    pub fn mechanism(&self, id: MechanismId) -> &Mechanism {
        &self.mechanisms[id.index()]
    }

    pub fn law(&self, id: LawId) -> &Law {
        &self.laws[id.index()]
    }

    pub fn group(&self, id: GroupId) -> &Group {
        &self.groups[id.index()]
    }

    pub fn transition(&self, id: TransitionId) -> &Transition {
        &self.transitions[id.index()]
    }

    /// Looks up a mechanism by its id in the rules data (`scc_2021`, `dpf`, `consent`...).
    pub fn mechanism_id(&self, id: &str) -> Result<MechanismId, UnknownMechanism> {
        self.mechanism_ids
            .get(id.trim())
            .copied()
            .ok_or_else(|| UnknownMechanism {
                given: id.to_string(),
                valid: self
                    .mechanisms
                    .iter()
                    .map(|m| m.id())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }

    /// Looks up a framework whose list an importer can be certified on.
    pub fn framework_id(&self, id: &str) -> Result<MechanismId, UnknownMechanism> {
        let frameworks = || {
            self.mechanisms
                .iter()
                .filter(|m| matches!(m.kind, MechanismKind::Framework { .. }))
        };
        match self.mechanism_ids.get(id.trim()) {
            Some(&mid) if matches!(self.mechanism(mid).kind, MechanismKind::Framework { .. }) => {
                Ok(mid)
            }
            _ => Err(UnknownMechanism {
                given: id.to_string(),
                valid: frameworks().map(|m| m.id()).collect::<Vec<_>>().join(", "),
            }),
        }
    }

    pub fn memberships_of(&self, country: CountryCode) -> impl Iterator<Item = &Membership> {
        self.by_country[country.index()]
            .memberships
            .iter()
            .map(|&i| &self.memberships[i.index()])
    }

    pub fn adequacy_for(&self, country: CountryCode) -> impl Iterator<Item = &Adequacy> {
        self.by_country[country.index()]
            .adequacy
            .iter()
            .map(|&i| &self.adequacy[i.index()])
    }

    pub fn frameworks_for(
        &self,
        country: CountryCode,
    ) -> impl Iterator<Item = (MechanismId, &Mechanism)> {
        self.by_country[country.index()]
            .frameworks
            .iter()
            .map(|&i| (i, self.mechanism(i)))
    }

    /// The law applying to exporters of `group` on `date`.
    pub fn application(&self, group: GroupId, date: NaiveDate) -> Option<&Application> {
        self.applications
            .iter()
            .find(|a| a.group == group && a.period.contains(date))
    }

    /// Whether a safeguarded transfer should have a transfer impact assessment on `date`.
    pub fn tia_expected(&self, date: NaiveDate) -> bool {
        date >= self.tia.expected_from
    }

    /// The first day no new contract may be signed on `m`, and the rule that says so: its own
    /// cutoff or its sunset's, whichever comes first.
    pub fn signing_cutoff<'r>(&'r self, m: &'r Mechanism) -> Option<(NaiveDate, &'r Citation)> {
        let MechanismKind::Safeguard {
            new_contracts_until,
            transition,
            ..
        } = &m.kind
        else {
            return None;
        };
        let own = new_contracts_until.map(|d| (d, &m.citation));
        let sunset = transition.map(|t| {
            let t = self.transition(t);
            (t.new_contracts_until, &t.citation)
        });
        own.into_iter().chain(sunset).min_by_key(|(d, _)| *d)
    }

    /// The newest set of standard contractual clauses open to new contracts on `date` under `law`.
    pub fn recommended_scc(&self, law: LawId, date: NaiveDate) -> Option<&Mechanism> {
        self.mechanisms
            .iter()
            .filter(|m| {
                matches!(&m.kind, MechanismKind::Safeguard { family: Some(f), .. } if f == "scc")
                    && m.kind.basis(law).is_some()
                    && m.period.contains(date)
                    && self
                        .signing_cutoff(m)
                        .is_none_or(|(cutoff, _)| date < cutoff)
            })
            .max_by_key(|m| m.period.valid_from)
    }
}
