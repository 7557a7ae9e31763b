//! The transfer rules engine: dated transfer law of three regimes (EU/EEA, UK, Swiss) as data
//! (`seeds/rules/`), and [`assess`].
//!
//! Pure: no I/O, no web, no database. The rules are compiled into the binary and validated when
//! first used ([`RuleSet::embedded`]).

mod assess;
mod citation;
mod country;
mod country_names;
mod decide;
mod explain;
mod facts;
mod ids;
mod in_force;
mod law;
mod load;
mod mechanism;
mod regime;
mod ruleset;
mod scope;
mod source;

#[cfg(test)]
mod tests;

pub use assess::{Assessment, Severity, Verdict, assess};
pub use citation::{Citation, Confidence, Period};
pub use country::{CountryCode, UnknownCountry};
pub use country_names::places_in_words;
pub use facts::{Certified, Claim, Facts, Parts};
pub use ids::{GroupId, LawId, MechanismId, TransitionId};
pub use in_force::InForce;
pub use law::{Adequacy, Application, Group, Inside, Law, Membership, MembershipStatus};
pub use mechanism::{DestinationNote, Mechanism, MechanismKind, OpenPoint, Transition};
pub use regime::{Regime, RulesError};
pub use ruleset::{InvalidFacts, RuleSet, UnknownMechanism};
pub use scope::{ScopeExclusion, UnknownExclusion};
