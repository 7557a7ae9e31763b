//! `explain`: a [`Decision`] in words: the reason, the hints (what to do next), the references
//! (the rules that decided, in the order they did) and the severity. Every sentence the engine
//! writes is here.

mod covered;
mod uncovered;

use chrono::NaiveDate;

use super::assess::{Assessment, Severity, Verdict};
use super::citation::Citation;
use super::country::CountryCode;
use super::decide::{Cover, Decision, Failure, Step, ThirdCountry};
use super::facts::Facts;
use super::law::{Application, Membership, MembershipStatus};
use super::ruleset::RuleSet;

/// Words for `decision`; the citations are borrowed from `rules`.
pub(super) fn explain<'r>(decision: Decision<'_, 'r>, rules: &'r RuleSet) -> Assessment<'r> {
    let words = Explainer {
        facts: decision.facts,
        rules,
        as_of: decision.as_of,
    };
    match decision.step {
        Step::ExporterOutside { left, joins } => words.exporter_outside(left, joins),
        Step::NoLawYet { membership, next } => words.no_law_yet(membership, next),
        Step::IntraEea {
            application,
            importer,
            inside,
        } => words.intra_eea(application, importer, inside),
        Step::ThirdCountry(transfer) => words.third_country(transfer),
    }
}

struct Explainer<'a, 'r> {
    facts: &'a Facts,
    rules: &'r RuleSet,
    as_of: NaiveDate,
}

impl<'r> Explainer<'_, 'r> {
    fn exporter_outside(
        &self,
        left: Option<&'r Membership>,
        joins: Option<&'r Membership>,
    ) -> Assessment<'r> {
        let exporter = self.facts.exporter;
        let as_of = self.as_of;
        let (reason, references) = match (left, joins) {
            (Some(m), _) => (
                format!(
                    "{} ({exporter}) has been outside the EU/EEA since {}, so EU rules on transfers do not apply to this exporter on {as_of}.",
                    exporter.name_at_start(),
                    m.period.valid_until.unwrap_or(as_of)
                ),
                vec![&m.citation],
            ),
            (None, Some(m)) => (
                format!(
                    "{} ({exporter}) joins the EU/EEA only on {}, so EU rules on transfers do not apply to this exporter on {as_of}.",
                    exporter.name_at_start(),
                    m.period.valid_from.unwrap_or(as_of)
                ),
                vec![&m.citation],
            ),
            (None, None) => (
                format!(
                    "{} ({exporter}) is not in the EU/EEA on {as_of}, so EU rules on transfers do not apply to this exporter.",
                    exporter.name_at_start()
                ),
                Vec::new(),
            ),
        };
        Assessment {
            verdict: Verdict::OutOfScope,
            flagged: false,
            severity: Severity::Info,
            reason,
            mechanism: None,
            references,
            hints: vec![format!(
                "Assess this transfer under the data protection law that applies in {} instead.",
                exporter.name_in_sentence()
            )],
        }
    }

    fn no_law_yet(
        &self,
        membership: &'r Membership,
        next: Option<&'r Application>,
    ) -> Assessment<'r> {
        let exporter = self.facts.exporter;
        let (reason, references) = match next {
            Some(a) => (
                format!(
                    "No EU rules on transfers applied to exporters in {} ({exporter}) on {}: {} applies there from {}.",
                    exporter.name_in_sentence(),
                    self.as_of,
                    self.rules.law(a.law).name,
                    a.period.valid_from.unwrap_or(self.as_of)
                ),
                vec![&membership.citation, &a.citation],
            ),
            None => (
                format!(
                    "No EU rules on transfers apply to exporters in {} ({exporter}) on {}.",
                    exporter.name_in_sentence(),
                    self.as_of
                ),
                vec![&membership.citation],
            ),
        };
        Assessment {
            verdict: Verdict::OutOfScope,
            flagged: false,
            severity: Severity::Info,
            reason,
            mechanism: None,
            references,
            hints: Vec::new(),
        }
    }

    fn intra_eea(
        &self,
        application: &'r Application,
        importer: CountryCode,
        inside: &'r Membership,
    ) -> Assessment<'r> {
        let as_of = self.as_of;
        let status = inside.status;
        let reason = match status {
            MembershipStatus::Member => format!(
                "{} ({importer}) is in the {} on {as_of}: there is no transfer to a third country ({}).",
                importer.name_at_start(),
                self.rules.group(inside.group).name,
                self.rules.law(application.law).transfer_rules
            ),
            MembershipStatus::Transition => format!(
                "EU law still applied in {} ({importer}) on {as_of}, until {} ({}): there is no transfer to a third country.",
                importer.name_in_sentence(),
                inside.period.last_day().unwrap_or(as_of),
                inside.citation.reference
            ),
            MembershipStatus::Bridge => format!(
                "Transfers to {} ({importer}) are not treated as transfers to a third country from {} to {} ({}).",
                importer.name_in_sentence(),
                inside.period.valid_from.unwrap_or(as_of),
                inside.period.last_day().unwrap_or(as_of),
                inside.citation.reference
            ),
        };
        let mut hints = Vec::new();
        if !self.facts.claims.is_empty() {
            hints.push(
                "No transfer mechanism is needed for a destination inside the EU/EEA.".to_string(),
            );
        }
        if status == MembershipStatus::Bridge {
            self.confidence_hint(&inside.citation, &mut hints);
        }
        Assessment {
            verdict: Verdict::IntraEea,
            flagged: false,
            severity: Severity::Ok,
            reason,
            mechanism: None,
            references: vec![&application.citation, &inside.citation],
            hints,
        }
    }

    /// Steps 3 to 6. Hints on adequacy decisions that do not bind the exporter come first.
    fn third_country(&self, transfer: ThirdCountry<'r>) -> Assessment<'r> {
        let law = transfer.application.law;
        let references = vec![&transfer.application.citation];
        let mut hints = Vec::new();
        for a in &transfer.not_binding {
            hints.push(format!(
                "The adequacy decision for {} ({}) does not bind exporters in the {} on {}.{}",
                a.country.name_in_sentence(),
                a.citation.reference,
                self.rules.group(transfer.application.group).name,
                self.as_of,
                a.citation
                    .note
                    .as_deref()
                    .map(|n| format!(" {n}"))
                    .unwrap_or_default()
            ));
        }
        let failures = &transfer.failures;
        match transfer.cover {
            Cover::Decision(a) => self.adequate_by_decision(a, references, hints),
            Cover::Framework(id, fw) => self.adequate_by_framework(id, fw, references, hints),
            Cover::Safeguard {
                mechanism,
                claim,
                acceptance,
                tia,
            } => self.safeguarded(
                mechanism, claim, acceptance, tia, law, references, hints, failures,
            ),
            Cover::Derogation(m) => {
                self.uncovered_hints(law, &mut hints);
                self.derogation(m, law, references, hints, failures)
            }
            Cover::Nothing => {
                self.uncovered_hints(law, &mut hints);
                self.unsafeguarded(references, hints, failures)
            }
        }
    }

    /// The other failed claims, as hints, with the rules that decided them.
    fn also(
        &self,
        failures: &[Failure<'r>],
        references: &mut Vec<&'r Citation>,
        hints: &mut Vec<String>,
    ) {
        for f in failures {
            let citation = f.citation();
            if !references.iter().any(|r| std::ptr::eq(*r, citation)) {
                references.push(citation);
            }
            hints.push(format!("Also: {}", self.failure(f)));
        }
    }

    fn confidence_hint(&self, citation: &Citation, hints: &mut Vec<String>) {
        if !citation.confidence.is_checked() {
            hints.push(format!(
                "The rule '{}' is tagged [{}] ({}): check it before relying on it.",
                citation.rule,
                citation.confidence.tag(),
                citation.confidence.describe()
            ));
        }
    }
}
