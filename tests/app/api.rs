//! The JSON API for procurement tools (`/api/v1`) over HTTP, against the real server with the
//! example organisations: every test asserts the status, the content type and the body.

use std::collections::HashSet;

use crate::support::{
    ALL_SCOPES, JSON, PROBLEM, Reply, TestApp, audit_json, create_vendor, new_vendor, send,
    spawn_app,
};
use crossborder::db::schema::{audit_events, organisations};
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

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

// --- organisations -----------------------------------------------------------------------------

#[actix_web::test]
async fn organisations_are_listed_and_read_one_by_one() {
    let (app, token) = app_and_token().await;

    let reply = get(&app, &token, "/api/v1/organisations").await;
    let list = reply.ok(200)["data"].as_array().expect("data").clone();
    let slugs: HashSet<&str> = list.iter().map(|o| o["slug"].as_str().unwrap()).collect();
    assert_eq!(
        slugs,
        HashSet::from(["arturia", "jamendo", "qobuz", "qtrax", "spotify"])
    );

    let reply = get(&app, &token, "/api/v1/organisations/arturia").await;
    let arturia = reply.ok(200);
    assert_eq!(arturia["slug"], "arturia");
    assert_eq!(arturia["name"], "Arturia");
    assert_eq!(arturia["country"], "FR");
    assert_eq!(arturia["policy_date"], "2018-05-25");
    assert_eq!(arturia["announce_days"], 30);
    assert_eq!(
        list.iter().find(|o| o["slug"] == "arturia"),
        Some(arturia),
        "the list and the record agree"
    );
}

#[actix_web::test]
async fn an_unknown_organisation_is_a_404_problem() {
    let (app, token) = app_and_token().await;
    for path in [
        "/api/v1/organisations/nowhere",
        "/api/v1/organisations/nowhere/vendors",
        "/api/v1/organisations/nowhere/vendors/google-analytics",
        "/api/v1/organisations/nowhere/transfers",
        "/api/v1/organisations/nowhere/lookup?name=google",
    ] {
        let reply = get(&app, &token, path).await;
        let body = reply.problem(404);
        assert!(
            body["detail"].as_str().unwrap().contains("nowhere"),
            "{path}: {body:#}"
        );
    }
    let reply = get(&app, &token, "/api/v1/no-such-route").await;
    reply.problem(404);
}

#[actix_web::test]
async fn reads_need_a_token() {
    let app = spawn_app().await;
    let reply = send(
        app.client
            .get(format!("{}/api/v1/organisations", app.address)),
    )
    .await;
    reply.problem(401);
    assert!(
        reply
            .www_authenticate
            .as_deref()
            .is_some_and(|h| h.starts_with("Bearer")),
        "{reply:?}"
    );
    let reply = get(&app, "not-a-jwt", "/api/v1/organisations").await;
    reply.problem(401);
    assert!(
        reply
            .www_authenticate
            .as_deref()
            .is_some_and(|h| h.contains("invalid_token")),
        "{reply:?}"
    );
}

// --- vendors: filters, dates, pages ------------------------------------------------------------

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

// --- one vendor, lookup, transfers ---------------------------------------------------------------

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

// --- assess --------------------------------------------------------------------------------------

/// What `crossborder assess --json` prints for these arguments.
fn cli_assessment(args: &[&str]) -> Value {
    let output = assert_cmd::Command::cargo_bin("crossborder")
        .unwrap()
        .arg("assess")
        .args(args)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&output).expect("one JSON document")
}

/// The API's answer has the CLI's verdict, reason, mechanism, hints and references.
#[track_caller]
fn same_as_cli(api: &Value, cli: &Value) {
    for field in [
        "verdict",
        "flagged",
        "severity",
        "reason",
        "mechanism",
        "hints",
    ] {
        assert_eq!(api[field], cli[field], "{field}");
    }
    let refs = |v: &Value| -> Vec<(Value, Value, Value)> {
        v["references"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["rule"].clone(),
                    r["reference"].clone(),
                    r["confidence"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(refs(api), refs(cli), "references");
}

#[actix_web::test]
async fn assess_answers_as_the_command_line_does() {
    let (app, token) = app_and_token().await;

    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({"exporter": "FR", "importer": "US", "mechanisms": [{"id": "privacy_shield"}], "as_of": "2021-01-01"}),
    )
    .await;
    let body = reply.ok(200);
    assert_eq!(body["verdict"], "unsafeguarded");
    assert_eq!(body["flagged"], true);
    assert_eq!(body["severity"], "critical");
    assert_eq!(
        body["reason"],
        "The EU-US Privacy Shield was invalidated on 2020-07-16 (CJEU C-311/18)."
    );
    assert!(body["mechanism"].is_null());
    same_as_cli(
        body,
        &cli_assessment(&[
            "--exporter",
            "FR",
            "--importer",
            "US",
            "--mechanism",
            "privacy_shield",
            "--as-of",
            "2021-01-01",
        ]),
    );

    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({
            "exporter": "fr", "importer": "us",
            "mechanisms": [{"id": "scc_2010", "signed_on": "2019-01-01"}],
            "certified": ["privacy_shield"], "tia": true, "as_of": "2020-01-01"
        }),
    )
    .await;
    let body = reply.ok(200);
    assert_eq!(body["verdict"], "adequate");
    assert_eq!(body["flagged"], false);
    assert_eq!(body["mechanism"], "privacy_shield");
    same_as_cli(
        body,
        &cli_assessment(&[
            "--exporter",
            "FR",
            "--importer",
            "US",
            "--mechanism",
            "scc_2010:2019-01-01",
            "--certified",
            "privacy_shield",
            "--tia",
            "--as-of",
            "2020-01-01",
        ]),
    );

    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({"exporter": "DE", "importer": "FR", "as_of": "2022-06-01"}),
    )
    .await;
    assert_eq!(reply.ok(200)["verdict"], "intra_eea");
}

#[actix_web::test]
async fn assess_with_invalid_facts_is_422_listing_each_field() {
    let (app, token) = app_and_token().await;
    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({
            "exporter": "ZZ", "importer": "QQ",
            "mechanisms": [{"id": "pinky_promise"}],
            "certified": ["scc_2021"], "as_of": "2021-01-01"
        }),
    )
    .await;
    reply.problem(422);
    assert_eq!(
        reply.fields(),
        ["certified", "exporter", "importer", "mechanisms"],
        "{:#}",
        reply.body
    );

    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({"exporter": "FR", "importer": "US", "mechanisms": [{"id": "nope"}]}),
    )
    .await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["mechanisms"]);
    assert!(
        reply.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nope")
    );

    // A date that is not a date cannot be read at all: 400.
    let reply = post(
        &app,
        &token,
        "/api/v1/assess",
        &json!({"exporter": "FR", "importer": "US", "as_of": "2021-02-30"}),
    )
    .await;
    reply.problem(400);
}

// --- writes --------------------------------------------------------------------------------------

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
    let reply = get(&app, &token, path).await;
    assert_eq!(reply.ok(200), &updated);
    assert_eq!(reply.etag.as_deref(), Some("\"2\""));

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
    vendor["active_from"] = json!("2020-01-01");
    vendor["categories"] = json!(["cdn"]);
    create_vendor(&app, &token, "arturia", &vendor)
        .await
        .ok(201);
    let name = "Old CDN".to_string();
    assert!(public_names(&app, None).await.contains(&name));

    let path = "/api/v1/organisations/arturia/vendors/old-cdn/retire";
    let when = json!({"effective_on": "2022-01-01"});
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
    let problem = reply.problem(409);
    assert!(problem["detail"].as_str().unwrap().contains("2020-01-01"));
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
    assert_eq!(retired["retired_from"], "2022-01-01");
    assert_eq!(retired["active_from"], "2020-01-01");
    assert_eq!(retired["version"], 2);

    // The list as it stood before still has it; after, it does not; today neither.
    assert!(public_names(&app, Some("2021-12-31")).await.contains(&name));
    assert!(!public_names(&app, Some("2022-01-01")).await.contains(&name));
    assert!(!public_names(&app, None).await.contains(&name));
    let feed = app.get_json("/arturia/subprocessors.json").await;
    let changes = feed["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["vendor"] == "Old CDN"
            && c["kind"] == "retired"
            && c["effective_on"] == "2022-01-01"),
        "{changes:#?}"
    );

    // Nothing deleted: the API still reads it, with its transfer.
    let reply = get(
        &app,
        &token,
        "/api/v1/organisations/arturia/vendors/old-cdn",
    )
    .await;
    let kept = reply.ok(200);
    assert_eq!(kept["status"], "retired");
    assert_eq!(kept["transfers"].as_array().unwrap().len(), 1);
    assert_eq!(
        vendor_keys(&app, &token, "?status=retired").await,
        ["old-cdn"]
    );

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

// --- audit ---------------------------------------------------------------------------------------

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
    update["active_from"] = json!("2021-01-01");
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
        &json!({"effective_on": "2023-01-01"}),
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
    assert_eq!(after.as_ref().unwrap()["retired_from"], "2023-01-01");

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

// --- scopes and intake ---------------------------------------------------------------------------

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

// --- bodies that cannot be read --------------------------------------------------------------------

#[actix_web::test]
async fn unreadable_bodies_are_4xx_problems_never_500() {
    let (app, token) = app_and_token().await;
    let before = vendor_keys(&app, &token, "").await;
    let big = json!({
        "key": "big", "name": "Big", "role": "processor", "categories": ["analytics"],
        "purpose": "x".repeat(70 * 1024)
    })
    .to_string();
    let routes: [(Method, &str, &str); 7] = [
        (
            Method::POST,
            "/api/v1/organisations/arturia/vendors",
            r#"{"key":"u","name":"U","role":"processor","categories":["analytics"],"purpose":"x","colour":"red"}"#,
        ),
        (
            Method::PUT,
            "/api/v1/organisations/arturia/vendors/facebook",
            r#"{"key":"facebook","name":"F","role":"processor","categories":["analytics"],"purpose":"x","colour":"red"}"#,
        ),
        (
            Method::POST,
            "/api/v1/organisations/arturia/vendors/facebook/retire",
            r#"{"effective_on":"2030-01-01","colour":"red"}"#,
        ),
        (
            Method::POST,
            "/api/v1/organisations/arturia/vendors/facebook/transfers",
            r#"{"country":"US","colour":"red"}"#,
        ),
        (
            Method::PUT,
            "/api/v1/organisations/arturia/vendors/facebook/transfers/1",
            r#"{"country":"US","colour":"red"}"#,
        ),
        (
            Method::POST,
            "/api/v1/assess",
            r#"{"exporter":"FR","colour":"red"}"#,
        ),
        (
            Method::POST,
            "/api/v1/intake",
            r#"{"organisation":"arturia","vendor_name":"x","purpose":"x","countries":["US"],"requester":"x","colour":"red"}"#,
        ),
    ];
    for (method, path, unknown_field) in routes {
        let request = |content_type: &str, body: String| {
            app.api(method.clone(), path, &token)
                .header("If-Match", "\"1\"")
                .header("Content-Type", content_type)
                .body(body)
        };
        let label = format!("{method} {path}");

        let reply = send(request(JSON, r#"{"key": "#.into())).await;
        let problem = reply.problem(400);
        assert!(
            problem["detail"].as_str().unwrap().contains("JSON"),
            "{label}: {problem:#}"
        );
        let reply = send(request(JSON, "[1, 2, 3]".into())).await;
        reply.problem(400);
        let reply = send(request("text/plain", r#"{"key": "x"}"#.into())).await;
        reply.problem(415);
        let reply = send(request(JSON, big.clone())).await;
        reply.problem(413);
        let reply = send(request(JSON, unknown_field.into())).await;
        let problem = reply.problem(400);
        assert!(
            problem["detail"].as_str().unwrap().contains("colour"),
            "{label}: {problem:#}"
        );
        let reply = send(request(JSON, String::new())).await;
        assert!(
            (400..500).contains(&reply.status) && reply.content_type == PROBLEM,
            "{label}: an empty body: {reply:?}"
        );
    }
    assert_eq!(
        vendor_keys(&app, &token, "").await,
        before,
        "nothing created"
    );
    assert!(audit_rows(&app, "vendor").is_empty());
    assert!(audit_rows(&app, "transfer").is_empty());
}

// --- the public pages see API writes ---------------------------------------------------------------

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
    vendor["active_from"] = json!("2024-01-01");
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

#[actix_web::test]
async fn a_wrong_method_is_a_405_naming_the_allowed_ones_and_an_unknown_route_a_404() {
    let (app, token) = app_and_token().await;
    for (method, path, allowed) in [
        (
            Method::DELETE,
            "/api/v1/organisations/arturia/vendors/google-analytics",
            "GET, PUT",
        ),
        (
            Method::PATCH,
            "/api/v1/organisations/arturia/vendors",
            "GET, POST",
        ),
        (Method::GET, "/api/v1/assess", "POST"),
        (Method::DELETE, "/api/v1/intake/1", "GET"),
    ] {
        let response = app.api(method.clone(), path, &token).send().await.unwrap();
        assert_eq!(response.status(), 405, "{method} {path}");
        assert_eq!(response.headers()["allow"], allowed, "{method} {path}");
        assert_eq!(response.headers()["content-type"], PROBLEM);
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["status"], 405);
    }
    get(&app, &token, "/api/v1/no/such/route")
        .await
        .problem(404);
}

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
