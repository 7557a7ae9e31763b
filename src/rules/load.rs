//! Loading a regime's rules file: every row of [`RulesFile`] checked (ids, dates, country codes,
//! the ids a row names) and turned into the typed rows of a [`Regime`]. Every invalid row is
//! reported, not only the first.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use chrono::NaiveDate;

use super::citation::{Citation, Confidence, Period};
use super::country::CountryCode;
use super::ids::{GroupId, LawId, TransitionId};
use super::law::{Adequacy, Application, Group, Inside, Law, Membership, MembershipStatus};
use super::mechanism::{DestinationNote, Mechanism, MechanismKind, OpenPoint, TiaRule, Transition};
use super::regime::{Regime, RulesError};
use super::scope::ScopeExclusion;
use super::source::RulesFile;

impl Regime {
    pub fn from_toml(text: &str) -> Result<Regime, RulesError> {
        let file: RulesFile = toml::from_str(text)?;
        Loader::default().load(file)
    }
}

/// Builds a [`Regime`] from the file's rows, collecting every invalid row.
#[derive(Default)]
struct Loader {
    errors: Vec<String>,
    ids: HashSet<String>,
    laws: HashMap<String, LawId>,
    groups: HashMap<String, GroupId>,
    transitions: HashMap<String, TransitionId>,
}

impl Loader {
    fn fail(&mut self, row: &str, problem: impl fmt::Display) {
        self.errors.push(format!("  {row}: {problem}"));
    }

    fn id(&mut self, kind: &str, id: &str) -> String {
        let row = format!("{kind} '{id}'");
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            self.fail(&row, "an id is letters, digits and '_'");
        }
        if !self.ids.insert(id.to_string()) {
            self.fail(&row, "duplicate id");
        }
        row
    }

    fn period(&mut self, row: &str, from: Option<NaiveDate>, until: Option<NaiveDate>) -> Period {
        if let (Some(from), Some(until)) = (from, until)
            && until <= from
        {
            self.fail(
                row,
                format!("valid_until {until} is not after valid_from {from}"),
            );
        }
        Period {
            valid_from: from,
            valid_until: until,
        }
    }

    fn country(&mut self, row: &str, code: &str) -> Option<CountryCode> {
        match CountryCode::parse(code) {
            Ok(c) if c.as_str() == code => Some(c),
            Ok(c) => {
                self.fail(row, format!("write country code '{code}' as '{c}'"));
                None
            }
            Err(e) => {
                self.fail(row, e);
                None
            }
        }
    }

    /// The id a row names; on an unknown name, the failure and a placeholder (the load fails).
    fn reference<T: Copy + Default>(
        &mut self,
        row: &str,
        kind: &str,
        map: &HashMap<String, T>,
        id: &str,
    ) -> T {
        map.get(id).copied().unwrap_or_else(|| {
            self.fail(row, format!("names unknown {kind} '{id}'"));
            T::default()
        })
    }

    fn law(&mut self, row: &str, id: &str) -> LawId {
        let laws = std::mem::take(&mut self.laws);
        let i = self.reference(row, "law", &laws, id);
        self.laws = laws;
        i
    }

    fn group(&mut self, row: &str, id: &str) -> GroupId {
        let groups = std::mem::take(&mut self.groups);
        let i = self.reference(row, "group", &groups, id);
        self.groups = groups;
        i
    }

    fn transition(&mut self, row: &str, id: &str) -> TransitionId {
        let transitions = std::mem::take(&mut self.transitions);
        let i = self.reference(row, "transition", &transitions, id);
        self.transitions = transitions;
        i
    }

    /// Per-law articles, indexed like the laws; every key must name a law.
    fn basis(
        &mut self,
        row: &str,
        basis: BTreeMap<String, String>,
        law_count: usize,
    ) -> Vec<Option<String>> {
        let mut out = vec![None; law_count];
        if basis.is_empty() {
            self.fail(row, "basis names no law");
        }
        for (law, article) in basis {
            let i = self.law(row, &law);
            if let Some(slot) = out.get_mut(i.index()) {
                *slot = Some(article);
            }
        }
        out
    }

    fn countries(&mut self, row: &str, codes: &[String]) -> Vec<CountryCode> {
        if codes.is_empty() {
            self.fail(row, "lists no country");
        }
        codes.iter().filter_map(|c| self.country(row, c)).collect()
    }

    fn load(mut self, file: RulesFile) -> Result<Regime, RulesError> {
        let laws: Vec<Law> = file
            .law
            .into_iter()
            .map(|row| {
                self.id("law", &row.id);
                self.laws
                    .insert(row.id.clone(), LawId(self.laws.len() as u16));
                Law {
                    id: row.id,
                    name: row.name,
                    transfer_rules: row.transfer_rules,
                    adequacy_basis: row.adequacy_basis,
                    safeguards_basis: row.safeguards_basis,
                    derogations_basis: row.derogations_basis,
                    adequacy_term: row.adequacy_term,
                    tia_basis: row.tia_basis,
                }
            })
            .collect();
        let groups: Vec<Group> = file
            .group
            .into_iter()
            .map(|row| {
                self.id("group", &row.id);
                self.groups
                    .insert(row.id.clone(), GroupId(self.groups.len() as u16));
                let inside = match row.inside.as_deref() {
                    None | Some("intra_eea") => Inside::IntraEea,
                    Some("domestic") => Inside::Domestic,
                    Some(other) => {
                        let name = format!("group '{}'", row.id);
                        self.fail(
                            &name,
                            format!("unknown inside '{other}' (intra_eea or domestic)"),
                        );
                        Inside::IntraEea
                    }
                };
                Group {
                    id: row.id,
                    name: row.name,
                    inside,
                }
            })
            .collect();

        let applications = file
            .application
            .into_iter()
            .map(|row| {
                let name = self.id("application", &row.id);
                Application {
                    law: self.law(&name, &row.law),
                    group: self.group(&name, &row.group),
                    period: self.period(&name, row.valid_from, row.valid_until),
                    citation: citation(row.id, row.reference, row.confidence, row.note),
                }
            })
            .collect::<Vec<_>>();

        let memberships = file
            .membership
            .into_iter()
            .map(|row| {
                let name = self.id("membership", &row.id);
                let status = match row.status.as_str() {
                    "member" => MembershipStatus::Member,
                    "transition" => MembershipStatus::Transition,
                    "bridge" => MembershipStatus::Bridge,
                    other => {
                        self.fail(
                            &name,
                            format!("unknown status '{other}' (member, transition or bridge)"),
                        );
                        MembershipStatus::Member
                    }
                };
                let countries = self.countries(&name, &row.countries);
                if (row.exporter_groups.is_some() || row.exporter_countries.is_some())
                    && status != MembershipStatus::Bridge
                {
                    self.fail(&name, "only a bridge names the exporters it binds");
                }
                let exporter_groups = row
                    .exporter_groups
                    .map(|groups| groups.iter().map(|g| self.group(&name, g)).collect());
                let exporter_countries = row
                    .exporter_countries
                    .map(|codes| self.countries(&name, &codes));
                Membership {
                    exporter_groups,
                    exporter_countries,
                    group: self.group(&name, &row.group),
                    status,
                    countries,
                    period: self.period(&name, row.valid_from, row.valid_until),
                    citation: citation(row.id, row.reference, row.confidence, row.note),
                }
            })
            .collect::<Vec<_>>();

        let adequacy = file
            .adequacy
            .into_iter()
            .filter_map(|row| {
                let name = self.id("adequacy", &row.id);
                let period = self.period(&name, row.valid_from, row.valid_until);
                let exporter_groups = row
                    .exporter_groups
                    .map(|groups| groups.iter().map(|g| self.group(&name, g)).collect());
                let countries = match (row.country, row.countries) {
                    (Some(c), None) => vec![self.country(&name, &c)?],
                    (None, Some(list)) => self.countries(&name, &list),
                    _ => {
                        self.fail(&name, "give either country or countries");
                        return None;
                    }
                };
                let mut excludes = Vec::new();
                for e in &row.excludes {
                    match ScopeExclusion::parse(e) {
                        Ok(e) if countries.iter().any(|c| e.countries().contains(c)) => {
                            excludes.push(e)
                        }
                        Ok(e) => self.fail(&name, format!("excludes '{e}', about another country")),
                        Err(err) => self.fail(&name, err),
                    }
                }
                Some(Adequacy {
                    countries,
                    excludes,
                    scope: row.scope,
                    partial_scope: row.partial_scope,
                    exporter_groups,
                    period,
                    citation: citation(row.id, row.reference, row.confidence, row.note),
                })
            })
            .collect::<Vec<_>>();

        let transitions = file
            .transition
            .into_iter()
            .map(|row| {
                let name = self.id("transition", &row.id);
                self.period(&name, Some(row.new_contracts_until), Some(row.valid_until));
                self.transitions
                    .insert(row.id.clone(), TransitionId(self.transitions.len() as u16));
                Transition {
                    name: row.name,
                    new_contracts_until: row.new_contracts_until,
                    valid_until: row.valid_until,
                    requires_unchanged_processing: row.requires_unchanged_processing,
                    citation: citation(row.id, row.reference, row.confidence, row.note),
                }
            })
            .collect::<Vec<_>>();

        let mut mechanisms = Vec::new();
        for row in file.framework {
            let name = self.id("framework", &row.id);
            let period = self.period(&name, row.valid_from, row.valid_until);
            if let Some(country) = self.country(&name, &row.country) {
                mechanisms.push(Mechanism {
                    short: row.name.clone(),
                    name: row.name,
                    period,
                    kind: MechanismKind::Framework {
                        country,
                        list: row.list,
                        invalidated_by: row.invalidated_by,
                        risk: row.risk,
                    },
                    citation: citation(row.id, row.reference, row.confidence, row.note),
                });
            }
        }
        for row in file.safeguard {
            let name = self.id("safeguard", &row.id);
            let period = self.period(&name, row.valid_from, row.valid_until);
            if let (Some(from), Some(cutoff)) = (row.valid_from, row.new_contracts_until)
                && cutoff <= from
            {
                self.fail(
                    &name,
                    format!("new_contracts_until {cutoff} is not after valid_from {from}"),
                );
            }
            let transition = row.transition.map(|t| self.transition(&name, &t));
            let basis = self.basis(&name, row.basis, laws.len());
            mechanisms.push(Mechanism {
                name: row.name,
                short: row.short,
                period,
                kind: MechanismKind::Safeguard {
                    family: row.family,
                    new_contracts_until: row.new_contracts_until,
                    transition,
                    doubt: row.doubt.map(|d| (d.from, d.hint)),
                    basis,
                },
                citation: citation(row.id, row.reference, row.confidence, row.note),
            });
        }
        for row in file.derogation {
            let name = self.id("derogation", &row.id);
            let period = self.period(&name, row.valid_from, row.valid_until);
            let reference = row
                .reference
                .unwrap_or_else(|| row.basis.values().cloned().collect::<Vec<_>>().join("; "));
            let basis = self.basis(&name, row.basis, laws.len());
            mechanisms.push(Mechanism {
                short: row.name.clone(),
                name: row.name,
                period,
                kind: MechanismKind::Derogation { basis },
                citation: citation(row.id, reference, row.confidence, row.note),
            });
        }

        for row in file.unnamed {
            let name = self.id("unnamed", &row.id);
            let period = self.period(&name, row.valid_from, row.valid_until);
            let basis = self.basis(&name, row.basis, laws.len());
            mechanisms.push(Mechanism {
                short: row.name.clone(),
                name: row.name,
                period,
                kind: MechanismKind::Unnamed {
                    basis,
                    hint: row.hint,
                },
                citation: citation(row.id, row.reference, row.confidence, row.note),
            });
        }
        for row in file.refused {
            self.id("refused", &row.id);
            mechanisms.push(Mechanism {
                short: row.name.clone(),
                name: row.name,
                period: Period::default(),
                kind: MechanismKind::Refused { reason: row.reason },
                citation: citation(row.id, row.reference, row.confidence, None),
            });
        }
        let destination_notes = file
            .destination_note
            .into_iter()
            .map(|row| {
                let name = self.id("destination_note", &row.id);
                DestinationNote {
                    countries: self.countries(&name, &row.countries),
                    hint: row.hint,
                    citation: citation(row.id, row.reference, row.confidence, None),
                }
            })
            .collect();
        let open_points = file
            .open_point
            .into_iter()
            .map(|row| {
                self.id("open_point", &row.id);
                OpenPoint {
                    id: row.id,
                    text: row.text,
                }
            })
            .collect();

        if !self.errors.is_empty() {
            return Err(RulesError::Invalid(self.errors));
        }

        let rules = Regime {
            regime: file.regime,
            name: file.name,
            tag: format!("[{}] ", file.label),
            label: file.label,
            area: file.area,
            tia: TiaRule {
                name: file.tia.name,
                expected_from: file.tia.expected_from,
                citation: citation("tia".into(), file.tia.reference, file.tia.confidence, None),
            },
            derogation_guidance: citation(
                "derogations".into(),
                file.derogations.reference,
                file.derogations.confidence,
                None,
            ),
            laws,
            groups,
            applications,
            memberships,
            adequacy,
            mechanisms,
            transitions,
            destination_notes,
            open_points,
            by_country: Vec::new(),
            ids: Vec::new(),
            rows: Vec::new(),
        };
        Ok(rules.indexed())
    }
}

fn citation(
    rule: String,
    reference: String,
    confidence: Confidence,
    note: Option<String>,
) -> Citation {
    Citation {
        rule,
        reference,
        confidence,
        note,
    }
}
