//! The API clients page: create a machine client (its secret shown once), revoke one.

use super::{admin_page, query};
use crate::auth::Scope;
use crate::auth::clients::{self, ApiClient};
use crate::web::error::PageError;
use crate::web::error::{AppError, FieldError};
use crate::web::extract::{Admin, PostedForm};
use crate::web::views::workspace::admin::clients::{
    CLIENT_NAME_MAX, clients_markup, created_page, typed_scopes,
};
use crate::web::views::workspace::admin::{CLIENTS, Notice};
use crate::web::views::workspace::pager::{PAGE_SIZE, Pager, Shown};
use crate::web::workspace::forms::{self, Form, see_other};
use crate::web::{AppState, blocking};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

/// A page of the clients, where it is, and every organisation (slug, name) for the create
/// form's checkboxes.
struct Listing {
    clients: Vec<ApiClient>,
    pager: Pager,
    organisations: Vec<(String, String)>,
}

async fn listing(state: &AppState, shown: Shown<String>) -> Result<Listing, AppError> {
    blocking(state, move |conn| {
        let organisations = crate::registry::organisation::list(conn)?
            .into_iter()
            .map(|o| (o.slug, o.name))
            .collect();
        let asked = shown.page(PAGE_SIZE, |client_id| clients::position(conn, &client_id))?;
        let pager = Pager::new(&asked, PAGE_SIZE, clients::count(conn)? as usize);
        Ok(Listing {
            clients: clients::page(conn, pager.window())?,
            pager,
            organisations,
        })
    })
    .await
}

/// `GET /workspace/admin/clients`.
pub async fn clients_page(
    Admin(signed_in): Admin,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let client = query(&req, "client").unwrap_or_default();
    // A revocation's notice names the client: show the page that holds it, unless another is
    // asked.
    let shown = match query(&req, "page") {
        None if !client.is_empty() => Shown::Holding(client.clone()),
        page => Shown::Asked(page.unwrap_or_default()),
    };
    let l = listing(&state, shown).await?;
    let named = l.clients.iter().find(|c| c.client_id == client);
    let done = match (query(&req, "done").as_deref(), named) {
        (Some("revoked"), Some(c)) => Some(format!(
            "{} ({}) is revoked: it gets no new token. Tokens it already has expire within their lifetime.",
            c.name, c.client_id
        )),
        (Some("already"), Some(c)) => {
            Some(format!("{} ({}) was revoked already.", c.name, c.client_id))
        }
        _ => None,
    };
    Ok(admin_page(
        StatusCode::OK,
        "API clients",
        clients_markup(
            &signed_in.0,
            (&l.clients, &l.pager),
            &l.organisations,
            done.map(Notice::Done).as_ref(),
            &Form(Vec::new()),
            &[],
        ),
    ))
}

/// `POST /workspace/admin/clients`: creates a client and shows its secret, once.
pub async fn create_client(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Admin>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let name = form.get("name");
    let typed_scopes = typed_scopes(&form);
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError {
            field: "name".into(),
            message: "Give the client a name that says what it is (“Procurement tool”).".into(),
        });
    } else if name.chars().count() > CLIENT_NAME_MAX {
        errors.push(FieldError {
            field: "name".into(),
            message: format!("The name is too long: at most {CLIENT_NAME_MAX} characters."),
        });
    }
    let mut scopes = Vec::new();
    for s in &typed_scopes {
        match s.parse::<Scope>() {
            Ok(scope) => scopes.push(scope),
            Err(e) => errors.push(FieldError {
                field: "scopes".into(),
                message: crate::web::views::capitalised(&e.to_string()) + ".",
            }),
        }
    }
    scopes.sort();
    scopes.dedup();
    if typed_scopes.is_empty() {
        errors.push(FieldError {
            field: "scopes".into(),
            message: "Tick at least one scope.".into(),
        });
    }
    // The organisations ticked, if any (none: every organisation); unknown ones are refused.
    let l = listing(&state, Shown::Asked(String::new())).await?;
    let known = &l.organisations;
    let mut organisations = form.all("organisation");
    if let Some(unknown) = organisations
        .iter()
        .find(|slug| !known.iter().any(|(s, _)| s == *slug))
    {
        errors.push(FieldError {
            field: "organisation".into(),
            message: format!("There is no organisation '{unknown}'."),
        });
    }
    let bound = (!organisations.is_empty()).then_some(organisations.as_slice());
    if let Err(message) = crate::auth::check_grant(&scopes, bound) {
        errors.push(FieldError {
            field: "scopes".into(),
            message,
        });
    }
    if !errors.is_empty() {
        return Ok(admin_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "API clients",
            clients_markup(
                &signed_in.0,
                (&l.clients, &l.pager),
                known,
                None,
                &form,
                &errors,
            ),
        ));
    }
    let actor = forms::actor(&signed_in);
    organisations.sort();
    organisations.dedup();
    let organisations = (!organisations.is_empty()).then_some(organisations);
    let (client, secret) = blocking(&state, move |conn| {
        clients::create(conn, &name, &scopes, organisations.as_deref(), &actor)
    })
    .await?;
    let site = state.origin.base(&req);
    let example = format!(
        "curl -s -u '{}:{secret}' -d grant_type=client_credentials {site}/oauth/token",
        client.client_id
    );
    Ok(admin_page(
        StatusCode::CREATED,
        "API client created",
        created_page(&signed_in.0, &client, &secret, &example),
    ))
}
/// `POST /workspace/admin/clients/{client_id}/revoke`.
pub async fn revoke_client(
    PostedForm { signed_in, .. }: PostedForm<Admin>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let client_id = path.into_inner();
    let actor = forms::actor(&signed_in);
    let wanted = client_id.clone();
    let (revoked, exists) = blocking(&state, move |conn| {
        let revoked = clients::revoke(conn, &wanted, &actor)?;
        let exists = revoked || clients::position(conn, &wanted)?.is_some();
        Ok((revoked, exists))
    })
    .await?;
    if !exists {
        return Err(AppError::NotFound {
            what: format!("API client '{client_id}'"),
        }
        .into());
    }
    let done = if revoked { "revoked" } else { "already" };
    let query =
        serde_urlencoded::to_string([("done", done), ("client", &client_id)]).unwrap_or_default();
    Ok(see_other(format!("{CLIENTS}?{query}")))
}
