//! Workspace accounts: argon2id passwords, roles (viewer, editor, admin), and their
//! administration (create, change role, disable, enable), every change audited. Signing in is in
//! `sessions`, its throttling in `throttle`.

use std::str::FromStr;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{secrets, sessions, throttle};
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

/// Who changes an account's memberships, which decides the rules that hold.
#[derive(Clone, Copy)]
pub enum ChangedBy<'a> {
    /// The command line: the operator's own tool, audited as `cli:user`. No rule applies: it is
    /// how an operator repairs a workspace.
    Cli,
    /// An admin in the workspace: not their own memberships (they would lose the admin pages),
    /// nor the last enabled admin of every organisation's (nobody would have them).
    Admin(&'a User),
    /// An API client with `accounts:manage` (its audit actor): not the last admin's either.
    Client(&'a str),
}

/// Sets the organisations account `id` is a member of (`None`: all, with its role), audited.
/// Members of some organisations keep as account role the highest they hold there. Returns
/// whether anything changed.
pub fn set_memberships(
    conn: &mut DbConnection,
    id: i32,
    memberships: Option<&[(String, Role)]>,
    by: ChangedBy,
) -> Result<bool, AccountError> {
    let actor = match by {
        ChangedBy::Cli => "cli:user".to_string(),
        ChangedBy::Admin(u) => format!("user:{}", u.email),
        ChangedBy::Client(actor) => actor.to_string(),
    };
    let actor = actor.as_str();
    conn.write_transaction(|conn| {
        lock_admins(conn)?;
        let Some((email, role, disabled)) = account_row(conn, id)? else {
            return Err(AccountError::NotFound(id));
        };
        let before: String = users::table
            .find(id)
            .select(users::memberships)
            .first(conn)?;
        let after = stored_memberships(memberships);
        if before == after {
            return Ok(false);
        }
        if matches!(by, ChangedBy::Admin(u) if u.id == id) {
            return Err(AccountError::Refused(
                "You cannot change your own organisations: you would lose the admin pages. Ask another admin to do it.".into(),
            ));
        }
        let operator = role == Role::Admin.as_str() && before.trim() == "*" && disabled.is_none();
        let guarded = !matches!(by, ChangedBy::Cli);
        if guarded && operator && memberships.is_some() && other_operators(conn, id)? == 0 {
            return Err(AccountError::Refused(format!(
                "{email} is the last enabled admin of every organisation: the admin pages would have nobody. Make another account admin of every organisation first."
            )));
        }
        let role = match memberships {
            Some(list) => list
                .iter()
                .map(|(_, r)| *r)
                .max()
                .unwrap_or(Role::Viewer)
                .as_str()
                .to_string(),
            None => role,
        };
        diesel::update(users::table.find(id))
            .set((users::memberships.eq(&after), users::role.eq(&role)))
            .execute(conn)?;
        audit(
            conn,
            AuditEvent {
                actor,
                action: "change_memberships",
                entity: "user",
                entity_id: id,
                organisation_id: None,
                before: Some(
                    serde_json::json!({"email": email, "memberships": before}).to_string(),
                ),
                after: Some(
                    serde_json::json!({"email": email, "memberships": after, "role": role})
                        .to_string(),
                ),
            },
        )?;
        Ok(true)
    })
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
    /// The organisations it is a member of, with its role in each; `None`: every organisation.
    pub memberships: Option<Vec<(String, Role)>>,
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
    type Row = (
        i32,
        String,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        String,
    );
    let rows: Vec<Row> = users::table
        .order(users::email.asc())
        .select((
            users::id,
            users::email,
            users::role,
            users::created_at,
            users::disabled_at,
            users::memberships,
        ))
        .load(conn)?;
    let last = throttle::last_sign_ins(conn)?;
    let locked = throttle::locked_accounts(conn)?;
    rows.into_iter()
        .map(|(id, email, role, created_at, disabled_at, memberships)| {
            Ok(Account {
                id,
                memberships: read_memberships(&memberships)?,
                last_sign_in: last.get(&email).copied().flatten(),
                locked_until: locked.get(&email).copied(),
                role: Role::stored(&role)?,
                email,
                created_at,
                disabled_at,
            })
        })
        .collect()
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

/// Enabled admins of every organisation other than account `id`.
fn other_operators(conn: &mut DbConnection, id: i32) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(Role::Admin.as_str()))
        .filter(users::memberships.eq("*"))
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
            sessions::end_all(conn, id)?;
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

/// Lifts every sign-in lock of account `id` (from every address), by the admin `by`, audited.
/// Returns whether the account was locked.
pub fn unlock(conn: &mut DbConnection, id: i32, by: &User) -> Result<bool, AccountError> {
    conn.write_transaction(|conn| {
        let Some((email, role, disabled)) = account_row(conn, id)? else {
            return Err(AccountError::NotFound(id));
        };
        if !throttle::locked_accounts(conn)?.contains_key(&email) {
            return Ok(false);
        }
        throttle::unlock(conn, &email)?;
        audit(
            conn,
            AuditEvent {
                actor: &format!("user:{}", by.email),
                action: "unlock",
                entity: "user",
                entity_id: id,
                organisation_id: None,
                before: account_json(&email, &role, disabled.is_some()),
                after: account_json(&email, &role, disabled.is_some()),
            },
        )?;
        Ok(true)
    })
}
