//! API authentication over HTTP against the real server: JWT vectors made by an independent
//! implementation (PyJWT, `tests/jwt/make_vectors.py`), a JWKS served by the test and rotated,
//! the client credentials grant end to end, and the start-up check of the HS256 secret.

use crate::support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{TestApp, spawn_app_with};
use base64::Engine;
use crossborder::auth::{Scope, clients};
use crossborder::config::Settings;
use crossborder::web::startup::Application;
use reqwest::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::{Method, Response};
use serde_json::Value;

const VECTORS: &str = include_str!("../jwt/vectors.json");
const ORGANISATIONS: &str = "/api/v1/organisations";
const INTAKE: &str = "/api/v1/intake";
const FORM: &str = "application/x-www-form-urlencoded";

fn vectors() -> Value {
    serde_json::from_str(VECTORS).expect("tests/jwt/vectors.json is JSON")
}

fn cases() -> Vec<Value> {
    vectors()["cases"].as_array().expect("cases").clone()
}

fn token(name: &str) -> String {
    cases()
        .into_iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no vector {name}"))["token"]
        .as_str()
        .expect("a token")
        .to_string()
}

fn intake_body() -> Value {
    serde_json::json!({
        "organisation": "arturia",
        "vendor_name": "Stripe",
        "website": "https://stripe.com",
        "purpose": "Payments",
        "countries": ["US"],
        "data_categories": ["payment"],
        "requester": "finance"
    })
}

/// A JWKS endpoint on 127.0.0.1: serves the current document to every request, counts them.
struct JwksServer {
    url: String,
    body: Arc<Mutex<String>>,
    hits: Arc<AtomicU64>,
}

impl JwksServer {
    fn start(document: &Value) -> JwksServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a port for the JWKS server");
        let url = format!(
            "http://{}/.well-known/jwks.json",
            listener.local_addr().expect("an address")
        );
        let body = Arc::new(Mutex::new(document.to_string()));
        let hits = Arc::new(AtomicU64::new(0));
        let (served, counted) = (body.clone(), hits.clone());
        // The thread lives as long as the test process; it only answers on loopback.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("a stream"));
                let mut line = String::new();
                // The request line and headers, up to the blank line (a GET has no body).
                loop {
                    line.clear();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => break,
                        Ok(_) if line == "\r\n" || line == "\n" => break,
                        Ok(_) => {}
                    }
                }
                counted.fetch_add(1, Ordering::SeqCst);
                let document = served.lock().expect("the JWKS document").clone();
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
                    document.len(),
                    document
                );
                let _ = stream.flush();
            }
        });
        JwksServer { url, body, hits }
    }

    fn serve(&self, document: &Value) {
        *self.body.lock().expect("the JWKS document") = document.to_string();
    }

    fn hits(&self) -> u64 {
        self.hits.load(Ordering::SeqCst)
    }
}

/// The app trusting the vectors' HS256 secret and the JWKS served by `jwks`.
async fn spawn_with_jwks(jwks: &JwksServer, min_refresh: Option<Duration>) -> TestApp {
    let secret = vectors()["hs256_secret"]
        .as_str()
        .expect("hs256_secret")
        .as_bytes()
        .to_vec();
    let url = jwks.url.clone();
    spawn_app_with(move |settings| {
        settings.auth.hs256_secret = Some(secret.into());
        settings.auth.jwks_url = Some(url);
        if let Some(min_refresh) = min_refresh {
            settings.auth.jwks_min_refresh = min_refresh;
        }
    })
    .await
}

async fn get_with(app: &TestApp, token: &str) -> Response {
    app.api(Method::GET, ORGANISATIONS, token)
        .send()
        .await
        .expect("the request completes")
}

fn header(response: &Response, name: reqwest::header::HeaderName) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap_or("").to_string())
        .unwrap_or_default()
}

/// What is wrong with an error response (empty when it is right): status, challenge, and a
/// problem+json body with the same `status`.
async fn check_error(response: Response, expected: u16) -> Vec<String> {
    let mut wrong = Vec::new();
    let status = response.status().as_u16();
    if status != expected {
        wrong.push(format!("status {status}, expected {expected}"));
    }
    let challenge = header(&response, WWW_AUTHENTICATE);
    match expected {
        401 if !(challenge.starts_with("Bearer")
            && challenge.contains("error=\"invalid_token\"")) =>
        {
            wrong.push(format!("WWW-Authenticate {challenge:?}"));
        }
        403 if !(challenge.starts_with("Bearer")
            && challenge.contains("error=\"insufficient_scope\"")) =>
        {
            wrong.push(format!("WWW-Authenticate {challenge:?}"));
        }
        _ => {}
    }
    let content_type = header(&response, CONTENT_TYPE);
    if content_type != "application/problem+json" {
        wrong.push(format!("Content-Type {content_type:?}"));
    }
    match response.json::<Value>().await {
        Ok(body) if body["status"] == expected => {}
        Ok(body) => wrong.push(format!("body {body}")),
        Err(e) => wrong.push(format!("body not JSON: {e}")),
    }
    wrong
}

/// Every vector against `GET /api/v1/organisations`; `field` names the expected status to use.
async fn check_vectors(app: &TestApp, field: &str) {
    let mut failures = Vec::new();
    for case in cases() {
        let name = case["name"].as_str().unwrap();
        let expected = case[field].as_u64().expect("an expected status") as u16;
        let response = get_with(app, case["token"].as_str().unwrap()).await;
        let wrong = if expected == 200 {
            let status = response.status().as_u16();
            let body: Value = response.json().await.unwrap_or(Value::Null);
            if status == 200 && body.is_object() {
                vec![]
            } else {
                vec![format!("status {status}, body {body}")]
            }
        } else {
            check_error(response, expected).await
        };
        if !wrong.is_empty() {
            failures.push(format!(
                "{name} ({}): {}",
                case["why"].as_str().unwrap_or(""),
                wrong.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "vectors failed:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_vectors_cover_every_case_the_tests_rely_on() {
    let v = vectors();
    assert!(v["hs256_secret"].as_str().unwrap().len() >= 32);
    let kids = |doc: &str| -> Vec<String> {
        v[doc]["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(kids("jwks"), ["rsa-1", "ec-1", "ed-1"]);
    assert_eq!(kids("jwks_rotated"), ["ec-1", "ed-1", "rsa-2"]);
    let names: Vec<String> = cases()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    for name in [
        "valid_hs256",
        "valid_rs256",
        "valid_es256",
        "valid_eddsa",
        "valid_rs256_rotated",
        "expired",
        "not_yet_valid",
        "wrong_audience",
        "wrong_issuer",
        "wrong_key_hs256",
        "wrong_key_rs256",
        "alg_none",
        "alg_none_with_kid",
        "hs256_with_rsa_public_key",
        "hs256_with_rsa_public_key_no_kid",
        "unknown_kid",
        "missing_exp",
        "missing_sub",
        "read_only",
        "no_scope",
        "tampered_payload",
    ] {
        assert!(names.iter().any(|n| n == name), "no vector {name}");
    }
}

#[actix_web::test]
async fn every_vector_gets_its_expected_status() {
    let v = vectors();
    let jwks = JwksServer::start(&v["jwks"]);
    let app = spawn_with_jwks(&jwks, None).await;
    assert_eq!(jwks.hits(), 1, "the JWKS is fetched once at start");
    check_vectors(&app, "expected_status").await;
    // Unknown kids (rsa-2, no-such-key) within the default 60 s window fetch nothing more.
    assert_eq!(jwks.hits(), 1, "no JWKS fetch per request");
    assert_eq!(app.state.verifier.jwks().unwrap().fetches(), 1);
}

#[actix_web::test]
async fn every_vector_against_the_rotated_key_set() {
    let v = vectors();
    let jwks = JwksServer::start(&v["jwks_rotated"]);
    let app = spawn_with_jwks(&jwks, None).await;
    check_vectors(&app, "expected_status_rotated").await;
    assert_eq!(jwks.hits(), 1, "no JWKS fetch per request");
}

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

#[actix_web::test]
async fn a_rotated_jwks_is_fetched_again_for_a_new_kid_but_never_per_request() {
    const MIN_REFRESH: Duration = Duration::from_secs(2);
    let v = vectors();
    let jwks = JwksServer::start(&v["jwks"]);
    let app = spawn_with_jwks(&jwks, Some(MIN_REFRESH)).await;
    assert_eq!(jwks.hits(), 1, "the JWKS is fetched once at start");
    let rotated = token("valid_rs256_rotated");
    let known = token("valid_rs256");

    // rsa-2 is not in the set yet: 401 (a refetch, if the window passed, still lacks it).
    assert_eq!(get_with(&app, &rotated).await.status(), 401);
    let before = jwks.hits();
    assert!(before <= 2, "{before} fetches");

    // Known kids never fetch.
    for _ in 0..20 {
        assert_eq!(get_with(&app, &known).await.status(), 200);
    }
    assert_eq!(
        jwks.hits(),
        before,
        "20 requests with a known kid fetched the JWKS"
    );

    // Once the window has passed, a burst of unknown kids (concurrent) fetches exactly once.
    actix_web::rt::time::sleep(MIN_REFRESH + Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    let burst: Vec<_> = (0..10)
        .map(|i| {
            let request = app.api(
                Method::GET,
                ORGANISATIONS,
                &if i % 2 == 0 {
                    token("unknown_kid")
                } else {
                    rotated.clone()
                },
            );
            actix_web::rt::spawn(async move { request.send().await.unwrap().status().as_u16() })
        })
        .collect();
    for handle in burst {
        assert_eq!(handle.await.unwrap(), 401);
    }
    assert!(started.elapsed() < MIN_REFRESH, "the burst took too long");
    assert_eq!(
        jwks.hits(),
        before + 1,
        "10 unknown-kid requests within the window"
    );

    // The identity provider rotates: rsa-2 added, rsa-1 removed.
    jwks.serve(&v["jwks_rotated"]);
    let before_rotation = jwks.hits();
    actix_web::rt::time::sleep(MIN_REFRESH + Duration::from_millis(300)).await;
    let response = get_with(&app, &rotated).await;
    assert_eq!(response.status(), 200, "rsa-2 after the rotation");
    assert_eq!(jwks.hits(), before_rotation + 1, "one refetch for rsa-2");
    for _ in 0..20 {
        assert_eq!(get_with(&app, &rotated).await.status(), 200);
    }
    assert_eq!(jwks.hits(), before_rotation + 1, "rsa-2 is now cached");
    // rsa-1 left the set with the refetch.
    assert_eq!(
        get_with(&app, &known).await.status(),
        401,
        "rsa-1 after removal"
    );
    assert!(jwks.hits() <= before_rotation + 2);
    // The app's own count agrees with what the server saw.
    assert_eq!(app.state.verifier.jwks().unwrap().fetches(), jwks.hits());
}

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
    let (client, secret) =
        clients::create(&mut app.conn(), "tool", &[Scope::RegistryRead], "test").expect("a client");
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
    let app = support::spawn_app().await;
    let mut crit = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    crit.crit = Some(vec!["x-unknown".into()]);
    let claims = serde_json::json!({
        "iss": "crossborder", "aud": "crossborder-api", "sub": "crit-test",
        "exp": 4_102_444_800i64, "scope": "registry:read"
    });
    let token = jsonwebtoken::encode(
        &crit,
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(support::TEST_SECRET),
    )
    .unwrap();
    let response = get_with(&app, &token).await;
    assert_eq!(response.status(), 401);
    assert!(header(&response, WWW_AUTHENTICATE).contains("error=\"invalid_token\""));

    // The same claims without `crit` pass: the refusal is about the header alone.
    let plain = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(support::TEST_SECRET),
    )
    .unwrap();
    assert_eq!(get_with(&app, &plain).await.status(), 200);
}
