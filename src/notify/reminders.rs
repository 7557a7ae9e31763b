//! Officers' reminders of what falls due (`registry::due`): the weekly e-mail, queued in the
//! outbox by the worker for each account that asked for it, and the iCalendar feed (RFC 5545).

use chrono::{Duration, NaiveDate};
use icalendar::{Calendar, Component, Event, EventLike};
use serde_json::json;

use crate::auth::reminders;
use crate::auth::users::User;
use crate::date::now;
use crate::db::{DbConnection, DbError};
use crate::registry::due::{self, Due};
use crate::registry::outbox::{self, Channel, NewDelivery};
use crate::registry::{objection, organisation};

/// What falls due for `user` (its organisations only) by `until`, with the id of one of its
/// organisations (a delivery names one).
pub fn items(
    conn: &mut DbConnection,
    user: &User,
    today: NaiveDate,
    until: NaiveDate,
) -> Result<(Vec<Due>, Option<i32>), DbError> {
    let mut registries = organisation::registries(conn)?;
    registries.retain(|r| user.sees(&r.organisation.slug));
    let objections: Vec<_> = objection::open(conn)?
        .into_iter()
        .filter(|o| user.sees(&o.organisation))
        .collect();
    let first = registries.first().map(|r| r.organisation.id);
    let rules = crate::rules::RuleSet::embedded();
    Ok((
        due::due(&registries, &objections, rules, (today, until)),
        first,
    ))
}

/// Queues the weekly e-mail of each account whose week has come: the overdue and the next two
/// weeks. Returns how many were queued.
pub fn queue_weekly(conn: &mut DbConnection, today: NaiveDate) -> Result<usize, DbError> {
    let mut queued = 0;
    for user_id in reminders::weekly_due(conn, today)? {
        conn.write_transaction(|conn| {
            // Taken first, in the transaction that queues it: two instances send it once.
            if !reminders::take_weekly(conn, user_id, today)? {
                return Ok(());
            }
            if let Some(user) = reminders::account(conn, user_id)? {
                let (items, org) = items(conn, &user, today, today + Duration::days(14))?;
                if let Some(org_id) = org {
                    let payload = json!({"today": today.to_string(), "items": items});
                    outbox::queue(
                        conn,
                        NewDelivery {
                            org_id,
                            event_id: None,
                            channel: Channel::Email,
                            recipient: &user.email,
                            kind: "reminders.weekly",
                            payload: &payload,
                        },
                        now(),
                    )?;
                    queued += 1;
                }
            }
            Ok::<_, DbError>(())
        })?;
    }
    Ok(queued)
}

/// The items as an iCalendar feed: one all-day event each, the overdue marked.
pub fn calendar(items: &[Due], host: &str) -> String {
    let mut cal = Calendar::new();
    cal.name("crossborder: what falls due");
    for d in items {
        let summary = match d.overdue {
            true => format!("OVERDUE: {} ({})", d.what, d.organisation),
            false => format!("{} ({})", d.what, d.organisation),
        };
        cal.push(
            Event::new()
                .uid(&format!(
                    "{}-{}@{host}",
                    d.on,
                    stable(&format!("{}/{}", d.organisation, d.what))
                ))
                .summary(&summary)
                .all_day(d.on)
                .done(),
        );
    }
    cal.done().to_string()
}

/// A short stable id of a text, so that an event keeps its UID from one fetch to the next.
fn stable(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .take(6)
        .map(|b| format!("{b:02x}"))
        .collect()
}
