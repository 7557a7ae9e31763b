//! When a change of a public fact takes effect (GDPR Art. 28(2): the controller is told of an
//! added or replaced sub-processor in advance, with the chance to object). Pure functions:
//!
//! - what **widens** sharing (a new vendor, a new destination country, a new data category, a
//!   new role) is announced today and takes effect at the end of the notice period or later;
//!   earlier only with an urgent reason, which the public list shows;
//! - anything else takes effect on the chosen day, today by default, never before;
//! - a day in the past only for a **correction**, with its reason, shown beside what it corrects;
//! - never before a change of the same vendor that is still to come (versions take effect in
//!   the order they were announced).

use std::collections::BTreeSet;

use chrono::NaiveDate;

use crate::registry::edit::EditError;
use crate::registry::vendor::Vendor;

/// When the officer asked a change to take effect, and why out of the ordinary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timing {
    /// Default: today, or the end of the notice period for what widens sharing.
    pub effective_on: Option<NaiveDate>,
    /// Why the change cannot wait for the notice period.
    pub urgent: Option<String>,
    /// Why a past period is corrected: the change then dates back to `effective_on`.
    pub correction: Option<String>,
}

impl Timing {
    pub fn on(effective_on: Option<NaiveDate>) -> Self {
        Timing {
            effective_on,
            ..Timing::default()
        }
    }

    /// This timing with `other`'s reasons.
    pub fn with_reasons(self, other: &Timing) -> Self {
        Timing {
            urgent: other.urgent.clone(),
            correction: other.correction.clone(),
            ..self
        }
    }
}

/// How a change came to take effect when it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timed {
    /// Announced with the full notice (or no notice needed).
    Announced,
    /// Earlier than the notice period, for this reason.
    Urgent(String),
    /// Dated back, for this reason.
    Correction(String),
}

impl Timed {
    pub fn reason(&self) -> Option<&str> {
        match self {
            Timed::Announced => None,
            Timed::Urgent(r) | Timed::Correction(r) => Some(r),
        }
    }
}

/// What a change does to the sharing of personal data: the ways it widens it, if any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    pub widens: Vec<String>,
}

impl Reach {
    pub fn widens(&self) -> bool {
        !self.widens.is_empty()
    }
}

/// How `new` differs in reach from `old`, both as published (`None`: not public before).
pub fn reach(old: Option<&Vendor>, new: &Vendor) -> Reach {
    let Some(old) = old else {
        return Reach {
            widens: vec!["a new vendor".into()],
        };
    };
    let mut widens = Vec::new();
    if new.role != old.role {
        widens.push(format!(
            "its role becomes {}",
            new.role.label().to_lowercase()
        ));
    }
    let countries: BTreeSet<_> = old.transfers.iter().map(|t| t.country).collect();
    for c in new.transfers.iter().map(|t| t.country) {
        if !countries.contains(&c) {
            match c {
                Some(c) => widens.push(format!("a new destination: {} ({c})", c.name())),
                None => widens.push("a new destination".into()),
            }
        }
    }
    let data: BTreeSet<_> = old
        .transfers
        .iter()
        .flat_map(|t| &t.data_categories)
        .collect();
    let new_data: BTreeSet<_> = new
        .transfers
        .iter()
        .flat_map(|t| &t.data_categories)
        .filter(|d| !data.contains(d))
        .collect();
    if !new_data.is_empty() {
        let labels: Vec<&str> = new_data.iter().map(|d| d.label()).collect();
        widens.push(format!("new data shared: {}", labels.join(", ")));
    }
    widens.dedup();
    Reach { widens }
}

/// The day a change takes effect and how, or why it cannot. `field` names the date in the
/// caller's terms (`effective_on`, `active_from`); `notice_end` is today plus the notice
/// period; `floor` the day a change of the same vendor still to come takes effect.
pub fn effective(
    timing: &Timing,
    field: &'static str,
    reach: &Reach,
    (today, notice_end): (NaiveDate, NaiveDate),
    floor: Option<NaiveDate>,
) -> Result<(NaiveDate, Timed), EditError> {
    let invalid = |message: String| EditError::Invalid { field, message };
    let reason = |r: &Option<String>| {
        r.as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
    };
    if let Some(correction) = reason(&timing.correction) {
        let Some(date) = timing.effective_on else {
            return Err(invalid(
                "a correction needs the past date it corrects from".into(),
            ));
        };
        if date >= today {
            return Err(EditError::Invalid {
                field: "correction_reason",
                message: format!(
                    "a correction dates a change back; {date} is not in the past (leave the \
                     reason out for a change from today on)"
                ),
            });
        }
        return Ok((date, Timed::Correction(correction)));
    }
    if let Some(date) = timing.effective_on.filter(|d| *d < today) {
        return Err(invalid(format!(
            "{date} is in the past: a change takes effect today ({today}) or later; to fix what \
             was published for a past date, make a correction with a correction_reason"
        )));
    }
    let floor = floor.filter(|f| *f > today);
    if let (Some(date), Some(floor)) = (timing.effective_on, floor)
        && date < floor
    {
        return Err(invalid(format!(
            "an earlier change of this vendor takes effect on {floor}; this one cannot take \
             effect before it"
        )));
    }
    let earliest = floor.unwrap_or(today);
    if !reach.widens() {
        return Ok((timing.effective_on.unwrap_or(earliest), Timed::Announced));
    }
    let date = timing.effective_on.unwrap_or(notice_end.max(earliest));
    if date >= notice_end {
        return Ok((date, Timed::Announced));
    }
    match reason(&timing.urgent) {
        Some(urgent) => Ok((date, Timed::Urgent(urgent))),
        None => Err(invalid(format!(
            "this change widens what is shared ({}); it is announced today and takes effect on \
             {notice_end} or later (the notice period); give an urgent_reason to shorten it",
            reach.widens.join("; ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    const TODAY: &str = "2026-12-01";
    const NOTICE_END: &str = "2026-12-31";

    fn widening() -> Reach {
        Reach {
            widens: vec!["a new destination: China (CN)".into()],
        }
    }

    fn run(
        timing: Timing,
        reach: Reach,
        floor: Option<&str>,
    ) -> Result<(NaiveDate, Timed), String> {
        effective(
            &timing,
            "effective_on",
            &reach,
            (d(TODAY), d(NOTICE_END)),
            floor.map(d),
        )
        .map_err(|e| e.to_string())
    }

    fn timing(on: Option<&str>, urgent: Option<&str>, correction: Option<&str>) -> Timing {
        Timing {
            effective_on: on.map(d),
            urgent: urgent.map(str::to_string),
            correction: correction.map(str::to_string),
        }
    }

    /// One row per rule: (case, timing, widens?, floor, expected date or error fragment).
    #[test]
    fn notice_rules() {
        type Row = (
            &'static str,
            Timing,
            bool,
            Option<&'static str>,
            Result<(&'static str, Timed), &'static str>,
        );
        let rows: Vec<Row> = vec![
            (
                "Art. 28(2): a widening change waits for the notice period by default",
                timing(None, None, None),
                true,
                None,
                Ok((NOTICE_END, Timed::Announced)),
            ),
            (
                "a widening change may be set later than the notice period",
                timing(Some("2027-02-01"), None, None),
                true,
                None,
                Ok(("2027-02-01", Timed::Announced)),
            ),
            (
                "a widening change earlier than the notice period is refused without a reason",
                timing(Some("2026-12-02"), None, None),
                true,
                None,
                Err("urgent_reason"),
            ),
            (
                "with an urgent reason it may take effect today",
                timing(Some(TODAY), Some("outage of the current host"), None),
                true,
                None,
                Ok((TODAY, Timed::Urgent("outage of the current host".into()))),
            ),
            (
                "a blank urgent reason is no reason",
                timing(Some(TODAY), Some("  "), None),
                true,
                None,
                Err("urgent_reason"),
            ),
            (
                "a narrowing change takes effect today by default",
                timing(None, None, None),
                false,
                None,
                Ok((TODAY, Timed::Announced)),
            ),
            (
                "a narrowing change may be set later",
                timing(Some("2027-01-15"), None, None),
                false,
                None,
                Ok(("2027-01-15", Timed::Announced)),
            ),
            (
                "no change takes effect in the past (backdating)",
                timing(Some("2020-01-01"), None, None),
                false,
                None,
                Err("is in the past"),
            ),
            (
                "not even with an urgent reason",
                timing(Some("2026-11-30"), Some("urgent"), None),
                true,
                None,
                Err("is in the past"),
            ),
            (
                "a correction dates back, with its reason",
                timing(
                    Some("2019-03-01"),
                    None,
                    Some("the transfer started in 2019"),
                ),
                true,
                None,
                Ok((
                    "2019-03-01",
                    Timed::Correction("the transfer started in 2019".into()),
                )),
            ),
            (
                "a correction needs its date",
                timing(None, None, Some("typo")),
                false,
                None,
                Err("needs the past date"),
            ),
            (
                "a correction is for the past only",
                timing(Some(TODAY), None, Some("typo")),
                false,
                None,
                Err("not in the past"),
            ),
            (
                "a change waits for one of the same vendor still to come",
                timing(None, None, None),
                false,
                Some("2027-01-10"),
                Ok(("2027-01-10", Timed::Announced)),
            ),
            (
                "a widening one too, when that is later than its own notice",
                timing(None, None, None),
                true,
                Some("2027-01-10"),
                Ok(("2027-01-10", Timed::Announced)),
            ),
            (
                "and may not be set before it",
                timing(Some("2027-01-05"), None, None),
                false,
                Some("2027-01-10"),
                Err("earlier change"),
            ),
            (
                "a floor in the past is no floor",
                timing(None, None, None),
                false,
                Some("2026-01-10"),
                Ok((TODAY, Timed::Announced)),
            ),
        ];
        for (case, timing, widens, floor, expected) in rows {
            let reach = if widens { widening() } else { Reach::default() };
            let got = run(timing, reach, floor);
            match (expected, got) {
                (Ok((date, how)), Ok(got)) => assert_eq!(got, (d(date), how), "{case}"),
                (Err(fragment), Err(message)) => {
                    assert!(message.contains(fragment), "{case}: {message}")
                }
                (expected, got) => panic!("{case}: expected {expected:?}, got {got:?}"),
            }
        }
    }
}
