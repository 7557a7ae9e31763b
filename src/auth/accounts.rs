//! Account administration: the list the admin pages show, roles, memberships, disabling and
//! unlocking, each change audited, with the rules that keep every workspace an admin. Accounts
//! themselves (roles, passwords, creation) are in `users`.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::users::{Role, User, read_memberships, stored_memberships};
use super::{sessions, throttle};
use crate::audit::{AuditEvent, audit};
use crate::date::now;
use crate::db::schema::users;
use crate::db::{DbConnection, DbError};

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
    accounts(conn, None)
}

/// A page of the accounts in the order of `list` (`limit` of them after `offset`): the admins'
/// list. Three queries.
pub fn page(conn: &mut DbConnection, window: (i64, i64)) -> Result<Vec<Account>, DbError> {
    accounts(conn, Some(window))
}

/// How many accounts there are.
pub fn count(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(users::table.count().get_result(conn)?)
}

/// Where account `id` is in the order of `list` (from 0), or `None` when there is no such
/// account.
pub fn position(conn: &mut DbConnection, id: i32) -> Result<Option<i64>, DbError> {
    let Some(email) = users::table
        .find(id)
        .select(users::email)
        .first::<String>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let before: i64 = users::table
        .filter(
            users::email
                .lt(&email)
                .or(users::email.eq(&email).and(users::id.lt(id))),
        )
        .count()
        .get_result(conn)?;
    Ok(Some(before))
}

/// The accounts by e-mail (then id), all of them or those in `window` (limit, offset).
fn accounts(conn: &mut DbConnection, window: Option<(i64, i64)>) -> Result<Vec<Account>, DbError> {
    type Row = (
        i32,
        String,
        String,
        NaiveDateTime,
        Option<NaiveDateTime>,
        String,
    );
    let mut query = users::table
        .select((
            users::id,
            users::email,
            users::role,
            users::created_at,
            users::disabled_at,
            users::memberships,
        ))
        .order((users::email.asc(), users::id.asc()))
        .into_boxed();
    if let Some((limit, offset)) = window {
        query = query.limit(limit).offset(offset);
    }
    let rows: Vec<Row> = query.load(conn)?;
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
