//! `crossborder export`, `import` and `backup`, as users run them: whole registries moved between
//! databases and backends without loss, bad files refused whole, SQLite copied while in use.
//!
//! The tests that need PostgreSQL run when CROSSBORDER_TEST_POSTGRES_URL is set (e.g.
//! `postgres://postgres@127.0.0.1/test`), each in a database of its own, dropped at the end.

use std::process::Output;

use assert_cmd::Command;
use chrono::NaiveDate;
use crossborder::db::schema::{login_attempts, sessions, users};
use crossborder::db::{Database, DatabaseUrl};
use crossborder::registry::intake::{self, NewIntake};
use diesel::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

use crate::support::Postgres;

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
}

fn tables(export: &str) -> serde_json::Map<String, Value> {
    let v: Value = serde_json::from_str(export).expect("the export is JSON");
    assert_eq!(v["format"], "crossborder-export");
    assert_eq!(v["version"], 1);
    v["tables"].as_object().expect("tables").clone()
}

#[test]
fn sqlite_round_trip_is_byte_identical_and_a_non_empty_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir, "source.db");
    populated(&source);
    let a = export(&source);

    // Every table is in the file, and holds rows here.
    let t = tables(&a);
    for (name, rows) in &t {
        assert!(
            !rows.as_array().unwrap().is_empty(),
            "the fixture leaves {name} empty"
        );
    }
    let clients = t["api_clients"].as_array().unwrap();
    assert!(
        clients
            .iter()
            .all(|c| c["secret_hash"].as_str().unwrap().starts_with("$argon2"))
    );
    assert_eq!(
        clients
            .iter()
            .filter(|c| !c["revoked_at"].is_null())
            .count(),
        1
    );
    let ids: Vec<i64> = t["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["id"].as_i64().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "rows by primary key");
    assert!(
        a.contains("\"policy_date\": \"2018-05-25\""),
        "dates as YYYY-MM-DD"
    );
    assert!(
        a.contains("\"created_at\": \"2026-11-20T09:30:00.250\""),
        "timestamps in ISO 8601 with their fraction"
    );

    // Export, import into a fresh database, export again: the same bytes.
    let file = dir.path().join("registry.json");
    std::fs::write(&file, &a).unwrap();
    let file = file.to_str().unwrap();
    let copy = sqlite(&dir, "copy.db");
    let summary = ok(&["import", file, "--database-url", &copy]);
    assert!(summary.contains("into the sqlite database"), "{summary}");
    assert!(
        summary
            .lines()
            .any(|l| l.split_whitespace().eq(["organisations", "5"])),
        "{summary}"
    );
    assert_same(&a, &export(&copy), "export → import → export");

    // Importing into a database that holds data is refused and changes nothing.
    refused(
        &["import", file, "--database-url", &copy],
        &["not empty", "5 organisations", "2 api_clients", "--replace"],
    );
    assert_same(&a, &export(&copy), "after a refused import");

    let other = sqlite(&dir, "other.db");
    ok(&[
        "seed",
        "--synthetic",
        "2",
        "--slug",
        "other",
        "--database-url",
        &other,
    ]);
    let before = export(&other);
    refused(
        &["import", file, "--database-url", &other],
        &["1 organisations", "--replace"],
    );
    assert_same(&before, &export(&other), "a refused import");

    // --replace empties it first, in the same transaction.
    let summary = ok(&["import", file, "--replace", "--database-url", &other]);
    assert!(summary.contains("previous content deleted"), "{summary}");
    assert_same(&a, &export(&other), "import --replace");
}

#[test]
fn the_export_names_every_table_of_the_database() {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite(&dir, "empty.db");
    ok(&["migrate", "--database-url", &url]);
    let mut conn =
        SqliteConnection::establish(dir.path().join("empty.db").to_str().unwrap()).unwrap();
    let mut in_database: Vec<String> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations'",
    )
    .load::<Name>(&mut conn)
    .unwrap()
    .into_iter()
    .map(|n| n.name)
    .collect();
    in_database.sort();
    let t = tables(&export(&url));
    let mut in_export: Vec<String> = t.keys().cloned().collect();
    in_export.sort();
    assert_eq!(in_export, in_database);
    assert!(t.values().all(|rows| rows.as_array().unwrap().is_empty()));
}

#[test]
fn sqlite_to_postgresql_and_back_is_lossless() {
    let Some(pg) = postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir, "source.db");
    ok(&["seed", "--database-url", &source]);
    let a = export(&source);
    let file = dir.path().join("registry.json");
    std::fs::write(&file, &a).unwrap();
    let file = file.to_str().unwrap();

    let summary = ok(&["import", file, "--database-url", &pg.url]);
    assert!(
        summary.contains("into the postgresql database"),
        "{summary}"
    );
    assert_same(&a, &export(&pg.url), "SQLite → PostgreSQL");

    // The registry reads back as the seeds say...
    let seeded = ok(&["seed", "--database-url", &pg.url]);
    assert_eq!(
        seeded
            .lines()
            .filter(|l| l.ends_with(": unchanged"))
            .count(),
        5,
        "{seeded}"
    );
    // ...and the sequences are past the ids imported: new rows get fresh ids.
    let extra = ok(&[
        "seed",
        "--synthetic",
        "3",
        "--slug",
        "extra",
        "--database-url",
        &pg.url,
    ]);
    assert!(extra.contains("extra: created with 3 vendors"), "{extra}");
    let p = export(&pg.url);
    let t = tables(&p);
    assert_eq!(t["organisations"].as_array().unwrap().len(), 6);
    assert_eq!(t["organisations"][5]["id"], 6);

    // And back to SQLite, byte for byte.
    let back = dir.path().join("back.json");
    std::fs::write(&back, &p).unwrap();
    let sqlite_again = sqlite(&dir, "again.db");
    ok(&[
        "import",
        back.to_str().unwrap(),
        "--database-url",
        &sqlite_again,
    ]);
    assert_same(&p, &export(&sqlite_again), "PostgreSQL → SQLite");

    // Refused on PostgreSQL too when not empty; --replace works in one transaction.
    refused(
        &["import", file, "--database-url", &pg.url],
        &["6 organisations", "--replace"],
    );
    ok(&["import", file, "--replace", "--database-url", &pg.url]);
    assert_same(&a, &export(&pg.url), "import --replace on PostgreSQL");
    let extra = ok(&[
        "seed",
        "--synthetic",
        "1",
        "--slug",
        "extra",
        "--database-url",
        &pg.url,
    ]);
    assert!(extra.contains("extra: created with 1 vendors"), "{extra}");
}

#[test]
fn postgresql_keeps_microseconds_and_says_so() {
    let Some(pg) = postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir, "source.db");
    populated(&source);
    // crossborder stores whole seconds; a timestamp with nanoseconds (written by hand or by an
    // older version) is what PostgreSQL cannot keep.
    {
        let path = source.trim_start_matches("sqlite://");
        let mut conn = diesel::SqliteConnection::establish(path).unwrap();
        diesel::sql_query("UPDATE api_clients SET created_at = '2026-11-23 05:46:39.123456789'")
            .execute(&mut conn)
            .unwrap();
    }
    let a = export(&source);
    let file = dir.path().join("registry.json");
    std::fs::write(&file, &a).unwrap();
    let out = run(&["import", file.to_str().unwrap(), "--database-url", &pg.url]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let p = export(&pg.url);
    // Only those timestamps differ, cut to microseconds, and each is named on stderr.
    let (ta, tp) = (tables(&a), tables(&p));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tp.keys().collect::<Vec<_>>());
    let mut cut = 0;
    for (name, rows) in &ta {
        for (ra, rp) in rows
            .as_array()
            .unwrap()
            .iter()
            .zip(tp[name].as_array().unwrap())
        {
            for (field, va) in ra.as_object().unwrap() {
                let vp = &rp[field];
                if va != vp {
                    let (sa, sp) = (va.as_str().unwrap(), vp.as_str().unwrap());
                    let at = |s: &str| s.parse::<chrono::NaiveDateTime>().unwrap();
                    let lost = at(sa) - at(sp);
                    assert!(
                        lost > chrono::Duration::zero() && lost < chrono::Duration::microseconds(1),
                        "{name}.{field}: {sa} vs {sp}"
                    );
                    assert!(
                        stderr.contains(&format!("table `{name}`")) && stderr.contains(sa),
                        "{stderr}"
                    );
                    cut += 1;
                }
            }
        }
    }
    assert!(cut > 0, "the fixture has nanosecond timestamps");
    assert!(stderr.contains("PostgreSQL keeps microseconds"), "{stderr}");
}

#[test]
fn bad_files_are_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir, "source.db");
    seeded(&source);
    let good = export(&source);
    let target = sqlite(&dir, "target.db");
    ok(&["migrate", "--database-url", &target]);
    let empty = export(&target);
    assert!(
        tables(&empty)
            .values()
            .all(|r| r.as_array().unwrap().is_empty())
    );

    let file = dir.path().join("bad.json");
    let file_arg = file.to_str().unwrap().to_string();
    let check = |content: &str, needles: &[&str]| {
        std::fs::write(&file, content).unwrap();
        refused(&["import", &file_arg, "--database-url", &target], needles);
        assert_same(
            &empty,
            &export(&target),
            "the target after a refused import",
        );
    };
    let edited = |edit: &dyn Fn(&mut Value)| {
        let mut v: Value = serde_json::from_str(&good).unwrap();
        edit(&mut v);
        serde_json::to_string_pretty(&v).unwrap()
    };

    // Truncated: serde_json's message with the line and the column.
    check(
        &good[..good.len() / 2],
        &["EOF while parsing", "line", "column"],
    );
    // A field no table has: the table, the row, the field, the line and the column.
    check(
        &edited(&|v| v["tables"]["vendors"][2]["colour"] = "red".into()),
        &[
            "table `vendors`, row 3 (id 3)",
            "unknown field `colour`",
            "line",
            "column",
        ],
    );
    // A value of the wrong type.
    check(
        &edited(&|v| v["tables"]["organisations"][1]["policy_date"] = "2013-13-13".into()),
        &[
            "table `organisations`, row 2 (id 2), field `policy_date`",
            "line",
            "column",
        ],
    );
    check(
        &edited(&|v| v["tables"]["transfers"][0]["version"] = "one".into()),
        &[
            "table `transfers`, row 1 (id 1), field `version`",
            "line",
            "column",
        ],
    );
    // A table this version does not know.
    check(
        &edited(&|v| v["tables"]["vendorz"] = Value::Array(vec![])),
        &["unknown field `vendorz`", "line"],
    );
    // Another version or format.
    check(
        &edited(&|v| v["version"] = 2.into()),
        &["version 2 is not supported"],
    );
    check(
        &edited(&|v| {
            v["version"] = 2.into();
            v["tables"]["vendors"][0]["colour"] = "red".into();
        }),
        &["version 2 is not supported"],
    );
    check(
        &edited(&|v| v["format"] = "something-else".into()),
        &["field `format`", "not a crossborder export"],
    );
    // A row whose parent does not exist: the table, the row's id, the field.
    check(
        &edited(&|v| v["tables"]["vendors"][0]["organisation_id"] = 999.into()),
        &[
            "table `vendors`, row id 1, field `organisation_id`",
            "no `organisations` row with id 999",
        ],
    );
    check(
        &edited(&|v| v["tables"]["evidence"][0]["transfer_id"] = 12345.into()),
        &["table `evidence`, row id 1, field `transfer_id`", "12345"],
    );
    // A primary key or a unique column twice.
    check(
        &edited(&|v| {
            let first = v["tables"]["organisations"][0].clone();
            v["tables"]["organisations"]
                .as_array_mut()
                .unwrap()
                .push(first);
        }),
        &["table `organisations`, row id 1: the primary key appears twice"],
    );
    check(
        &edited(&|v| v["tables"]["organisations"][1]["slug"] = "arturia".into()),
        &["table `organisations`, row id 2, field `slug`"],
    );
    // Not JSON at all, and no file.
    check("registry", &["expected value", "line 1 column 1"]);
    refused(
        &[
            "import",
            "/nonexistent/registry.json",
            "--database-url",
            &target,
        ],
        &["/nonexistent/registry.json"],
    );
    assert_same(&empty, &export(&target), "the target at the end");
}

#[test]
fn backup_copies_a_live_sqlite_database() {
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir, "source.db");
    seeded(&source);

    // A write still in the -wal file of a connection that stays open: the copy has it.
    let mut live =
        SqliteConnection::establish(dir.path().join("source.db").to_str().unwrap()).unwrap();
    use diesel::connection::SimpleConnection;
    live.batch_execute(
        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; \
         UPDATE organisations SET name = 'Arturia (live)' WHERE slug = 'arturia';",
    )
    .unwrap();
    assert!(dir.path().join("source.db-wal").exists());

    let copy = dir.path().join("it's a copy.db");
    let copy_arg = copy.to_str().unwrap();
    let out = ok(&["backup", copy_arg, "--database-url", &source]);
    assert!(out.contains("backed up to"), "{out}");
    let original = export(&source);
    assert!(original.contains("Arturia (live)"));
    assert_same(
        &original,
        &export(&format!("sqlite://{copy_arg}")),
        "the backup",
    );
    drop(live);

    refused(
        &["backup", copy_arg, "--database-url", &source],
        &["exists already"],
    );
    refused(
        &[
            "backup",
            dir.path().join("x.db").to_str().unwrap(),
            "--database-url",
            &sqlite(&dir, "missing.db"),
        ],
        &["no database at"],
    );
    assert!(!dir.path().join("missing.db").exists());
    assert!(!dir.path().join("x.db").exists());

    // PostgreSQL: pg_dump's job.
    let pg = postgres();
    let url = pg
        .as_ref()
        .map_or("postgres://postgres@127.0.0.1:1/none".to_string(), |p| {
            p.url.clone()
        });
    refused(
        &[
            "backup",
            dir.path().join("pg.db").to_str().unwrap(),
            "--database-url",
            &url,
        ],
        &["pg_dump"],
    );
    assert!(!dir.path().join("pg.db").exists());
}
