//! Transfers added and updated with their version; evidence is only ever added to.

use super::{app_and_token, get, post, send_if_match, send_json};
use crate::support::{create_vendor, new_vendor};
use reqwest::Method;
use serde_json::json;

#[actix_web::test]
async fn a_transfer_is_added_and_updated_with_its_version() {
    let (app, token) = app_and_token().await;
    let mut vendor = new_vendor("example-analytics", "Example Analytics");
    vendor["transfers"] = json!([]);
    create_vendor(&app, &token, "arturia", &vendor)
        .await
        .ok(201);
    let base = "/api/v1/organisations/arturia/vendors/example-analytics/transfers";

    // Added: no mechanism, so unsafeguarded.
    let reply = post(
        &app,
        &token,
        base,
        &json!({"country": "US", "data_categories": ["usage"]}),
    )
    .await;
    let body = reply.ok(201);
    let transfers = body["transfers"].as_array().unwrap();
    assert_eq!(transfers.len(), 1);
    let transfer = &transfers[0];
    let id = transfer["id"].as_i64().unwrap();
    assert_eq!(transfer["version"], 1);
    assert_eq!(transfer["assessment"]["verdict"], "unsafeguarded");
    assert_eq!(transfer["assessment"]["flagged"], true);
    assert_eq!(body["flagged"], true);

    // Invalid or without a country or location: 422.
    let reply = post(&app, &token, base, &json!({"data_categories": ["usage"]})).await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["country"]);
    let reply = post(
        &app,
        &token,
        base,
        &json!({"country": "XX", "mechanisms": [{"id": "nope"}]}),
    )
    .await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["country", "mechanisms"]);
    let reply = post(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/nobody/transfers",
        &json!({"country": "US"}),
    )
    .await;
    reply.problem(404);

    // Updated with the 2021 SCCs and a TIA: safeguarded, ok.
    let path = format!("{base}/{id}");
    let update = json!({
        "country": "US",
        "data_categories": ["usage"],
        "mechanisms": [{"id": "scc_2021", "signed_on": "2023-06-01"}],
        "tia_on": "2023-06-01",
        "supplementary_measures": "Encryption at rest with keys held in the EU."
    });
    let reply = send_json(&app, &token, Method::PUT, &path, &update).await;
    reply.problem(428);
    let reply = send_if_match(&app, &token, Method::PUT, &path, "\"2\"", &update).await;
    reply.problem(412);
    let reply = send_if_match(&app, &token, Method::PUT, &path, "\"1\"", &update).await;
    let body = reply.ok(200).clone();
    let transfer = &body["transfers"][0];
    assert_eq!(transfer["id"], id);
    assert_eq!(transfer["version"], 2);
    assert_eq!(transfer["mechanisms"][0]["id"], "scc_2021");
    assert_eq!(transfer["tia_on"], "2023-06-01");
    assert_eq!(transfer["assessment"]["verdict"], "safeguarded");
    assert_eq!(transfer["assessment"]["severity"], "ok");
    assert_eq!(transfer["assessment"]["flagged"], false);
    assert_eq!(transfer["assessment"]["mechanism"], "scc_2021");
    assert_eq!(body["flagged"], false);
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/example-analytics",
    )
    .await;
    assert_eq!(reply.ok(200)["transfers"][0], *transfer);

    // The old version is stale; an unknown transfer is 404.
    let reply = send_if_match(&app, &token, Method::PUT, &path, "\"1\"", &update).await;
    reply.problem(412);
    for missing in ["999999", "abc"] {
        let reply = send_if_match(
            &app,
            &token,
            Method::PUT,
            &format!("{base}/{missing}"),
            "\"1\"",
            &update,
        )
        .await;
        reply.problem(404);
    }
    // Another vendor's transfer is not this vendor's.
    let reply = send_if_match(
        &app,
        &token,
        Method::PUT,
        &format!("/api/v1/organisations/arturia/vendors/facebook/transfers/{id}"),
        "\"2\"",
        &update,
    )
    .await;
    reply.problem(404);
}

#[actix_web::test]
async fn a_transfer_update_adds_to_its_evidence_and_never_drops_it() {
    let (app, token) = app_and_token().await;
    let created = create_vendor(
        &app,
        &token,
        "arturia",
        &new_vendor("example-analytics", "Example Analytics"),
    )
    .await;
    let before = created.ok(201)["transfers"][0]["evidence"].clone();
    let id = created.body["transfers"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/organisations/arturia/vendors/example-analytics/transfers/{id}");
    let dpa = json!({"document": "dpa-2024.pdf", "quote": "Data stays in the US.", "url": null});
    let reply = send_if_match(
        &app,
        &token,
        Method::PUT,
        &path,
        "\"1\"",
        &json!({"country": "US", "evidence": [{"document": "dpa-2024.pdf", "quote": "Data stays in the US."}]}),
    )
    .await;
    let evidence = reply.ok(200)["transfers"][0]["evidence"].clone();
    let mut expected = before.as_array().unwrap().clone();
    expected.push(dpa);
    assert_eq!(evidence, json!(expected), "added to what it had");

    // An update that brings no evidence (another client, or the workspace form) keeps it all.
    let reply = send_if_match(
        &app,
        &token,
        Method::PUT,
        &path,
        "\"2\"",
        &json!({"country": "US"}),
    )
    .await;
    assert_eq!(reply.ok(200)["transfers"][0]["evidence"], json!(expected));
}

#[actix_web::test]
async fn a_transfer_states_a_scope_condition_and_tools_of_another_regime_are_refused() {
    let (app, token) = app_and_token().await;
    let mut vendor = new_vendor("example-church", "Example Church Software");
    vendor["transfers"] = json!([]);
    create_vendor(&app, &token, "arturia", &vendor)
        .await
        .ok(201);
    let base = "/api/v1/organisations/arturia/vendors/example-church/transfers";

    // Outside the Korean decision's scope (TRANSFER-RULES.md §2.1): not adequate any more.
    let reply = post(
        &app,
        &token,
        base,
        &json!({"country": "KR", "outside_scope": ["kr_religious"]}),
    )
    .await;
    let body = reply.ok(201);
    let transfer = &body["transfers"][0];
    assert_eq!(transfer["outside_scope"], json!(["kr_religious"]));
    assert_eq!(transfer["assessment"]["regime"], "eu");
    assert_eq!(transfer["assessment"]["verdict"], "unsafeguarded");
    assert!(
        transfer["assessment"]["reason"]
            .as_str()
            .unwrap()
            .contains("outside its scope"),
        "{transfer:#}"
    );

    // A condition about another country, an unknown one, a UK-only tool for a French exporter:
    // 422 naming the field, nothing written.
    for (body, field) in [
        (
            json!({"country": "JP", "outside_scope": ["kr_religious"]}),
            "outside_scope",
        ),
        (
            json!({"country": "KR", "outside_scope": ["kr_atheist"]}),
            "outside_scope",
        ),
        (
            json!({"country": "IN", "mechanisms": [{"id": "idta"}]}),
            "mechanisms",
        ),
    ] {
        let reply = post(&app, &token, base, &body).await;
        reply.problem(422);
        assert_eq!(reply.fields(), [field], "{:#}", reply.body);
    }
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/example-church",
    )
    .await;
    assert_eq!(reply.ok(200)["transfers"].as_array().unwrap().len(), 1);

    // A certification records the parts of the list it is on.
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/example-church",
    )
    .await;
    let etag = reply.etag.clone().expect("an ETag");
    let reply = send_if_match(
        &app,
        &token,
        Method::POST,
        "/api/v1/organisations/arturia/vendors/example-church/certifications",
        &etag,
        &json!({"framework": "dpf", "parts": ["uk", "eu"], "from": "2024-01-01", "verified_on": "2024-06-01"}),
    )
    .await;
    let etag = reply.etag.clone().expect("an ETag");
    let body = reply.ok(201);
    assert_eq!(body["certifications"][0]["parts"], json!(["eu", "uk"]));
    let reply = send_if_match(
        &app,
        &token,
        Method::POST,
        "/api/v1/organisations/arturia/vendors/example-church/certifications",
        &etag,
        &json!({"framework": "dpf", "parts": ["us"], "from": "2024-01-01", "verified_on": "2024-06-01"}),
    )
    .await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["parts"]);
}
