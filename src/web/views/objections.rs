//! The public objection form of an announced change, and its answers.

use maud::{Markup, html};

use super::subscriptions::answer_page;
use super::workspace::form::{error_summary, input, textarea};
use crate::web::error::FieldError;
use crate::web::workspace::forms::Form;

/// What the form needs to say of the change.
pub struct Objected<'a> {
    pub slug: &'a str,
    pub organisation: &'a str,
    pub change_id: i32,
    pub summary: &'a str,
    pub effective_on: chrono::NaiveDate,
}

impl<'a> Objected<'a> {
    pub fn new(slug: &'a str, organisation: &'a str, change: &'a crate::registry::Change) -> Self {
        Objected {
            slug,
            organisation,
            change_id: change.id,
            summary: &change.summary,
            effective_on: change.effective_on,
        }
    }
}

/// The form, refilled with `form` and its `errors`; `mail_enabled` false says how else to object.
pub fn objection_page(
    c: &Objected,
    (form, errors): (&Form, &[FieldError]),
    mail_enabled: bool,
    contact: Option<&str>,
) -> Markup {
    let title = format!("Object to a change of {}'s sub-processors", c.organisation);
    let company = format!("Your company (the customer of {})", c.organisation);
    answer_page(
        &title,
        c.slug,
        html! {
            blockquote { (c.summary) }
            p { "It takes effect on " strong { (c.effective_on) } ". Objections are open until the day before." }
            @if mail_enabled {
                @let form_markup = html! {
                    form.stacked method="post" action={ "/" (c.slug) "/changes/" (c.change_id) "/object" } novalidate {
                        (input(form, errors, ("name", "Your name"), "text", true))
                        (input(form, errors, ("company", &company), "text", true))
                        (input(form, errors, ("email", "Your e-mail address (we send a link to confirm)"), "email", true))
                        (textarea(form, errors, ("reason", "Why you object (required)")))
                        button type="submit" { "Object" }
                    }
                };
                (error_summary("The objection", errors, &form_markup))
                (form_markup)
            } @else {
                p { "This site sends no e-mail, so it cannot confirm an objection made here. "
                    @match contact {
                        Some(c) => { "Write to " (c) " before that day." }
                        None => { "Write to the organisation before that day." }
                    }
                }
            }
        },
    )
}
