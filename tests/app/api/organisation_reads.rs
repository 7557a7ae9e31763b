//! The organisations, read one by one and listed; reads need a token.

use super::{app_and_token, get};
use crate::support::{send, spawn_app};
use std::collections::HashSet;

#[actix_web::test]
async fn organisations_are_listed_and_read_one_by_one() {
    let (app, token) = app_and_token().await;

    let reply = get(&app, &token, "/api/v1/organisations").await;
    let list = reply.ok(200)["data"].as_array().expect("data").clone();
    let slugs: HashSet<&str> = list.iter().map(|o| o["slug"].as_str().unwrap()).collect();
    assert_eq!(
        slugs,
        HashSet::from(["arturia", "jamendo", "qobuz", "qtrax", "spotify"])
    );

    let reply = get(&app, &token, "/api/v1/organisations/arturia").await;
    let arturia = reply.ok(200);
    assert_eq!(arturia["slug"], "arturia");
    assert_eq!(arturia["name"], "Arturia");
    assert_eq!(arturia["country"], "FR");
    assert_eq!(arturia["policy_date"], "2018-05-25");
    assert_eq!(arturia["announce_days"], 30);
    assert_eq!(
        list.iter().find(|o| o["slug"] == "arturia"),
        Some(arturia),
        "the list and the record agree"
    );
}

#[actix_web::test]
async fn an_unknown_organisation_is_a_404_problem() {
    let (app, token) = app_and_token().await;
    for path in [
        "/api/v1/organisations/nowhere",
        "/api/v1/organisations/nowhere/vendors",
        "/api/v1/organisations/nowhere/vendors/google-analytics",
        "/api/v1/organisations/nowhere/transfers",
        "/api/v1/organisations/nowhere/lookup?name=google",
    ] {
        let reply = get(&app, &token, path).await;
        let body = reply.problem(404);
        assert!(
            body["detail"].as_str().unwrap().contains("nowhere"),
            "{path}: {body:#}"
        );
    }
    let reply = get(&app, &token, "/api/v1/no-such-route").await;
    reply.problem(404);
}

#[actix_web::test]
async fn reads_need_a_token() {
    let app = spawn_app().await;
    let reply = send(
        app.client
            .get(format!("{}/api/v1/organisations", app.address)),
    )
    .await;
    reply.problem(401);
    assert!(
        reply
            .www_authenticate
            .as_deref()
            .is_some_and(|h| h.starts_with("Bearer")),
        "{reply:?}"
    );
    let reply = get(&app, "not-a-jwt", "/api/v1/organisations").await;
    reply.problem(401);
    assert!(
        reply
            .www_authenticate
            .as_deref()
            .is_some_and(|h| h.contains("invalid_token")),
        "{reply:?}"
    );
}
