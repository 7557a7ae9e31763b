//! Validators honoured, pages cached until the organisation changes, and a page's cost in
//! queries independent of the number of vendors.

use std::time::Duration;

use crate::support::{spawn_app, spawn_app_with, spawn_empty_app};
use crossborder::db::Database;
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
    let synthetic = seed::synthetic("acme", 5);
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

    // A write through the registry (as another process or instance makes it) shows up.
    let v = &synthetic.vendors[0];
    let fields = crossborder::registry::VendorFields {
        name: "Renamed Vendor".into(),
        legal_entity: v.legal_entity.clone(),
        website: None,
        headquarters: v.headquarters,
        role: v.role,
        categories: v.categories.clone(),
        purpose: v.purpose.clone(),
        status: None,
        active_from: None,
        dpa_signed_on: None,
        dpa_url: None,
        notes: None,
    };
    crossborder::registry::vendor::update(
        &mut app.conn(),
        ("acme", &v.key),
        1,
        fields,
        &Default::default(),
        "test",
    )
    .unwrap();
    let (_, third) = app.get_text("/acme/subprocessors").await;
    assert!(third.contains("Renamed Vendor"));
    assert!(!third.contains(">Vendor 00000<"));
}

#[actix_web::test]
async fn a_page_costs_the_same_number_of_queries_for_10_or_1000_vendors() {
    // The revision read on every request, so that each request's count does not depend on how
    // long the one before took.
    let app = spawn_app_with(|s| {
        s.seed_when_empty = false;
        s.cache_recheck = Duration::ZERO;
    })
    .await;
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
    // 13 on one connection; the snapshot is read on two at once when the pool has a second free
    // (`records::load_on_two`), and the second reads the organisation in its own transaction.
    assert!(small.iter().all(|&n| n <= 16), "{costs:?}");
}

#[actix_web::test]
async fn a_cached_page_is_served_without_a_query_and_writes_are_seen_at_once_or_within_the_recheck()
{
    let recheck = Duration::from_millis(500);
    let app = spawn_app_with(|s| {
        s.seed_when_empty = false;
        s.cache_recheck = recheck;
    })
    .await;
    app.load(&seed::synthetic("acme", 3));
    let page = "/acme/subprocessors";
    assert!(app.get_text(page).await.1.contains("Vendor 00001"));
    // Reading the records was a (read) transaction: counted as a commit, it made this one read
    // the revision again.
    assert_eq!(app.get(page).await.status(), 200);

    // Within the recheck, with nothing written: no query at all.
    let before = app.statements();
    assert_eq!(app.get(page).await.status(), 200);
    assert_eq!(app.statements(), before, "a cached page read the database");

    // A write through this instance is seen by the next request, whatever the recheck.
    app.load(&seed::synthetic("acme", 4));
    assert!(app.get_text(page).await.1.contains("Vendor 00003"));

    // A write by another process (here: a pool of its own, as `crossborder` on the command line
    // or another instance has) is seen once the recheck has passed.
    let url = crossborder::db::DatabaseUrl::parse(&app.database.url).unwrap();
    let other = Database::connect(&url).unwrap();
    seed::apply(
        &mut other.get().unwrap(),
        &seed::synthetic("acme", 5),
        "cli",
    )
    .unwrap();
    let written = std::time::Instant::now();
    loop {
        if app.get_text(page).await.1.contains("Vendor 00004") {
            break;
        }
        assert!(
            written.elapsed() < recheck * 4,
            "another process's write not seen after {:?}",
            written.elapsed()
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}
