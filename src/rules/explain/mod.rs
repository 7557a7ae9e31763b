//! `explain`: a [`Decision`] in words: the reason, the hints (what to do next), the references
//! (the rules that decided, in the order they did) and the severity. Every sentence the engine
//! writes is here.

/// A reason: the regime's tag, then the sentence, written once into one buffer (no copy to put
/// the tag in front; the engine writes millions).
macro_rules! said {
    ($words:expr, $($arg:tt)*) => {{
        let mut reason = $words.start();
        // Writing into a String cannot fail.
        let _ = std::fmt::Write::write_fmt(&mut reason, format_args!($($arg)*));
        reason
    }};
}

mod covered;
mod uncovered;

use chrono::NaiveDate;

use super::assess::{Assessment, Severity, Verdict};
use super::citation::Citation;
use super::country::CountryCode;
use super::decide::{Cover, Decision, Failure, Step, ThirdCountry};
use super::facts::Facts;
use super::law::{Application, Inside, Membership, MembershipStatus};
use super::regime::Regime;
use super::ruleset::RuleSet;

/// Words for `decision` under `rules`, the regime that decided; the citations are borrowed from
/// it. The reason starts with the regime's label ("[UK law] ...").
pub(super) fn explain<'r>(decision: Decision<'_, 'r>, rules: &'r Regime) -> Assessment<'r> {
    let words = Explainer {
        facts: decision.facts,
        rules,
        as_of: decision.as_of,
        tag: &rules.tag,
    };
    let mut a = match decision.step {
        Step::NoLawYet { membership, next } => words.no_law_yet(membership, next),
        Step::Inside {
            application,
            importer,
            inside,
        } => words.inside(application, importer, inside),
        Step::ThirdCountry(transfer) => words.third_country(transfer),
    };
    a.regime = Some(&rules.regime);
    a
}

/// No regime governs the exporter on the date (TRANSFER-RULES.md §6 step 1): the regime it left
/// most recently, or the one it comes under next, if any.
pub(super) fn no_regime<'r>(facts: &Facts, all: &'r RuleSet, as_of: NaiveDate) -> Assessment<'r> {
    let exporter = facts.exporter;
    let governing = || {
        all.regimes.iter().flat_map(move |r| {
            r.memberships_of(exporter)
                .filter(|m| m.status.governs_exporters())
                .map(move |m| (r, m))
        })
    };
    let left = governing()
        .filter(|(_, m)| m.period.ended(as_of))
        .max_by_key(|(_, m)| m.period.valid_until);
    let joins = governing()
        .filter(|(_, m)| !m.period.started(as_of))
        .min_by_key(|(_, m)| m.period.valid_from);
    let areas = &all.areas;
    let (reason, references) = match (left, joins) {
        (Some((r, m)), _) => (
            format!(
                "{} ({exporter}) has been outside {} since {}, and no other regime modelled here ({areas}) governs its exporters on {as_of}.",
                exporter.name_at_start(),
                r.area,
                m.period.valid_until.unwrap_or(as_of)
            ),
            vec![&m.citation],
        ),
        (None, Some((r, m))) => (
            format!(
                "{} ({exporter}) joins {} only on {}, so no transfer rules modelled here apply to this exporter on {as_of}.",
                exporter.name_at_start(),
                r.area,
                m.period.valid_from.unwrap_or(as_of)
            ),
            vec![&m.citation],
        ),
        (None, None) => (
            format!(
                "{} ({exporter}) is not in {areas} on {as_of}: no transfer rules modelled here apply to this exporter.",
                exporter.name_at_start()
            ),
            Vec::new(),
        ),
    };
    Assessment {
        regime: None,
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

struct Explainer<'a, 'r> {
    facts: &'a Facts,
    rules: &'r Regime,
    as_of: NaiveDate,
    /// The regime's label the reason starts with ("[UK law] ").
    tag: &'r str,
}

impl<'r> Explainer<'_, 'r> {
    /// An empty reason that starts with the regime's tag, with room for a sentence.
    fn start(&self) -> String {
        let mut reason = String::with_capacity(self.tag.len() + 192);
        reason.push_str(self.tag);
        reason
    }

    fn no_law_yet(
        &self,
        membership: &'r Membership,
        next: Option<&'r Application>,
    ) -> Assessment<'r> {
        let exporter = self.facts.exporter;
        let mut hints = Vec::new();
        if let Some(note) = &membership.citation.note {
            hints.push(note.clone());
        }
        let (reason, references) = match next {
            Some(a) => (
                said!(
                    self,
                    "No transfer rules of {} applied to exporters in {} ({exporter}) on {}: {} applies there from {}.",
                    self.rules.label,
                    exporter.name_in_sentence(),
                    self.as_of,
                    self.rules.law(a.law).name,
                    a.period.valid_from.unwrap_or(self.as_of)
                ),
                vec![&membership.citation, &a.citation],
            ),
            None => (
                said!(
                    self,
                    "No transfer rules of {} apply to exporters in {} ({exporter}) on {}.",
                    self.rules.label,
                    exporter.name_in_sentence(),
                    self.as_of
                ),
                vec![&membership.citation],
            ),
        };
        Assessment {
            regime: None,
            verdict: Verdict::OutOfScope,
            flagged: false,
            severity: Severity::Info,
            reason,
            mechanism: None,
            references,
            hints,
        }
    }

    /// Step 2: inside the EU/EEA, or the exporter's own country under a national regime.
    fn inside(
        &self,
        application: &'r Application,
        importer: CountryCode,
        inside: &'r Membership,
    ) -> Assessment<'r> {
        let as_of = self.as_of;
        let status = inside.status;
        let group = self.rules.group(inside.group);
        if group.inside == Inside::Domestic {
            return Assessment {
                regime: None,
                verdict: Verdict::Domestic,
                flagged: false,
                severity: Severity::Ok,
                reason: said!(
                    self,
                    "{} ({importer}) is where the exporter is established: not a restricted transfer under {} ({}).",
                    importer.name_at_start(),
                    self.rules.law(application.law).name,
                    self.rules.law(application.law).transfer_rules
                ),
                mechanism: None,
                references: vec![&application.citation, &inside.citation],
                hints: if self.facts.claims.is_empty() {
                    Vec::new()
                } else {
                    vec![
                        "No transfer mechanism is needed inside the exporter's own country."
                            .to_string(),
                    ]
                },
            };
        }
        let reason = match status {
            MembershipStatus::Member => said!(
                self,
                "{} ({importer}) is in the {} on {as_of}: there is no transfer to a third country ({}).",
                importer.name_at_start(),
                self.rules.group(inside.group).name,
                self.rules.law(application.law).transfer_rules
            ),
            MembershipStatus::Transition => said!(
                self,
                "EU law still applied in {} ({importer}) on {as_of}, until {} ({}): there is no transfer to a third country.",
                importer.name_in_sentence(),
                inside.period.last_day().unwrap_or(as_of),
                inside.citation.reference
            ),
            MembershipStatus::Bridge => said!(
                self,
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
            regime: None,
            verdict: Verdict::IntraEea,
            flagged: false,
            severity: Severity::Ok,
            reason,
            mechanism: None,
            references: vec![&application.citation, &inside.citation],
            hints,
        }
    }

    /// Steps 3 to 7. Hints on the destination and on adequacy decisions that do not bind the
    /// exporter come first.
    fn third_country(&self, transfer: ThirdCountry<'r>) -> Assessment<'r> {
        let law = transfer.application.law;
        let mut references = vec![&transfer.application.citation];
        let mut hints = Vec::new();
        for n in self.importer().flat_map(|c| self.rules.notes_for(c)) {
            hints.push(n.hint.clone());
            references.push(&n.citation);
        }
        for a in &transfer.not_binding {
            hints.push(format!(
                "The adequacy decision for {} ({}) does not bind exporters in the {} on {}.{}",
                self.facts
                    .importer
                    .unwrap_or(a.countries[0])
                    .name_in_sentence(),
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
            Cover::Decision(a) => self.adequate_by_decision(a, law, references, hints),
            Cover::Framework(id, fw) => self.adequate_by_framework(id, fw, references, hints),
            Cover::Safeguard {
                mechanism,
                claim,
                acceptance,
                tia,
            } => self.safeguarded(
                mechanism, claim, acceptance, tia, law, references, hints, failures,
            ),
            Cover::Unverified(m) => self.unverified(m, law, references, hints, failures),
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
            let mut hint = String::from("Also: ");
            self.failure(f, &mut hint);
            hints.push(hint);
        }
    }

    fn importer(&self) -> impl Iterator<Item = CountryCode> + use<> {
        self.facts.importer.into_iter()
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
