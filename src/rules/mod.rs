//! The transfer rules engine: dated EU transfer law as data (`seeds/rules/`), and [`assess`].
//!
//! Pure: no I/O, no web, no database. The rules are compiled into the binary and validated when
//! first used ([`RuleSet::embedded`]).

mod assess;
mod citation;
mod country;
mod decide;
mod explain;
mod facts;
mod ids;
mod in_force;
mod law;
mod load;
mod mechanism;
mod ruleset;
mod source;

#[cfg(test)]
mod tests;

pub use assess::{Assessment, Severity, Verdict, assess};
pub use citation::{Citation, Confidence, Period};
pub use country::{CountryCode, UnknownCountry};
pub use facts::{Claim, Facts};
pub use ids::{GroupId, LawId, MechanismId, TransitionId};
pub use in_force::InForce;
pub use law::{Adequacy, Application, Group, Law, Membership, MembershipStatus};
pub use mechanism::{Mechanism, MechanismKind, Transition};
pub use ruleset::{RuleSet, RulesError, UnknownMechanism};
