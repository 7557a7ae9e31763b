//! Token settings shared by `serve` and `token issue`.

use std::path::PathBuf;
use std::time::Duration;

use crate::auth::AuthConfig;
use crate::config;

use super::CliError;

#[derive(clap::Args, Clone)]
pub struct JwtArgs {
    /// A file holding the HS256 secret (at least 32 bytes) that signs and verifies API tokens.
    /// The secret can also be given in the environment as JWT_SECRET.
    #[arg(long, env = "JWT_SECRET_FILE", value_name = "PATH")]
    jwt_secret_file: Option<PathBuf>,

    /// The `iss` tokens must carry.
    #[arg(long, env = "JWT_ISSUER", default_value = "crossborder")]
    jwt_issuer: String,

    /// The `aud` tokens must carry.
    #[arg(long, env = "JWT_AUDIENCE", default_value = "crossborder-api")]
    jwt_audience: String,

    /// Lifetime of the tokens crossborder issues (15m, 1h...).
    #[arg(long, env = "TOKEN_TTL", default_value = "15m", value_parser = humantime::parse_duration)]
    token_ttl: Duration,

    /// The longest lifetime a token may have: tokens living longer (by `exp` after `iat`) are
    /// refused, whoever signed them, and none is issued.
    #[arg(long, env = "MAX_TOKEN_TTL", default_value = "24h", value_parser = humantime::parse_duration)]
    max_token_ttl: Duration,
}

impl JwtArgs {
    /// The settings, with the secret read from the file or JWT_SECRET.
    pub fn auth_config(&self, jwks_url: Option<String>) -> Result<AuthConfig, CliError> {
        let secret =
            config::jwt_secret(self.jwt_secret_file.as_deref()).map_err(CliError::usage)?;
        Ok(AuthConfig {
            hs256_secret: secret,
            jwks_url,
            issuer: self.jwt_issuer.clone(),
            audience: self.jwt_audience.clone(),
            token_ttl: self.token_ttl,
            max_token_ttl: self.max_token_ttl,
            ..Default::default()
        })
    }
}
