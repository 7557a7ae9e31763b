//! The accounts page: the list with each account's role and access forms, and the form that
//! creates one.

use maud::{Markup, html};

use super::{HOME, Notice, USERS, breadcrumb, notice, when};
use crate::auth::sessions::Session;
use crate::auth::users::{Account, MIN_PASSWORD_CHARS, Role};
use crate::web::error::FieldError;
use crate::web::views::table::Table;
use crate::web::views::workspace::bar;
use crate::web::views::workspace::form::{described_by, error_summary, field_error, invalid};
use crate::web::views::workspace::pager::{Pager, page_link, pager_nav};
use crate::web::workspace::forms::Form;

/// A refused change on one account's row.
pub struct RowError {
    pub id: i32,
    /// Which control of the row: "role", "organisations" or "access".
    pub control: &'static str,
    pub message: String,
}

/// The accounts page: the list, and the create form.
pub struct UsersView<'a> {
    /// The accounts on this page of the list.
    pub accounts: &'a [Account],
    pub pager: &'a Pager,
    /// Every organisation (slug, name), for the memberships forms.
    pub organisations: &'a [(String, String)],
    pub notice: Option<Notice>,
    /// What was typed in a refused create form; the passwords in it are never shown again.
    pub typed: &'a Form,
    pub errors: Vec<FieldError>,
    pub row_error: Option<RowError>,
}

impl<'a> UsersView<'a> {
    /// The list, with an empty create form.
    pub fn list(
        (accounts, pager): (&'a [Account], &'a Pager),
        organisations: &'a [(String, String)],
        notice: Option<Notice>,
        row_error: Option<RowError>,
    ) -> Self {
        const EMPTY: &Form = &Form(Vec::new());
        UsersView {
            accounts,
            pager,
            organisations,
            notice,
            typed: EMPTY,
            errors: Vec::new(),
            row_error,
        }
    }
}

fn role_select(id: &str, name: &str, selected: &str, described: Option<String>) -> Markup {
    html! {
        select id=(id) name=(name) aria-invalid=[described.as_ref().map(|_| "true")] aria-describedby=[described] {
            @for role in [Role::Viewer, Role::Editor, Role::Admin] {
                option value=(role.as_str()) selected[selected == role.as_str()] { (role.as_str()) }
            }
        }
    }
}

fn account_state(a: &Account) -> Markup {
    html! {
        @if let Some(at) = a.disabled_at {
            strong { "Disabled" } " since " (when(at))
        } @else if let Some(until) = a.locked_until {
            strong { "Locked" } " until " (when(until)) " from at least one address (too many failed sign-ins there)"
        } @else {
            "Active"
        }
    }
}

/// The organisations an account sees, in words.
fn memberships_text(a: &Account) -> String {
    match &a.memberships {
        None => "Every organisation".to_string(),
        Some(list) => list
            .iter()
            .map(|(slug, role)| format!("{slug} ({})", role.as_str()))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The form that sets the organisations an account sees and its role in each, or every
/// organisation with its account role.
fn memberships_form(
    a: &Account,
    organisations: &[(String, String)],
    csrf: &str,
    described: Option<String>,
) -> Markup {
    let role_in = |slug: &str| {
        a.memberships
            .as_ref()
            .and_then(|list| list.iter().find(|(s, _)| s == slug).map(|(_, r)| *r))
    };
    html! {
        details {
            summary { "Change organisations" span.visually-hidden { " of " (a.email) } }
            form.stacked method="post" action={ (USERS) "/" (a.id) "/memberships" } {
                input type="hidden" name="csrf" value=(csrf);
                fieldset aria-describedby=[described] {
                    legend { "Organisations " (a.email) " sees, with the role in each" }
                    div.check {
                        input type="checkbox" id={ "every-" (a.id) } name="every" value="on" checked[a.memberships.is_none()];
                        label for={ "every-" (a.id) } { "Every organisation, as " (a.role.as_str()) " (the admin pages need it)" }
                    }
                    @for (slug, name) in organisations {
                        @let id = format!("org-{}-{slug}", a.id);
                        @let current = role_in(slug);
                        div.field {
                            label for=(id) { (name) }
                            select id=(id) name="org" {
                                option value="" selected[current.is_none()] { "not a member" }
                                @for role in [Role::Viewer, Role::Editor, Role::Admin] {
                                    option value={ (slug) ":" (role.as_str()) } selected[current == Some(role)] { (role.as_str()) }
                                }
                            }
                        }
                    }
                }
                button type="submit" { "Save organisations" span.visually-hidden { " of " (a.email) } }
            }
        }
    }
}

pub fn users_markup(session: &Session, view: &UsersView) -> Markup {
    let me = session.user.id;
    let csrf = &session.csrf_token;
    let errors = &view.errors;
    html! {
        (bar(session, HOME))
        (breadcrumb("Accounts"))
        h1 { "Accounts" }
        (notice(view.notice.as_ref()))
        p { "Viewers read, editors edit the registry, admins also manage accounts, API clients and organisation settings. An account sees every organisation, or only those it is a member of, with a role in each (the others do not exist for it); the admin pages are for admins of every organisation. An account is never deleted: disable it, and it cannot sign in and its sessions end." }
        (Table::new("vendors accounts", html! { "Accounts (" (view.pager.total) "), by e-mail"
            @if view.pager.pages() > 1 { ", page " (view.pager.page) " of " (view.pager.pages()) } }, &["E-mail", "Role", "Organisations", "Created", "Last sign-in", "State", "Change"]).render(html! {
            @for a in view.accounts {
                @let row_error = view.row_error.as_ref().filter(|e| e.id == a.id);
                @let role_error = row_error.filter(|e| e.control == "role").map(|_| format!("role-{}-error", a.id));
                @let access_error = row_error.filter(|e| e.control == "access").map(|_| format!("access-{}-error", a.id));
                @let organisations_error = row_error.filter(|e| e.control == "organisations").map(|_| format!("organisations-{}-error", a.id));
                tr id={ "user-" (a.id) } {
                    th scope="row" data-label="E-mail" { (a.email) @if a.id == me { " (you)" } }
                    td data-label="Role" { (a.role.as_str()) }
                    td data-label="Organisations" {
                        (memberships_text(a))
                        @if a.id != me {
                            (memberships_form(a, view.organisations, csrf, organisations_error))
                        }
                    }
                    td data-label="Created" { (when(a.created_at)) }
                    td data-label="Last sign-in" {
                        @match a.last_sign_in { Some(t) => (when(t)), None => "Never" }
                    }
                    td data-label="State" { (account_state(a)) }
                    td data-label="Change" {
                        @if let Some(e) = row_error {
                            p.field-error id=(format!("{}-{}-error", e.control, a.id)) { (e.message) }
                        }
                        @if a.id == me {
                            p.note { "You cannot change your own role or disable yourself, so the workspace always keeps an admin. Another admin can." }
                        } @else {
                            form.inline method="post" action={ (USERS) "/" (a.id) "/role" } {
                                input type="hidden" name="csrf" value=(csrf);
                                label.visually-hidden for={ "role-" (a.id) } { "Role of " (a.email) }
                                (role_select(&format!("role-{}", a.id), "role", a.role.as_str(), role_error))
                                button type="submit" { "Change role" span.visually-hidden { " of " (a.email) } }
                            }
                            form.inline method="post" action={ (USERS) "/" (a.id) "/reset" } {
                                input type="hidden" name="csrf" value=(csrf);
                                button type="submit" { "Reset the password" span.visually-hidden { " of " (a.email) } }
                            }
                            @if a.locked_until.is_some() && a.disabled_at.is_none() {
                                form.inline method="post" action={ (USERS) "/" (a.id) "/unlock" } {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button type="submit" aria-describedby=[access_error.clone()] { "Unlock " (a.email) }
                                }
                            }
                            @if a.disabled_at.is_some() {
                                form.inline method="post" action={ (USERS) "/" (a.id) "/enable" } {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button type="submit" aria-describedby=[access_error] { "Enable " (a.email) }
                                }
                            } @else {
                                form.inline method="post" action={ (USERS) "/" (a.id) "/disable" } {
                                    input type="hidden" name="csrf" value=(csrf);
                                    button.secondary type="submit" aria-describedby=[access_error] { "Disable " (a.email) }
                                }
                            }
                        }
                    }
                }
            }
        }))
        (pager_nav(view.pager, "accounts", |n| page_link(USERS, "", n)))
        h2 #create-title { "Create an account" }
        @let form_markup = html! {
            form.stacked.admin method="post" action=(USERS) aria-labelledby="create-title" novalidate {
                input type="hidden" name="csrf" value=(csrf);
                div.field {
                    label for="email" { "E-mail (required): they sign in with it" }
                    input #email type="email" name="email" value=(view.typed.get("email")) autocomplete="off" required
                        aria-invalid=[invalid(errors, "email")] aria-describedby=[described_by(errors, "email")];
                    (field_error(errors, "email"))
                }
                div.field {
                    label for="role" { "Role" }
                    (role_select("role", "role", &view.typed.opt("role").unwrap_or_else(|| "viewer".into()), described_by(errors, "role")))
                    (field_error(errors, "role"))
                }
                div.field {
                    label for="password" { "Initial password (required, at least " (MIN_PASSWORD_CHARS) " characters)" }
                    input #password type="password" name="password" autocomplete="new-password" minlength=(MIN_PASSWORD_CHARS) required
                        aria-invalid=[invalid(errors, "password")] aria-describedby=[described_by(errors, "password")];
                    (field_error(errors, "password"))
                }
                div.field {
                    label for="password_confirm" { "The same password again (required)" }
                    input #password_confirm type="password" name="password_confirm" autocomplete="new-password" minlength=(MIN_PASSWORD_CHARS) required
                        aria-invalid=[invalid(errors, "password_confirm")] aria-describedby=[described_by(errors, "password_confirm")];
                    (field_error(errors, "password_confirm"))
                }
                @if !errors.is_empty() {
                    p.note { "For safety the passwords are not shown again: type them once more." }
                }
                p.note { "Give the password to its owner by a channel other than e-mail." }
                button type="submit" { "Create the account" }
            }
        };
        (error_summary("The new account", errors, &form_markup))
        (form_markup)
    }
}
