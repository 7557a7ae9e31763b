//! Without a bearer token: a Bearer challenge; without the scope: 403 insufficient_scope.

use super::{
    INTAKE, JwksServer, ORGANISATIONS, check_error, header, intake_body, spawn_with_jwks, token,
    vectors,
};
use reqwest::Method;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use serde_json::Value;

#[actix_web::test]
async fn a_request_without_a_bearer_token_gets_a_bearer_challenge() {
    let v = vectors();
    let jwks = JwksServer::start(&v["jwks"]);
    let app = spawn_with_jwks(&jwks, None).await;

    let response = app.get(ORGANISATIONS).await;
    assert_eq!(response.status(), 401);
    let challenge = header(&response, WWW_AUTHENTICATE);
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    // RFC 6750 §3.1: no error code when the request has no authentication at all.
    assert!(!challenge.contains("error="), "{challenge}");
    assert_eq!(header(&response, CONTENT_TYPE), "application/problem+json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["status"], 401);

    for authorization in [
        "Basic dXNlcjpwYXNz",
        "Bearer ",
        "Bearer not-a-jwt",
        "Token abc",
    ] {
        let response = app
            .client
            .get(format!("{}{ORGANISATIONS}", app.address))
            .header(AUTHORIZATION, authorization)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401, "{authorization}");
        let challenge = header(&response, WWW_AUTHENTICATE);
        assert!(
            challenge.starts_with("Bearer"),
            "{authorization}: {challenge}"
        );
        assert_eq!(
            header(&response, CONTENT_TYPE),
            "application/problem+json",
            "{authorization}"
        );
    }
}

#[actix_web::test]
async fn a_token_without_the_scope_gets_403_insufficient_scope() {
    let v = vectors();
    let jwks = JwksServer::start(&v["jwks"]);
    let app = spawn_with_jwks(&jwks, None).await;

    let response = app
        .api(Method::POST, INTAKE, &token("read_only"))
        .json(&intake_body())
        .send()
        .await
        .unwrap();
    let challenge = header(&response, WWW_AUTHENTICATE);
    assert!(challenge.contains("scope=\"intake:write\""), "{challenge}");
    let wrong = check_error(response, 403).await;
    assert!(wrong.is_empty(), "read_only on POST {INTAKE}: {wrong:?}");

    let response = app
        .api(Method::POST, INTAKE, &token("no_scope"))
        .json(&intake_body())
        .send()
        .await
        .unwrap();
    let wrong = check_error(response, 403).await;
    assert!(wrong.is_empty(), "no_scope on POST {INTAKE}: {wrong:?}");

    // The same body with intake:write (on each kind of key) is accepted: the 403 was the scope.
    for name in ["valid_hs256", "valid_rs256", "valid_es256", "valid_eddsa"] {
        let response = app
            .api(Method::POST, INTAKE, &token(name))
            .json(&intake_body())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "{name}");
        let created: Value = response.json().await.unwrap();
        assert_eq!(created["vendor_name"], "Stripe", "{name}");
    }
}
