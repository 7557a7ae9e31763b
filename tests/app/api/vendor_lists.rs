//! An organisation's vendors listed: filters, dates (`as_of`), cursor pages, bad parameters.

use super::{ARTURIA_VENDORS, app_and_token, get, keys, sorted, vendor_keys};
use crate::support::{create_vendor, new_vendor};
use serde_json::json;
use std::collections::HashSet;

#[actix_web::test]
async fn vendors_of_arturia_are_listed_with_their_transfers() {
    let (app, token) = app_and_token().await;
    let reply = get(&app, &token, "/api/v1/organisations/arturia/vendors").await;
    let body = reply.ok(200);
    assert!(body["next_cursor"].is_null(), "one page: {body:#}");
    let data = body["data"].as_array().unwrap();
    assert_eq!(
        sorted(keys(&body["data"])),
        sorted(ARTURIA_VENDORS.map(String::from).to_vec())
    );
    let names: Vec<&str> = data.iter().map(|v| v["name"].as_str().unwrap()).collect();
    let mut by_name = names.clone();
    by_name.sort();
    assert_eq!(names, by_name, "sorted by name");
    let ga = data
        .iter()
        .find(|v| v["key"] == "google-analytics")
        .unwrap();
    assert_eq!(ga["name"], "Google Analytics");
    assert_eq!(ga["role"], "processor");
    assert_eq!(ga["status"], "active");
    assert_eq!(ga["categories"], json!(["analytics"]));
    assert_eq!(ga["transfers"][0]["country"], "US");
    assert_eq!(ga["transfers"][0]["mechanisms"][0]["id"], "privacy_shield");
    assert_eq!(ga["certifications"][0]["framework"], "privacy_shield");
    for v in data {
        assert!(v["version"].as_i64().is_some_and(|n| n >= 1), "{v:#}");
        for t in v["transfers"].as_array().unwrap() {
            let verdict = t["assessment"]["verdict"].as_str().unwrap();
            assert!(!verdict.is_empty());
        }
    }
}

#[actix_web::test]
async fn vendors_are_filtered_by_country_category_role_status_flag_and_name() {
    let (app, token) = app_and_token().await;

    assert_eq!(
        sorted(vendor_keys(&app, &token, "?country=US").await),
        ["facebook", "google-analytics"]
    );
    assert_eq!(
        sorted(vendor_keys(&app, &token, "?country=us").await),
        ["facebook", "google-analytics"],
        "country codes in any case"
    );
    assert!(vendor_keys(&app, &token, "?country=JP").await.is_empty());
    assert_eq!(
        sorted(vendor_keys(&app, &token, "?category=analytics").await),
        ["facebook", "google-analytics", "web-analytics-other"]
    );
    assert_eq!(
        vendor_keys(&app, &token, "?category=payments").await,
        ["payment-provider"]
    );
    assert_eq!(
        vendor_keys(&app, &token, "?category=analytics&country=US&q=goo").await,
        ["google-analytics"],
        "filters combine"
    );
    assert_eq!(vendor_keys(&app, &token, "?role=processor").await.len(), 9);
    assert!(
        vendor_keys(&app, &token, "?role=sub_processor")
            .await
            .is_empty()
    );
    assert_eq!(vendor_keys(&app, &token, "?status=active").await.len(), 9);
    assert!(
        vendor_keys(&app, &token, "?status=proposed")
            .await
            .is_empty()
    );
    assert_eq!(
        vendor_keys(&app, &token, "?q=GOOGLE").await,
        ["google-analytics"],
        "name search is case-insensitive"
    );
    assert_eq!(
        sorted(vendor_keys(&app, &token, "?q=provider").await),
        [
            "contests-surveys-provider",
            "crm-provider",
            "emailing-provider",
            "payment-provider",
            "shipping-provider",
            "web-analytics-other"
        ]
    );
    assert!(vendor_keys(&app, &token, "?q=stripe").await.is_empty());

    // Today (after Schrems II) every Arturia transfer is flagged.
    assert_eq!(vendor_keys(&app, &token, "?flagged=true").await.len(), 9);
    assert!(vendor_keys(&app, &token, "?flagged=false").await.is_empty());

    // A proposed sub-processor, to see role and status narrow the list.
    create_vendor(
        &app,
        &token,
        "arturia",
        &new_vendor("example-analytics", "Example Analytics"),
    )
    .await
    .ok(201);
    assert_eq!(
        vendor_keys(&app, &token, "?role=sub_processor").await,
        ["example-analytics"]
    );
    assert_eq!(
        vendor_keys(&app, &token, "?status=proposed").await,
        ["example-analytics"]
    );
    assert_eq!(vendor_keys(&app, &token, "?role=processor").await.len(), 9);
    assert_eq!(vendor_keys(&app, &token, "?status=active").await.len(), 9);
}

#[actix_web::test]
async fn as_of_changes_the_flagged_state_of_google_analytics() {
    let (app, token) = app_and_token().await;
    // 2019: Google LLC on the Privacy Shield List, the framework in force.
    assert_eq!(
        sorted(vendor_keys(&app, &token, "?as_of=2019-05-23&flagged=false").await),
        ["facebook", "google-analytics"]
    );
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/google-analytics?as_of=2019-05-23",
    )
    .await;
    let ga = reply.ok(200);
    assert_eq!(ga["flagged"], false);
    assert_eq!(ga["transfers"][0]["assessment"]["verdict"], "adequate");
    assert_eq!(ga["transfers"][0]["assessment"]["flagged"], false);
    assert_eq!(
        ga["transfers"][0]["assessment"]["mechanism"],
        "privacy_shield"
    );

    // 2021: the Privacy Shield was invalidated on 2020-07-16.
    let flagged_2021 = vendor_keys(&app, &token, "?as_of=2021-01-01&flagged=true").await;
    assert!(flagged_2021.contains(&"google-analytics".to_string()));
    assert!(
        !vendor_keys(&app, &token, "?as_of=2021-01-01&flagged=false")
            .await
            .contains(&"google-analytics".to_string())
    );
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/google-analytics?as_of=2021-01-01",
    )
    .await;
    let ga = reply.ok(200);
    assert_eq!(ga["flagged"], true);
    let assessment = &ga["transfers"][0]["assessment"];
    assert_eq!(assessment["verdict"], "unsafeguarded");
    assert_eq!(assessment["severity"], "critical");
    assert!(
        assessment["reason"]
            .as_str()
            .unwrap()
            .contains("Privacy Shield was invalidated on 2020-07-16"),
        "{assessment:#}"
    );
}

#[actix_web::test]
async fn cursor_pagination_walks_every_vendor_once() {
    let (app, token) = app_and_token().await;
    let all = vendor_keys(&app, &token, "").await;
    for (limit, filter) in [(2, ""), (1, ""), (4, ""), (2, "&category=analytics")] {
        let mut seen: Vec<String> = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut path = format!("/api/v1/organisations/arturia/vendors?limit={limit}{filter}");
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={c}"));
            }
            let reply = get(&app, &token, &path).await;
            let body = reply.ok(200);
            let page = keys(&body["data"]);
            assert!(page.len() <= limit, "{path}: {page:?}");
            assert!(!page.is_empty(), "{path}: an empty page");
            seen.extend(page);
            pages += 1;
            assert!(pages <= 20, "the pages never end");
            match body["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => break,
            }
        }
        let expected = if filter.is_empty() {
            all.clone()
        } else {
            vendor_keys(&app, &token, &format!("?{}", &filter[1..])).await
        };
        assert_eq!(seen, expected, "limit {limit}{filter}: same order, no gap");
        let unique: HashSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "no duplicate: {seen:?}");
        assert_eq!(
            pages,
            expected.len().div_ceil(limit),
            "limit {limit}{filter}"
        );
    }
    // A full last page says there is no next one.
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors?limit=9",
    )
    .await;
    let body = reply.ok(200);
    assert_eq!(body["data"].as_array().unwrap().len(), 9);
    assert!(body["next_cursor"].is_null());
}

#[actix_web::test]
async fn bad_vendor_parameters_are_400_naming_the_parameter() {
    let (app, token) = app_and_token().await;
    for (query, field) in [
        ("country=XX", "country"),
        ("country=FRA", "country"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=ten", "limit"),
        ("cursor=garbage", "cursor"),
        ("cursor=%25%25%25", "cursor"),
        ("as_of=2024-13-01", "as_of"),
        ("as_of=2023-02-29", "as_of"),
        ("as_of=yesterday", "as_of"),
        ("flagged=maybe", "flagged"),
        ("role=boss", "role"),
        ("status=deleted", "status"),
        ("category=weather", "category"),
    ] {
        let reply = get(
            &app,
            &token,
            &format!("/api/v1/organisations/arturia/vendors?{query}"),
        )
        .await;
        reply.problem(400);
        assert_eq!(reply.fields(), [field], "{query}: {:#}", reply.body);
    }
    // The same parameters on the transfers list and one vendor.
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/transfers?country=XX",
    )
    .await;
    reply.problem(400);
    assert_eq!(reply.fields(), ["country"]);
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/facebook?as_of=2024-13-01",
    )
    .await;
    reply.problem(400);
    assert_eq!(reply.fields(), ["as_of"]);
}
