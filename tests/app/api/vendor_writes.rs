//! Vendors created, refused (every bad field named), updated with `If-Match`, retired.

use super::{
    app_and_token, audit_rows, get, post, public_names, send_if_match, send_json, vendor_keys,
};
use crate::support::{create_vendor, new_vendor};
use reqwest::Method;
use serde_json::json;

#[actix_web::test]
async fn a_vendor_is_created_with_its_transfer() {
    let (app, token) = app_and_token().await;
    let reply = create_vendor(
        &app,
        &token,
        "arturia",
        &new_vendor("example-analytics", "Example Analytics"),
    )
    .await;
    let created = reply.ok(201).clone();
    assert_eq!(reply.etag.as_deref(), Some("\"1\""));
    assert_eq!(created["key"], "example-analytics");
    assert_eq!(created["version"], 1);
    assert_eq!(created["name"], "Example Analytics");
    assert_eq!(created["role"], "sub_processor");
    assert_eq!(created["status"], "proposed");
    assert_eq!(created["headquarters"], "US");
    assert!(created["active_from"].is_null());
    let transfers = created["transfers"].as_array().unwrap();
    assert_eq!(transfers.len(), 1);
    assert_eq!(transfers[0]["country"], "US");
    assert_eq!(transfers[0]["version"], 1);
    assert_eq!(
        transfers[0]["data_categories"],
        json!(["usage", "device_and_network"])
    );
    assert_eq!(transfers[0]["evidence"][0]["document"], "dpa.pdf");
    assert_eq!(transfers[0]["assessment"]["verdict"], "unsafeguarded");
    assert_eq!(created["flagged"], true);

    // It reads back the same.
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/example-analytics",
    )
    .await;
    assert_eq!(reply.ok(200), &created);
    assert_eq!(reply.etag.as_deref(), Some("\"1\""));
    // Proposed: not on the public list.
    assert!(
        !public_names(&app, None)
            .await
            .contains(&"Example Analytics".to_string())
    );
}

#[actix_web::test]
async fn invalid_vendor_fields_are_all_named_and_nothing_is_created() {
    let (app, token) = app_and_token().await;
    let before = vendor_keys(&app, &token, "").await;
    let reply = create_vendor(&app, &token, "arturia", &json!({
            "key": "Not A Key!",
            "name": "",
            "website": "not a url",
            "headquarters": "XX",
            "role": "overlord",
            "categories": ["weather"],
            "purpose": "",
            "status": "maybe",
            "dpa_url": "also not a url",
            "transfers": [
                {"country": "ZZ", "data_categories": ["secrets"], "mechanisms": [{"id": "handshake"}]},
                {"location": ""}
            ]
        }),
    )
    .await;
    reply.problem(422);
    assert_eq!(
        reply.fields(),
        [
            "categories",
            "dpa_url",
            "headquarters",
            "key",
            "name",
            "purpose",
            "role",
            "status",
            "transfers[0].country",
            "transfers[0].data_categories",
            "transfers[0].mechanisms",
            "transfers[1].location",
            "website",
        ],
        "{:#}",
        reply.body
    );
    let detail = reply.body["detail"].as_str().unwrap();
    assert!(detail.starts_with("13 invalid field(s)"), "{detail}");
    assert_eq!(
        vendor_keys(&app, &token, "").await,
        before,
        "nothing created"
    );

    // A transfer with neither a country nor a location.
    let mut vendor = new_vendor("nowhere", "Nowhere");
    vendor["transfers"] = json!([{"country": "US"}, {"data_categories": ["usage"]}]);
    let reply = create_vendor(&app, &token, "arturia", &vendor).await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["transfers[1].country"]);
    assert_eq!(
        vendor_keys(&app, &token, "").await,
        before,
        "nothing created"
    );

    // Retired is not a status a vendor is created with.
    let mut vendor = new_vendor("retired-at-birth", "Retired");
    vendor["status"] = json!("retired");
    let reply = create_vendor(&app, &token, "arturia", &vendor).await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["status"]);
    assert_eq!(
        vendor_keys(&app, &token, "").await,
        before,
        "nothing created"
    );
    assert!(audit_rows(&app, "vendor").is_empty(), "nothing audited");
}

#[actix_web::test]
async fn every_invalid_field_is_named_even_with_a_transfer_without_country() {
    let (app, token) = app_and_token().await;
    let mut vendor = new_vendor("half-bad", "");
    vendor["website"] = json!("not a url");
    vendor["transfers"] = json!([{"data_categories": ["usage"]}]);
    let reply = create_vendor(&app, &token, "arturia", &vendor).await;
    reply.problem(422);
    assert_eq!(
        reply.fields(),
        ["name", "transfers[0].country", "website"],
        "{:#}",
        reply.body
    );
}

#[actix_web::test]
async fn a_blank_name_is_refused() {
    let (app, token) = app_and_token().await;
    let mut vendor = new_vendor("blank", "   ");
    vendor["purpose"] = json!("  ");
    let reply = create_vendor(&app, &token, "arturia", &vendor).await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["name", "purpose"]);
}

#[actix_web::test]
async fn a_website_that_is_not_http_is_refused() {
    let (app, token) = app_and_token().await;
    let mut vendor = new_vendor("xss", "Script");
    vendor["status"] = json!("active");
    vendor["active_from"] = json!("2020-01-01");
    vendor["website"] = json!("javascript:alert(document.domain)");
    vendor["dpa_url"] = json!("data:text/html,<script>alert(1)</script>");
    let reply = create_vendor(&app, &token, "arturia", &vendor).await;
    let (status, html) = app.get_text("/arturia/subprocessors").await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("href=\"javascript:"),
        "a javascript: link is published"
    );
    reply.problem(422);
    assert_eq!(reply.fields(), ["dpa_url", "website"]);
}

#[actix_web::test]
async fn a_duplicate_key_is_a_409() {
    let (app, token) = app_and_token().await;
    let reply = create_vendor(
        &app,
        &token,
        "arturia",
        &new_vendor("google-analytics", "Another Google Analytics"),
    )
    .await;
    let body = reply.problem(409);
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("google-analytics")
    );
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/google-analytics",
    )
    .await;
    assert_eq!(reply.ok(200)["name"], "Google Analytics", "unchanged");
    assert_eq!(reply.etag.as_deref(), Some("\"1\""));

    // The same key at another organisation is fine.
    let reply = post(
        &app,
        &token,
        "/api/v1/organisations/jamendo/vendors",
        &new_vendor("google-analytics", "Google Analytics at Jamendo"),
    )
    .await;
    reply.ok(201);
    // A vendor for an unknown organisation.
    let reply = post(
        &app,
        &token,
        "/api/v1/organisations/nowhere/vendors",
        &new_vendor("x", "X"),
    )
    .await;
    reply.problem(404);
}

#[actix_web::test]
async fn an_update_needs_the_current_version_in_if_match() {
    let (app, token) = app_and_token().await;
    let path = "/api/v1/organisations/arturia/vendors/facebook";
    let current = get(&app, &token, path).await;
    let etag = current.etag.clone().expect("an ETag");
    assert_eq!(etag, "\"1\"");
    let mut body = json!({
        "key": "facebook",
        "name": "Meta Pixel",
        "legal_entity": "Meta Platforms, Inc.",
        "website": "https://www.facebook.com",
        "headquarters": "US",
        "role": "independent_controller",
        "categories": ["analytics", "advertising"],
        "purpose": "Web analytics and advertising measurement.",
        "status": "active",
        "active_from": "2018-05-25"
    });

    let reply = send_json(&app, &token, Method::PUT, path, &body).await;
    reply.problem(428);
    let reply = send_if_match(&app, &token, Method::PUT, path, "\"7\"", &body).await;
    let problem = reply.problem(412);
    assert!(problem["detail"].as_str().unwrap().contains("version 1"));
    let reply = send_if_match(&app, &token, Method::PUT, path, "garbage", &body).await;
    reply.problem(412);
    // A weak tag never matches If-Match; `*` names no version, so it counts as none.
    let weak = format!("W/{etag}");
    send_if_match(&app, &token, Method::PUT, path, &weak, &body)
        .await
        .problem(412);
    send_if_match(&app, &token, Method::PUT, path, "*", &body)
        .await
        .problem(428);
    assert_eq!(
        get(&app, &token, path).await.ok(200)["name"],
        "Facebook",
        "nothing changed"
    );

    let reply = send_if_match(&app, &token, Method::PUT, path, &etag, &body).await;
    let updated = reply.ok(200).clone();
    assert_eq!(reply.etag.as_deref(), Some("\"2\""));
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["name"], "Meta Pixel");
    assert_eq!(updated["role"], "independent_controller");
    assert_eq!(updated["categories"], json!(["analytics", "advertising"]));
    assert_eq!(updated["status"], "active");
    assert_eq!(updated["active_from"], "2018-05-25");
    assert_eq!(
        updated["transfers"].as_array().unwrap().len(),
        1,
        "transfers are kept"
    );
    // A new role widens what is shared: announced today, published after the notice period.
    let reply = get(&app, &token, path).await;
    assert_eq!(
        reply.ok(200)["name"],
        "Facebook",
        "still as published today"
    );
    assert_eq!(reply.etag.as_deref(), Some("\"2\""));
    let effective = crate::support::today() + chrono::Duration::days(30);
    let reply = get(&app, &token, &format!("{path}?as_of={effective}")).await;
    let published = reply.ok(200);
    for field in [
        "name",
        "role",
        "categories",
        "legal_entity",
        "purpose",
        "version",
    ] {
        assert_eq!(published[field], updated[field], "{field}");
    }

    // The old version is stale now.
    body["name"] = json!("Facebook again");
    let reply = send_if_match(&app, &token, Method::PUT, path, &etag, &body).await;
    reply.problem(412);
    // Invalid fields on update: 422, nothing changed.
    body["role"] = json!("overlord");
    body["categories"] = json!([]);
    let reply = send_if_match(&app, &token, Method::PUT, path, "\"2\"", &body).await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["categories", "role"]);
    assert_eq!(get(&app, &token, path).await.ok(200)["version"], 2);
    // Updating a vendor that does not exist.
    let reply = send_if_match(
        &app,
        &token,
        Method::PUT,
        "/api/v1/organisations/arturia/vendors/nobody",
        "\"1\"",
        &new_vendor("nobody", "Nobody"),
    )
    .await;
    reply.problem(404);
}

#[actix_web::test]
async fn an_update_without_status_keeps_an_active_vendor_on_the_list() {
    let (app, token) = app_and_token().await;
    let path = "/api/v1/organisations/arturia/vendors/facebook";
    assert!(
        public_names(&app, Some("2019-05-23"))
            .await
            .contains(&"Facebook".to_string())
    );
    let body = json!({
        "key": "facebook",
        "name": "Facebook",
        "role": "processor",
        "categories": ["analytics"],
        "purpose": "Web analytics."
    });
    let reply = send_if_match(&app, &token, Method::PUT, path, "\"1\"", &body).await;
    let updated = reply.ok(200);
    assert_eq!(updated["status"], "active");
    assert_eq!(updated["active_from"], "2018-05-25");
    assert!(
        public_names(&app, Some("2019-05-23"))
            .await
            .contains(&"Facebook".to_string())
    );
}

#[actix_web::test]
async fn a_retired_vendor_leaves_the_list_from_its_date_and_nothing_is_deleted() {
    let (app, token) = app_and_token().await;
    let mut vendor = new_vendor("old-cdn", "Old CDN");
    vendor["status"] = json!("active");
    let today = crate::support::today();
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
    vendor["active_from"] = json!(today);
    vendor["urgent_reason"] = json!("replaces a CDN that shut down");
    vendor["categories"] = json!(["cdn"]);
    create_vendor(&app, &token, "arturia", &vendor)
        .await
        .ok(201);
    let name = "Old CDN".to_string();
    assert!(public_names(&app, None).await.contains(&name));

    let path = "/api/v1/organisations/arturia/vendors/old-cdn/retire";
    let when = json!({"effective_on": day(30)});
    let reply = post(&app, &token, path, &when).await;
    reply.problem(428);
    let reply = send_if_match(&app, &token, Method::POST, path, "\"5\"", &when).await;
    reply.problem(412);
    let reply = send_if_match(
        &app,
        &token,
        Method::POST,
        path,
        "\"1\"",
        &json!({"effective_on": "2019-01-01"}),
    )
    .await;
    // Backdating is refused: a past day only as a correction, with its reason.
    let problem = reply.problem(422);
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("is in the past"),
        "{problem}"
    );
    let reply = send_if_match(
        &app,
        &token,
        Method::POST,
        path,
        "\"1\"",
        &json!({"effective_on": "not a date"}),
    )
    .await;
    reply.problem(400);

    let reply = send_if_match(&app, &token, Method::POST, path, "\"1\"", &when).await;
    let retired = reply.ok(200);
    assert_eq!(reply.etag.as_deref(), Some("\"2\""));
    assert_eq!(retired["status"], "retired");
    assert_eq!(retired["retired_from"], day(30));
    assert_eq!(retired["active_from"], today.to_string());
    assert_eq!(retired["version"], 2);

    // Listed until the day before it is retired, not from that day; today it still is.
    assert!(public_names(&app, Some(&day(29))).await.contains(&name));
    assert!(!public_names(&app, Some(&day(30))).await.contains(&name));
    assert!(public_names(&app, None).await.contains(&name));
    // Announced today, still to come.
    let feed = app.get_json("/arturia/subprocessors.json").await;
    let changes = feed["upcoming_changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["vendor"] == "Old CDN"
            && c["kind"] == "retired"
            && c["effective_on"] == day(30)),
        "{changes:#?}"
    );

    // Nothing deleted: the API still reads it, with its transfer, retired from its day.
    let at_retirement = format!(
        "/api/v1/organisations/arturia/vendors/old-cdn?as_of={}",
        day(30)
    );
    let reply = get(&app, &token, &at_retirement).await;
    let kept = reply.ok(200);
    assert_eq!(kept["status"], "retired");
    assert_eq!(kept["transfers"].as_array().unwrap().len(), 1);
    assert_eq!(
        vendor_keys(&app, &token, &format!("?status=retired&as_of={}", day(30))).await,
        ["old-cdn"]
    );
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/old-cdn",
    )
    .await;
    assert_eq!(reply.ok(200)["status"], "active");

    // Twice is a conflict.
    let reply = send_if_match(&app, &token, Method::POST, path, "\"2\"", &when).await;
    reply.problem(409);
}

#[actix_web::test]
async fn retiring_a_proposed_vendor_does_not_publish_it() {
    let (app, token) = app_and_token().await;
    create_vendor(
        &app,
        &token,
        "arturia",
        &new_vendor("never-used", "Never Used"),
    )
    .await
    .ok(201);
    let _ = send_if_match(
        &app,
        &token,
        Method::POST,
        "/api/v1/organisations/arturia/vendors/never-used/retire",
        "\"1\"",
        &json!({"effective_on": "2030-01-01"}),
    )
    .await;
    for date in [None, Some("2010-01-01")] {
        assert!(
            !public_names(&app, date)
                .await
                .contains(&"Never Used".to_string()),
            "{date:?}: a vendor never used is published"
        );
    }
}

#[actix_web::test]
async fn a_vendor_created_without_a_key_gets_one_from_its_name_and_keeps_it() {
    let (app, token) = app_and_token().await;
    let mut body = new_vendor("unused", "Example Analytics, Inc.");
    body.as_object_mut().unwrap().remove("key");
    let first = create_vendor(&app, &token, "arturia", &body).await;
    assert_eq!(first.ok(201)["key"], "example-analytics-inc");
    // The same name again is another vendor with a key of its own.
    let second = create_vendor(&app, &token, "arturia", &body).await;
    assert_eq!(second.ok(201)["key"], "example-analytics-inc-2");

    // An update may leave the key out; a different one is still refused.
    let path = "/api/v1/organisations/arturia/vendors/example-analytics-inc";
    let mut update = body.clone();
    update.as_object_mut().unwrap().remove("transfers");
    update["name"] = json!("Example Analytics");
    let updated = send_if_match(&app, &token, Method::PUT, path, "\"1\"", &update).await;
    assert_eq!(updated.ok(200)["name"], "Example Analytics");
    update["key"] = json!("something-else");
    let refused = send_if_match(&app, &token, Method::PUT, path, "\"2\"", &update).await;
    assert_eq!(refused.status, 422, "{:?}", refused.body);
}
