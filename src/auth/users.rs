//! Workspace accounts: argon2id passwords, roles, sessions behind a cookie, and login throttling
//! (slowed after a few failures, then locked for a while, per account and per address).

use std::str::FromStr;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::schema::{login_attempts, sessions, users};
use crate::db::{DbConnection, DbError};
use crate::registry::store::{AuditEvent, audit};

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

fn hash_password(password: &str) -> Result<String, DbError> {
    let salt: [u8; 16] = rand::random();
    Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DbError::Corrupt(format!("cannot hash a password: {e}")))
}

fn sha256(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn random_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
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

/// Creates an account. Passwords shorter than 12 characters are refused.
pub fn create(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
    role: Role,
    actor: &str,
) -> Result<User, String> {
    let email = email.trim().to_lowercase();
    if !valid_email(&email) {
        return Err(format!("--email: '{email}' is not an e-mail address"));
    }
    if password.chars().count() < 12 {
        return Err("the password must have at least 12 characters".into());
    }
    let hash = hash_password(password).map_err(|e| e.to_string())?;
    conn.transaction(|conn| {
        let exists: i64 = users::table
            .filter(users::email.eq(&email))
            .count()
            .get_result(conn)?;
        if exists > 0 {
            return Ok(Err(format!("an account for {email} exists already")));
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
    .map_err(|e: diesel::result::Error| e.to_string())?
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
    // Verify even for an unknown account, so timing does not tell which accounts exist.
    let stored = row
        .as_ref()
        .map(|r| r.1.clone())
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let password_ok = Argon2::default()
        .verify_password(password.as_bytes(), stored.as_str())
        .is_ok();
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
        let token = random_token();
        let csrf_token = random_token();
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

static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not a real password at all").unwrap_or_default());
