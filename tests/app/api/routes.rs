//! A wrong method is a 405 naming the allowed ones; an unknown route a 404.

use super::{app_and_token, get};
use crate::support::PROBLEM;
use reqwest::Method;
use serde_json::Value;

#[actix_web::test]
async fn a_wrong_method_is_a_405_naming_the_allowed_ones_and_an_unknown_route_a_404() {
    let (app, token) = app_and_token().await;
    for (method, path, allowed) in [
        (
            Method::DELETE,
            "/api/v1/organisations/arturia/vendors/google-analytics",
            "GET, HEAD, PUT",
        ),
        (
            Method::PATCH,
            "/api/v1/organisations/arturia/vendors",
            "GET, HEAD, POST",
        ),
        (Method::GET, "/api/v1/assess", "POST"),
        (Method::DELETE, "/api/v1/intake/1", "GET, HEAD"),
    ] {
        let response = app.api(method.clone(), path, &token).send().await.unwrap();
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(response.headers()["allow"], allowed, "{method} {path}");
        assert_eq!(response.headers()["content-type"], PROBLEM);
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["status"], 405);
    }
    get(&app, &token, "/api/v1/no/such/route")
        .await
        .problem(404);
}
