//! The workspace's admin pages (`/workspace/admin`): routes, the admin home, what they share.

mod clients;
mod settings;
mod users;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::Markup;

use super::SignedIn;
use super::forms::{self, Form, HTML};
use crate::auth::users::Role;
use crate::web::error::AppError;
use crate::web::views::workspace::admin::{self as view, CLIENTS, HOME, USERS, home_page};
use crate::web::{AppState, blocking};

/// Accounts (create, change role, disable and enable again, never delete), the API's machine
/// clients (create, shown their secret once, revoke) and each organisation's settings (notice
/// period, privacy contact).
///
/// Every route, GET and POST, answers 403 to anyone but an admin; every form is CSRF-checked
/// before anything else; every write is audited by the function that makes it.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(HOME, web::get().to(home))
        .route(USERS, web::get().to(users::users_page))
        .route(USERS, web::post().to(users::create_user))
        .route(
            "/workspace/admin/users/{id}/role",
            web::post().to(users::change_role),
        )
        .route(
            "/workspace/admin/users/{id}/disable",
            web::post().to(users::disable_user),
        )
        .route(
            "/workspace/admin/users/{id}/enable",
            web::post().to(users::enable_user),
        )
        .route(CLIENTS, web::get().to(clients::clients_page))
        .route(CLIENTS, web::post().to(clients::create_client))
        .route(
            "/workspace/admin/clients/{client_id}/revoke",
            web::post().to(clients::revoke_client),
        )
        .route(
            "/workspace/admin/organisations/{slug}",
            web::get().to(settings::settings_page),
        )
        .route(
            "/workspace/admin/organisations/{slug}",
            web::post().to(settings::save_settings),
        );
}

fn require_admin(signed_in: &SignedIn) -> Result<(), AppError> {
    let user = &signed_in.0.user;
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::ForbiddenPage(format!(
            "The admin pages (accounts, API clients, organisation settings) need the admin role; {} is {} {}.",
            user.email,
            if user.role == Role::Editor { "an" } else { "a" },
            user.role.as_str()
        )))
    }
}

/// A posted admin form, once it has passed what every admin form passes first: the CSRF token,
/// then the role. It is read leniently (a body that cannot be read is an empty form), so that a
/// form without its token is refused by the CSRF check (403) rather than by a parser.
fn admin_form(signed_in: &SignedIn, body: &[u8]) -> Result<Form, AppError> {
    let form = Form::parse(body).unwrap_or(Form(Vec::new()));
    signed_in.check_csrf(&form.get("csrf"))?;
    require_admin(signed_in)?;
    Ok(form)
}

/// An admin page: the site's layout around `body`, with `title`.
fn admin_page(status: StatusCode, title: &str, body: Markup) -> HttpResponse {
    forms::page(status, view::page(title, body))
}

/// A parameter of the query string, as given.
fn query(req: &HttpRequest, name: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// `GET /workspace/admin`: what admins manage, with links.
pub async fn home(
    signed_in: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    require_admin(&signed_in)?;
    let (accounts, api_clients, organisations) = blocking(&state, HTML, |conn| {
        Ok((
            crate::auth::users::list(conn)?,
            crate::auth::clients::list(conn)?,
            crate::registry::settings::list(conn)?,
        ))
    })
    .await?;
    Ok(admin_page(
        StatusCode::OK,
        "Administration",
        home_page(&signed_in.0, &accounts, &api_clients, &organisations),
    ))
}
