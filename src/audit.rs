//! The audit trail: the only owner of `audit_events`. Every write records who did what to which
//! record, with the record before and after (JSON); the workspace reads it back as a filtered
//! page, a CSV download, a vendor's history and the recent changes. Nothing here edits or
//! deletes an event: the log is append-only.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::date::now;
use crate::db::schema::audit_events;
use crate::db::{DbConnection, DbError};

/// Events per page of the workspace's audit log.
pub const PAGE_SIZE: i64 = 100;

type Db = <DbConnection as diesel::Connection>::Backend;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// One event to record: who did what to which record, with the record before and after (JSON).
pub struct AuditEvent<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: i32,
    /// `None` for events outside any organisation (accounts, logins).
    pub organisation_id: Option<i32>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Records one event, now; inside the caller's transaction, so it stands or falls with the write.
pub fn audit(conn: &mut DbConnection, e: AuditEvent<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_events::table)
        .values((
            audit_events::occurred_at.eq(now()),
            audit_events::actor.eq(e.actor),
            audit_events::action.eq(e.action),
            audit_events::entity.eq(e.entity),
            audit_events::entity_id.eq(Some(e.entity_id)),
            audit_events::organisation_id.eq(e.organisation_id),
            audit_events::before.eq(e.before),
            audit_events::after.eq(e.after),
        ))
        .execute(conn)
        .map(|_| ())
}

/// One recorded event, as stored.
#[derive(Debug, Clone, Queryable)]
pub struct Entry {
    pub id: i32,
    pub occurred_at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i32>,
    pub organisation_id: Option<i32>,
    pub before: Option<String>,
    pub after: Option<String>,
}

type Columns = (
    audit_events::id,
    audit_events::occurred_at,
    audit_events::actor,
    audit_events::action,
    audit_events::entity,
    audit_events::entity_id,
    audit_events::organisation_id,
    audit_events::before,
    audit_events::after,
);

const COLUMNS: Columns = (
    audit_events::id,
    audit_events::occurred_at,
    audit_events::actor,
    audit_events::action,
    audit_events::entity,
    audit_events::entity_id,
    audit_events::organisation_id,
    audit_events::before,
    audit_events::after,
);

/// An event in one line: when, who, what, and the record (lists of recent changes).
#[derive(Debug, Clone, Queryable)]
pub struct Summary {
    pub occurred_at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i32>,
}

type SummaryColumns = (
    audit_events::occurred_at,
    audit_events::actor,
    audit_events::action,
    audit_events::entity,
    audit_events::entity_id,
);

const SUMMARY_COLUMNS: SummaryColumns = (
    audit_events::occurred_at,
    audit_events::actor,
    audit_events::action,
    audit_events::entity,
    audit_events::entity_id,
);

/// The actions of signing in (and of being refused for a disabled account): left out of the
/// audit page unless asked for, so that the changes are not lost among them.
pub const SIGN_IN_ACTIONS: [&str; 2] = ["login", "login_disabled"];

/// Which events to read; each field set narrows the selection.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Part of the actor, in any case; `%` and `_` are literal.
    pub actor_contains: Option<String>,
    pub entity: Option<String>,
    pub action: Option<String>,
    pub organisation_id: Option<i32>,
    /// Only events about these organisations (a member's), none outside any; `None`: every event.
    pub within: Option<Vec<i32>>,
    pub from: Option<NaiveDateTime>,
    /// Exclusive.
    pub until: Option<NaiveDateTime>,
    /// Leave out the sign-ins ([`SIGN_IN_ACTIONS`]).
    pub without_sign_ins: bool,
}

/// `%` and `_` are literal in a "contains" filter.
fn like_pattern(needle: &str) -> String {
    let mut p = String::from("%");
    for c in needle.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

fn selected(s: &Selection) -> audit_events::BoxedQuery<'_, Db> {
    let mut q = audit_events::table.into_boxed();
    if let Some(actor) = &s.actor_contains {
        q = q.filter(
            lower(audit_events::actor)
                .like(like_pattern(actor))
                .escape('\\'),
        );
    }
    if let Some(entity) = &s.entity {
        q = q.filter(audit_events::entity.eq(entity));
    }
    if let Some(action) = &s.action {
        q = q.filter(audit_events::action.eq(action));
    }
    if let Some(id) = s.organisation_id {
        q = q.filter(audit_events::organisation_id.eq(id));
    }
    if let Some(ids) = &s.within {
        q = q.filter(audit_events::organisation_id.eq_any(ids.clone()));
    }
    if let Some(from) = s.from {
        q = q.filter(audit_events::occurred_at.ge(from));
    }
    if let Some(until) = s.until {
        q = q.filter(audit_events::occurred_at.lt(until));
    }
    if s.without_sign_ins {
        q = q.filter(audit_events::action.ne_all(SIGN_IN_ACTIONS));
    }
    q
}

/// How many events the selection holds.
pub fn count(conn: &mut DbConnection, s: &Selection) -> Result<i64, DbError> {
    Ok(selected(s).select(diesel::dsl::count_star()).first(conn)?)
}

/// One page (from 1) of the selection, newest first, `PAGE_SIZE` events at most.
pub fn page(conn: &mut DbConnection, s: &Selection, page: i64) -> Result<Vec<Entry>, DbError> {
    Ok(selected(s)
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .select(COLUMNS)
        .load(conn)?)
}

/// Every event of the selection, newest first (the CSV download).
pub fn all(conn: &mut DbConnection, s: &Selection) -> Result<Vec<Entry>, DbError> {
    Ok(selected(s)
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .select(COLUMNS)
        .load(conn)?)
}

/// The kinds of record and the actions the log holds, each sorted (the filter's choices).
pub fn entities_and_actions(
    conn: &mut DbConnection,
) -> Result<(Vec<String>, Vec<String>), DbError> {
    let entities = audit_events::table
        .select(audit_events::entity)
        .distinct()
        .order(audit_events::entity)
        .load::<String>(conn)?;
    let actions = audit_events::table
        .select(audit_events::action)
        .distinct()
        .order(audit_events::action)
        .load::<String>(conn)?;
    Ok((entities, actions))
}

/// The newest `n` events about one record, newest first: what others saved since a form was
/// opened (each save of a record is one event).
pub fn recent_changes(
    conn: &mut DbConnection,
    entity: &'static str,
    id: i32,
    n: i64,
) -> Result<Vec<Entry>, DbError> {
    Ok(audit_events::table
        .filter(audit_events::entity.eq(entity))
        .filter(audit_events::entity_id.eq(id))
        .order(audit_events::id.desc())
        .limit(n)
        .select(COLUMNS)
        .load(conn)?)
}

/// A vendor's history: the newest 50 events about it or its transfers, newest first.
pub fn vendor_history(
    conn: &mut DbConnection,
    vendor_id: i32,
    transfer_ids: &[i32],
) -> Result<Vec<Summary>, DbError> {
    Ok(audit_events::table
        .filter(
            audit_events::entity
                .eq("vendor")
                .and(audit_events::entity_id.eq(vendor_id))
                .or(audit_events::entity
                    .eq("transfer")
                    .and(audit_events::entity_id.eq_any(transfer_ids))),
        )
        .order(audit_events::id.desc())
        .limit(50)
        .select(SUMMARY_COLUMNS)
        .load(conn)?)
}

/// The newest `n` events, newest first, leaving out the events about accounts; `within`: only
/// those about these organisations (a member's).
pub fn latest(
    conn: &mut DbConnection,
    n: i64,
    within: Option<&[i32]>,
) -> Result<Vec<Summary>, DbError> {
    let mut query = audit_events::table
        .filter(audit_events::entity.ne("user"))
        .into_boxed();
    if let Some(ids) = within {
        query = query.filter(audit_events::organisation_id.eq_any(ids.to_vec()));
    }
    Ok(query
        .order(audit_events::id.desc())
        .limit(n)
        .select(SUMMARY_COLUMNS)
        .load(conn)?)
}

/// The CSV download's columns.
pub const CSV_HEADER: [&str; 8] = [
    "occurred_at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "organisation",
    "before",
    "after",
];

/// `2026-11-23T10:00:00Z`: the stored time is UTC.
pub fn iso_time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string()
}

/// The events as CSV, naming each organisation by its slug (`slugs`), or by its id when it is
/// gone.
pub fn csv(entries: &[Entry], slugs: &HashMap<i32, String>) -> Result<Vec<u8>, csv::Error> {
    let mut w = crate::text::csv_writer();
    w.write_record(CSV_HEADER)?;
    for e in entries {
        let organisation = e
            .organisation_id
            .map(|id| slugs.get(&id).cloned().unwrap_or_else(|| id.to_string()))
            .unwrap_or_default();
        let (time, entity_id) = (
            iso_time(e.occurred_at),
            e.entity_id.map(|id| id.to_string()).unwrap_or_default(),
        );
        let cells = [
            time.as_str(),
            &e.actor,
            &e.action,
            &e.entity,
            &entity_id,
            &organisation,
            e.before.as_deref().unwrap_or(""),
            e.after.as_deref().unwrap_or(""),
        ];
        w.write_record(cells.iter().map(|c| crate::text::csv_cell(c).into_owned()))?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::like_pattern;

    #[test]
    fn contains_filters_escape_like_wildcards() {
        assert_eq!(like_pattern("User:A_b%"), "%user:a\\_b\\%%");
    }
}
