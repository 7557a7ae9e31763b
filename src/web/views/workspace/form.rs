//! What the workspace's forms are made of: a labelled field keeping what was typed with its
//! error, the error summary, the notices of a refused or stale save, and the page of one record
//! form around them.

use chrono::NaiveDateTime;
use maud::{Markup, html};

use crate::audit::Entry;
use crate::auth::sessions::Session;
use crate::web::error::FieldError;
use crate::web::views::layout;
use crate::web::workspace::forms::Form;

fn error_id(field: &str) -> String {
    format!("{}-error", field.replace(['.', '[', ']'], "-"))
}

/// The errors of one field, in the one element its control's `aria-describedby` names.
pub fn field_error(errors: &[FieldError], field: &str) -> Markup {
    let messages: Vec<&str> = errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.as_str())
        .collect();
    html! {
        @if !messages.is_empty() {
            p.form-error id=(error_id(field)) { (messages.join("; ")) }
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

/// An optional [`input`] with a line of help under it, which the field names as its description.
pub fn input_with_help(
    form: &Form,
    errors: &[FieldError],
    (name, label): (&str, &str),
    kind: &str,
    help: &str,
) -> Markup {
    let help_id = format!("{name}-help");
    let error = described_by(errors, name);
    let described: Vec<String> = std::iter::once(help_id.clone())
        .chain(error.clone())
        .collect();
    html! {
        div.field {
            label for=(name) { (label) }
            input id=(name) name=(name) type=(kept_type(errors, name, kind)) value=(form.get(name))
                aria-invalid=[error.as_ref().map(|_| "true")] aria-describedby=(described.join(" "));
            p.help id=(help_id) { (help) }
            (field_error(errors, name))
        }
    }
}

/// When a change takes effect: a date (left blank, as soon as the notice rules allow: today, or
/// the end of the notice period for what widens sharing), the reason an urgent change cannot
/// wait, and the reason a correction dates back to a past day. Both reasons are published.
pub fn timing_fields(
    form: &Form,
    errors: &[FieldError],
    date: Option<&str>,
    urgent: bool,
) -> Markup {
    html! {
        fieldset #timing {
            legend { "When it takes effect" }
            @if let Some(label) = date { (input(form, errors, ("effective_on", label), "date", false)) }
            @if urgent {
                (textarea(form, errors, ("urgent_reason", "Urgent change: why it cannot wait for the notice period (published)")))
            }
            (textarea(form, errors, ("correction_reason", "Correction: why a past day is set right (published; needed for a date in the past)")))
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

/// Where an error's field is in a rendered form: the id its link targets (the field's own
/// control, or the group it belongs to) and the position of that control in the form.
fn place_in(form: &str, field: &str) -> Option<(usize, String)> {
    let group = field.split(['.', '[']).next().unwrap_or(field);
    [field, group].into_iter().find_map(|id| {
        form.find(&format!(" id=\"{id}\""))
            .map(|at| (at, id.to_string()))
    })
}

/// The summary at the top of a refused form (the GOV.UK pattern): every error in the order of
/// the fields in `form` (the rendered fields, so no list of fields is kept twice), each linking
/// to its control. An error about no field of the form comes first, as text.
pub fn error_summary(what: &str, errors: &[FieldError], form: &Markup) -> Markup {
    let mut placed: Vec<(Option<(usize, String)>, &FieldError)> = errors
        .iter()
        .map(|e| (place_in(&form.0, &e.field), e))
        .collect();
    placed.sort_by_key(|(place, _)| place.as_ref().map(|(at, _)| *at));
    html! {
        @if !errors.is_empty() {
            div.form-error.error-summary #error-summary role="alert" aria-labelledby="error-summary-title" {
                h2 #error-summary-title { "There is a problem" }
                p { (what) " was not saved." }
                ul {
                    @for (place, e) in &placed {
                        @match place {
                            Some((_, id)) => li { a href={ "#" (id) } { (e.message) } },
                            None => li { (e.message) },
                        }
                    }
                }
            }
        }
    }
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

/// The notice of a refused stale save on a vendor-level form (certification, evidence, retire):
/// what others saved since the form was opened (`missed`), each with the fields it changed.
pub fn stale_vendor_notice(missed: &[Entry]) -> Markup {
    html! {
        div.form-error.stale role="alert" {
            h2 { "Someone else changed this vendor while you were editing" }
            p { "Nothing was saved. Their changes since you opened the form:" }
            (super::audit::changes_list(missed))
            p { "Your input is kept below, on the saved version: save again to apply it." }
        }
    }
}

/// A refusal that belongs to no one field, shown above the form.
pub fn refusal(message: &str) -> Markup {
    html! { div.form-error role="alert" { p { "Nothing was saved: " (message) } } }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() { "(none)" } else { s }
}

/// The page of one record form, as every vendor form has it: the workspace bar, the way back to
/// the vendor, the title, a notice (an explanation, a stale edit, a refusal), the error summary,
/// then the form with its CSRF token and the version it was opened on.
pub struct FormPage<'a> {
    pub session: &'a Session,
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
        layout(
            self.title,
            html! {},
            html! {
                (super::bar(self.session, "/workspace/vendors"))
                @if let Some((href, name)) = self.back { p { a href=(href) { "Back to " (name) } } }
                h1 { (self.title) }
                (notice)
                (error_summary(self.what, errors, &fields))
                form.stacked method="post" action=(self.action) novalidate {
                    input type="hidden" name="csrf" value=(self.session.csrf_token);
                    @if let Some(version) = version { input type="hidden" name="version" value=(version); }
                    (fields)
                    button type="submit" { (self.submit) }
                }
            },
        )
    }
}
