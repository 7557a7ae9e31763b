//! An account's reminders: the weekly e-mail of what falls due (opt-in), and the secret address
//! of its iCalendar feed (only its SHA-256 is kept; the address is shown once, and making a new
//! one ends the old).

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::rows::ReminderRow;
use crate::db::schema::reminders;
use crate::db::{DbConnection, DbError};

/// What an account asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reminders {
    pub weekly: bool,
    pub calendar: bool,
}

fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn row(conn: &mut DbConnection, user_id: i32) -> Result<Option<ReminderRow>, DbError> {
    Ok(reminders::table.find(user_id).first(conn).optional()?)
}

/// Writes the account's row, made if it has none.
fn save(conn: &mut DbConnection, r: ReminderRow) -> Result<(), DbError> {
    conn.write_transaction(|conn| {
        let updated = diesel::update(reminders::table.find(r.user_id))
            .set((
                reminders::weekly.eq(r.weekly),
                reminders::calendar_token.eq(&r.calendar_token),
                reminders::reminded_on.eq(r.reminded_on),
            ))
            .execute(conn)?;
        if updated == 0 {
            diesel::insert_into(reminders::table)
                .values(&r)
                .execute(conn)?;
        }
        Ok(())
    })
}

pub fn of(conn: &mut DbConnection, user_id: i32) -> Result<Reminders, DbError> {
    Ok(row(conn, user_id)?
        .map(|r| Reminders {
            weekly: r.weekly == 1,
            calendar: r.calendar_token.is_some(),
        })
        .unwrap_or_default())
}

fn current(conn: &mut DbConnection, user_id: i32) -> Result<ReminderRow, DbError> {
    Ok(row(conn, user_id)?.unwrap_or(ReminderRow {
        user_id,
        weekly: 0,
        calendar_token: None,
        reminded_on: None,
    }))
}

/// Turns the weekly e-mail on or off.
pub fn set_weekly(conn: &mut DbConnection, user_id: i32, on: bool) -> Result<(), DbError> {
    let r = current(conn, user_id)?;
    save(
        conn,
        ReminderRow {
            weekly: on.into(),
            ..r
        },
    )
}

/// Makes a new calendar secret (the old address stops working); returns it, to show once.
pub fn new_calendar(conn: &mut DbConnection, user_id: i32) -> Result<String, DbError> {
    let token = super::secrets::random_token();
    let r = current(conn, user_id)?;
    save(
        conn,
        ReminderRow {
            calendar_token: Some(hash(&token)),
            ..r
        },
    )?;
    Ok(token)
}

/// The account a calendar secret belongs to.
pub fn calendar_owner(conn: &mut DbConnection, token: &str) -> Result<Option<i32>, DbError> {
    Ok(reminders::table
        .filter(reminders::calendar_token.eq(hash(token.trim())))
        .select(reminders::user_id)
        .first(conn)
        .optional()?)
}

/// The accounts whose weekly e-mail is due on `today` (never sent, or a week ago or more).
pub fn weekly_due(conn: &mut DbConnection, today: NaiveDate) -> Result<Vec<i32>, DbError> {
    Ok(reminders::table
        .filter(reminders::weekly.eq(1))
        .filter(
            reminders::reminded_on
                .is_null()
                .or(reminders::reminded_on.le(today - Duration::days(7))),
        )
        .select(reminders::user_id)
        .load(conn)?)
}

/// Takes the account's weekly e-mail of `today`, if it is still due: `false` when another
/// instance took it first (its update holds the row; this one then finds it done).
pub fn take_weekly(
    conn: &mut DbConnection,
    user_id: i32,
    today: NaiveDate,
) -> Result<bool, DbError> {
    let taken = diesel::update(
        reminders::table.find(user_id).filter(
            reminders::reminded_on
                .is_null()
                .or(reminders::reminded_on.le(today - Duration::days(7))),
        ),
    )
    .set(reminders::reminded_on.eq(Some(today)))
    .execute(conn)?;
    Ok(taken == 1)
}

/// An enabled account by id, as its reminders read it (its e-mail and its organisations).
pub fn account(
    conn: &mut DbConnection,
    user_id: i32,
) -> Result<Option<super::users::User>, DbError> {
    use crate::db::schema::users;
    let row: Option<(i32, String, String, Option<chrono::NaiveDateTime>, String)> = users::table
        .find(user_id)
        .select((
            users::id,
            users::email,
            users::role,
            users::disabled_at,
            users::memberships,
        ))
        .first(conn)
        .optional()?;
    row.filter(|r| r.3.is_none())
        .map(|(id, email, role, _, memberships)| {
            Ok(super::users::User {
                id,
                email,
                role: super::users::Role::stored(&role)?,
                memberships: super::users::read_memberships(&memberships)?,
            })
        })
        .transpose()
}
