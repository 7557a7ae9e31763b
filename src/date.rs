//! Calendar dates as users type them: `YYYY-MM-DD`, nothing looser.

use chrono::{NaiveDate, Timelike};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a date: expected YYYY-MM-DD, a real calendar day (e.g. 2024-05-31)")]
pub struct InvalidDate(pub String);

/// Parses an ISO 8601 calendar date. Rejects `2024-1-5`, `2024-13-01`, `2023-02-29`.
pub fn parse_date(input: &str) -> Result<NaiveDate, InvalidDate> {
    let s = input.trim();
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(InvalidDate(input.to_string()));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| InvalidDate(input.to_string()))
}

/// Now, in UTC, to the whole second: what every stored timestamp holds (both backends keep it
/// exactly, and `Last-Modified` can say it).
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    now.with_nanosecond(0).unwrap_or(now)
}

/// Today in the machine's time zone: the default date of an assessment.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The day something was done (a DPA signed, a contract signed, a TIA carried out, a
/// framework's list checked) is a fact of the past: it cannot be after `today`. `what` names
/// the act, as in "The DPA was signed".
pub fn done_by(date: NaiveDate, today: NaiveDate, what: &str) -> Result<(), String> {
    if date > today {
        Err(format!(
            "{what} on {date}, which is in the future: enter the day it happened, {today} or earlier"
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_something_was_done_is_not_after_today() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(done_by(today, today, "The TIA was done"), Ok(()));
        assert_eq!(
            done_by(today.pred_opt().unwrap(), today, "The TIA was done"),
            Ok(())
        );
        assert_eq!(
            done_by(today.succ_opt().unwrap(), today, "The TIA was done"),
            Err(
                "The TIA was done on 2026-12-03, which is in the future: enter the day it \
                 happened, 2026-12-02 or earlier"
                    .into()
            )
        );
    }

    #[test]
    fn accepts_iso_dates_only() {
        assert_eq!(
            parse_date("2020-07-16"),
            Ok(NaiveDate::from_ymd_opt(2020, 7, 16).unwrap())
        );
        assert_eq!(
            parse_date("2024-02-29"),
            Ok(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap())
        );
        for bad in [
            "2024-13-01",
            "2023-02-29",
            "2024-1-5",
            "20240105",
            "yesterday",
            "",
            "2024-01-01T00:00",
        ] {
            assert_eq!(parse_date(bad), Err(InvalidDate(bad.to_string())), "{bad}");
        }
    }
}
