//! Public keys from the identity provider's JWKS URL: fetched at start, kept, and fetched again
//! only for a key id not seen yet, at most once per `min_refresh`. Never per request.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm};
use jsonwebtoken::{Algorithm, DecodingKey};

/// A verification key and the one algorithm it may be used with.
pub struct VerifyingKey {
    pub algorithm: Algorithm,
    pub key: DecodingKey,
}

pub struct JwksSource {
    url: String,
    client: reqwest::Client,
    keys: RwLock<Arc<HashMap<String, Arc<VerifyingKey>>>>,
    last_fetch: tokio::sync::Mutex<Option<Instant>>,
    min_refresh: Duration,
    fetches: AtomicU64,
}

/// The algorithm a JWK is for: its `alg`, else what its key type implies. Keys for symmetric
/// algorithms are refused: a public key set must not hold shared secrets.
fn algorithm(jwk: &Jwk) -> Option<Algorithm> {
    let declared = jwk.common.key_algorithm.and_then(|alg| match alg {
        KeyAlgorithm::RS256 => Some(Algorithm::RS256),
        KeyAlgorithm::RS384 => Some(Algorithm::RS384),
        KeyAlgorithm::RS512 => Some(Algorithm::RS512),
        KeyAlgorithm::PS256 => Some(Algorithm::PS256),
        KeyAlgorithm::ES256 => Some(Algorithm::ES256),
        KeyAlgorithm::ES384 => Some(Algorithm::ES384),
        KeyAlgorithm::EdDSA => Some(Algorithm::EdDSA),
        _ => None,
    });
    let implied = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Some(Algorithm::RS256),
        AlgorithmParameters::EllipticCurve(p) => match p.curve {
            EllipticCurve::P256 => Some(Algorithm::ES256),
            EllipticCurve::P384 => Some(Algorithm::ES384),
            _ => None,
        },
        AlgorithmParameters::OctetKeyPair(_) => Some(Algorithm::EdDSA),
        _ => None,
    }?;
    // A declared `alg` must fit the key type (no "HS256" on an RSA key).
    match declared {
        Some(alg) if alg.family() == implied.family() => Some(alg),
        Some(_) => None,
        None if jwk.common.key_algorithm.is_some() => None,
        None => Some(implied),
    }
}

impl JwksSource {
    pub fn new(url: &str, min_refresh: Duration) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| format!("cannot build the JWKS client: {e}"))?;
        Ok(JwksSource {
            url: url.to_string(),
            client,
            keys: RwLock::new(Arc::new(HashMap::new())),
            last_fetch: tokio::sync::Mutex::new(None),
            min_refresh,
            fetches: AtomicU64::new(0),
        })
    }

    fn cached(&self, kid: &str) -> Option<Arc<VerifyingKey>> {
        self.keys.read().ok()?.get(kid).cloned()
    }

    /// The key with this id, fetching the set again if the id is new and the last fetch is old
    /// enough.
    pub async fn key(&self, kid: &str) -> Option<Arc<VerifyingKey>> {
        if let Some(key) = self.cached(kid) {
            return Some(key);
        }
        let mut last = self.last_fetch.lock().await;
        // Another request may have fetched while this one waited.
        if let Some(key) = self.cached(kid) {
            return Some(key);
        }
        if last.is_some_and(|at| at.elapsed() < self.min_refresh) {
            return None;
        }
        *last = Some(Instant::now());
        if let Err(e) = self.fetch().await {
            tracing::warn!(url = %self.url, error = %e, "cannot refresh the JWKS");
        }
        drop(last);
        self.cached(kid)
    }

    /// Fetches the key set now (at start). Returns how many keys are usable. A failure does not
    /// start the refresh window, so the first token that needs a key tries again.
    pub async fn refresh(&self) -> Result<usize, String> {
        let mut last = self.last_fetch.lock().await;
        let fetched = self.fetch().await;
        if fetched.is_ok() {
            *last = Some(Instant::now());
        }
        fetched
    }

    async fn fetch(&self) -> Result<usize, String> {
        self.fetches.fetch_add(1, Ordering::Relaxed);
        let set: JwkSet = self
            .client
            .get(&self.url)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| e.to_string())?
            .json()
            .await
            .map_err(|e| format!("not a JWK set: {e}"))?;
        let mut keys = HashMap::new();
        for jwk in &set.keys {
            let Some(kid) = jwk.common.key_id.clone() else {
                tracing::warn!("JWKS key without a kid ignored");
                continue;
            };
            let (Some(algorithm), Ok(key)) = (algorithm(jwk), DecodingKey::from_jwk(jwk)) else {
                tracing::warn!(%kid, "JWKS key of an unsupported type ignored");
                continue;
            };
            keys.insert(kid, Arc::new(VerifyingKey { algorithm, key }));
        }
        let count = keys.len();
        if let Ok(mut current) = self.keys.write() {
            *current = Arc::new(keys);
        }
        Ok(count)
    }

    /// How many times the set was fetched (for tests and logs).
    pub fn fetches(&self) -> u64 {
        self.fetches.load(Ordering::Relaxed)
    }
}
