//! `decide`: the steps of TRANSFER-RULES.md §6, in order, from the facts to a [`Decision`]: which
//! step ended the assessment and which rows (membership, law, adequacy decision, framework,
//! safeguard, derogation, failed claims) decided it. No words here: [`explain`] writes them.
//!
//! [`explain`]: super::explain

mod claims;

use chrono::NaiveDate;

pub(super) use claims::{Acceptance, Failure};

use super::country::CountryCode;
use super::facts::{Claim, Facts};
use super::ids::MechanismId;
use super::law::{Adequacy, Application, Membership};
use super::mechanism::{Mechanism, MechanismKind};
use super::ruleset::RuleSet;

/// What decided one assessment, with the facts and the date it was made on.
pub(super) struct Decision<'a, 'r> {
    pub facts: &'a Facts,
    pub as_of: NaiveDate,
    pub step: Step<'r>,
}

/// The step of §6 that ended the assessment.
pub(super) enum Step<'r> {
    /// Step 1: the exporter is not established in the EU/EEA on the date; the membership it
    /// left most recently, or the one it joins next, if any.
    ExporterOutside {
        left: Option<&'r Membership>,
        joins: Option<&'r Membership>,
    },
    /// Step 1: the exporter is inside, but no law on transfers applied to its group yet; the
    /// first one to apply, if any.
    NoLawYet {
        membership: &'r Membership,
        next: Option<&'r Application>,
    },
    /// Step 2: the destination is inside the EU/EEA, or treated so.
    IntraEea {
        application: &'r Application,
        importer: CountryCode,
        inside: &'r Membership,
    },
    /// Steps 3 to 6: a transfer to a third country.
    ThirdCountry(ThirdCountry<'r>),
}

/// A transfer to a third country under the law of `application`.
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
pub(super) enum Cover<'r> {
    /// Step 3: an adequacy decision in force that binds the exporter.
    Decision(&'r Adequacy),
    /// Step 3: a framework in force whose list the importer is on.
    Framework(MechanismId, &'r Mechanism),
    /// Step 4: an Art. 46/47 safeguard valid on the date.
    Safeguard {
        mechanism: &'r Mechanism,
        claim: Claim,
        acceptance: Acceptance<'r>,
        tia: Tia,
    },
    /// Step 5: only a derogation.
    Derogation(&'r Mechanism),
    /// Step 6: nothing valid.
    Nothing,
}

/// The transfer impact assessment of a safeguarded transfer (CJEU C-311/18).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Tia {
    NotExpected,
    OnRecord,
    Missing,
}

/// Decides one transfer on `as_of` under `rules`.
pub(super) fn decide<'a, 'r>(
    facts: &'a Facts,
    rules: &'r RuleSet,
    as_of: NaiveDate,
) -> Decision<'a, 'r> {
    let step = Decider {
        facts,
        rules,
        as_of,
    }
    .step();
    Decision { facts, as_of, step }
}

pub(super) struct Decider<'a, 'r> {
    facts: &'a Facts,
    rules: &'r RuleSet,
    as_of: NaiveDate,
}

impl<'r> Decider<'_, 'r> {
    fn step(&self) -> Step<'r> {
        let exporter = self.facts.exporter;
        let as_of = self.as_of;

        // 1. An exporter outside the EU/EEA on the date: EU transfer rules are not assessed.
        let Some(membership) = self
            .rules
            .memberships_of(exporter)
            .find(|m| m.status.governs_exporters() && m.period.contains(as_of))
        else {
            return self.exporter_outside();
        };
        let Some(application) = self.rules.application(membership.group, as_of) else {
            let next = self
                .rules
                .applications
                .iter()
                .filter(|a| a.group == membership.group && !a.period.started(as_of))
                .min_by_key(|a| a.period.valid_from);
            return Step::NoLawYet { membership, next };
        };

        // 2. A destination inside the EU/EEA (or treated so) on the date: no transfer.
        if let Some(importer) = self.facts.importer
            && let Some(inside) = self
                .rules
                .memberships_of(importer)
                .find(|m| m.period.contains(as_of))
        {
            return Step::IntraEea {
                application,
                importer,
                inside,
            };
        }
        Step::ThirdCountry(self.third_country(application))
    }

    fn exporter_outside(&self) -> Step<'r> {
        let as_of = self.as_of;
        let governing = || {
            self.rules
                .memberships_of(self.facts.exporter)
                .filter(|m| m.status.governs_exporters())
        };
        let left = governing()
            .filter(|m| m.period.ended(as_of))
            .max_by_key(|m| m.period.valid_until);
        let joins = governing()
            .filter(|m| !m.period.started(as_of))
            .min_by_key(|m| m.period.valid_from);
        Step::ExporterOutside { left, joins }
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

        // 3. Adequacy: a decision in force that binds this exporter, or a framework whose list
        // the importer is on. The newest decision wins.
        let mut decision: Option<&'r Adequacy> = None;
        for a in self.importer().flat_map(|c| self.rules.adequacy_for(c)) {
            if !a.period.contains(as_of) {
                continue;
            }
            if !a.binds(group) {
                transfer.not_binding.push(a);
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
            if fw.period.contains(as_of) && self.facts.certified.contains(&id) {
                transfer.cover = Cover::Framework(id, fw);
                return transfer;
            }
        }

        // Every claim checked once, in the order given.
        let failures = &mut transfer.failures;
        let mut safeguard: Option<(&'r Mechanism, Claim, Acceptance<'r>)> = None;
        let mut derogation: Option<&'r Mechanism> = None;
        for claim in &self.facts.claims {
            let m = self.rules.mechanism(claim.mechanism);
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
            }
        }
        // A certification on a framework no longer (or not yet) in force covers nothing.
        for &id in &self.facts.certified {
            let claimed = self.facts.claims.iter().any(|c| c.mechanism == id);
            let m = self.rules.mechanism(id);
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
        } else if let Some(m) = derogation {
            // 5. A derogation only.
            Cover::Derogation(m)
        } else {
            // 6. Nothing valid.
            Cover::Nothing
        };
        transfer
    }

    fn importer(&self) -> impl Iterator<Item = CountryCode> + use<> {
        self.facts.importer.into_iter()
    }
}
