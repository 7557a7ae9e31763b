//! The database: one connection type for every backend, the pool, start-up settings and the
//! embedded migrations.

pub mod schema;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::{InstrumentationEvent, SimpleConnection};
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

/// Every query is written once against this type; the backend is chosen from the URL.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
}

pub type DbPool = Pool<ConnectionManager<DbConnection>>;
pub type Conn = PooledConnection<ConnectionManager<DbConnection>>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0}")]
    Url(String),
    #[error("cannot open the database: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database query failed: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("cannot migrate the database: {0}")]
    Migration(String),
    #[error("the database holds a value this version cannot read: {0}")]
    Corrupt(String),
}

/// Where the data lives: `sqlite://PATH`, `sqlite:PATH` or a plain path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, DbError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Err(DbError::Url(
                "PostgreSQL is not supported by this build yet: use sqlite://PATH".into(),
            ));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() || path.contains("://") {
            return Err(DbError::Url(format!(
                "database URL '{url}' is neither sqlite://PATH nor a file path"
            )));
        }
        Ok(DatabaseUrl::Sqlite(PathBuf::from(path)))
    }
}

/// SQLite settings for every pooled connection, one PRAGMA per statement, and the statement
/// counter (so tests can show a page costs a fixed number of queries).
#[derive(Debug)]
struct ConnectionSetup {
    statements: Arc<AtomicU64>,
}

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        match conn {
            DbConnection::Sqlite(c) => {
                for pragma in [
                    "PRAGMA busy_timeout = 5000",
                    "PRAGMA journal_mode = WAL",
                    "PRAGMA synchronous = NORMAL",
                    "PRAGMA foreign_keys = ON",
                ] {
                    c.batch_execute(pragma)
                        .map_err(diesel::r2d2::Error::QueryError)?;
                }
            }
        }
        let statements = self.statements.clone();
        diesel::Connection::set_instrumentation(conn, move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { .. } = event {
                statements.fetch_add(1, Ordering::Relaxed);
            }
        });
        Ok(())
    }
}

/// The pool and what it has executed.
#[derive(Clone)]
pub struct Database {
    pool: DbPool,
    statements: Arc<AtomicU64>,
}

impl Database {
    pub fn connect(url: &DatabaseUrl) -> Result<Self, DbError> {
        let statements = Arc::new(AtomicU64::new(0));
        let DatabaseUrl::Sqlite(path) = url;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(DbError::Url(format!(
                "directory {} of the database does not exist",
                dir.display()
            )));
        }
        let manager = ConnectionManager::<DbConnection>::new(path.to_string_lossy());
        let pool = Pool::builder()
            .max_size(8)
            // SQLite files do not drop connections; the check would cost a query per request.
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(10))
            .connection_customizer(Box::new(ConnectionSetup {
                statements: statements.clone(),
            }))
            .build(manager)?;
        Ok(Database { pool, statements })
    }

    pub fn get(&self) -> Result<Conn, DbError> {
        Ok(self.pool.get()?)
    }

    /// Applies the migrations not yet applied.
    pub fn migrate(&self) -> Result<(), DbError> {
        let mut conn = self.get()?;
        match &mut *conn {
            DbConnection::Sqlite(c) => c
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|_| ())
                .map_err(|e| DbError::Migration(e.to_string())),
        }
    }

    /// How many SQL statements the pool's connections have started.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }
}
