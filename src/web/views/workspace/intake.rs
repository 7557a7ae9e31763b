//! The intake review page: the pending requests, each with the assessment of what it asks, the
//! vendors on record it looks like, and its approve, attach and reject forms; the decided ones
//! below, by pages. The handlers that fill it are in `web::workspace::intake`.

use std::collections::HashMap;

use maud::{Markup, html};

use super::pager::{Pager, others, page_link_as, pager_nav};
use crate::audit::iso_time;
use crate::auth::sessions::Session;
use crate::auth::users::Role;
use crate::registry::DataCategory;
use crate::registry::intake::{APPROVED, Existing, IntakeDetail, PENDING, REJECTED};
use crate::registry::vendor::search::Sameness;
use crate::rules::{Assessment, CountryCode};
use crate::web::views::table::Table;
use crate::web::views::{capitalised, layout, verdict_badge};

/// The longest reason or note kept.
pub const REASON_MAX: usize = 2000;

/// The query parameter of the pending requests' page (the decided ones' is `page`).
pub const PENDING_PAGE: &str = "pending_page";

const INTAKE: &str = "/workspace/intake";

/// Everything the page shows.
pub struct Requests {
    pub pending: Vec<IntakeDetail>,
    pub decided: Vec<IntakeDetail>,
    pub pending_count: i64,
    pub decided_count: i64,
    /// Organisation names by slug.
    pub organisations: HashMap<String, String>,
    /// Keys of the vendors approvals created or requests were attached to, by id.
    pub vendor_keys: HashMap<i32, String>,
    /// Each pending request's countries with the verdict they would get today, by request id.
    pub assessments: HashMap<i32, Vec<(String, Assessment<'static>)>>,
    /// The vendors on record each pending request looks like, by request id.
    pub existing: HashMap<i32, Vec<Existing>>,
    /// Where the pending list is.
    pub pending_pages: Pager,
    /// Where the decided list is.
    pub decided_pages: Pager,
}

/// What the reviewer typed in a reject form that was refused, to show it again with the error.
pub struct Typed {
    pub id: i32,
    pub reason: String,
    pub error: String,
}

/// The page, with an optional notice (a refused decision) or a refused reject form.
pub fn intake_page(
    session: &Session,
    data: &Requests,
    notice: Option<&str>,
    typed: Option<&Typed>,
) -> Markup {
    let can_decide = session.user.role >= Role::Editor;
    layout(
        "Intake requests",
        html! {},
        html! {
            (super::bar(session, "/workspace/intake"))
            h1 { "Intake requests" }
            @if let Some(notice) = notice {
                p.form-error role="alert" #intake-notice { (notice) }
            }
            dl.summary {
                div { dt { "Waiting for a decision" } dd { (data.pending_count) } }
                div { dt { "Decided" } dd { (data.decided_count) } }
            }
            @if !can_decide {
                p.note { "You can read the requests. Approving or rejecting one needs the editor or admin role." }
            }
            section aria-labelledby="pending-title" {
                h2 #pending-title { "Waiting for a decision, oldest first" }
                @if data.pending.is_empty() { p { "None." } }
                @for request in &data.pending {
                    (pending_request(session, request, data, can_decide && session.user.role_in(&request.request.organisation) >= Some(Role::Editor), typed.filter(|t| t.id == request.request.id)))
                }
                (pager_nav(&data.pending_pages, "pending requests", |n| page_link_as(INTAKE, &others(&[("page", &data.decided_pages)]), PENDING_PAGE, n)))
            }
            section aria-labelledby="decided-title" {
                h2 #decided-title { "Decided" }
                (decided_table(data))
                (pager_nav(&data.decided_pages, "decided requests", |n| page_link_as(INTAKE, &others(&[(PENDING_PAGE, &data.pending_pages)]), "page", n)))
            }
        },
    )
}

fn organisation_name<'a>(data: &'a Requests, slug: &'a str) -> &'a str {
    data.organisations
        .get(slug)
        .map(String::as_str)
        .unwrap_or(slug)
}

fn countries(codes: &str) -> Markup {
    html! {
        @for (i, code) in codes.split_whitespace().enumerate() {
            @if i > 0 { ", " }
            @match CountryCode::parse(code) {
                Ok(c) => { (c.name()) " " span.code { "(" (c.as_str()) ")" } },
                Err(_) => (code),
            }
        }
    }
}

fn data_categories(categories: &str) -> String {
    let labels: Vec<&str> = categories
        .split_whitespace()
        .map(|c| c.parse::<DataCategory>().map(|d| d.label()).unwrap_or(c))
        .collect();
    if labels.is_empty() {
        "None stated".into()
    } else {
        capitalised(&labels.join(", "))
    }
}

fn website(url: Option<&str>) -> Markup {
    html! {
        @match url {
            Some(u) if crate::web::views::web_link(u).is_some() => a href=(u) rel="nofollow noopener noreferrer" { (u) },
            Some(u) => (u),
            None => "Not given",
        }
    }
}

fn details_list(r: &IntakeDetail, data: &Requests) -> Markup {
    let q = &r.request;
    html! {
        dl.intake-details {
            div { dt { "Organisation" } dd { (organisation_name(data, &q.organisation)) " " span.code { "(" (q.organisation) ")" } } }
            div { dt { "Website" } dd { (website(q.website.as_deref())) } }
            div { dt { "Purpose" } dd { (q.purpose) } }
            div { dt { "Countries" } dd { (countries(&q.countries)) } }
            div { dt { "Data categories" } dd { (data_categories(&q.data_categories)) } }
            div { dt { "Requested by" } dd { (q.requester) " (filed by " (q.created_by) ")" } }
            div { dt { "Filed on" } dd { time datetime=(iso_time(q.created_at)) { (q.created_at.format("%Y-%m-%d %H:%M")) " UTC" } } }
        }
    }
}

fn pending_request(
    session: &Session,
    r: &IntakeDetail,
    data: &Requests,
    can_decide: bool,
    typed: Option<&Typed>,
) -> Markup {
    let id = r.request.id;
    let title = format!("req-{id}-title");
    html! {
        article.intake-request id={ "request-" (id) } aria-labelledby=(title) {
            h3 id=(title) { "#" (id) " " (r.request.vendor_name) " for " (organisation_name(data, &r.request.organisation)) }
            (details_list(r, data))
            (assessment(id, data.assessments.get(&id).map(Vec::as_slice).unwrap_or_default()))
            @let existing = data.existing.get(&id).map(Vec::as_slice).unwrap_or_default();
            (already_known(r, existing))
            @if can_decide {
                div.decisions {
                    @for e in existing.iter().filter(|e| e.attachable()) {
                        (attach_form(session, r, e, data))
                    }
                    (approve_form(session, r, !existing.is_empty(), data))
                    (reject_form(session, r, typed, data))
                }
            }
        }
    }
}

/// The verdict each requested country would get today, with no safeguard recorded yet.
fn assessment(id: i32, rows: &[(String, Assessment<'static>)]) -> Markup {
    html! {
        @if !rows.is_empty() {
            (Table::new("vendors intake-assessment", html! { "Request #" (id) ": the verdict of each country asked for, today, before any safeguard is recorded" }, &["Country", "Verdict and reason"]).render(html! {
                @for (code, a) in rows {
                    tr {
                        th scope="row" data-label="Country" { (countries(code)) }
                        td data-label="Verdict" { (verdict_badge(a)) p.reason { (a.reason()) } }
                    }
                }
            }))
        }
    }
}

/// The warning that the organisation may have this vendor already.
fn already_known(r: &IntakeDetail, existing: &[Existing]) -> Markup {
    let slug = &r.request.organisation;
    html! {
        @if !existing.is_empty() {
            div.warning role="note" id={ "request-" (r.request.id) "-known" } {
                p { strong { "This vendor may be on record already." } " Attach the request to it rather than add a second one:" }
                ul {
                    @for e in existing {
                        li {
                            a href={ "/workspace/" (slug) "/vendors/" (e.key) } { (e.name) } " " span.code { "(" (e.key) ")" }
                            ", " (e.status) ": "
                            @match e.same {
                                Sameness::Domain => { "same domain" @if let Some(w) = &e.website { " (" (w) ")" } },
                                Sameness::Name => "same name",
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Where a decision on request `id` is posted: with the pages the lists are on, so that the
/// answer comes back to them.
fn decision_action(id: i32, action: &str, data: &Requests) -> String {
    let on = others(&[
        (PENDING_PAGE, &data.pending_pages),
        ("page", &data.decided_pages),
    ]);
    page_link_as(&format!("{INTAKE}/{id}/{action}"), &on, PENDING_PAGE, 1)
}

fn attach_form(session: &Session, r: &IntakeDetail, e: &Existing, data: &Requests) -> Markup {
    let id = r.request.id;
    let note = format!("attach-{id}-{}-note", e.key);
    html! {
        form.stacked.decision method="post" action=(decision_action(id, "attach", data)) {
            input type="hidden" name="csrf" value=(session.csrf_token);
            input type="hidden" name="version" value=(r.version);
            input type="hidden" name="vendor" value=(e.key);
            div.field {
                label for=(note) { "Note on attaching it (optional)" }
                textarea id=(note) name="reason" rows="2" maxlength=(REASON_MAX) {}
            }
            button type="submit" { "Attach #" (id) " to " (e.name) " (" (e.key) ")" }
        }
    }
}

fn approve_form(session: &Session, r: &IntakeDetail, known: bool, data: &Requests) -> Markup {
    let id = r.request.id;
    html! {
        form.stacked.decision method="post" action=(decision_action(id, "approve", data)) {
            input type="hidden" name="csrf" value=(session.csrf_token);
            input type="hidden" name="version" value=(r.version);
            div.field {
                label for={ "approve-" (id) "-note" } { "Note on the approval (optional)" }
                textarea id={ "approve-" (id) "-note" } name="reason" rows="2" maxlength=(REASON_MAX) {}
            }
            button.secondary[known] type="submit" { "Approve #" (id) ": add " (r.request.vendor_name) " as a " @if known { "new, separate" } @else { "proposed" } " vendor" }
        }
    }
}

fn reject_form(
    session: &Session,
    r: &IntakeDetail,
    typed: Option<&Typed>,
    data: &Requests,
) -> Markup {
    let id = r.request.id;
    let field = format!("reject-{id}-reason");
    let error_id = format!("reject-{id}-error");
    html! {
        form.stacked.decision method="post" action=(decision_action(id, "reject", data)) {
            input type="hidden" name="csrf" value=(session.csrf_token);
            input type="hidden" name="version" value=(r.version);
            div.field {
                label for=(field) { "Reason for rejecting (required)" }
                @if let Some(t) = typed {
                    span.field-error id=(error_id) { (t.error) }
                }
                textarea id=(field) name="reason" rows="2" required maxlength=(REASON_MAX)
                    aria-invalid=[typed.map(|_| "true")]
                    aria-describedby=[typed.map(|_| error_id.as_str())] {
                    @if let Some(t) = typed { (t.reason) }
                }
            }
            button.secondary type="submit" { "Reject #" (id) }
        }
    }
}

fn decision_label(status: &str) -> Markup {
    html! {
        @match status {
            APPROVED => span.decision.decision-approved { span aria-hidden="true" { "✓ " } "Approved" },
            REJECTED => span.decision.decision-rejected { span aria-hidden="true" { "✗ " } "Rejected" },
            PENDING => span.decision { "Pending" },
            other => span.decision { (other) },
        }
    }
}

fn decided_table(data: &Requests) -> Markup {
    html! {
        @if data.decided.is_empty() { p { "None yet." } }
        @else {
            (Table::new("vendors intake-decided", html! { "Decided requests, most recent first"
                    @if data.decided_pages.pages() > 1 { " (page " (data.decided_pages.page) " of " (data.decided_pages.pages()) ", " (data.decided_count) " in all)" } }, &["Request", "Organisation", "Decision", "Reason or note", "Vendor", "Decided on"]).render(html! {
                    @for r in &data.decided {
                        tr id={ "request-" (r.request.id) } {
                            th scope="row" data-label="Request" {
                                "#" (r.request.id) " " span.vendor-name { (r.request.vendor_name) }
                                details {
                                    summary { "What was asked" }
                                    (details_list(r, data))
                                }
                            }
                            td data-label="Organisation" { (organisation_name(data, &r.request.organisation)) }
                            td data-label="Decision" { (decision_label(&r.request.status)) }
                            td data-label="Reason or note" { (r.request.decision_reason.as_deref().unwrap_or("—")) }
                            td data-label="Vendor" {
                                @match r.vendor_id.and_then(|id| data.vendor_keys.get(&id)) {
                                    Some(key) => a href={ "/workspace/" (r.request.organisation) "/vendors/" (key) } { code { (key) } },
                                    None => "—",
                                }
                            }
                            td data-label="Decided on" {
                                time datetime=(iso_time(r.updated_at)) { (r.updated_at.format("%Y-%m-%d %H:%M")) " UTC" }
                            }
                        }
                    }
                }))
        }
    }
}
