//! E-mail notice of an organisation's changes: the sign-up form on its list, and the pages that
//! answer the sign-up, the confirmation link and the unsubscribe link.

use maud::{Markup, html};

use super::layout;
use super::workspace::form::error_summary;
use crate::values::FieldError;

/// The sign-up form (or, with no mail server, why there is none); `typed` and `error` refill it.
pub fn subscribe_form(slug: &str, mail_enabled: bool, typed: &str, error: Option<&str>) -> Markup {
    html! {
        section.subscribe aria-labelledby="subscribe-title" {
            h2 #subscribe-title { "Notice of changes by e-mail" }
            @if mail_enabled {
                p {
                    "Get each change by e-mail on the day it is announced, before it takes effect, "
                    "with how to object. We send a link to confirm first; every message has an unsubscribe link. "
                    "Your address is never published."
                }
                @let form = html! {
                    form.subscribe method="post" action={ "/" (slug) "/subscribe" } novalidate {
                        div.field {
                            label for="subscribe-email" { "E-mail address" }
                            input #subscribe-email type="email" name="email" autocomplete="email" value=(typed)
                                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| "subscribe-email-error")];
                            @if let Some(e) = error { p.field-error #subscribe-email-error { (e) } }
                        }
                        button type="submit" { "Subscribe" }
                    }
                };
                @if let Some(e) = error {
                    (error_summary("Your subscription", &[FieldError::new("subscribe-email", e)], &form))
                }
                (form)
            } @else {
                p { "This site sends no e-mail, so subscriptions are not available: follow the "
                    a href={ "/" (slug) "/subprocessors.atom" } { "Atom feed" } " instead." }
            }
        }
    }
}

/// A short page that answers one step (a sign-up, a confirmation, an unsubscription).
pub fn answer_page(title: &str, slug: &str, body: Markup) -> Markup {
    layout(
        title,
        html! {},
        html! {
            h1 { (title) }
            (body)
            p { a href={ "/" (slug) "/subprocessors" } { "Back to the list of sub-processors" } }
        },
    )
}

/// The page of an unsubscribe link: a button, since a link followed by a mail scanner must not
/// unsubscribe anyone (one-click clients POST to the same address, RFC 8058).
pub fn unsubscribe_page(slug: &str, organisation: &str, token: &str) -> Markup {
    answer_page(
        &format!("Unsubscribe from {organisation}'s changes"),
        slug,
        html! {
            form method="post" action={ "/" (slug) "/unsubscribe?token=" (token) } {
                p { "You will get no more e-mail about " (organisation) "'s sub-processors." }
                button type="submit" { "Unsubscribe" }
            }
        },
    )
}
