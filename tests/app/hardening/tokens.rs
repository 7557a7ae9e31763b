//! A revoked client's tokens stop at the next request; a token living longer than the maximum
//! lifetime is refused, whoever signed it.

use crossborder::auth::{Scope, clients};
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::Method;
use serde_json::json;

use crate::support::{TEST_SECRET, send, spawn_app};

async fn token_for(app: &crate::support::TestApp, id: &str, secret: &str) -> String {
    let response = app
        .client
        .post(format!("{}/oauth/token", app.address))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

#[actix_web::test]
async fn a_revoked_clients_tokens_are_refused_at_the_next_request() {
    let app = spawn_app().await;
    let (client, secret) = clients::create(
        &mut app.conn(),
        "tool",
        &[Scope::RegistryRead],
        None,
        "test",
    )
    .unwrap();
    let token = token_for(&app, &client.client_id, &secret).await;
    let read = || send(app.api(Method::GET, "/api/v1/organisations", &token));
    assert_eq!(read().await.status, 200);
    // Revoked by another process (the CLI) writing to the same database.
    assert!(clients::revoke(&mut app.conn(), &client.client_id, "cli").unwrap());
    let reply = read().await;
    reply.problem(401);
    assert!(reply.www_authenticate.unwrap().contains("revoked"));
}

#[actix_web::test]
async fn a_token_living_longer_than_the_maximum_is_refused() {
    let app = spawn_app().await;
    let now = chrono::Utc::now().timestamp();
    let sign = |exp: i64| {
        encode(
            &Header::new(Algorithm::HS256),
            &json!({"iss": "crossborder", "aud": "crossborder-api", "sub": "forger",
                    "scope": "registry:read", "iat": now, "exp": exp}),
            &EncodingKey::from_secret(TEST_SECRET),
        )
        .unwrap()
    };
    let century = sign(now + 100 * 365 * 24 * 3600);
    let reply = send(app.api(Method::GET, "/api/v1/organisations", &century)).await;
    reply.problem(401);
    assert!(reply.www_authenticate.unwrap().contains("lives longer"));
    let day = sign(now + 23 * 3600);
    assert_eq!(
        send(app.api(Method::GET, "/api/v1/organisations", &day))
            .await
            .status,
        200
    );
    // And none is issued.
    let scopes = [Scope::RegistryRead];
    let year = std::time::Duration::from_secs(365 * 24 * 3600);
    assert!(
        app.state
            .verifier
            .issue("x", &scopes, None, Some(year))
            .is_err()
    );
}
