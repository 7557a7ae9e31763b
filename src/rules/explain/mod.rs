//! `explain`: a [`Decision`] in words: the reason, the hints (what to do next), the references
//! (the rules that decided, in the order they did) and the severity. Every sentence the engine
//! writes is here. The same code runs twice: muted when assessing (verdict, severity and
//! references, no sentence written), then aloud when someone reads the reason or the hints.

/// A reason: the regime's tag, then the sentence, written once into one buffer (no copy to put
/// the tag in front; the engine writes millions). Empty when muted.
macro_rules! said {
    ($words:expr, $($arg:tt)*) => {{
        let mut reason = $words.start();
        if $words.speak {
            // Writing into a String cannot fail.
            let _ = std::fmt::Write::write_fmt(&mut reason, format_args!($($arg)*));
        }
        reason
    }};
}

/// A hint, written only when speaking: muted, its arguments are not even evaluated.
macro_rules! hint {
    ($words:expr, $hints:expr, $($arg:tt)*) => {
        if $words.speak {
            $hints.push(format!($($arg)*));
        }
    };
}

mod covered;
mod uncovered;

use chrono::NaiveDate;

use super::assess::{Severity, Verdict};
use super::citation::Citation;
use super::country::CountryCode;
use super::decide::{Cover, Decision, Failure, Outside, Step, ThirdCountry};
use super::law::{Application, Inside, Membership, MembershipStatus};
use super::regime::Regime;
use super::ruleset::RuleSet;

/// One decision explained: what [`Assessment`](super::Assessment) holds, with the sentences
/// (empty when muted).
pub(super) struct Explanation<'r> {
    pub verdict: Verdict,
    pub flagged: bool,
    pub severity: Severity,
    pub reason: String,
    pub mechanism: Option<&'r str>,
    pub references: Vec<&'r Citation>,
    pub hints: Vec<String>,
}

/// `decision` explained under `rules`, the regime that decided; the citations are borrowed from
/// it. The reason starts with the regime's label ("[UK law] ..."). Muted (`speak` false), no
/// sentence is written.
pub(super) fn explain<'r>(
    decision: &Decision<'r>,
    rules: &'r Regime,
    speak: bool,
) -> Explanation<'r> {
    let words = Explainer {
        exporter: decision.exporter,
        importer: decision.importer,
        claims: decision.claims,
        rules,
        as_of: decision.as_of,
        tag: &rules.tag,
        speak,
    };
    match &decision.step {
        Step::NoLawYet { membership, next } => words.no_law_yet(membership, *next),
        Step::Inside {
            application,
            importer,
            inside,
        } => words.inside(application, *importer, inside),
        Step::ThirdCountry(transfer) => words.third_country(transfer),
    }
}

/// An exporter under no regime on the date, explained.
pub(super) fn no_regime<'r>(
    outside: &Outside<'r>,
    all: &'r RuleSet,
    speak: bool,
) -> Explanation<'r> {
    let Outside {
        exporter, as_of, ..
    } = *outside;
    let areas = &all.areas;
    let (reason, references) = match (outside.left, outside.joins) {
        (Some((r, m)), _) => (
            speak.then(|| format!(
                "{} ({exporter}) has been outside {} since {}, and no other regime modelled here ({areas}) governs its exporters on {as_of}.",
                exporter.name_at_start(),
                r.area,
                m.period.valid_until.unwrap_or(as_of)
            )),
            vec![&m.citation],
        ),
        (None, Some((r, m))) => (
            speak.then(|| format!(
                "{} ({exporter}) joins {} only on {}, so no transfer rules modelled here apply to this exporter on {as_of}.",
                exporter.name_at_start(),
                r.area,
                m.period.valid_from.unwrap_or(as_of)
            )),
            vec![&m.citation],
        ),
        (None, None) => (
            speak.then(|| format!(
                "{} ({exporter}) is not in {areas} on {as_of}: no transfer rules modelled here apply to this exporter.",
                exporter.name_at_start()
            )),
            Vec::new(),
        ),
    };
    Explanation {
        verdict: Verdict::OutOfScope,
        flagged: false,
        severity: Severity::Info,
        reason: reason.unwrap_or_default(),
        mechanism: None,
        references,
        hints: if speak {
            vec![format!(
                "Assess this transfer under the data protection law that applies in {} instead.",
                exporter.name_in_sentence()
            )]
        } else {
            Vec::new()
        },
    }
}

struct Explainer<'r> {
    exporter: CountryCode,
    importer: Option<CountryCode>,
    /// Whether any mechanism was claimed.
    claims: bool,
    rules: &'r Regime,
    as_of: NaiveDate,
    /// The regime's label the reason starts with ("[UK law] ").
    tag: &'r str,
    /// Whether to write the sentences; muted, only the verdict and references are worked out.
    speak: bool,
}

impl<'r> Explainer<'r> {
    /// An empty reason that starts with the regime's tag, with room for a sentence (nothing at
    /// all when muted).
    fn start(&self) -> String {
        if !self.speak {
            return String::new();
        }
        let mut reason = String::with_capacity(self.tag.len() + 192);
        reason.push_str(self.tag);
        reason
    }

    /// A hint given in the rules' own words.
    fn note(&self, hints: &mut Vec<String>, text: &str) {
        if self.speak {
            hints.push(text.to_string());
        }
    }

    fn no_law_yet(
        &self,
        membership: &'r Membership,
        next: Option<&'r Application>,
    ) -> Explanation<'r> {
        let exporter = self.exporter;
        let mut hints = Vec::new();
        if let Some(note) = &membership.citation.note {
            self.note(&mut hints, note);
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
        Explanation {
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
    ) -> Explanation<'r> {
        let as_of = self.as_of;
        let status = inside.status;
        let group = self.rules.group(inside.group);
        if group.inside == Inside::Domestic {
            return Explanation {
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
                hints: if self.claims && self.speak {
                    vec![
                        "No transfer mechanism is needed inside the exporter's own country."
                            .to_string(),
                    ]
                } else {
                    Vec::new()
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
        if self.claims {
            self.note(
                &mut hints,
                "No transfer mechanism is needed for a destination inside the EU/EEA.",
            );
        }
        if status == MembershipStatus::Bridge {
            self.confidence_hint(&inside.citation, &mut hints);
        }
        Explanation {
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
    fn third_country(&self, transfer: &ThirdCountry<'r>) -> Explanation<'r> {
        let law = transfer.application.law;
        let mut references = vec![&transfer.application.citation];
        let mut hints = Vec::new();
        for n in self.importer().flat_map(|c| self.rules.notes_for(c)) {
            self.note(&mut hints, &n.hint);
            references.push(&n.citation);
        }
        for a in &transfer.not_binding {
            hint!(
                self,
                hints,
                "The adequacy decision for {} ({}) does not bind exporters in the {} on {}.{}",
                self.importer.unwrap_or(a.countries[0]).name_in_sentence(),
                a.citation.reference,
                self.rules.group(transfer.application.group).name,
                self.as_of,
                a.citation
                    .note
                    .as_deref()
                    .map(|n| format!(" {n}"))
                    .unwrap_or_default()
            );
        }
        let failures = &transfer.failures;
        match &transfer.cover {
            Cover::Decision(a) => self.adequate_by_decision(a, law, references, hints),
            Cover::Framework {
                framework,
                claimed,
                instead,
            } => self.adequate_by_framework(framework, *claimed, instead, references, hints),
            Cover::Safeguard {
                mechanism,
                claim,
                acceptance,
                tia,
            } => self.safeguarded(
                mechanism, *claim, acceptance, *tia, law, references, hints, failures,
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
            if self.speak {
                let mut hint = String::from("Also: ");
                self.failure(f, &mut hint);
                hints.push(hint);
            }
        }
    }

    fn importer(&self) -> impl Iterator<Item = CountryCode> + use<> {
        self.importer.into_iter()
    }

    fn confidence_hint(&self, citation: &Citation, hints: &mut Vec<String>) {
        if !citation.confidence.is_checked() {
            hint!(
                self,
                hints,
                "The rule '{}' is tagged [{}] ({}): check it before relying on it.",
                citation.rule,
                citation.confidence.tag(),
                citation.confidence.describe()
            );
        }
    }
}
