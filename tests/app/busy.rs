//! A busy SQLite database (issue 16): a write that cannot get the lock within `--busy-timeout`
//! is a 503 with `Retry-After` (problem+json for the API, a page for the workspace), changes
//! nothing, and passes once the lock is free; never a "database is locked" 500.

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use reqwest::Method;
use std::time::Duration;

use crate::support::{ALL_SCOPES, create_vendor, new_vendor, send, spawn_app_with};

#[actix_web::test]
async fn a_write_held_up_by_another_writer_is_a_503_with_retry_after_and_passes_later() {
    let app = spawn_app_with(|s| s.busy_timeout = Duration::from_millis(200)).await;
    if app.database.is_postgres() {
        return; // PostgreSQL writers queue on row locks; the busy timeout is SQLite's.
    }
    let path = app.database.url.trim_start_matches("sqlite://").to_string();
    let mut other = SqliteConnection::establish(&path).unwrap();
    // Another process (a CLI run, a second instance) holds the write lock.
    other.batch_execute("BEGIN IMMEDIATE").unwrap();

    let token = app.token("tool", ALL_SCOPES);
    let vendor = new_vendor("stripe", "Stripe");
    let reply = create_vendor(&app, &token, "arturia", &vendor).await;
    let problem = reply.problem(503);
    assert_eq!(problem["type"], "/problems/busy");
    assert!(problem["detail"].as_str().unwrap().contains("Try again"));
    let raw = app
        .api(
            Method::POST,
            "/api/v1/organisations/arturia/vendors",
            &token,
        )
        .json(&vendor)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 503);
    assert_eq!(raw.headers()["retry-after"], "1");

    other.batch_execute("COMMIT").unwrap();
    create_vendor(&app, &token, "arturia", &vendor)
        .await
        .ok(201);
    let again = send(app.api(
        Method::GET,
        "/api/v1/organisations/arturia/vendors/stripe",
        &token,
    ))
    .await;
    assert_eq!(again.ok(200)["version"], 1, "created once, by the retry");
}
