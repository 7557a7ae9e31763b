//! A database of the test's own: an SQLite file in a temporary directory, or a PostgreSQL
//! database created for the test on the server CROSSBORDER_TEST_POSTGRES_URL names, and dropped
//! after it.

use diesel::{Connection, PgConnection, RunQueryDsl};
use tempfile::TempDir;

/// The database a test app runs on: PostgreSQL when CROSSBORDER_TEST_POSTGRES_URL is set, else
/// SQLite.
pub struct TestDatabase {
    pub url: String,
    postgres: Option<Postgres>,
    _dir: TempDir,
}

impl TestDatabase {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        match Postgres::from_env() {
            Some(postgres) => TestDatabase {
                url: postgres.url.clone(),
                postgres: Some(postgres),
                _dir: dir,
            },
            None => TestDatabase {
                url: format!("sqlite://{}", dir.path().join("test.db").display()),
                postgres: None,
                _dir: dir,
            },
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }
}

impl Default for TestDatabase {
    fn default() -> Self {
        Self::new()
    }
}

/// A PostgreSQL database of the test's own, dropped (WITH (FORCE)) when the test ends.
pub struct Postgres {
    base: String,
    name: String,
    /// The new database's URL: the base URL's server and query, the new name.
    pub url: String,
}

impl Postgres {
    /// A new database on CROSSBORDER_TEST_POSTGRES_URL's server; `None` when it is not set.
    /// Panics when it is set but unreachable.
    pub fn from_env() -> Option<Postgres> {
        let base = match std::env::var("CROSSBORDER_TEST_POSTGRES_URL") {
            Ok(base) if !base.is_empty() => base,
            _ => return None,
        };
        let name = format!("cb_test_{:016x}", rand::random::<u64>());
        let mut admin = PgConnection::establish(&base).unwrap_or_else(|e| {
            panic!("CROSSBORDER_TEST_POSTGRES_URL is set but unreachable: {e}")
        });
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .expect("CREATE DATABASE");
        let (head, query) = base.split_once('?').unwrap_or((&base, ""));
        let server = head.rsplit_once('/').map_or(head, |(server, _)| server);
        let url = match query {
            "" => format!("{server}/{name}"),
            query => format!("{server}/{name}?{query}"),
        };
        Some(Postgres { base, name, url })
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        if let Ok(mut admin) = PgConnection::establish(&self.base) {
            let _ = diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ))
            .execute(&mut admin);
        }
    }
}
