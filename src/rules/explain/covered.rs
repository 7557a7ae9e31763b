//! Words for a covered transfer: adequate (a decision or a framework, step 3) or safeguarded
//! (step 4).

use std::fmt::Write;

use super::{Explainer, Explanation};
use crate::rules::assess::{Severity, Verdict};
use crate::rules::citation::Citation;
use crate::rules::decide::{Acceptance, Failure, Tia};
use crate::rules::facts::Claim;
use crate::rules::ids::LawId;
use crate::rules::law::Adequacy;
use crate::rules::mechanism::{Mechanism, MechanismKind};

impl<'r> Explainer<'r> {
    pub(super) fn adequate_by_decision(
        &self,
        a: &'r Adequacy,
        law: LawId,
        mut references: Vec<&'r Citation>,
        mut hints: Vec<String>,
    ) -> Explanation<'r> {
        let importer = self.importer.unwrap_or(a.countries[0]);
        let reason = said!(
            self,
            "The {} for {} ({importer}), {}, in force since {}, covers this transfer on {}.",
            self.rules.law(law).adequacy_term,
            importer.name_in_sentence(),
            a.citation.reference,
            a.period
                .valid_from
                .map_or_else(|| "its adoption".to_string(), |d| d.to_string()),
            self.as_of
        );
        if a.partial_scope {
            hint!(
                self,
                hints,
                "The decision covers only: {}. Confirm that the importer falls within it.",
                a.scope
            );
        }
        if !a.excludes.is_empty() {
            hint!(
                self,
                hints,
                "If the importer is outside that scope, record why (outside scope: {}): the decision then does not cover it.",
                a.excludes
                    .iter()
                    .map(|e| e.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        if let Some(last) = a.period.last_day() {
            hint!(
                self,
                hints,
                "The decision applies until {last}: watch for its renewal."
            );
        }
        self.confidence_hint(&a.citation, &mut hints);
        references.push(&a.citation);
        Explanation {
            verdict: Verdict::Adequate,
            flagged: false,
            severity: Severity::Ok,
            reason,
            mechanism: Some(&a.citation.rule),
            references,
            hints,
        }
    }

    pub(super) fn adequate_by_framework(
        &self,
        fw: &'r Mechanism,
        claimed: bool,
        instead: &[&'r Mechanism],
        mut references: Vec<&'r Citation>,
        mut hints: Vec<String>,
    ) -> Explanation<'r> {
        let MechanismKind::Framework { list, risk, .. } = &fw.kind else {
            unreachable!("frameworks_for yields frameworks")
        };
        let reason = said!(
            self,
            "The importer is on {list}, so the {} covers this transfer on {} ({}, in force since {}).",
            fw.name,
            self.as_of,
            fw.citation.reference,
            fw.period
                .valid_from
                .map_or_else(|| "its adoption".to_string(), |d| d.to_string()),
        );
        // Certified but not claimed: say which framework to record.
        if !claimed && instead.is_empty() {
            hint!(
                self,
                hints,
                "The importer is on {list}: record the {} as the transfer mechanism.",
                fw.name
            );
        } else if !claimed {
            let names: Vec<&str> = instead.iter().map(|m| m.name.as_str()).collect();
            hint!(
                self,
                hints,
                "The importer is on {list}: record the {} instead of the {}.",
                fw.name,
                names.join(" and the ")
            );
        }
        if let Some(risk) = risk {
            self.note(&mut hints, risk);
        }
        self.confidence_hint(&fw.citation, &mut hints);
        references.push(&fw.citation);
        Explanation {
            verdict: Verdict::Adequate,
            flagged: false,
            severity: Severity::Ok,
            reason,
            mechanism: Some(fw.id()),
            references,
            hints,
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn safeguarded(
        &self,
        m: &'r Mechanism,
        claim: Claim,
        acceptance: &Acceptance<'r>,
        tia: Tia,
        law: LawId,
        mut references: Vec<&'r Citation>,
        mut hints: Vec<String>,
        failures: &[Failure<'r>],
    ) -> Explanation<'r> {
        let as_of = self.as_of;
        let mut reason = match acceptance {
            Acceptance::InForce => said!(
                self,
                "This transfer is safeguarded on {as_of} by the {} ({}).",
                m.short,
                m.citation.reference
            ),
            Acceptance::Grandfathered {
                signed,
                until,
                rule,
            } => said!(
                self,
                "This transfer is safeguarded on {as_of} by the {} signed on {signed} ({}), which count{} provided the processing is unchanged ({}).",
                m.short,
                m.citation.reference,
                until
                    .and_then(|u| u.pred_opt())
                    .map(|last| format!(" until {last}"))
                    .unwrap_or_default(),
                rule.reference
            ),
        };
        references.push(&m.citation);
        if let Acceptance::Grandfathered { rule, .. } = acceptance {
            references.push(rule);
            if let MechanismKind::Safeguard {
                doubt: Some((from, hint)),
                ..
            } = &m.kind
                && as_of >= *from
            {
                self.note(&mut hints, hint);
            }
            if let Some(newest) = self.rules.recommended_scc(law, as_of) {
                hint!(
                    self,
                    hints,
                    "Replace the {} with the {} ({}).",
                    m.short,
                    newest.short,
                    newest.citation.reference
                );
            }
        }
        let tia_name = &self.rules.tia.name;
        if tia != Tia::NotExpected && self.speak {
            reason.pop();
            if tia == Tia::OnRecord {
                let _ = write!(reason, "; a {tia_name} is on record.");
            } else {
                let _ = write!(reason, "; no {tia_name} is on record");
                // Where the law makes the assessment part of the safeguard, say so.
                match &self.rules.law(law).tia_basis {
                    Some(basis) => {
                        let _ = write!(reason, " ({basis}).");
                    }
                    None => reason.push('.'),
                }
            }
        }
        let severity = if tia == Tia::Missing {
            references.push(&self.rules.tia.citation);
            hint!(
                self,
                hints,
                "Record a {tia_name} ({}).",
                self.rules.tia.citation.reference
            );
            Severity::Warning
        } else {
            Severity::Ok
        };
        if claim.signed.is_none()
            && let Some((cutoff, _)) = self.rules.signing_cutoff(m)
        {
            hint!(
                self,
                hints,
                "Record the date the {} were signed: from {cutoff} they count only for contracts signed before then.",
                m.short
            );
        }
        self.confidence_hint(&m.citation, &mut hints);
        self.also(failures, &mut references, &mut hints);
        Explanation {
            verdict: Verdict::Safeguarded,
            flagged: false,
            severity,
            reason,
            mechanism: Some(m.id()),
            references,
            hints,
        }
    }
}
