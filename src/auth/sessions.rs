//! Workspace sessions: signing in (password checked, throttled, audited) opens a session behind a
//! cookie whose token is stored only as a hash, with a CSRF token for the session's forms.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::secrets;
use super::throttle::{self, Refusal};
use super::users::{Role, User, read_memberships};
use crate::audit::{AuditEvent, audit};
use crate::date::now;
use crate::db::schema::{sessions, users};
use crate::db::{DbConnection, DbError};

/// A signed-in user, with the session's CSRF token for forms.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: NaiveDateTime,
}

/// How long a session lasts after login.
pub const SESSION_HOURS: i64 = 8;

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("wrong e-mail or password")]
    Wrong { failures: i64 },
    #[error(
        "too many failed sign-ins for this account from your address: try again in {minutes} minute(s), or ask an admin to unlock it"
    )]
    Locked { minutes: i64 },
    /// The password was right, the account is disabled: said only to who knows the password.
    #[error(
        "this account was disabled on {} UTC: ask an admin to enable it again",
        since.format("%Y-%m-%d %H:%M")
    )]
    Disabled { since: NaiveDateTime },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for LoginError {
    fn from(e: diesel::result::Error) -> Self {
        LoginError::Db(DbError::Query(e))
    }
}

fn sha256(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl From<Refusal> for LoginError {
    fn from(e: Refusal) -> Self {
        match e {
            Refusal::Locked { minutes } => LoginError::Locked { minutes },
            Refusal::Db(e) => LoginError::Db(e),
        }
    }
}

/// Reserves a sign-in attempt (see [`throttle::reserve`]): refused while the address is locked
/// out of the account; otherwise it says how long to wait before [`login`].
pub fn reserve(
    conn: &mut DbConnection,
    email: &str,
    address: &str,
) -> Result<throttle::Reservation, LoginError> {
    Ok(throttle::reserve(
        conn,
        &email.trim().to_lowercase(),
        address,
    )?)
}

/// Checks a password for a reserved attempt and opens a session. Every attempt is recorded (the
/// reservation is a failure until the password matches); failures and lockouts are audited.
pub fn login(
    conn: &mut DbConnection,
    email: &str,
    password: &str,
    address: &str,
    reservation: throttle::Reservation,
) -> Result<(Session, String), LoginError> {
    let email = email.trim().to_lowercase();
    let row: Option<(i32, String, String, Option<NaiveDateTime>, String)> = users::table
        .filter(users::email.eq(&email))
        .select((
            users::id,
            users::password_hash,
            users::role,
            users::disabled_at,
            users::memberships,
        ))
        .first(conn)
        .optional()?;
    let password_ok = secrets::verify(password, row.as_ref().map(|r| r.1.as_str()));
    let disabled_since = row.as_ref().and_then(|r| r.3).filter(|_| password_ok);
    let user = match row {
        Some((id, _, role, None, memberships)) if password_ok => Some(User {
            id,
            email: email.clone(),
            role: Role::stored(&role)?,
            memberships: read_memberships(&memberships)?,
        }),
        _ => None,
    };
    // A write transaction: it reads the failures, then writes. A plain (deferred) one could find
    // on SQLite that a simultaneous attempt's reservation was written meanwhile and be refused as
    // busy (a 500 instead of a 401: the flaky count of checked guesses).
    conn.write_transaction::<_, diesel::result::Error>(|conn| {
        if let Some(since) = disabled_since {
            // The reservation stays a failed attempt (no sign-in happened); the refusal says why.
            audit(
                conn,
                AuditEvent {
                    actor: &format!("login:{address}"),
                    action: "login_disabled",
                    entity: "user",
                    entity_id: 0,
                    organisation_id: None,
                    before: None,
                    after: Some(serde_json::json!({"email": email, "address": address}).to_string()),
                },
            )?;
            return Ok(Err(LoginError::Disabled { since }));
        }
        let Some(user) = user else {
            let failures = throttle::failures_of(conn, &email, address)?;
            let locked = failures >= throttle::LOCK_AFTER;
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
        throttle::succeeded(conn, reservation.id)?;
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

/// A session's row: the account's id, e-mail and role, the CSRF token, the expiry, when the
/// account was disabled, its memberships.
type SessionRow = (
    i32,
    String,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    String,
);

/// The live session of a cookie's token, if any.
pub fn session(conn: &mut DbConnection, token: &str) -> Result<Option<Session>, DbError> {
    let row: Option<SessionRow> = sessions::table
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
            users::memberships,
        ))
        .first(conn)
        .optional()?;
    row.filter(|row| row.5.is_none())
        .map(
            |(id, email, role, csrf_token, expires_at, _, memberships)| {
                Ok(Session {
                    user: User {
                        id,
                        email,
                        role: Role::stored(&role)?,
                        memberships: read_memberships(&memberships)?,
                    },
                    csrf_token,
                    expires_at,
                })
            },
        )
        .transpose()
}

/// Ends a session (logout).
pub fn logout(conn: &mut DbConnection, token: &str) -> Result<(), DbError> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(sha256(token)))).execute(conn)?;
    Ok(())
}

/// Ends every session of account `user_id` but the one of `keep` (a password changed in it);
/// returns how many ended.
pub(super) fn end_others(conn: &mut DbConnection, user_id: i32, keep: &str) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::token_hash.ne(sha256(keep))),
    )
    .execute(conn)
}

/// Ends every session of account `user_id` (when it is disabled).
pub(super) fn end_all(conn: &mut DbConnection, user_id: i32) -> QueryResult<()> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id)))
        .execute(conn)
        .map(|_| ())
}
