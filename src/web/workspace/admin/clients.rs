//! The API clients page: create a machine client (its secret shown once), revoke one.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::{CLIENTS, HOME, Notice, admin_page, breadcrumb, notice, query, when};
use crate::auth::Scope;
use crate::auth::clients::{self, ApiClient};
use crate::web::error::{AppError, FieldError};
use crate::web::extract::{Admin, PostedForm};
use crate::web::workspace::forms::{
    self, Form, HTML, described_by, error_summary, field_error, invalid, see_other,
};
use crate::web::workspace::{SignedIn, workspace_bar};
use crate::web::{AppState, blocking};

/// The longest client name kept.
const CLIENT_NAME_MAX: usize = 100;

fn scope_purpose(scope: Scope) -> &'static str {
    match scope {
        Scope::RegistryRead => "read the registry (vendors, transfers, assessments)",
        Scope::RegistryWrite => "add and change vendors and transfers",
        Scope::IntakeWrite => "file intake requests for new vendors",
    }
}

/// The scopes ticked in a form, trimmed.
fn typed_scopes(form: &Form) -> Vec<String> {
    form.all("scopes")
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The list, and the create form keeping what was `typed` in it, with its `errors`.
fn clients_markup(
    signed_in: &SignedIn,
    list: &[ApiClient],
    notice_: Option<&Notice>,
    typed: &Form,
    errors: &[FieldError],
) -> Markup {
    let csrf = &signed_in.0.csrf_token;
    let ticked = typed_scopes(typed);
    html! {
        (workspace_bar(signed_in, HOME))
        (breadcrumb("API clients"))
        h1 { "API clients" }
        (notice(notice_))
        p { "Programs (procurement tools) get short-lived API tokens at " code { "POST /oauth/token" } " with a client's id and secret (the client credentials grant). A revoked client gets no new token." }
        table.vendors.clients {
            caption { "API clients (" (list.len()) "), oldest first" }
            thead {
                tr {
                    th scope="col" { "Client id" }
                    th scope="col" { "Name" }
                    th scope="col" { "Scopes" }
                    th scope="col" { "Created" }
                    th scope="col" { "State" }
                    th scope="col" { "Revoke" }
                }
            }
            tbody {
                @if list.is_empty() { tr { td colspan="6" { "No client yet." } } }
                @for c in list {
                    tr id={ "client-" (c.client_id) } {
                        th scope="row" data-label="Client id" { code { (c.client_id) } }
                        td data-label="Name" { (c.name) }
                        td data-label="Scopes" { (c.scopes.join(" ")) }
                        td data-label="Created" { (when(c.created_at)) }
                        td data-label="State" {
                            @match c.revoked_at { Some(at) => { strong { "Revoked" } " on " (when(at)) }, None => "Active" }
                        }
                        td data-label="Revoke" {
                            @if c.revoked_at.is_none() {
                                form.inline method="post" action={ (CLIENTS) "/" (c.client_id) "/revoke" } {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button.secondary type="submit" { "Revoke " (c.name) span.visually-hidden { " (" (c.client_id) ")" } }
                                }
                            }
                        }
                    }
                }
            }
        }
        h2 #create-title { "Create a client" }
        (error_summary("The new client", errors))
        form.stacked.admin method="post" action=(CLIENTS) aria-labelledby="create-title" novalidate {
            input type="hidden" name="csrf" value=(csrf);
            div.field {
                label for="name" { "Name (required): what the program is, e.g. “Procurement tool”" }
                input #name type="text" name="name" value=(typed.get("name")) maxlength=(CLIENT_NAME_MAX) required
                    aria-invalid=[invalid(errors, "name")] aria-describedby=[described_by(errors, "name")];
                (field_error(errors, "name"))
            }
            fieldset #scopes aria-describedby=[described_by(errors, "scopes")] {
                legend { "Scopes (at least one): what its tokens may do" }
                @for scope in Scope::ALL {
                    div.check {
                        input type="checkbox" id={ "scope-" (scope.as_str().replace(':', "-")) } name="scopes" value=(scope.as_str())
                            checked[ticked.iter().any(|s| s == scope.as_str())];
                        label for={ "scope-" (scope.as_str().replace(':', "-")) } { code { (scope.as_str()) } ": " (scope_purpose(scope)) }
                    }
                }
                (field_error(errors, "scopes"))
            }
            p.note { "The secret is shown once, on the next page: it is not stored and cannot be shown again." }
            button type="submit" { "Create the client" }
        }
    }
}

/// `GET /workspace/admin/clients`.
pub async fn clients_page(
    Admin(signed_in): Admin,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let list = blocking(&state, HTML, clients::list).await?;
    let client = query(&req, "client").unwrap_or_default();
    let named = list.iter().find(|c| c.client_id == client);
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
            &signed_in,
            &list,
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
) -> Result<HttpResponse, AppError> {
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
    if !errors.is_empty() {
        let list = blocking(&state, HTML, clients::list).await?;
        return Ok(admin_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "API clients",
            clients_markup(&signed_in, &list, None, &form, &errors),
        ));
    }
    let actor = forms::actor(&signed_in);
    let (client, secret) = blocking(&state, HTML, move |conn| {
        clients::create(conn, &name, &scopes, &actor)
    })
    .await?;
    let site = {
        let info = req.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    };
    let example = format!(
        "curl -s -u '{}:{secret}' -d grant_type=client_credentials {site}/oauth/token",
        client.client_id
    );
    Ok(admin_page(
        StatusCode::CREATED,
        "API client created",
        html! {
            (workspace_bar(&signed_in, HOME))
            (breadcrumb("API clients"))
            h1 { "API client created" }
            div.form-error role="alert" #copy-now {
                p { strong { "Copy the secret now." } " It is not stored and cannot be shown again: this page is the only time you see it. If it is lost, revoke the client and create another." }
            }
            dl.intake-details {
                div { dt { "Name" } dd { (client.name) } }
                div { dt { "Client id" } dd { code #client-id { (client.client_id) } } }
                div { dt { "Client secret" } dd { code #client-secret { (secret) } } }
                div { dt { "Scopes" } dd { (client.scopes.join(" ")) } }
            }
            p { "The program gets a token (valid for a few minutes) with:" }
            pre tabindex="0" { code { (example) } }
            p { a href=(CLIENTS) { "Back to the API clients" } }
        },
    ))
}

/// `POST /workspace/admin/clients/{client_id}/revoke`.
pub async fn revoke_client(
    PostedForm { signed_in, .. }: PostedForm<Admin>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let client_id = path.into_inner();
    let actor = forms::actor(&signed_in);
    let wanted = client_id.clone();
    let (revoked, exists) = blocking(&state, HTML, move |conn| {
        let revoked = clients::revoke(conn, &wanted, &actor)?;
        let exists = revoked || clients::list(conn)?.iter().any(|c| c.client_id == wanted);
        Ok((revoked, exists))
    })
    .await?;
    if !exists {
        return Err(AppError::NotFound {
            what: format!("API client '{client_id}'"),
            audience: HTML,
        });
    }
    let done = if revoked { "revoked" } else { "already" };
    let query =
        serde_urlencoded::to_string([("done", done), ("client", &client_id)]).unwrap_or_default();
    Ok(see_other(format!("{CLIENTS}?{query}")))
}
