//! Validators honoured, pages cached until the organisation changes, and a page's cost in
//! queries independent of the number of vendors.

use crate::support::{spawn_app, spawn_empty_app};
use crossborder::registry::seed;

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
    app.load(&seed::synthetic("acme", 5));

    let (_, first) = app.get_text("/acme/subprocessors").await;
    let before = app.statements();
    let (_, second) = app.get_text("/acme/subprocessors").await;
    assert_eq!(first, second);
    assert_eq!(
        app.statements() - before,
        1,
        "a cached page costs one revision check"
    );

    // A write through the registry (as `crossborder seed` does from another process, adding a
    // vendor) shows up.
    assert!(!second.contains("Vendor 00005"));
    app.load(&seed::synthetic("acme", 6));
    let (_, third) = app.get_text("/acme/subprocessors").await;
    assert!(third.contains("Vendor 00005"));
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
