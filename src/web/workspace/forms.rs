//! What the workspace's forms share: reading a posted form, showing an error next to its field,
//! the role check, running an edit, and the page shown when someone else saved first.

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use chrono::{NaiveDate, NaiveDateTime};
use maud::{Markup, html};

use super::SignedIn;
use crate::date::parse_date;
use crate::db::DbConnection;
use crate::registry::EditError;
use crate::registry::{Organisation, Registry, Vendor, organisation, vendor};
use crate::web::error::{AppError, Audience, FieldError};
use crate::web::{AppState, blocking};

pub const HTML: Audience = Audience::Html;

/// A submitted form, keeping repeated fields (checkboxes) and their order.
pub struct Form(pub Vec<(String, String)>);

impl Form {
    pub fn parse(body: &[u8]) -> Result<Self, AppError> {
        serde_urlencoded::from_bytes(body)
            .map(Form)
            .map_err(|e| AppError::BadParameter {
                name: "form".into(),
                problem: e.to_string(),
                audience: HTML,
            })
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

    /// A date the form cannot do without.
    pub fn required_date(&self, name: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
        if self.opt(name).is_none() {
            errors.push(FieldError {
                field: name.into(),
                message: "enter a date (YYYY-MM-DD)".into(),
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

fn error_id(field: &str) -> String {
    format!("{}-error", field.replace(['.', '[', ']'], "-"))
}

/// The errors of one field, tied to its control by `described_by`.
pub fn field_error(errors: &[FieldError], field: &str) -> Markup {
    html! {
        @for e in errors.iter().filter(|e| e.field == field) {
            p.form-error id=(error_id(field)) { (e.message) }
        }
    }
}

pub fn described_by(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .any(|e| e.field == field)
        .then(|| error_id(field))
}

/// `aria-invalid` for a control whose field has an error (written out where `input` does not fit).
pub fn invalid(errors: &[FieldError], field: &str) -> Option<&'static str> {
    errors.iter().any(|e| e.field == field).then_some("true")
}

/// A labelled text-like input keeping what was typed, with its error.
pub fn input(
    form: &Form,
    errors: &[FieldError],
    (name, label): (&str, &str),
    kind: &str,
    required: bool,
) -> Markup {
    let described = described_by(errors, name);
    html! {
        div.field {
            label for=(name) { (label) @if required { " (required)" } }
            input id=(name) name=(name) type=(kept_type(errors, name, kind)) value=(form.get(name)) required[required]
                aria-invalid=[described.as_ref().map(|_| "true")] aria-describedby=[described];
            (field_error(errors, name))
        }
    }
}

/// The input type that can hold what was typed: a refused date or address goes back in a text
/// field, since a date or url field cannot hold (or show) an invalid value.
pub fn kept_type<'a>(errors: &[FieldError], name: &str, kind: &'a str) -> &'a str {
    if errors.iter().any(|e| e.field == name) {
        "text"
    } else {
        kind
    }
}

/// A labelled textarea keeping what was typed, with its error.
pub fn textarea(form: &Form, errors: &[FieldError], (name, label): (&str, &str)) -> Markup {
    let described = described_by(errors, name);
    html! {
        div.field {
            label for=(name) { (label) }
            textarea id=(name) name=(name) rows="3"
                aria-invalid=[described.as_ref().map(|_| "true")] aria-describedby=[described] { (form.get(name)) }
            (field_error(errors, name))
        }
    }
}

/// The summary at the top of a refused form, each error linking to its field.
pub fn error_summary(what: &str, errors: &[FieldError]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.form-error role="alert" {
                p { (what) " was not saved: " (errors.len()) " field(s) need attention." }
                ul {
                    @for e in errors {
                        li { a href={ "#" (e.field.split(['.', '[']).next().unwrap_or("")) } { (e.field) } ": " (e.message) }
                    }
                }
            }
        }
    }
}

pub fn html_page(markup: Markup) -> HttpResponse {
    page(StatusCode::OK, markup)
}

pub fn page(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(markup.into_string())
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
    crate::web::registry(state, slug, HTML).await
}

pub fn find_vendor<'r>(registry: &'r Registry, key: &str) -> Result<&'r Vendor, AppError> {
    registry
        .vendors
        .iter()
        .find(|v| v.key == key)
        .ok_or_else(|| AppError::NotFound {
            what: format!("vendor '{key}'"),
            audience: HTML,
        })
}

/// The organisation a form is about, or a 404 naming it.
pub async fn organisation(state: &AppState, slug: &str) -> Result<Organisation, AppError> {
    let wanted = slug.to_string();
    blocking(state, HTML, move |conn| organisation::find(conn, &wanted))
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: format!("organisation '{slug}'"),
            audience: HTML,
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
    let found = blocking(state, HTML, move |conn| {
        let Some(org) = organisation::find(conn, &s)? else {
            return Ok(None);
        };
        let vendor = vendor::find_in(conn, org.id, &k)?;
        Ok(Some((org, vendor)))
    })
    .await?;
    let missing = |what: String| AppError::NotFound {
        what,
        audience: HTML,
    };
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
            audience: HTML,
        }),
        Err(EditError::Db(e)) => Err(AppError::db(e, HTML)),
        other => Ok(other),
    }
}

/// Who saved a record last, and when: the newest audit event about it.
pub async fn last_change(
    state: &AppState,
    entity: &'static str,
    id: i32,
) -> Result<Option<(NaiveDateTime, String)>, AppError> {
    let newest = blocking(state, HTML, move |conn| {
        crate::audit::recent_changes(conn, entity, id, 1)
    })
    .await?;
    Ok(newest.into_iter().next().map(|e| (e.occurred_at, e.actor)))
}

/// A labelled value of a record, as a person reads it.
pub type Shown = (&'static str, String);

/// The notice of a refused stale edit: which fields the saved record now has differently from
/// the edit, side by side. Nothing was saved; the form below keeps the edit.
pub fn stale_notice(
    what: &str,
    saved: &[Shown],
    yours: &[Shown],
    last: Option<&(NaiveDateTime, String)>,
) -> Markup {
    let differing: Vec<(&str, &str, &str)> = saved
        .iter()
        .zip(yours)
        .filter(|((_, a), (_, b))| a != b)
        .map(|((label, a), (_, b))| (*label, a.as_str(), b.as_str()))
        .collect();
    html! {
        div.form-error.stale role="alert" {
            h2 { "Someone else changed this " (what) " while you were editing" }
            p {
                "Nothing was saved."
                @if let Some((at, actor)) = last { " The last change was saved by " strong { (actor) } " at " (at.format("%Y-%m-%d %H:%M")) " UTC." }
            }
            @if differing.is_empty() {
                p { "The saved " (what) " already matches your edit in every field shown." }
            } @else {
                table {
                    caption { "Fields where the saved " (what) " differs from your edit" }
                    thead { tr { th scope="col" { "Field" } th scope="col" { "Saved now" } th scope="col" { "Your edit" } } }
                    tbody {
                        @for (label, saved, yours) in &differing {
                            tr { th scope="row" { (label) } td { (or_none(saved)) } td { (or_none(yours)) } }
                        }
                    }
                }
            }
            p { "Your edit is kept in the form below. Save again to replace the saved values with yours, or open the " (what) " again to start from the saved one." }
        }
    }
}

/// The page of one record form, as every vendor form has it: the workspace bar, the way back to
/// the vendor, the title, a notice (an explanation, a stale edit, a refusal), the error summary,
/// then the form with its CSRF token and the version it was opened on.
pub struct FormPage<'a> {
    pub signed_in: &'a SignedIn,
    pub title: &'a str,
    /// (href, name) of the vendor.
    pub back: Option<(&'a str, &'a str)>,
    pub action: &'a str,
    /// "The transfer", for the summary: "The transfer was not saved".
    pub what: &'a str,
    pub submit: &'a str,
}

impl FormPage<'_> {
    pub fn render(
        &self,
        version: Option<&str>,
        errors: &[FieldError],
        notice: Markup,
        fields: Markup,
    ) -> Markup {
        crate::web::views::layout(
            self.title,
            html! {},
            html! {
                (super::workspace_bar(self.signed_in, "/workspace/vendors"))
                @if let Some((href, name)) = self.back { p { a href=(href) { "Back to " (name) } } }
                h1 { (self.title) }
                (notice)
                (error_summary(self.what, errors))
                form.stacked method="post" action=(self.action) novalidate {
                    input type="hidden" name="csrf" value=(self.signed_in.0.csrf_token);
                    @if let Some(version) = version { input type="hidden" name="version" value=(version); }
                    (fields)
                    button type="submit" { (self.submit) }
                }
            },
        )
    }
}

/// The notice of a refused stale save on a vendor-level form (certification, evidence, retire):
/// what others saved since the form was opened, each with the fields it changed.
pub async fn stale_vendor_notice(
    state: &AppState,
    vendor_id: i32,
    (current, expected): (i32, i32),
) -> Result<Markup, AppError> {
    let missed = i64::from((current - expected).clamp(1, 10));
    let rows = blocking(state, HTML, move |conn| {
        crate::audit::recent_changes(conn, "vendor", vendor_id, missed)
    })
    .await?;
    Ok(html! {
        div.form-error.stale role="alert" {
            h2 { "Someone else changed this vendor while you were editing" }
            p { "Nothing was saved. Their changes since you opened the form:" }
            (crate::web::views::workspace::audit::changes_list(&rows))
            p { "Your input is kept below, on the saved version: save again to apply it." }
        }
    })
}

/// A refusal that belongs to no one field, shown above the form.
pub fn refusal(message: &str) -> Markup {
    html! { div.form-error role="alert" { p { "Nothing was saved: " (message) } } }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() { "(none)" } else { s }
}

/// An optional value as a person reads it, empty for none.
pub fn shown<T: std::fmt::Display>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}
