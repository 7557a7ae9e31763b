//! The query strings of the read routes, parsed once: dates, filters, pages.

use actix_web::HttpRequest;
use base64::Engine;
use chrono::{NaiveDate, NaiveDateTime};

use crate::date::{parse_date, today};
use crate::registry::{Role, Vendor, VendorCategory, VendorStatus, history};
use crate::rules::CountryCode;
use crate::values::vocabulary;
use crate::web::error::AppError;

pub(super) fn bad(name: &str, problem: impl Into<String>) -> AppError {
    AppError::BadParameter {
        name: name.into(),
        problem: problem.into(),
    }
}

pub(super) fn query_pairs(req: &HttpRequest) -> Result<Vec<(String, String)>, AppError> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .map_err(|e| bad("query", format!("cannot be read: {e}")))
}

pub(super) fn as_of(pairs: &[(String, String)]) -> Result<NaiveDate, AppError> {
    match pairs.iter().find(|(k, v)| k == "as_of" && !v.is_empty()) {
        Some((_, v)) => parse_date(v).map_err(|e| bad("as_of", e.to_string())),
        None => Ok(today()),
    }
}

/// `known_at=D`: what was recorded by the end of D (the list as published on D when D is
/// `as_of`); default: everything recorded, later corrections included.
pub(super) fn known_before(pairs: &[(String, String)]) -> Result<NaiveDateTime, AppError> {
    match pairs.iter().find(|(k, v)| k == "known_at" && !v.is_empty()) {
        Some((_, v)) => parse_date(v)
            .map(history::end_of)
            .map_err(|e| bad("known_at", e.to_string())),
        None => Ok(history::everything()),
    }
}

/// What `GET .../vendors` narrows to.
pub(super) struct VendorQuery {
    pub(super) as_of: NaiveDate,
    pub(super) known_before: NaiveDateTime,
    pub(super) country: Option<CountryCode>,
    pub(super) category: Option<VendorCategory>,
    pub(super) role: Option<Role>,
    pub(super) status: Option<VendorStatus>,
    pub(super) flagged: Option<bool>,
    pub(super) q: Option<String>,
    pub(super) limit: usize,
    pub(super) after: Option<(String, String)>,
}

pub(super) fn vendor_query(req: &HttpRequest) -> Result<VendorQuery, AppError> {
    let pairs = query_pairs(req)?;
    let mut query = VendorQuery {
        as_of: as_of(&pairs)?,
        known_before: known_before(&pairs)?,
        country: None,
        category: None,
        role: None,
        status: None,
        flagged: None,
        q: None,
        limit: 50,
        after: None,
    };
    for (name, value) in pairs.iter().filter(|(_, v)| !v.trim().is_empty()) {
        let value = value.trim();
        match name.as_str() {
            "country" => {
                query.country =
                    Some(CountryCode::parse(value).map_err(|e| bad("country", e.to_string()))?)
            }
            "category" => {
                query.category = Some(value.parse().map_err(|_| {
                    bad(
                        "category",
                        format!(
                            "unknown category '{value}'; valid: {}",
                            vocabulary::<VendorCategory>()
                        ),
                    )
                })?)
            }
            "role" => {
                query.role = Some(value.parse().map_err(|_| {
                    bad(
                        "role",
                        format!("unknown role '{value}'; valid: {}", vocabulary::<Role>()),
                    )
                })?)
            }
            "status" => {
                query.status = Some(value.parse().map_err(|_| {
                    bad(
                        "status",
                        format!(
                            "unknown status '{value}'; valid: {}",
                            vocabulary::<VendorStatus>()
                        ),
                    )
                })?)
            }
            "flagged" => {
                query.flagged = Some(match value {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => return Err(bad("flagged", format!("'{value}' is not true or false"))),
                })
            }
            "q" => query.q = Some(value.to_lowercase()),
            "limit" => {
                query.limit = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=200).contains(n))
                    .ok_or_else(|| {
                        bad("limit", format!("'{value}' is not a number from 1 to 200"))
                    })?
            }
            "cursor" => {
                let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(value)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .and_then(|s| {
                        s.split_once('\u{0}')
                            .map(|(n, k)| (n.to_string(), k.to_string()))
                    })
                    .ok_or_else(|| bad("cursor", "not a cursor this API gave"))?;
                query.after = Some(decoded);
            }
            _ => {}
        }
    }
    Ok(query)
}

pub(super) fn cursor(v: &Vendor) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{}\u{0}{}", v.name, v.key))
}
