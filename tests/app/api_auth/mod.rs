//! API authentication over HTTP against the real server: JWT vectors made by an independent
//! implementation (PyJWT, `tests/jwt/make_vectors.py`), a JWKS served by the test and rotated,
//! the client credentials grant end to end, and the start-up check of the HS256 secret.

mod challenges;
mod client_credentials;
mod jwks;
mod keys;
mod vectors;
mod verified;

use crate::support::{TestApp, spawn_app_with};
use reqwest::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::{Method, Response};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const VECTORS: &str = include_str!("../../jwt/vectors.json");
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
        // The vectors are signed once, to expire in 2100: longer than any maximum lifetime.
        settings.auth.max_token_ttl = std::time::Duration::from_secs(100 * 365 * 24 * 3600);
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
