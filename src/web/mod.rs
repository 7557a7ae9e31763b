//! actix-web: the app, its state, the public pages and feeds.

pub mod cache;
mod error;
mod feeds;
mod filters;
mod public;
pub mod startup;
mod views;

pub use error::{AppError, Audience, FieldError};

use crate::db::Database;
use crate::rules::RuleSet;

/// What every handler shares.
pub struct AppState {
    pub db: Database,
    pub rules: &'static RuleSet,
    pub cache: cache::PageCache,
}
