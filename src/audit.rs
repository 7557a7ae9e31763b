//! The audit trail: who changed what, when, with the record before and after. The only owner of
//! `audit_events`.

use diesel::prelude::*;

use crate::date::now;
use crate::db::DbConnection;
use crate::db::schema::audit_events;

/// One audit row: who did what to which record, with the record before and after (JSON).
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
