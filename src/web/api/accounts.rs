//! Workspace accounts through the API (`accounts:manage`, for a caller of every organisation):
//! the list, and the organisations each account is a member of, with its role in each.

use actix_web::{HttpResponse, web};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::users::{self, Account, AccountError, ChangedBy, Role};
use crate::registry::organisation;
use crate::web::error::{ApiError, AppError, FieldError};
use crate::web::extract::{Caller, JsonBody, ManageAccounts};
use crate::web::{AppState, db};

/// A workspace account: never its password or sessions.
#[derive(Serialize, ToSchema)]
pub struct AccountOut {
    pub id: i32,
    pub email: String,
    /// Its highest role: admin, editor or viewer.
    #[schema(value_type = String, example = "editor")]
    pub role: &'static str,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: NaiveDateTime,
    /// Set while it is disabled.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub disabled_at: Option<NaiveDateTime>,
    /// Every organisation, with its role.
    pub all_organisations: bool,
    /// The organisations it is a member of (empty with `all_organisations`).
    pub memberships: Vec<Membership>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Membership {
    /// The organisation's slug.
    pub organisation: String,
    #[schema(value_type = String, example = "editor")]
    pub role: String,
}

/// What an account is to be a member of, replacing what it had: either every organisation, or
/// the ones listed.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipsIn {
    /// Every organisation, with the account's role (then `memberships` stays empty).
    #[serde(default)]
    pub all_organisations: bool,
    /// Each organisation (slug) with the role there: admin, editor or viewer.
    #[serde(default)]
    pub memberships: Vec<Membership>,
}

impl From<Account> for AccountOut {
    fn from(a: Account) -> Self {
        AccountOut {
            id: a.id,
            email: a.email,
            role: a.role.as_str(),
            created_at: a.created_at,
            disabled_at: a.disabled_at,
            all_organisations: a.memberships.is_none(),
            memberships: a
                .memberships
                .unwrap_or_default()
                .into_iter()
                .map(|(organisation, role)| Membership {
                    organisation,
                    role: role.as_str().to_string(),
                })
                .collect(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts",
    responses((status = 200, description = "Every workspace account, by e-mail", body = Vec<AccountOut>),
        (status = 403, description = "The token lacks accounts:manage, or is bound to some organisations (problem+json)", body = inline(Object))),
    security(("bearer" = ["accounts:manage"])))]
pub async fn accounts(
    _caller: Caller<ManageAccounts>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let list = db(&state, users::list).await.map_err(AppError::db)?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(AccountOut::from).collect::<Vec<_>>()))
}

#[utoipa::path(put, path = "/api/v1/accounts/{id}/memberships", tag = "accounts", request_body = MembershipsIn,
    params(("id" = i32, Path, description = "The account")),
    responses((status = 200, description = "The account as it now is", body = AccountOut),
        (status = 404, description = "No such account (problem+json)", body = inline(Object)),
        (status = 409, description = "Refused: it would leave no enabled admin of every organisation (problem+json)", body = inline(Object)),
        (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object))),
    security(("bearer" = ["accounts:manage"])))]
pub async fn set_memberships(
    caller: Caller<ManageAccounts>,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonBody<MembershipsIn>,
) -> Result<HttpResponse, ApiError> {
    let not_found = |id: &str| AppError::NotFound {
        what: format!("account '{id}'"),
    };
    let id: i32 = path.parse().map_err(|_| not_found(&path))?;
    let body = body.read()?;
    let known = db(&state, organisation::list).await.map_err(AppError::db)?;
    let asked = memberships(&body, |slug| known.iter().any(|o| o.slug == slug))
        .map_err(AppError::Invalid)?;
    let actor = caller.actor();
    let account = db(&state, move |conn| {
        users::set_memberships(conn, id, asked.as_deref(), ChangedBy::Client(&actor))?;
        users::list(conn)?
            .into_iter()
            .find(|a| a.id == id)
            .ok_or(AccountError::NotFound(id))
    })
    .await
    .map_err(|e| match e {
        AccountError::NotFound(_) => not_found(&id.to_string()),
        AccountError::Refused(message) => AppError::Conflict(message),
        AccountError::Db(e) => AppError::db(e),
    })?;
    Ok(HttpResponse::Ok().json(AccountOut::from(account)))
}

/// The memberships asked for (`None`: every organisation), each organisation one that `exists`;
/// every problem named by its field.
fn memberships(
    body: &MembershipsIn,
    exists: impl Fn(&str) -> bool,
) -> Result<Option<Vec<(String, Role)>>, Vec<FieldError>> {
    if body.all_organisations {
        return match body.memberships.is_empty() {
            true => Ok(None),
            false => Err(vec![FieldError::new(
                "memberships",
                "must be empty with all_organisations",
            )]),
        };
    }
    let mut errors = Vec::new();
    let mut list: Vec<(String, Role)> = Vec::new();
    for (i, m) in body.memberships.iter().enumerate() {
        let role = m
            .role
            .parse::<Role>()
            .map_err(|e| errors.push(FieldError::new(format!("memberships[{i}].role"), e)));
        if !exists(&m.organisation) {
            errors.push(FieldError::new(
                format!("memberships[{i}].organisation"),
                format!("there is no organisation '{}'", m.organisation),
            ));
        } else if list.iter().any(|(slug, _)| *slug == m.organisation) {
            errors.push(FieldError::new(
                format!("memberships[{i}].organisation"),
                format!("'{}' is listed twice", m.organisation),
            ));
        } else if let Ok(role) = role {
            list.push((m.organisation.clone(), role));
        }
    }
    if list.is_empty() && errors.is_empty() {
        errors.push(FieldError::new(
            "memberships",
            "name at least one organisation, or set all_organisations",
        ));
    }
    match errors.is_empty() {
        true => Ok(Some(list)),
        false => Err(errors),
    }
}
