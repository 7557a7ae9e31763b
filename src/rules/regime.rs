//! The validated rules of one regime (the EU/EEA, the UK, Switzerland), indexed by country for
//! the engine, and the questions the engine asks of them. Mechanism ids are the [`RuleSet`]'s:
//! one id (`dpf`, `scc_2021`) means the same claim under every regime that knows it.
//!
//! [`RuleSet`]: super::RuleSet

use std::collections::HashMap;

use chrono::NaiveDate;

use super::citation::Citation;
use super::country::CountryCode;
use super::ids::{AdequacyId, GroupId, LawId, MechanismId, MembershipId, TransitionId};
use super::law::{Adequacy, Application, Group, Law, Membership};
use super::mechanism::{DestinationNote, Mechanism, MechanismKind, OpenPoint, TiaRule, Transition};

/// Rows that concern one country, so an assessment never scans all rules.
#[derive(Debug, Clone, Default)]
pub(super) struct CountryRules {
    memberships: Vec<MembershipId>,
    adequacy: Vec<AdequacyId>,
    /// Rows in `Regime::mechanisms`.
    frameworks: Vec<usize>,
    notes: Vec<usize>,
}

#[derive(Debug)]
pub struct Regime {
    pub regime: String,
    pub name: String,
    /// How a sentence names it ("UK law").
    pub label: String,
    /// Where its exporters are ("the UK").
    pub area: String,
    /// What every reason starts with ("[UK law] "), made once at load.
    pub tag: String,
    pub tia: TiaRule,
    pub derogation_guidance: Citation,
    pub laws: Vec<Law>,
    pub groups: Vec<Group>,
    pub applications: Vec<Application>,
    pub memberships: Vec<Membership>,
    pub adequacy: Vec<Adequacy>,
    pub mechanisms: Vec<Mechanism>,
    pub transitions: Vec<Transition>,
    pub destination_notes: Vec<DestinationNote>,
    pub open_points: Vec<OpenPoint>,
    /// Filled by [`Regime::indexed`].
    pub(super) by_country: Vec<CountryRules>,
    /// The rule set's id of each row of `mechanisms`, and the row of each id (filled by
    /// [`Regime::link`]).
    pub(super) ids: Vec<MechanismId>,
    pub(super) rows: Vec<Option<u16>>,
}

/// A rules file could not be loaded: a parse error with its line, or every invalid row.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    #[error("rules file does not parse: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("rules file has {} invalid row(s):\n{}", .0.len(), .0.join("\n"))]
    Invalid(Vec<String>),
}

impl Regime {
    /// Builds the per-country indices of validated rows.
    pub(super) fn indexed(mut self) -> Regime {
        let mut by_country = vec![CountryRules::default(); CountryCode::count()];
        for (i, m) in self.memberships.iter().enumerate() {
            for c in &m.countries {
                by_country[c.index()]
                    .memberships
                    .push(MembershipId(i as u16));
            }
        }
        for (i, a) in self.adequacy.iter().enumerate() {
            for c in &a.countries {
                by_country[c.index()].adequacy.push(AdequacyId(i as u16));
            }
        }
        for (i, m) in self.mechanisms.iter().enumerate() {
            if let MechanismKind::Framework { country, .. } = m.kind {
                by_country[country.index()].frameworks.push(i);
            }
        }
        for (i, n) in self.destination_notes.iter().enumerate() {
            for c in &n.countries {
                by_country[c.index()].notes.push(i);
            }
        }
        self.by_country = by_country;
        self
    }

    /// Links the rows to the rule set's ids (`ids[row]`, and `rows[id]` back).
    pub(super) fn link(&mut self, ids_by_name: &HashMap<String, MechanismId>) {
        self.ids = self
            .mechanisms
            .iter()
            .map(|m| ids_by_name[m.id()])
            .collect();
        self.rows = vec![None; ids_by_name.len()];
        for (row, id) in self.ids.iter().enumerate() {
            self.rows[id.index()] = Some(row as u16);
        }
    }

    /// This regime's row for a claim, if it knows the id.
    pub fn mechanism(&self, id: MechanismId) -> Option<&Mechanism> {
        self.rows
            .get(id.index())
            .copied()
            .flatten()
            .map(|row| &self.mechanisms[usize::from(row)])
    }

    /// The rule set's id of one of this regime's rows.
    pub fn id_of(&self, m: &Mechanism) -> Option<MechanismId> {
        self.mechanisms
            .iter()
            .position(|x| std::ptr::eq(x, m))
            .map(|row| self.ids[row])
    }

    /// Whether the id is a transfer tool, derogation or framework here (not refused).
    pub fn accepts(&self, id: MechanismId) -> bool {
        self.mechanism(id)
            .is_some_and(|m| !matches!(m.kind, MechanismKind::Refused { .. }))
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

    pub fn memberships_of(&self, country: CountryCode) -> impl Iterator<Item = &Membership> {
        self.by_country[country.index()]
            .memberships
            .iter()
            .map(|&i| &self.memberships[i.index()])
    }

    /// The membership that makes this regime govern an exporter in `country` on `date`.
    pub fn governs(&self, country: CountryCode, date: NaiveDate) -> Option<&Membership> {
        self.memberships_of(country)
            .find(|m| m.status.governs_exporters() && m.period.contains(date))
    }

    /// Whether this regime governs exporters in `country` on some date.
    pub fn ever_governs(&self, country: CountryCode) -> bool {
        self.memberships_of(country)
            .any(|m| m.status.governs_exporters())
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
            .map(|&row| (self.ids[row], &self.mechanisms[row]))
    }

    pub fn notes_for(&self, country: CountryCode) -> impl Iterator<Item = &DestinationNote> {
        self.by_country[country.index()]
            .notes
            .iter()
            .map(|&i| &self.destination_notes[i])
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
