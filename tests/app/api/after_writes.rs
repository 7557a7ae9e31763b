//! What API writes change elsewhere: the public page's cache, certifications and evidence.

use super::{app_and_token, get, public_names, send_if_match, sorted};
use crate::support::{create_vendor, new_vendor};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

#[actix_web::test]
async fn the_public_page_cache_sees_api_writes() {
    let (app, token) = app_and_token().await;
    // Render and cache the list, and check the cache answers.
    let first = app.get("/arturia/subprocessors.json").await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    let again = app
        .client
        .get(format!("{}/arturia/subprocessors.json", app.address))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert!(
        !public_names(&app, None)
            .await
            .contains(&"Fresh CDN".to_string())
    );

    let mut vendor = new_vendor("fresh-cdn", "Fresh CDN");
    vendor["status"] = json!("active");
    vendor["active_from"] = json!(crate::support::today());
    vendor["urgent_reason"] = json!("the old CDN is gone");
    vendor["categories"] = json!(["cdn"]);
    vendor["transfers"] = json!([{"country": "DE", "data_categories": ["device_and_network"]}]);
    let created = create_vendor(&app, &token, "arturia", &vendor).await;
    assert_eq!(created.ok(201)["status"], "active");

    let response = app
        .client
        .get(format!("{}/arturia/subprocessors.json", app.address))
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the cached copy is stale");
    assert_ne!(response.headers()["etag"].to_str().unwrap(), etag);
    let json: Value = response.json().await.unwrap();
    let fresh = json["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "Fresh CDN")
        .expect("the new vendor is listed");
    assert_eq!(fresh["transfers"][0]["country"], "DE");
    assert_eq!(fresh["transfers"][0]["assessment"]["verdict"], "intra_eea");
    assert!(
        json["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["vendor"] == "Fresh CDN" && c["kind"] == "added"),
        "the change log announces it"
    );
    // The other renderings too.
    let (status, csv) = app.get_text("/arturia/subprocessors.csv").await;
    assert_eq!(status, 200);
    assert!(csv.contains("Fresh CDN"));
    let (status, html) = app.get_text("/arturia/subprocessors").await;
    assert_eq!(status, 200);
    assert!(html.contains("Fresh CDN"));

    // An update is seen as well.
    let mut update = vendor.clone();
    update["name"] = json!("Fresh CDN GmbH");
    // Transfers change through their own routes: an update may not carry them.
    update.as_object_mut().unwrap().remove("transfers");
    send_if_match(
        &app,
        &token,
        Method::PUT,
        "/api/v1/organisations/arturia/vendors/fresh-cdn",
        "\"1\"",
        &update,
    )
    .await
    .ok(200);
    let names = public_names(&app, None).await;
    assert!(names.contains(&"Fresh CDN GmbH".to_string()), "{names:?}");
    assert!(!names.contains(&"Fresh CDN".to_string()));
}

#[actix_web::test]
async fn certifications_and_evidence_are_added_through_the_api() {
    let (app, token) = app_and_token().await;
    let path = "/api/v1/organisations/arturia/vendors/google-analytics";
    let vendor = get(&app, &token, path).await;
    let etag = vendor.etag.clone().expect("an ETag");
    let transfer = vendor.ok(200)["transfers"][0]["id"].as_i64().unwrap();

    // Invalid: every bad field named, nothing written.
    let bad = json!({"framework": "gdpr", "from": "2023-07-10", "verified_on": "2024-01-01",
        "evidence": [{"document": " ", "quote": "q", "url": "javascript:alert(1)"}]});
    let reply = send_if_match(
        &app,
        &token,
        Method::POST,
        &format!("{path}/certifications"),
        &etag,
        &bad,
    )
    .await;
    reply.problem(422);
    assert_eq!(
        sorted(reply.fields()),
        ["evidence[0].document", "evidence[0].url", "framework"]
    );
    let ends_first = json!({"framework": "dpf", "from": "2023-07-10", "until": "2023-07-10", "verified_on": "2024-01-01"});
    let reply = send_if_match(
        &app,
        &token,
        Method::POST,
        &format!("{path}/certifications"),
        &etag,
        &ends_first,
    )
    .await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["until"]);

    let dpf = json!({"framework": "dpf", "from": "2023-07-10", "verified_on": "2024-01-01",
        "evidence": [{"document": "Data Privacy Framework List", "quote": "Google LLC", "url": "https://www.dataprivacyframework.gov/list"}]});
    let reply = send_if_match(
        &app,
        &token,
        Method::POST,
        &format!("{path}/certifications"),
        &etag,
        &dpf,
    )
    .await;
    let body = reply.ok(201);
    let certification = body["certifications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["framework"] == "dpf")
        .expect("the DPF certification");
    let id = certification["id"].as_i64().unwrap();
    // The old version is stale now.
    let again = send_if_match(
        &app,
        &token,
        Method::POST,
        &format!("{path}/certifications"),
        &etag,
        &dpf,
    )
    .await;
    again.problem(412);

    // Ended, with the new version.
    let etag = reply.etag.clone().unwrap();
    let ended = send_if_match(
        &app,
        &token,
        Method::PUT,
        &format!("{path}/certifications/{id}"),
        &etag,
        &json!({"verified_on": "2025-01-02", "until": "2025-01-01"}),
    )
    .await;
    let body = ended.ok(200);
    let c = body["certifications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap();
    assert_eq!(c["until"], "2025-01-01");
    assert_eq!(c["verified_on"], "2025-01-02");

    // Evidence about a transfer; a transfer needs its id.
    let etag = ended.etag.clone().unwrap();
    let no_id = json!({"about": "transfer", "document": "DPA", "quote": "SCCs apply"});
    send_if_match(
        &app,
        &token,
        Method::POST,
        &format!("{path}/evidence"),
        &etag,
        &no_id,
    )
    .await
    .problem(422);
    let elsewhere =
        json!({"about": "transfer", "id": 999999, "document": "DPA", "quote": "SCCs apply"});
    send_if_match(
        &app,
        &token,
        Method::POST,
        &format!("{path}/evidence"),
        &etag,
        &elsewhere,
    )
    .await
    .problem(404);
    let evidence =
        json!({"about": "transfer", "id": transfer, "document": "DPA", "quote": "SCCs apply"});
    let reply = send_if_match(
        &app,
        &token,
        Method::POST,
        &format!("{path}/evidence"),
        &etag,
        &evidence,
    )
    .await;
    let body = reply.ok(201);
    assert!(
        body["transfers"][0]["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["quote"] == "SCCs apply")
    );

    // Each write is audited with the token's subject.
    let actors: Vec<(String, String)> = crossborder::db::schema::audit_events::table
        .filter(crossborder::db::schema::audit_events::entity.eq("vendor"))
        .order(crossborder::db::schema::audit_events::id.desc())
        .limit(3)
        .select((
            crossborder::db::schema::audit_events::actor,
            crossborder::db::schema::audit_events::action,
        ))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(actors.len(), 3);
    assert!(
        actors
            .iter()
            .all(|(actor, action)| actor.contains("procurement-tool") && action == "update"),
        "{actors:?}"
    );
}
