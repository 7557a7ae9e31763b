//! The workspace's admin pages (`/workspace/admin`): routes, the admin home, what they share.

mod clients;
mod settings;
mod users;

use crate::web::error::PageError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::Markup;

use super::forms::{self};
use crate::web::extract::Admin;
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
        .route(
            "/workspace/admin/users/{id}/unlock",
            web::post().to(users::unlock_user),
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
    Admin(signed_in): Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let (accounts, api_clients, organisations) = blocking(&state, |conn| {
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
