//! The validated rules of one regime, indexed by country for the engine.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::country::CountryCode;
use super::source::RulesFile;

/// How sure the project is of a row (TRANSFER-RULES.md): checked in the Official Journal, other
/// primary text, a secondary source, or general knowledge not yet checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Confidence {
    #[serde(rename = "OJ")]
    OfficialJournal,
    #[serde(rename = "P")]
    Primary,
    #[serde(rename = "2")]
    Secondary,
    #[serde(rename = "K")]
    Knowledge,
}

impl Confidence {
    pub fn tag(self) -> &'static str {
        match self {
            Confidence::OfficialJournal => "OJ",
            Confidence::Primary => "P",
            Confidence::Secondary => "2",
            Confidence::Knowledge => "K",
        }
    }

    /// Checked against a primary source.
    pub fn is_checked(self) -> bool {
        matches!(self, Confidence::OfficialJournal | Confidence::Primary)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Confidence::OfficialJournal => "checked in the Official Journal",
            Confidence::Primary => "checked in a primary text",
            Confidence::Secondary => "from a secondary source",
            Confidence::Knowledge => "from general knowledge, not checked",
        }
    }
}

/// Where a rule comes from: its id in the rules data, its legal reference and how sure we are.
#[derive(Debug, Clone, Serialize)]
pub struct Citation {
    pub rule: String,
    pub reference: String,
    pub confidence: Confidence,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `valid_from` is the first day a rule applies, `valid_until` the first day it no longer does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Period {
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
}

impl Period {
    pub fn started(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| date >= from)
    }

    pub fn ended(&self, date: NaiveDate) -> bool {
        self.valid_until.is_some_and(|until| date >= until)
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.started(date) && !self.ended(date)
    }

    /// The last day the rule applies, if it ends.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.valid_until.and_then(|d| d.pred_opt())
    }
}

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
    pub law: usize,
    pub group: usize,
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
    pub group: usize,
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
    pub exporter_groups: Option<Vec<usize>>,
    pub period: Period,
}

impl Adequacy {
    pub fn binds(&self, group: usize) -> bool {
        self.exporter_groups
            .as_ref()
            .is_none_or(|groups| groups.contains(&group))
    }
}

/// Anything a contract or a policy can claim as the basis of a transfer.
#[derive(Debug, Clone)]
pub struct Mechanism {
    pub citation: Citation,
    pub name: String,
    /// A short name for sentences ("2010 SCCs").
    pub short: String,
    pub period: Period,
    pub kind: MechanismKind,
}

impl Mechanism {
    pub fn id(&self) -> &str {
        &self.citation.rule
    }
}

#[derive(Debug, Clone)]
pub enum MechanismKind {
    /// An adequacy decision that covers only the organisations on a list (Privacy Shield, DPF).
    Framework {
        country: CountryCode,
        list: String,
        invalidated_by: Option<String>,
    },
    /// An Art. 46/47 safeguard.
    Safeguard {
        family: Option<String>,
        new_contracts_until: Option<NaiveDate>,
        transition: Option<usize>,
        /// The article that makes it a transfer tool, per law (indexed like `RuleSet::laws`).
        basis: Vec<Option<String>>,
    },
    /// An Art. 49 derogation.
    Derogation { basis: Vec<Option<String>> },
}

impl MechanismKind {
    pub fn label(&self) -> &'static str {
        match self {
            MechanismKind::Framework { .. } => "framework",
            MechanismKind::Safeguard { .. } => "safeguard",
            MechanismKind::Derogation { .. } => "derogation",
        }
    }

    /// The article that makes it a transfer tool under `law`, if it is one there.
    pub fn basis(&self, law: usize) -> Option<&str> {
        match self {
            MechanismKind::Framework { .. } => Some(""),
            MechanismKind::Safeguard { basis, .. } | MechanismKind::Derogation { basis } => {
                basis.get(law).and_then(|b| b.as_deref())
            }
        }
    }
}

/// Dense index of a mechanism in one [`RuleSet`]. Parse with [`RuleSet::mechanism_id`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MechanismId(pub(crate) u16);

/// A sunset under which contracts signed before a date keep safeguarding transfers for a while.
#[derive(Debug, Clone)]
pub struct Transition {
    pub citation: Citation,
    pub name: String,
    pub new_contracts_until: NaiveDate,
    pub valid_until: NaiveDate,
    pub requires_unchanged_processing: bool,
}

#[derive(Debug, Clone)]
pub struct TiaRule {
    pub citation: Citation,
    pub expected_from: NaiveDate,
}

/// Row indices that concern one country, so an assessment never scans all rules.
#[derive(Debug, Clone, Default)]
struct CountryRules {
    memberships: Vec<u16>,
    adequacy: Vec<u16>,
    frameworks: Vec<u16>,
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
    by_country: Vec<CountryRules>,
    mechanism_ids: HashMap<String, MechanismId>,
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

    pub fn from_toml(text: &str) -> Result<RuleSet, RulesError> {
        let file: RulesFile = toml::from_str(text)?;
        Loader::default().load(file)
    }

    pub fn mechanism(&self, id: MechanismId) -> &Mechanism {
        &self.mechanisms[id.0 as usize]
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
            .map(|&i| &self.memberships[i as usize])
    }

    pub fn adequacy_for(&self, country: CountryCode) -> impl Iterator<Item = &Adequacy> {
        self.by_country[country.index()]
            .adequacy
            .iter()
            .map(|&i| &self.adequacy[i as usize])
    }

    pub fn frameworks_for(
        &self,
        country: CountryCode,
    ) -> impl Iterator<Item = (MechanismId, &Mechanism)> {
        self.by_country[country.index()]
            .frameworks
            .iter()
            .map(|&i| (MechanismId(i), &self.mechanisms[i as usize]))
    }

    /// The law applying to exporters of `group` on `date`.
    pub fn application(&self, group: usize, date: NaiveDate) -> Option<&Application> {
        self.applications
            .iter()
            .find(|a| a.group == group && a.period.contains(date))
    }
}

/// Builds a [`RuleSet`] from the file's rows, collecting every invalid row.
#[derive(Default)]
struct Loader {
    errors: Vec<String>,
    ids: HashSet<String>,
    laws: HashMap<String, usize>,
    groups: HashMap<String, usize>,
    transitions: HashMap<String, usize>,
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

    fn reference(
        &mut self,
        row: &str,
        kind: &str,
        map: &HashMap<String, usize>,
        id: &str,
    ) -> usize {
        map.get(id).copied().unwrap_or_else(|| {
            self.fail(row, format!("names unknown {kind} '{id}'"));
            0
        })
    }

    fn law(&mut self, row: &str, id: &str) -> usize {
        let laws = std::mem::take(&mut self.laws);
        let i = self.reference(row, "law", &laws, id);
        self.laws = laws;
        i
    }

    fn group(&mut self, row: &str, id: &str) -> usize {
        let groups = std::mem::take(&mut self.groups);
        let i = self.reference(row, "group", &groups, id);
        self.groups = groups;
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
            if let Some(slot) = out.get_mut(i) {
                *slot = Some(article);
            }
        }
        out
    }

    fn load(mut self, file: RulesFile) -> Result<RuleSet, RulesError> {
        let laws: Vec<Law> = file
            .law
            .into_iter()
            .map(|row| {
                self.id("law", &row.id);
                self.laws.insert(row.id.clone(), self.laws.len());
                Law {
                    id: row.id,
                    name: row.name,
                    transfer_rules: row.transfer_rules,
                    adequacy_basis: row.adequacy_basis,
                    safeguards_basis: row.safeguards_basis,
                    derogations_basis: row.derogations_basis,
                }
            })
            .collect();
        let groups: Vec<Group> = file
            .group
            .into_iter()
            .map(|row| {
                self.id("group", &row.id);
                self.groups.insert(row.id.clone(), self.groups.len());
                Group {
                    id: row.id,
                    name: row.name,
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
                if row.countries.is_empty() {
                    self.fail(&name, "lists no country");
                }
                let countries = row
                    .countries
                    .iter()
                    .filter_map(|c| self.country(&name, c))
                    .collect();
                Membership {
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
                Some(Adequacy {
                    country: self.country(&name, &row.country)?,
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
                    .insert(row.id.clone(), self.transitions.len());
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
            let transitions = std::mem::take(&mut self.transitions);
            let transition = row
                .transition
                .map(|t| self.reference(&name, "transition", &transitions, &t));
            self.transitions = transitions;
            let basis = self.basis(&name, row.basis, laws.len());
            mechanisms.push(Mechanism {
                name: row.name,
                short: row.short,
                period,
                kind: MechanismKind::Safeguard {
                    family: row.family,
                    new_contracts_until: row.new_contracts_until,
                    transition,
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

        if !self.errors.is_empty() {
            return Err(RulesError::Invalid(self.errors));
        }

        let mut by_country = vec![CountryRules::default(); CountryCode::count()];
        for (i, m) in memberships.iter().enumerate() {
            for c in &m.countries {
                by_country[c.index()].memberships.push(i as u16);
            }
        }
        for (i, a) in adequacy.iter().enumerate() {
            by_country[a.country.index()].adequacy.push(i as u16);
        }
        for (i, m) in mechanisms.iter().enumerate() {
            if let MechanismKind::Framework { country, .. } = m.kind {
                by_country[country.index()].frameworks.push(i as u16);
            }
        }
        let mechanism_ids = mechanisms
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id().to_string(), MechanismId(i as u16)))
            .collect();

        Ok(RuleSet {
            regime: file.regime,
            name: file.name,
            tia: TiaRule {
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
            by_country,
            mechanism_ids,
        })
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
