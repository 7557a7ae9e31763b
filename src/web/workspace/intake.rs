//! Intake review: pending requests, approve (creates a proposed vendor) or reject with a reason.

use std::collections::HashMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use super::SignedIn;
use crate::auth::users::Role;
use crate::db::{DbConnection, DbError};
use crate::registry::intake::{self, APPROVED, DecideError, IntakeDetail, PENDING, REJECTED};
use crate::registry::{DataCategory, organisation};
use crate::rules::CountryCode;
use crate::web::error::{AppError, Audience};
use crate::web::extract::{Editor, Form, PostedForm};
use crate::web::views::layout;
use crate::web::{AppState, blocking, db};

/// Decided requests shown below the pending ones.
const DECIDED_SHOWN: i64 = 50;
/// The longest reason or note kept.
const REASON_MAX: usize = 2000;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/workspace/intake", web::get().to(page))
        .route("/workspace/intake/{id}/approve", web::post().to(approve))
        .route("/workspace/intake/{id}/reject", web::post().to(reject));
}

/// Everything the page shows.
struct Data {
    pending: Vec<IntakeDetail>,
    decided: Vec<IntakeDetail>,
    pending_count: i64,
    decided_count: i64,
    /// Organisation names by slug.
    organisations: HashMap<String, String>,
    /// Keys of the vendors approvals created, by id.
    vendor_keys: HashMap<i32, String>,
}

fn gather(conn: &mut DbConnection) -> Result<Data, DbError> {
    let (pending, decided) = intake::list(conn, DECIDED_SHOWN)?;
    let (pending_count, decided_count) = intake::counts(conn)?;
    let organisations = organisation::names(conn)?
        .into_iter()
        .map(|o| (o.slug, o.name))
        .collect();
    let ids: Vec<i32> = decided.iter().filter_map(|r| r.vendor_id).collect();
    let vendor_keys = intake::vendor_keys(conn, ids)?;
    Ok(Data {
        pending,
        decided,
        pending_count,
        decided_count,
        organisations,
        vendor_keys,
    })
}

async fn load(state: &AppState) -> Result<Data, AppError> {
    blocking(state, Audience::Html, gather).await
}

/// What the reviewer typed in a reject form that was refused, to show it again with the error.
struct Typed {
    id: i32,
    reason: String,
    error: String,
}

/// The page, with an optional notice (a refused decision) or a refused reject form.
fn respond(
    status: StatusCode,
    signed_in: &SignedIn,
    data: &Data,
    notice: Option<&str>,
    typed: Option<&Typed>,
) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(intake_page(signed_in, data, notice, typed).into_string())
}

/// `GET /workspace/intake`: any signed-in role.
pub async fn page(
    signed_in: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let data = load(&state).await?;
    Ok(respond(StatusCode::OK, &signed_in, &data, None, None))
}

fn intake_page(
    signed_in: &SignedIn,
    data: &Data,
    notice: Option<&str>,
    typed: Option<&Typed>,
) -> Markup {
    let can_decide = signed_in.0.user.role >= Role::Editor;
    layout(
        "Intake requests",
        html! {},
        html! {
            (super::workspace_bar(signed_in, "/workspace/intake"))
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
                    (pending_request(signed_in, request, data, can_decide, typed.filter(|t| t.id == request.request.id)))
                }
            }
            section aria-labelledby="decided-title" {
                h2 #decided-title { "Decided" }
                (decided_table(data))
            }
        },
    )
}

fn organisation_name<'a>(data: &'a Data, slug: &'a str) -> &'a str {
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
        crate::web::views::capitalised(&labels.join(", "))
    }
}

fn website(url: Option<&str>) -> Markup {
    html! {
        @match url {
            Some(u) if u.starts_with("https://") || u.starts_with("http://") => a href=(u) rel="nofollow noopener noreferrer" { (u) },
            Some(u) => (u),
            None => "Not given",
        }
    }
}

fn details_list(r: &IntakeDetail, data: &Data) -> Markup {
    let q = &r.request;
    html! {
        dl.intake-details {
            div { dt { "Organisation" } dd { (organisation_name(data, &q.organisation)) " " span.code { "(" (q.organisation) ")" } } }
            div { dt { "Website" } dd { (website(q.website.as_deref())) } }
            div { dt { "Purpose" } dd { (q.purpose) } }
            div { dt { "Countries" } dd { (countries(&q.countries)) } }
            div { dt { "Data categories" } dd { (data_categories(&q.data_categories)) } }
            div { dt { "Requested by" } dd { (q.requester) " (filed by " (q.created_by) ")" } }
            div { dt { "Filed on" } dd { time datetime=(super::audit::iso_time(q.created_at)) { (q.created_at.format("%Y-%m-%d %H:%M")) " UTC" } } }
        }
    }
}

fn pending_request(
    signed_in: &SignedIn,
    r: &IntakeDetail,
    data: &Data,
    can_decide: bool,
    typed: Option<&Typed>,
) -> Markup {
    let id = r.request.id;
    let title = format!("req-{id}-title");
    html! {
        article.intake-request id={ "request-" (id) } aria-labelledby=(title) {
            h3 id=(title) { "#" (id) " " (r.request.vendor_name) " for " (organisation_name(data, &r.request.organisation)) }
            (details_list(r, data))
            @if can_decide {
                div.decisions {
                    (approve_form(signed_in, r))
                    (reject_form(signed_in, r, typed))
                }
            }
        }
    }
}

fn approve_form(signed_in: &SignedIn, r: &IntakeDetail) -> Markup {
    let id = r.request.id;
    html! {
        form.stacked.decision method="post" action={ "/workspace/intake/" (id) "/approve" } {
            input type="hidden" name="csrf" value=(signed_in.0.csrf_token);
            input type="hidden" name="version" value=(r.version);
            div.field {
                label for={ "approve-" (id) "-note" } { "Note on the approval (optional)" }
                textarea id={ "approve-" (id) "-note" } name="reason" rows="2" maxlength=(REASON_MAX) {}
            }
            button type="submit" { "Approve #" (id) ": add " (r.request.vendor_name) " as a proposed vendor" }
        }
    }
}

fn reject_form(signed_in: &SignedIn, r: &IntakeDetail, typed: Option<&Typed>) -> Markup {
    let id = r.request.id;
    let field = format!("reject-{id}-reason");
    let error_id = format!("reject-{id}-error");
    html! {
        form.stacked.decision method="post" action={ "/workspace/intake/" (id) "/reject" } {
            input type="hidden" name="csrf" value=(signed_in.0.csrf_token);
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

fn decided_table(data: &Data) -> Markup {
    html! {
        @if data.decided.is_empty() { p { "None yet." } }
        @else {
            table.vendors.intake-decided {
                caption {
                    "Decided requests, most recent first"
                    @if data.decided_count > data.decided.len() as i64 { " (the latest " (data.decided.len()) " of " (data.decided_count) ")" }
                }
                thead {
                    tr {
                        th scope="col" { "Request" }
                        th scope="col" { "Organisation" }
                        th scope="col" { "Decision" }
                        th scope="col" { "Reason or note" }
                        th scope="col" { "Proposed vendor" }
                        th scope="col" { "Decided on" }
                    }
                }
                tbody {
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
                            td data-label="Proposed vendor" {
                                @match r.vendor_id.and_then(|id| data.vendor_keys.get(&id)) {
                                    Some(key) => code { (key) },
                                    None => "—",
                                }
                            }
                            td data-label="Decided on" {
                                time datetime=(super::audit::iso_time(r.updated_at)) { (r.updated_at.format("%Y-%m-%d %H:%M")) " UTC" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A decision form as posted. Read leniently, so that a form without its token is refused by
/// the CSRF check (403) rather than by the body parser.
#[derive(Debug, Default)]
struct DecisionForm {
    version: Option<String>,
    reason: String,
}

impl From<Form> for DecisionForm {
    fn from(posted: Form) -> Self {
        let mut form = DecisionForm::default();
        for (key, value) in posted.0 {
            match key.as_str() {
                "version" => form.version = Some(value),
                "reason" => form.reason = value,
                _ => {}
            }
        }
        form
    }
}

fn request_id(raw: &str) -> Result<i32, AppError> {
    raw.parse::<i32>().map_err(|_| AppError::NotFound {
        what: format!("intake request '{raw}'"),
        audience: Audience::Html,
    })
}

fn expected_version(form: &DecisionForm) -> Result<Option<i32>, AppError> {
    match form.version.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| AppError::BadParameter {
            name: "version".into(),
            problem: format!("'{v}' is not a version number"),
            audience: Audience::Html,
        }),
    }
}

fn actor(signed_in: &SignedIn) -> String {
    format!("user:{}", signed_in.0.user.email)
}

fn back() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/workspace/intake"))
        .finish()
}

/// A refused decision: the page again with the reason (nothing was changed), or an error page.
async fn refused(
    e: DecideError,
    signed_in: &SignedIn,
    state: &AppState,
) -> Result<HttpResponse, AppError> {
    match e {
        DecideError::NotFound(id) => Err(AppError::NotFound {
            what: format!("intake request #{id}"),
            audience: Audience::Html,
        }),
        DecideError::Db(e) => Err(AppError::db(e, Audience::Html)),
        e @ (DecideError::AlreadyDecided { .. }
        | DecideError::Stale { .. }
        | DecideError::Vendor(_)) => {
            let data = load(state).await?;
            let notice = crate::web::views::capitalised(&e.to_string()) + ".";
            Ok(respond(
                StatusCode::CONFLICT,
                signed_in,
                &data,
                Some(&notice),
                None,
            ))
        }
    }
}

/// `POST /workspace/intake/{id}/approve`: editors and admins.
pub async fn approve(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let form = DecisionForm::from(form);
    let id = request_id(&path)?;
    let expected = expected_version(&form)?;
    let note: String = form.reason.trim().chars().take(REASON_MAX).collect();
    let actor = actor(&signed_in);
    let outcome = db(&state, move |conn| {
        intake::approve(conn, id, expected, Some(&note), &actor)
    })
    .await;
    match outcome {
        Ok(_) => Ok(back()),
        Err(e) => refused(e, &signed_in, &state).await,
    }
}

/// `POST /workspace/intake/{id}/reject`: editors and admins; a reason is required.
pub async fn reject(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let form = DecisionForm::from(form);
    let id = request_id(&path)?;
    let expected = expected_version(&form)?;
    let reason = form.reason.trim();
    let problem = if reason.is_empty() {
        Some("Give a reason for rejecting the request: the requester will see it.".to_string())
    } else if reason.chars().count() > REASON_MAX {
        Some(format!(
            "The reason is too long: at most {REASON_MAX} characters."
        ))
    } else {
        None
    };
    if let Some(error) = problem {
        let data = load(&state).await?;
        if !data.pending.iter().any(|r| r.request.id == id) {
            // Decided meanwhile, or no such request: say so rather than ask for a reason.
            let current = blocking(&state, Audience::Html, move |conn| {
                intake::get_detail(conn, id)
            })
            .await?;
            let e = match current {
                None => DecideError::NotFound(id),
                Some(r) => DecideError::AlreadyDecided {
                    id,
                    status: r.request.status,
                },
            };
            return refused(e, &signed_in, &state).await;
        }
        let notice =
            format!("Request #{id} was not rejected: see the error next to its reason below.");
        let typed = Typed {
            id,
            reason: form.reason.clone(),
            error,
        };
        return Ok(respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            &signed_in,
            &data,
            Some(&notice),
            Some(&typed),
        ));
    }
    let reason = reason.to_string();
    let actor = actor(&signed_in);
    let outcome = db(&state, move |conn| {
        intake::reject(conn, id, expected, &reason, &actor)
    })
    .await;
    match outcome {
        Ok(_) => Ok(back()),
        Err(e) => refused(e, &signed_in, &state).await,
    }
}
