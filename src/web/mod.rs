//! actix-web: the app, its state, the public pages and feeds.

pub mod api;
pub mod cache;
mod error;
pub(crate) mod extract;
mod feeds;
mod field_errors;
mod filters;
mod guard;
mod input;
mod objections;
pub mod origin;
mod public;
pub mod representation;
pub mod revisions;
pub mod snapshot;
pub mod startup;
mod subscriptions;
pub mod unfolding;
mod views;
mod workspace;

pub use error::{ApiError, AppError, FieldError, PROBLEM_TYPES, PageError};

use actix_web::web;

use crate::auth::Verifier;
use crate::db::{Database, DbConnection, DbError};
use crate::registry::{Registry, organisation};
use crate::rules::RuleSet;

/// What every handler shares.
pub struct AppState {
    pub db: Database,
    pub rules: &'static RuleSet,
    /// Snapshots and rendered responses, bounded by bytes.
    pub cache: cache::ResponseCache,
    /// The revisions the public pages last read, used again for a moment (`--cache-recheck`).
    pub revisions: revisions::Revisions,
    pub verifier: Verifier,
    /// Benchmarks only: every API call is let through with all scopes.
    pub api_auth_disabled: bool,
    /// The site's own address for absolute links and cookies.
    pub origin: origin::Origin,
    /// Whether a mail server is configured: without one, nobody can subscribe.
    pub mail_enabled: bool,
    /// Signs the links sent by e-mail.
    pub link_key: crate::registry::link::LinkKey,
    /// Which API clients are revoked (checked on every API request, re-read when it changes).
    pub revocations: crate::auth::clients::Revocations,
    /// The token endpoint's limits.
    pub token_throttle: crate::auth::throttle::TokenThrottle,
}

/// Runs database work on actix's blocking pool with a pooled connection: diesel blocks, the
/// async executor must not. The only `web::block` of the service. The work's own error comes
/// back as it is; no connection, or a pool shutting down, becomes one through [`DbError`].
pub(crate) async fn db<T, E>(
    state: &AppState,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<DbError> + Send + 'static,
{
    let pool = state.db.clone();
    web::block(move || work(&mut *pool.get()?))
        .await
        .unwrap_or_else(|e| Err(DbError::Interrupted(e.to_string()).into()))
}

/// [`db`] for work that can read on two connections at once: the second is given only when
/// the pool has one free now (never waited for).
pub(crate) async fn db_two<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&mut DbConnection, Option<&mut DbConnection>) -> Result<T, DbError>
    + Send
    + 'static,
) -> Result<T, AppError> {
    let pool = state.db.clone();
    web::block(move || {
        let mut first = pool.get()?;
        let mut second = pool.try_get();
        work(&mut first, second.as_deref_mut())
    })
    .await
    .unwrap_or_else(|e| Err(DbError::Interrupted(e.to_string())))
    .map_err(AppError::db)
}

/// CPU-bound work (building a snapshot, rendering, compressing) on the blocking pool, off the
/// threads that serve requests. `None` when the work panicked.
pub(crate) async fn cpu<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    web::block(work).await.ok()
}

/// [`db`] for work that fails only with the database.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&mut DbConnection) -> Result<T, DbError> + Send + 'static,
) -> Result<T, AppError> {
    db(state, work).await.map_err(AppError::db)
}

/// One organisation's registry, or a 404 naming it.
pub(crate) async fn registry(state: &AppState, slug: &str) -> Result<Registry, AppError> {
    let wanted = slug.to_string();
    blocking(state, move |conn| organisation::registry(conn, &wanted))
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: format!("organisation '{slug}'"),
        })
}
