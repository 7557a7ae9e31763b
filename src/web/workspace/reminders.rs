//! An account's reminders (`/workspace/reminders`): what falls due, the weekly e-mail on or
//! off, a new calendar address; and the calendar feed itself (`/calendar/{token}`), read with
//! the secret of its address instead of a session.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Duration;

use super::forms::page;
use super::{GET, GET_POST, POST, SignedIn, resource};
use crate::auth::reminders;
use crate::date::today;
use crate::notify::reminders::{calendar, items};
use crate::web::error::{AppError, PageError};
use crate::web::extract::{Member, PostedForm};
use crate::web::views::workspace::reminders::reminders_page;
use crate::web::{AppState, blocking};

/// How far ahead the page and the calendar look.
const AHEAD: i64 = 90;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/workspace/reminders", GET_POST)
            .route(web::get().to(show))
            .route(web::post().to(set_weekly)),
    )
    .service(resource("/workspace/reminders/calendar", POST).route(web::post().to(new_calendar)))
    .service(resource("/calendar/{token}", GET).route(web::get().to(feed)));
}

async fn render(
    state: &AppState,
    signed_in: &SignedIn,
    calendar_url: Option<String>,
) -> Result<HttpResponse, PageError> {
    let user = signed_in.0.user.clone();
    let (settings, (due, _)) = blocking(state, move |conn| {
        let today = today();
        Ok((
            reminders::of(conn, user.id)?,
            items(conn, &user, today, today + Duration::days(AHEAD))?,
        ))
    })
    .await?;
    Ok(page(
        StatusCode::OK,
        reminders_page(
            &signed_in.0,
            (settings, state.mail_enabled),
            &due,
            calendar_url.as_deref(),
        ),
    ))
}

async fn show(signed_in: SignedIn, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    render(&state, &signed_in, None).await
}

async fn set_weekly(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Member>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let on = match form.get("weekly").as_str() {
        "on" => true,
        "off" => false,
        other => {
            return Err(AppError::BadParameter {
                name: "weekly".into(),
                problem: format!("'{other}' is neither on nor off"),
            }
            .into());
        }
    };
    let id = signed_in.0.user.id;
    blocking(&state, move |conn| reminders::set_weekly(conn, id, on)).await?;
    render(&state, &signed_in, None).await
}

async fn new_calendar(
    PostedForm { signed_in, .. }: PostedForm<Member>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let id = signed_in.0.user.id;
    let token = blocking(&state, move |conn| reminders::new_calendar(conn, id)).await?;
    let url = format!("{}/calendar/{token}", state.origin.base(&req));
    render(&state, &signed_in, Some(url)).await
}

async fn feed(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let token = path.into_inner();
    let found = blocking(&state, move |conn| {
        let Some(id) = reminders::calendar_owner(conn, &token)? else {
            return Ok(None);
        };
        let Some(user) = reminders::account(conn, id)? else {
            return Ok(None);
        };
        let today = today();
        Ok(Some(
            items(conn, &user, today, today + Duration::days(AHEAD))?.0,
        ))
    })
    .await?;
    let due = found.ok_or_else(|| AppError::NotFound {
        what: "calendar at this address".into(),
    })?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Cache-Control", "private, no-store"))
        .body(calendar(&due, "crossborder")))
}
