//! The accounts page: create accounts, change roles, disable and enable sign-in (never delete).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::{HOME, Notice, USERS, admin_page, breadcrumb, notice, query, when};
use crate::auth::users::{self, Account, AccountError, CreateError, MIN_PASSWORD_CHARS, Role};
use crate::values::EmailAddress;
use crate::web::error::{AppError, FieldError};
use crate::web::extract::{Admin, PostedForm};
use crate::web::workspace::forms::{
    self, Form, HTML, described_by, error_summary, field_error, invalid, see_other,
};
use crate::web::workspace::{SignedIn, workspace_bar};
use crate::web::{AppState, blocking};

/// A refused change on one account's row.
struct RowError {
    id: i32,
    /// Which control of the row: "role" or "access".
    control: &'static str,
    message: String,
}

struct UsersView<'a> {
    accounts: &'a [Account],
    notice: Option<Notice>,
    /// What was typed in a refused create form; the passwords in it are never shown again.
    typed: &'a Form,
    errors: Vec<FieldError>,
    row_error: Option<RowError>,
}

impl<'a> UsersView<'a> {
    /// The list, with an empty create form.
    fn list(accounts: &'a [Account], notice: Option<Notice>, row_error: Option<RowError>) -> Self {
        const EMPTY: &Form = &Form(Vec::new());
        UsersView {
            accounts,
            notice,
            typed: EMPTY,
            errors: Vec::new(),
            row_error,
        }
    }
}

async fn accounts(state: &AppState) -> Result<Vec<Account>, AppError> {
    blocking(state, HTML, users::list).await
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
            strong { "Locked" } " until " (when(until)) " (too many failed sign-ins)"
        } @else {
            "Active"
        }
    }
}

fn users_markup(signed_in: &SignedIn, view: &UsersView) -> Markup {
    let me = signed_in.0.user.id;
    let csrf = &signed_in.0.csrf_token;
    let errors = &view.errors;
    html! {
        (workspace_bar(signed_in, HOME))
        (breadcrumb("Accounts"))
        h1 { "Accounts" }
        (notice(view.notice.as_ref()))
        p { "Viewers read, editors edit the registry, admins also manage accounts, API clients and organisation settings. An account is never deleted: disable it, and it cannot sign in and its sessions end." }
        table.vendors.accounts {
            caption { "Accounts (" (view.accounts.len()) "), by e-mail" }
            thead {
                tr {
                    th scope="col" { "E-mail" }
                    th scope="col" { "Role" }
                    th scope="col" { "Created" }
                    th scope="col" { "Last sign-in" }
                    th scope="col" { "State" }
                    th scope="col" { "Change" }
                }
            }
            tbody {
                @for a in view.accounts {
                    @let row_error = view.row_error.as_ref().filter(|e| e.id == a.id);
                    @let role_error = row_error.filter(|e| e.control == "role").map(|_| format!("role-{}-error", a.id));
                    @let access_error = row_error.filter(|e| e.control == "access").map(|_| format!("access-{}-error", a.id));
                    tr id={ "user-" (a.id) } {
                        th scope="row" data-label="E-mail" { (a.email) @if a.id == me { " (you)" } }
                        td data-label="Role" { (a.role.as_str()) }
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
            }
        }
        h2 #create-title { "Create an account" }
        (error_summary("The new account", errors))
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
    }
}

fn users_response(status: StatusCode, signed_in: &SignedIn, view: &UsersView) -> HttpResponse {
    admin_page(status, "Accounts", users_markup(signed_in, view))
}

/// `GET /workspace/admin/users`, with an optional notice of what a form just did.
pub async fn users_page(
    Admin(signed_in): Admin,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let accounts = accounts(&state).await?;
    let target = query(&req, "id")
        .and_then(|id| id.parse::<i32>().ok())
        .and_then(|id| accounts.iter().find(|a| a.id == id));
    let done = match (query(&req, "done").as_deref(), target) {
        (Some("created"), Some(a)) => Some(format!(
            "Account {} created with the role {}: they can sign in now.",
            a.email,
            a.role.as_str()
        )),
        (Some("role"), Some(a)) => Some(format!("{} is now {}.", a.email, a.role.as_str())),
        (Some("disabled"), Some(a)) => Some(format!(
            "{} is disabled: they cannot sign in, and their sessions have ended.",
            a.email
        )),
        (Some("enabled"), Some(a)) => Some(format!("{} can sign in again.", a.email)),
        _ => None,
    };
    let view = UsersView::list(&accounts, done.map(Notice::Done), None);
    Ok(users_response(StatusCode::OK, &signed_in, &view))
}

/// `POST /workspace/admin/users`: creates an account.
pub async fn create_user(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let email = form.get("email").to_lowercase();
    let password = form.raw("password");
    let confirm = form.raw("password_confirm");
    let mut errors = Vec::new();
    let mut problem = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.into(),
            message,
        })
    };
    if email.is_empty() {
        problem(
            "email",
            "Give the e-mail address the person will sign in with.".into(),
        );
    } else if EmailAddress::parse(&email).is_err() {
        problem(
            "email",
            format!("'{email}' is not an e-mail address (name@example.com)."),
        );
    }
    let role = form.get("role").parse::<Role>();
    if role.is_err() {
        problem("role", "Choose a role: viewer, editor or admin.".into());
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        problem(
            "password",
            format!("The password must have at least {MIN_PASSWORD_CHARS} characters."),
        );
    }
    if confirm != password {
        problem(
            "password_confirm",
            "The two passwords differ: type the same password twice.".into(),
        );
    }
    let refused = |errors: Vec<FieldError>, status: StatusCode, accounts: &[Account]| {
        let view = UsersView {
            accounts,
            notice: None,
            typed: &form,
            errors,
            row_error: None,
        };
        users_response(status, &signed_in, &view)
    };
    let role = match role {
        Ok(role) if errors.is_empty() => role,
        _ => {
            let accounts = accounts(&state).await?;
            return Ok(refused(errors, StatusCode::UNPROCESSABLE_ENTITY, &accounts));
        }
    };
    let actor = forms::actor(&signed_in);
    // The store's own refusals come back as the value, for the page to show.
    let created = blocking(&state, HTML, move |conn| {
        Ok(users::create(conn, &email, &password, role, &actor))
    })
    .await?;
    match created {
        Ok(user) => Ok(see_other(format!("{USERS}?done=created&id={}", user.id))),
        Err(CreateError::Exists(email)) => {
            let accounts = accounts(&state).await?;
            Ok(refused(
                vec![FieldError {
                    field: "email".into(),
                    message: format!("An account for {email} exists already."),
                }],
                StatusCode::CONFLICT,
                &accounts,
            ))
        }
        Err(e @ (CreateError::Email(_) | CreateError::Password)) => {
            // Checked above already; kept for completeness.
            let accounts = accounts(&state).await?;
            let field = if matches!(e, CreateError::Password) {
                "password"
            } else {
                "email"
            };
            Ok(refused(
                vec![FieldError {
                    field: field.into(),
                    message: crate::web::views::capitalised(&e.to_string()) + ".",
                }],
                StatusCode::UNPROCESSABLE_ENTITY,
                &accounts,
            ))
        }
        Err(CreateError::Db(e)) => Err(AppError::db(e, HTML)),
    }
}

fn account_id(raw: &str) -> Result<i32, AppError> {
    raw.parse::<i32>().map_err(|_| AppError::NotFound {
        what: format!("account '{raw}'"),
        audience: HTML,
    })
}

/// The list with a refused change on one account's row, and the reason at the top.
fn row_refused(
    status: StatusCode,
    signed_in: &SignedIn,
    accounts: &[Account],
    id: i32,
    control: &'static str,
    message: String,
) -> HttpResponse {
    let notice = Notice::Refused(format!("Nothing was changed. {message}"));
    let row_error = RowError {
        id,
        control,
        message,
    };
    let view = UsersView::list(accounts, Some(notice), Some(row_error));
    users_response(status, signed_in, &view)
}

/// The outcome of a change on one account's row: back to the list, or the list with the reason.
async fn account_change(
    signed_in: &SignedIn,
    state: &AppState,
    id: i32,
    control: &'static str,
    outcome: Result<bool, AccountError>,
    done: &str,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(_) => Ok(see_other(format!("{USERS}?done={done}&id={id}#user-{id}"))),
        Err(AccountError::NotFound(id)) => Err(AppError::NotFound {
            what: format!("account #{id}"),
            audience: HTML,
        }),
        Err(AccountError::Db(e)) => Err(AppError::db(e, HTML)),
        Err(AccountError::Refused(message)) => {
            let accounts = accounts(state).await?;
            Ok(row_refused(
                StatusCode::CONFLICT,
                signed_in,
                &accounts,
                id,
                control,
                message,
            ))
        }
    }
}

/// `POST /workspace/admin/users/{id}/role`.
pub async fn change_role(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Admin>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = account_id(&path)?;
    let role = match form.get("role").parse::<Role>() {
        Ok(role) => role,
        Err(_) => {
            let accounts = accounts(&state).await?;
            if !accounts.iter().any(|a| a.id == id) {
                return Err(AppError::NotFound {
                    what: format!("account #{id}"),
                    audience: HTML,
                });
            }
            let message = format!(
                "'{}' is not a role: choose viewer, editor or admin.",
                form.get("role")
            );
            return Ok(row_refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                &signed_in,
                &accounts,
                id,
                "role",
                message,
            ));
        }
    };
    let by = signed_in.0.user.clone();
    let outcome = blocking(&state, HTML, move |conn| {
        Ok(users::set_role(conn, id, role, &by))
    })
    .await?;
    account_change(&signed_in, &state, id, "role", outcome, "role").await
}

async fn set_access(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    disabled: bool,
) -> Result<HttpResponse, AppError> {
    let id = account_id(&path)?;
    let by = signed_in.0.user.clone();
    let outcome = blocking(&state, HTML, move |conn| {
        Ok(users::set_disabled(conn, id, disabled, &by))
    })
    .await?;
    let done = if disabled { "disabled" } else { "enabled" };
    account_change(&signed_in, &state, id, "access", outcome, done).await
}

/// `POST /workspace/admin/users/{id}/disable`: no sign-in, sessions ended; nothing deleted.
pub async fn disable_user(
    PostedForm { signed_in, .. }: PostedForm<Admin>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set_access(signed_in, state, path, true).await
}

/// `POST /workspace/admin/users/{id}/enable`.
pub async fn enable_user(
    PostedForm { signed_in, .. }: PostedForm<Admin>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    set_access(signed_in, state, path, false).await
}
