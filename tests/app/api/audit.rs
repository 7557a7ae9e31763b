//! Every write through the API is audited with the token's subject.

use super::{audit_rows, organisation_id, post, send_if_match};
use crate::support::{ALL_SCOPES, create_vendor, new_vendor, spawn_app};
use reqwest::Method;
use serde_json::json;

#[actix_web::test]
async fn every_write_is_audited_with_the_token_subject() {
    let app = spawn_app().await;
    let token = app.token("procurement-bot", ALL_SCOPES);
    let arturia = organisation_id(&app, "arturia");
    let actor = "api:procurement-bot";

    let mut vendor = new_vendor("audited", "Audited Analytics");
    vendor["transfers"] = json!([]);
    create_vendor(&app, &token, "arturia", &vendor)
        .await
        .ok(201);
    let mut update = vendor.clone();
    update["name"] = json!("Audited Analytics Ltd");
    update["status"] = json!("active");
    update["active_from"] = json!(crate::support::today());
    update["urgent_reason"] = json!("needed today");
    send_if_match(
        &app,
        &token,
        Method::PUT,
        "/api/v1/organisations/arturia/vendors/audited",
        "\"1\"",
        &update,
    )
    .await
    .ok(200);
    let added = post(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/audited/transfers",
        &json!({"country": "US"}),
    )
    .await;
    let transfer_id = added.ok(201)["transfers"][0]["id"].as_i64().unwrap() as i32;
    send_if_match(
        &app,
        &token,
        Method::PUT,
        &format!("/api/v1/organisations/arturia/vendors/audited/transfers/{transfer_id}"),
        "\"1\"",
        &json!({"country": "US", "mechanisms": [{"id": "scc_2021"}]}),
    )
    .await
    .ok(200);
    send_if_match(
        &app,
        &token,
        Method::POST,
        "/api/v1/organisations/arturia/vendors/audited/retire",
        "\"2\"",
        &json!({"effective_on": crate::support::today() + chrono::Duration::days(60)}),
    )
    .await
    .ok(200);
    let intake = post(
        &app,
        &token,
        "/api/v1/intake",
        &json!({"organisation": "arturia", "vendor_name": "Stripe", "purpose": "Payments",
                "countries": ["US"], "requester": "finance"}),
    )
    .await;
    let intake_id = intake.ok(201)["id"].as_i64().unwrap() as i32;

    // The vendor: create, update, retire, each by the token's subject.
    let rows = audit_rows(&app, "vendor");
    let actions: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(actions, ["create", "update", "retire"]);
    let vendor_id = rows[0].2.expect("an entity id");
    for (who, _, id, org, _, after) in &rows {
        assert_eq!(who, actor);
        assert_eq!(*id, Some(vendor_id));
        assert_eq!(*org, Some(arturia));
        assert_eq!(after.as_ref().unwrap()["key"], "audited");
    }
    let (_, _, _, _, before, after) = &rows[0];
    assert!(before.is_none(), "nothing before a create");
    assert_eq!(after.as_ref().unwrap()["name"], "Audited Analytics");
    assert_eq!(after.as_ref().unwrap()["status"], "proposed");
    let (_, _, _, _, before, after) = &rows[1];
    assert_eq!(before.as_ref().unwrap()["name"], "Audited Analytics");
    assert_eq!(before.as_ref().unwrap()["status"], "proposed");
    assert_eq!(after.as_ref().unwrap()["name"], "Audited Analytics Ltd");
    assert_eq!(after.as_ref().unwrap()["status"], "active");
    let (_, _, _, _, before, after) = &rows[2];
    assert_eq!(before.as_ref().unwrap()["status"], "active");
    assert!(before.as_ref().unwrap()["retired_from"].is_null());
    assert_eq!(after.as_ref().unwrap()["status"], "retired");
    assert_eq!(
        after.as_ref().unwrap()["retired_from"],
        (crate::support::today() + chrono::Duration::days(60)).to_string()
    );

    // The transfer: create, update.
    let rows = audit_rows(&app, "transfer");
    let actions: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(actions, ["create", "update"]);
    for (who, _, id, org, _, _) in &rows {
        assert_eq!(who, actor);
        assert_eq!(*id, Some(transfer_id));
        assert_eq!(*org, Some(arturia));
    }
    assert!(rows[0].4.is_none());
    assert_eq!(rows[0].5.as_ref().unwrap()["country"], "US");
    assert_eq!(rows[1].4.as_ref().unwrap()["mechanisms"], json!([]));
    assert_eq!(
        rows[1].5.as_ref().unwrap()["mechanisms"][0]["id"],
        "scc_2021"
    );

    // The intake request.
    let rows = audit_rows(&app, "intake_request");
    assert_eq!(rows.len(), 1);
    let (who, action, id, org, before, after) = &rows[0];
    assert_eq!((who.as_str(), action.as_str()), (actor, "create"));
    assert_eq!(*id, Some(intake_id));
    assert_eq!(*org, Some(arturia));
    assert!(before.is_none());
    assert_eq!(after.as_ref().unwrap()["vendor_name"], "Stripe");
    assert_eq!(after.as_ref().unwrap()["status"], "pending");

    // Refused writes leave no row.
    let total = audit_rows(&app, "vendor").len();
    send_if_match(
        &app,
        &token,
        Method::PUT,
        "/api/v1/organisations/arturia/vendors/audited",
        "\"1\"",
        &update,
    )
    .await
    .problem(412);
    assert_eq!(audit_rows(&app, "vendor").len(), total);
}
