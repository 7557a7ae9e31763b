//! The privacy officers' workspace (`/workspace`): sign-in with a session cookie, CSRF tokens on
//! every form, and the pages behind them.

mod account;
mod admin;
mod audit;
mod certifications;
mod dashboard;
mod exports;
pub(crate) mod forms;
mod import;
mod intake;
mod login;
mod notices;
mod objections;
mod reminders;
mod transfers;
mod vendor_forms;
mod vendors;

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError, dev::Payload, web};

use super::AppState;
use super::error::{AppError, PageError};
use crate::auth::sessions::{self, Session};

pub const SESSION_COOKIE: &str = "cb_session";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/workspace", GET).route(web::get().to(dashboard::dashboard)))
        .service(
            resource("/workspace/login", GET_POST)
                .route(web::get().to(login::form))
                .route(web::post().to(login::submit)),
        )
        .service(resource("/workspace/logout", POST).route(web::post().to(login::logout)))
        // The forms first: `/vendors/new` is not a vendor key.
        .configure(vendor_forms::routes)
        .configure(import::routes)
        .configure(exports::routes)
        .configure(transfers::routes)
        .configure(certifications::routes)
        .configure(vendors::routes)
        .configure(audit::routes)
        .configure(intake::routes)
        .configure(objections::routes)
        .configure(reminders::routes)
        .configure(notices::routes)
        .configure(account::routes)
        .configure(admin::routes);
}

/// What a workspace address answers: its `Allow` header.
pub(crate) const GET: &str = "GET, HEAD";
pub(crate) const GET_POST: &str = "GET, HEAD, POST";
pub(crate) const POST: &str = "POST";

/// One workspace address with every method it answers: any other is a 405 naming them in
/// `Allow` (RFC 9110 §15.5.6), a page for people, problem+json for a download. All methods of
/// an address go on one resource: a second one for the same path would never be reached.
pub(crate) fn resource(path: &str, allowed: &'static str) -> actix_web::Resource {
    let download = path.ends_with(".csv");
    web::resource(path).default_service(web::to(move || async move {
        let refused = AppError::MethodNotAllowed { allowed };
        Err::<HttpResponse, actix_web::Error>(if download {
            super::error::ApiError(refused).into()
        } else {
            PageError(refused).into()
        })
    }))
}

/// Whether cookies set for `req` are `Secure`: the site is served over TLS (see [`Origin`]).
///
/// [`Origin`]: crate::web::origin::Origin
pub fn secure_cookies(req: &HttpRequest) -> bool {
    req.app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.origin.is_https(req))
}

/// A session cookie: HttpOnly, SameSite=Lax, Secure when the site is served over TLS.
pub fn session_cookie<'a>(req: &HttpRequest, value: String, max_age_hours: i64) -> Cookie<'a> {
    Cookie::build(SESSION_COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure_cookies(req))
        .max_age(actix_web::cookie::time::Duration::hours(max_age_hours))
        .finish()
}

/// Not signed in: off to the login page, coming back afterwards.
#[derive(Debug)]
pub struct LoginRequired {
    next: String,
}

impl std::fmt::Display for LoginRequired {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("sign in first")
    }
}

impl ResponseError for LoginRequired {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::SEE_OTHER
    }

    fn error_response(&self) -> HttpResponse {
        let next = serde_urlencoded::to_string([("next", &self.next)]).unwrap_or_default();
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/workspace/login?{next}")))
            .finish()
    }
}

/// The signed-in user of a workspace page.
pub struct SignedIn(pub Session);

impl SignedIn {
    /// Every form posts the session's token: a request forged by another site does not have it.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        if constant_time_eq(submitted.as_bytes(), self.0.csrf_token.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::ForbiddenPage(
                "The form's security token is missing or stale (CSRF check). Reload the page and try again.".into(),
            ))
        }
    }
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequest for SignedIn {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req.cookie(SESSION_COOKIE).map(|c| c.value().to_string());
        let organisation = req.match_info().get("org").map(str::to_string);
        // After signing in, come back to the page; a form's target cannot be opened by a GET.
        let next = match *req.method() {
            actix_web::http::Method::GET => req.uri().path_and_query().map(|p| p.to_string()),
            _ => None,
        }
        .unwrap_or_else(|| "/workspace".into());
        Box::pin(async move {
            let login = || actix_web::Error::from(LoginRequired { next: next.clone() });
            let (Some(state), Some(token)) = (state, token) else {
                return Err(login());
            };
            let session = super::blocking(&state, move |conn| sessions::session(conn, &token))
                .await
                .map_err(PageError)?;
            let mut session = session.ok_or_else(login)?;
            // On an organisation's pages the account acts with its role there; an organisation
            // it is not a member of does not exist for it.
            if let Some(slug) = organisation {
                match session.user.role_in(&slug) {
                    Some(role) => session.user.role = role,
                    None => {
                        return Err(PageError(AppError::NotFound {
                            what: format!("organisation '{slug}'"),
                        })
                        .into());
                    }
                }
            }
            Ok(SignedIn(session))
        })
    }
}
