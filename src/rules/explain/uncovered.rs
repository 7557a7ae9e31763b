//! Words for a transfer nothing safeguards: a derogation only (step 5) or nothing valid (step 6),
//! what would cover it, and why each failed claim covers nothing.

use std::fmt::Write;

use super::{Explainer, Explanation};
use crate::rules::assess::{Severity, Verdict};
use crate::rules::citation::Citation;
use crate::rules::decide::Failure;
use crate::rules::ids::LawId;
use crate::rules::mechanism::{Mechanism, MechanismKind};

impl<'r> Explainer<'r> {
    /// Step 5: the source says a safeguard is used but names none (TRANSFER-RULES.md §6).
    pub(super) fn unverified(
        &self,
        m: &'r Mechanism,
        law: LawId,
        mut references: Vec<&'r Citation>,
        mut hints: Vec<String>,
        failures: &[Failure<'r>],
    ) -> Explanation<'r> {
        let reason = said!(
            self,
            "A safeguard is claimed but not named ({}), so it cannot be checked against {}.",
            m.kind.basis(law).unwrap_or(&m.citation.reference),
            self.as_of
        );
        if let MechanismKind::Unnamed { hint, .. } = &m.kind {
            self.note(&mut hints, hint);
        }
        references.push(&m.citation);
        self.confidence_hint(&m.citation, &mut hints);
        self.also(failures, &mut references, &mut hints);
        Explanation {
            verdict: Verdict::Unverified,
            flagged: true,
            severity: Severity::Warning,
            reason,
            mechanism: Some(m.id()),
            references,
            hints,
        }
    }

    pub(super) fn derogation(
        &self,
        m: &'r Mechanism,
        law: LawId,
        mut references: Vec<&'r Citation>,
        mut hints: Vec<String>,
        failures: &[Failure<'r>],
    ) -> Explanation<'r> {
        let reason = said!(
            self,
            "Only a derogation is claimed ({}, {}): derogations are exceptions for occasional transfers, not a basis for systematic or repetitive ones ({}).",
            m.name,
            m.kind.basis(law).unwrap_or(&m.citation.reference),
            self.rules.derogation_guidance.reference
        );
        references.push(&m.citation);
        references.push(&self.rules.derogation_guidance);
        self.also(failures, &mut references, &mut hints);
        Explanation {
            verdict: Verdict::Derogation,
            flagged: true,
            severity: Severity::Warning,
            reason,
            mechanism: Some(m.id()),
            references,
            hints,
        }
    }

    /// The reason is the first failed claim, if any; the others become hints.
    pub(super) fn unsafeguarded(
        &self,
        mut references: Vec<&'r Citation>,
        mut hints: Vec<String>,
        failures: &[Failure<'r>],
    ) -> Explanation<'r> {
        let importer = self.importer;
        let reason = match failures.first() {
            Some(first) => {
                references.push(first.citation());
                self.confidence_hint(first.citation(), &mut hints);
                self.also(&failures[1..], &mut references, &mut hints);
                let mut reason = self.start();
                if self.speak {
                    self.failure(first, &mut reason);
                }
                reason
            }
            None => {
                let list = importer
                    .into_iter()
                    .flat_map(|c| self.rules.frameworks_for(c))
                    .find(|(_, fw)| fw.period.contains(self.as_of))
                    .and_then(|(_, fw)| match &fw.kind {
                        MechanismKind::Framework { list, .. } => Some(list),
                        _ => None,
                    });
                match (importer, list) {
                    (None, _) => said!(
                        self,
                        "No transfer mechanism is recorded, and the destination is not named, so no adequacy decision can cover this transfer on {}.",
                        self.as_of
                    ),
                    (Some(importer), Some(list)) => said!(
                        self,
                        "No transfer mechanism is recorded, and the importer is not on {list}, the only adequacy route to {} ({importer}) on {}.",
                        importer.name_in_sentence(),
                        self.as_of
                    ),
                    (Some(importer), None) => said!(
                        self,
                        "No transfer mechanism is recorded, and {} ({importer}) has no adequacy decision in force on {}.",
                        importer.name_in_sentence(),
                        self.as_of
                    ),
                }
            }
        };
        Explanation {
            verdict: Verdict::Unsafeguarded,
            flagged: true,
            severity: Severity::Critical,
            reason,
            mechanism: None,
            references,
            hints,
        }
    }

    /// What would cover a transfer that has no adequacy and no safeguard.
    pub(super) fn uncovered_hints(&self, law: LawId, hints: &mut Vec<String>) {
        let as_of = self.as_of;
        let Some(importer) = self.importer else {
            self.note(hints, "Record the destination country: only then can an adequacy decision cover the transfer.");
            if let Some(scc) = self.rules.recommended_scc(law, as_of) {
                hint!(
                    self,
                    hints,
                    "Or sign the {} ({}).",
                    scc.short,
                    scc.citation.reference
                );
            }
            return;
        };
        for (_, fw) in self.rules.frameworks_for(importer) {
            if let MechanismKind::Framework { list, .. } = &fw.kind
                && fw.period.contains(as_of)
            {
                hint!(
                    self,
                    hints,
                    "If the importer is on {list}, record its certification: the {} then covers the transfer.",
                    fw.name
                );
            }
        }
        if let Some(scc) = self.rules.recommended_scc(law, as_of) {
            let tia = if self.rules.tia_expected(as_of) {
                " with a transfer impact assessment"
            } else {
                ""
            };
            hint!(
                self,
                hints,
                "Sign the {} ({}) or put another safeguard of {} in place{tia}.",
                scc.short,
                scc.citation.reference,
                self.rules.law(law).safeguards_basis
            );
        }
        for a in self.rules.adequacy_for(importer) {
            if !a.period.started(as_of) {
                hint!(
                    self,
                    hints,
                    "An adequacy decision for {} applies from {} ({}).",
                    importer.name_in_sentence(),
                    a.period.valid_from.unwrap_or(as_of),
                    a.citation.reference
                );
            }
        }
    }

    /// "adequacy decision for South Korea" (in the words of the law in force).
    fn decision_words(&self, a: &crate::rules::law::Adequacy) -> String {
        let term = self
            .rules
            .governs(self.exporter, self.as_of)
            .and_then(|m| self.rules.application(m.group, self.as_of))
            .map_or("adequacy decision", |app| {
                self.rules.law(app.law).adequacy_term.as_str()
            });
        let country = self.importer.unwrap_or(a.countries[0]);
        format!("{term} for {}", country.name_in_sentence())
    }

    /// Why a claim covers nothing, in one sentence.
    pub(super) fn failure(&self, failure: &Failure<'r>, out: &mut String) {
        let as_of = self.as_of;
        // Writing into a String cannot fail.
        let _ = match failure {
            Failure::WrongCountry(m, importer) => {
                let covered = match m.kind {
                    MechanismKind::Framework { country, .. } => country.name_in_sentence(),
                    _ => "another country",
                };
                match importer {
                    Some(importer) => write!(
                        out,
                        "The {} covers transfers to {covered} only, not to {} ({importer}).",
                        m.name,
                        importer.name_in_sentence()
                    ),
                    None => write!(
                        out,
                        "The {} covers transfers to {covered} only, and the destination of this transfer is not named.",
                        m.name
                    ),
                }
            }
            Failure::NotYet(m, from) => match m.kind {
                MechanismKind::Framework { .. } => {
                    write!(
                        out,
                        "The {} applies only from {from} ({}).",
                        m.name, m.citation.reference
                    )
                }
                _ => write!(
                    out,
                    "The {} could not be relied on before {from} ({}).",
                    m.short, m.citation.reference
                ),
            },
            Failure::Ended(m, until) => match &m.kind {
                MechanismKind::Framework {
                    invalidated_by: Some(by),
                    ..
                } => write!(out, "The {} was invalidated on {until} ({by}).", m.name),
                _ => write!(
                    out,
                    "The {} ceased to apply on {until} ({}).",
                    m.short, m.citation.reference
                ),
            },
            Failure::NotCertified(m, list) => write!(
                out,
                "The {} covers only organisations on {list}, and the importer is not recorded as certified on {as_of}.",
                m.name
            ),
            Failure::NotUnderLaw(m, law) => write!(
                out,
                "The {} ({}) is not a transfer tool under {}, which governs this exporter on {as_of}.",
                m.short, m.citation.reference, law.name
            ),
            Failure::SignedAfter(m, signed) => write!(
                out,
                "The {} contract is dated {signed}, after the date assessed ({as_of}).",
                m.short
            ),
            Failure::SignedBeforeAvailable(m, signed, from) => write!(
                out,
                "The {} contract is dated {signed}, before the clauses could be used ({from}, {}).",
                m.short, m.citation.reference
            ),
            Failure::SignedTooLate {
                m,
                signed,
                cutoff,
                rule,
            } => write!(
                out,
                "The {} could no longer be used for new contracts from {cutoff} ({}), and this contract was signed on {signed}.",
                m.short, rule.reference
            ),
            Failure::SignedDateNeeded { m, cutoff, rule } => write!(
                out,
                "From {cutoff} the {} count only for contracts signed before that date ({}): record the date the contract was signed.",
                m.short, rule.reference
            ),
            Failure::TransitionEnded(m, t) => write!(
                out,
                "Contracts on the {} ceased to safeguard transfers after {} ({}).",
                m.short,
                t.valid_until.pred_opt().unwrap_or(t.valid_until),
                t.citation.reference
            ),
            Failure::ProcessingChanged { m, cutoff, rule } => write!(
                out,
                "From {cutoff} contracts on the {} count only while the processing they cover is unchanged ({}), and it has changed.",
                m.short, rule.reference
            ),
            Failure::OutsideScope(a, e) => write!(
                out,
                "The {} ({}) does not cover this importer, which the record places outside its scope: {} ({e}).",
                self.decision_words(a),
                a.citation.reference,
                e.label()
            ),
            Failure::NotInRegime(m, r) => write!(
                out,
                "The {} is not a transfer tool under {} ({}), which governs this exporter on {as_of}.",
                m.short, r.label, r.name
            ),
            Failure::Refused(m) => match &m.kind {
                MechanismKind::Refused { reason } => out.write_str(reason),
                _ => write!(
                    out,
                    "The {} is not accepted under {}.",
                    m.short, self.rules.label
                ),
            },
        };
    }
}
