//! `assess`: is one transfer of personal data covered on one date? A pure function of the facts,
//! the rules and the date, evaluated in the order of TRANSFER-RULES.md §6.

use chrono::NaiveDate;
use serde::Serialize;

use super::citation::Citation;
use super::country::CountryCode;
use super::ids::{GroupId, LawId, MechanismId};
use super::law::{Adequacy, Law, Membership, MembershipStatus};
use super::mechanism::{Mechanism, MechanismKind, Transition};
use super::ruleset::RuleSet;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    OutOfScope,
    IntraEea,
    Adequate,
    Safeguarded,
    Derogation,
    Unsafeguarded,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::OutOfScope => "out_of_scope",
            Verdict::IntraEea => "intra_eea",
            Verdict::Adequate => "adequate",
            Verdict::Safeguarded => "safeguarded",
            Verdict::Derogation => "derogation",
            Verdict::Unsafeguarded => "unsafeguarded",
        }
    }

    /// Words for people ("no safeguard").
    pub fn label(self) -> &'static str {
        match self {
            Verdict::OutOfScope => "out of scope",
            Verdict::IntraEea => "inside the EEA",
            Verdict::Adequate => "adequate",
            Verdict::Safeguarded => "safeguarded",
            Verdict::Derogation => "derogation only",
            Verdict::Unsafeguarded => "no safeguard",
        }
    }

    pub fn is_flagged(self) -> bool {
        matches!(self, Verdict::Derogation | Verdict::Unsafeguarded)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Ok,
    Warning,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Ok => "ok",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

/// The verdict on one transfer on one date, with what decided it. Borrows its citations from
/// the rule set, so assessing allocates only the sentences.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment<'r> {
    pub verdict: Verdict,
    pub flagged: bool,
    pub severity: Severity,
    pub reason: String,
    /// The id of the rule that covers the transfer (adequacy decision, framework, safeguard or
    /// derogation), if any.
    pub mechanism: Option<&'r str>,
    pub references: Vec<&'r Citation>,
    pub hints: Vec<String>,
}

/// Assesses one transfer on `as_of` under `rules`. The facts' mechanism ids must come from the
/// same rule set.
pub fn assess<'r>(facts: &Facts, rules: &'r RuleSet, as_of: NaiveDate) -> Assessment<'r> {
    Engine {
        facts,
        rules,
        as_of,
    }
    .run()
}

struct Engine<'a, 'r> {
    facts: &'a Facts,
    rules: &'r RuleSet,
    as_of: NaiveDate,
}

/// How an accepted safeguard covers the transfer.
enum Acceptance<'r> {
    InForce,
    /// An old contract still counting under a sunset rule.
    Grandfathered {
        signed: NaiveDate,
        until: Option<NaiveDate>,
        rule: &'r Citation,
    },
}

/// Why a claimed mechanism does not cover the transfer.
enum Failure<'r> {
    WrongCountry(&'r Mechanism, Option<CountryCode>),
    NotYet(&'r Mechanism, NaiveDate),
    Ended(&'r Mechanism, NaiveDate),
    NotCertified(&'r Mechanism, &'r str),
    NotUnderLaw(&'r Mechanism, &'r Law),
    SignedAfter(&'r Mechanism, NaiveDate),
    SignedBeforeAvailable(&'r Mechanism, NaiveDate, NaiveDate),
    SignedTooLate {
        m: &'r Mechanism,
        signed: NaiveDate,
        cutoff: NaiveDate,
        rule: &'r Citation,
    },
    SignedDateNeeded {
        m: &'r Mechanism,
        cutoff: NaiveDate,
        rule: &'r Citation,
    },
    TransitionEnded(&'r Mechanism, &'r Transition),
    ProcessingChanged {
        m: &'r Mechanism,
        cutoff: NaiveDate,
        rule: &'r Citation,
    },
}

impl<'r> Failure<'r> {
    /// The rule that decided.
    fn citation(&self) -> &'r Citation {
        match self {
            Failure::SignedTooLate { rule, .. }
            | Failure::SignedDateNeeded { rule, .. }
            | Failure::ProcessingChanged { rule, .. } => rule,
            Failure::TransitionEnded(_, t) => &t.citation,
            Failure::WrongCountry(m, _)
            | Failure::NotYet(m, _)
            | Failure::Ended(m, _)
            | Failure::NotCertified(m, _)
            | Failure::NotUnderLaw(m, _)
            | Failure::SignedAfter(m, _)
            | Failure::SignedBeforeAvailable(m, _, _) => &m.citation,
        }
    }

    fn sentence(&self, as_of: NaiveDate) -> String {
        match self {
            Failure::WrongCountry(m, importer) => {
                let covered = match m.kind {
                    MechanismKind::Framework { country, .. } => country.name_in_sentence(),
                    _ => "another country".into(),
                };
                match importer {
                    Some(importer) => format!(
                        "The {} covers transfers to {covered} only, not to {} ({importer}).",
                        m.name,
                        importer.name_in_sentence()
                    ),
                    None => format!(
                        "The {} covers transfers to {covered} only, and the destination of this transfer is not named.",
                        m.name
                    ),
                }
            }
            Failure::NotYet(m, from) => match m.kind {
                MechanismKind::Framework { .. } => {
                    format!(
                        "The {} applies only from {from} ({}).",
                        m.name, m.citation.reference
                    )
                }
                _ => format!(
                    "The {} could not be relied on before {from} ({}).",
                    m.short, m.citation.reference
                ),
            },
            Failure::Ended(m, until) => match &m.kind {
                MechanismKind::Framework {
                    invalidated_by: Some(by),
                    ..
                } => format!("The {} was invalidated on {until} ({by}).", m.name),
                _ => format!(
                    "The {} ceased to apply on {until} ({}).",
                    m.short, m.citation.reference
                ),
            },
            Failure::NotCertified(m, list) => format!(
                "The {} covers only organisations on {list}, and the importer is not recorded as certified on {as_of}.",
                m.name
            ),
            Failure::NotUnderLaw(m, law) => format!(
                "The {} ({}) is not a transfer tool under {}, which governs this exporter on {as_of}.",
                m.short, m.citation.reference, law.name
            ),
            Failure::SignedAfter(m, signed) => format!(
                "The {} contract is dated {signed}, after the date assessed ({as_of}).",
                m.short
            ),
            Failure::SignedBeforeAvailable(m, signed, from) => format!(
                "The {} contract is dated {signed}, before the clauses could be used ({from}, {}).",
                m.short, m.citation.reference
            ),
            Failure::SignedTooLate {
                m,
                signed,
                cutoff,
                rule,
            } => format!(
                "The {} could no longer be used for new contracts from {cutoff} ({}), and this contract was signed on {signed}.",
                m.short, rule.reference
            ),
            Failure::SignedDateNeeded { m, cutoff, rule } => format!(
                "From {cutoff} the {} count only for contracts signed before that date ({}): record the date the contract was signed.",
                m.short, rule.reference
            ),
            Failure::TransitionEnded(m, t) => format!(
                "Contracts on the {} ceased to safeguard transfers after {} ({}).",
                m.short,
                t.valid_until.pred_opt().unwrap_or(t.valid_until),
                t.citation.reference
            ),
            Failure::ProcessingChanged { m, cutoff, rule } => format!(
                "From {cutoff} contracts on the {} count only while the processing they cover is unchanged ({}), and it has changed.",
                m.short, rule.reference
            ),
        }
    }
}

impl<'a, 'r> Engine<'a, 'r> {
    fn run(&self) -> Assessment<'r> {
        let exporter = self.facts.exporter;
        let as_of = self.as_of;

        // 1. An exporter outside the EU/EEA on the date: EU transfer rules are not assessed.
        let Some(membership) = self
            .rules
            .memberships_of(exporter)
            .find(|m| m.status.governs_exporters() && m.period.contains(as_of))
        else {
            return self.exporter_outside();
        };
        let Some(application) = self.rules.application(membership.group, as_of) else {
            return self.before_any_law(membership.group, &membership.citation);
        };
        let group = membership.group;
        let law_index = application.law;
        let mut references = vec![&application.citation];

        // 2. A destination inside the EU/EEA (or treated so) on the date: no transfer.
        if let Some(importer) = self.facts.importer
            && let Some(inside) = self
                .rules
                .memberships_of(importer)
                .find(|m| m.period.contains(as_of))
        {
            references.push(&inside.citation);
            return self.intra_eea(importer, inside, &self.rules.law(law_index), references);
        }

        let mut hints = Vec::new();

        // 3. Adequacy: a decision in force that binds this exporter, or a framework whose list
        // the importer is on.
        let mut decision: Option<&'r Adequacy> = None;
        for a in self.adequacy_for_importer() {
            if !a.period.contains(as_of) {
                continue;
            }
            if !a.binds(group) {
                hints.push(format!(
                    "The adequacy decision for {} ({}) does not bind exporters in the {} on {as_of}.{}",
                    a.country.name_in_sentence(),
                    a.citation.reference,
                    self.rules.group(group).name,
                    a.citation.note.as_deref().map(|n| format!(" {n}")).unwrap_or_default()
                ));
                continue;
            }
            if decision.is_none_or(|d| a.period.valid_from > d.period.valid_from) {
                decision = Some(a);
            }
        }
        if let Some(a) = decision {
            return self.adequate_by_decision(a, references, hints);
        }
        for (id, fw) in self.frameworks_for_importer() {
            if fw.period.contains(as_of) && self.facts.certified.contains(&id) {
                return self.adequate_by_framework(id, fw, references, hints);
            }
        }

        // Every claim checked once, in the order given.
        let mut failures = Vec::new();
        let mut safeguard: Option<(&'r Mechanism, Claim, Acceptance<'r>)> = None;
        let mut derogation: Option<&'r Mechanism> = None;
        for claim in &self.facts.claims {
            let m = self.rules.mechanism(claim.mechanism);
            match &m.kind {
                MechanismKind::Framework { .. } => {
                    failures.push(self.framework_failure(claim.mechanism, m))
                }
                MechanismKind::Safeguard { .. } => {
                    match self.check_safeguard(m, claim, law_index) {
                        // An in-force safeguard beats a contract living on a sunset rule.
                        Ok(acceptance) => {
                            let better = matches!(
                                (&safeguard, &acceptance),
                                (None, _)
                                    | (
                                        Some((_, _, Acceptance::Grandfathered { .. })),
                                        Acceptance::InForce
                                    )
                            );
                            if better {
                                safeguard = Some((m, *claim, acceptance));
                            }
                        }
                        Err(f) => failures.push(f),
                    }
                }
                MechanismKind::Derogation { .. } => match self.check_period_and_law(m, law_index) {
                    Ok(()) => {
                        derogation = derogation.or(Some(m));
                    }
                    Err(f) => failures.push(f),
                },
            }
        }
        // A certification on a framework no longer (or not yet) in force covers nothing.
        for &id in &self.facts.certified {
            let claimed = self.facts.claims.iter().any(|c| c.mechanism == id);
            let m = self.rules.mechanism(id);
            if let MechanismKind::Framework { country, .. } = m.kind
                && !claimed
                && Some(country) == self.facts.importer
                && !m.period.contains(as_of)
            {
                failures.push(self.framework_failure(id, m));
            }
        }

        // 4. An Art. 46/47 safeguard valid on the date.
        if let Some((m, claim, acceptance)) = safeguard {
            return self.safeguarded(
                m, claim, acceptance, law_index, references, hints, &failures,
            );
        }

        self.uncovered_hints(law_index, &mut hints);

        // 5. A derogation only: flagged, a warning.
        if let Some(m) = derogation {
            return self.derogation(m, law_index, references, hints, &failures);
        }

        // 6. Nothing valid.
        self.unsafeguarded(references, hints, &failures)
    }

    fn adequacy_for_importer(&self) -> impl Iterator<Item = &'r Adequacy> + use<'r, '_> {
        let rules = self.rules;
        self.facts
            .importer
            .into_iter()
            .flat_map(move |c| rules.adequacy_for(c))
    }

    fn frameworks_for_importer(
        &self,
    ) -> impl Iterator<Item = (MechanismId, &'r Mechanism)> + use<'r, '_> {
        let rules = self.rules;
        self.facts
            .importer
            .into_iter()
            .flat_map(move |c| rules.frameworks_for(c))
    }

    fn exporter_outside(&self) -> Assessment<'r> {
        let exporter = self.facts.exporter;
        let as_of = self.as_of;
        let governing = || {
            self.rules
                .memberships_of(exporter)
                .filter(|m| m.status.governs_exporters())
        };
        let left = governing()
            .filter(|m| m.period.ended(as_of))
            .max_by_key(|m| m.period.valid_until);
        let joins = governing()
            .filter(|m| !m.period.started(as_of))
            .min_by_key(|m| m.period.valid_from);
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

    fn before_any_law(&self, group: GroupId, membership: &'r Citation) -> Assessment<'r> {
        let exporter = self.facts.exporter;
        let next = self
            .rules
            .applications
            .iter()
            .filter(|a| a.group == group && !a.period.started(self.as_of))
            .min_by_key(|a| a.period.valid_from);
        let (reason, references) = match next {
            Some(a) => (
                format!(
                    "No EU rules on transfers applied to exporters in {} ({exporter}) on {}: {} applies there from {}.",
                    exporter.name_in_sentence(),
                    self.as_of,
                    self.rules.law(a.law).name,
                    a.period.valid_from.unwrap_or(self.as_of)
                ),
                vec![membership, &a.citation],
            ),
            None => (
                format!(
                    "No EU rules on transfers apply to exporters in {} ({exporter}) on {}.",
                    exporter.name_in_sentence(),
                    self.as_of
                ),
                vec![membership],
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
        importer: CountryCode,
        inside: &'r Membership,
        law: &Law,
        references: Vec<&'r Citation>,
    ) -> Assessment<'r> {
        let as_of = self.as_of;
        let status = inside.status;
        let reason = match status {
            MembershipStatus::Member => format!(
                "{} ({importer}) is in the {} on {as_of}: there is no transfer to a third country ({}).",
                importer.name_at_start(),
                self.rules.group(inside.group).name,
                law.transfer_rules
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
            references,
            hints,
        }
    }

    fn adequate_by_decision(
        &self,
        a: &'r Adequacy,
        mut references: Vec<&'r Citation>,
        mut hints: Vec<String>,
    ) -> Assessment<'r> {
        let importer = a.country;
        let reason = format!(
            "The adequacy decision for {} ({importer}), {}, in force since {}, covers this transfer on {}.",
            importer.name_in_sentence(),
            a.citation.reference,
            a.period
                .valid_from
                .map_or_else(|| "its adoption".to_string(), |d| d.to_string()),
            self.as_of
        );
        if a.partial_scope {
            hints.push(format!(
                "The decision covers only: {}. Confirm that the importer falls within it.",
                a.scope
            ));
        }
        if let Some(last) = a.period.last_day() {
            hints.push(format!(
                "The decision applies until {last}: watch for its renewal."
            ));
        }
        self.confidence_hint(&a.citation, &mut hints);
        references.push(&a.citation);
        Assessment {
            verdict: Verdict::Adequate,
            flagged: false,
            severity: Severity::Ok,
            reason,
            mechanism: Some(&a.citation.rule),
            references,
            hints,
        }
    }

    fn adequate_by_framework(
        &self,
        id: MechanismId,
        fw: &'r Mechanism,
        mut references: Vec<&'r Citation>,
        mut hints: Vec<String>,
    ) -> Assessment<'r> {
        let MechanismKind::Framework { list, .. } = &fw.kind else {
            unreachable!("frameworks_for yields frameworks")
        };
        let reason = format!(
            "The importer is on {list}, so the {} covers this transfer on {} ({}, in force since {}).",
            fw.name,
            self.as_of,
            fw.citation.reference,
            fw.period
                .valid_from
                .map_or_else(|| "its adoption".to_string(), |d| d.to_string()),
        );
        if !self.facts.claims.iter().any(|c| c.mechanism == id) {
            let other_frameworks: Vec<&str> = self
                .facts
                .claims
                .iter()
                .map(|c| self.rules.mechanism(c.mechanism))
                .filter(|m| matches!(m.kind, MechanismKind::Framework { .. }))
                .map(|m| m.name.as_str())
                .collect();
            hints.push(if other_frameworks.is_empty() {
                format!(
                    "The importer is on {list}: record the {} as the transfer mechanism.",
                    fw.name
                )
            } else {
                format!(
                    "The importer is on {list}: record the {} instead of the {}.",
                    fw.name,
                    other_frameworks.join(" and the ")
                )
            });
        }
        self.confidence_hint(&fw.citation, &mut hints);
        references.push(&fw.citation);
        Assessment {
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
    fn safeguarded(
        &self,
        m: &'r Mechanism,
        claim: Claim,
        acceptance: Acceptance<'r>,
        law: LawId,
        mut references: Vec<&'r Citation>,
        mut hints: Vec<String>,
        failures: &[Failure<'r>],
    ) -> Assessment<'r> {
        let as_of = self.as_of;
        let mut reason = match &acceptance {
            Acceptance::InForce => format!(
                "This transfer is safeguarded on {as_of} by the {} ({}).",
                m.short, m.citation.reference
            ),
            Acceptance::Grandfathered {
                signed,
                until,
                rule,
            } => format!(
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
        if let Acceptance::Grandfathered { rule, .. } = &acceptance {
            references.push(rule);
            if let Some(newest) = self.recommended_scc(law) {
                hints.push(format!(
                    "Replace the {} with the {} ({}).",
                    m.short, newest.short, newest.citation.reference
                ));
            }
        }
        let tia_expected = as_of >= self.rules.tia.expected_from;
        if tia_expected {
            reason.pop();
            reason.push_str(if self.facts.tia {
                "; a transfer impact assessment is on record."
            } else {
                "; no transfer impact assessment is on record."
            });
        }
        let severity = if tia_expected && !self.facts.tia {
            references.push(&self.rules.tia.citation);
            hints.push(format!(
                "Record a transfer impact assessment ({}).",
                self.rules.tia.citation.reference
            ));
            Severity::Warning
        } else {
            Severity::Ok
        };
        if claim.signed.is_none()
            && let Some((cutoff, _)) = self.signing_cutoff(m)
        {
            hints.push(format!(
                "Record the date the {} were signed: from {cutoff} they count only for contracts signed before then.",
                m.short
            ));
        }
        self.confidence_hint(&m.citation, &mut hints);
        self.also(failures, &mut references, &mut hints);
        Assessment {
            verdict: Verdict::Safeguarded,
            flagged: false,
            severity,
            reason,
            mechanism: Some(m.id()),
            references,
            hints,
        }
    }

    fn derogation(
        &self,
        m: &'r Mechanism,
        law: LawId,
        mut references: Vec<&'r Citation>,
        mut hints: Vec<String>,
        failures: &[Failure<'r>],
    ) -> Assessment<'r> {
        let reason = format!(
            "Only a derogation is claimed ({}, {}): derogations are exceptions for occasional transfers, not a basis for systematic or repetitive ones ({}).",
            m.name,
            m.kind.basis(law).unwrap_or(&m.citation.reference),
            self.rules.derogation_guidance.reference
        );
        references.push(&m.citation);
        references.push(&self.rules.derogation_guidance);
        self.also(failures, &mut references, &mut hints);
        Assessment {
            verdict: Verdict::Derogation,
            flagged: true,
            severity: Severity::Warning,
            reason,
            mechanism: Some(m.id()),
            references,
            hints,
        }
    }

    fn unsafeguarded(
        &self,
        mut references: Vec<&'r Citation>,
        mut hints: Vec<String>,
        failures: &[Failure<'r>],
    ) -> Assessment<'r> {
        let importer = self.facts.importer;
        let reason = match failures.first() {
            Some(first) => {
                references.push(first.citation());
                self.confidence_hint(first.citation(), &mut hints);
                self.also(&failures[1..], &mut references, &mut hints);
                first.sentence(self.as_of)
            }
            None => {
                let list = self
                    .frameworks_for_importer()
                    .find(|(_, fw)| fw.period.contains(self.as_of))
                    .and_then(|(_, fw)| match &fw.kind {
                        MechanismKind::Framework { list, .. } => Some(list),
                        _ => None,
                    });
                match (importer, list) {
                    (None, _) => format!(
                        "No transfer mechanism is recorded, and the destination is not named, so no adequacy decision can cover this transfer on {}.",
                        self.as_of
                    ),
                    (Some(importer), Some(list)) => format!(
                        "No transfer mechanism is recorded, and the importer is not on {list}, the only adequacy route to {} ({importer}) on {}.",
                        importer.name_in_sentence(),
                        self.as_of
                    ),
                    (Some(importer), None) => format!(
                        "No transfer mechanism is recorded, and {} ({importer}) has no adequacy decision in force on {}.",
                        importer.name_in_sentence(),
                        self.as_of
                    ),
                }
            }
        };
        Assessment {
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
    fn uncovered_hints(&self, law: LawId, hints: &mut Vec<String>) {
        let as_of = self.as_of;
        let Some(importer) = self.facts.importer else {
            hints.push("Record the destination country: only then can an adequacy decision cover the transfer.".to_string());
            if let Some(scc) = self.recommended_scc(law) {
                hints.push(format!(
                    "Or sign the {} ({}).",
                    scc.short, scc.citation.reference
                ));
            }
            return;
        };
        for (_, fw) in self.rules.frameworks_for(importer) {
            if let MechanismKind::Framework { list, .. } = &fw.kind
                && fw.period.contains(as_of)
            {
                hints.push(format!(
                    "If the importer is on {list}, record its certification: the {} then covers the transfer.",
                    fw.name
                ));
            }
        }
        if let Some(scc) = self.recommended_scc(law) {
            let tia = if as_of >= self.rules.tia.expected_from {
                " with a transfer impact assessment"
            } else {
                ""
            };
            hints.push(format!(
                "Sign the {} ({}) or put another safeguard of {} in place{tia}.",
                scc.short,
                scc.citation.reference,
                self.rules.law(law).safeguards_basis
            ));
        }
        for a in self.rules.adequacy_for(importer) {
            if !a.period.started(as_of) {
                hints.push(format!(
                    "An adequacy decision for {} applies from {} ({}).",
                    importer.name_in_sentence(),
                    a.period.valid_from.unwrap_or(as_of),
                    a.citation.reference
                ));
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
            hints.push(format!("Also: {}", f.sentence(self.as_of)));
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

    fn framework_failure(&self, id: MechanismId, m: &'r Mechanism) -> Failure<'r> {
        let MechanismKind::Framework { country, list, .. } = &m.kind else {
            unreachable!("called for frameworks only")
        };
        if Some(*country) != self.facts.importer {
            Failure::WrongCountry(m, self.facts.importer)
        } else if let Some(from) = m
            .period
            .valid_from
            .filter(|_| !m.period.started(self.as_of))
        {
            Failure::NotYet(m, from)
        } else if let Some(until) = m.period.valid_until.filter(|_| m.period.ended(self.as_of)) {
            Failure::Ended(m, until)
        } else {
            debug_assert!(!self.facts.certified.contains(&id));
            Failure::NotCertified(m, list)
        }
    }

    fn check_period_and_law(&self, m: &'r Mechanism, law: LawId) -> Result<(), Failure<'r>> {
        if m.kind.basis(law).is_none() {
            return Err(Failure::NotUnderLaw(m, &self.rules.law(law)));
        }
        if let Some(from) = m
            .period
            .valid_from
            .filter(|_| !m.period.started(self.as_of))
        {
            return Err(Failure::NotYet(m, from));
        }
        if let Some(until) = m.period.valid_until.filter(|_| m.period.ended(self.as_of)) {
            return Err(Failure::Ended(m, until));
        }
        Ok(())
    }

    /// The first day no new contract may be signed on `m`, and the rule that says so.
    fn signing_cutoff(&self, m: &'r Mechanism) -> Option<(NaiveDate, &'r Citation)> {
        let MechanismKind::Safeguard {
            new_contracts_until,
            transition,
            ..
        } = &m.kind
        else {
            return None;
        };
        let own = new_contracts_until.map(|d| (d, &m.citation));
        let sunset = transition.map(|t| {
            let t = self.rules.transition(t);
            (t.new_contracts_until, &t.citation)
        });
        own.into_iter().chain(sunset).min_by_key(|(d, _)| *d)
    }

    fn check_safeguard(
        &self,
        m: &'r Mechanism,
        claim: &Claim,
        law: LawId,
    ) -> Result<Acceptance<'r>, Failure<'r>> {
        self.check_period_and_law(m, law)?;
        let as_of = self.as_of;
        if let Some(signed) = claim.signed {
            if signed > as_of {
                return Err(Failure::SignedAfter(m, signed));
            }
            if let Some(from) = m.period.valid_from.filter(|from| signed < *from) {
                return Err(Failure::SignedBeforeAvailable(m, signed, from));
            }
        }
        let Some((cutoff, rule)) = self
            .signing_cutoff(m)
            .filter(|(cutoff, _)| as_of >= *cutoff)
        else {
            return Ok(Acceptance::InForce);
        };
        // Past the cutoff, only contracts signed before it count, for a while, unchanged
        // ((EU) 2021/914 Art. 4; Decision 2010/87/EU Art. 7 for the 2002 set).
        let transition = match &m.kind {
            MechanismKind::Safeguard {
                transition: Some(t),
                ..
            } => Some(self.rules.transition(*t)),
            _ => None,
        };
        if let Some(t) = transition.filter(|t| as_of >= t.valid_until) {
            return Err(Failure::TransitionEnded(m, t));
        }
        let Some(signed) = claim.signed else {
            return Err(Failure::SignedDateNeeded { m, cutoff, rule });
        };
        if signed >= cutoff {
            return Err(Failure::SignedTooLate {
                m,
                signed,
                cutoff,
                rule,
            });
        }
        if self.facts.processing_changed
            && transition.is_none_or(|t| t.requires_unchanged_processing)
        {
            return Err(Failure::ProcessingChanged { m, cutoff, rule });
        }
        Ok(Acceptance::Grandfathered {
            signed,
            until: transition.map(|t| t.valid_until),
            rule: transition.map_or(rule, |t| &t.citation),
        })
    }

    /// The newest set of standard contractual clauses open to new contracts on the date.
    fn recommended_scc(&self, law: LawId) -> Option<&'r Mechanism> {
        self.rules
            .mechanisms
            .iter()
            .filter(|m| {
                matches!(&m.kind, MechanismKind::Safeguard { family: Some(f), .. } if f == "scc")
                    && m.kind.basis(law).is_some()
                    && m.period.contains(self.as_of)
                    && self
                        .signing_cutoff(m)
                        .is_none_or(|(cutoff, _)| self.as_of < cutoff)
            })
            .max_by_key(|m| m.period.valid_from)
    }
}
