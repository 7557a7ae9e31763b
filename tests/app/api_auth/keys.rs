//! Keys and headers refused: an HS256 secret under 32 bytes stops the build; a token with a
//! critical header extension is refused.

use super::{get_with, header};
use crate::support::{TEST_SECRET, spawn_app};
use crossborder::config::Settings;
use crossborder::web::startup::Application;
use reqwest::header::WWW_AUTHENTICATE;

#[actix_web::test]
async fn an_hs256_secret_shorter_than_32_bytes_stops_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("short.db").display());
    let mut settings = Settings::new("127.0.0.1:0", &url).unwrap();
    settings.seed_when_empty = false;
    settings.auth.hs256_secret = Some(vec![b'x'; 31].into());
    assert!(Application::build(&settings).await.is_err(), "31 bytes");
    settings.auth.hs256_secret = Some(vec![b'x'; 32].into());
    assert!(Application::build(&settings).await.is_ok(), "32 bytes");
}

/// RFC 7515 §4.1.11: a correctly signed token with a critical header extension this service does
/// not understand is refused (PyJWT signs such tokens, so the vectors cannot stand for it).
#[actix_web::test]
async fn a_token_with_a_critical_header_extension_is_refused() {
    let app = spawn_app().await;
    let mut crit = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    crit.crit = Some(vec!["x-unknown".into()]);
    let claims = serde_json::json!({
        "iss": "crossborder", "aud": "crossborder-api", "sub": "crit-test",
        "exp": chrono::Utc::now().timestamp() + 3600, "scope": "registry:read"
    });
    let token = jsonwebtoken::encode(
        &crit,
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(TEST_SECRET),
    )
    .unwrap();
    let response = get_with(&app, &token).await;
    assert_eq!(response.status(), 401);
    assert!(header(&response, WWW_AUTHENTICATE).contains("error=\"invalid_token\""));

    // The same claims without `crit` pass: the refusal is about the header alone.
    let plain = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(TEST_SECRET),
    )
    .unwrap();
    assert_eq!(get_with(&app, &plain).await.status(), 200);
}
