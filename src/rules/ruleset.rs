//! All the regimes the engine knows (`eu.toml`, `uk.toml`, `ch.toml`), one id space for the
//! mechanisms they name, the choice of a regime by exporter and date, and the check of a
//! transfer's facts against them (bad input is refused at the edge, never assessed).

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::NaiveDate;

use super::country::CountryCode;
use super::facts::{Facts, Parts};
use super::ids::MechanismId;
use super::law::{Adequacy, Membership};
use super::mechanism::{Mechanism, MechanismKind};
use super::regime::{Regime, RulesError};

#[derive(Debug)]
pub struct RuleSet {
    /// In order of precedence when an id is described without a regime: the EU first.
    pub regimes: Vec<Regime>,
    names: Vec<String>,
    ids: HashMap<String, MechanismId>,
    /// "the EU/EEA, the UK, Switzerland", for reasons when none governs the exporter.
    pub areas: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown mechanism '{given}'; valid ids: {valid}")]
pub struct UnknownMechanism {
    pub given: String,
    pub valid: String,
}

/// Facts that describe no possible transfer: the field and the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InvalidFacts {
    pub field: &'static str,
    pub message: String,
}

static EMBEDDED: LazyLock<RuleSet> = LazyLock::new(|| {
    // Compiled-in data: the tests load it, so a bad row fails the build's tests, not a user.
    let load = |file: &str, text: &str| {
        Regime::from_toml(text).unwrap_or_else(|e| panic!("seeds/rules/{file}: {e}"))
    };
    RuleSet::new(vec![
        load("eu.toml", include_str!("../../seeds/rules/eu.toml")),
        load("uk.toml", include_str!("../../seeds/rules/uk.toml")),
        load("ch.toml", include_str!("../../seeds/rules/ch.toml")),
    ])
    .unwrap_or_else(|e| panic!("seeds/rules: {e}"))
});

impl RuleSet {
    /// The EU/EEA, UK and Swiss rules compiled into the binary.
    pub fn embedded() -> &'static RuleSet {
        &EMBEDDED
    }

    /// A mechanism's name from the rules data, or its id when the rules no longer know it.
    pub fn name_of(&self, id: &str) -> String {
        self.mechanism_id(id)
            .map(|m| self.mechanism(m).short.clone())
            .or_else(|_| {
                self.adequacy(id)
                    .map(|a| match a.countries.as_slice() {
                        [one] => format!("adequacy decision for {}", one.name()),
                        _ => a.scope.clone(),
                    })
                    .ok_or(())
            })
            .unwrap_or_else(|_| id.to_string())
    }

    /// Joins regimes: one id per mechanism name, across all of them. At most 8 regimes (a
    /// certification's parts are a byte).
    pub fn new(mut regimes: Vec<Regime>) -> Result<RuleSet, RulesError> {
        let mut errors = Vec::new();
        if regimes.len() > 8 {
            errors.push("  more than 8 regimes".to_string());
        }
        let mut names: Vec<String> = Vec::new();
        let mut ids: HashMap<String, MechanismId> = HashMap::new();
        for (i, r) in regimes.iter().enumerate() {
            if regimes[..i].iter().any(|o| o.regime == r.regime) {
                errors.push(format!("  regime '{}': duplicate id", r.regime));
            }
            for m in &r.mechanisms {
                if !ids.contains_key(m.id()) {
                    ids.insert(m.id().to_string(), MechanismId(names.len() as u16));
                    names.push(m.id().to_string());
                }
            }
        }
        // A refused id must be a real mechanism somewhere, or it refuses a typo.
        for r in &regimes {
            for m in &r.mechanisms {
                let real = regimes.iter().any(|o| {
                    o.mechanisms.iter().any(|x| {
                        x.id() == m.id() && !matches!(x.kind, MechanismKind::Refused { .. })
                    })
                });
                if !real {
                    errors.push(format!(
                        "  regime '{}': refused '{}' is a mechanism of no regime",
                        r.regime,
                        m.id()
                    ));
                }
            }
        }
        if !errors.is_empty() {
            return Err(RulesError::Invalid(errors));
        }
        for r in &mut regimes {
            r.link(&ids);
        }
        let areas = regimes
            .iter()
            .map(|r| r.area.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        Ok(RuleSet {
            regimes,
            names,
            ids,
            areas,
        })
    }

    pub fn regime(&self, id: &str) -> Option<&Regime> {
        self.regimes.iter().find(|r| r.regime == id.trim())
    }

    /// The regime ids, for messages ("eu, uk, ch").
    pub fn regime_ids(&self) -> String {
        self.regimes
            .iter()
            .map(|r| r.regime.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The parts of a framework's list named by regime ids ("eu", "uk"): a certification's.
    pub fn parts<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> Result<Parts, String> {
        let mut parts = Parts(0);
        for id in ids.into_iter().map(str::trim).filter(|p| !p.is_empty()) {
            let i = self
                .regimes
                .iter()
                .position(|r| r.regime == id)
                .ok_or_else(|| {
                    format!(
                        "unknown part '{id}'; parts are regime ids: {}",
                        self.regime_ids()
                    )
                })?;
            parts = parts.with(i);
        }
        if parts.0 == 0 {
            return Err(format!(
                "no part given; parts are regime ids: {}",
                self.regime_ids()
            ));
        }
        Ok(parts)
    }

    /// The regime that governs an exporter in `country` on `date` (DESIGN.md §4: the regime
    /// follows the exporter), its position, and the membership that makes it so.
    pub fn regime_for(
        &self,
        country: CountryCode,
        date: NaiveDate,
    ) -> Option<(usize, &Regime, &Membership)> {
        self.regimes
            .iter()
            .enumerate()
            .find_map(|(i, r)| r.governs(country, date).map(|m| (i, r, m)))
    }

    /// Looks up a mechanism by its id in the rules data (`scc_2021`, `idta`, `consent`...).
    pub fn mechanism_id(&self, id: &str) -> Result<MechanismId, UnknownMechanism> {
        self.ids
            .get(id.trim())
            .copied()
            .ok_or_else(|| UnknownMechanism {
                given: id.to_string(),
                valid: self.names.join(", "),
            })
    }

    /// Looks up a framework whose list an importer can be certified on (in some regime).
    pub fn framework_id(&self, id: &str) -> Result<MechanismId, UnknownMechanism> {
        match self.ids.get(id.trim()) {
            Some(&mid) if self.is_framework(mid) => Ok(mid),
            _ => Err(UnknownMechanism {
                given: id.to_string(),
                valid: self
                    .mechanisms()
                    .filter(|m| matches!(m.kind, MechanismKind::Framework { .. }))
                    .map(|m| m.id())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }

    fn is_framework(&self, id: MechanismId) -> bool {
        self.regimes.iter().any(|r| {
            r.mechanism(id)
                .is_some_and(|m| matches!(m.kind, MechanismKind::Framework { .. }))
        })
    }

    /// The id's row in the first regime that accepts it (its usual name and kind).
    pub fn mechanism(&self, id: MechanismId) -> &Mechanism {
        self.regimes
            .iter()
            .find_map(|r| r.mechanism(id).filter(|_| r.accepts(id)))
            .or_else(|| self.regimes.iter().find_map(|r| r.mechanism(id)))
            .expect("every id comes from a regime's rows")
    }

    /// Every mechanism once, by id, as [`RuleSet::mechanism`] describes it.
    pub fn mechanisms(&self) -> impl Iterator<Item = &Mechanism> {
        (0..self.names.len()).map(|i| self.mechanism(MechanismId(i as u16)))
    }

    /// An adequacy decision by its id, in any regime.
    pub fn adequacy(&self, id: &str) -> Option<&Adequacy> {
        self.regimes
            .iter()
            .flat_map(|r| &r.adequacy)
            .find(|a| a.citation.rule == id)
    }

    /// The regimes that govern exporters in `country` on some date.
    pub fn regimes_of(&self, country: CountryCode) -> impl Iterator<Item = &Regime> {
        self.regimes.iter().filter(move |r| r.ever_governs(country))
    }

    /// Refuses facts that describe no possible transfer (TRANSFER-RULES.md §1.4, §2.1;
    /// REGIMES-UK-CH.md §0): an international organisation as exporter, a mechanism or framework
    /// that no regime governing the exporter knows (a UK-only tool for a Swiss exporter), a
    /// scope condition about another country than the destination.
    pub fn check(&self, facts: &Facts) -> Result<(), InvalidFacts> {
        let exporter = facts.exporter;
        if exporter.is_organisation() {
            return Err(InvalidFacts {
                field: "exporter",
                message: format!(
                    "{} ({exporter}) is an international organisation: it can be an importer, never an exporter (GDPR Art. 44; TRANSFER-RULES.md §1.4)",
                    exporter.name_at_start()
                ),
            });
        }
        let regimes: Vec<&Regime> = self.regimes_of(exporter).collect();
        // An exporter no regime governs is out of scope whatever it claims.
        if !regimes.is_empty() {
            let unknown = |id: MechanismId, field: &'static str, what: &str| InvalidFacts {
                field,
                message: format!(
                    "'{}' is not {what} under {} ({}), which govern{} exporters in {} ({exporter}); valid there: {}",
                    self.names[id.index()],
                    regimes
                        .iter()
                        .map(|r| r.label.as_str())
                        .collect::<Vec<_>>()
                        .join(" or "),
                    regimes
                        .iter()
                        .map(|r| r.regime.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    if regimes.len() == 1 { "s" } else { "" },
                    exporter.name_in_sentence(),
                    self.valid_ids(&regimes, field == "certified")
                ),
            };
            for c in &facts.claims {
                if !regimes.iter().any(|r| r.mechanism(c.mechanism).is_some()) {
                    return Err(unknown(c.mechanism, "mechanisms", "a transfer mechanism"));
                }
            }
            for c in &facts.certified {
                let known = regimes.iter().any(|r| {
                    r.mechanism(c.framework)
                        .is_some_and(|m| matches!(m.kind, MechanismKind::Framework { .. }))
                });
                if !known {
                    return Err(unknown(c.framework, "certified", "a framework"));
                }
            }
        }
        for e in &facts.outside_scope {
            if facts.importer.is_none_or(|i| !e.countries().contains(&i)) {
                let countries: Vec<String> = e
                    .countries()
                    .iter()
                    .map(|c| format!("{} ({c})", c.name_in_sentence()))
                    .collect();
                return Err(InvalidFacts {
                    field: "outside_scope",
                    message: format!(
                        "'{e}' concerns importers in {}, and this transfer goes to {}",
                        countries.join(" or "),
                        facts.importer.map_or_else(
                            || "an unnamed destination".to_string(),
                            |i| format!("{} ({i})", i.name_in_sentence())
                        )
                    ),
                });
            }
        }
        Ok(())
    }

    fn valid_ids(&self, regimes: &[&Regime], frameworks_only: bool) -> String {
        (0..self.names.len())
            .map(|i| MechanismId(i as u16))
            .filter(|&id| {
                regimes.iter().any(|r| {
                    r.mechanism(id).is_some_and(|m| {
                        !frameworks_only || matches!(m.kind, MechanismKind::Framework { .. })
                    })
                })
            })
            .map(|id| self.names[id.index()].as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
