//! A token verified once is not checked in full again (its signature is what costs), but a
//! later use is still held to its expiry, and a changed token is checked in full.

use super::get_with;
use crate::support::{TEST_SECRET, spawn_app};

fn token(exp: i64, scope: &str) -> String {
    let claims = serde_json::json!({
        "iss": "crossborder", "aud": "crossborder-api", "sub": "cache-test",
        "iat": exp - 60, "exp": exp, "scope": scope,
    });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(TEST_SECRET),
    )
    .unwrap()
}

#[actix_web::test]
async fn a_verified_token_still_expires_and_a_changed_one_is_checked_in_full() {
    let app = spawn_app().await;
    // Expired 28 s ago: still inside the 30 s allowed for clock skew, for about two seconds.
    let now = chrono::Utc::now().timestamp();
    let ending = token(now - 28, "registry:read");
    assert_eq!(get_with(&app, &ending).await.status(), 200);
    assert_eq!(get_with(&app, &ending).await.status(), 200, "kept");

    // The same text with its last signature character changed is another token: refused.
    let mut forged = ending.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(get_with(&app, &forged).await.status(), 401);

    actix_web::rt::time::sleep(std::time::Duration::from_millis(3_100)).await;
    let response = get_with(&app, &ending).await;
    assert_eq!(response.status(), 401, "a kept token past its expiry");
    let challenge = response.headers()["www-authenticate"].to_str().unwrap();
    assert!(challenge.contains("expired"), "{challenge}");
}
