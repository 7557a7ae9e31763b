//! The list of organisations.

use maud::{Markup, html};

use super::layout;
use crate::registry::Organisation;

pub fn organisations_page(organisations: &[Organisation]) -> Markup {
    layout(
        "Organisations",
        html! {},
        html! {
            h1 { "Organisations" }
            p { "Each organisation publishes its sub-processors and partners, where they handle personal data, and how each transfer is safeguarded." }
            @if organisations.is_empty() {
                p { "No organisation is registered yet." }
            } @else {
                ul.organisations {
                    @for o in organisations {
                        li {
                            a href={ "/" (o.slug) "/subprocessors" } { (o.name) }
                            " — " (o.legal_name) ", " (o.country.name())
                        }
                    }
                }
            }
        },
    )
}
