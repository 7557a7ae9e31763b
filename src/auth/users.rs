//! Workspace accounts: argon2id passwords, roles, sessions behind a cookie, and login throttling
//! (slowed after a few failures, then locked for a while, per account and per address).

use std::str::FromStr;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::secrets;
use crate::audit::{AuditEvent, audit};
use crate::db::schema::{login_attempts, sessions, users};
use crate::db::{DbConnection, DbError};

/// What an account may do: viewers read, editors edit, admins also manage accounts, API clients
/// and organisation settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "viewer" => Ok(Role::Viewer),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            other => Err(format!("unknown role '{other}' (admin, editor or viewer)")),
        }
    }
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: i32,
    pub email: String,
    pub role: Role,
}

/// A signed-in user, with the session's CSRF token for forms.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: NaiveDateTime,
}

/// How long a session lasts after login.
pub const SESSION_HOURS: i64 = 8;
/// Failed logins are counted over this many minutes.
const WINDOW_MINUTES: i64 = 15;
/// Failures (in the window) after which each further attempt waits.
pub const SLOW_AFTER: i64 = 3;
/// Failures for one account after which it is locked until the window passes.
pub const LOCK_ACCOUNT_AFTER: i64 = 5;
/// Failures from one address after which it is locked until the window passes.
pub const LOCK_ADDRESS_AFTER: i64 = 20;

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong e-mail or password")]
    Wrong { failures: i64 },
    #[error("too many failed attempts: try again in {minutes} minutes")]
    Locked { minutes: i64 },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for LoginError {
    fn from(e: diesel::result::Error) -> Self {
        LoginError::Db(DbError::Query(e))
    }
}

use crate::date::now;

fn sha256(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks an e-mail address enough to catch typos: one @, something on both sides, a dot after.
pub fn valid_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Why an account was not created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("--email: '{0}' is not an e-mail address")]
    Email(String),
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters")]
    Password,
    #[error("an account for {0} exists already")]
    Exists(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Creates an account. Passwords shorter than [`MIN_PASSWORD_CHARS`] are refused.
pub fn create(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
    role: Role,
    actor: &str,
) -> Result<User, CreateError> {
    let email = email.trim().to_lowercase();
    if !valid_email(&email) {
        return Err(CreateError::Email(email));
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(CreateError::Password);
    }
    let hash = secrets::hash(password)?;
    conn.write_transaction(|conn| {
        let exists: i64 = users::table
            .filter(users::email.eq(&email))
            .count()
            .get_result(conn)?;
        if exists > 0 {
            return Ok(Err(CreateError::Exists(email.clone())));
        }
        let id: i32 = diesel::insert_into(users::table)
            .values((
                users::email.eq(&email),
                users::password_hash.eq(&hash),
                users::role.eq(role.as_str()),
                users::created_at.eq(now()),
            ))
            .returning(users::id)
            .get_result(conn)?;
        audit(
            conn,
            AuditEvent {
                actor,
                action: "create",
                entity: "user",
                entity_id: id,
                organisation_id: None,
                before: None,
                after: Some(serde_json::json!({"email": email, "role": role.as_str()}).to_string()),
            },
        )?;
        Ok(Ok(User {
            id,
            email: email.clone(),
            role,
        }))
    })
    .map_err(|e: diesel::result::Error| CreateError::Db(e.into()))?
}

fn failures_since(
    conn: &mut DbConnection,
    email: &str,
    address: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, i64, Option<NaiveDateTime>)> {
    let by_email: Vec<NaiveDateTime> = login_attempts::table
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::succeeded.eq(0))
        .filter(login_attempts::attempted_at.gt(since))
        .select(login_attempts::attempted_at)
        .load(conn)?;
    let by_address: Vec<NaiveDateTime> = login_attempts::table
        .filter(login_attempts::address.eq(address))
        .filter(login_attempts::succeeded.eq(0))
        .filter(login_attempts::attempted_at.gt(since))
        .select(login_attempts::attempted_at)
        .load(conn)?;
    let newest = by_email.iter().chain(&by_address).max().copied();
    Ok((by_email.len() as i64, by_address.len() as i64, newest))
}

/// How many recent failures an account or address has: the caller waits longer the more.
pub fn recent_failures(
    conn: &mut DbConnection,
    email: &str,
    address: &str,
) -> Result<i64, DbError> {
    let since = now() - Duration::minutes(WINDOW_MINUTES);
    let (e, a, _) = failures_since(conn, &email.trim().to_lowercase(), address, since)?;
    Ok(e.max(a))
}

/// Checks a password and opens a session. Every attempt is recorded; failures and lockouts are
/// audited.
pub fn login(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
    address: &str,
) -> Result<(Session, String), LoginError> {
    let email = email.trim().to_lowercase();
    let since = now() - Duration::minutes(WINDOW_MINUTES);
    let (by_email, by_address, newest) = failures_since(conn, &email, address, since)?;
    if by_email >= LOCK_ACCOUNT_AFTER || by_address >= LOCK_ADDRESS_AFTER {
        let until = newest.unwrap_or_else(now) + Duration::minutes(WINDOW_MINUTES);
        let minutes = ((until - now()).num_seconds() + 59) / 60;
        return Err(LoginError::Locked {
            minutes: minutes.max(1),
        });
    }
    let row: Option<(i32, String, String, Option<NaiveDateTime>)> = users::table
        .filter(users::email.eq(&email))
        .select((
            users::id,
            users::password_hash,
            users::role,
            users::disabled_at,
        ))
        .first(conn)
        .optional()?;
    let password_ok = secrets::verify(password, row.as_ref().map(|r| r.1.as_str()));
    let user = match row {
        Some((id, _, role, None)) if password_ok => Some(User {
            id,
            email: email.clone(),
            role: role.parse().unwrap_or(Role::Viewer),
        }),
        _ => None,
    };
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        diesel::insert_into(login_attempts::table)
            .values((
                login_attempts::email.eq(&email),
                login_attempts::address.eq(address),
                login_attempts::succeeded.eq(user.is_some() as i32),
                login_attempts::attempted_at.eq(now()),
            ))
            .execute(conn)?;
        let Some(user) = user else {
            let failures = by_email.max(by_address) + 1;
            let locked = by_email + 1 >= LOCK_ACCOUNT_AFTER || by_address + 1 >= LOCK_ADDRESS_AFTER;
            audit(
                conn,
                AuditEvent {
                    actor: &format!("login:{address}"),
                    action: if locked { "lockout" } else { "login_failed" },
                    entity: "user",
                    entity_id: 0,
                    organisation_id: None,
                    before: None,
                    after: Some(serde_json::json!({"email": email, "address": address, "failures": failures}).to_string()),
                },
            )?;
            return Ok(Err(LoginError::Wrong { failures }));
        };
        let token = secrets::random_token();
        let csrf_token = secrets::random_token();
        let expires_at = now() + Duration::hours(SESSION_HOURS);
        diesel::insert_into(sessions::table)
            .values((
                sessions::token_hash.eq(sha256(&token)),
                sessions::user_id.eq(user.id),
                sessions::csrf_token.eq(&csrf_token),
                sessions::created_at.eq(now()),
                sessions::expires_at.eq(expires_at),
            ))
            .execute(conn)?;
        audit(
            conn,
            AuditEvent {
                actor: &format!("user:{}", user.email),
                action: "login",
                entity: "user",
                entity_id: user.id,
                organisation_id: None,
                before: None,
                after: Some(serde_json::json!({"address": address}).to_string()),
            },
        )?;
        Ok(Ok((
            Session {
                user,
                csrf_token,
                expires_at,
            },
            token,
        )))
    })
    .map_err(LoginError::from)?
}

/// The live session of a cookie's token, if any.
pub fn session(conn: &mut DbConnection, token: &str) -> Result<Option<Session>, DbError> {
    let row: Option<(
        i32,
        String,
        String,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
    )> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(sha256(token)))
        .filter(sessions::expires_at.gt(now()))
        .select((
            users::id,
            users::email,
            users::role,
            sessions::csrf_token,
            sessions::expires_at,
            users::disabled_at,
        ))
        .first(conn)
        .optional()?;
    Ok(
        row.and_then(|(id, email, role, csrf_token, expires_at, disabled)| {
            disabled.is_none().then(|| Session {
                user: User {
                    id,
                    email,
                    role: role.parse().unwrap_or(Role::Viewer),
                },
                csrf_token,
                expires_at,
            })
        }),
    )
}

/// Ends a session (logout).
pub fn logout(conn: &mut DbConnection, token: &str) -> Result<(), DbError> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(sha256(token)))).execute(conn)?;
    Ok(())
}

// --- Account administration (the admin pages) ---

/// An account as the admin pages list it: never its password hash.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i32,
    pub email: String,
    pub role: Role,
    pub created_at: NaiveDateTime,
    /// Set while the account is disabled: it cannot sign in and has no session.
    pub disabled_at: Option<NaiveDateTime>,
    /// The last successful sign-in, if one is recorded.
    pub last_sign_in: Option<NaiveDateTime>,
    /// Until when sign-in is locked after too many failures, if it is now.
    pub locked_until: Option<NaiveDateTime>,
}

/// Why an account change was refused.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("there is no account #{0}")]
    NotFound(i32),
    /// A rule refused it (an admin demoting or disabling themself, the last admin): the message
    /// says which and what to do.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for AccountError {
    fn from(e: diesel::result::Error) -> Self {
        AccountError::Db(DbError::Query(e))
    }
}

/// What the audit trail keeps of an account: never its password hash.
fn account_json(email: &str, role: &str, disabled: bool) -> Option<String> {
    Some(serde_json::json!({"email": email, "role": role, "disabled": disabled}).to_string())
}

/// Every account, by e-mail, with its last sign-in and whether it is locked now. Three queries.
pub fn list(conn: &mut DbConnection) -> Result<Vec<Account>, DbError> {
    let rows: Vec<(i32, String, String, NaiveDateTime, Option<NaiveDateTime>)> = users::table
        .order(users::email.asc())
        .select((
            users::id,
            users::email,
            users::role,
            users::created_at,
            users::disabled_at,
        ))
        .load(conn)?;
    let last: std::collections::HashMap<String, Option<NaiveDateTime>> = login_attempts::table
        .filter(login_attempts::succeeded.eq(1))
        .group_by(login_attempts::email)
        .select((
            login_attempts::email,
            diesel::dsl::max(login_attempts::attempted_at),
        ))
        .load::<(String, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .collect();
    let since = now() - Duration::minutes(WINDOW_MINUTES);
    let failures: std::collections::HashMap<String, (i64, Option<NaiveDateTime>)> =
        login_attempts::table
            .filter(login_attempts::succeeded.eq(0))
            .filter(login_attempts::attempted_at.gt(since))
            .group_by(login_attempts::email)
            .select((
                login_attempts::email,
                diesel::dsl::count_star(),
                diesel::dsl::max(login_attempts::attempted_at),
            ))
            .load::<(String, i64, Option<NaiveDateTime>)>(conn)?
            .into_iter()
            .map(|(email, count, newest)| (email, (count, newest)))
            .collect();
    Ok(rows
        .into_iter()
        .map(|(id, email, role, created_at, disabled_at)| {
            let locked_until = failures
                .get(&email)
                .filter(|(count, _)| *count >= LOCK_ACCOUNT_AFTER)
                .and_then(|(_, newest)| *newest)
                .map(|newest| newest + Duration::minutes(WINDOW_MINUTES));
            Account {
                id,
                last_sign_in: last.get(&email).copied().flatten(),
                locked_until,
                role: role.parse().unwrap_or(Role::Viewer),
                email,
                created_at,
                disabled_at,
            }
        })
        .collect())
}

/// Enabled admins other than account `id`.
fn other_enabled_admins(conn: &mut DbConnection, id: i32) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::disabled_at.is_null())
        .filter(users::id.ne(id))
        .count()
        .get_result(conn)
}

fn account_row(
    conn: &mut DbConnection,
    id: i32,
) -> QueryResult<Option<(String, String, Option<NaiveDateTime>)>> {
    users::table
        .find(id)
        .select((users::email, users::role, users::disabled_at))
        .first(conn)
        .optional()
}

/// Locks the admins' rows (a no-op update) before a change that counts them: two admins
/// demoting each other at once would otherwise both see the other still admin, on PostgreSQL.
fn lock_admins(conn: &mut DbConnection) -> QueryResult<()> {
    diesel::update(users::table.filter(users::role.eq(Role::Admin.as_str())))
        .set(users::role.eq(users::role))
        .execute(conn)
        .map(|_| ())
}

/// Gives account `id` a role, by the admin `by`, audited. An admin cannot change their own role
/// (so there is always an admin), nor take the role of the last enabled admin. Returns whether
/// anything changed. The new role applies to the account's open sessions at their next request.
pub fn set_role(
    conn: &mut DbConnection,
    id: i32,
    role: Role,
    by: &User,
) -> Result<bool, AccountError> {
    conn.write_transaction(|conn| {
        lock_admins(conn)?;
        let Some((email, old, disabled)) = account_row(conn, id)? else {
            return Err(AccountError::NotFound(id));
        };
        if old == role.as_str() {
            return Ok(false);
        }
        if id == by.id {
            return Err(AccountError::Refused(
                "You cannot change your own role: the workspace must keep an admin. Ask another admin to do it.".into(),
            ));
        }
        if old == Role::Admin.as_str() && disabled.is_none() && other_enabled_admins(conn, id)? == 0 {
            return Err(AccountError::Refused(format!(
                "{email} is the last enabled admin: make another account admin first."
            )));
        }
        diesel::update(users::table.find(id))
            .set(users::role.eq(role.as_str()))
            .execute(conn)?;
        audit(
            conn,
            AuditEvent {
                actor: &format!("user:{}", by.email),
                action: "change_role",
                entity: "user",
                entity_id: id,
                organisation_id: None,
                before: account_json(&email, &old, disabled.is_some()),
                after: account_json(&email, role.as_str(), disabled.is_some()),
            },
        )?;
        Ok(true)
    })
}

/// Disables account `id` (it cannot sign in and its sessions end) or enables it again, by the
/// admin `by`, audited. Accounts are never deleted. An admin cannot disable themself, nor the
/// last enabled admin. Returns whether anything changed.
pub fn set_disabled(
    conn: &mut DbConnection,
    id: i32,
    disabled: bool,
    by: &User,
) -> Result<bool, AccountError> {
    conn.write_transaction(|conn| {
        lock_admins(conn)?;
        let Some((email, role, was)) = account_row(conn, id)? else {
            return Err(AccountError::NotFound(id));
        };
        if was.is_some() == disabled {
            return Ok(false);
        }
        if disabled && id == by.id {
            return Err(AccountError::Refused(
                "You cannot disable your own account: the workspace must keep an admin. Ask another admin to do it.".into(),
            ));
        }
        if disabled && role == Role::Admin.as_str() && other_enabled_admins(conn, id)? == 0 {
            return Err(AccountError::Refused(format!(
                "{email} is the last enabled admin: make another account admin first."
            )));
        }
        diesel::update(users::table.find(id))
            .set(users::disabled_at.eq(disabled.then(now)))
            .execute(conn)?;
        if disabled {
            diesel::delete(sessions::table.filter(sessions::user_id.eq(id))).execute(conn)?;
        }
        audit(
            conn,
            AuditEvent {
                actor: &format!("user:{}", by.email),
                action: if disabled { "disable" } else { "enable" },
                entity: "user",
                entity_id: id,
                organisation_id: None,
                before: account_json(&email, &role, !disabled),
                after: account_json(&email, &role, disabled),
            },
        )?;
        Ok(true)
    })
}
