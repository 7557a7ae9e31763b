//! The public lists: every organisation has one, the index, the JSON's shape, dates and filters.

use super::{ORGANISATIONS, transfers_of};
use crate::support::{spawn_app, spawn_empty_app};
use crossborder::registry::seed;
use serde_json::Value;

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
