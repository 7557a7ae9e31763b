//! The workspace's admin pages (`/workspace/admin`): routes, the admin home, what they share.

mod clients;
mod notices;
mod organisations;
mod users;

use crate::web::error::PageError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::Markup;

use super::forms::{self};
use super::{GET, GET_POST, POST, resource};
use crate::web::extract::Admin;
use crate::web::views::workspace::admin::notices::NOTICES;
use crate::web::views::workspace::admin::{self as view, CLIENTS, HOME, USERS, home_page};
use crate::web::views::workspace::pager::{PAGE_SIZE, Pager};
use crate::web::{AppState, blocking};

/// Accounts (create, change role, disable and enable again, never delete), the API's machine
/// clients (create, shown their secret once, revoke) and the organisations (create one, edit
/// its facts and settings, retire the examples).
///
/// Every route, GET and POST, answers 403 to anyone but an admin; every form is CSRF-checked
/// before anything else; every write is audited by the function that makes it.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource(HOME, GET).route(web::get().to(home)))
        .service(
            resource(USERS, GET_POST)
                .route(web::get().to(users::users_page))
                .route(web::post().to(users::create_user)),
        )
        .service(
            resource("/workspace/admin/users/{id}/role", POST)
                .route(web::post().to(users::change_role)),
        )
        .service(
            resource("/workspace/admin/users/{id}/memberships", POST)
                .route(web::post().to(users::change_memberships)),
        )
        .service(
            resource("/workspace/admin/users/{id}/disable", POST)
                .route(web::post().to(users::disable_user)),
        )
        .service(
            resource("/workspace/admin/users/{id}/enable", POST)
                .route(web::post().to(users::enable_user)),
        )
        .service(
            resource("/workspace/admin/users/{id}/unlock", POST)
                .route(web::post().to(users::unlock_user)),
        )
        .service(resource(NOTICES, GET).route(web::get().to(notices::page)))
        .service(resource("/workspace/admin/webhooks", POST).route(web::post().to(notices::add)))
        .service(
            resource("/workspace/admin/webhooks/{id}/remove", POST)
                .route(web::post().to(notices::remove)),
        )
        .service(
            resource("/workspace/admin/deliveries/{id}/replay", POST)
                .route(web::post().to(notices::replay)),
        )
        .service(
            resource(CLIENTS, GET_POST)
                .route(web::get().to(clients::clients_page))
                .route(web::post().to(clients::create_client)),
        )
        .service(
            resource("/workspace/admin/clients/{client_id}/revoke", POST)
                .route(web::post().to(clients::revoke_client)),
        )
        .service(
            resource(view::organisations::CREATE, POST)
                .route(web::post().to(organisations::create)),
        )
        // Before `{slug}`: `new` is not an organisation (the slug is reserved).
        .service(
            resource(view::organisations::NEW, GET).route(web::get().to(organisations::new_page)),
        )
        .service(
            resource("/workspace/admin/organisations/{slug}", GET_POST)
                .route(web::get().to(organisations::edit_page))
                .route(web::post().to(organisations::save)),
        )
        .service(
            resource("/workspace/admin/examples/retire", POST)
                .route(web::post().to(organisations::retire_examples)),
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
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let asked = query(&req, "page").unwrap_or_default();
    let (accounts, api_clients, organisations, examples) = blocking(&state, move |conn| {
        use crate::registry::settings;
        let pager = Pager::new(&asked, PAGE_SIZE, settings::count(conn)? as usize);
        Ok((
            crate::auth::users::list(conn)?,
            crate::auth::clients::list(conn)?,
            (settings::page(conn, pager.window())?, pager),
            crate::registry::organisation::examples(conn)?,
        ))
    })
    .await?;
    let retired = query(&req, "retired").map(|n| {
        view::Notice::Done(format!(
            "{n} example organisation(s) retired: no longer listed or served; their records and history are kept."
        ))
    });
    let examples: Vec<String> = examples.into_iter().map(|(_, slug)| slug).collect();
    Ok(admin_page(
        StatusCode::OK,
        "Administration",
        home_page(
            &signed_in.0,
            (
                &accounts,
                &api_clients,
                (&organisations.0, &organisations.1),
            ),
            &examples,
            retired.as_ref(),
        ),
    ))
}
