//! The workspace's audit log (page with filters, CSV) and intake review (approve, reject), and
//! the audit log's one promise: rows are only ever appended.

mod append_only;
mod intake_review;
mod log_page;

use crate::support::TestApp;
use chrono::NaiveDateTime;
use crossborder::db::schema::{audit_events, organisations};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

// --- The audit log as stored ---

type Row = (
    i32,
    NaiveDateTime,
    String,
    String,
    String,
    Option<i32>,
    Option<i32>,
    Option<String>,
    Option<String>,
);

fn all_rows(app: &TestApp) -> Vec<Row> {
    audit_events::table
        .order(audit_events::id.asc())
        .select((
            audit_events::id,
            audit_events::occurred_at,
            audit_events::actor,
            audit_events::action,
            audit_events::entity,
            audit_events::entity_id,
            audit_events::organisation_id,
            audit_events::before,
            audit_events::after,
        ))
        .load(&mut app.conn())
        .unwrap()
}

/// Newest first, as the page and the CSV order them.
fn newest_first(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    rows
}

fn checksum(rows: &[Row]) -> String {
    let mut hash = Sha256::new();
    for row in rows {
        hash.update(format!("{row:?}\n").as_bytes());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn org_ids(app: &TestApp) -> HashMap<String, i32> {
    organisations::table
        .select((organisations::slug, organisations::id))
        .load::<(String, i32)>(&mut app.conn())
        .unwrap()
        .into_iter()
        .collect()
}

/// The event ids a page shows, in order.
fn event_ids(html: &str) -> Vec<i32> {
    html.split("id=\"event-")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
        .collect()
}

fn ids(rows: &[Row]) -> Vec<i32> {
    rows.iter().map(|r| r.0).collect()
}
