//! The dashboard: what needs a privacy officer's attention, across organisations.

use actix_web::{HttpResponse, web};
use chrono::{Duration, NaiveDate};
use maud::{Markup, html};

use super::SignedIn;
use crate::audit;
use crate::date::today;
use crate::db::{DbConnection, DbError};
use crate::registry::intake::{self, PendingSummary};
use crate::registry::{Registry, VendorStatus, organisation};
use crate::rules::{Assessment, RuleSet, Severity, Verdict};
use crate::web::error::{AppError, Audience};
use crate::web::views::{country_name, layout, verdict_badge};
use crate::web::{AppState, blocking};

struct Data {
    registries: Vec<Registry>,
    pending: Vec<PendingSummary>,
    recent: Vec<audit::Summary>,
}

fn gather(conn: &mut DbConnection) -> Result<Data, DbError> {
    Ok(Data {
        registries: organisation::registries(conn)?,
        pending: intake::pending_summaries(conn)?,
        recent: audit::latest(conn, 10)?,
    })
}

/// One transfer that needs attention.
struct Item<'a> {
    registry: &'a Registry,
    vendor: &'a crate::registry::Vendor,
    transfer: &'a crate::registry::Transfer,
    assessment: Assessment<'static>,
}

pub async fn dashboard(
    signed_in: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let data = blocking(&state, Audience::Html, gather).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(page(&signed_in, &data, state.rules, today()).into_string()))
}

fn page(signed_in: &SignedIn, data: &Data, rules: &'static RuleSet, today: NaiveDate) -> Markup {
    let editor = signed_in.0.user.role >= crate::auth::users::Role::Editor;
    let soon = today + Duration::days(30);
    let mut items: Vec<Item> = Vec::new();
    for registry in &data.registries {
        // Upcoming and proposed vendors too: their transfers need fixing before they start.
        for vendor in registry
            .vendors
            .iter()
            .filter(|v| v.retired_from.is_none_or(|d| d > today))
        {
            for transfer in &vendor.transfers {
                let assessment =
                    vendor.assess(transfer, registry.organisation.country, rules, today);
                items.push(Item {
                    registry,
                    vendor,
                    transfer,
                    assessment,
                });
            }
        }
    }
    let mut flagged: Vec<&Item> = items.iter().filter(|i| i.assessment.flagged).collect();
    flagged.sort_by_key(|i| std::cmp::Reverse(i.assessment.severity));
    let critical = flagged
        .iter()
        .filter(|i| i.assessment.severity == Severity::Critical)
        .count();
    let without_tia: Vec<&Item> = items
        .iter()
        .filter(|i| i.assessment.verdict == Verdict::Safeguarded && i.transfer.tia_on.is_none())
        .collect();
    let without_dpa: Vec<_> = data
        .registries
        .iter()
        .flat_map(|r| r.vendors.iter().map(move |v| (r, v)))
        .filter(|(_, v)| v.status != VendorStatus::Retired && v.dpa_signed_on.is_none())
        .collect();
    // Reviews: a framework certification checked more than a year ago, and changes taking effect soon.
    let reviews: Vec<(String, NaiveDate, String, Option<String>)> = data
        .registries
        .iter()
        .flat_map(|r| {
            let certifications = r.vendors.iter().flat_map(move |v| {
                v.certifications.iter().filter_map(move |c| {
                    let due = c.verified_on + Duration::days(365);
                    (due <= soon && c.until.is_none_or(|u| u > today)).then(|| {
                        (
                            r.organisation.name.clone(),
                            due,
                            format!("re-check {}'s {} certification", v.name, c.framework),
                            // Editors go straight to the form; viewers to the vendor.
                            Some(match editor {
                                true => format!(
                                    "/workspace/{}/vendors/{}/certifications/{}",
                                    r.organisation.slug, v.key, c.id
                                ),
                                false => {
                                    format!("/workspace/{}/vendors/{}", r.organisation.slug, v.key)
                                }
                            }),
                        )
                    })
                })
            });
            let changes = r
                .changes
                .iter()
                .filter(move |c| c.effective_on > today && c.effective_on <= soon)
                .map(move |c| {
                    let vendor = r.vendors.iter().find(|v| c.vendor_id == Some(v.id));
                    (
                        r.organisation.name.clone(),
                        c.effective_on,
                        format!("takes effect: {}", c.summary),
                        vendor.map(|v| {
                            format!("/workspace/{}/vendors/{}", r.organisation.slug, v.key)
                        }),
                    )
                });
            certifications.chain(changes)
        })
        .collect();

    layout(
        "Workspace",
        html! {},
        html! {
            (super::workspace_bar(signed_in, "/workspace"))
            h1 { "What needs attention" }
            dl.summary {
                div.flagged { dt { "Flagged transfers" } dd { (flagged.len()) " (" (critical) " critical)" } }
                div { dt { "No transfer impact assessment" } dd { (without_tia.len()) } }
                div { dt { "Vendors without a DPA" } dd { (without_dpa.len()) } }
                div { dt { "Reviews due in 30 days" } dd { (reviews.len()) } }
                div { dt { "Pending intake requests" } dd { (data.pending.len()) } }
            }
            section aria-labelledby="flagged-title" {
                h2 #flagged-title { "Flagged transfers, most severe first" }
                @if flagged.is_empty() { p { "None." } }
                @else {
                    table.vendors {
                        caption { "Transfers with no valid safeguard, or resting on a derogation, on " (today) }
                        thead { tr { th scope="col" { "Organisation" } th scope="col" { "Vendor" } th scope="col" { "Destination" } th scope="col" { "Verdict and reason" } } }
                        tbody {
                            @for i in &flagged {
                                tr {
                                    td data-label="Organisation" { (i.registry.organisation.name) }
                                    th scope="row" data-label="Vendor" { a href={ "/workspace/" (i.registry.organisation.slug) "/vendors/" (i.vendor.key) } { (i.vendor.name) } }
                                    td data-label="Destination" {
                                        @match i.transfer.country { Some(c) => (country_name(c)), None => (i.transfer.location.as_deref().unwrap_or("Not named")) }
                                    }
                                    td data-label="Verdict" { (verdict_badge(&i.assessment)) p.reason { (i.assessment.reason) } }
                                }
                            }
                        }
                    }
                }
            }
            section aria-labelledby="tia-title" {
                h2 #tia-title { "Safeguarded transfers with no transfer impact assessment" }
                @if without_tia.is_empty() { p { "None." } }
                ul { @for i in &without_tia { li { (i.registry.organisation.name) ": " a href={ "/workspace/" (i.registry.organisation.slug) "/vendors/" (i.vendor.key) } { (i.vendor.name) } " — " (i.assessment.mechanism.unwrap_or("")) } } }
            }
            section aria-labelledby="dpa-title" {
                h2 #dpa-title { "Vendors with no DPA on record" }
                @if without_dpa.is_empty() { p { "None." } }
                ul { @for (r, v) in &without_dpa { li { (r.organisation.name) ": " a href={ "/workspace/" (r.organisation.slug) "/vendors/" (v.key) @if editor { "/edit" } } { (v.name) } } } }
            }
            section aria-labelledby="reviews-title" {
                h2 #reviews-title { "Reviews due in the next 30 days" }
                @if reviews.is_empty() { p { "None." } }
                ul {
                    @for (org, due, what, href) in &reviews {
                        li {
                            time datetime=(due) { (due) } " — " (org) ": "
                            @match href { Some(href) => a href=(href) { (what) }, None => (what) }
                        }
                    }
                }
            }
            section aria-labelledby="intake-title" {
                h2 #intake-title { "Pending intake requests" }
                @if data.pending.is_empty() { p { "None." } }
                ul { @for p in &data.pending { li { "#" (p.id) " " (p.vendor_name) " for " (p.organisation) ", asked by " (p.requester) " on " (p.created_at.format("%Y-%m-%d")) } } }
            }
            section aria-labelledby="recent-title" {
                h2 #recent-title { "Recent changes" }
                @if data.recent.is_empty() { p { "None." } }
                ul { @for e in &data.recent { li { (e.occurred_at.format("%Y-%m-%d %H:%M")) " — " (e.actor) " " (e.action) " " (e.entity) } } }
            }
        },
    )
}
