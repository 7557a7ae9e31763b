//! Objections to an announced change (GDPR Art. 28(2)): open until the change takes effect.
//! Filed on the public page, an objection counts once the objector follows the link e-mailed to
//! them; filed by an API client, at once. The organisation's webhooks hear of each one; officers
//! record the outcome (upheld, resolved, withdrawn) with a note, and the objector is told. Every
//! step is audited.

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use serde_json::json;
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

use super::change::{self, Change, ChangeKind};
use super::link::{LinkKey, Purpose};
use super::organisation;
use super::outbox::{self, Channel, NewDelivery};
use crate::audit::{AuditEvent, audit};
use crate::date::{now, today};
use crate::db::schema::{changes, objections, organisations};
use crate::db::{DbConnection, DbError};
use crate::registry::EditError;
use crate::values::{EmailAddress, FieldError, check_text};

pub use crate::db::rows::ObjectionRow as Objection;

/// What came of an objection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Display, EnumString, IntoStaticStr, VariantArray)]
#[strum(serialize_all = "lowercase")]
pub enum Outcome {
    /// The objection stands: the change is not made as announced.
    Upheld,
    /// Settled with the objector (a safeguard added, a question answered).
    Resolved,
    /// The objector took it back.
    Withdrawn,
}

/// An objection as typed.
#[derive(Debug, Clone)]
pub struct NewObjection {
    pub name: String,
    pub company: String,
    pub email: EmailAddress,
    pub reason: String,
}

impl NewObjection {
    /// Checks what was typed, each field's problem named: every field is required, one line
    /// except the reason, of a sensible length.
    pub fn parse(
        name: &str,
        company: &str,
        email: &str,
        reason: &str,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut text = |(field, enter, subject): (&str, &str, &str), value: &str, max: usize| {
            let value = value.trim();
            if value.is_empty() {
                errors.push(FieldError::new(field, enter));
            } else if value.chars().count() > max {
                errors.push(FieldError::new(
                    field,
                    format!("{subject} must be {max} characters or fewer"),
                ));
            } else if let Err(e) = check_text(field, value) {
                errors.push(e);
            }
            value.to_string()
        };
        let name = text(("name", "Enter your name", "Your name"), name, 200);
        let company = text(
            (
                "company",
                "Enter the name of your company",
                "The company's name",
            ),
            company,
            200,
        );
        let reason = text(("reason", "Say why you object", "The reason"), reason, 5000);
        let email = match EmailAddress::parse(email.trim()) {
            Ok(e) => Some(e),
            Err(_) if email.trim().is_empty() => {
                errors.push(FieldError::new("email", "Enter your e-mail address"));
                None
            }
            Err(e) => {
                errors.push(FieldError::new("email", e));
                None
            }
        };
        match (email, errors.is_empty()) {
            (Some(email), true) => Ok(NewObjection {
                name,
                company,
                email,
                reason,
            }),
            _ => Err(errors),
        }
    }
}

/// Who files: someone on the public page (confirms by e-mail) or an API client (trusted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FiledBy {
    Public,
    Client(String),
}

/// The change `change_id` of the organisation `slug` while objections to it are open; the
/// refusal says why not.
pub fn open_change(
    conn: &mut DbConnection,
    slug: &str,
    change_id: i32,
) -> Result<(i32, String, Change), EditError> {
    let (org_id, name): (i32, String) = organisations::table
        .inner_join(changes::table)
        .filter(organisations::slug.eq(slug))
        .filter(organisations::retired_at.is_null())
        .filter(changes::id.eq(change_id))
        .select((organisations::id, organisations::name))
        .first(conn)
        .optional()?
        .ok_or(EditError::NotFound("change"))?;
    let change = change::find(conn, change_id)?.ok_or(EditError::NotFound("change"))?;
    if !matches!(
        change.kind,
        ChangeKind::Added | ChangeKind::Changed | ChangeKind::Retired
    ) {
        return Err(EditError::NotFound("change"));
    }
    // A change moved later is objected to on its new day.
    let effective = effective_on(conn, &change)?;
    if effective <= today() {
        return Err(EditError::Conflict(format!(
            "this change took effect on {effective}: objections were open until the day before"
        )));
    }
    Ok((
        org_id,
        name,
        Change {
            effective_on: effective,
            ..change
        },
    ))
}

/// The day a change takes effect, following the reschedulings that moved it.
fn effective_on(conn: &mut DbConnection, change: &Change) -> Result<NaiveDate, DbError> {
    let mut day = change.effective_on;
    let mut id = change.id;
    while let Some((next, on)) = changes::table
        .filter(changes::amends.eq(id))
        .order(changes::id.desc())
        .select((changes::id, changes::effective_on))
        .first::<(i32, NaiveDate)>(conn)
        .optional()?
    {
        (id, day) = (next, on);
    }
    Ok(day)
}

/// Files an objection to change `change_id` of `slug`. From the public page a confirmation
/// link is e-mailed (it holds until the change takes effect, a week at most); from an API client
/// it counts at once and the organisation's webhooks are told.
pub fn file(
    conn: &mut DbConnection,
    (slug, change_id): (&str, i32),
    new: &NewObjection,
    by: &FiledBy,
    key: &LinkKey,
) -> Result<Objection, EditError> {
    conn.write_transaction(|conn| {
        let (org_id, org_name, change) = open_change(conn, slug, change_id)?;
        let at = now();
        let (filed_by, confirmed_at) = match by {
            FiledBy::Public => ("public".to_string(), None),
            FiledBy::Client(id) => (format!("api:{id}"), Some(at)),
        };
        let row: Objection = diesel::insert_into(objections::table)
            .values((
                objections::organisation_id.eq(org_id),
                objections::change_id.eq(change_id),
                objections::name.eq(&new.name),
                objections::company.eq(&new.company),
                objections::email.eq(new.email.as_str()),
                objections::reason.eq(&new.reason),
                objections::created_at.eq(at),
                objections::confirmed_at.eq(confirmed_at),
                objections::filed_by.eq(&filed_by),
            ))
            .returning(objections::all_columns)
            .get_result(conn)?;
        match by {
            FiledBy::Public => {
                let until = change
                    .effective_on
                    .and_hms_opt(0, 0, 0)
                    .unwrap_or(at)
                    .min(at + Duration::days(7));
                let payload = json!({
                    "organisation": {"slug": slug, "name": org_name},
                    "change": {"summary": change.summary, "effective_on": change.effective_on.to_string()},
                    "confirm": key.sign(Purpose::ConfirmObjection, row.id, Some(until)),
                    "expires": until.format("%Y-%m-%d %H:%M UTC").to_string(),
                });
                outbox::queue(
                    conn,
                    NewDelivery {
                        org_id,
                        event_id: None,
                        channel: Channel::Email,
                        recipient: new.email.as_str(),
                        kind: "objection.confirm",
                        payload: &payload,
                    },
                    at,
                )?;
            }
            FiledBy::Client(_) => {
                outbox::queue_objection_event(conn, org_id, row.id, change_id, at)?;
            }
        }
        audit(
            conn,
            AuditEvent {
                actor: &filed_by,
                action: "object",
                entity: "objection",
                entity_id: row.id,
                organisation_id: Some(org_id),
                before: None,
                after: serde_json::to_string(&row).ok(),
            },
        )?;
        Ok(row)
    })
}

/// Follows an objection's confirmation link: it counts from now, if the change is still to come.
pub fn confirm(conn: &mut DbConnection, slug: &str, id: i32) -> Result<Objection, EditError> {
    conn.write_transaction(|conn| {
        let row = find(conn, id)?.ok_or(EditError::NotFound("objection"))?;
        open_change(conn, slug, row.change_id)?;
        if row.confirmed_at.is_some() {
            return Ok(row);
        }
        let at = now();
        let row: Objection = diesel::update(objections::table.find(id))
            .set(objections::confirmed_at.eq(Some(at)))
            .returning(objections::all_columns)
            .get_result(conn)?;
        outbox::queue_objection_event(conn, row.organisation_id, id, row.change_id, at)?;
        audit(
            conn,
            AuditEvent {
                actor: "public",
                action: "confirm",
                entity: "objection",
                entity_id: id,
                organisation_id: Some(row.organisation_id),
                before: None,
                after: None,
            },
        )?;
        Ok(row)
    })
}

/// Records what came of objection `id` of `slug`, with a note; the objector is told by e-mail.
pub fn decide(
    conn: &mut DbConnection,
    (slug, id): (&str, i32),
    (outcome, note): (Outcome, &str),
    actor: &str,
) -> Result<Objection, EditError> {
    conn.write_transaction(|conn| {
        let org = organisation::lock(conn, slug)?;
        let before = find(conn, id)?
            .filter(|o| o.organisation_id == org.id && o.confirmed_at.is_some())
            .ok_or(EditError::NotFound("objection"))?;
        let outcome_name: &str = outcome.into();
        let at = now();
        let after: Objection = diesel::update(objections::table.find(id))
            .set((
                objections::outcome.eq(Some(outcome_name)),
                objections::outcome_note.eq(Some(note)),
                objections::decided_at.eq(Some(at)),
                objections::decided_by.eq(Some(actor)),
            ))
            .returning(objections::all_columns)
            .get_result(conn)?;
        let change = change::find(conn, after.change_id)?.ok_or(EditError::NotFound("change"))?;
        let name: String = organisations::table
            .find(org.id)
            .select(organisations::name)
            .first(conn)?;
        let payload = json!({
            "organisation": {"slug": slug, "name": name},
            "change": {"summary": change.summary, "effective_on": change.effective_on.to_string()},
            "objection": {"name": after.name, "reason": after.reason, "received": before.created_at.date().to_string()},
            "outcome": outcome_name,
            "note": note,
        });
        outbox::queue(
            conn,
            NewDelivery {
                org_id: org.id,
                event_id: None,
                channel: Channel::Email,
                recipient: &after.email,
                kind: "objection.outcome",
                payload: &payload,
            },
            at,
        )?;
        audit(
            conn,
            AuditEvent {
                actor,
                action: "decide",
                entity: "objection",
                entity_id: id,
                organisation_id: Some(org.id),
                before: serde_json::to_string(&before).ok(),
                after: serde_json::to_string(&after).ok(),
            },
        )?;
        Ok(after)
    })
}

pub fn find(conn: &mut DbConnection, id: i32) -> Result<Option<Objection>, DbError> {
    Ok(objections::table.find(id).first(conn).optional()?)
}

/// An open objection with what it is about, for the dashboard.
#[derive(Debug, Clone)]
pub struct Open {
    pub objection: Objection,
    pub organisation: String,
    pub summary: String,
    pub deadline: NaiveDate,
}

/// Confirmed objections with no outcome yet, soonest deadline first.
pub fn open(conn: &mut DbConnection) -> Result<Vec<Open>, DbError> {
    let rows: Vec<(Objection, String, Change)> = objections::table
        .inner_join(organisations::table)
        .filter(objections::confirmed_at.is_not_null())
        .filter(objections::outcome.is_null())
        .select((
            objections::all_columns,
            organisations::slug,
            objections::change_id,
        ))
        .load::<(Objection, String, i32)>(conn)?
        .into_iter()
        .map(|(o, slug, change_id)| {
            let change = change::find(conn, change_id)?.ok_or_else(|| {
                DbError::Corrupt(format!("objections row id {}: no change {change_id}", o.id))
            })?;
            Ok((o, slug, change))
        })
        .collect::<Result<_, DbError>>()?;
    let mut out = Vec::new();
    for (objection, organisation, change) in rows {
        let deadline = effective_on(conn, &change)?;
        out.push(Open {
            objection,
            organisation,
            summary: change.summary,
            deadline,
        });
    }
    out.sort_by_key(|o| (o.deadline, o.objection.id));
    Ok(out)
}

/// Every objection to the changes of an organisation, newest first (proof and workspace).
pub fn of_organisation(conn: &mut DbConnection, org_id: i32) -> Result<Vec<Objection>, DbError> {
    Ok(objections::table
        .filter(objections::organisation_id.eq(org_id))
        .order(objections::id.desc())
        .load(conn)?)
}
