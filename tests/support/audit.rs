//! The audit log as stored, read straight from the app's database: how many rows, the newest
//! ones, the events of one entity and action.

use crossborder::db::schema::audit_events;
use diesel::prelude::*;
use serde_json::Value;

use super::TestApp;

/// How many audit events there are.
pub fn audit_count(app: &TestApp) -> i64 {
    audit_events::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

/// (actor, action, entity) of the newest audit events, newest first.
pub fn audit_tail(app: &TestApp, n: i64) -> Vec<(String, String, String)> {
    audit_events::table
        .order(audit_events::id.desc())
        .limit(n)
        .select((
            audit_events::actor,
            audit_events::action,
            audit_events::entity,
        ))
        .load(&mut app.conn())
        .unwrap()
}

/// One audit event: actor, entity_id, before and after.
pub type Audited = (String, Option<i32>, Option<Value>, Option<Value>);

/// Audit events of an entity and action, oldest first.
pub fn audited(app: &TestApp, entity: &str, action: &str) -> Vec<Audited> {
    audit_events::table
        .filter(audit_events::entity.eq(entity))
        .filter(audit_events::action.eq(action))
        .order(audit_events::id)
        .select((
            audit_events::actor,
            audit_events::entity_id,
            audit_events::before,
            audit_events::after,
        ))
        .load::<(String, Option<i32>, Option<String>, Option<String>)>(&mut app.conn())
        .unwrap()
        .into_iter()
        .map(|(actor, id, before, after)| (actor, id, audit_json(before), audit_json(after)))
        .collect()
}

/// A `before` or `after` column, parsed.
pub fn audit_json(column: Option<String>) -> Option<Value> {
    column.map(|s| serde_json::from_str(&s).expect("audit JSON"))
}
