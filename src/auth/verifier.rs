//! Verifying bearer tokens and issuing them. The algorithm is fixed by the key, never taken from
//! the token alone: a token without `kid` is checked against the HS256 secret, a token with a
//! `kid` against that JWKS key, and its header's `alg` must be the key's.

use std::sync::Arc;
use std::time::Duration;

use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode,
};
use serde::{Deserialize, Serialize};

use super::jwks::{JwksSource, VerifyingKey};
use super::{Principal, Scope};

/// Every algorithm a key may name (the JWKS keys' and HS256).
const ALGORITHMS: [Algorithm; 12] = [
    Algorithm::HS256,
    Algorithm::HS384,
    Algorithm::HS512,
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// Tolerated clock skew.
const LEEWAY_SECONDS: u64 = 30;

/// Verified tokens kept: an API client sends one token on every call until it expires.
const VERIFIED_TOKENS: u64 = 10_000;

/// A secret key. Its bytes never appear in `Debug` output, so settings can be logged whole.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Secret {
    fn from(bytes: Vec<u8>) -> Self {
        Secret(bytes)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// HS256 shared secret: verifies tokens without `kid` and signs the tokens crossborder issues.
    pub hs256_secret: Option<Secret>,
    /// The identity provider's key set (RS256, ES256, EdDSA keys).
    pub jwks_url: Option<String>,
    pub issuer: String,
    pub audience: String,
    /// Lifetime of the tokens crossborder issues.
    pub token_ttl: Duration,
    /// The longest lifetime a token may have (`exp` after `iat`, or after now without `iat`):
    /// a token living longer is refused, whoever signed it.
    pub max_token_ttl: Duration,
    /// Shortest time between two JWKS fetches.
    pub jwks_min_refresh: Duration,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            hs256_secret: None,
            jwks_url: None,
            issuer: "crossborder".into(),
            audience: "crossborder-api".into(),
            token_ttl: Duration::from_secs(15 * 60),
            max_token_ttl: Duration::from_secs(24 * 60 * 60),
            jwks_min_refresh: Duration::from_secs(60),
        }
    }
}

/// Why a request is not authenticated. The text goes into `error_description`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("no bearer token")]
    Missing,
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Config(String),
}

#[derive(Deserialize)]
struct TokenClaims {
    // Checked as a required claim by the validation, which names it when missing.
    #[serde(default)]
    sub: String,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    exp: i64,
    #[serde(default)]
    iat: Option<i64>,
    /// The organisations the holder may act on (slugs, space-separated), or `*` for all; a
    /// token without the claim (an identity provider's) may act on all of them.
    #[serde(default)]
    orgs: Option<String>,
}

#[derive(Serialize)]
struct IssuedClaims<'a> {
    iss: &'a str,
    aud: &'a str,
    sub: &'a str,
    scope: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    orgs: Option<String>,
    iat: i64,
    nbf: i64,
    exp: i64,
    jti: String,
}

pub struct Verifier {
    hs256: Option<(DecodingKey, EncodingKey)>,
    /// One validation per algorithm, made once: the checks are the same for every token.
    validations: Vec<(Algorithm, Validation)>,
    jwks: Option<JwksSource>,
    issuer: String,
    audience: String,
    token_ttl: Duration,
    max_token_ttl: Duration,
    /// Tokens that passed every check, by their exact text: checking an RS256 or ES256
    /// signature costs more than the read it guards. Only a valid token is kept; a tampered
    /// one is other text and is checked in full.
    verified: moka::future::Cache<String, Arc<Verified>>,
}

/// A token that passed every check, and what a later use of it must still check.
struct Verified {
    principal: Principal,
    exp: i64,
    /// The JWKS key it was verified with: a key rotated out (or replaced) makes it a stranger.
    key: Option<(String, Arc<VerifyingKey>)>,
}

fn describe(kind: &ErrorKind) -> String {
    match kind {
        ErrorKind::ExpiredSignature => "the token has expired".into(),
        ErrorKind::ImmatureSignature => "the token is not valid yet (nbf)".into(),
        ErrorKind::InvalidAudience => "the token is for another audience".into(),
        ErrorKind::InvalidIssuer => "the token is from another issuer".into(),
        ErrorKind::InvalidSignature => "the signature does not verify".into(),
        ErrorKind::MissingRequiredClaim(claim) => format!("the token has no '{claim}' claim"),
        ErrorKind::InvalidAlgorithm => "the algorithm does not match the key".into(),
        _ => "the token is malformed".into(),
    }
}

impl Verifier {
    pub fn new(config: &AuthConfig) -> Result<Self, AuthError> {
        let hs256 = match config.hs256_secret.as_ref().map(Secret::expose) {
            Some(secret) if secret.len() < 32 => {
                return Err(AuthError::Config(format!(
                    "the HS256 secret is {} bytes; it must be at least 32",
                    secret.len()
                )));
            }
            Some(secret) => Some((
                DecodingKey::from_secret(secret),
                EncodingKey::from_secret(secret),
            )),
            None => None,
        };
        if config.token_ttl > config.max_token_ttl {
            return Err(AuthError::Config(format!(
                "the token lifetime ({}) is longer than the maximum (--max-token-ttl {})",
                humantime::format_duration(config.token_ttl),
                humantime::format_duration(config.max_token_ttl)
            )));
        }
        let jwks = config
            .jwks_url
            .as_deref()
            .map(|url| JwksSource::new(url, config.jwks_min_refresh))
            .transpose()
            .map_err(AuthError::Config)?;
        let validations = ALGORITHMS
            .iter()
            .map(|&algorithm| {
                let mut validation = Validation::new(algorithm);
                validation.leeway = LEEWAY_SECONDS;
                validation.validate_nbf = true;
                validation.set_issuer(&[&config.issuer]);
                validation.set_audience(&[&config.audience]);
                validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
                (algorithm, validation)
            })
            .collect();
        Ok(Verifier {
            hs256,
            validations,
            jwks,
            issuer: config.issuer.clone(),
            audience: config.audience.clone(),
            token_ttl: config.token_ttl,
            max_token_ttl: config.max_token_ttl,
            verified: moka::future::Cache::builder()
                .max_capacity(VERIFIED_TOKENS)
                .time_to_idle(Duration::from_secs(15 * 60))
                .build(),
        })
    }

    /// Fetches the JWKS once at start; a failure is logged and retried when a token needs it.
    pub async fn start(&self) {
        if let Some(jwks) = &self.jwks {
            match jwks.refresh().await {
                Ok(n) => tracing::info!(keys = n, "JWKS loaded"),
                Err(e) => tracing::warn!(error = %e, "cannot fetch the JWKS yet"),
            }
        }
    }

    pub fn jwks(&self) -> Option<&JwksSource> {
        self.jwks.as_ref()
    }

    pub fn can_issue(&self) -> bool {
        self.hs256.is_some()
    }

    pub async fn verify(&self, token: &str) -> Result<Principal, AuthError> {
        if let Some(seen) = self.verified.get(token).await {
            // The clock moved on since: expiry is checked as the validation checks it.
            if seen.exp < chrono::Utc::now().timestamp() - LEEWAY_SECONDS as i64 {
                self.verified.invalidate(token).await;
                return Err(AuthError::Invalid(describe(&ErrorKind::ExpiredSignature)));
            }
            let same_key = match (&seen.key, &self.jwks) {
                (None, _) => true,
                (Some((kid, key)), Some(source)) => source
                    .key(kid)
                    .await
                    .is_some_and(|now| Arc::ptr_eq(&now, key)),
                (Some(_), None) => false,
            };
            if same_key {
                return Ok(seen.principal.clone());
            }
            self.verified.invalidate(token).await;
        }
        let verified = self.check(token).await?;
        let principal = verified.principal.clone();
        self.verified
            .insert(token.to_string(), Arc::new(verified))
            .await;
        Ok(principal)
    }

    /// Every check of a token: its header, its key, its signature, its claims.
    async fn check(&self, token: &str) -> Result<Verified, AuthError> {
        let invalid = |s: &str| AuthError::Invalid(s.to_string());
        let header = decode_header(token).map_err(|_| invalid("the token is malformed"))?;
        // RFC 7515 §4.1.11: no header extension is understood here, so none may be critical.
        if header.crit.as_ref().is_some_and(|c| !c.is_empty()) {
            return Err(invalid(
                "the token has critical header extensions this service does not support",
            ));
        }
        let mut jwks_key = None;
        let (algorithm, key) =
            match &header.kid {
                Some(kid) => {
                    let source = self
                        .jwks
                        .as_ref()
                        .ok_or_else(|| invalid("unknown key id"))?;
                    let found =
                        jwks_key.insert(source.key(kid).await.ok_or_else(|| {
                            AuthError::Invalid(format!("unknown key id '{kid}'"))
                        })?);
                    (found.algorithm, &found.key)
                }
                None => {
                    let (key, _) = self
                        .hs256
                        .as_ref()
                        .ok_or_else(|| invalid("the token has no key id"))?;
                    (Algorithm::HS256, key)
                }
            };
        if header.alg != algorithm {
            return Err(invalid("the algorithm does not match the key"));
        }
        let validation = self
            .validations
            .iter()
            .find(|(a, _)| *a == algorithm)
            .map(|(_, v)| v)
            .ok_or_else(|| invalid("the algorithm is not supported"))?;
        let data = decode::<TokenClaims>(token, key, validation)
            .map_err(|e| AuthError::Invalid(describe(e.kind())))?;
        // A stolen long-lived token would outlive any revocation: refuse what lives too long.
        let from = data
            .claims
            .iat
            .unwrap_or_else(|| chrono::Utc::now().timestamp());
        let max = self.max_token_ttl.as_secs() as i64 + LEEWAY_SECONDS as i64;
        if data.claims.exp.saturating_sub(from) > max {
            return Err(AuthError::Invalid(format!(
                "the token lives longer than the {} this service accepts",
                humantime::format_duration(self.max_token_ttl)
            )));
        }
        let organisations = match data.claims.orgs.as_deref().map(str::trim) {
            None | Some("*") => None,
            Some(list) => Some(list.split_whitespace().map(str::to_string).collect()),
        };
        // Scopes this service does not know (an IdP may add its own) are ignored.
        let scopes = data
            .claims
            .scope
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|s| s.parse::<Scope>().ok())
            .collect();
        Ok(Verified {
            principal: Principal {
                subject: data.claims.sub,
                scopes,
                organisations,
            },
            exp: data.claims.exp,
            key: header.kid.zip(jwks_key),
        })
    }

    /// Signs a short-lived HS256 token (with a fresh `jti`). `ttl` defaults to the configured one.
    /// `organisations`: the slugs the token may act on, or `None` for all.
    pub fn issue(
        &self,
        subject: &str,
        scopes: &[Scope],
        organisations: Option<&[String]>,
        ttl: Option<Duration>,
    ) -> Result<(String, Duration), AuthError> {
        let (_, key) = self.hs256.as_ref().ok_or_else(|| {
            AuthError::Config("no HS256 secret is configured to sign tokens".into())
        })?;
        let ttl = ttl.unwrap_or(self.token_ttl);
        if ttl > self.max_token_ttl {
            return Err(AuthError::Config(format!(
                "a lifetime of {} is longer than the maximum, {} (--max-token-ttl)",
                humantime::format_duration(ttl),
                humantime::format_duration(self.max_token_ttl)
            )));
        }
        let now = chrono::Utc::now().timestamp();
        let claims = IssuedClaims {
            iss: &self.issuer,
            aud: &self.audience,
            sub: subject,
            scope: super::format_scopes(scopes),
            orgs: organisations.map(|list| list.join(" ")),
            iat: now,
            nbf: now,
            exp: now + ttl.as_secs() as i64,
            jti: format!("{:032x}", rand::random::<u128>()),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, key)
            .map_err(|e| AuthError::Config(format!("cannot sign: {e}")))?;
        Ok((token, ttl))
    }
}
