//! The memory between requests: one snapshot per organisation revision shared by the pages and
//! the API, one render per key however many ask at once, a cap in bytes, and an API read that
//! costs one statement (the revision and the revocation counter together).

use crossborder::auth::{Scope, clients};
use crossborder::registry::seed;
use reqwest::Method;

use crate::support::{TestApp, send, spawn_app_with, spawn_empty_app};

fn rename(app: &TestApp, slug: &str, synthetic: &seed::OrganisationSeed, name: &str) {
    let v = &synthetic.vendors[0];
    let (_, current) = crossborder::registry::vendor::find(&mut app.conn(), slug, &v.key)
        .unwrap()
        .unwrap();
    let current = current.unwrap();
    let fields = crossborder::registry::VendorFields {
        name: name.into(),
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
        (slug, &v.key),
        current.version,
        fields,
        &Default::default(),
        "test",
    )
    .unwrap();
}

async fn client_token(app: &TestApp, id: &str, secret: &str) -> String {
    let response = app
        .client
        .post(format!("{}/oauth/token", app.address))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_string()
}

#[actix_web::test]
async fn sixteen_concurrent_requests_after_a_write_cost_one_render_and_one_load() {
    let app = spawn_empty_app().await;
    let synthetic = seed::synthetic("acme", 200);
    app.load(&synthetic);
    app.get_text("/acme/subprocessors").await;
    rename(&app, "acme", &synthetic, "Renamed Vendor");

    let (renders, snapshots) = (app.state.cache.renders(), app.state.cache.snapshots());
    let requests = (0..16).map(|_| app.get_text("/acme/subprocessors"));
    let pages = futures_util::future::join_all(requests).await;
    assert!(pages.iter().all(|(status, _)| *status == 200));
    assert!(
        pages
            .iter()
            .all(|(_, page)| page.contains("Renamed Vendor"))
    );
    assert!(pages.iter().all(|(_, page)| *page == pages[0].1));
    assert_eq!(
        app.state.cache.renders() - renders,
        1,
        "one render for 16 requests"
    );
    assert_eq!(app.state.cache.snapshots() - snapshots, 1, "one load");

    // The API reads the same snapshot: no load again.
    let token = app.token("reader", "registry:read");
    let reply = send(app.api(
        Method::GET,
        "/api/v1/organisations/acme/vendors?limit=200",
        &token,
    ))
    .await;
    let names = reply.ok(200)["data"].to_string();
    assert!(names.contains("Renamed Vendor"));
    assert_eq!(
        app.state.cache.snapshots() - snapshots,
        1,
        "the API shares it"
    );
}

#[actix_web::test]
async fn a_tiny_cache_still_answers_right_and_a_small_one_stays_under_its_cap() {
    let app = spawn_app_with(|s| {
        s.seed_when_empty = false;
        s.cache_bytes = 1;
    })
    .await;
    let synthetic = seed::synthetic("acme", 20);
    app.load(&synthetic);
    let (status, first) = app.get_text("/acme/subprocessors.json").await;
    assert_eq!(status, 200);
    let (_, again) = app.get_text("/acme/subprocessors.json").await;
    assert_eq!(first, again);
    rename(&app, "acme", &synthetic, "Renamed Vendor");
    let (_, after) = app.get_text("/acme/subprocessors.json").await;
    assert!(after.contains("Renamed Vendor"));
    let token = app.token("reader", "registry:read");
    let reply = send(app.api(
        Method::GET,
        "/api/v1/organisations/acme/lookup?name=renamed",
        &token,
    ))
    .await;
    assert_eq!(reply.ok(200)["known"], true);
    let (_, bytes) = app.state.cache.usage().await;
    assert!(bytes <= 1, "nothing is kept over the cap: {bytes}");

    let cap = 300 * 1024;
    let app = spawn_app_with(|s| {
        s.seed_when_empty = false;
        s.cache_bytes = cap;
    })
    .await;
    app.load(&seed::synthetic("acme", 20));
    for day in 1..=40 {
        let path = format!("/acme/subprocessors?as_of=2025-01-{:02}", day % 28 + 1);
        let (status, _) = app.get_text(&format!("{path}&category=hosting")).await;
        assert_eq!(status, 200);
        app.get_text(&path).await;
    }
    // 56 renderings (28 days, two filters each) and the snapshot do not fit: the least
    // recently used went.
    let (entries, bytes) = app.state.cache.usage().await;
    assert!(bytes <= cap, "{bytes} bytes kept, over the cap of {cap}");
    assert!(entries > 1 && entries < 57, "{entries} entries kept");
    let (status, _) = app.get_text("/acme/subprocessors?as_of=2025-01-02").await;
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn a_cached_api_read_costs_one_statement() {
    let app = spawn_empty_app().await;
    app.load(&seed::synthetic("acme", 50));
    let (client, secret) = clients::create(
        &mut app.conn(),
        "tool",
        &[Scope::RegistryRead],
        None,
        "test",
    )
    .unwrap();
    let token = client_token(&app, &client.client_id, &secret).await;
    for path in [
        "/api/v1/organisations/acme/vendors",
        "/api/v1/organisations/acme/vendors?limit=5&flagged=true",
        "/api/v1/organisations/acme/lookup?name=vendor%2000001",
        "/api/v1/organisations/acme/transfers",
        "/api/v1/organisations/acme",
    ] {
        send(app.api(Method::GET, path, &token)).await.ok(200);
        let before = app.statements();
        send(app.api(Method::GET, path, &token)).await.ok(200);
        assert_eq!(
            app.statements() - before,
            1,
            "{path}: the revision and the revocation counter in one statement"
        );
    }
    let key = &seed::synthetic("acme", 50).vendors[3].key;
    let one = format!("/api/v1/organisations/acme/vendors/{key}");
    let first = send(app.api(Method::GET, &one, &token)).await;
    first.ok(200);
    let before = app.statements();
    let again = send(app.api(Method::GET, &one, &token)).await;
    again.ok(200);
    assert_eq!(app.statements() - before, 1);
    assert_eq!(first.etag, again.etag, "the vendor's version as ETag");

    // Revoked by the CLI: the next request is refused, the set re-read once.
    assert!(clients::revoke(&mut app.conn(), &client.client_id, "cli").unwrap());
    send(app.api(Method::GET, &one, &token)).await.problem(401);
}

/// A write makes a new revision: once its snapshot is built, what the old revision left (its
/// snapshot, pages, feeds) is dropped at once instead of waiting for the cap.
#[actix_web::test]
async fn a_new_snapshot_drops_what_the_old_revision_left() {
    let app = spawn_empty_app().await;
    let synthetic = seed::synthetic("acme", 30);
    app.load(&synthetic);
    let other = seed::synthetic("other", 5);
    app.load(&other);
    for path in [
        "/acme/subprocessors",
        "/acme/subprocessors.json",
        "/acme/subprocessors.csv",
        "/other/subprocessors",
    ] {
        assert_eq!(app.get_text(path).await.0, 200, "{path}");
    }
    let (before, _) = app.state.cache.usage().await;
    assert_eq!(before, 6, "two snapshots and four renderings");

    rename(&app, "acme", &synthetic, "Renamed Vendor");
    let (status, page) = app.get_text("/acme/subprocessors").await;
    assert_eq!(status, 200);
    assert!(page.contains("Renamed Vendor"));
    let (after, _) = app.state.cache.usage().await;
    assert_eq!(
        after, 4,
        "acme's new snapshot and page, and other's snapshot and page: acme's old four are gone"
    );
}

/// The snapshot of a large organisation is read on two connections at once (vendors on one,
/// versions and change log on the other): it must be the same as one read.
#[actix_web::test]
async fn records_read_on_two_connections_are_those_read_on_one() {
    use crossborder::registry::records;
    let app = spawn_empty_app().await;
    let synthetic = seed::synthetic("acme", 40);
    app.load(&synthetic);
    rename(&app, "acme", &synthetic, "Renamed Vendor");
    let one = records::load(&mut app.conn(), "acme").unwrap().unwrap();
    let two = records::load_on_two(&mut app.conn(), &mut app.conn(), "acme")
        .unwrap()
        .unwrap();
    assert_eq!(
        format!("{:?}", one.organisation),
        format!("{:?}", two.organisation)
    );
    assert_eq!(format!("{:?}", one.current), format!("{:?}", two.current));
    assert_eq!(format!("{:?}", one.changes), format!("{:?}", two.changes));
    assert_eq!(one.history.len(), two.history.len());
    for v in &one.current {
        assert_eq!(
            format!("{:?}", one.history.of_vendor(v.id)),
            format!("{:?}", two.history.of_vendor(v.id)),
            "{}",
            v.key
        );
    }
    assert!(
        records::load_on_two(&mut app.conn(), &mut app.conn(), "nobody")
            .unwrap()
            .is_none()
    );
}
