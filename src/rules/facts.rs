//! What is known of one transfer, as the engine takes it in: who sends, where to, what covers it.

use chrono::NaiveDate;

use super::country::CountryCode;
use super::ids::MechanismId;

/// One claimed mechanism, with the date the contract was signed when there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub mechanism: MechanismId,
    pub signed: Option<NaiveDate>,
}

/// What is known of a transfer: who sends, where to, and what covers it.
#[derive(Debug, Clone)]
pub struct Facts {
    pub exporter: CountryCode,
    /// Where the data goes; `None` when the record names no country (e.g. a policy that says
    /// only "outside the EU"): no adequacy can then cover the transfer.
    pub importer: Option<CountryCode>,
    /// What the contract or policy claims, in the order given.
    pub claims: Vec<Claim>,
    /// Frameworks whose list the importer is on, on the date assessed.
    pub certified: Vec<MechanismId>,
    /// A transfer impact assessment is on record.
    pub tia: bool,
    /// The processing under an old contract changed (ends the grace of the old SCCs).
    pub processing_changed: bool,
}

impl Facts {
    pub fn new(exporter: CountryCode, importer: CountryCode) -> Self {
        Self::to(exporter, Some(importer))
    }

    /// Facts for a destination that may be unnamed.
    pub fn to(exporter: CountryCode, importer: Option<CountryCode>) -> Self {
        Facts {
            exporter,
            importer,
            claims: Vec::new(),
            certified: Vec::new(),
            tia: false,
            processing_changed: false,
        }
    }
}
