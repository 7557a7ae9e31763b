//! What falls due for an organisation's officers, dated: certifications to verify again and
//! transfer impact assessments and DPAs to review (a year after the last), old SCCs to replace
//! before contracts on them stop counting, changes taking effect, objection deadlines. The weekly reminder and the calendar feed read it.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::objection::Open;
use super::{Certification, Registry, Role, Vendor, VendorStatus};
use crate::rules::{CountryCode, MechanismKind, RuleSet};

/// One thing to do, by a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub organisation: String,
    pub on: NaiveDate,
    pub what: String,
    /// Its day is past.
    pub overdue: bool,
}

/// Whether `v` has reviews due: in use or proposed; a retired vendor (even one still used
/// until its retirement date) and a withdrawn proposal have none.
pub fn reviewed(v: &Vendor) -> bool {
    matches!(v.status, VendorStatus::Active | VendorStatus::Proposed)
}

/// Whether an organisation needs a DPA with `v` (GDPR Art. 28(3)): with a processor or a
/// sub-processor in use or proposed; an independent or joint controller signs none.
pub fn needs_dpa(v: &Vendor) -> bool {
    reviewed(v) && matches!(v.role, Role::Processor | Role::SubProcessor)
}

/// Whether the certification framework `id` is a transfer tool on `today` for an exporter in
/// `exporter`, by the rules data (the Privacy Shield is not since 2020-07-16): a certification
/// under a dead framework is not verified again, it is replaced.
pub fn framework_in_force(
    rules: &RuleSet,
    exporter: CountryCode,
    id: &str,
    today: NaiveDate,
) -> bool {
    let Ok(framework) = rules.framework_id(id) else {
        return false;
    };
    let mechanism = rules
        .regime_for(exporter, today)
        .and_then(|(_, regime, _)| regime.mechanism(framework))
        .unwrap_or_else(|| rules.mechanism(framework));
    mechanism.period.contains(today)
}

/// Whether certification `c` of a vendor of an exporter in `exporter` is still to be verified:
/// not ended, under a framework in force.
pub fn to_verify(
    c: &Certification,
    rules: &RuleSet,
    exporter: CountryCode,
    today: NaiveDate,
) -> bool {
    c.until.is_none_or(|u| u > today) && framework_in_force(rules, exporter, &c.framework, today)
}

/// A yearly review after `last`.
fn a_year_after(last: NaiveDate) -> NaiveDate {
    last + Duration::days(365)
}

/// The last day contracts on an old safeguard count (the 2010 SCCs: 2022-12-27 in the EU),
/// under the regime of an exporter in `country` today: `None` for a safeguard with no end.
fn legacy_deadline(
    rules: &RuleSet,
    country: CountryCode,
    id: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let (_, regime, _) = rules.regime_for(country, today)?;
    let m = regime.mechanism(rules.mechanism_id(id).ok()?)?;
    match &m.kind {
        MechanismKind::Safeguard {
            transition: Some(t),
            ..
        // `valid_until` is the first day they no longer count.
        } => regime.transition(*t).valid_until.pred_opt(),
        _ => None,
    }
}

/// What falls due by `until`, the overdue first, then by day.
pub fn due(
    registries: &[Registry],
    objections: &[Open],
    rules: &RuleSet,
    (today, until): (NaiveDate, NaiveDate),
) -> Vec<Due> {
    let mut out = Vec::new();
    let mut add = |organisation: &str, on: NaiveDate, what: String| {
        if on <= until {
            out.push(Due {
                organisation: organisation.to_string(),
                on,
                what,
                overdue: on < today,
            });
        }
    };
    for r in registries {
        let org = &r.organisation.name;
        let exporter = r.organisation.country;
        for v in r.vendors.iter().filter(|v| reviewed(v)) {
            for c in v
                .certifications
                .iter()
                .filter(|c| to_verify(c, rules, exporter, today))
            {
                add(
                    org,
                    a_year_after(c.verified_on),
                    format!(
                        "verify {}'s {} certification again",
                        v.name,
                        rules.name_of(&c.framework)
                    ),
                );
            }
            for t in &v.transfers {
                for m in &t.mechanisms {
                    if let Some(end) = legacy_deadline(rules, r.organisation.country, &m.id, today)
                    {
                        add(
                            org,
                            end,
                            format!(
                                "replace the {} of {} to {}: contracts on them count until {end}",
                                rules.name_of(&m.id),
                                v.name,
                                t.place()
                            ),
                        );
                    }
                }
                if let Some(tia) = t.tia_on {
                    add(
                        org,
                        a_year_after(tia),
                        format!(
                            "review the transfer impact assessment of {} to {}",
                            v.name,
                            t.place()
                        ),
                    );
                }
            }
            if let Some(dpa) = v.dpa_signed_on {
                add(
                    org,
                    a_year_after(dpa),
                    format!("review the DPA with {} (signed {dpa})", v.name),
                );
            }
        }
        for c in r
            .changes
            .iter()
            .filter(|c| c.kind.is_public() && c.effective_on >= today)
        {
            add(org, c.effective_on, format!("takes effect: {}", c.summary));
        }
    }
    for o in objections {
        let name = registries
            .iter()
            .find(|r| r.organisation.slug == o.organisation)
            .map_or(o.organisation.as_str(), |r| r.organisation.name.as_str());
        add(
            name,
            o.deadline,
            format!(
                "objection deadline: {} ({}) to {}",
                o.objection.name, o.objection.company, o.summary
            ),
        );
    }
    out.sort_by(|a, b| (!a.overdue, a.on, &a.what).cmp(&(!b.overdue, b.on, &b.what)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn dead_frameworks_are_not_verified_again() {
        let rules = RuleSet::embedded();
        let de = CountryCode::parse("DE").unwrap();
        // By the rules data: the Privacy Shield ended on 2020-07-16, the DPF is in force.
        assert!(framework_in_force(
            rules,
            de,
            "privacy_shield",
            day("2019-01-01")
        ));
        assert!(!framework_in_force(
            rules,
            de,
            "privacy_shield",
            day("2026-12-01")
        ));
        assert!(framework_in_force(rules, de, "dpf", day("2026-12-01")));
        assert!(!framework_in_force(
            rules,
            de,
            "no_such_framework",
            day("2026-12-01")
        ));
    }
}
