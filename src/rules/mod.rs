//! The transfer rules engine: dated EU transfer law as data (`seeds/rules/`), and [`assess`].
//!
//! Pure: no I/O, no web, no database. The rules are compiled into the binary and validated when
//! first used ([`RuleSet::embedded`]).

mod assess;
mod country;
mod in_force;
mod ruleset;
mod source;

#[cfg(test)]
mod tests;

pub use assess::{Assessment, Claim, Facts, Severity, Verdict, assess};
pub use country::{CountryCode, UnknownCountry};
pub use in_force::InForce;
pub use ruleset::{
    Adequacy, Application, Citation, Confidence, Group, Law, Mechanism, MechanismId, MechanismKind,
    Membership, MembershipStatus, Period, RuleSet, RulesError, Transition, UnknownMechanism,
};
