//! Bodies that cannot be read are 4xx problems, never a 500.

use super::{app_and_token, audit_rows, vendor_keys};
use crate::support::{JSON, PROBLEM, send};
use reqwest::Method;
use serde_json::json;

#[actix_web::test]
async fn unreadable_bodies_are_4xx_problems_never_500() {
    let (app, token) = app_and_token().await;
    let before = vendor_keys(&app, &token, "").await;
    let big = json!({
        "key": "big", "name": "Big", "role": "processor", "categories": ["analytics"],
        "purpose": "x".repeat(70 * 1024)
    })
    .to_string();
    let routes: [(Method, &str, &str); 7] = [
        (
            Method::POST,
            "/api/v1/organisations/arturia/vendors",
            r#"{"key":"u","name":"U","role":"processor","categories":["analytics"],"purpose":"x","colour":"red"}"#,
        ),
        (
            Method::PUT,
            "/api/v1/organisations/arturia/vendors/facebook",
            r#"{"key":"facebook","name":"F","role":"processor","categories":["analytics"],"purpose":"x","colour":"red"}"#,
        ),
        (
            Method::POST,
            "/api/v1/organisations/arturia/vendors/facebook/retire",
            r#"{"effective_on":"2030-01-01","colour":"red"}"#,
        ),
        (
            Method::POST,
            "/api/v1/organisations/arturia/vendors/facebook/transfers",
            r#"{"country":"US","colour":"red"}"#,
        ),
        (
            Method::PUT,
            "/api/v1/organisations/arturia/vendors/facebook/transfers/1",
            r#"{"country":"US","colour":"red"}"#,
        ),
        (
            Method::POST,
            "/api/v1/assess",
            r#"{"exporter":"FR","colour":"red"}"#,
        ),
        (
            Method::POST,
            "/api/v1/intake",
            r#"{"organisation":"arturia","vendor_name":"x","purpose":"x","countries":["US"],"requester":"x","colour":"red"}"#,
        ),
    ];
    for (method, path, unknown_field) in routes {
        let request = |content_type: &str, body: String| {
            app.api(method.clone(), path, &token)
                .header("If-Match", "\"1\"")
                .header("Content-Type", content_type)
                .body(body)
        };
        let label = format!("{method} {path}");

        let reply = send(request(JSON, r#"{"key": "#.into())).await;
        let problem = reply.problem(400);
        assert!(
            problem["detail"].as_str().unwrap().contains("JSON"),
            "{label}: {problem:#}"
        );
        let reply = send(request(JSON, "[1, 2, 3]".into())).await;
        reply.problem(400);
        let reply = send(request("text/plain", r#"{"key": "x"}"#.into())).await;
        reply.problem(415);
        let reply = send(request(JSON, big.clone())).await;
        reply.problem(413);
        // A field the body may not hold is refused by name (issue 15), never ignored.
        let reply = send(request(JSON, unknown_field.into())).await;
        let problem = reply.problem(422);
        assert!(
            problem["detail"].as_str().unwrap().contains("colour"),
            "{label}: {problem:#}"
        );
        assert_eq!(reply.fields(), ["colour"], "{label}");
        let reply = send(request(JSON, String::new())).await;
        assert!(
            (400..500).contains(&reply.status) && reply.content_type == PROBLEM,
            "{label}: an empty body: {reply:?}"
        );
    }
    assert_eq!(
        vendor_keys(&app, &token, "").await,
        before,
        "nothing created"
    );
    assert!(audit_rows(&app, "vendor").is_empty());
    assert!(audit_rows(&app, "transfer").is_empty());
}
