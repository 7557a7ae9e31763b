//! An objection to an announced change, and the form that records its outcome.

use maud::{Markup, html};

use super::form::{FormPage, field_error, textarea};
use crate::auth::sessions::Session;
use crate::registry::objection::{Objection, Outcome};
use crate::web::error::FieldError;
use crate::web::workspace::forms::Form;

pub fn objection_page(
    session: &Session,
    (slug, objection, summary): (&str, &Objection, &str),
    form: &Form,
    errors: &[FieldError],
    notice: Markup,
) -> Markup {
    let title = format!("Objection {} from {}", objection.id, objection.name);
    let action = format!("/workspace/{slug}/objections/{}", objection.id);
    FormPage {
        session,
        title: &title,
        back: Some(("/workspace", "the dashboard")),
        action: &action,
        what: "The outcome",
        submit: "Record the outcome and tell the objector",
    }
    .render(
        None,
        errors,
        html! {
            dl.organisation {
                div { dt { "Change" } dd { (summary) } }
                div { dt { "From" } dd { (objection.name) ", " (objection.company) " (" (objection.email) ")" } }
                div { dt { "Received" } dd { (objection.created_at.format("%Y-%m-%d %H:%M")) " (" (objection.filed_by) ")" } }
                div { dt { "Reason" } dd { (objection.reason) } }
                @if let Some(outcome) = &objection.outcome {
                    div { dt { "Outcome" } dd { (outcome) ": " (objection.outcome_note.as_deref().unwrap_or("")) } }
                }
            }
            (notice)
        },
        html! {
            div.field {
                label for="outcome" { "Outcome (required)" }
                select #outcome name="outcome" {
                    option value="" { "Choose" }
                    @for o in <Outcome as strum::VariantArray>::VARIANTS {
                        option value=(o) selected[form.get("outcome") == o.to_string()] { (o) }
                    }
                }
                (field_error(errors, "outcome"))
            }
            (textarea(form, errors, ("note", "Note to the objector (required; sent by e-mail)")))
        },
    )
}
