//! The public list's query parameters (`as_of`, `known_at`, `category`, `country`, `flagged`),
//! checked once.

use chrono::NaiveDate;

use super::error::AppError;
use crate::date::parse_date;
use crate::registry::VendorCategory;
use crate::registry::listing::Filters;
use crate::rules::CountryCode;
use crate::values::vocabulary;

/// Parses a query string. Empty values count as absent (the form's "any" choice); unknown
/// parameters are ignored; a bad value is a 400 naming the parameter.
pub fn parse(query: &str, today: NaiveDate) -> Result<Filters, AppError> {
    let bad = |name: &str, problem: String| AppError::BadParameter {
        name: name.to_string(),
        problem,
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
        .map_err(|e| bad("query", format!("cannot be read: {e}")))?;
    let mut filters = Filters::on(today);
    for (name, value) in pairs {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match name.as_str() {
            "as_of" => {
                filters.as_of = parse_date(value).map_err(|e| bad("as_of", e.to_string()))?;
            }
            "known_at" => {
                filters.known_at =
                    Some(parse_date(value).map_err(|e| bad("known_at", e.to_string()))?);
            }
            "category" => {
                filters.category = Some(value.parse().map_err(|_| {
                    bad(
                        "category",
                        format!(
                            "unknown category '{value}'; valid: {}",
                            vocabulary::<VendorCategory>()
                        ),
                    )
                })?);
            }
            "country" => {
                filters.country =
                    Some(CountryCode::parse(value).map_err(|e| bad("country", e.to_string()))?);
            }
            "flagged" => filters.flagged = Some(yes_or_no("flagged", value)?),
            _ => {}
        }
    }
    Ok(filters)
}

fn yes_or_no(name: &str, value: &str) -> Result<bool, AppError> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(AppError::BadParameter {
            name: name.to_string(),
            problem: format!("'{value}' is not true or false"),
        }),
    }
}

/// `bom=true` on the CSV: start it with a UTF-8 byte order mark, so that Excel reads accents
/// right (without one it reads the file in the system's legacy code page).
pub fn bom(query: &str) -> Result<bool, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    match pairs
        .iter()
        .rev()
        .find(|(k, v)| k == "bom" && !v.trim().is_empty())
    {
        Some((_, v)) => yes_or_no("bom", v.trim()),
        None => Ok(false),
    }
}

/// A page or archive number (`page=2`, `archive=3`): a whole number from 1, `None` when absent
/// or empty; anything else is a 400 naming the parameter.
pub fn number(query: &str, name: &str) -> Result<Option<u32>, AppError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    let Some((_, value)) = pairs
        .iter()
        .rev()
        .find(|(k, v)| k == name && !v.trim().is_empty())
    else {
        return Ok(None);
    };
    match value.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(Some(n)),
        _ => Err(AppError::BadParameter {
            name: name.to_string(),
            problem: format!("'{}' is not a {name} number: 1, 2, 3...", value.trim()),
        }),
    }
}

/// The filters the Atom feed cannot apply, refused with a 400 naming the parameter. `flagged`
/// is a verdict on the list's date, and a feed entry's vendor may not be listed that day (not
/// yet in effect, or retired): it has no verdict to filter on.
pub fn check_for_feed(filters: &Filters) -> Result<(), AppError> {
    match filters.flagged {
        Some(_) => Err(AppError::BadParameter {
            name: "flagged".to_string(),
            problem: "the feed cannot be filtered by verdict: a change's vendor may not be listed \
                      on the date (upcoming or retired), so it has no verdict that day; filter \
                      the list (HTML, JSON, CSV) instead"
                .to_string(),
        }),
        None => Ok(()),
    }
}

/// The query string that reproduces `filters` (for links to the other formats).
pub fn query_string(filters: &Filters, today: NaiveDate) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if filters.as_of != today {
        pairs.push(("as_of", filters.as_of.to_string()));
    }
    if let Some(k) = filters.known_at {
        pairs.push(("known_at", k.to_string()));
    }
    if let Some(c) = filters.category {
        pairs.push(("category", c.to_string()));
    }
    if let Some(c) = filters.country {
        pairs.push(("country", c.to_string()));
    }
    if let Some(f) = filters.flagged {
        pairs.push(("flagged", f.to_string()));
    }
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn parses_every_parameter_and_ignores_empty_ones() {
        let f = parse(
            "as_of=2019-05-23&category=analytics&country=us&flagged=true&other=x",
            today(),
        )
        .unwrap();
        assert_eq!(f.as_of, NaiveDate::from_ymd_opt(2019, 5, 23).unwrap());
        assert_eq!(f.category, Some(VendorCategory::Analytics));
        assert_eq!(f.country.map(|c| c.as_str()), Some("US"));
        assert_eq!(f.flagged, Some(true));
        assert_eq!(
            parse("category=&country=&as_of=", today()).unwrap(),
            Filters::on(today())
        );
        assert_eq!(
            query_string(&f, today()),
            "as_of=2019-05-23&category=analytics&country=US&flagged=true"
        );
    }

    #[test]
    fn page_numbers_are_whole_numbers_from_one() {
        assert_eq!(number("page=2&as_of=2020-01-01", "page").unwrap(), Some(2));
        assert_eq!(number("page=", "page").unwrap(), None);
        assert_eq!(number("other=1", "archive").unwrap(), None);
        for bad in [
            "page=0",
            "page=-1",
            "page=two",
            "page=1.5",
            "page=99999999999",
        ] {
            match number(bad, "page") {
                Err(AppError::BadParameter { name, problem }) => {
                    assert_eq!(name, "page");
                    assert!(problem.contains("is not a page number"), "{problem}");
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn bad_values_name_the_parameter() {
        for (query, name, needle) in [
            ("as_of=2024-13-01", "as_of", "'2024-13-01' is not a date"),
            ("country=XX", "country", "unknown country code 'XX'"),
            ("category=cloud", "category", "unknown category 'cloud'"),
            ("flagged=maybe", "flagged", "'maybe' is not true or false"),
        ] {
            match parse(query, today()) {
                Err(AppError::BadParameter {
                    name: n, problem, ..
                }) => {
                    assert_eq!(n, name);
                    assert!(problem.contains(needle), "{problem}");
                }
                other => panic!("{query}: {other:?}"),
            }
        }
    }
}
