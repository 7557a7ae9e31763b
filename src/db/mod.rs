//! The database: one connection type for every backend, the pool, start-up settings and the
//! embedded migrations.

pub mod rows;
pub mod schema;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::Connection;
use diesel::connection::{InstrumentationEvent, SimpleConnection};
use diesel::pg::PgConnection;
use diesel::r2d2::{CustomizeConnection, ManageConnection, Pool, PooledConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

/// Every query is written once against this type; the backend is chosen from the URL.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

impl DbConnection {
    /// A transaction that writes. On SQLite it begins IMMEDIATE, taking the write lock before its
    /// first read: a plain (deferred) transaction that read first could find, when it comes to
    /// write, that another connection wrote meanwhile, and SQLite would refuse it as busy. Here
    /// a second writer waits (busy_timeout) and then reads what the first wrote. PostgreSQL
    /// needs no such thing: its writers wait on the rows they update.
    pub fn write_transaction<T, E>(
        &mut self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<diesel::result::Error>,
    {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        let nested =
            <DbConnection as Connection>::TransactionManager::transaction_manager_status_mut(self)
                .transaction_depth()?
                .is_some();
        // Inside a transaction already (which took the lock), a savepoint is all it takes.
        let DbConnection::Sqlite(sqlite) = self else {
            return self.transaction(f);
        };
        if nested {
            return self.transaction(f);
        }
        // The state of the transaction lives in the SQLite connection: nested `transaction`
        // calls inside `f` see it and use savepoints.
        AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
        match f(self) {
            Ok(value) => {
                <DbConnection as Connection>::TransactionManager::commit_transaction(self)?;
                Ok(value)
            }
            // As diesel's own `transaction`: the caller's error wins unless the rollback fails
            // for a reason of its own.
            Err(e) => {
                match <DbConnection as Connection>::TransactionManager::rollback_transaction(self) {
                    Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(e),
                    Err(rollback) => Err(rollback.into()),
                }
            }
        }
    }
}

pub type DbPool = Pool<Manager>;
pub type Conn = PooledConnection<Manager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgresql");

/// Opens connections of the backend the URL names, and only that one (diesel's own
/// multi-backend `establish` would try each in turn).
#[derive(Debug, Clone)]
pub struct Manager {
    url: DatabaseUrl,
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        let connection = match &self.url {
            DatabaseUrl::Sqlite(path) => {
                SqliteConnection::establish(&path.to_string_lossy()).map(DbConnection::Sqlite)
            }
            DatabaseUrl::Postgres(url) => {
                // libpq would initialise OpenSSL with an exit handler that frees its locks while
                // a pool thread may still be connecting, a crash at exit (diesel#3441). Initialised
                // here first, OpenSSL registers no such handler.
                openssl_sys::init();
                PgConnection::establish(url).map(DbConnection::Postgres)
            }
        };
        connection.map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        conn.is_broken()
    }
}

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
    /// The blocking pool that runs database work is shutting down.
    #[error("database work was interrupted: {0}")]
    Interrupted(String),
}

impl DbError {
    /// The database was busy, not broken: SQLite still locked by another writer after the
    /// busy timeout, PostgreSQL refusing a transaction to serialise, or no pooled connection
    /// free in time. Retrying later can succeed; nothing was written.
    pub fn is_busy(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        match self {
            DbError::Pool(_) => true,
            DbError::Query(Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _)) => {
                true
            }
            DbError::Query(Error::DatabaseError(_, info)) => {
                let message = info.message();
                message.contains("database is locked")
                    || message.contains("database table is locked")
            }
            _ => false,
        }
    }
}

/// Where the data lives: `postgres://...` (or `postgresql://`), `sqlite://PATH`, `sqlite:PATH`
/// or a plain path (SQLite).
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    Sqlite(PathBuf),
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    // The PostgreSQL URL may hold a password: never print it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "Sqlite({})", path.display()),
            DatabaseUrl::Postgres(_) => f.write_str("Postgres(..)"),
        }
    }
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, DbError> {
        let url = url.trim();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_string()));
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

/// SQLite settings for every pooled connection, one PRAGMA per statement, the statement
/// counter (so tests can show a page costs a fixed number of queries) and the commit counter.
#[derive(Debug)]
struct ConnectionSetup {
    statements: Arc<AtomicU64>,
    commits: Arc<AtomicU64>,
    busy_timeout: Duration,
}

/// How long an SQLite write waits for another writer's lock before it fails as busy.
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for ConnectionSetup {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        match conn {
            DbConnection::Postgres(_) => {}
            DbConnection::Sqlite(c) => {
                let busy = format!("PRAGMA busy_timeout = {}", self.busy_timeout.as_millis());
                for pragma in [
                    busy.as_str(),
                    "PRAGMA journal_mode = WAL",
                    "PRAGMA synchronous = NORMAL",
                    "PRAGMA foreign_keys = ON",
                ] {
                    c.batch_execute(pragma)
                        .map_err(diesel::r2d2::Error::QueryError)?;
                }
            }
        }
        let (statements, commits) = (self.statements.clone(), self.commits.clone());
        // diesel announces a commit before its COMMIT runs: the count goes up when it finished.
        let mut committing = false;
        diesel::Connection::set_instrumentation(conn, move |event: InstrumentationEvent<'_>| {
            match event {
                InstrumentationEvent::StartQuery { .. } => {
                    statements.fetch_add(1, Ordering::Relaxed);
                }
                InstrumentationEvent::CommitTransaction { depth, .. } => {
                    committing = depth.get() == 1;
                }
                InstrumentationEvent::FinishQuery { error, .. } if committing => {
                    committing = false;
                    if error.is_none() {
                        commits.fetch_add(1, Ordering::Release);
                    }
                }
                _ => {}
            }
        });
        Ok(())
    }
}

/// The pool and what it has executed.
#[derive(Clone)]
pub struct Database {
    pool: DbPool,
    url: DatabaseUrl,
    statements: Arc<AtomicU64>,
    commits: Arc<AtomicU64>,
}

impl Database {
    pub fn connect(url: &DatabaseUrl) -> Result<Self, DbError> {
        Self::connect_with(url, DEFAULT_BUSY_TIMEOUT)
    }

    /// [`Database::connect`] with SQLite's wait for a busy lock.
    pub fn connect_with(url: &DatabaseUrl, busy_timeout: Duration) -> Result<Self, DbError> {
        let statements = Arc::new(AtomicU64::new(0));
        let commits = Arc::new(AtomicU64::new(0));
        if let DatabaseUrl::Sqlite(path) = url
            && let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(DbError::Url(format!(
                "directory {} of the database does not exist",
                dir.display()
            )));
        }
        let manager = Manager { url: url.clone() };
        let pool = Pool::builder()
            .max_size(8)
            // The check would cost a query per request; a broken connection is caught on return.
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(10))
            .connection_customizer(Box::new(ConnectionSetup {
                statements: statements.clone(),
                commits: commits.clone(),
                busy_timeout,
            }))
            .build(manager)?;
        Ok(Database {
            pool,
            url: url.clone(),
            statements,
            commits,
        })
    }

    pub fn get(&self) -> Result<Conn, DbError> {
        Ok(self.pool.get()?)
    }

    /// A connection if one is free now, without waiting.
    pub fn try_get(&self) -> Option<Conn> {
        self.pool.try_get()
    }

    /// Applies the migrations not yet applied.
    pub fn migrate(&self) -> Result<(), DbError> {
        let mut conn = self.get()?;
        let applied = match &mut *conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
            DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
        };
        applied.map_err(|e| DbError::Migration(e.to_string()))?;
        // Records written before versions were kept get their first ones.
        crate::registry::history::backfill(&mut conn)
    }

    pub fn backend(&self) -> &'static str {
        match self.url {
            DatabaseUrl::Sqlite(_) => "sqlite",
            DatabaseUrl::Postgres(_) => "postgresql",
        }
    }

    /// How many SQL statements the pool's connections have started.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// How many transactions the pool's connections have committed, reading ones too: what this
    /// process may have written (another process's writes are not counted).
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Acquire)
    }
}
