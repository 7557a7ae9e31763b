//! The JSON API for procurement tools (`/api/v1`) over HTTP, against the real server with the
//! example organisations: every test asserts the status, the content type and the body.

mod after_writes;
mod assess;
mod audit;
mod bodies;
mod concurrency;
mod intake;
mod one_vendor;
mod organisation_reads;
mod routes;
mod transfer_writes;
mod vendor_lists;
mod vendor_writes;

use crate::support::{ALL_SCOPES, Reply, TestApp, audit_json, send, spawn_app};
use crossborder::db::schema::{audit_events, organisations};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::Value;

/// The vendors of the Arturia example, by key.
const ARTURIA_VENDORS: [&str; 9] = [
    "advertising-partners",
    "contests-surveys-provider",
    "crm-provider",
    "emailing-provider",
    "facebook",
    "google-analytics",
    "web-analytics-other",
    "payment-provider",
    "shipping-provider",
];

/// An app and a token with every scope.
async fn app_and_token() -> (TestApp, String) {
    let app = spawn_app().await;
    let token = app.token("procurement-tool", ALL_SCOPES);
    (app, token)
}

async fn get(app: &TestApp, token: &str, path: &str) -> Reply {
    send(app.api(Method::GET, path, token)).await
}

async fn send_json(app: &TestApp, token: &str, method: Method, path: &str, body: &Value) -> Reply {
    send(app.api(method, path, token).json(body)).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> Reply {
    send_json(app, token, Method::POST, path, body).await
}

/// A PUT or POST with `If-Match: "version"`.
async fn send_if_match(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    version: &str,
    body: &Value,
) -> Reply {
    send(
        app.api(method, path, token)
            .header("If-Match", version)
            .json(body),
    )
    .await
}

fn keys(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list:#}"))
        .iter()
        .map(|v| v["key"].as_str().expect("a key").to_string())
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// The keys of arturia's vendors through the API (no filter).
async fn vendor_keys(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let reply = get(
        app,
        token,
        &format!("/api/v1/organisations/arturia/vendors{query}"),
    )
    .await;
    keys(&reply.ok(200)["data"])
}

/// The names on arturia's public JSON list on a date.
async fn public_names(app: &TestApp, as_of: Option<&str>) -> Vec<String> {
    let path = match as_of {
        Some(date) => format!("/arturia/subprocessors.json?as_of={date}"),
        None => "/arturia/subprocessors.json".to_string(),
    };
    app.get_json(&path).await["vendors"]
        .as_array()
        .expect("vendors")
        .iter()
        .map(|v| v["name"].as_str().expect("a name").to_string())
        .collect()
}

/// The audit rows of one entity, oldest first: (actor, action, entity_id, before, after).
#[allow(clippy::type_complexity)]
fn audit_rows(
    app: &TestApp,
    entity: &str,
) -> Vec<(
    String,
    String,
    Option<i32>,
    Option<i32>,
    Option<Value>,
    Option<Value>,
)> {
    let rows: Vec<(
        String,
        String,
        Option<i32>,
        Option<i32>,
        Option<String>,
        Option<String>,
    )> = audit_events::table
        .filter(audit_events::entity.eq(entity))
        .filter(audit_events::actor.like("api:%"))
        .order(audit_events::id.asc())
        .select((
            audit_events::actor,
            audit_events::action,
            audit_events::entity_id,
            audit_events::organisation_id,
            audit_events::before,
            audit_events::after,
        ))
        .load(&mut app.conn())
        .expect("the audit rows");
    rows.into_iter()
        .map(|(actor, action, id, org, before, after)| {
            (
                actor,
                action,
                id,
                org,
                audit_json(before),
                audit_json(after),
            )
        })
        .collect()
}

fn organisation_id(app: &TestApp, slug: &str) -> i32 {
    organisations::table
        .filter(organisations::slug.eq(slug))
        .select(organisations::id)
        .first(&mut app.conn())
        .expect("the organisation")
}
