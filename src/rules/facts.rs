//! What is known of one transfer, as the engine takes it in: who sends, where to, what covers it.

use chrono::NaiveDate;

use super::country::CountryCode;
use super::ids::MechanismId;
use super::scope::ScopeExclusion;

/// One claimed mechanism, with the date the contract was signed when there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub mechanism: MechanismId,
    pub signed: Option<NaiveDate>,
}

/// The parts of a framework an importer is certified under, by regime position in the
/// [`RuleSet`](super::RuleSet): the DPF has an EU part, the UK Extension and a Swiss part, and a
/// US company can be on the list for the EU part only (SI 2023/1028 reg. 3(2)(a)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Parts(pub u8);

impl Parts {
    /// Every part: what `--certified dpf` asserts, for the regime that assesses.
    pub const ALL: Parts = Parts(u8::MAX);

    pub fn of(regime: usize) -> Parts {
        Parts(1 << regime)
    }

    pub fn has(self, regime: usize) -> bool {
        self.0 & (1 << regime) != 0
    }

    pub fn with(self, regime: usize) -> Parts {
        Parts(self.0 | (1 << regime))
    }
}

/// The importer is on a framework's list, for some of its parts, on the date assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Certified {
    pub framework: MechanismId,
    pub parts: Parts,
}

impl Certified {
    /// On every part of the framework's list.
    pub fn all(framework: MechanismId) -> Self {
        Certified {
            framework,
            parts: Parts::ALL,
        }
    }
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
    pub certified: Vec<Certified>,
    /// A transfer impact assessment is on record.
    pub tia: bool,
    /// The processing under an old contract changed (ends the grace of the old SCCs).
    pub processing_changed: bool,
    /// Why the importer is outside an adequacy decision's scope (TRANSFER-RULES.md §2.1).
    pub outside_scope: Vec<ScopeExclusion>,
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
            outside_scope: Vec::new(),
        }
    }

    /// Whether the importer is on `framework`'s list for the part of regime `regime`.
    pub fn is_certified(&self, framework: MechanismId, regime: usize) -> bool {
        self.certified
            .iter()
            .any(|c| c.framework == framework && c.parts.has(regime))
    }
}
