//! The dashboard: what needs a privacy officer's attention, across organisations. The handler
//! works out the list; this page shows it.

use std::collections::HashMap;

use chrono::NaiveDate;
use maud::{Markup, html};

use crate::audit::Summary;
use crate::auth::sessions::Session;
use crate::registry::intake::PendingSummary;
use crate::registry::objection::Open;
use crate::registry::vendor::Named;
use crate::registry::{Registry, Transfer, Vendor};
use crate::rules::Assessment;
use crate::web::views::table::Table;
use crate::web::views::workspace::intake::PENDING_PAGE;
use crate::web::views::workspace::pager::{PAGE_SIZE, page_link_as};
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
    (recent, named): (&[Summary], &HashMap<(String, i32), Named>),
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
            @let overdue = need.reviews.iter().filter(|r| r.1 < today).count();
            // Each card leads to its section below, where each item links to its record.
            dl.summary {
                div.flagged { dt { a href="#flagged-title" { "Flagged transfers" } } dd { (need.flagged.len()) " (" (need.critical) " critical)" } }
                div { dt { a href="#tia-title" { "No transfer impact assessment" } } dd { (need.without_tia.len()) } }
                div { dt { a href="#dpa-title" { "Processors without a DPA" } } dd { (need.without_dpa.len()) } }
                div { dt { a href="#reviews-title" { "Reviews due in 30 days" } } dd { (need.reviews.len()) @if overdue > 0 { " (" strong.overdue { (overdue) " overdue" } ")" } } }
                div { dt { a href="#intake-title" { "Pending intake requests" } } dd { (pending.len()) } }
                div { dt { a href="#objections-title" { "Open objections" } } dd { (objections.len()) } }
                div { dt { a href="#recent-title" { "Recent changes" } } dd { (recent.len()) } }
            }
            section aria-labelledby="flagged-title" {
                h2 #flagged-title { "Flagged transfers, most severe first" }
                p { a href="/workspace/vendors?flagged=true" { "Every vendor with a flagged transfer" } }
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
                                td data-label="Verdict" { (verdict_badge(&i.assessment)) p.reason { (i.assessment.reason()) } }
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
                h2 #dpa-title { "Processors and sub-processors with no DPA on record" }
                p.note { "GDPR Art. 28(3): a processor works under a contract (the DPA). Independent and joint controllers are not counted." }
                @if need.without_dpa.is_empty() { p { "None." } }
                ul { @for (r, v) in &need.without_dpa { li { (r.organisation.name) ": " a href={ "/workspace/" (r.organisation.slug) "/vendors/" (v.key) @if need.editor { "/edit" } } { (v.name) } } } }
            }
            section aria-labelledby="reviews-title" {
                h2 #reviews-title { "Reviews due in the next 30 days" }
                @if need.reviews.is_empty() { p { "None." } }
                ul {
                    @for (org, due, what, href) in &need.reviews {
                        li {
                            @if *due < today { strong.overdue { "Overdue since " } }
                            time datetime=(due) { (due) } " — " (org) ": "
                            @match href { Some(href) => a href=(href) { (what) }, None => (what) }
                        }
                    }
                }
            }
            section aria-labelledby="intake-title" {
                h2 #intake-title { "Pending intake requests" }
                p { a href="/workspace/intake" { "Review the intake requests" } }
                @if pending.is_empty() { p { "None." } }
                // The intake page lists them in the same order, by pages: link to the right one.
                ul { @for (i, p) in pending.iter().enumerate() { li { a href={ (page_link_as("/workspace/intake", "", PENDING_PAGE, i / PAGE_SIZE + 1)) "#request-" (p.id) } { "#" (p.id) " " (p.vendor_name) } " for " (p.organisation) ", asked by " (p.requester) " on " (p.created_at.format("%Y-%m-%d")) } } }
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
                p { a href="/workspace/audit" { "The whole audit log" } }
                @if recent.is_empty() { p { "None." } }
                ul {
                    @for e in recent {
                        li {
                            (e.occurred_at.format("%Y-%m-%d %H:%M")) " — " (e.actor) " " (e.action.replace('_', " ")) " " (e.entity.replace('_', " "))
                            @if let Some(n) = e.entity_id.and_then(|id| named.get(&(e.entity.clone(), id))) { ": " (named_link(n)) }
                        }
                    }
                }
            }
        },
    )
}

/// The vendor an event is about, linked to its page (or, for a request no vendor came from
/// yet, to the intake review).
pub fn named_link(n: &Named) -> Markup {
    html! {
        @match &n.key {
            Some(key) => a href={ "/workspace/" (n.organisation) "/vendors/" (key) } { (n.name) },
            None => a href="/workspace/intake" { (n.name) " (intake request)" },
        }
    }
}
