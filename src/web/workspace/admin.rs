//! The admin pages of the workspace (`/workspace/admin`): accounts (create, change role, disable
//! and enable again, never delete), the API's machine clients (create, shown their secret once,
//! revoke) and each organisation's settings (notice period, privacy contact).
//!
//! Every route, GET and POST, answers 403 to anyone but an admin; every form is CSRF-checked
//! before anything else; every write is audited by the function that makes it.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDateTime;
use maud::{Markup, html};

use super::SignedIn;
use crate::auth::Scope;
use crate::auth::clients::{self, ApiClient};
use crate::auth::users::{self, Account, AccountError, CreateError, MIN_PASSWORD_CHARS, Role};
use crate::registry::settings::{self, MAX_ANNOUNCE_DAYS, OrganisationSettings, SettingsError};
use crate::web::error::{AppError, Audience, FieldError};
use crate::web::views::layout;
use crate::web::{AppState, blocking};

const HTML: Audience = Audience::Html;
const HOME: &str = "/workspace/admin";
const USERS: &str = "/workspace/admin/users";
const CLIENTS: &str = "/workspace/admin/clients";
/// The longest client name kept.
const CLIENT_NAME_MAX: usize = 100;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(HOME, web::get().to(home))
        .route(USERS, web::get().to(users_page))
        .route(USERS, web::post().to(create_user))
        .route(
            "/workspace/admin/users/{id}/role",
            web::post().to(change_role),
        )
        .route(
            "/workspace/admin/users/{id}/disable",
            web::post().to(disable_user),
        )
        .route(
            "/workspace/admin/users/{id}/enable",
            web::post().to(enable_user),
        )
        .route(CLIENTS, web::get().to(clients_page))
        .route(CLIENTS, web::post().to(create_client))
        .route(
            "/workspace/admin/clients/{client_id}/revoke",
            web::post().to(revoke_client),
        )
        .route(
            "/workspace/admin/organisations/{slug}",
            web::get().to(settings_page),
        )
        .route(
            "/workspace/admin/organisations/{slug}",
            web::post().to(save_settings),
        );
}

// --- Shared pieces ---

/// A posted form, read leniently (repeated fields kept), so that a form without its token is
/// refused by the CSRF check (403) rather than by a parser.
struct Form(Vec<(String, String)>);

impl Form {
    fn parse(body: &[u8]) -> Self {
        Form(serde_urlencoded::from_bytes(body).unwrap_or_default())
    }

    /// A field as typed, untrimmed (passwords).
    fn raw(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn get(&self, name: &str) -> String {
        self.raw(name).trim().to_string()
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
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

/// What every admin form passes first: the CSRF token, then the role.
fn authorise(signed_in: &SignedIn, form: &Form) -> Result<(), AppError> {
    signed_in.check_csrf(&form.get("csrf"))?;
    require_admin(signed_in)
}

fn actor(signed_in: &SignedIn) -> String {
    format!("user:{}", signed_in.0.user.email)
}

fn page(status: StatusCode, title: &str, body: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(layout(title, html! {}, body).into_string())
}

fn see_other(location: String) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

fn query(req: &HttpRequest, name: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn error_id(field: &str) -> String {
    format!("{}-error", field.replace(['.', '[', ']'], "-"))
}

/// The error of one field, tied to its control (`aria-describedby`) for screen readers.
fn field_error(errors: &[FieldError], field: &str) -> Markup {
    html! {
        @for e in errors.iter().filter(|e| e.field == field) {
            p.field-error id=(error_id(field)) { (e.message) }
        }
    }
}

fn described_by(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .any(|e| e.field == field)
        .then(|| error_id(field))
}

fn invalid(errors: &[FieldError], field: &str) -> Option<&'static str> {
    errors.iter().any(|e| e.field == field).then_some("true")
}

/// The list of a form's errors at its top, each linking to its field.
fn error_summary(what: &str, errors: &[FieldError]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.form-error role="alert" {
                p { (what) " " (errors.len()) " field(s) need attention." }
                ul { @for e in errors { li { a href={ "#" (e.field) } { (e.field) } ": " (e.message) } } }
            }
        }
    }
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

// --- The admin home ---

/// `GET /workspace/admin`: what admins manage, with links.
pub async fn home(
    signed_in: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    require_admin(&signed_in)?;
    let (accounts, api_clients, organisations) = blocking(&state, HTML, |conn| {
        Ok((
            users::list(conn)?,
            clients::list(conn)?,
            settings::list(conn)?,
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
    Ok(page(
        StatusCode::OK,
        "Administration",
        html! {
            (super::workspace_bar(&signed_in, HOME))
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
                            td data-label="Notice period" { (days(o.announce_days)) }
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

fn days(n: i32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

// --- Accounts ---

/// What was typed in a refused create form (never the passwords: they are typed again).
#[derive(Default)]
struct NewAccount {
    email: String,
    role: String,
    errors: Vec<FieldError>,
}

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
    draft: NewAccount,
    row_error: Option<RowError>,
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
    let errors = &view.draft.errors;
    html! {
        (super::workspace_bar(signed_in, HOME))
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
        (error_summary("The account was not created:", errors))
        form.stacked.admin method="post" action=(USERS) aria-labelledby="create-title" novalidate {
            input type="hidden" name="csrf" value=(csrf);
            div.field {
                label for="email" { "E-mail (required): they sign in with it" }
                input #email type="email" name="email" value=(view.draft.email) autocomplete="off" required
                    aria-invalid=[invalid(errors, "email")] aria-describedby=[described_by(errors, "email")];
                (field_error(errors, "email"))
            }
            div.field {
                label for="role" { "Role" }
                (role_select("role", "role", if view.draft.role.is_empty() { "viewer" } else { &view.draft.role }, described_by(errors, "role")))
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
    page(status, "Accounts", users_markup(signed_in, view))
}

/// `GET /workspace/admin/users`, with an optional notice of what a form just did.
pub async fn users_page(
    signed_in: SignedIn,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    require_admin(&signed_in)?;
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
    let view = UsersView {
        accounts: &accounts,
        notice: done.map(Notice::Done),
        draft: NewAccount::default(),
        row_error: None,
    };
    Ok(users_response(StatusCode::OK, &signed_in, &view))
}

/// `POST /workspace/admin/users`: creates an account.
pub async fn create_user(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = Form::parse(&body);
    authorise(&signed_in, &form)?;
    let email = form.get("email").to_lowercase();
    let role_typed = form.get("role");
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
    } else if !users::valid_email(&email) {
        problem(
            "email",
            format!("'{email}' is not an e-mail address (name@example.com)."),
        );
    }
    let role = role_typed.parse::<Role>();
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
            draft: NewAccount {
                email: form.get("email"),
                role: role_typed.clone(),
                errors,
            },
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
    let actor = actor(&signed_in);
    let db = state.db.clone();
    let created = web::block(move || {
        let mut conn = db.get()?;
        users::create(&mut conn, &email, &password, role, &actor)
    })
    .await
    .map_err(|e| AppError::internal(e.to_string(), HTML))?;
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
            let view = UsersView {
                accounts: &accounts,
                notice: Some(Notice::Refused(format!("Nothing was changed. {message}"))),
                draft: NewAccount::default(),
                row_error: Some(RowError {
                    id,
                    control,
                    message,
                }),
            };
            Ok(users_response(StatusCode::CONFLICT, signed_in, &view))
        }
    }
}

/// `POST /workspace/admin/users/{id}/role`.
pub async fn change_role(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = Form::parse(&body);
    authorise(&signed_in, &form)?;
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
            let view = UsersView {
                accounts: &accounts,
                notice: Some(Notice::Refused(format!("Nothing was changed. {message}"))),
                draft: NewAccount::default(),
                row_error: Some(RowError {
                    id,
                    control: "role",
                    message,
                }),
            };
            return Ok(users_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                &signed_in,
                &view,
            ));
        }
    };
    let by = signed_in.0.user.clone();
    let db = state.db.clone();
    let outcome = web::block(move || {
        let mut conn = db.get()?;
        users::set_role(&mut conn, id, role, &by)
    })
    .await
    .map_err(|e| AppError::internal(e.to_string(), HTML))?;
    account_change(&signed_in, &state, id, "role", outcome, "role").await
}

async fn set_access(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
    disabled: bool,
) -> Result<HttpResponse, AppError> {
    let form = Form::parse(&body);
    authorise(&signed_in, &form)?;
    let id = account_id(&path)?;
    let by = signed_in.0.user.clone();
    let db = state.db.clone();
    let outcome = web::block(move || {
        let mut conn = db.get()?;
        users::set_disabled(&mut conn, id, disabled, &by)
    })
    .await
    .map_err(|e| AppError::internal(e.to_string(), HTML))?;
    let done = if disabled { "disabled" } else { "enabled" };
    account_change(&signed_in, &state, id, "access", outcome, done).await
}

/// `POST /workspace/admin/users/{id}/disable`: no sign-in, sessions ended; nothing deleted.
pub async fn disable_user(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    set_access(signed_in, state, path, body, true).await
}

/// `POST /workspace/admin/users/{id}/enable`.
pub async fn enable_user(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    set_access(signed_in, state, path, body, false).await
}

// --- API clients ---

fn scope_purpose(scope: Scope) -> &'static str {
    match scope {
        Scope::RegistryRead => "read the registry (vendors, transfers, assessments)",
        Scope::RegistryWrite => "add and change vendors and transfers",
        Scope::IntakeWrite => "file intake requests for new vendors",
    }
}

/// What was typed in a refused create form.
#[derive(Default)]
struct NewClient {
    name: String,
    scopes: Vec<String>,
    errors: Vec<FieldError>,
}

fn clients_markup(
    signed_in: &SignedIn,
    list: &[ApiClient],
    notice_: Option<&Notice>,
    draft: &NewClient,
) -> Markup {
    let csrf = &signed_in.0.csrf_token;
    let errors = &draft.errors;
    html! {
        (super::workspace_bar(signed_in, HOME))
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
        (error_summary("The client was not created:", errors))
        form.stacked.admin method="post" action=(CLIENTS) aria-labelledby="create-title" novalidate {
            input type="hidden" name="csrf" value=(csrf);
            div.field {
                label for="name" { "Name (required): what the program is, e.g. “Procurement tool”" }
                input #name type="text" name="name" value=(draft.name) maxlength=(CLIENT_NAME_MAX) required
                    aria-invalid=[invalid(errors, "name")] aria-describedby=[described_by(errors, "name")];
                (field_error(errors, "name"))
            }
            fieldset #scopes aria-describedby=[described_by(errors, "scopes")] {
                legend { "Scopes (at least one): what its tokens may do" }
                @for scope in Scope::ALL {
                    div.check {
                        input type="checkbox" id={ "scope-" (scope.as_str().replace(':', "-")) } name="scopes" value=(scope.as_str())
                            checked[draft.scopes.iter().any(|s| s == scope.as_str())];
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
    signed_in: SignedIn,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    require_admin(&signed_in)?;
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
    Ok(page(
        StatusCode::OK,
        "API clients",
        clients_markup(
            &signed_in,
            &list,
            done.map(Notice::Done).as_ref(),
            &NewClient::default(),
        ),
    ))
}

/// `POST /workspace/admin/clients`: creates a client and shows its secret, once.
pub async fn create_client(
    signed_in: SignedIn,
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = Form::parse(&body);
    authorise(&signed_in, &form)?;
    let name = form.get("name");
    let typed_scopes: Vec<String> = form
        .all("scopes")
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
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
        let draft = NewClient {
            name,
            scopes: typed_scopes,
            errors,
        };
        return Ok(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "API clients",
            clients_markup(&signed_in, &list, None, &draft),
        ));
    }
    let actor = actor(&signed_in);
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
    Ok(page(
        StatusCode::CREATED,
        "API client created",
        html! {
            (super::workspace_bar(&signed_in, HOME))
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
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = Form::parse(&body);
    authorise(&signed_in, &form)?;
    let client_id = path.into_inner();
    let actor = actor(&signed_in);
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

// --- Organisation settings ---

/// The settings form's values: as stored, or as typed.
struct SettingsDraft {
    version: String,
    announce_days: String,
    privacy_contact: String,
}

impl SettingsDraft {
    fn stored(s: &OrganisationSettings) -> Self {
        SettingsDraft {
            version: s.version.to_string(),
            announce_days: s.announce_days.to_string(),
            privacy_contact: s.privacy_contact.clone().unwrap_or_default(),
        }
    }
}

/// Someone saved first: what is stored now, against what was typed.
struct Stale<'a> {
    current: &'a OrganisationSettings,
    expected: i32,
}

fn settings_markup(
    signed_in: &SignedIn,
    org: &OrganisationSettings,
    draft: &SettingsDraft,
    errors: &[FieldError],
    notice_: Option<&Notice>,
    stale: Option<&Stale>,
) -> Markup {
    let action = format!("/workspace/admin/organisations/{}", org.slug);
    html! {
        (super::workspace_bar(signed_in, HOME))
        (breadcrumb(&format!("Settings of {}", org.name)))
        h1 { "Settings of " (org.name) }
        (notice(notice_))
        @if let Some(stale) = stale {
            div.form-error role="alert" #stale {
                p {
                    "Someone else saved these settings after you opened them (you edited version " (stale.expected)
                    ", it is now version " (stale.current.version) "). Nothing was saved."
                }
                table.changed-fields {
                    caption { "What is saved now, and what you typed" }
                    thead { tr { th scope="col" { "Setting" } th scope="col" { "Saved now" } th scope="col" { "Yours" } } }
                    tbody {
                        tr {
                            th scope="row" { "Notice period (days)" }
                            td { (stale.current.announce_days) }
                            td { (draft.announce_days) }
                        }
                        tr {
                            th scope="row" { "Privacy contact" }
                            td { (stale.current.privacy_contact.as_deref().unwrap_or("(none)")) }
                            td { @if draft.privacy_contact.is_empty() { "(none)" } @else { (draft.privacy_contact) } }
                        }
                    }
                }
                p { "To keep what is saved, " a href=(action) { "open the settings again" } ". To replace it with yours, save the form below again." }
            }
        }
        (error_summary("The settings were not saved:", errors))
        p { "The public sub-processor list of " (org.name) " is at " a href={ "/" (org.slug) "/subprocessors" } { "/" (org.slug) "/subprocessors" } "." }
        form.stacked.admin method="post" action=(action) novalidate {
            input type="hidden" name="csrf" value=(signed_in.0.csrf_token);
            input type="hidden" name="version" value=(draft.version);
            div.field {
                label for="announce_days" { "Notice period, in days (0 to " (MAX_ANNOUNCE_DAYS) ")" }
                input #announce_days type="number" name="announce_days" min="0" max=(MAX_ANNOUNCE_DAYS) step="1" inputmode="numeric" required
                    value=(draft.announce_days)
                    aria-invalid=[invalid(errors, "announce_days")]
                    aria-describedby={ "announce_days-help" @if let Some(id) = described_by(errors, "announce_days") { " " (id) } };
                p.help id="announce_days-help" {
                    "A vendor added as active is announced in the change log and the feed, and takes effect this many days later unless another date is given. "
                    "Published lists give 10 to 30 days, 30 being the most common (GDPR Art. 28(2) asks for notice of new sub-processors)."
                }
                (field_error(errors, "announce_days"))
            }
            div.field {
                label for="privacy_contact" { "Privacy contact: an e-mail address or a web address (optional)" }
                input #privacy_contact type="text" name="privacy_contact" value=(draft.privacy_contact) maxlength=(settings::CONTACT_MAX)
                    aria-invalid=[invalid(errors, "privacy_contact")] aria-describedby=[described_by(errors, "privacy_contact")];
                (field_error(errors, "privacy_contact"))
            }
            button type="submit" { "Save the settings" }
        }
    }
}

async fn organisation(state: &AppState, slug: &str) -> Result<OrganisationSettings, AppError> {
    let wanted = slug.to_string();
    blocking(state, HTML, move |conn| settings::get(conn, &wanted))
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: format!("organisation '{slug}'"),
            audience: HTML,
        })
}

/// `GET /workspace/admin/organisations/{slug}`.
pub async fn settings_page(
    signed_in: SignedIn,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    require_admin(&signed_in)?;
    let org = organisation(&state, &path).await?;
    let saved = query(&req, "saved").is_some().then(|| {
        Notice::Done(format!(
            "Saved (version {}): vendors added as active now take effect after {}.",
            org.version,
            days(org.announce_days)
        ))
    });
    Ok(page(
        StatusCode::OK,
        &format!("Settings of {}", org.name),
        settings_markup(
            &signed_in,
            &org,
            &SettingsDraft::stored(&org),
            &[],
            saved.as_ref(),
            None,
        ),
    ))
}

/// `POST /workspace/admin/organisations/{slug}`: saves the settings if the version edited is
/// still current.
pub async fn save_settings(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = Form::parse(&body);
    authorise(&signed_in, &form)?;
    let org = organisation(&state, &path).await?;
    let version_typed = form.get("version");
    let expected: i32 = version_typed.parse().map_err(|_| AppError::BadParameter {
        name: "version".into(),
        problem: format!("'{version_typed}' is not a version number: open the settings page again"),
        audience: HTML,
    })?;
    let draft = SettingsDraft {
        version: version_typed.clone(),
        announce_days: form.get("announce_days"),
        privacy_contact: form.get("privacy_contact"),
    };
    let title = format!("Settings of {}", org.name);
    let change = match settings::check(
        &draft.announce_days,
        &draft.privacy_contact,
        org.privacy_contact.as_deref(),
    ) {
        Ok(change) => change,
        Err(problems) => {
            let errors: Vec<FieldError> = problems
                .into_iter()
                .map(|p| FieldError {
                    field: p.field.into(),
                    message: p.message,
                })
                .collect();
            return Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &title,
                settings_markup(&signed_in, &org, &draft, &errors, None, None),
            ));
        }
    };
    let actor = actor(&signed_in);
    let (db, slug) = (state.db.clone(), org.slug.clone());
    let outcome = web::block(move || {
        let mut conn = db.get().map_err(SettingsError::Db)?;
        settings::update(&mut conn, &slug, expected, &change, &actor)
    })
    .await
    .map_err(|e| AppError::internal(e.to_string(), HTML))?;
    match outcome {
        Ok(saved) => Ok(see_other(format!(
            "/workspace/admin/organisations/{}?saved={}",
            saved.slug, saved.version
        ))),
        Err(SettingsError::Stale { current, expected }) => {
            // What was typed is kept, with the current version: saving again is a decision
            // taken knowing what the other person saved.
            let draft = SettingsDraft {
                version: current.version.to_string(),
                ..draft
            };
            Ok(page(
                StatusCode::CONFLICT,
                &title,
                settings_markup(
                    &signed_in,
                    &current,
                    &draft,
                    &[],
                    None,
                    Some(&Stale {
                        current: &current,
                        expected,
                    }),
                ),
            ))
        }
        Err(SettingsError::NotFound(slug)) => Err(AppError::NotFound {
            what: format!("organisation '{slug}'"),
            audience: HTML,
        }),
        Err(SettingsError::Db(e)) => Err(AppError::db(e, HTML)),
    }
}
