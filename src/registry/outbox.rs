//! The outbox: what is to be sent, written in the transaction of what it is about, then sent by
//! a worker (`crate::notify`) that claims it, sends it and records each attempt. An event (a change
//! announced, in effect, corrected) is fanned out to one delivery per recipient; a delivery is one
//! message to one recipient, retried with a growing delay for three days. Its id is the
//! message's identity, so a retry is the same message again. On PostgreSQL several instances
//! share the outbox: each claims rows with `FOR UPDATE SKIP LOCKED` and holds them while sending.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

use crate::db::rows::{DeliveryAttemptRow, DeliveryRow};
use crate::db::schema::{changes, deliveries, delivery_attempts, outbox_events};
use crate::db::{DbConnection, DbError};

/// How long a delivery is retried before it is given up.
pub const RETRY_FOR: Duration = Duration::days(3);
/// How long a worker holds what it claimed: another instance takes it over after that. Longer
/// than a round can take (`notify::worker`: 10 deliveries, each given at most 20 s), or a slow
/// round would see its messages sent twice.
pub const HOLD: Duration = Duration::minutes(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Display, EnumString, IntoStaticStr, Serialize)]
#[strum(serialize_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Email,
    Webhook,
}

/// What happened, as subscribers and webhooks are told.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Display, EnumString, IntoStaticStr, Serialize, VariantArray,
)]
pub enum EventKind {
    #[strum(serialize = "change.announced")]
    #[serde(rename = "change.announced")]
    ChangeAnnounced,
    #[strum(serialize = "change.effective")]
    #[serde(rename = "change.effective")]
    ChangeEffective,
    #[strum(serialize = "change.corrected")]
    #[serde(rename = "change.corrected")]
    ChangeCorrected,
    #[strum(serialize = "objection.received")]
    #[serde(rename = "objection.received")]
    ObjectionReceived,
}

/// Records that an objection was received, to tell the organisation's webhooks. In the
/// objection's transaction.
pub fn queue_objection_event(
    conn: &mut DbConnection,
    org_id: i32,
    objection_id: i32,
    change_id: i32,
    at: NaiveDateTime,
) -> Result<(), DbError> {
    let kind: &str = EventKind::ObjectionReceived.into();
    diesel::insert_into(outbox_events::table)
        .values((
            outbox_events::organisation_id.eq(org_id),
            outbox_events::kind.eq(kind),
            outbox_events::change_id.eq(Some(change_id)),
            outbox_events::objection_id.eq(Some(objection_id)),
            outbox_events::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records that a change is to be told of. In the change's transaction.
pub fn queue_event(
    conn: &mut DbConnection,
    org_id: i32,
    kind: EventKind,
    change_id: i32,
    at: NaiveDateTime,
) -> Result<(), DbError> {
    let kind: &str = kind.into();
    diesel::insert_into(outbox_events::table)
        .values((
            outbox_events::organisation_id.eq(org_id),
            outbox_events::kind.eq(kind),
            outbox_events::change_id.eq(Some(change_id)),
            outbox_events::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// One message to queue.
#[derive(Debug, Clone)]
pub struct NewDelivery<'a> {
    pub org_id: i32,
    pub event_id: Option<i32>,
    pub channel: Channel,
    pub recipient: &'a str,
    pub kind: &'a str,
    pub payload: &'a serde_json::Value,
}

/// Queues one message, to be sent at once. Returns its id.
pub fn queue(conn: &mut DbConnection, d: NewDelivery, at: NaiveDateTime) -> Result<i32, DbError> {
    let channel: &str = d.channel.into();
    Ok(diesel::insert_into(deliveries::table)
        .values((
            deliveries::organisation_id.eq(d.org_id),
            deliveries::event_id.eq(d.event_id),
            deliveries::channel.eq(channel),
            deliveries::recipient.eq(d.recipient),
            deliveries::kind.eq(d.kind),
            deliveries::payload.eq(d.payload.to_string()),
            deliveries::created_at.eq(at),
            deliveries::next_attempt_at.eq(at),
            deliveries::attempts.eq(0),
        ))
        .returning(deliveries::id)
        .get_result(conn)?)
}

/// An event waiting to be fanned out.
#[derive(Debug, Clone, Queryable)]
pub struct Event {
    pub id: i32,
    pub organisation_id: i32,
    pub kind: String,
    pub change_id: Option<i32>,
    pub objection_id: Option<i32>,
}

/// Claims up to `limit` events not yet fanned out; `fan_out` makes their deliveries, in the same
/// transaction, and they are marked done. Returns how many were fanned out.
pub fn fan_out(
    conn: &mut DbConnection,
    limit: i64,
    at: NaiveDateTime,
    mut make: impl FnMut(&mut DbConnection, &Event) -> Result<(), DbError>,
) -> Result<usize, DbError> {
    conn.write_transaction(|conn| {
        let query = outbox_events::table
            .filter(outbox_events::fanned_out_at.is_null())
            .order(outbox_events::id)
            .limit(limit)
            .select((
                outbox_events::id,
                outbox_events::organisation_id,
                outbox_events::kind,
                outbox_events::change_id,
                outbox_events::objection_id,
            ));
        let events: Vec<Event> = match conn {
            DbConnection::Postgres(pg) => query.for_update().skip_locked().load(pg)?,
            DbConnection::Sqlite(lite) => query.load(lite)?,
        };
        for event in &events {
            make(conn, event)?;
            diesel::update(outbox_events::table.find(event.id))
                .set(outbox_events::fanned_out_at.eq(Some(at)))
                .execute(conn)?;
        }
        Ok(events.len())
    })
}

/// Queues a `change.effective` event for each announced change that took effect by `today` and
/// has none yet. Returns how many were queued.
pub fn effective_events(
    conn: &mut DbConnection,
    today: NaiveDate,
    at: NaiveDateTime,
) -> Result<usize, DbError> {
    let announced: &str = EventKind::ChangeAnnounced.into();
    let effective: &str = EventKind::ChangeEffective.into();
    let due: Vec<(i32, i32)> = outbox_events::table
        .inner_join(changes::table.on(outbox_events::change_id.eq(changes::id.nullable())))
        .filter(outbox_events::kind.eq(announced))
        .filter(changes::effective_on.le(today))
        // Each round reads only the last week: the work stays the same as the log grows, and a
        // note more than a week late (the service down that long) would say nothing new.
        .filter(changes::effective_on.ge(today - Duration::days(7)))
        // One that took effect the day it was announced was told as such.
        .filter(changes::effective_on.gt(changes::announced_on))
        .select((outbox_events::organisation_id, changes::id))
        .load(conn)?;
    if due.is_empty() {
        return Ok(0);
    }
    // A change moved to another day takes effect on its rescheduling's day: that one is told.
    let moved: Vec<Option<i32>> = changes::table
        .filter(changes::amends.eq_any(due.iter().map(|(_, c)| *c)))
        .select(changes::amends)
        .load(conn)?;
    let due: Vec<(i32, i32)> = due
        .into_iter()
        .filter(|(_, c)| !moved.contains(&Some(*c)))
        .collect();
    let done: Vec<Option<i32>> = outbox_events::table
        .filter(outbox_events::kind.eq(effective))
        .filter(outbox_events::change_id.eq_any(due.iter().map(|(_, c)| *c)))
        .select(outbox_events::change_id)
        .load(conn)?;
    let mut queued = 0;
    for (org_id, change_id) in due.into_iter().filter(|(_, c)| !done.contains(&Some(*c))) {
        // Another instance may queue the same one first: the unique key refuses the second.
        let inserted = conn.transaction(|conn| {
            queue_event(conn, org_id, EventKind::ChangeEffective, change_id, at)
        });
        match inserted {
            Ok(()) => queued += 1,
            Err(DbError::Query(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ))) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(queued)
}

/// A delivery claimed for sending.
#[derive(Debug, Clone, Queryable)]
pub struct Due {
    pub id: i32,
    pub organisation_id: i32,
    pub channel: String,
    pub recipient: String,
    pub kind: String,
    pub payload: String,
    pub created_at: NaiveDateTime,
    pub attempts: i32,
}

/// Claims up to `limit` deliveries on `channels` due at `at` (held until `at + HOLD`), oldest
/// first.
pub fn claim(
    conn: &mut DbConnection,
    channels: &[Channel],
    limit: i64,
    at: NaiveDateTime,
) -> Result<Vec<Due>, DbError> {
    let channels: Vec<&str> = channels.iter().map(|c| c.into()).collect();
    conn.write_transaction(|conn| {
        let query = deliveries::table
            .filter(deliveries::channel.eq_any(&channels))
            .filter(deliveries::delivered_at.is_null())
            .filter(deliveries::failed_at.is_null())
            .filter(deliveries::next_attempt_at.le(at))
            .filter(
                deliveries::claimed_until
                    .is_null()
                    .or(deliveries::claimed_until.lt(at)),
            )
            .order(deliveries::id)
            .limit(limit)
            .select((
                deliveries::id,
                deliveries::organisation_id,
                deliveries::channel,
                deliveries::recipient,
                deliveries::kind,
                deliveries::payload,
                deliveries::created_at,
                deliveries::attempts,
            ));
        let due: Vec<Due> = match conn {
            DbConnection::Postgres(pg) => query.for_update().skip_locked().load(pg)?,
            DbConnection::Sqlite(lite) => query.load(lite)?,
        };
        if !due.is_empty() {
            diesel::update(
                deliveries::table.filter(deliveries::id.eq_any(due.iter().map(|d| d.id))),
            )
            .set(deliveries::claimed_until.eq(Some(at + HOLD)))
            .execute(conn)?;
        }
        Ok(due)
    })
}

/// The delay before attempt `n + 1` after `n` failed: 30 s, doubling, at most 6 hours.
pub fn backoff(failed: i32) -> Duration {
    let doubled = 30i64.saturating_mul(1i64 << failed.clamp(0, 20).saturating_sub(1));
    Duration::seconds(doubled.min(6 * 3600))
}

/// Records an attempt at `delivery`: sent (`Ok(detail)`) or not (`Err(reason)`), then when to try
/// again, or that it is given up (three days after it was queued).
pub fn record(
    conn: &mut DbConnection,
    delivery: &Due,
    outcome: Result<String, String>,
    at: NaiveDateTime,
) -> Result<(), DbError> {
    conn.write_transaction(|conn| {
        let (succeeded, detail) = match &outcome {
            Ok(detail) => (1, detail.clone()),
            Err(reason) => (0, reason.clone()),
        };
        diesel::insert_into(delivery_attempts::table)
            .values((
                delivery_attempts::delivery_id.eq(delivery.id),
                delivery_attempts::attempted_at.eq(at),
                delivery_attempts::succeeded.eq(succeeded),
                delivery_attempts::detail.eq(&detail),
            ))
            .execute(conn)?;
        let row = deliveries::table.find(delivery.id);
        let attempts = delivery.attempts + 1;
        match outcome {
            Ok(_) => diesel::update(row)
                .set((
                    deliveries::attempts.eq(attempts),
                    deliveries::delivered_at.eq(Some(at)),
                    deliveries::claimed_until.eq(None::<NaiveDateTime>),
                ))
                .execute(conn)?,
            Err(reason) => {
                let next = at + backoff(attempts);
                let gave_up = (next - delivery.created_at > RETRY_FOR).then_some(at);
                diesel::update(row)
                    .set((
                        deliveries::attempts.eq(attempts),
                        deliveries::next_attempt_at.eq(next),
                        deliveries::last_error.eq(Some(reason)),
                        deliveries::failed_at.eq(gave_up),
                        deliveries::claimed_until.eq(None::<NaiveDateTime>),
                    ))
                    .execute(conn)?
            }
        };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_six_hours() {
        let waits: Vec<i64> = (1..=12).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(
            waits,
            [
                30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600
            ]
        );
        // Three days of retries are about 20 attempts.
        let mut elapsed = Duration::zero();
        let mut n = 0;
        while elapsed <= RETRY_FOR {
            n += 1;
            elapsed += backoff(n);
        }
        assert_eq!(n, 21);
    }
}

/// One message sent (or tried) about a change: the proof of notice.
#[derive(Debug, Clone, Queryable)]
pub struct Sent {
    pub channel: String,
    pub recipient: String,
    pub kind: String,
    pub queued_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
    pub attempts: i32,
    pub failed_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

/// Every delivery about change `change_id` of organisation `org_id`, in the order queued.
pub fn proof(conn: &mut DbConnection, org_id: i32, change_id: i32) -> Result<Vec<Sent>, DbError> {
    Ok(deliveries::table
        .inner_join(outbox_events::table)
        .filter(deliveries::organisation_id.eq(org_id))
        .filter(outbox_events::change_id.eq(change_id))
        .order(deliveries::id)
        .select((
            deliveries::channel,
            deliveries::recipient,
            deliveries::kind,
            deliveries::created_at,
            deliveries::delivered_at,
            deliveries::attempts,
            deliveries::failed_at,
            deliveries::last_error,
        ))
        .load(conn)?)
}

/// A page of the deliveries, newest first (`limit` of them after `offset`), with their attempts
/// (oldest attempt first): the admins' view.
pub fn recent(
    conn: &mut DbConnection,
    (limit, offset): (i64, i64),
) -> Result<Vec<(DeliveryRow, Vec<DeliveryAttemptRow>)>, DbError> {
    let rows: Vec<DeliveryRow> = deliveries::table
        .order(deliveries::id.desc())
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    let attempts: Vec<DeliveryAttemptRow> = delivery_attempts::table
        .filter(delivery_attempts::delivery_id.eq_any(rows.iter().map(|d| d.id)))
        .order(delivery_attempts::id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|d| {
            let of: Vec<DeliveryAttemptRow> = attempts
                .iter()
                .filter(|a| a.delivery_id == d.id)
                .cloned()
                .collect();
            (d, of)
        })
        .collect())
}

/// How many deliveries there are, sent or not.
pub fn deliveries_count(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(deliveries::table.count().get_result(conn)?)
}

/// Sends delivery `id` again at once, with the same id (delivered or given up before: a replay
/// an admin asked for). Audited.
pub fn replay(conn: &mut DbConnection, id: i32, actor: &str) -> Result<bool, DbError> {
    conn.write_transaction(|conn| {
        let Some(d) = deliveries::table
            .find(id)
            .first::<DeliveryRow>(conn)
            .optional()?
        else {
            return Ok(false);
        };
        let at = crate::date::now();
        diesel::update(deliveries::table.find(id))
            .set((
                deliveries::next_attempt_at.eq(at),
                deliveries::delivered_at.eq(None::<NaiveDateTime>),
                deliveries::failed_at.eq(None::<NaiveDateTime>),
                deliveries::claimed_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        crate::audit::audit(
            conn,
            crate::audit::AuditEvent {
                actor,
                action: "replay",
                entity: "delivery",
                entity_id: id,
                organisation_id: Some(d.organisation_id),
                before: None,
                after: None,
            },
        )?;
        Ok(true)
    })
}
