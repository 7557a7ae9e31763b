//! Intake review: pending requests with the assessment of what they ask and the vendors on
//! record they look like; approve (creates a proposed vendor), attach to a vendor on record, or
//! reject with a reason.

use crate::web::error::PageError;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};

use super::{GET, POST, SignedIn, resource};
use crate::auth::users::{Role, User};
use crate::db::{DbConnection, DbError};
use crate::registry::intake::{self, DecideError};
use crate::registry::organisation;
use crate::rules::{Assessment, CountryCode, Facts, RuleSet};
use crate::web::error::AppError;
use crate::web::extract::{Editor, Form, PostedForm};
use crate::web::views::workspace::intake::{
    PENDING_PAGE, REASON_MAX, Requests, Typed, intake_page,
};
use crate::web::views::workspace::pager::{self, PAGE_SIZE, Pager};
use crate::web::{AppState, blocking, db};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/workspace/intake", GET).route(web::get().to(page)))
        .service(resource("/workspace/intake/{id}/approve", POST).route(web::post().to(approve)))
        .service(resource("/workspace/intake/{id}/attach", POST).route(web::post().to(attach)))
        .service(resource("/workspace/intake/{id}/reject", POST).route(web::post().to(reject)));
}

/// The pages asked for: the pending requests' (`pending_page`) and the decided ones' (`page`),
/// as typed.
#[derive(Debug, Clone, Default)]
struct Pages {
    pending: String,
    decided: String,
}

impl Pages {
    fn asked(req: &HttpRequest) -> Self {
        Pages {
            pending: pager::asked(req.query_string(), PENDING_PAGE),
            decided: pager::asked(req.query_string(), "page"),
        }
    }
}

/// The requests of the organisations the account sees (a member: its own only), the pending and
/// the decided ones on the `pages` asked for; each pending one assessed on `today` and matched
/// with the vendors on record it looks like.
fn gather(
    conn: &mut DbConnection,
    user: &User,
    pages: &Pages,
    rules: &'static RuleSet,
) -> Result<Requests, DbError> {
    let within = user.organisations();
    let (pending_count, decided_count) = intake::counts(conn, within.as_deref())?;
    let pending_pages = Pager::new(&pages.pending, PAGE_SIZE, pending_count as usize);
    let decided_pages = Pager::new(&pages.decided, PAGE_SIZE, decided_count as usize);
    let (pending, decided) = intake::list(
        conn,
        pending_pages.window(),
        decided_pages.window(),
        within.as_deref(),
    )?;
    let visible: Vec<_> = organisation::list(conn)?
        .into_iter()
        .filter(|o| user.sees(&o.slug))
        .collect();
    let today = crate::date::today();
    let assessments = pending
        .iter()
        .filter_map(|r| {
            let exporter = visible.iter().find(|o| o.slug == r.request.organisation)?;
            Some((
                r.request.id,
                asked(exporter.country, &r.request.countries, rules, today),
            ))
        })
        .collect();
    let existing = intake::existing(conn, &pending)?;
    let organisations = visible.into_iter().map(|o| (o.slug, o.name)).collect();
    let ids: Vec<i32> = decided.iter().filter_map(|r| r.vendor_id).collect();
    let vendor_keys = intake::vendor_keys(conn, ids)?;
    Ok(Requests {
        pending,
        decided,
        pending_count,
        decided_count,
        organisations,
        vendor_keys,
        assessments,
        existing,
        pending_pages,
        decided_pages,
    })
}

/// The verdict each requested country would get on `today` from an exporter in `exporter`,
/// with no safeguard recorded yet: what the officer has to settle before approving.
fn asked(
    exporter: CountryCode,
    countries: &str,
    rules: &'static RuleSet,
    today: chrono::NaiveDate,
) -> Vec<(String, Assessment<'static>)> {
    let mut seen: Vec<&str> = Vec::new();
    countries
        .split_whitespace()
        .filter(|c| {
            let new = !seen.contains(c);
            seen.push(c);
            new
        })
        .map(|code| {
            let facts = Facts::to(exporter, CountryCode::parse(code).ok());
            (code.to_string(), crate::rules::assess(&facts, rules, today))
        })
        .collect()
}

async fn load(state: &AppState, signed_in: &SignedIn, pages: Pages) -> Result<Requests, AppError> {
    let user = signed_in.0.user.clone();
    let rules = state.rules;
    blocking(state, move |conn| gather(conn, &user, &pages, rules)).await
}

/// Whether the account may decide request `id`: a request of an organisation it does not see
/// does not exist for it (404, as one that does not exist); deciding needs the editor role
/// there (403).
async fn may_decide(state: &AppState, signed_in: &SignedIn, id: i32) -> Result<(), AppError> {
    let request = blocking(state, move |conn| intake::get(conn, id)).await?;
    let role = request
        .as_ref()
        .and_then(|r| signed_in.0.user.role_in(&r.organisation));
    match role {
        None => Err(AppError::NotFound {
            what: format!("intake request #{id}"),
        }),
        Some(role) if role < Role::Editor => Err(AppError::ForbiddenPage(format!(
            "Deciding on request #{id} needs the editor or admin role in its organisation; {} is a viewer there.",
            signed_in.0.user.email
        ))),
        Some(_) => Ok(()),
    }
}

/// The page, with an optional notice (a refused decision) or a refused reject form.
fn respond(
    status: StatusCode,
    signed_in: &SignedIn,
    data: &Requests,
    notice: Option<&str>,
    typed: Option<&Typed>,
) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(intake_page(&signed_in.0, data, notice, typed).into_string())
}

/// `GET /workspace/intake`: any signed-in role.
pub async fn page(
    signed_in: SignedIn,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let data = load(&state, &signed_in, Pages::asked(&req)).await?;
    Ok(respond(StatusCode::OK, &signed_in, &data, None, None))
}

/// A decision form as posted. Read leniently, so that a form without its token is refused by
/// the CSRF check (403) rather than by the body parser.
#[derive(Debug, Default)]
struct DecisionForm {
    version: Option<String>,
    reason: String,
    /// The vendor on record to attach the request to.
    vendor: String,
}

impl From<Form> for DecisionForm {
    fn from(posted: Form) -> Self {
        let mut form = DecisionForm::default();
        for (key, value) in posted.0 {
            match key.as_str() {
                "version" => form.version = Some(value),
                "reason" => form.reason = value,
                "vendor" => form.vendor = value,
                _ => {}
            }
        }
        form
    }
}

fn request_id(raw: &str) -> Result<i32, AppError> {
    raw.parse::<i32>().map_err(|_| AppError::NotFound {
        what: format!("intake request '{raw}'"),
    })
}

fn expected_version(form: &DecisionForm) -> Result<Option<i32>, AppError> {
    match form.version.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| AppError::BadParameter {
            name: "version".into(),
            problem: format!("'{v}' is not a version number"),
        }),
    }
}

fn actor(signed_in: &SignedIn) -> String {
    format!("user:{}", signed_in.0.user.email)
}

/// Back to the intake list, on the pages the decision was made from.
fn back(req: &HttpRequest) -> HttpResponse {
    let pages = Pages::asked(req);
    let on: Vec<String> = [(PENDING_PAGE, &pages.pending), ("page", &pages.decided)]
        .into_iter()
        .filter_map(|(name, asked)| {
            let page = asked.parse::<usize>().ok().filter(|p| *p > 1)?;
            Some(format!("{name}={page}"))
        })
        .collect();
    let location = match on.is_empty() {
        true => "/workspace/intake".to_string(),
        false => format!("/workspace/intake?{}", on.join("&")),
    };
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// A refused decision: the page again with the reason (nothing was changed), or an error page.
async fn refused(
    e: DecideError,
    signed_in: &SignedIn,
    state: &AppState,
) -> Result<HttpResponse, PageError> {
    match e {
        DecideError::NotFound(id) => Err(AppError::NotFound {
            what: format!("intake request #{id}"),
        }
        .into()),
        DecideError::Db(e) => Err(AppError::db(e).into()),
        e @ (DecideError::AlreadyDecided { .. }
        | DecideError::Stale { .. }
        | DecideError::Vendor(_)) => {
            let data = load(state, signed_in, Pages::default()).await?;
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
    req: HttpRequest,
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let form = DecisionForm::from(form);
    let id = request_id(&path)?;
    may_decide(&state, &signed_in, id).await?;
    let expected = expected_version(&form)?;
    let note: String = form.reason.trim().chars().take(REASON_MAX).collect();
    let actor = actor(&signed_in);
    let outcome = db(&state, move |conn| {
        intake::approve(conn, id, expected, Some(&note), &actor)
    })
    .await;
    match outcome {
        Ok(_) => Ok(back(&req)),
        Err(e) => refused(e, &signed_in, &state).await,
    }
}

/// `POST /workspace/intake/{id}/attach`: editors and admins. The request is approved for the
/// vendor on record it names (`vendor`: its key) instead of creating a new one.
pub async fn attach(
    req: HttpRequest,
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let form = DecisionForm::from(form);
    let id = request_id(&path)?;
    may_decide(&state, &signed_in, id).await?;
    let expected = expected_version(&form)?;
    let key = form.vendor.trim().to_string();
    if key.is_empty() {
        return Err(AppError::BadParameter {
            name: "vendor".into(),
            problem: "name the vendor on record to attach the request to (its key)".into(),
        }
        .into());
    }
    let note: String = form.reason.trim().chars().take(REASON_MAX).collect();
    let actor = actor(&signed_in);
    let outcome = db(&state, move |conn| {
        intake::attach(conn, id, expected, &key, Some(&note), &actor)
    })
    .await;
    match outcome {
        Ok(_) => Ok(back(&req)),
        Err(e) => refused(e, &signed_in, &state).await,
    }
}

/// `POST /workspace/intake/{id}/reject`: editors and admins; a reason is required.
pub async fn reject(
    req: HttpRequest,
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let form = DecisionForm::from(form);
    let id = request_id(&path)?;
    may_decide(&state, &signed_in, id).await?;
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
        let within = signed_in.0.user.organisations();
        let position = blocking(&state, move |conn| {
            intake::pending_position(conn, id, within.as_deref())
        })
        .await?;
        let Some(position) = position else {
            // Decided meanwhile, or no such request: say so rather than ask for a reason.
            let current = blocking(&state, move |conn| intake::get_detail(conn, id)).await?;
            let e = match current {
                None => DecideError::NotFound(id),
                Some(r) => DecideError::AlreadyDecided {
                    id,
                    status: r.request.status,
                },
            };
            return refused(e, &signed_in, &state).await;
        };
        // The page of pending requests that holds this one, to show its form again.
        let pages = Pages {
            pending: Pager::page_of(position as usize, PAGE_SIZE),
            ..Pages::default()
        };
        let data = load(&state, &signed_in, pages).await?;
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
        Ok(_) => Ok(back(&req)),
        Err(e) => refused(e, &signed_in, &state).await,
    }
}
