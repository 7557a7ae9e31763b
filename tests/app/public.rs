//! The public pages and feeds over HTTP, against the real server with the example organisations.

use crate::support::{spawn_app, spawn_empty_app};
use crossborder::registry::seed;
use serde_json::Value;

const ORGANISATIONS: [&str; 5] = ["arturia", "jamendo", "qobuz", "qtrax", "spotify"];

fn transfers_of<'a>(json: &'a Value, vendor: &str) -> &'a Vec<Value> {
    json["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == vendor)
        .unwrap_or_else(|| panic!("{vendor} not listed"))["transfers"]
        .as_array()
        .unwrap()
}

#[actix_web::test]
async fn every_example_organisation_has_a_page_listing_its_vendors() {
    let app = spawn_app().await;
    for slug in ORGANISATIONS {
        let json = app.get_json(&format!("/{slug}/subprocessors.json")).await;
        let vendors: Vec<&str> = json["vendors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap())
            .collect();
        let (status, html) = app.get_text(&format!("/{slug}/subprocessors")).await;
        assert_eq!(status, 200, "{slug}");
        assert!(
            !vendors.is_empty() || slug == "qobuz" || slug == "spotify",
            "{slug} lists no vendor"
        );
        for name in vendors {
            let escaped = name
                .replace('&', "&amp;")
                .replace('\'', "&#39;")
                .replace('"', "&quot;");
            assert!(html.contains(&escaped), "{slug}: {name} not on the page");
        }
    }
}

#[actix_web::test]
async fn the_index_lists_the_organisations() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    for slug in ORGANISATIONS {
        assert!(
            html.contains(&format!("href=\"/{slug}/subprocessors\"")),
            "{slug}"
        );
    }
}

#[actix_web::test]
async fn the_index_redirects_when_there_is_one_organisation() {
    let app = spawn_empty_app().await;
    app.load(&seed::synthetic("only", 3));
    let response = app.get("/").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/only/subprocessors");
}

#[actix_web::test]
async fn the_json_has_the_design_shape() {
    let app = spawn_app().await;
    let json = app
        .get_json("/arturia/subprocessors.json?as_of=2019-05-23")
        .await;
    assert_eq!(json["organisation"]["slug"], "arturia");
    assert_eq!(json["organisation"]["name"], "Arturia");
    assert_eq!(json["organisation"]["country"], "FR");
    assert_eq!(json["organisation"]["policy"]["date"], "2018-05-25");
    assert_eq!(json["as_of"], "2019-05-23");
    let vendors = json["vendors"].as_array().unwrap();
    assert_eq!(vendors.len(), 9);
    for vendor in vendors {
        for key in ["name", "role", "categories", "purpose", "transfers"] {
            assert!(vendor.get(key).is_some(), "vendor lacks {key}: {vendor}");
        }
        assert!(
            vendor.get("notes").is_none(),
            "internal notes are not published"
        );
        for transfer in vendor["transfers"].as_array().unwrap() {
            assert!(transfer.get("country").is_some());
            let a = &transfer["assessment"];
            assert!(
                a["verdict"].is_string()
                    && a["flagged"].is_boolean()
                    && a["severity"].is_string()
                    && a["reason"].is_string(),
                "{a}"
            );
            assert!(
                transfer.get("notes").is_none(),
                "internal notes are not published"
            );
        }
    }
}

#[actix_web::test]
async fn arturias_privacy_shield_transfers_follow_the_date() {
    let app = spawn_app().await;
    let before = app
        .get_json("/arturia/subprocessors.json?as_of=2019-05-23")
        .await;
    let after = app
        .get_json("/arturia/subprocessors.json?as_of=2021-01-01")
        .await;
    for vendor in ["Google Analytics", "Facebook"] {
        let t = &transfers_of(&before, vendor)[0];
        assert_eq!(t["country"], "US");
        assert_eq!(
            t["assessment"]["verdict"], "adequate",
            "{vendor} in 2019: {t}"
        );
        assert_eq!(t["assessment"]["flagged"], false);

        let t = &transfers_of(&after, vendor)[0];
        assert_eq!(
            t["assessment"]["verdict"], "unsafeguarded",
            "{vendor} in 2021: {t}"
        );
        assert_eq!(t["assessment"]["flagged"], true);
        assert!(
            t["assessment"]["reason"]
                .as_str()
                .unwrap()
                .contains("invalidated on 2020-07-16")
        );
    }
    assert!(
        after["summary"]["critical"].as_u64().unwrap()
            > before["summary"]["critical"].as_u64().unwrap()
    );
}

#[actix_web::test]
async fn a_past_date_shows_the_list_as_it_stood() {
    let app = spawn_app().await;
    let json = app
        .get_json("/arturia/subprocessors.json?as_of=2017-01-01")
        .await;
    assert_eq!(
        json["vendors"].as_array().unwrap().len(),
        0,
        "Arturia's vendors start with its 2018 policy"
    );
    assert_eq!(
        json["upcoming_changes"].as_array().unwrap().len(),
        0,
        "not yet announced in 2017"
    );
}

#[actix_web::test]
async fn filters_narrow_the_list() {
    let app = spawn_app().await;
    let all = app
        .get_json("/arturia/subprocessors.json?as_of=2021-01-01")
        .await;
    let count = |j: &Value| j["vendors"].as_array().unwrap().len();
    let transfers = |j: &Value| -> Vec<Value> {
        j["vendors"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|v| v["transfers"].as_array().unwrap().clone())
            .collect()
    };

    let analytics = app
        .get_json("/arturia/subprocessors.json?as_of=2021-01-01&category=analytics")
        .await;
    assert!(count(&analytics) < count(&all) && count(&analytics) >= 2);
    assert!(analytics["vendors"].as_array().unwrap().iter().all(|v| {
        v["categories"]
            .as_array()
            .unwrap()
            .contains(&Value::from("analytics"))
    }));

    let us = app
        .get_json("/arturia/subprocessors.json?as_of=2021-01-01&country=us")
        .await;
    assert_eq!(count(&us), 2);
    assert!(transfers(&us).iter().all(|t| t["country"] == "US"));

    let flagged = app
        .get_json("/arturia/subprocessors.json?as_of=2019-05-23&flagged=true")
        .await;
    assert!(!transfers(&flagged).is_empty());
    assert!(
        transfers(&flagged)
            .iter()
            .all(|t| t["assessment"]["flagged"] == true)
    );
    let unflagged = app
        .get_json("/arturia/subprocessors.json?as_of=2019-05-23&flagged=false")
        .await;
    assert!(
        transfers(&unflagged)
            .iter()
            .all(|t| t["assessment"]["flagged"] == false)
    );
    assert_eq!(
        transfers(&flagged).len() + transfers(&unflagged).len(),
        transfers(
            &app.get_json("/arturia/subprocessors.json?as_of=2019-05-23")
                .await
        )
        .len()
    );

    // The HTML honours the same parameters.
    let (_, html) = app
        .get_text("/arturia/subprocessors?country=US&as_of=2021-01-01")
        .await;
    let table = &html[html.find("<table").unwrap()..];
    assert!(table.contains("Google Analytics") && !table.contains("Shipping provider"));
}

#[actix_web::test]
async fn an_unknown_organisation_is_a_404() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/nobody/subprocessors").await;
    assert_eq!(status, 404);
    assert!(
        html.contains("<html lang=\"en\">") && html.contains("organisation &#39;nobody&#39;")
            || html.contains("organisation 'nobody'"),
        "{html}"
    );

    let response = app.get("/nobody/subprocessors.json").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["status"], 404);

    // Any other address gets the site's page too, not an empty answer.
    for path in [
        "/no/such/page",
        "/favicon.ico",
        "/arturia/subprocessors/extra",
    ] {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(
            html.contains("<html lang=\"en\">") && html.contains("Not found"),
            "{path}: {html}"
        );
    }
}

#[actix_web::test]
async fn a_bad_parameter_is_a_400_that_names_it() {
    let app = spawn_app().await;
    for (query, field, words) in [
        ("as_of=2024-13-01", "as_of", "is not a date"),
        ("country=XX", "country", "unknown country code"),
        ("category=cloud", "category", "unknown category"),
        ("flagged=perhaps", "flagged", "not true or false"),
    ] {
        let (status, html) = app
            .get_text(&format!("/arturia/subprocessors?{query}"))
            .await;
        assert_eq!(status, 400, "{query}");
        assert!(
            html.contains(&format!("Parameter {field}:")) && html.contains(words),
            "{query}: {html}"
        );

        for format in ["json", "csv", "atom"] {
            let response = app
                .get(&format!("/arturia/subprocessors.{format}?{query}"))
                .await;
            assert_eq!(response.status(), 400, "{format} {query}");
            assert_eq!(
                response.headers()["content-type"],
                "application/problem+json"
            );
            let problem: Value = response.json().await.unwrap();
            assert_eq!(problem["errors"][0]["field"], field);
            assert!(
                problem["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains(words)
            );
            assert_eq!(problem["title"], "Invalid parameter");
        }
    }
}

#[actix_web::test]
async fn the_csv_parses_one_row_per_transfer() {
    let app = spawn_app().await;
    let json = app
        .get_json("/jamendo/subprocessors.json?as_of=2020-01-01")
        .await;
    let response = app.get("/jamendo/subprocessors.csv?as_of=2020-01-01").await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let body = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "organisation");
    assert!(headers.iter().any(|h| h == "verdict") && headers.iter().any(|h| h == "reason"));
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
    let transfers: usize = json["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["transfers"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows.len(), transfers);
    assert!(rows.iter().all(|r| r.len() == headers.len()));
}

#[actix_web::test]
async fn the_atom_feed_is_well_formed_with_one_entry_per_change() {
    let app = spawn_app().await;
    let json = app.get_json("/arturia/subprocessors.json").await;
    let response = app.get("/arturia/subprocessors.atom").await;
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let body = response.text().await.unwrap();
    let doc = roxmltree::Document::parse(&body).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    let changes = json["changes"].as_array().unwrap().len()
        + json["upcoming_changes"].as_array().unwrap().len();
    assert_eq!(entries.len(), changes);
    assert!(!entries.is_empty());
    let entry = entries[0];
    for child in ["id", "title", "updated", "published", "content"] {
        assert!(
            entry.children().any(|n| n.has_tag_name(child)),
            "entry lacks {child}"
        );
    }
    let content = entry
        .children()
        .find(|n| n.has_tag_name("content"))
        .unwrap()
        .text()
        .unwrap();
    assert!(
        content.contains("Announced on") && content.contains("takes effect on"),
        "{content}"
    );
}

#[actix_web::test]
async fn every_public_response_has_validators_and_honours_them() {
    let app = spawn_app().await;
    for path in [
        "/arturia/subprocessors",
        "/arturia/subprocessors.json",
        "/arturia/subprocessors.csv",
        "/arturia/subprocessors.atom",
        "/static/style.css",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        let etag = response.headers()["etag"].to_str().unwrap().to_string();
        let last_modified = response.headers()["last-modified"]
            .to_str()
            .unwrap()
            .to_string();

        let again = app
            .client
            .get(format!("{}{path}", app.address))
            .header("If-None-Match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304, "{path} If-None-Match");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.bytes().await.unwrap().is_empty());

        let since = app
            .client
            .get(format!("{}{path}", app.address))
            .header("If-Modified-Since", &last_modified)
            .send()
            .await
            .unwrap();
        assert_eq!(since.status(), 304, "{path} If-Modified-Since");

        let stale = app
            .client
            .get(format!("{}{path}", app.address))
            .header("If-None-Match", "\"other\"")
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), 200, "{path} with another ETag");
    }
}

#[actix_web::test]
async fn pages_are_cached_until_the_organisation_changes() {
    let app = spawn_empty_app().await;
    let mut synthetic = seed::synthetic("acme", 5);
    app.load(&synthetic);

    let (_, first) = app.get_text("/acme/subprocessors").await;
    let before = app.statements();
    let (_, second) = app.get_text("/acme/subprocessors").await;
    assert_eq!(first, second);
    assert_eq!(
        app.statements() - before,
        1,
        "a cached page costs one revision check"
    );

    // A write through the registry (as `crossborder seed` does from another process) shows up.
    synthetic.vendors[0].name = "Renamed Vendor".into();
    app.load(&synthetic);
    let (_, third) = app.get_text("/acme/subprocessors").await;
    assert!(third.contains("Renamed Vendor"));
    assert!(!third.contains(">Vendor 00000<"));
}

#[actix_web::test]
async fn a_page_costs_the_same_number_of_queries_for_10_or_1000_vendors() {
    let app = spawn_empty_app().await;
    app.load(&seed::synthetic("small", 10));
    app.load(&seed::synthetic("large", 1000));

    let mut costs = Vec::new();
    for slug in ["small", "large"] {
        for format in ["", ".json", ".csv", ".atom"] {
            let before = app.statements();
            let response = app.get(&format!("/{slug}/subprocessors{format}")).await;
            assert_eq!(response.status(), 200);
            response.bytes().await.unwrap();
            costs.push((slug, format, app.statements() - before));
        }
    }
    let small: Vec<u64> = costs
        .iter()
        .filter(|c| c.0 == "small")
        .map(|c| c.2)
        .collect();
    let large: Vec<u64> = costs
        .iter()
        .filter(|c| c.0 == "large")
        .map(|c| c.2)
        .collect();
    assert_eq!(small, large, "{costs:?}");
    assert!(small.iter().all(|&n| n <= 12), "{costs:?}");
}

#[actix_web::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
}

#[actix_web::test]
async fn answers_carry_security_headers_and_the_workspace_cannot_be_framed() {
    let app = spawn_app().await;
    let public = app.get("/arturia/subprocessors").await;
    assert_eq!(public.headers()["x-content-type-options"], "nosniff");
    let policy = public.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(policy.contains("default-src 'self'") && policy.contains("form-action 'self'"));
    assert!(
        public.headers().get("x-frame-options").is_none(),
        "the public list may be embedded"
    );

    let login = app.get("/workspace/login").await;
    assert_eq!(login.headers()["x-frame-options"], "DENY");
    let policies: Vec<&str> = login
        .headers()
        .get_all("content-security-policy")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(policies.contains(&"frame-ancestors 'none'"), "{policies:?}");
    assert!(
        policies.iter().any(|p| p.contains("default-src 'self'")),
        "{policies:?}"
    );
}
