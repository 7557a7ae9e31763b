//! The workspace's admin pages (`/workspace/admin`): routes, the admin home, what they share.

mod clients;
mod settings;
mod users;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDateTime;
use maud::{Markup, html};

use super::forms::{self, HTML};
use super::workspace_bar;
use crate::auth::users::Role;
use crate::web::error::AppError;
use crate::web::extract::Admin;
use crate::web::views::layout;
use crate::web::{AppState, blocking};

const HOME: &str = "/workspace/admin";
const USERS: &str = "/workspace/admin/users";
const CLIENTS: &str = "/workspace/admin/clients";

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

/// An admin page: the site's layout around `body`, with `title`.
fn admin_page(status: StatusCode, title: &str, body: Markup) -> HttpResponse {
    forms::page(status, layout(title, html! {}, body))
}

/// A parameter of the query string, as given.
fn query(req: &HttpRequest, name: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn when(t: NaiveDateTime) -> Markup {
    html! { time datetime=(super::audit::iso_time(t)) { (t.format("%Y-%m-%d %H:%M")) " UTC" } }
}

fn breadcrumb(current: &str) -> Markup {
    html! {
        nav aria-label="Breadcrumb" {
            p { a href=(HOME) { "Administration" } " › " span aria-current="page" { (current) } }
        }
    }
}

/// A message after a redirect: what was done, or what was refused.
enum Notice {
    Done(String),
    Refused(String),
}

fn notice(n: Option<&Notice>) -> Markup {
    html! {
        @match n {
            Some(Notice::Done(text)) => p.note role="status" #admin-notice { (text) },
            Some(Notice::Refused(text)) => p.form-error role="alert" #admin-notice { (text) },
            None => {},
        }
    }
}

/// `GET /workspace/admin`: what admins manage, with links.
pub async fn home(
    Admin(signed_in): Admin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let (accounts, api_clients, organisations) = blocking(&state, HTML, |conn| {
        Ok((
            crate::auth::users::list(conn)?,
            crate::auth::clients::list(conn)?,
            crate::registry::settings::list(conn)?,
        ))
    })
    .await?;
    let admins = accounts
        .iter()
        .filter(|a| a.role == Role::Admin && a.disabled_at.is_none())
        .count();
    let disabled = accounts.iter().filter(|a| a.disabled_at.is_some()).count();
    let active_clients = api_clients
        .iter()
        .filter(|c| c.revoked_at.is_none())
        .count();
    Ok(admin_page(
        StatusCode::OK,
        "Administration",
        html! {
            (workspace_bar(&signed_in, HOME))
            h1 { "Administration" }
            p { "Admins manage who signs in to the workspace, which programs may call the API, and each organisation's settings. Every change is in the " a href="/workspace/audit" { "audit log" } "." }
            ul.organisations {
                li {
                    a href=(USERS) { "Accounts" } ": "
                    (accounts.len()) " account(s), " (admins) " enabled admin(s)"
                    @if disabled > 0 { ", " (disabled) " disabled" }
                    ". Create accounts, change roles, disable or enable sign-in."
                }
                li {
                    a href=(CLIENTS) { "API clients" } ": "
                    (active_clients) " active, " (api_clients.len() - active_clients) " revoked. Create a client for a procurement tool, revoke one."
                }
            }
            h2 #organisations-title { "Organisation settings" }
            table.vendors aria-labelledby="organisations-title" {
                thead {
                    tr {
                        th scope="col" { "Organisation" }
                        th scope="col" { "Notice period" }
                        th scope="col" { "Privacy contact" }
                        th scope="col" { "Settings" }
                    }
                }
                tbody {
                    @for o in &organisations {
                        tr {
                            th scope="row" data-label="Organisation" { (o.name) " " span.code { "(" (o.slug) ")" } }
                            td data-label="Notice period" { (settings::days(o.announce_days)) }
                            td data-label="Privacy contact" { (o.privacy_contact.as_deref().unwrap_or("None")) }
                            td data-label="Settings" {
                                a href={ "/workspace/admin/organisations/" (o.slug) } { "Settings of " (o.name) }
                            }
                        }
                    }
                }
            }
        },
    ))
}
