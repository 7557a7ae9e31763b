//! Both backends' migrations produce the same schema: the same tables with the same columns,
//! types (as diesel sees them) and nullability.

use crate::support::TestDatabase;

use std::collections::BTreeSet;

use crossborder::db::{Database, DatabaseUrl, DbConnection};
use diesel::RunQueryDsl;
use diesel::sql_types::{Integer, Text};

#[derive(diesel::QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Column {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Integer)]
    nullable: i32,
}

/// Type names of both backends mapped to the ones diesel's schema uses.
fn normalise(data_type: &str) -> String {
    match data_type.to_ascii_lowercase().as_str() {
        "integer" | "int4" => "integer",
        "text" => "text",
        "date" => "date",
        "timestamp" | "timestamp without time zone" => "timestamp",
        other => return format!("unexpected type {other}"),
    }
    .to_string()
}

fn columns(conn: &mut DbConnection) -> BTreeSet<Column> {
    let query = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
             CASE WHEN p.\"notnull\" = 1 OR p.pk > 0 THEN 0 ELSE 1 END AS nullable \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '__diesel%'"
        }
        DbConnection::Postgres(_) => {
            "SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type, \
             CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END AS nullable \
             FROM information_schema.columns \
             WHERE table_schema = 'public' AND table_name NOT LIKE '__diesel%'"
        }
    };
    diesel::sql_query(query)
        .load::<Column>(conn)
        .expect("the catalogue query runs")
        .into_iter()
        .map(|c| Column {
            data_type: normalise(&c.data_type),
            ..c
        })
        .collect()
}

#[test]
fn sqlite_and_postgresql_migrations_give_the_same_tables_and_columns() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Database::connect(&DatabaseUrl::Sqlite(dir.path().join("schema.db"))).unwrap();
    sqlite.migrate().unwrap();
    let sqlite_columns = columns(&mut sqlite.get().unwrap());
    assert!(
        sqlite_columns
            .iter()
            .any(|c| c.table_name == "vendors" && c.column_name == "key")
    );
    assert!(
        sqlite_columns
            .iter()
            .all(|c| !c.data_type.starts_with("unexpected")),
        "{sqlite_columns:?}"
    );

    let Ok(base) = std::env::var("CROSSBORDER_TEST_POSTGRES_URL") else {
        println!("skipped the PostgreSQL half: CROSSBORDER_TEST_POSTGRES_URL not set");
        return;
    };
    assert!(!base.is_empty());
    let database = TestDatabase::new();
    assert!(database.is_postgres());
    let postgres = Database::connect(&DatabaseUrl::parse(&database.url).unwrap()).unwrap();
    postgres.migrate().unwrap();
    let postgres_columns = columns(&mut postgres.get().unwrap());

    let only_sqlite: Vec<_> = sqlite_columns.difference(&postgres_columns).collect();
    let only_postgres: Vec<_> = postgres_columns.difference(&sqlite_columns).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "schemas differ:\n  only in SQLite: {only_sqlite:?}\n  only in PostgreSQL: {only_postgres:?}"
    );
}
