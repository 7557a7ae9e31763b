//! What each write costs in SQL statements, for an organisation of 10 and one of 1,000 vendors:
//! a write touches one vendor, so it should cost the same whatever the size of the registry,
//! and little. The counter counts every statement a pooled connection starts, BEGIN and COMMIT
//! (or BEGIN IMMEDIATE on SQLite) included, since diesel runs them as statements too.
//!
//! A write locks its organisation and loads only the vendor it changes (seven queries), so a
//! vendor PUT stays within a small budget. The writes themselves must succeed: their status
//! codes are asserted before any cost.

use crate::support::{
    Session, TestApp, form_fields, get_as, new_vendor, post_as, sign_in, spawn_empty_app,
    vendors_path,
};
use crossborder::auth::users::Role;
use crossborder::registry::seed;
use reqwest::Method;
use serde_json::{Value, json};

/// The two organisations every test writes to: (slug, vendors).
const SIZES: [(&str, usize); 2] = [("small", 10), ("large", 1000)];

/// The most a vendor PUT may cost once it no longer loads the whole organisation (issue 11):
/// BEGIN, reads of the one vendor and its versions, its writes, audit row, change-log entry
/// (after reading the chain's head) and versions, COMMIT (issue 12 added four); the count of
/// revoked API clients, checked on every request (issue 15); the outbox event of the
/// announcement (issue 13).
const VENDOR_PUT_BUDGET: u64 = 21;

/// An app with both organisations and a token allowed to write.
async fn app_with_both_sizes() -> (TestApp, String) {
    let app = spawn_empty_app().await;
    for (slug, vendors) in SIZES {
        app.load(&seed::synthetic(slug, vendors));
    }
    let token = app.token("write-costs", "registry:read registry:write");
    (app, token)
}

/// The statements `write` costs on the app, and its status. The body is read before counting
/// stops, and shown when the write failed.
async fn cost(app: &TestApp, write: impl Future<Output = reqwest::Response>) -> (u64, u16) {
    let before = app.statements();
    let response = write.await;
    let status = response.status().as_u16();
    let body = response.text().await.expect("a body");
    let statements = app.statements() - before;
    if !(200..400).contains(&status) {
        eprintln!("answer {status}: {body}");
    }
    (statements, status)
}

/// Sends an API request.
async fn send(request: reqwest::RequestBuilder) -> reqwest::Response {
    request.send().await.expect("the request completes")
}

/// Prints the costs and asserts they do not depend on the size of the organisation.
fn same_cost_at_both_sizes(write: &str, costs: &[(&str, u64)]) {
    eprintln!("{write}: {costs:?} statements (BEGIN and COMMIT included)");
    let (_, first) = costs[0];
    assert!(
        costs.iter().all(|&(_, n)| n == first),
        "{write} costs {costs:?} statements: it should not depend on the number of vendors"
    );
}

async fn get_json(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.api(Method::GET, path, token).send().await.unwrap();
    assert_eq!(response.status(), 200, "GET {path}");
    response.json().await.expect("JSON")
}

#[actix_web::test]
async fn an_api_vendor_create_costs_the_same_for_10_or_1000_vendors() {
    let (app, token) = app_with_both_sizes().await;
    let mut costs = Vec::new();
    for (slug, _) in SIZES {
        let request = app
            .api(Method::POST, &vendors_path(slug), &token)
            .json(&new_vendor("new-analytics", "Example Analytics"));
        let (statements, status) = cost(&app, send(request)).await;
        assert_eq!(status, 201, "POST a vendor to {slug}");
        costs.push((slug, statements));
    }
    same_cost_at_both_sizes("API vendor create", &costs);
}

/// The statements of a vendor PUT (with If-Match) in each organisation.
async fn vendor_update_costs() -> Vec<(&'static str, u64)> {
    let (app, token) = app_with_both_sizes().await;
    let mut costs = Vec::new();
    for (slug, _) in SIZES {
        let path = format!("{}/vendor-00001", vendors_path(slug));
        let version = get_json(&app, &token, &path).await["version"].to_string();
        let vendor = json!({
            "key": "vendor-00001",
            "name": "Vendor one, renamed",
            "legal_entity": "Vendor 00001 Ltd",
            "website": "https://vendor-00001.example",
            "headquarters": "IN",
            "role": "sub_processor",
            "categories": ["analytics"],
            "purpose": "A purpose restated.",
            "status": "active",
            "active_from": "2019-01-02"
        });
        let request = app
            .api(Method::PUT, &path, &token)
            .header("If-Match", format!("\"{version}\""))
            .json(&vendor);
        let (statements, status) = cost(&app, send(request)).await;
        assert_eq!(status, 200, "PUT {path}");
        costs.push((slug, statements));
    }
    eprintln!("API vendor update: {costs:?} statements (BEGIN and COMMIT included)");
    costs
}

#[actix_web::test]
async fn an_api_vendor_update_costs_the_same_for_10_or_1000_vendors() {
    same_cost_at_both_sizes("API vendor update", &vendor_update_costs().await);
}

#[actix_web::test]
async fn an_api_vendor_update_costs_at_most_21_statements() {
    let costs = vendor_update_costs().await;
    assert!(
        costs.iter().all(|&(_, n)| n <= VENDOR_PUT_BUDGET),
        "a vendor PUT costs {costs:?} statements, more than {VENDOR_PUT_BUDGET}"
    );
}

#[actix_web::test]
async fn an_api_transfer_add_costs_the_same_for_10_or_1000_vendors() {
    let (app, token) = app_with_both_sizes().await;
    let mut costs = Vec::new();
    for (slug, _) in SIZES {
        let path = format!("{}/vendor-00002/transfers", vendors_path(slug));
        let request = app
            .api(Method::POST, &path, &token)
            .json(&json!({"country": "US", "data_categories": ["usage"]}));
        let (statements, status) = cost(&app, send(request)).await;
        assert_eq!(status, 201, "POST {path}");
        costs.push((slug, statements));
    }
    same_cost_at_both_sizes("API transfer add", &costs);
}

#[actix_web::test]
async fn an_api_transfer_update_costs_the_same_for_10_or_1000_vendors() {
    let (app, token) = app_with_both_sizes().await;
    let mut costs = Vec::new();
    for (slug, _) in SIZES {
        let vendor = get_json(
            &app,
            &token,
            &format!("{}/vendor-00002", vendors_path(slug)),
        )
        .await;
        let transfer = &vendor["transfers"][0];
        let path = format!(
            "{}/vendor-00002/transfers/{}",
            vendors_path(slug),
            transfer["id"]
        );
        let request = app
            .api(Method::PUT, &path, &token)
            .header("If-Match", format!("\"{}\"", transfer["version"]))
            .json(&json!({
                "country": "US",
                "data_categories": ["usage"],
                "mechanisms": [{"id": "scc_2021", "signed_on": "2023-06-01"}],
                "tia_on": "2023-06-01"
            }));
        let (statements, status) = cost(&app, send(request)).await;
        assert_eq!(status, 200, "PUT {path}");
        costs.push((slug, statements));
    }
    same_cost_at_both_sizes("API transfer update", &costs);
}

/// The vendor form of the workspace, as the browser posts it, with a new name.
async fn edited_vendor_form(app: &TestApp, s: &Session, path: &str) -> Vec<(String, String)> {
    let (status, html) = get_as(app, s, path).await;
    assert_eq!(status, 200, "GET {path}");
    let mut form = form_fields(&html, path);
    for (name, value) in &mut form {
        if name == "name" {
            *value = "Vendor three, renamed".into();
        }
    }
    form
}

#[actix_web::test]
async fn a_workspace_vendor_save_costs_the_same_for_10_or_1000_vendors() {
    let (app, _) = app_with_both_sizes().await;
    let s = sign_in(&app, "editor@example.com", Role::Editor).await;
    let mut costs = Vec::new();
    for (slug, _) in SIZES {
        let path = format!("/workspace/{slug}/vendors/vendor-00003/edit");
        let fields = edited_vendor_form(&app, &s, &path).await;
        let form: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let (statements, status) = cost(&app, post_as(&app, &s, &path, &form)).await;
        assert_eq!(status, 303, "POST {path}");
        costs.push((slug, statements));
    }
    same_cost_at_both_sizes("workspace vendor save", &costs);
}

/// What the budget counts: a write transaction that runs nothing costs two statements, its
/// BEGIN (BEGIN IMMEDIATE on SQLite) and its COMMIT.
#[actix_web::test]
async fn the_counter_counts_begin_and_commit() {
    let app = spawn_empty_app().await;
    let mut conn = app.conn();
    let before = app.statements();
    conn.write_transaction(|_| Ok::<_, diesel::result::Error>(()))
        .expect("an empty transaction commits");
    assert_eq!(app.statements() - before, 2);
}
