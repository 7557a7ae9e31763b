//! SQLite to SQLite: a round trip is byte-identical, a non-empty database is refused, and the
//! export names every table.

use super::{assert_same, export, ok, populated, refused, sqlite, tables};
use diesel::prelude::*;

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
