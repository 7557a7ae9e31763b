//! Workspace accounts: argon2id passwords, roles (viewer, editor, admin), memberships, and
//! creation, audited. Their administration is in `accounts` (re-exported here), signing in in
//! `sessions`, its throttling in `throttle`.

use std::str::FromStr;

use diesel::prelude::*;

pub use super::accounts::{
    Account, AccountError, ChangedBy, count, list, page, position, set_disabled, set_memberships,
    set_role, unlock,
};
use super::secrets;
use crate::audit::{AuditEvent, audit};
use crate::date::now;
use crate::db::schema::users;
use crate::db::{DbConnection, DbError};
use crate::values::EmailAddress;

/// What an account may do: viewers read, editors edit, admins also manage accounts, API clients
/// and organisation settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    /// A role as stored: an unknown one is corrupt data, named, never read as a lesser role.
    pub fn stored(value: &str) -> Result<Role, DbError> {
        value
            .parse()
            .map_err(|_| DbError::Corrupt(format!("users.role holds unknown value '{value}'")))
    }

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
    /// The account's role in every organisation, or, for a member of some, the highest it has.
    pub role: Role,
    /// The organisations the account is a member of, each with its role there; `None`: every
    /// organisation, with [`User::role`] (the operator's accounts, and those made before).
    pub memberships: Option<Vec<(String, Role)>>,
}

impl User {
    /// The account's role in organisation `slug`, or `None` when it is not a member: then the
    /// organisation does not exist for it (404).
    pub fn role_in(&self, slug: &str) -> Option<Role> {
        match &self.memberships {
            None => Some(self.role),
            Some(list) => list.iter().find(|(s, _)| s == slug).map(|(_, r)| *r),
        }
    }

    /// Whether organisation `slug` exists for the account: the lists of the workspace pages that
    /// span organisations (dashboard, vendors, intake, audit log) leave the others out.
    pub fn sees(&self, slug: &str) -> bool {
        self.role_in(slug).is_some()
    }

    /// The slugs of the organisations the account is a member of; `None`: every organisation.
    pub fn organisations(&self) -> Option<Vec<String>> {
        self.memberships
            .as_ref()
            .map(|list| list.iter().map(|(slug, _)| slug.clone()).collect())
    }

    /// Whether the account sees every organisation (the admin pages need it, with the role).
    pub fn all_organisations(&self) -> bool {
        self.memberships.is_none()
    }
}

/// Memberships as stored: `*`, or `slug:role` pairs separated by spaces.
pub fn read_memberships(stored: &str) -> Result<Option<Vec<(String, Role)>>, DbError> {
    if stored.trim() == "*" {
        return Ok(None);
    }
    stored
        .split_whitespace()
        .map(|pair| {
            let (slug, role) = pair.split_once(':').ok_or_else(|| {
                DbError::Corrupt(format!("users.memberships holds '{pair}', not slug:role"))
            })?;
            Ok((slug.to_string(), Role::stored(role)?))
        })
        .collect::<Result<Vec<_>, DbError>>()
        .map(Some)
}

/// Memberships as stored (see [`read_memberships`]).
pub fn stored_memberships(memberships: Option<&[(String, Role)]>) -> String {
    match memberships {
        None => "*".to_string(),
        Some(list) => list
            .iter()
            .map(|(slug, role)| format!("{slug}:{}", role.as_str()))
            .collect::<Vec<_>>()
            .join(" "),
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
    if EmailAddress::parse(&email).is_err() {
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
            memberships: None,
        }))
    })
    .map_err(|e: diesel::result::Error| CreateError::Db(e.into()))?
}
