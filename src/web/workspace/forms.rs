//! What the workspace's forms share: reading a posted form, finding the record a form is about,
//! running an edit, and what others saved when an edit comes too late. (Who may post a form is
//! checked by the extractors of `web::extract`.)

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use chrono::{NaiveDate, NaiveDateTime};
use maud::Markup;

use super::SignedIn;
use crate::date::parse_date;
use crate::db::DbConnection;
use crate::registry::EditError;
use crate::registry::{Organisation, Registry, Vendor, organisation, vendor};
use crate::web::error::{AppError, FieldError};
use crate::web::views::workspace::form;
use crate::web::{AppState, blocking};

/// A submitted form, keeping repeated fields (checkboxes) and their order.
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Result<Self, AppError> {
        serde_urlencoded::from_bytes(body)
            .map(Form)
            .map_err(|e| AppError::BadParameter {
                name: "form".into(),
                problem: e.to_string(),
            })
    }

    /// A field holding a control character (a NUL, an escape) is a 422 naming it: nothing in a
    /// form may hold one (tab and line ends only in text areas).
    pub fn check_texts(&self) -> Result<(), AppError> {
        let errors = crate::values::check_pairs(&self.0);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(errors))
        }
    }

    /// The field's value, trimmed; empty when absent.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }

    /// The field's value as typed, untrimmed (a password); empty when absent.
    pub fn raw(&self, name: &str) -> String {
        self.all(name).into_iter().next().unwrap_or_default()
    }

    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.is_empty())
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    pub fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }

    /// Replaces a field's value (the version after a stale edit, say).
    pub fn set(&mut self, name: &str, value: String) {
        self.0.retain(|(k, _)| k != name);
        self.0.push((name.into(), value));
    }

    /// An optional date; a bad one is an error on that field.
    pub fn date(&self, name: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
        let value = self.opt(name)?;
        match parse_date(&value) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(FieldError {
                    field: name.into(),
                    message: e.to_string(),
                });
                None
            }
        }
    }

    /// A date the form cannot do without; `what` names it in the message ("the day the vendor
    /// joined the list").
    pub fn required_date(
        &self,
        (name, what): (&str, &str),
        errors: &mut Vec<FieldError>,
    ) -> Option<NaiveDate> {
        if self.opt(name).is_none() {
            errors.push(FieldError {
                field: name.into(),
                message: format!("Enter {what}, as YYYY-MM-DD"),
            });
            return None;
        }
        self.date(name, errors)
    }

    /// The record version the form was opened on.
    pub fn version(&self) -> i32 {
        self.get("version").parse().unwrap_or(0)
    }
}

pub fn html_page(markup: Markup) -> HttpResponse {
    page(StatusCode::OK, markup)
}

pub fn page(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(crate::text::printable(&markup.into_string()).into_owned())
}

pub fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

pub fn actor(signed_in: &SignedIn) -> String {
    format!("user:{}", signed_in.0.user.email)
}

/// One organisation's whole registry (the vendor page shows its announcements).
pub async fn registry(state: &AppState, slug: &str) -> Result<Registry, AppError> {
    crate::web::registry(state, slug).await
}

pub fn find_vendor<'r>(registry: &'r Registry, key: &str) -> Result<&'r Vendor, AppError> {
    registry
        .vendors
        .iter()
        .find(|v| v.key == key)
        .ok_or_else(|| AppError::NotFound {
            what: format!("vendor '{key}'"),
        })
}

/// What a form parsed into, or every error: those found reading its fields and those of
/// parsing (a field already refused is not refused twice).
pub fn with_errors<T>(
    mut errors: Vec<FieldError>,
    parsed: Result<T, Vec<FieldError>>,
) -> Result<T, Vec<FieldError>> {
    match parsed {
        Ok(value) if errors.is_empty() => Ok(value),
        Ok(_) => Err(errors),
        Err(more) => {
            for e in more {
                if !errors.iter().any(|known| known.field == e.field) {
                    errors.push(e);
                }
            }
            Err(errors)
        }
    }
}

/// The organisation a form is about, or a 404 naming it.
pub async fn organisation(state: &AppState, slug: &str) -> Result<Organisation, AppError> {
    let wanted = slug.to_string();
    blocking(state, move |conn| organisation::find(conn, &wanted))
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: format!("organisation '{slug}'"),
        })
}

/// The vendor a form is about, with its organisation, or a 404 naming what is missing: one
/// vendor is loaded, not the organisation's registry.
pub async fn vendor(
    state: &AppState,
    slug: &str,
    key: &str,
) -> Result<(Organisation, Vendor), AppError> {
    let (s, k) = (slug.to_string(), key.to_string());
    let found = blocking(state, move |conn| vendor::find(conn, &s, &k)).await?;
    let missing = |what: String| AppError::NotFound { what };
    match found {
        None => Err(missing(format!("organisation '{slug}'"))),
        Some((_, None)) => Err(missing(format!("vendor '{key}'"))),
        Some((org, Some(vendor))) => Ok((org, vendor)),
    }
}

/// Runs a store edit on the blocking pool. The edit's own refusals (stale, conflict, invalid)
/// come back for the page to show next to the form; the rest become error pages.
pub async fn run_edit<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut DbConnection) -> Result<T, EditError> + Send + 'static,
) -> Result<Result<T, EditError>, AppError> {
    match crate::web::db(state, f).await {
        Err(EditError::NotFound(what)) => Err(AppError::NotFound {
            what: format!("such {what}"),
        }),
        Err(EditError::Db(e)) => Err(AppError::db(e)),
        other => Ok(other),
    }
}

/// Who saved a record last, and when: the newest audit event about it.
pub async fn last_change(
    state: &AppState,
    entity: &'static str,
    id: i32,
) -> Result<Option<(NaiveDateTime, String)>, AppError> {
    let newest = blocking(state, move |conn| {
        crate::audit::recent_changes(conn, entity, id, 1)
    })
    .await?;
    Ok(newest.into_iter().next().map(|e| (e.occurred_at, e.actor)))
}

/// The notice of a refused stale save on a vendor-level form (certification, evidence, retire):
/// what others saved since the form was opened, each with the fields it changed.
pub async fn stale_vendor_notice(
    state: &AppState,
    vendor_id: i32,
    (current, expected): (i32, i32),
) -> Result<Markup, AppError> {
    let missed = i64::from((current - expected).clamp(1, 10));
    let rows = blocking(state, move |conn| {
        crate::audit::recent_changes(conn, "vendor", vendor_id, missed)
    })
    .await?;
    Ok(form::stale_vendor_notice(&rows))
}

/// An optional value as a person reads it, empty for none.
pub fn shown<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}
