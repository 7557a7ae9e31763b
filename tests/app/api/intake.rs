//! Scopes (a read-only token cannot write) and intake requests, filed and read back.

use super::{audit_rows, get, post, vendor_keys};
use crate::support::{create_vendor, new_vendor, send, spawn_app};
use reqwest::Method;
use serde_json::{Value, json};

#[actix_web::test]
async fn writes_with_a_read_only_token_are_403_insufficient_scope() {
    let app = spawn_app().await;
    let reader = app.token("reader", "registry:read");
    let before = vendor_keys(&app, &reader, "").await;
    let vendor = new_vendor("sneaky", "Sneaky");
    let writes: Vec<(Method, &str, Value, &str)> = vec![
        (
            Method::POST,
            "/api/v1/organisations/arturia/vendors",
            vendor.clone(),
            "registry:write",
        ),
        (
            Method::PUT,
            "/api/v1/organisations/arturia/vendors/facebook",
            vendor.clone(),
            "registry:write",
        ),
        (
            Method::POST,
            "/api/v1/organisations/arturia/vendors/facebook/retire",
            json!({"effective_on": "2024-01-01"}),
            "registry:write",
        ),
        (
            Method::POST,
            "/api/v1/organisations/arturia/vendors/facebook/transfers",
            json!({"country": "US"}),
            "registry:write",
        ),
        (
            Method::PUT,
            "/api/v1/organisations/arturia/vendors/facebook/transfers/1",
            json!({"country": "US"}),
            "registry:write",
        ),
        (
            Method::POST,
            "/api/v1/intake",
            json!({"organisation": "arturia", "vendor_name": "Sneaky", "purpose": "x",
                   "countries": ["US"], "requester": "me"}),
            "intake:write",
        ),
    ];
    for (method, path, body, scope) in writes {
        let reply = send(
            app.api(method.clone(), path, &reader)
                .header("If-Match", "\"1\"")
                .json(&body),
        )
        .await;
        let problem = reply.problem(403);
        assert!(
            problem["detail"].as_str().unwrap().contains(scope),
            "{method} {path}: {problem:#}"
        );
        let challenge = reply.www_authenticate.clone().unwrap_or_default();
        assert!(
            challenge.contains("error=\"insufficient_scope\"")
                && challenge.contains(&format!("scope=\"{scope}\"")),
            "{method} {path}: {challenge:?}"
        );
    }
    assert_eq!(vendor_keys(&app, &reader, "").await, before);
    let facebook = get(
        &app,
        &reader,
        "/api/v1/organisations/arturia/vendors/facebook",
    )
    .await;
    assert_eq!(facebook.ok(200)["version"], 1);
    assert!(audit_rows(&app, "vendor").is_empty());
    assert!(audit_rows(&app, "intake_request").is_empty());

    // An intake-only token reads no registry and writes none.
    let intake_only = app.token("intake-tool", "intake:write");
    get(&app, &intake_only, "/api/v1/organisations")
        .await
        .problem(403);
    create_vendor(&app, &intake_only, "arturia", &vendor)
        .await
        .problem(403);
}

#[actix_web::test]
async fn an_intake_request_is_filed_pending_and_read_back() {
    let app = spawn_app().await;
    let tool = app.token("procurement-tool", "intake:write");
    let request = json!({
        "organisation": "arturia",
        "vendor_name": "Stripe",
        "website": "https://stripe.com",
        "purpose": "Card payments in the web shop.",
        "countries": ["us", "IE"],
        "data_categories": ["identity", "payment"],
        "requester": "finance team"
    });
    let reply = post(&app, &tool, "/api/v1/intake", &request).await;
    let created = reply.ok(201).clone();
    let id = created["id"].as_i64().expect("an id");
    assert_eq!(reply.location, Some(format!("/api/v1/intake/{id}")));
    assert_eq!(created["status"], "pending");
    assert!(created["vendor"].is_null(), "no vendor before approval");
    assert_eq!(created["organisation"], "arturia");
    assert_eq!(created["vendor_name"], "Stripe");
    assert_eq!(created["website"], "https://stripe.com");
    assert_eq!(created["countries"], json!(["US", "IE"]));
    assert_eq!(created["data_categories"], json!(["identity", "payment"]));
    assert_eq!(created["requester"], "finance team");
    assert!(created["decision_reason"].is_null());
    assert!(created["created_at"].is_string());

    let reply = get(&app, &tool, &format!("/api/v1/intake/{id}")).await;
    assert_eq!(reply.ok(200), &created);
    // A reader may read it too.
    let reader = app.token("privacy-officer", "registry:read");
    let reply = get(&app, &reader, &format!("/api/v1/intake/{id}")).await;
    assert_eq!(reply.ok(200), &created);
    // An intake request is not a vendor.
    assert!(
        !vendor_keys(&app, &reader, "?q=stripe")
            .await
            .contains(&"stripe".to_string())
    );

    for missing in ["999999", "abc"] {
        get(&app, &tool, &format!("/api/v1/intake/{missing}"))
            .await
            .problem(404);
    }
    let mut unknown = request.clone();
    unknown["organisation"] = json!("nowhere");
    let reply = post(&app, &tool, "/api/v1/intake", &unknown).await;
    let problem = reply.problem(404);
    assert!(problem["detail"].as_str().unwrap().contains("nowhere"));

    let reply = post(
        &app,
        &tool,
        "/api/v1/intake",
        &json!({
            "organisation": "arturia",
            "vendor_name": "",
            "website": "stripe dot com",
            "purpose": "",
            "countries": [],
            "data_categories": ["gossip"],
            "requester": ""
        }),
    )
    .await;
    reply.problem(422);
    assert_eq!(
        reply.fields(),
        [
            "countries",
            "data_categories",
            "purpose",
            "requester",
            "vendor_name",
            "website"
        ]
    );
    let mut bad_country = request.clone();
    bad_country["countries"] = json!(["US", "XX"]);
    let reply = post(&app, &tool, "/api/v1/intake", &bad_country).await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["countries"]);
    let rows = audit_rows(&app, "intake_request");
    assert_eq!(rows.len(), 1, "only the valid request was filed");
}
