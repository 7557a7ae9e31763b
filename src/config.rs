//! Settings from flags and the environment, checked once at start.

use std::net::SocketAddr;

use crate::auth::AuthConfig;
use crate::db::{DatabaseUrl, DbError};

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://crossborder.db";

#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub database_url: DatabaseUrl,
    /// Load the embedded example organisations into an empty database.
    pub seed_when_empty: bool,
    pub auth: AuthConfig,
    /// Benchmarks only: the API lets every call through.
    pub api_auth_disabled: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("--bind / BIND: '{0}' is not an address such as 127.0.0.1:8080")]
    Bind(String),
    #[error("--database-url / DATABASE_URL: {0}")]
    Database(#[from] DbError),
    #[error("{0}")]
    Auth(String),
}

impl Settings {
    pub fn new(bind: &str, database_url: &str) -> Result<Self, ConfigError> {
        Ok(Settings {
            bind: bind
                .parse()
                .map_err(|_| ConfigError::Bind(bind.to_string()))?,
            database_url: DatabaseUrl::parse(database_url)?,
            seed_when_empty: true,
            auth: AuthConfig::default(),
            api_auth_disabled: false,
        })
    }
}
