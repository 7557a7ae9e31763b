//! Signing in and out. The login form is protected against CSRF by a double-submit cookie (no
//! session exists yet); failed attempts slow the next ones, then lock the account or address.

use crate::web::error::PageError;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::{SESSION_COOKIE, SignedIn, constant_time_eq, secure_cookies, session_cookie};
use crate::auth::sessions::{self, LoginError, SESSION_HOURS};
use crate::web::error::AppError;
use crate::web::views::workspace::login::{Message, login_page};
use crate::web::{AppState, blocking, db};

const LOGIN_CSRF_COOKIE: &str = "cb_login_csrf";

/// Only workspace pages are valid targets after login (no open redirect), and only an address
/// that can be a `Location` header as it is: visible ASCII, no CR/LF (no header splitting),
/// no backslash, no `//` authority.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if (n == "/workspace"
                || n.starts_with("/workspace/")
                || n.starts_with("/workspace?"))
                && n.bytes().all(|b| b.is_ascii_graphic())
                && !n.contains('\\')
                && !n.contains("/../")
                && !n.ends_with("/..") =>
        {
            n.to_string()
        }
        _ => "/workspace".to_string(),
    }
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    /// Set after a password was reset with a link: the page says so.
    reset: Option<String>,
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
        .body(
            login_page(
                &token,
                &safe_next(query.next.as_deref()),
                "",
                query
                    .reset
                    .as_ref()
                    .map(|_| Message::Note("Your new password is set: sign in with it.")),
            )
            .into_string(),
        )
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
    // A NUL or another control character cannot be an e-mail address or a password typed in.
    let typed = [
        ("email".to_string(), form.email.clone()),
        ("password".to_string(), form.password.clone()),
    ];
    if let Some(e) = crate::values::check_pairs(&typed).into_iter().next() {
        return Err(AppError::Invalid(vec![e]).into());
    }

    // The attempt is reserved (and counted) before its password is checked, then waits longer
    // the more this account failed from this address; a locked pair is refused outright.
    let (email, addr) = (form.email.clone(), address.clone());
    let reserved = db(&state, move |conn| sessions::reserve(conn, &email, &addr)).await;
    let outcome = match reserved {
        Ok(reservation) => {
            if !reservation.delay.is_zero() {
                actix_web::rt::time::sleep(reservation.delay).await;
            }
            let (email, password) = (form.email.clone(), form.password.clone());
            db(&state, move |conn| {
                sessions::login(conn, &email, &password, &address, reservation)
            })
            .await
        }
        Err(e) => Err(e),
    };
    let again = |status: actix_web::http::StatusCode, message: &str| {
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(
                login_page(&cookie, &next, &form.email, Some(Message::Refused(message)))
                    .into_string(),
            )
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
        Err(e @ LoginError::Disabled { .. }) => Ok(again(
            actix_web::http::StatusCode::FORBIDDEN,
            &format!("{}.", crate::web::views::capitalised(&e.to_string())),
        )),
        Err(LoginError::Db(e)) => Err(AppError::db(e).into()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_is_a_workspace_address_fit_for_a_header() {
        for ok in [
            "/workspace",
            "/workspace/audit?page=2",
            "/workspace/arturia/vendors/x",
        ] {
            assert_eq!(super::safe_next(Some(ok)), ok);
        }
        for bad in [
            "/workspace\r\nSet-Cookie: x=1",
            "/workspace/\nx",
            "//evil.example",
            "/workspaceevil",
            "/workspace/../api",
            "/workspace/ x",
            "/workspace/\u{e9}",
            "https://evil.example/workspace",
        ] {
            assert_eq!(super::safe_next(Some(bad)), "/workspace", "{bad:?}");
        }
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
