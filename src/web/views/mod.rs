//! maud components: the page shell and the small pieces pages are made of.

mod index;
mod legend;
pub mod objections;
mod subprocessors;
pub mod subscriptions;
pub mod table;
pub mod workspace;

pub use index::organisations_page;
pub use subprocessors::{page_count, subprocessors_page, web_link};

use actix_web::http::StatusCode;
use maud::{DOCTYPE, Markup, html};

use crate::rules::{Assessment, CountryCode, RuleSet, Verdict};

/// The page shell: language, viewport, the stylesheet, a skip link, header and footer.
pub fn layout(title: &str, head_extra: Markup, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · crossborder" }
                link rel="stylesheet" href="/static/style.css";
                (head_extra)
            }
            body {
                a.skip href="#main" { "Skip to the content" }
                header.site {
                    a.brand href="/" { "crossborder" }
                    span.tagline { "Sub-processors and cross-border transfers" }
                }
                main #main tabindex="-1" { (body) }
                footer.site {
                    p {
                        "Verdicts are computed by crossborder from dated rules on transfers of personal data "
                        "(the EU's GDPR Chapter V and Directive 95/46/EC before it, the UK GDPR, the Swiss "
                        "FADP), the exporter's country and the date choosing which apply, each rule citing "
                        "its source. "
                        "They support a privacy officer's review; they are not legal advice."
                    }
                }
            }
        }
    }
}

pub fn error_page(status: StatusCode, title: &str, detail: &str) -> Markup {
    layout(
        title,
        html! {},
        html! {
            h1 { (title) }
            p.error-detail { (detail) }
            p { "Status " (status.as_u16()) ". " a href="/" { "Back to the organisations" } }
        },
    )
}

/// Never colour alone: a symbol and words, coloured as a bonus.
pub fn verdict_badge(a: &Assessment) -> Markup {
    badge(a, None)
}

/// A badge that is a link to the legend entry `#{legend}` of the page.
pub fn linked_verdict_badge(a: &Assessment, legend: &str) -> Markup {
    badge(a, Some(legend))
}

fn badge(a: &Assessment, legend: Option<&str>) -> Markup {
    let (symbol, class) = match a.verdict {
        Verdict::OutOfScope => ("ℹ", "info"),
        Verdict::IntraEea => ("✓", "ok"),
        Verdict::Adequate => ("✓", "ok"),
        Verdict::Safeguarded if a.flagged || a.severity == crate::rules::Severity::Warning => {
            ("✓", "warning")
        }
        Verdict::Safeguarded => ("✓", "ok"),
        Verdict::Domestic => ("✓", "ok"),
        Verdict::Unverified => ("?", "warning"),
        Verdict::Derogation => ("⚠", "warning"),
        Verdict::Unsafeguarded => ("✗", "critical"),
    };
    let words = html! {
        span aria-hidden="true" { (symbol) " " }
        (capitalised(a.verdict.label()))
        @if a.flagged { " — flagged, " (a.severity.as_str()) }
        @else if a.severity == crate::rules::Severity::Warning { " — warning" }
    };
    html! {
        @match legend {
            Some(id) => a class={ "verdict verdict-" (class) } href={ "#" (id) } { (words) },
            None => span class={ "verdict verdict-" (class) } { (words) },
        }
    }
}

pub fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

pub fn country_name(code: CountryCode) -> Markup {
    html! { (code.name()) " " span.code { "(" (code.as_str()) ")" } }
}

/// A mechanism's name from the rules data, or its id when the rules no longer know it.
pub fn mechanism_name(rules: &RuleSet, id: &str) -> String {
    rules.name_of(id)
}

/// A mechanism's name as the regime that assessed calls it (`dpf` is the UK Extension for a
/// UK exporter), else as [`mechanism_name`] does.
pub fn mechanism_name_in(rules: &RuleSet, regime: Option<&str>, id: &str) -> String {
    regime
        .and_then(|r| rules.regime(r))
        .zip(rules.mechanism_id(id).ok())
        .and_then(|(r, m)| r.mechanism(m).filter(|_| r.accepts(m)))
        .map(|m| m.short.clone())
        .unwrap_or_else(|| mechanism_name(rules, id))
}

/// The stylesheet, served by the app (no external CDN).
pub const STYLESHEET: &str = include_str!("../../../assets/style.css");
