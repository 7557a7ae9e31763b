//! Sign-in throttling, keyed on the account and the address together, so that a stranger can
//! never lock anyone out but themself: failures of one account from one address (since that
//! pair's last success, within a window) first slow each attempt down, then lock that address
//! out of that account only. Failures of an account from every address, and of an address for
//! every account, only slow attempts down (every user behind one proxy shares an address).
//! An attempt is reserved before its password is checked, in a transaction that serialises the
//! attempts of one account, so that 40 simultaneous guesses get 5 checks, not 12. An admin can
//! lift the locks of an account. The token endpoint's limits are at the end.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration as StdDuration, Instant};

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::date::now;
use crate::db::schema::login_attempts;
use crate::db::{DbConnection, DbError};

/// Failed sign-ins are counted over this many minutes.
pub const WINDOW_MINUTES: i64 = 15;
/// Failures of one account from one address after which each further attempt waits.
pub const SLOW_AFTER: i64 = 3;
/// Failures of one account from one address after which that address is locked out of it.
pub const LOCK_AFTER: i64 = 5;
/// Failures of one account from all addresses after which each attempt waits (no lock).
pub const ACCOUNT_SLOW_AFTER: i64 = 10;
/// Failures from one address for all accounts after which each attempt waits (no lock).
pub const ADDRESS_SLOW_AFTER: i64 = 20;
/// The longest wait before a password is checked.
const MAX_DELAY_SECONDS: i64 = 5;

/// `login_attempts.succeeded`: a failure (or an attempt being checked), a success, and an
/// admin's unlock of an account (from every address).
const FAILED: i32 = 0;
const SUCCEEDED: i32 = 1;
const UNLOCKED: i32 = 2;

/// An attempt allowed to check its password: its row (a failure until [`succeeded`] says
/// otherwise) and how long to wait before checking.
#[derive(Debug, Clone, Copy)]
pub struct Reservation {
    pub id: i32,
    pub delay: StdDuration,
}

/// Why an attempt may not check its password.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error(
        "too many failed sign-ins for this account from your address: try again in {minutes} minute(s), or ask an admin to unlock it"
    )]
    Locked { minutes: i64 },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for Refusal {
    fn from(e: diesel::result::Error) -> Self {
        Refusal::Db(e.into())
    }
}

/// The id of the newest attempt of `kind` matching `filter`, 0 if none.
fn newest_id(
    conn: &mut DbConnection,
    email: &str,
    address: Option<&str>,
    kind: i32,
) -> QueryResult<i32> {
    let mut query = login_attempts::table
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::succeeded.eq(kind))
        .select(diesel::dsl::max(login_attempts::id))
        .into_boxed();
    if let Some(address) = address {
        query = query.filter(login_attempts::address.eq(address.to_string()));
    }
    Ok(query.first::<Option<i32>>(conn)?.unwrap_or(0))
}

/// Serialises the attempts on one account on PostgreSQL (SQLite's write transaction already
/// holds the database's write lock).
fn lock_account(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(format!("login:{email}"))
            .execute(pg)?;
    }
    Ok(())
}

fn delay_for(failures: i64, after: i64) -> i64 {
    if failures >= after {
        (failures - after + 1).min(MAX_DELAY_SECONDS)
    } else {
        0
    }
}

/// Reserves a sign-in attempt of `email` (trimmed, lowercased) from `address`, or refuses it
/// while that address is locked out of that account.
pub fn reserve(
    conn: &mut DbConnection,
    email: &str,
    address: &str,
) -> Result<Reservation, Refusal> {
    conn.write_transaction(|conn| {
        lock_account(conn, email)?;
        let since = now() - Duration::minutes(WINDOW_MINUTES);
        let unlocked = newest_id(conn, email, None, UNLOCKED)?;
        let reset = newest_id(conn, email, Some(address), SUCCEEDED)?.max(unlocked);
        let failures = |conn: &mut DbConnection, by_email: bool, by_address: bool, after: i32| {
            let mut query = login_attempts::table
                .filter(login_attempts::succeeded.eq(FAILED))
                .filter(login_attempts::attempted_at.gt(since))
                .filter(login_attempts::id.gt(after))
                .into_boxed();
            if by_email {
                query = query.filter(login_attempts::email.eq(email.to_string()));
            }
            if by_address {
                query = query.filter(login_attempts::address.eq(address.to_string()));
            }
            query
                .select((
                    diesel::dsl::count_star(),
                    diesel::dsl::max(login_attempts::attempted_at),
                ))
                .first::<(i64, Option<NaiveDateTime>)>(conn)
        };
        let (pair, newest) = failures(conn, true, true, reset)?;
        if pair >= LOCK_AFTER {
            let until = newest.unwrap_or_else(now) + Duration::minutes(WINDOW_MINUTES);
            let minutes = ((until - now()).num_seconds() + 59) / 60;
            return Err(Refusal::Locked {
                minutes: minutes.max(1),
            });
        }
        let (account, _) = failures(conn, true, false, unlocked)?;
        let (from_address, _) = failures(conn, false, true, 0)?;
        let delay = delay_for(pair, SLOW_AFTER)
            .max(delay_for(account, ACCOUNT_SLOW_AFTER))
            .max(delay_for(from_address, ADDRESS_SLOW_AFTER));
        let id: i32 = diesel::insert_into(login_attempts::table)
            .values((
                login_attempts::email.eq(email),
                login_attempts::address.eq(address),
                login_attempts::succeeded.eq(FAILED),
                login_attempts::attempted_at.eq(now()),
            ))
            .returning(login_attempts::id)
            .get_result(conn)?;
        Ok(Reservation {
            id,
            delay: StdDuration::from_secs(delay as u64),
        })
    })
}

/// Marks a reserved attempt as a success: it resets the count of its account and address.
pub(super) fn succeeded(conn: &mut DbConnection, reservation: i32) -> QueryResult<()> {
    diesel::update(login_attempts::table.find(reservation))
        .set(login_attempts::succeeded.eq(SUCCEEDED))
        .execute(conn)
        .map(|_| ())
}

/// How many failures the pair has now, the reserved one included (for the audit trail).
pub(super) fn failures_of(conn: &mut DbConnection, email: &str, address: &str) -> QueryResult<i64> {
    let since = now() - Duration::minutes(WINDOW_MINUTES);
    let reset = newest_id(conn, email, Some(address), SUCCEEDED)?
        .max(newest_id(conn, email, None, UNLOCKED)?);
    login_attempts::table
        .filter(login_attempts::email.eq(email))
        .filter(login_attempts::address.eq(address))
        .filter(login_attempts::succeeded.eq(FAILED))
        .filter(login_attempts::attempted_at.gt(since))
        .filter(login_attempts::id.gt(reset))
        .count()
        .get_result(conn)
}

/// Lifts every lock on an account (an admin's action; the caller audits it).
pub(super) fn unlock(conn: &mut DbConnection, email: &str) -> QueryResult<()> {
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::email.eq(email),
            login_attempts::address.eq(""),
            login_attempts::succeeded.eq(UNLOCKED),
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
        .filter(login_attempts::succeeded.eq(SUCCEEDED))
        .group_by(login_attempts::email)
        .select((
            login_attempts::email,
            diesel::dsl::max(login_attempts::attempted_at),
        ))
        .load::<(String, Option<NaiveDateTime>)>(conn)?
        .into_iter()
        .collect())
}

/// Until when each account is locked from at least one address, by e-mail: the failures in the
/// window after the account's last unlock, per address, after that address's last success.
pub(super) fn locked_accounts(
    conn: &mut DbConnection,
) -> QueryResult<HashMap<String, NaiveDateTime>> {
    let since = now() - Duration::minutes(WINDOW_MINUTES);
    let rows: Vec<(i32, String, String, i32, NaiveDateTime)> = login_attempts::table
        .filter(login_attempts::attempted_at.gt(since))
        .order(login_attempts::id.asc())
        .select((
            login_attempts::id,
            login_attempts::email,
            login_attempts::address,
            login_attempts::succeeded,
            login_attempts::attempted_at,
        ))
        .load(conn)?;
    let mut pairs: HashMap<(String, String), (i64, NaiveDateTime)> = HashMap::new();
    for (_, email, address, kind, at) in rows {
        match kind {
            UNLOCKED => pairs.retain(|(e, _), _| *e != email),
            SUCCEEDED => {
                pairs.remove(&(email, address));
            }
            _ => {
                let entry = pairs.entry((email, address)).or_insert((0, at));
                entry.0 += 1;
                entry.1 = at;
            }
        }
    }
    let mut locked: HashMap<String, NaiveDateTime> = HashMap::new();
    for ((email, _), (count, newest)) in pairs {
        if count >= LOCK_AFTER {
            let until = newest + Duration::minutes(WINDOW_MINUTES);
            let entry = locked.entry(email).or_insert(until);
            *entry = (*entry).max(until);
        }
    }
    Ok(locked)
}

// --- The token endpoint ---

/// Token requests allowed per client id in a minute.
pub const TOKEN_PER_CLIENT: usize = 20;
/// Token requests allowed per address in a minute.
pub const TOKEN_PER_ADDRESS: usize = 60;
/// Client secrets checked at once (argon2 is meant to be slow: unbounded, it starves the rest).
const TOKEN_CHECKS_AT_ONCE: usize = 2;

/// The token endpoint's limits, in memory (per instance): requests per client id and per
/// address over a sliding minute, and a bound on the secrets checked at once.
pub struct TokenThrottle {
    recent: Mutex<HashMap<String, Vec<Instant>>>,
    pub checks: tokio::sync::Semaphore,
}

impl Default for TokenThrottle {
    fn default() -> Self {
        TokenThrottle {
            recent: Mutex::new(HashMap::new()),
            checks: tokio::sync::Semaphore::new(TOKEN_CHECKS_AT_ONCE),
        }
    }
}

impl TokenThrottle {
    /// Counts a request of `client_id` from `address`; `Err(seconds)` to wait when either is
    /// over its limit (the refused request counts too: hammering does not help).
    pub fn admit(&self, client_id: &str, address: &str) -> Result<(), u64> {
        let now = Instant::now();
        let minute = StdDuration::from_secs(60);
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if recent.len() > 10_000 {
            recent.retain(|_, times| times.last().is_some_and(|t| now - *t < minute));
        }
        let mut wait = 0;
        for (key, limit) in [
            (format!("client:{client_id}"), TOKEN_PER_CLIENT),
            (format!("address:{address}"), TOKEN_PER_ADDRESS),
        ] {
            let times = recent.entry(key).or_default();
            times.retain(|t| now - *t < minute);
            times.push(now);
            if times.len() > limit {
                let oldest = times[times.len() - limit - 1];
                wait = wait.max((minute - (now - oldest)).as_secs() + 1);
            }
        }
        if wait > 0 { Err(wait) } else { Ok(()) }
    }
}
