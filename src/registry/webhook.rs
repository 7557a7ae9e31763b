//! Webhooks: endpoints an organisation's admins register to be told of its events, each with
//! the events it chose and a secret that signs every delivery (Standard Webhooks). The secret is
//! shown once, when the endpoint is added. An endpoint is removed, never deleted: its deliveries
//! keep naming it.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::organisation;
use super::outbox::EventKind;
use crate::audit::{AuditEvent, audit};
use crate::date::now;
use crate::db::rows::WebhookRow;
use crate::db::schema::webhooks;
use crate::db::{DbConnection, DbError};
use crate::registry::EditError;
use crate::values::WebUrl;

/// A registered endpoint, without its secret.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Webhook {
    pub id: i32,
    pub organisation: String,
    pub url: String,
    pub events: Vec<String>,
    pub created_at: NaiveDateTime,
    pub created_by: String,
    pub removed_at: Option<NaiveDateTime>,
}

impl Webhook {
    fn of(row: WebhookRow, organisation: &str) -> Self {
        Webhook {
            id: row.id,
            organisation: organisation.to_string(),
            url: row.url,
            events: row.events.split_whitespace().map(str::to_string).collect(),
            created_at: row.created_at,
            created_by: row.created_by,
            removed_at: row.removed_at,
        }
    }
}

/// The events an endpoint asks for, from their names; an unknown one is refused with the list.
pub fn events(names: &[String]) -> Result<Vec<EventKind>, String> {
    if names.is_empty() {
        return Err(format!("choose at least one of {}", known()));
    }
    let mut out: Vec<EventKind> = Vec::new();
    for name in names {
        let kind = name
            .trim()
            .parse::<EventKind>()
            .map_err(|_| format!("'{name}' is not an event; the events are {}", known()))?;
        if !out.contains(&kind) {
            out.push(kind);
        }
    }
    Ok(out)
}

fn known() -> String {
    <EventKind as strum::VariantArray>::VARIANTS
        .iter()
        .map(|k| k.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Registers an endpoint for the organisation `slug`; returns it and its secret (shown once).
pub fn add(
    conn: &mut DbConnection,
    slug: &str,
    url: &WebUrl,
    events: &[EventKind],
    actor: &str,
) -> Result<(Webhook, String), EditError> {
    let secret = format!("whsec_{}", STANDARD.encode(rand::random::<[u8; 32]>()));
    let events = events
        .iter()
        .map(|e| e.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug)?;
        let row: WebhookRow = diesel::insert_into(webhooks::table)
            .values((
                webhooks::organisation_id.eq(org.id),
                webhooks::url.eq(url.as_str()),
                webhooks::events.eq(&events),
                webhooks::secret.eq(&secret),
                webhooks::created_at.eq(now()),
                webhooks::created_by.eq(actor),
            ))
            .returning(webhooks::all_columns)
            .get_result(conn)?;
        let hook = Webhook::of(row, slug);
        audit(
            conn,
            AuditEvent {
                actor,
                action: "create",
                entity: "webhook",
                entity_id: hook.id,
                organisation_id: Some(org.id),
                before: None,
                after: serde_json::to_string(&hook).ok(),
            },
        )?;
        Ok((hook, secret.clone()))
    })
}

/// The endpoints of the organisations `slugs` (all when empty), removed ones included.
pub fn list(conn: &mut DbConnection, slug: Option<&str>) -> Result<Vec<Webhook>, DbError> {
    use crate::db::schema::organisations;
    let mut query = webhooks::table
        .inner_join(organisations::table)
        .select((webhooks::all_columns, organisations::slug))
        .order(webhooks::id)
        .into_boxed();
    if let Some(slug) = slug {
        query = query.filter(organisations::slug.eq(slug.to_string()));
    }
    let rows: Vec<(WebhookRow, String)> = query.load(conn)?;
    Ok(rows.into_iter().map(|(r, s)| Webhook::of(r, &s)).collect())
}

/// A page of every organisation's endpoints, removed ones too, by id (`limit` of them after
/// `offset`): the admins' view.
pub fn page(conn: &mut DbConnection, (limit, offset): (i64, i64)) -> Result<Vec<Webhook>, DbError> {
    use crate::db::schema::organisations;
    let rows: Vec<(WebhookRow, String)> = webhooks::table
        .inner_join(organisations::table)
        .select((webhooks::all_columns, organisations::slug))
        .order(webhooks::id)
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    Ok(rows.into_iter().map(|(r, s)| Webhook::of(r, &s)).collect())
}

/// How many endpoints there are, removed ones too.
pub fn count(conn: &mut DbConnection) -> Result<i64, DbError> {
    Ok(webhooks::table.count().get_result(conn)?)
}

/// Removes endpoint `id` of the organisation `slug`: nothing more is sent to it.
pub fn remove(
    conn: &mut DbConnection,
    slug: &str,
    id: i32,
    actor: &str,
) -> Result<Webhook, EditError> {
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug)?;
        let row: WebhookRow = webhooks::table
            .filter(webhooks::id.eq(id))
            .filter(webhooks::organisation_id.eq(org.id))
            .first(conn)
            .optional()?
            .ok_or(EditError::NotFound("webhook"))?;
        if row.removed_at.is_some() {
            return Ok(Webhook::of(row, slug));
        }
        let before = Webhook::of(row, slug);
        let row: WebhookRow = diesel::update(webhooks::table.find(id))
            .set(webhooks::removed_at.eq(Some(now())))
            .returning(webhooks::all_columns)
            .get_result(conn)?;
        let after = Webhook::of(row, slug);
        audit(
            conn,
            AuditEvent {
                actor,
                action: "remove",
                entity: "webhook",
                entity_id: id,
                organisation_id: Some(org.id),
                before: serde_json::to_string(&before).ok(),
                after: serde_json::to_string(&after).ok(),
            },
        )?;
        Ok(after)
    })
}

/// The endpoints of an organisation that want `event`, with their secrets (to sign).
pub fn wanting(
    conn: &mut DbConnection,
    org_id: i32,
    event: &str,
) -> Result<Vec<(i32, String)>, DbError> {
    let rows: Vec<WebhookRow> = webhooks::table
        .filter(webhooks::organisation_id.eq(org_id))
        .filter(webhooks::removed_at.is_null())
        .order(webhooks::id)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.events.split_whitespace().any(|e| e == event))
        .map(|r| (r.id, r.url))
        .collect())
}

/// Where to send a delivery for endpoint `id`, and the secret to sign it: `None` once removed.
pub fn target(conn: &mut DbConnection, id: i32) -> Result<Option<(String, String)>, DbError> {
    Ok(webhooks::table
        .filter(webhooks::id.eq(id))
        .filter(webhooks::removed_at.is_null())
        .select((webhooks::url, webhooks::secret))
        .first(conn)
        .optional()?)
}
