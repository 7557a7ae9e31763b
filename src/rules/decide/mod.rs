//! `decide`: the steps of TRANSFER-RULES.md §6 (REGIMES-UK-CH.md A7, B8 for the UK and Swiss
//! regimes), in order, from the facts to a [`Decision`]: which step ended the assessment and
//! which rows (membership, law, adequacy decision, framework, safeguard, derogation, failed
//! claims) decided it. No words here: [`explain`] writes them.
//!
//! [`explain`]: super::explain

mod claims;

use chrono::NaiveDate;

pub(super) use claims::{Acceptance, Failure};

use super::country::CountryCode;
use super::facts::{Claim, Facts};
use super::law::{Adequacy, Application, Membership};
use super::mechanism::{Mechanism, MechanismKind};
use super::regime::Regime;
use super::ruleset::RuleSet;

/// What decided one assessment, with the date and the few facts its words name. It owns what
/// it holds, so an assessment can keep it and write its sentences only when asked.
#[derive(Clone)]
pub(super) struct Decision<'r> {
    pub exporter: CountryCode,
    pub importer: Option<CountryCode>,
    /// Whether any mechanism was claimed ("no mechanism is needed" hints).
    pub claims: bool,
    pub as_of: NaiveDate,
    pub step: Step<'r>,
}

/// No regime governs the exporter on the date (TRANSFER-RULES.md §6 step 1): the regime it left
/// most recently, or the one it comes under next, if any.
#[derive(Clone)]
pub(super) struct Outside<'r> {
    pub exporter: CountryCode,
    pub as_of: NaiveDate,
    pub left: Option<(&'r Regime, &'r Membership)>,
    pub joins: Option<(&'r Regime, &'r Membership)>,
}

/// The exporter is under no regime on `as_of`: which it left last, which it joins next.
pub(super) fn outside<'r>(facts: &Facts, all: &'r RuleSet, as_of: NaiveDate) -> Outside<'r> {
    let exporter = facts.exporter;
    let governing = || {
        all.regimes.iter().flat_map(move |r| {
            r.memberships_of(exporter)
                .filter(|m| m.status.governs_exporters())
                .map(move |m| (r, m))
        })
    };
    Outside {
        exporter,
        as_of,
        left: governing()
            .filter(|(_, m)| m.period.ended(as_of))
            .max_by_key(|(_, m)| m.period.valid_until),
        joins: governing()
            .filter(|(_, m)| !m.period.started(as_of))
            .min_by_key(|(_, m)| m.period.valid_from),
    }
}

/// The step of §6 that ended the assessment, under the regime of the exporter.
#[derive(Clone)]
pub(super) enum Step<'r> {
    /// Step 1: the exporter is inside, but no law on transfers applied to its group yet; the
    /// first one to apply, if any.
    NoLawYet {
        membership: &'r Membership,
        next: Option<&'r Application>,
    },
    /// Step 2: the destination is inside the exporter's area (the EU/EEA, or treated so; the
    /// UK or Switzerland itself under their regimes).
    Inside {
        application: &'r Application,
        importer: CountryCode,
        inside: &'r Membership,
    },
    /// Steps 3 to 6: a transfer to a third country.
    ThirdCountry(ThirdCountry<'r>),
}

/// A transfer to a third country under the law of `application`.
#[derive(Clone)]
pub(super) struct ThirdCountry<'r> {
    pub application: &'r Application,
    /// Adequacy decisions in force for the importer that do not bind this exporter's group.
    pub not_binding: Vec<&'r Adequacy>,
    pub cover: Cover<'r>,
    /// The claims that cover nothing, in the order given, then certifications on frameworks not
    /// in force. Not checked when adequacy covers the transfer.
    pub failures: Vec<Failure<'r>>,
}

/// What covers a transfer to a third country, by the first step of 3 to 6 that holds.
#[derive(Clone)]
pub(super) enum Cover<'r> {
    /// Step 3: an adequacy decision in force that binds the exporter.
    Decision(&'r Adequacy),
    /// Step 3: a framework in force whose list the importer is on; whether it was claimed, and
    /// the other frameworks claimed instead.
    Framework {
        framework: &'r Mechanism,
        claimed: bool,
        instead: Vec<&'r Mechanism>,
    },
    /// Step 4: an Art. 46/47 safeguard valid on the date.
    Safeguard {
        mechanism: &'r Mechanism,
        claim: Claim,
        acceptance: Acceptance<'r>,
        tia: Tia,
    },
    /// Step 5: a safeguard claimed but not named.
    Unverified(&'r Mechanism),
    /// Step 6: only a derogation.
    Derogation(&'r Mechanism),
    /// Step 7: nothing valid.
    Nothing,
}

/// The transfer impact assessment of a safeguarded transfer (CJEU C-311/18).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Tia {
    NotExpected,
    OnRecord,
    Missing,
}

/// Decides one transfer on `as_of` under the regime at `position` in `all`, which governs the
/// exporter through `membership` on that date.
pub(super) fn decide<'r>(
    facts: &Facts,
    all: &'r RuleSet,
    position: usize,
    membership: &'r Membership,
    as_of: NaiveDate,
) -> Decision<'r> {
    let step = Decider {
        facts,
        rules: &all.regimes[position],
        all,
        position,
        as_of,
    }
    .step(membership);
    Decision {
        exporter: facts.exporter,
        importer: facts.importer,
        claims: !facts.claims.is_empty(),
        as_of,
        step,
    }
}

pub(super) struct Decider<'a, 'r> {
    facts: &'a Facts,
    /// The regime that assesses, and its position (a certification's part).
    rules: &'r Regime,
    position: usize,
    /// Every regime, for the names of ids this one does not know.
    all: &'r RuleSet,
    as_of: NaiveDate,
}

impl<'r> Decider<'_, 'r> {
    fn step(&self, membership: &'r Membership) -> Step<'r> {
        let exporter = self.facts.exporter;
        let as_of = self.as_of;

        // 1. The regime governs the exporter (chosen by `assess`); its law may not apply yet.
        let Some(application) = self.rules.application(membership.group, as_of) else {
            let next = self
                .rules
                .applications
                .iter()
                .filter(|a| a.group == membership.group && !a.period.started(as_of))
                .min_by_key(|a| a.period.valid_from);
            return Step::NoLawYet { membership, next };
        };

        // 2. A destination inside the area (or treated so) on the date: no transfer. A bridge
        // counts only for the exporters it binds.
        if let Some(importer) = self.facts.importer
            && let Some(inside) = self
                .rules
                .memberships_of(importer)
                .find(|m| m.period.contains(as_of) && m.admits(membership.group, exporter))
        {
            return Step::Inside {
                application,
                importer,
                inside,
            };
        }
        Step::ThirdCountry(self.third_country(application))
    }

    fn third_country(&self, application: &'r Application) -> ThirdCountry<'r> {
        let as_of = self.as_of;
        let group = application.group;
        let law = application.law;
        let mut transfer = ThirdCountry {
            application,
            not_binding: Vec::new(),
            cover: Cover::Nothing,
            failures: Vec::new(),
        };

        // 3. Adequacy: a decision in force that binds this exporter and whose scope the record
        // does not exclude (§2.1), or a framework whose list the importer is on. The newest
        // decision wins.
        let mut decision: Option<&'r Adequacy> = None;
        for a in self.importer().flat_map(|c| self.rules.adequacy_for(c)) {
            if !a.period.contains(as_of) {
                continue;
            }
            if !a.binds(group) {
                transfer.not_binding.push(a);
                continue;
            }
            if let Some(&e) = a
                .excludes
                .iter()
                .find(|e| self.facts.outside_scope.contains(e))
            {
                transfer.failures.push(Failure::OutsideScope(a, e));
                continue;
            }
            if decision.is_none_or(|d| a.period.valid_from > d.period.valid_from) {
                decision = Some(a);
            }
        }
        if let Some(a) = decision {
            transfer.cover = Cover::Decision(a);
            return transfer;
        }
        for (id, fw) in self.importer().flat_map(|c| self.rules.frameworks_for(c)) {
            if fw.period.contains(as_of) && self.facts.is_certified(id, self.position) {
                let claims = &self.facts.claims;
                let claimed = claims.iter().any(|c| c.mechanism == id);
                let instead = if claimed {
                    Vec::new()
                } else {
                    claims
                        .iter()
                        .filter_map(|c| self.rules.mechanism(c.mechanism))
                        .filter(|m| matches!(m.kind, MechanismKind::Framework { .. }))
                        .collect()
                };
                transfer.cover = Cover::Framework {
                    framework: fw,
                    claimed,
                    instead,
                };
                return transfer;
            }
        }

        // Every claim checked once, in the order given.
        let failures = &mut transfer.failures;
        let mut safeguard: Option<(&'r Mechanism, Claim, Acceptance<'r>)> = None;
        let mut derogation: Option<&'r Mechanism> = None;
        let mut unnamed: Option<&'r Mechanism> = None;
        for claim in &self.facts.claims {
            let Some(m) = self.rules.mechanism(claim.mechanism) else {
                let other = self.all.mechanism(claim.mechanism);
                failures.push(Failure::NotInRegime(other, self.rules));
                continue;
            };
            match &m.kind {
                MechanismKind::Framework { .. } => {
                    failures.push(self.framework_failure(claim.mechanism, m))
                }
                MechanismKind::Safeguard { .. } => match self.check_safeguard(m, claim, law) {
                    // An in-force safeguard beats a contract living on a sunset rule.
                    Ok(acceptance) => {
                        let better = matches!(
                            (&safeguard, &acceptance),
                            (None, _)
                                | (
                                    Some((_, _, Acceptance::Grandfathered { .. })),
                                    Acceptance::InForce
                                )
                        );
                        if better {
                            safeguard = Some((m, *claim, acceptance));
                        }
                    }
                    Err(f) => failures.push(f),
                },
                MechanismKind::Derogation { .. } => match self.check_period_and_law(m, law) {
                    Ok(()) => {
                        derogation = derogation.or(Some(m));
                    }
                    Err(f) => failures.push(f),
                },
                MechanismKind::Unnamed { .. } => match self.check_period_and_law(m, law) {
                    Ok(()) => unnamed = unnamed.or(Some(m)),
                    Err(f) => failures.push(f),
                },
                MechanismKind::Refused { .. } => failures.push(Failure::Refused(m)),
            }
        }
        // A certification on a framework no longer (or not yet) in force covers nothing.
        for c in &self.facts.certified {
            let id = c.framework;
            let claimed = self.facts.claims.iter().any(|c| c.mechanism == id);
            let Some(m) = self
                .rules
                .mechanism(id)
                .filter(|_| c.parts.has(self.position))
            else {
                continue;
            };
            if let MechanismKind::Framework { country, .. } = m.kind
                && !claimed
                && Some(country) == self.facts.importer
                && !m.period.contains(as_of)
            {
                failures.push(self.framework_failure(id, m));
            }
        }

        transfer.cover = if let Some((mechanism, claim, acceptance)) = safeguard {
            // 4. An Art. 46/47 safeguard valid on the date.
            let tia = if !self.rules.tia_expected(as_of) {
                Tia::NotExpected
            } else if self.facts.tia {
                Tia::OnRecord
            } else {
                Tia::Missing
            };
            Cover::Safeguard {
                mechanism,
                claim,
                acceptance,
                tia,
            }
        } else if let Some(m) = unnamed {
            // 5. A safeguard claimed but not named: it cannot be checked against the date.
            Cover::Unverified(m)
        } else if let Some(m) = derogation {
            // 6. A derogation only (Art. 49(1): only in the absence of Art. 46 safeguards).
            Cover::Derogation(m)
        } else {
            // 7. Nothing valid.
            Cover::Nothing
        };
        transfer
    }

    fn importer(&self) -> impl Iterator<Item = CountryCode> + use<> {
        self.facts.importer.into_iter()
    }
}
