//! People who asked to be told of an organisation's changes by e-mail (GDPR Art. 28(2)). Double
//! opt-in: subscribing queues a confirmation message with a signed link that expires; nothing
//! else is sent before the link is followed, and the time it was is kept as the consent. Every
//! message carries an unsubscribe link. Addresses are never public.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use super::link::{LinkKey, Purpose};
use super::outbox::{self, Channel, NewDelivery};
use crate::audit::{AuditEvent, audit};
use crate::date::now;
use crate::db::schema::{organisations, subscribers};
use crate::db::{DbConnection, DbError};
use crate::values::EmailAddress;

/// How long a confirmation link holds.
pub const CONFIRM_FOR: Duration = Duration::days(7);

#[derive(Debug, Clone, PartialEq, Queryable, Serialize)]
pub struct Subscriber {
    pub id: i32,
    pub organisation_id: i32,
    pub email: String,
    pub created_at: NaiveDateTime,
    pub confirmed_at: Option<NaiveDateTime>,
    pub unsubscribed_at: Option<NaiveDateTime>,
}

impl Subscriber {
    /// Confirmed and not unsubscribed: the announcements go to them.
    pub fn is_active(&self) -> bool {
        self.confirmed_at.is_some() && self.unsubscribed_at.is_none()
    }
}

/// What subscribing did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subscribed {
    /// A confirmation message is queued (also when the address had asked before).
    ConfirmationQueued,
    /// The address is subscribed already: nothing sent again.
    AlreadySubscribed,
}

/// Subscribes `email` to the organisation `slug`: the confirmation message is queued in the same
/// transaction. `None` when there is no such organisation.
pub fn subscribe(
    conn: &mut DbConnection,
    slug: &str,
    email: &EmailAddress,
    key: &LinkKey,
) -> Result<Option<Subscribed>, DbError> {
    // Addresses are compared as written in lowercase, so one person is one subscriber.
    let email = email.as_str().to_lowercase();
    conn.write_transaction(|conn| {
        let Some((org_id, name)) = organisations::table
            .filter(organisations::slug.eq(slug))
            .filter(organisations::retired_at.is_null())
            .select((organisations::id, organisations::name))
            .first::<(i32, String)>(conn)
            .optional()?
        else {
            return Ok(None);
        };
        let at = now();
        let held: Option<Subscriber> = subscribers::table
            .filter(subscribers::organisation_id.eq(org_id))
            .filter(subscribers::email.eq(&email))
            .first(conn)
            .optional()?;
        let id = match held {
            Some(s) if s.is_active() => return Ok(Some(Subscribed::AlreadySubscribed)),
            // Asked again (or back after unsubscribing): a new confirmation, the old consent gone.
            Some(s) => {
                diesel::update(subscribers::table.find(s.id))
                    .set((
                        subscribers::confirmed_at.eq(None::<NaiveDateTime>),
                        subscribers::unsubscribed_at.eq(None::<NaiveDateTime>),
                    ))
                    .execute(conn)?;
                s.id
            }
            None => diesel::insert_into(subscribers::table)
                .values((
                    subscribers::organisation_id.eq(org_id),
                    subscribers::email.eq(&email),
                    subscribers::created_at.eq(at),
                ))
                .returning(subscribers::id)
                .get_result(conn)?,
        };
        let payload = json!({
            "organisation": {"slug": slug, "name": name},
            "confirm": key.sign(Purpose::ConfirmSubscription, id, Some(at + CONFIRM_FOR)),
            "unsubscribe": key.sign(Purpose::Unsubscribe, id, None),
            "expires": (at + CONFIRM_FOR).format("%Y-%m-%d %H:%M UTC").to_string(),
        });
        outbox::queue(
            conn,
            NewDelivery {
                org_id,
                event_id: None,
                channel: Channel::Email,
                recipient: &email,
                kind: "subscription.confirm",
                payload: &payload,
            },
            at,
        )?;
        audit(
            conn,
            AuditEvent {
                actor: "public",
                action: "subscribe",
                entity: "subscriber",
                entity_id: id,
                organisation_id: Some(org_id),
                before: None,
                after: None,
            },
        )?;
        Ok(Some(Subscribed::ConfirmationQueued))
    })
}

/// Follows a confirmation link: the subscriber's consent, now (kept if it was given before).
pub fn confirm(conn: &mut DbConnection, id: i32) -> Result<Option<Subscriber>, DbError> {
    set(conn, id, "confirm", |s| {
        (s.confirmed_at.is_none() || s.unsubscribed_at.is_some()).then(|| {
            (
                subscribers::confirmed_at.eq(Some(now())),
                subscribers::unsubscribed_at.eq(None::<NaiveDateTime>),
            )
        })
    })
}

/// Unsubscribes: nothing more is sent to the address.
pub fn unsubscribe(conn: &mut DbConnection, id: i32) -> Result<Option<Subscriber>, DbError> {
    set(conn, id, "unsubscribe", |s| {
        s.unsubscribed_at.is_none().then(|| {
            (
                subscribers::confirmed_at.eq(s.confirmed_at),
                subscribers::unsubscribed_at.eq(Some(now())),
            )
        })
    })
}

type Consent = (
    diesel::dsl::Eq<subscribers::confirmed_at, Option<NaiveDateTime>>,
    diesel::dsl::Eq<subscribers::unsubscribed_at, Option<NaiveDateTime>>,
);

/// Applies `change` to subscriber `id` when it says something changes, audited; the subscriber
/// as it is after. `None`: no such subscriber.
fn set(
    conn: &mut DbConnection,
    id: i32,
    action: &str,
    change: impl FnOnce(&Subscriber) -> Option<Consent>,
) -> Result<Option<Subscriber>, DbError> {
    conn.write_transaction(|conn| {
        let Some(s) = subscribers::table
            .find(id)
            .first::<Subscriber>(conn)
            .optional()?
        else {
            return Ok(None);
        };
        if let Some(values) = change(&s) {
            diesel::update(subscribers::table.find(id))
                .set(values)
                .execute(conn)?;
            audit(
                conn,
                AuditEvent {
                    actor: "public",
                    action,
                    entity: "subscriber",
                    entity_id: id,
                    organisation_id: Some(s.organisation_id),
                    before: None,
                    after: None,
                },
            )?;
        }
        Ok(subscribers::table.find(id).first(conn).optional()?)
    })
}

/// A page of the subscribers of the organisations not retired (`limit` of them after
/// `offset`), each with its organisation's slug: by organisation (name, then slug), the newest
/// first within one. The admins' view.
pub fn page(
    conn: &mut DbConnection,
    (limit, offset): (i64, i64),
) -> Result<Vec<(String, Subscriber)>, DbError> {
    Ok(subscribers::table
        .inner_join(organisations::table)
        .filter(organisations::retired_at.is_null())
        .order((
            organisations::name.asc(),
            organisations::slug.asc(),
            subscribers::id.desc(),
        ))
        .limit(limit)
        .offset(offset)
        .select((organisations::slug, subscribers::all_columns))
        .load(conn)?)
}

/// How many subscribers the organisations not retired have, and how many are confirmed (and not
/// unsubscribed) in each of those that have one, by slug.
pub fn counts(
    conn: &mut DbConnection,
) -> Result<(i64, std::collections::HashMap<String, i64>), DbError> {
    let of_organisations = || {
        subscribers::table
            .inner_join(organisations::table)
            .filter(organisations::retired_at.is_null())
    };
    let all: i64 = of_organisations().count().get_result(conn)?;
    let confirmed: Vec<(String, i64)> = of_organisations()
        .filter(subscribers::confirmed_at.is_not_null())
        .filter(subscribers::unsubscribed_at.is_null())
        .group_by(organisations::slug)
        .select((organisations::slug, diesel::dsl::count_star()))
        .load(conn)?;
    Ok((all, confirmed.into_iter().collect()))
}

/// The addresses told of an organisation's changes.
pub fn active(conn: &mut DbConnection, org_id: i32) -> Result<Vec<Subscriber>, DbError> {
    Ok(subscribers::table
        .filter(subscribers::organisation_id.eq(org_id))
        .filter(subscribers::confirmed_at.is_not_null())
        .filter(subscribers::unsubscribed_at.is_null())
        .order(subscribers::id)
        .load(conn)?)
}

/// One subscriber by id.
pub fn find(conn: &mut DbConnection, id: i32) -> Result<Option<Subscriber>, DbError> {
    Ok(subscribers::table.find(id).first(conn).optional()?)
}
