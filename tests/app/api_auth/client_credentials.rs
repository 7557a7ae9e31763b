//! The OAuth client credentials grant, end to end: a client gets a token and uses it.

use super::{
    FORM, INTAKE, JwksServer, check_error, get_with, header, intake_body, spawn_with_jwks, vectors,
};
use crate::support::TestApp;
use base64::Engine;
use crossborder::auth::{Scope, clients};
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::{Method, Response};
use serde_json::Value;

/// `POST /oauth/token` with a form body and, optionally, HTTP Basic credentials.
async fn token_request(
    app: &TestApp,
    form: &[(&str, &str)],
    basic: Option<(&str, &str)>,
) -> Response {
    let mut request = app
        .client
        .post(format!("{}/oauth/token", app.address))
        .header(CONTENT_TYPE, FORM)
        .body(serde_urlencoded::to_string(form).unwrap());
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    request.send().await.expect("the request completes")
}

async fn oauth_error(response: Response) -> (u16, String) {
    let status = response.status().as_u16();
    assert_eq!(header(&response, CACHE_CONTROL), "no-store");
    let body: Value = response.json().await.expect("a JSON error");
    (status, body["error"].as_str().unwrap_or("").to_string())
}

fn b64url_json(part: &str) -> Value {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .expect("base64url");
    serde_json::from_slice(&bytes).expect("JSON")
}

#[actix_web::test]
async fn client_credentials_grant_end_to_end() {
    let v = vectors();
    let jwks = JwksServer::start(&v["jwks"]);
    let app = spawn_with_jwks(&jwks, None).await;
    let (client, secret) = clients::create(
        &mut app.conn(),
        "tool",
        &[Scope::RegistryRead],
        None,
        "test",
    )
    .expect("a client");
    let id = client.client_id.as_str();
    let grant = [("grant_type", "client_credentials")];

    // HTTP Basic.
    let response = token_request(&app, &grant, Some((id, &secret))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, CACHE_CONTROL), "no-store");
    assert!(header(&response, CONTENT_TYPE).starts_with("application/json"));
    let issued: Value = response.json().await.unwrap();
    assert_eq!(issued["token_type"], "Bearer");
    assert_eq!(issued["scope"], "registry:read");
    assert_eq!(issued["expires_in"], 900);
    let access_token = issued["access_token"].as_str().expect("access_token");

    // Form fields.
    let response = token_request(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", &secret),
            ("scope", "registry:read"),
        ],
        None,
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, CACHE_CONTROL), "no-store");
    let by_form: Value = response.json().await.unwrap();
    assert_eq!(by_form["scope"], "registry:read");
    assert_ne!(
        by_form["access_token"], issued["access_token"],
        "a fresh jti"
    );

    // The token reads, and cannot write.
    assert_eq!(get_with(&app, access_token).await.status(), 200);
    let response = app
        .api(Method::POST, INTAKE, access_token)
        .json(&intake_body())
        .send()
        .await
        .unwrap();
    assert!(check_error(response, 403).await.is_empty());

    // Decoded independently: header and claims.
    let parts: Vec<&str> = access_token.split('.').collect();
    assert_eq!(parts.len(), 3);
    let head = b64url_json(parts[0]);
    assert_eq!(head["alg"], "HS256");
    assert!(head.get("kid").is_none());
    let claims = b64url_json(parts[1]);
    assert_eq!(claims["iss"], "crossborder");
    assert_eq!(claims["aud"], "crossborder-api");
    assert_eq!(claims["sub"], id);
    assert_eq!(claims["scope"], "registry:read");
    assert!(!claims["jti"].as_str().unwrap_or("").is_empty(), "{claims}");
    let now = chrono::Utc::now().timestamp();
    let exp = claims["exp"].as_i64().expect("exp");
    assert!((exp - (now + 900)).abs() <= 60, "exp {exp}, now {now}");

    // A scope the client lacks.
    let response = token_request(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "registry:read registry:write"),
        ],
        Some((id, &secret)),
    )
    .await;
    assert_eq!(oauth_error(response).await, (400, "invalid_scope".into()));

    // A wrong secret, by Basic and by form.
    let response = token_request(&app, &grant, Some((id, "not-the-secret"))).await;
    assert!(header(&response, WWW_AUTHENTICATE).starts_with("Basic"));
    assert_eq!(oauth_error(response).await, (401, "invalid_client".into()));
    let response = token_request(
        &app,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", "not-the-secret"),
        ],
        None,
    )
    .await;
    assert_eq!(oauth_error(response).await, (401, "invalid_client".into()));

    // An unsupported grant type.
    let response = token_request(&app, &[("grant_type", "password")], Some((id, &secret))).await;
    assert_eq!(
        oauth_error(response).await,
        (400, "unsupported_grant_type".into())
    );

    // Revoked: no new token.
    assert!(clients::revoke(&mut app.conn(), id, "test").expect("revoke"));
    let response = token_request(&app, &grant, Some((id, &secret))).await;
    assert_eq!(oauth_error(response).await, (401, "invalid_client".into()));
}
