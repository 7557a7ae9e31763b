//! Typed indices into the rows of one [`RuleSet`], so that a law's index cannot be used as a
//! group's. The loader hands them out; they are valid only for the rule set that made them.
//!
//! [`RuleSet`]: super::RuleSet

/// A law (the GDPR, Directive 95/46/EC) in [`RuleSet::laws`](super::RuleSet::laws).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LawId(pub(crate) u16);

/// A group of states sharing a law (the EU, the EEA EFTA states) in
/// [`RuleSet::groups`](super::RuleSet::groups).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct GroupId(pub(crate) u16);

/// A sunset rule for old contracts in [`RuleSet::transitions`](super::RuleSet::transitions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TransitionId(pub(crate) u16);

/// Dense index of a mechanism in one [`RuleSet`](super::RuleSet). Parse with
/// [`RuleSet::mechanism_id`](super::RuleSet::mechanism_id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MechanismId(pub(crate) u16);

/// A membership row, in the per-country index only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct MembershipId(pub(super) u16);

/// An adequacy decision, in the per-country index only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct AdequacyId(pub(super) u16);

impl LawId {
    pub(super) fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl GroupId {
    pub(super) fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl TransitionId {
    pub(super) fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl MechanismId {
    pub(super) fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl MembershipId {
    pub(super) fn index(self) -> usize {
        usize::from(self.0)
    }
}

impl AdequacyId {
    pub(super) fn index(self) -> usize {
        usize::from(self.0)
    }
}
