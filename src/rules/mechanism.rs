//! What a contract or a policy can claim as the basis of a transfer (frameworks, Art. 46/47
//! safeguards, Art. 49 derogations), the sunset rules for old contracts, and the TIA rule.

use chrono::NaiveDate;
use serde::Serialize;

use super::citation::{Citation, Period};
use super::country::CountryCode;
use super::ids::{LawId, TransitionId};

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
        /// A hint given with every `adequate` verdict it decides.
        risk: Option<String>,
    },
    /// An Art. 46/47 safeguard.
    Safeguard {
        family: Option<String>,
        new_contracts_until: Option<NaiveDate>,
        transition: Option<TransitionId>,
        /// A doubt on the sunset: from this date, accepted old contracts carry the hint.
        doubt: Option<(NaiveDate, String)>,
        /// The article that makes it a transfer tool, per law (indexed like `RuleSet::laws`).
        basis: Vec<Option<String>>,
    },
    /// An Art. 49 derogation.
    Derogation { basis: Vec<Option<String>> },
    /// A safeguard the source says is used without naming it (§6 step 5).
    Unnamed {
        basis: Vec<Option<String>>,
        hint: String,
    },
    /// An id of another regime that this one does not accept, and why.
    Refused { reason: String },
}

impl MechanismKind {
    pub fn label(&self) -> &'static str {
        match self {
            MechanismKind::Framework { .. } => "framework",
            MechanismKind::Safeguard { .. } => "safeguard",
            MechanismKind::Derogation { .. } => "derogation",
            MechanismKind::Unnamed { .. } => "unnamed",
            MechanismKind::Refused { .. } => "refused",
        }
    }

    /// The article that makes it a transfer tool under `law`, if it is one there.
    pub fn basis(&self, law: LawId) -> Option<&str> {
        match self {
            MechanismKind::Framework { .. } => Some(""),
            MechanismKind::Safeguard { basis, .. }
            | MechanismKind::Derogation { basis }
            | MechanismKind::Unnamed { basis, .. } => {
                basis.get(law.index()).and_then(|b| b.as_deref())
            }
            MechanismKind::Refused { .. } => None,
        }
    }
}

/// A sunset under which contracts signed before a date keep safeguarding transfers for a while.
#[derive(Debug, Clone)]
pub struct Transition {
    pub citation: Citation,
    pub name: String,
    pub new_contracts_until: NaiveDate,
    pub valid_until: NaiveDate,
    pub requires_unchanged_processing: bool,
}

/// From when a transfer impact assessment is expected for a safeguarded transfer.
#[derive(Debug, Clone)]
pub struct TiaRule {
    pub citation: Citation,
    /// "transfer impact assessment"; "transfer risk assessment" in the UK.
    pub name: String,
    pub expected_from: NaiveDate,
}

/// A hint for destinations whose status is debated (Svalbard, French overseas collectivities).
#[derive(Debug, Clone)]
pub struct DestinationNote {
    pub citation: Citation,
    pub countries: Vec<CountryCode>,
    pub hint: String,
}

/// A point of the reference not verified or still open.
#[derive(Debug, Clone, Serialize)]
pub struct OpenPoint {
    pub id: String,
    pub text: String,
}
