//! Secrets at rest, for accounts and API clients alike: argon2id hashes, checked with the same
//! work whether or not the account exists, and random tokens.

use std::sync::LazyLock;

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use base64::Engine;

use crate::db::DbError;

/// An argon2id hash (PHC string) of a password or client secret, with a fresh salt.
pub fn hash(secret: &str) -> Result<String, DbError> {
    let salt: [u8; 16] = rand::random();
    Argon2::default()
        .hash_password_with_salt(secret.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DbError::Corrupt(format!("cannot hash a secret: {e}")))
}

/// Whether `secret` matches the `stored` hash. With no stored hash (no such account) a dummy one
/// is checked instead, so the time taken does not tell which accounts exist.
pub fn verify(secret: &str, stored: Option<&str>) -> bool {
    static DUMMY: LazyLock<String> =
        LazyLock::new(|| hash("not a real secret at all").unwrap_or_default());
    let matches = Argon2::default()
        .verify_password(secret.as_bytes(), stored.unwrap_or(DUMMY.as_str()))
        .is_ok();
    matches && stored.is_some()
}

/// 32 random bytes, URL-safe base64: session tokens, CSRF tokens, client secrets.
pub fn random_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}
