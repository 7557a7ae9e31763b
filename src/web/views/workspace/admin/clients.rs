//! The API clients page: the list with a revoke button each, the form that creates a client,
//! and the page that shows a new client's secret once.

use maud::{Markup, html};

use super::{CLIENTS, HOME, Notice, breadcrumb, notice, when};
use crate::auth::Scope;
use crate::auth::clients::ApiClient;
use crate::auth::sessions::Session;
use crate::web::error::FieldError;
use crate::web::views::table::Table;
use crate::web::views::workspace::bar;
use crate::web::views::workspace::form::{described_by, error_summary, field_error, invalid};
use crate::web::views::workspace::pager::{Pager, page_link, pager_nav};
use crate::web::workspace::forms::Form;

/// The longest client name kept.
pub const CLIENT_NAME_MAX: usize = 100;

fn scope_purpose(scope: Scope) -> &'static str {
    match scope {
        Scope::RegistryRead => "read the registry (vendors, transfers, assessments)",
        Scope::RegistryWrite => "add and change vendors and transfers",
        Scope::IntakeWrite => "file intake requests for new vendors",
        Scope::ObjectionsWrite => "object to announced changes on a customer's behalf",
        Scope::WebhooksManage => "register and remove the organisation's webhooks",
        Scope::AccountsManage => {
            "list workspace accounts and set their organisations (a client of every organisation only)"
        }
        Scope::OrganisationsManage => {
            "create organisations (a client of every organisation only) and edit their settings"
        }
    }
}

/// The scopes ticked in a form, trimmed.
pub fn typed_scopes(form: &Form) -> Vec<String> {
    form.all("scopes")
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The organisations a client acts on, in words.
fn organisations_text(client: &ApiClient) -> String {
    match &client.organisations {
        None => "Every organisation".to_string(),
        Some(list) => list.join(", "),
    }
}

/// The list, and the create form keeping what was `typed` in it, with its `errors`.
pub fn clients_markup(
    session: &Session,
    (list, pager): (&[ApiClient], &Pager),
    organisations: &[(String, String)],
    notice_: Option<&Notice>,
    typed: &Form,
    errors: &[FieldError],
) -> Markup {
    let csrf = &session.csrf_token;
    let ticked = typed_scopes(typed);
    let ticked_organisations = typed.all("organisation");
    html! {
        (bar(session, HOME))
        (breadcrumb("API clients"))
        h1 { "API clients" }
        (notice(notice_))
        p { "Programs (procurement tools) get short-lived API tokens at " code { "POST /oauth/token" } " with a client's id and secret (the client credentials grant). A revoked client gets no new token." }
        (Table::new("vendors clients", html! { "API clients (" (pager.total) "), oldest first"
            @if pager.pages() > 1 { ", page " (pager.page) " of " (pager.pages()) } }, &["Client id", "Name", "Scopes", "Organisations", "Created", "State", "Revoke"]).render(html! {
            @if list.is_empty() { tr { td colspan="7" { "No client yet." } } }
            @for c in list {
                tr id={ "client-" (c.client_id) } {
                    th scope="row" data-label="Client id" { code { (c.client_id) } }
                    td data-label="Name" { (c.name) }
                    td data-label="Scopes" { (c.scopes.join(" ")) }
                    td data-label="Organisations" { (organisations_text(c)) }
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
        }))
        (pager_nav(pager, "API clients", |n| page_link(CLIENTS, "", n)))
        h2 #create-title { "Create a client" }
        @let form_markup = html! {
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
                fieldset #organisations aria-describedby=[described_by(errors, "organisation")] {
                    legend { "Organisations: those its tokens act on (none ticked: every organisation)" }
                    @for (slug, name) in organisations {
                        div.check {
                            input type="checkbox" id={ "organisation-" (slug) } name="organisation" value=(slug)
                                checked[ticked_organisations.iter().any(|s| s == slug)];
                            label for={ "organisation-" (slug) } { (name) " (" code { (slug) } ")" }
                        }
                    }
                    p.note { "Anything of another organisation does not exist for the client's tokens (404)." }
                    (field_error(errors, "organisation"))
                }
                p.note { "The secret is shown once, on the next page: it is not stored and cannot be shown again." }
                button type="submit" { "Create the client" }
            }
        };
        (error_summary("The new client", errors, &form_markup))
        (form_markup)
    }
}

/// The client just created, with its secret (shown this once) and how to get a token.
pub fn created_page(session: &Session, client: &ApiClient, secret: &str, example: &str) -> Markup {
    html! {
        (bar(session, HOME))
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
            div { dt { "Organisations" } dd { (organisations_text(client)) } }
        }
        p { "The program gets a token (valid for a few minutes) with:" }
        pre tabindex="0" { code { (example) } }
        p { a href=(CLIENTS) { "Back to the API clients" } }
    }
}
