//! Sign-in throttling: every attempt is recorded; failed ones are counted per account and per
//! address over a window, so that after a few each attempt waits and after more the account or
//! address is locked until the window passes.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::date::now;
use crate::db::schema::login_attempts;
use crate::db::{DbConnection, DbError};

/// Failed logins are counted over this many minutes.
const WINDOW_MINUTES: i64 = 15;
/// Failures (in the window) after which each further attempt waits.
pub const SLOW_AFTER: i64 = 3;
/// Failures for one account after which it is locked until the window passes.
pub const LOCK_ACCOUNT_AFTER: i64 = 5;
/// Failures from one address after which it is locked until the window passes.
pub const LOCK_ADDRESS_AFTER: i64 = 20;

/// The failed attempts in the window for one account and one address.
pub(super) struct Failures {
    pub by_email: i64,
    pub by_address: i64,
    /// The newest of them: a lock lasts the window from it.
    newest: Option<NaiveDateTime>,
}

impl Failures {
    /// Counts the failures of `email` (already trimmed and lowercased) and of `address` in the
    /// window that ends now.
    pub fn count(conn: &mut DbConnection, email: &str, address: &str) -> QueryResult<Failures> {
        let since = now() - Duration::minutes(WINDOW_MINUTES);
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
        Ok(Failures {
            by_email: by_email.len() as i64,
            by_address: by_address.len() as i64,
            newest,
        })
    }

    /// Whole minutes (at least one) until sign-in unlocks, if the account or the address is
    /// locked now.
    pub fn locked_minutes(&self) -> Option<i64> {
        if self.by_email >= LOCK_ACCOUNT_AFTER || self.by_address >= LOCK_ADDRESS_AFTER {
            let until = self.newest.unwrap_or_else(now) + Duration::minutes(WINDOW_MINUTES);
            let minutes = ((until - now()).num_seconds() + 59) / 60;
            Some(minutes.max(1))
        } else {
            None
        }
    }

    /// After one more failure: how many failures there are, and whether that one locks.
    pub fn one_more(&self) -> (i64, bool) {
        let failures = self.by_email.max(self.by_address) + 1;
        let locked =
            self.by_email + 1 >= LOCK_ACCOUNT_AFTER || self.by_address + 1 >= LOCK_ADDRESS_AFTER;
        (failures, locked)
    }
}

/// How many recent failures an account or address has: the caller waits longer the more.
pub fn recent_failures(
    conn: &mut DbConnection,
    email: &str,
    address: &str,
) -> Result<i64, DbError> {
    let failures = Failures::count(conn, &email.trim().to_lowercase(), address)?;
    Ok(failures.by_email.max(failures.by_address))
}

/// Records one sign-in attempt.
pub(super) fn record(
    conn: &mut DbConnection,
    email: &str,
    address: &str,
    succeeded: bool,
) -> QueryResult<()> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::email.eq(email),
            login_attempts::address.eq(address),
            login_attempts::succeeded.eq(succeeded as i32),
            login_attempts::attempted_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The last successful sign-in of every account that has one, by e-mail.
pub(super) fn last_sign_ins(
    conn: &mut DbConnection,
) -> QueryResult<HashMap<String, Option<NaiveDateTime>>> {
    Ok(login_attempts::table
        .filter(login_attempts::succeeded.eq(1))
        .group_by(login_attempts::email)
        .select((
            login_attempts::email,
            diesel::dsl::max(login_attempts::attempted_at),
        ))
        .load::<(String, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .collect())
}

/// Until when each account locked now stays locked, by e-mail (the address lock is not shown:
/// it belongs to no account).
pub(super) fn locked_accounts(
    conn: &mut DbConnection,
) -> QueryResult<HashMap<String, NaiveDateTime>> {
    let since = now() - Duration::minutes(WINDOW_MINUTES);
    Ok(login_attempts::table
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
        .filter(|(_, count, _)| *count >= LOCK_ACCOUNT_AFTER)
        .filter_map(|(email, _, newest)| {
            newest.map(|newest| (email, newest + Duration::minutes(WINDOW_MINUTES)))
        })
        .collect())
}
