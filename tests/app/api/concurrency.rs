//! Concurrent writes: saves on one version let exactly one through; writes to one organisation
//! all land.

use super::{app_and_token, audit_rows, get, post, send_if_match};
use crate::support::create_vendor;
use crossborder::db::schema::organisations;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::json;

#[actix_web::test]
async fn concurrent_saves_on_one_version_let_exactly_one_through() {
    let (app, token) = app_and_token().await;
    let path = "/api/v1/organisations/arturia/vendors/facebook";
    let current = get(&app, &token, path).await;
    let etag = current.etag.clone().expect("an ETag");
    let transfer = current.ok(200)["transfers"][0]["id"].as_i64().unwrap();
    let transfer_path = format!("{path}/transfers/{transfer}");
    let transfer_etag = format!("\"{}\"", current.body["transfers"][0]["version"]);

    let revision = || -> i32 {
        organisations::table
            .filter(organisations::slug.eq("arturia"))
            .select(organisations::revision)
            .first(&mut app.conn())
            .unwrap()
    };
    let revision_before = revision();

    // Ten saves of the vendor, all made on the same version, sent at once.
    let saves = (0..10).map(|i| {
        let body = json!({
            "key": "facebook", "name": format!("Facebook {i}"), "role": "processor",
            "categories": ["analytics"], "purpose": "Web analytics.", "status": "active"
        });
        let (app, token, etag) = (&app, &token, &etag);
        async move {
            send_if_match(app, token, Method::PUT, path, etag, &body)
                .await
                .status
        }
    });
    let mut statuses = futures_util::future::join_all(saves).await;
    statuses.sort();
    assert_eq!(statuses, [200, 412, 412, 412, 412, 412, 412, 412, 412, 412]);
    assert_eq!(
        revision(),
        revision_before + 1,
        "the refused saves were rolled back whole"
    );

    // The same for a transfer.
    let saves = (0..10).map(|i| {
        let body = json!({"country": "US", "tia_on": format!("2024-01-{:02}", i + 1)});
        let (app, token, etag, path) = (&app, &token, &transfer_etag, &transfer_path);
        async move {
            send_if_match(app, token, Method::PUT, path, etag, &body)
                .await
                .status
        }
    });
    let mut statuses = futures_util::future::join_all(saves).await;
    statuses.sort();
    assert_eq!(statuses, [200, 412, 412, 412, 412, 412, 412, 412, 412, 412]);

    // One audit row per accepted save.
    let vendor_updates = audit_rows(&app, "vendor")
        .into_iter()
        .filter(|r| r.1 == "update")
        .count();
    assert_eq!(vendor_updates, 1);
}

#[actix_web::test]
async fn concurrent_writes_to_one_organisation_all_land() {
    let (app, token) = app_and_token().await;
    let creates = (0..10).map(|i| {
        let body = json!({
            "key": format!("tool-{i}"), "name": format!("Tool {i}"), "role": "processor",
            "categories": ["support"], "purpose": "Support desk.", "status": "active",
            "transfers": [{"country": "US", "mechanisms": [{"id": "dpf"}]}]
        });
        let (app, token) = (&app, &token);
        async move { create_vendor(app, token, "arturia", &body).await.status }
    });
    let statuses = futures_util::future::join_all(creates).await;
    assert_eq!(statuses, [201; 10]);

    // Ten transfers added at once to one vendor each get a place.
    let path = "/api/v1/organisations/arturia/vendors/tool-0/transfers";
    let adds = ["JP", "KR", "CA", "CH", "GB", "IL", "NZ", "AR", "UY", "BR"].map(|country| {
        let (app, token) = (&app, &token);
        async move {
            post(app, token, path, &json!({"country": country}))
                .await
                .status
        }
    });
    let statuses = futures_util::future::join_all(adds).await;
    assert_eq!(statuses, [201; 10]);
    let vendor = get(&app, &token, "/api/v1/organisations/arturia/vendors/tool-0").await;
    assert_eq!(vendor.ok(200)["transfers"].as_array().unwrap().len(), 11);
}
