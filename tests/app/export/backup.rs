//! `crossborder backup`: a live SQLite database copied; PostgreSQL left to pg_dump.

use super::{assert_same, export, ok, postgres, refused, seeded, sqlite};
use diesel::prelude::*;

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
