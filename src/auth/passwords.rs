//! Passwords after an account exists: its owner changes it (the current one required; its other
//! sessions end), and an admin makes a one-time reset link for someone who forgot theirs.
//!
//! A reset link holds the account, an expiry and an HMAC-SHA256 keyed with a hash of the
//! account's current password hash: nothing is stored, and once the password changes (by this
//! link or otherwise) every earlier link stops working — each link works once, for
//! [`RESET_HOURS`] at most. Using one ends the account's sessions and lifts its sign-in locks.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use super::users::{MIN_PASSWORD_CHARS, User};
use super::{secrets, sessions, throttle};
use crate::audit::{AuditEvent, audit};
use crate::date::now;
use crate::db::schema::users;
use crate::db::{DbConnection, DbError};
use crate::values::FieldError;

/// How long a reset link holds.
pub const RESET_HOURS: i64 = 24;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Fields of the form, each with what is wrong.
    #[error("{}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("there is no account #{0}")]
    NotFound(i32),
    #[error(
        "the reset link is not valid: it was used already, the password changed since, or it was cut short when copied; ask an admin for a new one"
    )]
    BadLink,
    #[error("the reset link expired on {0} UTC; ask an admin for a new one")]
    Expired(NaiveDateTime),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for PasswordError {
    fn from(e: diesel::result::Error) -> Self {
        PasswordError::Db(DbError::Query(e))
    }
}

/// Checks a new password and its confirmation, naming the fields `new_field` and
/// `confirm_field`.
fn check_new(
    new: &str,
    confirm: &str,
    (new_field, confirm_field): (&str, &str),
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if new.chars().count() < MIN_PASSWORD_CHARS {
        errors.push(FieldError::new(
            new_field,
            format!("The new password needs at least {MIN_PASSWORD_CHARS} characters."),
        ));
    } else if new != confirm {
        errors.push(FieldError::new(
            confirm_field,
            "The two new passwords differ: type the same one twice.",
        ));
    }
    errors
}

fn stored_hash(conn: &mut DbConnection, id: i32) -> Result<(String, String), PasswordError> {
    users::table
        .find(id)
        .select((users::email, users::password_hash))
        .first(conn)
        .optional()?
        .ok_or(PasswordError::NotFound(id))
}

/// Changes `user`'s own password, the current one given; every other session of the account
/// ends (`keep_session` is the token of the one in use). Audited, without any password.
pub fn change_own(
    conn: &mut DbConnection,
    user: &User,
    (current, new, confirm): (&str, &str, &str),
    keep_session: &str,
) -> Result<(), PasswordError> {
    let (_, hash) = stored_hash(conn, user.id)?;
    let mut errors = Vec::new();
    if !secrets::verify(current, Some(&hash)) {
        errors.push(FieldError::new(
            "current_password",
            "This is not your current password.",
        ));
    }
    errors.extend(check_new(
        new,
        confirm,
        ("new_password", "confirm_password"),
    ));
    if errors.is_empty() && new == current {
        errors.push(FieldError::new(
            "new_password",
            "The new password is the current one: choose another.",
        ));
    }
    if !errors.is_empty() {
        return Err(PasswordError::Invalid(errors));
    }
    let new_hash = secrets::hash(new)?;
    conn.write_transaction(|conn| {
        diesel::update(users::table.find(user.id))
            .set(users::password_hash.eq(&new_hash))
            .execute(conn)?;
        let ended = sessions::end_others(conn, user.id, keep_session)?;
        audit(
            conn,
            AuditEvent {
                actor: &format!("user:{}", user.email),
                action: "password_change",
                entity: "user",
                entity_id: user.id,
                organisation_id: None,
                before: None,
                after: Some(
                    serde_json::json!({"email": user.email, "other_sessions_ended": ended})
                        .to_string(),
                ),
            },
        )?;
        Ok(())
    })
}

fn mac(hash: &str, body: &str) -> Vec<u8> {
    let key = Sha256::digest(hash.as_bytes());
    // HMAC takes a key of any length; the error cannot happen.
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("HMAC accepts any key");
    mac.update(body.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Makes a one-time reset link's token for account `id`, by the admin `by`, audited (the token
/// itself is not). Returns the token and the account's e-mail address.
pub fn reset_token(
    conn: &mut DbConnection,
    id: i32,
    by: &User,
) -> Result<(String, String), PasswordError> {
    conn.write_transaction(|conn| {
        let (email, hash) = stored_hash(conn, id)?;
        let expires = now() + Duration::hours(RESET_HOURS);
        let body = format!("{id}.{}", expires.and_utc().timestamp());
        let token = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(&body),
            URL_SAFE_NO_PAD.encode(mac(&hash, &body))
        );
        audit(
            conn,
            AuditEvent {
                actor: &format!("user:{}", by.email),
                action: "password_reset_link",
                entity: "user",
                entity_id: id,
                organisation_id: None,
                before: None,
                after: Some(
                    serde_json::json!({"email": email, "expires_at": expires.to_string()})
                        .to_string(),
                ),
            },
        )?;
        Ok((token, email))
    })
}

/// The account a reset token is for (id and e-mail), if the token still holds.
pub fn reset_account(conn: &mut DbConnection, token: &str) -> Result<(i32, String), PasswordError> {
    let (body, given) = token.trim().split_once('.').ok_or(PasswordError::BadLink)?;
    let body = URL_SAFE_NO_PAD
        .decode(body)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or(PasswordError::BadLink)?;
    let given = URL_SAFE_NO_PAD
        .decode(given)
        .map_err(|_| PasswordError::BadLink)?;
    let (id, expires) = body.split_once('.').ok_or(PasswordError::BadLink)?;
    let id: i32 = id.parse().map_err(|_| PasswordError::BadLink)?;
    let expires: i64 = expires.parse().map_err(|_| PasswordError::BadLink)?;
    let (email, hash) = match stored_hash(conn, id) {
        Err(PasswordError::NotFound(_)) => return Err(PasswordError::BadLink),
        other => other?,
    };
    let mut check = Hmac::<Sha256>::new_from_slice(&Sha256::digest(hash.as_bytes()))
        .map_err(|_| PasswordError::BadLink)?;
    check.update(body.as_bytes());
    check
        .verify_slice(&given)
        .map_err(|_| PasswordError::BadLink)?;
    let until = chrono::DateTime::from_timestamp(expires, 0)
        .ok_or(PasswordError::BadLink)?
        .naive_utc();
    if until < now() {
        return Err(PasswordError::Expired(until));
    }
    Ok((id, email))
}

/// Sets a new password with a reset token: the account's sessions end and its sign-in locks are
/// lifted; audited. Returns the account's e-mail address.
pub fn reset_with(
    conn: &mut DbConnection,
    token: &str,
    (new, confirm): (&str, &str),
) -> Result<String, PasswordError> {
    let errors = check_new(new, confirm, ("new_password", "confirm_password"));
    if !errors.is_empty() {
        // The link is checked first: a dead link is told before the form's errors.
        reset_account(conn, token)?;
        return Err(PasswordError::Invalid(errors));
    }
    let new_hash = secrets::hash(new)?;
    conn.write_transaction(|conn| {
        // Checked again inside the transaction: two uses of one link, one succeeds.
        let (id, email) = reset_account(conn, token)?;
        diesel::update(users::table.find(id))
            .set(users::password_hash.eq(&new_hash))
            .execute(conn)?;
        sessions::end_all(conn, id)?;
        throttle::unlock(conn, &email)?;
        audit(
            conn,
            AuditEvent {
                actor: &format!("user:{email}"),
                action: "password_reset",
                entity: "user",
                entity_id: id,
                organisation_id: None,
                before: None,
                after: Some(serde_json::json!({"email": email}).to_string()),
            },
        )?;
        Ok(email)
    })
}
