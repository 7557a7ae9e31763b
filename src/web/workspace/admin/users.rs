//! The accounts page: create accounts, change roles, disable and enable sign-in (never delete).

use super::{admin_page, query};
use crate::auth::users::{self, Account, AccountError, CreateError, MIN_PASSWORD_CHARS, Role};
use crate::registry::organisation;
use crate::values::EmailAddress;
use crate::web::error::PageError;
use crate::web::error::{AppError, FieldError};
use crate::web::extract::{Admin, PostedForm};
use crate::web::views::workspace::admin::users::{RowError, UsersView, users_markup};
use crate::web::views::workspace::admin::{Notice, USERS};
use crate::web::views::workspace::pager::{PAGE_SIZE, Pager, Shown};
use crate::web::workspace::SignedIn;
use crate::web::workspace::forms::{self, see_other};
use crate::web::{AppState, blocking};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

/// A page of the accounts, with where it is, and every organisation (slug, name) for the
/// memberships forms.
struct Listing {
    accounts: Vec<Account>,
    pager: Pager,
    organisations: Vec<(String, String)>,
}

impl Listing {
    fn view(&self, notice: Option<Notice>, row_error: Option<RowError>) -> UsersView<'_> {
        UsersView::list(
            (&self.accounts, &self.pager),
            &self.organisations,
            notice,
            row_error,
        )
    }
}

async fn accounts(state: &AppState, shown: Shown<i32>) -> Result<Listing, AppError> {
    blocking(state, move |conn| {
        let organisations = organisation::list(conn)?
            .into_iter()
            .map(|o| (o.slug, o.name))
            .collect();
        let asked = shown.page(PAGE_SIZE, |id| users::position(conn, id))?;
        let pager = Pager::new(&asked, PAGE_SIZE, users::count(conn)? as usize);
        Ok(Listing {
            accounts: users::page(conn, pager.window())?,
            pager,
            organisations,
        })
    })
    .await
}

fn users_response(status: StatusCode, signed_in: &SignedIn, view: &UsersView) -> HttpResponse {
    admin_page(status, "Accounts", users_markup(&signed_in.0, view))
}

/// `GET /workspace/admin/users`, with an optional notice of what a form just did.
pub async fn users_page(
    Admin(signed_in): Admin,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let id = query(&req, "id").and_then(|id| id.parse::<i32>().ok());
    // A change's notice names the account: show the page that holds it, unless another is asked.
    let shown = match (query(&req, "page"), id) {
        (None, Some(id)) => Shown::Holding(id),
        (page, _) => Shown::Asked(page.unwrap_or_default()),
    };
    let listing = accounts(&state, shown).await?;
    let target = id.and_then(|id| listing.accounts.iter().find(|a| a.id == id));
    let done = match (query(&req, "done").as_deref(), target) {
        (Some("created"), Some(a)) => Some(format!(
            "Account {} created with the role {}: they can sign in now.",
            a.email,
            a.role.as_str()
        )),
        (Some("role"), Some(a)) => Some(format!("{} is now {}.", a.email, a.role.as_str())),
        (Some("memberships"), Some(a)) => Some(match &a.memberships {
            None => format!(
                "{} now sees every organisation, as {}.",
                a.email,
                a.role.as_str()
            ),
            Some(list) => format!(
                "{} now sees only {}.",
                a.email,
                list.iter()
                    .map(|(slug, role)| format!("{slug} (as {})", role.as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
        (Some("disabled"), Some(a)) => Some(format!(
            "{} is disabled: they cannot sign in, and their sessions have ended.",
            a.email
        )),
        (Some("enabled"), Some(a)) => Some(format!("{} can sign in again.", a.email)),
        (Some("unlocked"), Some(a)) => Some(format!(
            "{} is unlocked: sign-in from every address is open again.",
            a.email
        )),
        _ => None,
    };
    let view = listing.view(done.map(Notice::Done), None);
    Ok(users_response(StatusCode::OK, &signed_in, &view))
}

/// `POST /workspace/admin/users`: creates an account.
pub async fn create_user(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
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
    let refused = |errors: Vec<FieldError>, status: StatusCode, listing: &Listing| {
        let view = UsersView {
            typed: &form,
            errors,
            ..listing.view(None, None)
        };
        users_response(status, &signed_in, &view)
    };
    let role = match role {
        Ok(role) if errors.is_empty() => role,
        _ => {
            let listing = accounts(&state, Shown::Asked(String::new())).await?;
            return Ok(refused(errors, StatusCode::UNPROCESSABLE_ENTITY, &listing));
        }
    };
    let actor = forms::actor(&signed_in);
    // The store's own refusals come back as the value, for the page to show.
    let created = blocking(&state, move |conn| {
        Ok(users::create(conn, &email, &password, role, &actor))
    })
    .await?;
    match created {
        Ok(user) => Ok(see_other(format!("{USERS}?done=created&id={}", user.id))),
        Err(CreateError::Exists(email)) => {
            let listing = accounts(&state, Shown::Asked(String::new())).await?;
            Ok(refused(
                vec![FieldError {
                    field: "email".into(),
                    message: format!("An account for {email} exists already."),
                }],
                StatusCode::CONFLICT,
                &listing,
            ))
        }
        Err(e @ (CreateError::Email(_) | CreateError::Password)) => {
            // Checked above already; kept for completeness.
            let listing = accounts(&state, Shown::Asked(String::new())).await?;
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
                &listing,
            ))
        }
        Err(CreateError::Db(e)) => Err(AppError::db(e).into()),
    }
}

fn account_id(raw: &str) -> Result<i32, AppError> {
    raw.parse::<i32>().map_err(|_| AppError::NotFound {
        what: format!("account '{raw}'"),
    })
}

/// The list with a refused change on one account's row, and the reason at the top.
fn row_refused(
    status: StatusCode,
    signed_in: &SignedIn,
    listing: &Listing,
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
    let view = listing.view(Some(notice), Some(row_error));
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
) -> Result<HttpResponse, PageError> {
    match outcome {
        Ok(_) => Ok(see_other(format!("{USERS}?done={done}&id={id}#user-{id}"))),
        Err(AccountError::NotFound(id)) => Err(AppError::NotFound {
            what: format!("account #{id}"),
        }
        .into()),
        Err(AccountError::Db(e)) => Err(AppError::db(e).into()),
        Err(AccountError::Refused(message)) => {
            let listing = accounts(state, Shown::Holding(id)).await?;
            Ok(row_refused(
                StatusCode::CONFLICT,
                signed_in,
                &listing,
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
) -> Result<HttpResponse, PageError> {
    let id = account_id(&path)?;
    let role = match form.get("role").parse::<Role>() {
        Ok(role) => role,
        Err(_) => {
            let listing = accounts(&state, Shown::Holding(id)).await?;
            if !listing.accounts.iter().any(|a| a.id == id) {
                return Err(AppError::NotFound {
                    what: format!("account #{id}"),
                }
                .into());
            }
            let message = format!(
                "'{}' is not a role: choose viewer, editor or admin.",
                form.get("role")
            );
            return Ok(row_refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                &signed_in,
                &listing,
                id,
                "role",
                message,
            ));
        }
    };
    let by = signed_in.0.user.clone();
    let outcome = blocking(&state, move |conn| Ok(users::set_role(conn, id, role, &by))).await?;
    account_change(&signed_in, &state, id, "role", outcome, "role").await
}

async fn set_access(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    disabled: bool,
) -> Result<HttpResponse, PageError> {
    let id = account_id(&path)?;
    let by = signed_in.0.user.clone();
    let outcome = blocking(&state, move |conn| {
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
) -> Result<HttpResponse, PageError> {
    set_access(signed_in, state, path, true).await
}

/// `POST /workspace/admin/users/{id}/enable`.
pub async fn enable_user(
    PostedForm { signed_in, .. }: PostedForm<Admin>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    set_access(signed_in, state, path, false).await
}

/// `POST /workspace/admin/users/{id}/unlock`: lifts the account's sign-in locks.
pub async fn unlock_user(
    PostedForm { signed_in, .. }: PostedForm<Admin>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = account_id(&path)?;
    let by = signed_in.0.user.clone();
    let outcome = blocking(&state, move |conn| Ok(users::unlock(conn, id, &by))).await?;
    account_change(&signed_in, &state, id, "access", outcome, "unlocked").await
}

/// The memberships a form asks for: `None` for every organisation (`every` ticked), else each
/// organisation given a role (`org` = `slug:role`, one per organisation); or why not.
fn asked_memberships(
    form: &forms::Form,
    known: &[(String, String)],
) -> Result<Option<Vec<(String, Role)>>, String> {
    if form.get("every") == "on" {
        return Ok(None);
    }
    let mut list: Vec<(String, Role)> = Vec::new();
    for value in form.all("org") {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let (slug, role) = value
            .split_once(':')
            .filter(|(slug, _)| known.iter().any(|(s, _)| s == slug))
            .ok_or_else(|| format!("'{value}' is not an organisation with a role."))?;
        let role = role
            .parse::<Role>()
            .map_err(|_| format!("'{role}' is not a role: choose viewer, editor or admin."))?;
        if list.iter().any(|(s, _)| s == slug) {
            return Err(format!("{slug} is given two roles: give it one."));
        }
        list.push((slug.to_string(), role));
    }
    if list.is_empty() {
        return Err(
            "Give the account a role in at least one organisation, or tick every organisation."
                .into(),
        );
    }
    list.sort();
    Ok(Some(list))
}

/// `POST /workspace/admin/users/{id}/memberships`: the organisations an account sees, with its
/// role in each, or every organisation. Audited (`change_memberships`); applies at the
/// account's next request.
pub async fn change_memberships(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Admin>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id = account_id(&path)?;
    let listing = accounts(&state, Shown::Holding(id)).await?;
    if !listing.accounts.iter().any(|a| a.id == id) {
        return Err(AppError::NotFound {
            what: format!("account #{id}"),
        }
        .into());
    }
    let memberships = match asked_memberships(&form, &listing.organisations) {
        Ok(memberships) => memberships,
        Err(message) => {
            return Ok(row_refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                &signed_in,
                &listing,
                id,
                "organisations",
                message,
            ));
        }
    };
    let by = signed_in.0.user.clone();
    let outcome = blocking(&state, move |conn| {
        Ok(users::set_memberships(
            conn,
            id,
            memberships.as_deref(),
            users::ChangedBy::Admin(&by),
        ))
    })
    .await?;
    account_change(
        &signed_in,
        &state,
        id,
        "organisations",
        outcome,
        "memberships",
    )
    .await
}
