//! One vendor with its version as ETag, the lookup by domain or name, the transfers listed.

use super::{app_and_token, get, keys, sorted};
use serde_json::json;

#[actix_web::test]
async fn one_vendor_carries_its_version_as_etag() {
    let (app, token) = app_and_token().await;
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/google-analytics",
    )
    .await;
    let v = reply.ok(200);
    assert_eq!(v["key"], "google-analytics");
    assert_eq!(v["name"], "Google Analytics");
    assert_eq!(v["legal_entity"], "Google LLC");
    assert_eq!(v["headquarters"], "US");
    let version = v["version"].as_i64().expect("a version");
    assert_eq!(
        reply.etag.as_deref(),
        Some(format!("\"{version}\"").as_str())
    );
    assert!(
        v["evidence"][0]["quote"]
            .as_str()
            .unwrap()
            .contains("Google Analytics")
    );
    let transfer = &v["transfers"][0];
    assert!(transfer["id"].as_i64().is_some());
    assert_eq!(transfer["version"], 1);

    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/no-such-vendor",
    )
    .await;
    let body = reply.problem(404);
    assert!(body["detail"].as_str().unwrap().contains("no-such-vendor"));
}

#[actix_web::test]
async fn lookup_finds_vendors_by_domain_and_by_name() {
    let (app, token) = app_and_token().await;
    let lookup = |query: &'static str| {
        let (app, token) = (&app, &token);
        async move {
            let reply = get(
                app,
                token,
                &format!("/api/v1/organisations/arturia/lookup?{query}"),
            )
            .await;
            reply.ok(200).clone()
        }
    };

    // The website is marketingplatform.google.com: the domain and its subdomains match.
    for query in [
        "domain=google.com",
        "domain=GOOGLE.COM",
        "domain=marketingplatform.google.com",
        "domain=https://www.google.com/analytics",
    ] {
        let body = lookup(query).await;
        assert_eq!(body["known"], true, "{query}: {body:#}");
        assert_eq!(keys(&body["matches"]), ["google-analytics"], "{query}");
        let m = &body["matches"][0];
        assert_eq!(m["name"], "Google Analytics");
        assert_eq!(
            m["website"],
            "https://marketingplatform.google.com/about/analytics/"
        );
        assert_eq!(m["status"], "active");
        assert_eq!(m["in_use"], true);
        assert_eq!(m["flagged"], true, "flagged today");
        assert_eq!(m["countries"], json!(["US"]));
    }
    for query in [
        "domain=oogle.com",
        "domain=google.co",
        "domain=stripe.com",
        "name=stripe",
    ] {
        let body = lookup(query).await;
        assert_eq!(body["known"], false, "{query}: {body:#}");
        assert_eq!(body["matches"], json!([]), "{query}");
    }
    let body = lookup("domain=facebook.com").await;
    assert_eq!(keys(&body["matches"]), ["facebook"]);
    let body = lookup("name=faceBOOK").await;
    assert_eq!(keys(&body["matches"]), ["facebook"]);
    let body = lookup("name=analytics").await;
    assert_eq!(
        sorted(keys(&body["matches"])),
        ["google-analytics", "web-analytics-other"]
    );

    let reply = get(&app, &token, "/api/v1/organisations/arturia/lookup").await;
    reply.problem(400);
    assert_eq!(reply.fields(), ["domain"]);
}

#[actix_web::test]
async fn transfers_are_listed_with_their_assessments() {
    let (app, token) = app_and_token().await;
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/transfers?as_of=2019-05-23",
    )
    .await;
    let body = reply.ok(200);
    assert_eq!(body["as_of"], "2019-05-23");
    let rows = body["data"].as_array().unwrap();
    assert_eq!(rows.len(), 9, "one transfer per Arturia vendor");
    for row in rows {
        assert!(row["vendor_key"].is_string() && row["vendor_name"].is_string());
        assert!(row["id"].is_i64() && row["version"].is_i64(), "{row:#}");
        let a = &row["assessment"];
        for field in ["verdict", "severity", "reason"] {
            assert!(a[field].is_string(), "{field}: {a:#}");
        }
        assert!(a["flagged"].is_boolean() && a["references"].is_array() && a["hints"].is_array());
    }
    let ga = rows
        .iter()
        .find(|r| r["vendor_key"] == "google-analytics")
        .unwrap();
    assert_eq!(ga["vendor_name"], "Google Analytics");
    assert_eq!(ga["country"], "US");
    assert_eq!(ga["assessment"]["verdict"], "adequate");
    assert_eq!(ga["assessment"]["severity"], "ok");
    let rule_ids: Vec<&str> = ga["assessment"]["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert!(rule_ids.contains(&"privacy_shield"), "{rule_ids:?}");

    // Narrowed by country and flag.
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/transfers?as_of=2019-05-23&country=US",
    )
    .await;
    let rows = reply.ok(200)["data"].as_array().unwrap().clone();
    let mut vendors: Vec<&str> = rows
        .iter()
        .map(|r| r["vendor_key"].as_str().unwrap())
        .collect();
    vendors.sort();
    assert_eq!(vendors, ["facebook", "google-analytics"]);
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/transfers?as_of=2019-05-23&flagged=false",
    )
    .await;
    let rows = reply.ok(200)["data"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["assessment"]["flagged"] == false));
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/transfers?flagged=true",
    )
    .await;
    let rows = reply.ok(200)["data"].as_array().unwrap().clone();
    assert_eq!(rows.len(), 9, "all flagged today");
    assert!(rows.iter().all(|r| r["assessment"]["flagged"] == true));

    // Before Arturia's vendors were in use, nothing was transferred.
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/transfers?as_of=2010-01-01",
    )
    .await;
    assert_eq!(reply.ok(200)["data"], json!([]));
}
