//! actix-web: the app, its state, the public pages and feeds.

pub mod api;
pub mod cache;
mod error;
mod feeds;
mod filters;
mod public;
pub mod startup;
mod views;
mod workspace;

pub use error::{AppError, Audience, FieldError};

use actix_web::web;

use crate::auth::Verifier;
use crate::db::{Database, DbConnection, DbError};
use crate::registry::{Registry, organisation};
use crate::rules::RuleSet;

/// What every handler shares.
pub struct AppState {
    pub db: Database,
    pub rules: &'static RuleSet,
    pub cache: cache::PageCache,
    pub verifier: Verifier,
    /// Benchmarks only: every API call is let through with all scopes.
    pub api_auth_disabled: bool,
}

/// Runs a diesel call on the blocking pool with a pooled connection.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &AppState,
    audience: Audience,
    f: impl FnOnce(&mut DbConnection) -> Result<T, DbError> + Send + 'static,
) -> Result<T, AppError> {
    let db = state.db.clone();
    web::block(move || {
        let mut conn = db.get()?;
        f(&mut conn)
    })
    .await
    .map_err(|e| AppError::internal(e.to_string(), audience))?
    .map_err(|e| AppError::db(e, audience))
}

/// One organisation's registry, or a 404 naming it.
pub(crate) async fn registry(
    state: &AppState,
    slug: &str,
    audience: Audience,
) -> Result<Registry, AppError> {
    let wanted = slug.to_string();
    blocking(state, audience, move |conn| {
        organisation::registry(conn, &wanted)
    })
    .await?
    .ok_or_else(|| AppError::NotFound {
        what: format!("organisation '{slug}'"),
        audience,
    })
}
