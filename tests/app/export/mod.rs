//! `crossborder export`, `import` and `backup`, as users run them: whole registries moved between
//! databases and backends without loss, bad files refused whole, SQLite copied while in use.
//!
//! The tests that need PostgreSQL run when CROSSBORDER_TEST_POSTGRES_URL is set (e.g.
//! `postgres://postgres@127.0.0.1/test`), each in a database of its own, dropped at the end.

mod backup;
mod bad_files;
mod postgresql;
mod sqlite;

use crate::support::Postgres;
use assert_cmd::Command;
use chrono::NaiveDate;
use crossborder::db::schema::{changes, login_attempts, objections, sessions, users};
use crossborder::db::{Database, DatabaseUrl};
use crossborder::registry::intake::{self, NewIntake};
use crossborder::registry::link;
use crossborder::registry::outbox::{self, Channel, EventKind};
use crossborder::registry::{subscriber, webhook};
use crossborder::values::EmailAddress;
use diesel::prelude::*;
use serde_json::Value;
use std::process::Output;
use tempfile::TempDir;

fn run(args: &[&str]) -> Output {
    Command::cargo_bin("crossborder")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

/// A command that must succeed: its stdout.
fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "crossborder {args:?} failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A command that must be refused: exit 2, nothing on stdout, stderr naming every needle.
fn refused(args: &[&str], needles: &[&str]) -> String {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "crossborder {args:?} should exit 2:\n{stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "crossborder {args:?} wrote on stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "crossborder {args:?}: stderr lacks {needle:?}:\n{stderr}"
        );
    }
    stderr
}

fn export(url: &str) -> String {
    ok(&["export", "--database-url", url])
}

fn sqlite(dir: &TempDir, name: &str) -> String {
    format!("sqlite://{}", dir.path().join(name).display())
}

/// Byte for byte, naming the first line that differs rather than printing both files.
#[track_caller]
fn assert_same(a: &str, b: &str, what: &str) {
    if a == b {
        return;
    }
    let line = a
        .lines()
        .zip(b.lines())
        .position(|(x, y)| x != y)
        .unwrap_or_else(|| a.lines().count().min(b.lines().count()));
    panic!(
        "{what}: the exports differ ({} and {} bytes), first at line {}:\n  {:?}\n  {:?}",
        a.len(),
        b.len(),
        line + 1,
        a.lines().nth(line),
        b.lines().nth(line)
    );
}

/// A PostgreSQL database of the test's own, or `None`, saying so, when
/// CROSSBORDER_TEST_POSTGRES_URL is not set.
fn postgres() -> Option<Postgres> {
    let postgres = Postgres::from_env();
    if postgres.is_none() {
        println!("skipped: CROSSBORDER_TEST_POSTGRES_URL not set");
    }
    postgres
}

/// The examples, as `crossborder seed` loads them, and an API client.
fn seeded(url: &str) {
    ok(&["seed", "--database-url", url]);
    ok(&[
        "client",
        "create",
        "--name",
        "t",
        "--scope",
        "registry:read",
        "--database-url",
        url,
    ]);
}

/// Every table holding rows: the examples, two API clients (one revoked), an intake request, a
/// workspace account with a session and a failed login.
fn populated(url: &str) {
    seeded(url);
    let created = ok(&[
        "client",
        "create",
        "--name",
        "Revoked tool",
        "--scope",
        "registry:read intake:write",
        "--database-url",
        url,
    ]);
    let client_id = created
        .lines()
        .find_map(|l| l.strip_prefix("client_id: "))
        .expect("client create prints the id");
    ok(&["client", "revoke", client_id, "--database-url", url]);

    let db = Database::connect(&DatabaseUrl::parse(url).unwrap()).unwrap();
    let mut conn = db.get().unwrap();
    let request = NewIntake {
        vendor_name: "Stripe",
        website: Some("https://stripe.com"),
        purpose: "Card payments — «EU» 💳",
        countries: &["US".to_string(), "IE".to_string()],
        data_categories: &["payment".to_string()],
        requester: "finance",
    };
    intake::create(&mut conn, "arturia", &request, "test")
        .unwrap()
        .expect("arturia exists");
    let at = NaiveDate::from_ymd_opt(2026, 11, 20)
        .unwrap()
        .and_hms_micro_opt(9, 30, 0, 250_000)
        .unwrap();
    let user_id: i32 = diesel::insert_into(users::table)
        .values((
            users::email.eq("dpo@example.com"),
            users::password_hash.eq("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"),
            users::role.eq("admin"),
            users::created_at.eq(at),
        ))
        .returning(users::id)
        .get_result(&mut *conn)
        .unwrap();
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash
                .eq("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            sessions::user_id.eq(user_id),
            sessions::csrf_token.eq("csrf"),
            sessions::created_at.eq(at),
            sessions::expires_at.eq(at + chrono::Duration::hours(8)),
        ))
        .execute(&mut *conn)
        .unwrap();
    diesel::insert_into(login_attempts::table)
        .values((
            login_attempts::email.eq("dpo@example.com"),
            login_attempts::address.eq("192.0.2.1"),
            login_attempts::succeeded.eq(0),
            login_attempts::attempted_at.eq(at),
        ))
        .execute(&mut *conn)
        .unwrap();
    // A confirmed subscriber, the confirmation sent (one attempt), an event of a change.
    let key = link::key(&mut conn).unwrap();
    let email = EmailAddress::parse("reader@example.com").unwrap();
    subscriber::subscribe(&mut conn, "arturia", &email, &key).unwrap();
    let due = outbox::claim(&mut conn, &[Channel::Email], 10, crossborder::date::now()).unwrap();
    subscriber::confirm(&mut conn, 1).unwrap();
    outbox::record(&mut conn, &due[0], Ok("accepted: 250 OK".into()), at).unwrap();
    let (org, change): (i32, i32) = changes::table
        .select((changes::organisation_id, changes::id))
        .first(&mut *conn)
        .unwrap();
    outbox::queue_event(&mut conn, org, EventKind::ChangeAnnounced, change, at).unwrap();
    let url = crossborder::values::WebUrl::parse("https://hooks.example.com/crossborder").unwrap();
    webhook::add(
        &mut conn,
        "arturia",
        &url,
        &[EventKind::ObjectionReceived],
        "test",
    )
    .unwrap();
    // An objection as filed then (the seeded changes are past: none is open today).
    let objection: i32 = diesel::insert_into(objections::table)
        .values((
            objections::organisation_id.eq(org),
            objections::change_id.eq(change),
            objections::name.eq("Ana Lima"),
            objections::company.eq("Customer SA"),
            objections::email.eq("ana@customer.example"),
            objections::reason.eq("Our data may not go there.\nSee our DPA."),
            objections::created_at.eq(at),
            objections::confirmed_at.eq(Some(at)),
            objections::filed_by.eq("public"),
        ))
        .returning(objections::id)
        .get_result(&mut *conn)
        .unwrap();
    outbox::queue_objection_event(&mut conn, org, objection, change, at).unwrap();
    crossborder::auth::reminders::set_weekly(&mut conn, user_id, true).unwrap();
}

fn tables(export: &str) -> serde_json::Map<String, Value> {
    let v: Value = serde_json::from_str(export).expect("the export is JSON");
    assert_eq!(v["format"], "crossborder-export");
    assert_eq!(v["version"], 2);
    v["tables"].as_object().expect("tables").clone()
}
