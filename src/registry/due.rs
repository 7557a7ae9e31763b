//! What falls due for an organisation's officers, dated: certifications to verify again and
//! transfer impact assessments and DPAs to review (a year after the last), old SCCs to replace
//! before contracts on them stop counting, changes taking effect, objection deadlines. The weekly reminder and the calendar feed read it.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::objection::Open;
use super::{Registry, VendorStatus};
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
        for v in r
            .vendors
            .iter()
            .filter(|v| v.status != VendorStatus::Retired)
        {
            for c in v
                .certifications
                .iter()
                .filter(|c| c.until.is_none_or(|u| u > today))
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
