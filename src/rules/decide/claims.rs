//! Checking one claimed mechanism against the date and the exporter's law: either how it covers
//! the transfer ([`Acceptance`]) or why it does not ([`Failure`]).

use chrono::NaiveDate;

use super::Decider;
use crate::rules::citation::Citation;
use crate::rules::country::CountryCode;
use crate::rules::facts::Claim;
use crate::rules::ids::{LawId, MechanismId};
use crate::rules::law::{Adequacy, Law};
use crate::rules::mechanism::{Mechanism, MechanismKind, Transition};
use crate::rules::regime::Regime;
use crate::rules::scope::ScopeExclusion;

/// How an accepted safeguard covers the transfer.
#[derive(Clone)]
pub(in crate::rules) enum Acceptance<'r> {
    InForce,
    /// An old contract still counting under a sunset rule.
    Grandfathered {
        signed: NaiveDate,
        until: Option<NaiveDate>,
        rule: &'r Citation,
    },
}

/// Why a claimed mechanism does not cover the transfer.
#[derive(Clone)]
pub(in crate::rules) enum Failure<'r> {
    WrongCountry(&'r Mechanism, Option<CountryCode>),
    NotYet(&'r Mechanism, NaiveDate),
    Ended(&'r Mechanism, NaiveDate),
    NotCertified(&'r Mechanism, &'r str),
    NotUnderLaw(&'r Mechanism, &'r Law),
    SignedAfter(&'r Mechanism, NaiveDate),
    SignedBeforeAvailable(&'r Mechanism, NaiveDate, NaiveDate),
    SignedTooLate {
        m: &'r Mechanism,
        signed: NaiveDate,
        cutoff: NaiveDate,
        rule: &'r Citation,
    },
    SignedDateNeeded {
        m: &'r Mechanism,
        cutoff: NaiveDate,
        rule: &'r Citation,
    },
    TransitionEnded(&'r Mechanism, &'r Transition),
    ProcessingChanged {
        m: &'r Mechanism,
        cutoff: NaiveDate,
        rule: &'r Citation,
    },
    /// The record says the importer is outside the decision's scope (§2.1).
    OutsideScope(&'r Adequacy, ScopeExclusion),
    /// The regime does not know the id (another regime's tool).
    NotInRegime(&'r Mechanism, &'r Regime),
    /// The regime knows the id and refuses it (the EU 2021 SCCs alone in the UK).
    Refused(&'r Mechanism),
}

impl<'r> Failure<'r> {
    /// The rule that decided.
    pub(in crate::rules) fn citation(&self) -> &'r Citation {
        match self {
            Failure::SignedTooLate { rule, .. }
            | Failure::SignedDateNeeded { rule, .. }
            | Failure::ProcessingChanged { rule, .. } => rule,
            Failure::TransitionEnded(_, t) => &t.citation,
            Failure::OutsideScope(a, _) => &a.citation,
            Failure::NotInRegime(_, r) => &r.applications[0].citation,
            Failure::Refused(m)
            | Failure::WrongCountry(m, _)
            | Failure::NotYet(m, _)
            | Failure::Ended(m, _)
            | Failure::NotCertified(m, _)
            | Failure::NotUnderLaw(m, _)
            | Failure::SignedAfter(m, _)
            | Failure::SignedBeforeAvailable(m, _, _) => &m.citation,
        }
    }
}

impl<'r> Decider<'_, 'r> {
    /// Why a framework does not cover the transfer: another country, not in force, or the
    /// importer not on its list.
    pub(super) fn framework_failure(&self, id: MechanismId, m: &'r Mechanism) -> Failure<'r> {
        let MechanismKind::Framework { country, list, .. } = &m.kind else {
            unreachable!("called for frameworks only")
        };
        if Some(*country) != self.facts.importer {
            Failure::WrongCountry(m, self.facts.importer)
        } else if let Some(from) = m
            .period
            .valid_from
            .filter(|_| !m.period.started(self.as_of))
        {
            Failure::NotYet(m, from)
        } else if let Some(until) = m.period.valid_until.filter(|_| m.period.ended(self.as_of)) {
            Failure::Ended(m, until)
        } else {
            debug_assert!(!self.facts.is_certified(id, self.position));
            Failure::NotCertified(m, list)
        }
    }

    /// A safeguard or derogation is a transfer tool under `law` and in force on the date.
    pub(super) fn check_period_and_law(
        &self,
        m: &'r Mechanism,
        law: LawId,
    ) -> Result<(), Failure<'r>> {
        if m.kind.basis(law).is_none() {
            return Err(Failure::NotUnderLaw(m, self.rules.law(law)));
        }
        if let Some(from) = m
            .period
            .valid_from
            .filter(|_| !m.period.started(self.as_of))
        {
            return Err(Failure::NotYet(m, from));
        }
        if let Some(until) = m.period.valid_until.filter(|_| m.period.ended(self.as_of)) {
            return Err(Failure::Ended(m, until));
        }
        Ok(())
    }

    pub(super) fn check_safeguard(
        &self,
        m: &'r Mechanism,
        claim: &Claim,
        law: LawId,
    ) -> Result<Acceptance<'r>, Failure<'r>> {
        self.check_period_and_law(m, law)?;
        let as_of = self.as_of;
        if let Some(signed) = claim.signed {
            if signed > as_of {
                return Err(Failure::SignedAfter(m, signed));
            }
            if let Some(from) = m.period.valid_from.filter(|from| signed < *from) {
                return Err(Failure::SignedBeforeAvailable(m, signed, from));
            }
        }
        let Some((cutoff, rule)) = self
            .rules
            .signing_cutoff(m)
            .filter(|(cutoff, _)| as_of >= *cutoff)
        else {
            return Ok(Acceptance::InForce);
        };
        // Past the cutoff, only contracts signed before it count, for a while, unchanged
        // ((EU) 2021/914 Art. 4; Decision 2010/87/EU Art. 7 for the 2002 set).
        let transition = match &m.kind {
            MechanismKind::Safeguard {
                transition: Some(t),
                ..
            } => Some(self.rules.transition(*t)),
            _ => None,
        };
        if let Some(t) = transition.filter(|t| as_of >= t.valid_until) {
            return Err(Failure::TransitionEnded(m, t));
        }
        let Some(signed) = claim.signed else {
            return Err(Failure::SignedDateNeeded { m, cutoff, rule });
        };
        if signed >= cutoff {
            return Err(Failure::SignedTooLate {
                m,
                signed,
                cutoff,
                rule,
            });
        }
        if self.facts.processing_changed
            && transition.is_none_or(|t| t.requires_unchanged_processing)
        {
            return Err(Failure::ProcessingChanged { m, cutoff, rule });
        }
        Ok(Acceptance::Grandfathered {
            signed,
            until: transition.map(|t| t.valid_until),
            rule: transition.map_or(rule, |t| &t.citation),
        })
    }
}
