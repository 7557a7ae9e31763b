//! The dashboard: what needs a privacy officer's attention, across organisations. The handler
//! works out the list; this page shows it.

use chrono::NaiveDate;
use maud::{Markup, html};

use crate::audit::Summary;
use crate::auth::sessions::Session;
use crate::registry::intake::PendingSummary;
use crate::registry::objection::Open;
use crate::registry::{Registry, Transfer, Vendor};
use crate::rules::Assessment;
use crate::web::views::table::Table;
use crate::web::views::{country_name, layout, verdict_badge};

/// One transfer that needs attention.
pub struct Item<'a> {
    pub registry: &'a Registry,
    pub vendor: &'a Vendor,
    pub transfer: &'a Transfer,
    pub assessment: Assessment<'static>,
}

/// A review due soon: (organisation, due on, what to do, where to do it).
pub type Review = (String, NaiveDate, String, Option<String>);

/// What needs attention, each list as the page shows it.
pub struct Attention<'a> {
    /// Most severe first.
    pub flagged: Vec<&'a Item<'a>>,
    pub critical: usize,
    pub without_tia: Vec<&'a Item<'a>>,
    pub without_dpa: Vec<(&'a Registry, &'a Vendor)>,
    pub reviews: Vec<Review>,
    /// Whether the reader may edit (links go to the forms).
    pub editor: bool,
}

pub fn dashboard_page(
    session: &Session,
    need: &Attention,
    pending: &[PendingSummary],
    recent: &[Summary],
    today: NaiveDate,
    (objections, mail_enabled): (&[Open], bool),
) -> Markup {
    layout(
        "Workspace",
        html! {},
        html! {
            (super::bar(session, "/workspace"))
            h1 { "What needs attention" }
            @if !mail_enabled {
                p.warning role="status" {
                    "Mail is not configured: nobody can subscribe, objectors cannot confirm, and no notice is sent by e-mail "
                    "(start the service with --smtp-url and --mail-from). Webhooks are still delivered."
                }
            }
            dl.summary {
                div.flagged { dt { "Flagged transfers" } dd { (need.flagged.len()) " (" (need.critical) " critical)" } }
                div { dt { "No transfer impact assessment" } dd { (need.without_tia.len()) } }
                div { dt { "Vendors without a DPA" } dd { (need.without_dpa.len()) } }
                div { dt { "Reviews due in 30 days" } dd { (need.reviews.len()) } }
                div { dt { "Pending intake requests" } dd { (pending.len()) } }
                div { dt { "Open objections" } dd { (objections.len()) } }
            }
            section aria-labelledby="flagged-title" {
                h2 #flagged-title { "Flagged transfers, most severe first" }
                @if need.flagged.is_empty() { p { "None." } }
                @else {
                    (Table::new("vendors", html! { "Transfers with no valid safeguard, or resting on a derogation, on " (today) }, &["Organisation", "Vendor", "Destination", "Verdict and reason"]).render(html! {
                        @for i in &need.flagged {
                            tr {
                                td data-label="Organisation" { (i.registry.organisation.name) }
                                th scope="row" data-label="Vendor" { a href={ "/workspace/" (i.registry.organisation.slug) "/vendors/" (i.vendor.key) } { (i.vendor.name) } }
                                td data-label="Destination" {
                                    @match i.transfer.country { Some(c) => (country_name(c)), None => (i.transfer.location.as_deref().unwrap_or("Not named")) }
                                }
                                td data-label="Verdict" { (verdict_badge(&i.assessment)) p.reason { (i.assessment.reason) } }
                            }
                        }
                    }))
                }
            }
            section aria-labelledby="tia-title" {
                h2 #tia-title { "Safeguarded transfers with no transfer impact assessment" }
                @if need.without_tia.is_empty() { p { "None." } }
                ul { @for i in &need.without_tia { li { (i.registry.organisation.name) ": " a href={ "/workspace/" (i.registry.organisation.slug) "/vendors/" (i.vendor.key) } { (i.vendor.name) } " — " (i.assessment.mechanism.unwrap_or("")) } } }
            }
            section aria-labelledby="dpa-title" {
                h2 #dpa-title { "Vendors with no DPA on record" }
                @if need.without_dpa.is_empty() { p { "None." } }
                ul { @for (r, v) in &need.without_dpa { li { (r.organisation.name) ": " a href={ "/workspace/" (r.organisation.slug) "/vendors/" (v.key) @if need.editor { "/edit" } } { (v.name) } } } }
            }
            section aria-labelledby="reviews-title" {
                h2 #reviews-title { "Reviews due in the next 30 days" }
                @if need.reviews.is_empty() { p { "None." } }
                ul {
                    @for (org, due, what, href) in &need.reviews {
                        li {
                            time datetime=(due) { (due) } " — " (org) ": "
                            @match href { Some(href) => a href=(href) { (what) }, None => (what) }
                        }
                    }
                }
            }
            section aria-labelledby="intake-title" {
                h2 #intake-title { "Pending intake requests" }
                @if pending.is_empty() { p { "None." } }
                ul { @for p in pending { li { "#" (p.id) " " (p.vendor_name) " for " (p.organisation) ", asked by " (p.requester) " on " (p.created_at.format("%Y-%m-%d")) } } }
            }
            section aria-labelledby="objections-title" {
                h2 #objections-title { "Open objections, soonest deadline first" }
                @if objections.is_empty() { p { "None." } }
                @else {
                    (Table::new("vendors", html! { "Objections to announced changes with no outcome yet, on " (today) }, &["Organisation", "Change", "From", "Deadline", "Outcome"]).render(html! {
                        @for o in objections {
                            tr {
                                th scope="row" data-label="Organisation" { (o.organisation) }
                                td data-label="Change" { (o.summary) }
                                td data-label="From" { (o.objection.name) ", " (o.objection.company) p.reason { (o.objection.reason) } }
                                td data-label="Deadline" {
                                    (o.deadline)
                                    @let left = (o.deadline - today).num_days();
                                    @if left > 0 { " (" (left) @if left == 1 { " day" } @else { " days" } " left)" } @else { " (in effect)" }
                                }
                                td data-label="Outcome" { a href={ "/workspace/" (o.organisation) "/objections/" (o.objection.id) } { "Record the outcome of objection " (o.objection.id) } }
                            }
                        }
                    }))
                }
            }
            section aria-labelledby="recent-title" {
                h2 #recent-title { "Recent changes" }
                @if recent.is_empty() { p { "None." } }
                ul { @for e in recent { li { (e.occurred_at.format("%Y-%m-%d %H:%M")) " — " (e.actor) " " (e.action) " " (e.entity) } } }
            }
        },
    )
}
