//! Signing in and out. The login form is protected against CSRF by a double-submit cookie (no
//! session exists yet); failed attempts slow the next ones, then lock the account or address.

use crate::web::error::PageError;
use std::time::Duration;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::{SESSION_COOKIE, SignedIn, constant_time_eq, secure_cookies, session_cookie};
use crate::auth::sessions::{self, LoginError, SESSION_HOURS};
use crate::auth::throttle::{self, SLOW_AFTER};
use crate::web::error::AppError;
use crate::web::views::workspace::login::login_page;
use crate::web::{AppState, blocking, db};

const LOGIN_CSRF_COOKIE: &str = "cb_login_csrf";

/// Only workspace pages are valid targets after login (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with("/workspace") && !n.starts_with("//") && !n.contains('\\') => {
            n.to_string()
        }
        _ => "/workspace".to_string(),
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// A fresh login form, with its CSRF cookie.
pub async fn form(req: HttpRequest, query: web::Query<NextQuery>) -> HttpResponse {
    let token = format!("{:032x}", rand::random::<u128>());
    let cookie = Cookie::build(LOGIN_CSRF_COOKIE, token.clone())
        .path("/workspace/login")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure_cookies(&req))
        .max_age(actix_web::cookie::time::Duration::hours(1))
        .finish();
    HttpResponse::Ok()
        .cookie(cookie)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(login_page(&token, &safe_next(query.next.as_deref()), "", None).into_string())
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    csrf: String,
    next: Option<String>,
}

pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, PageError> {
    let cookie = req
        .cookie(LOGIN_CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    if cookie.is_empty() || !constant_time_eq(cookie.as_bytes(), form.csrf.as_bytes()) {
        return Err(AppError::ForbiddenPage(
            "The sign-in form is stale or did not come from this site (CSRF check). Open the sign-in page again.".into(),
        ).into());
    }
    let address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let next = safe_next(form.next.as_deref());
    let form = form.into_inner();

    // Slow down guessing: each failure past the first few makes the next attempt wait longer.
    let (email, addr) = (form.email.clone(), address.clone());
    let failures = blocking(&state, move |conn| {
        throttle::recent_failures(conn, &email, &addr)
    })
    .await?;
    if failures >= SLOW_AFTER {
        actix_web::rt::time::sleep(Duration::from_secs(
            (failures - SLOW_AFTER + 1).min(5) as u64
        ))
        .await;
    }

    let (email, password) = (form.email.clone(), form.password.clone());
    let outcome = db(&state, move |conn| {
        sessions::login(conn, &email, &password, &address)
    })
    .await;
    let again = |status: actix_web::http::StatusCode, message: &str| {
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(login_page(&cookie, &next, &form.email, Some(message)).into_string())
    };
    match outcome {
        Ok((_, token)) => Ok(HttpResponse::SeeOther()
            .cookie(session_cookie(&req, token, SESSION_HOURS))
            .insert_header((header::LOCATION, next.clone()))
            .finish()),
        Err(LoginError::Wrong { .. }) => Ok(again(
            actix_web::http::StatusCode::UNAUTHORIZED,
            "Wrong e-mail or password.",
        )),
        Err(e @ LoginError::Locked { .. }) => Ok(again(
            actix_web::http::StatusCode::TOO_MANY_REQUESTS,
            &format!("{}.", crate::web::views::capitalised(&e.to_string())),
        )),
        Err(LoginError::Db(e)) => Err(AppError::db(e).into()),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    req: HttpRequest,
    signed_in: SignedIn,
    state: web::Data<AppState>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.check_csrf(&form.csrf)?;
    if let Some(token) = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()) {
        blocking(&state, move |conn| sessions::logout(conn, &token)).await?;
    }
    let mut gone = session_cookie(&req, String::new(), 0);
    gone.make_removal();
    Ok(HttpResponse::SeeOther()
        .cookie(gone)
        .insert_header((header::LOCATION, "/workspace/login"))
        .finish())
}
