//! Vendors in the workspace (issue 17, point 5): a search across name, legal entity, website and
//! domain; long lists by pages; the key made from the name; a proposal withdrawn without a trace
//! on the public list; intake requests assessed, warned of a vendor on record and attached to it.

use crate::support::{
    TestApp, audited, file_intake, get_as, hidden, post_as, send, sign_in, spawn_app,
    spawn_empty_app, vendors_path,
};
use crossborder::auth::users::Role;
use crossborder::db::schema::{changes, vendors, versions};
use crossborder::registry::seed;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::json;

fn vendor_count(app: &TestApp) -> i64 {
    vendors::table.count().get_result(&mut app.conn()).unwrap()
}

/// How many vendor rows (links in the first column) a workspace list page shows.
fn rows_named(html: &str, prefix: &str) -> usize {
    html.matches(&format!("\">{prefix}")).count()
}

#[actix_web::test]
async fn the_search_reads_the_legal_entity_the_website_and_the_domain() {
    let app = spawn_app().await;
    let viewer = sign_in(&app, "viewer@example.com", Role::Viewer).await;
    let list = |query: &'static str| {
        let (app, viewer) = (&app, &viewer);
        async move {
            let (status, html) = get_as(app, viewer, &format!("/workspace/vendors{query}")).await;
            assert_eq!(status, 200, "{query}");
            html
        }
    };
    // Arturia's Google Analytics: legal entity Google LLC, at marketingplatform.google.com.
    for query in [
        "?q=google+llc",
        "?q=marketingplatform.google.com",
        "?q=https%3A%2F%2Fwww.marketingplatform.google.com%2Fx",
        "?q=google.com",
    ] {
        let html = list(query).await;
        assert!(html.contains(">Google Analytics</a>"), "{query}");
        assert!(!html.contains(">Facebook</a>"), "{query}");
    }
    let facebook = list("?q=facebook.com").await;
    assert!(facebook.contains(">Facebook</a>") && !facebook.contains(">Google Analytics</a>"));
    assert!(facebook.contains("Name, legal entity, website or domain"));

    // The API's `q` reads the same fields.
    let token = app.token("reader", "registry:read");
    let path = format!("{}?q=google.com", vendors_path("arturia"));
    let found = send(app.api(Method::GET, &path, &token)).await;
    let keys: Vec<&str> = found.ok(200)["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["google-analytics"]);
}

#[actix_web::test]
async fn long_lists_come_by_pages_with_previous_and_next_links() {
    let app = spawn_empty_app().await;
    app.load(&seed::synthetic("acme", 120));
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;

    let (_, first) = get_as(&app, &editor, "/workspace/vendors").await;
    assert!(first.contains("120 vendor(s) found"));
    assert_eq!(rows_named(&first, "Vendor 0"), 50);
    assert!(first.contains(">Vendor 00000<") && first.contains(">Vendor 00049<"));
    assert!(!first.contains(">Vendor 00050<"));
    assert!(first.contains("href=\"/workspace/vendors?page=2\" rel=\"next\""));
    assert!(!first.contains("rel=\"prev\""));

    // Every vendor once, in the list's order, over the three pages.
    let mut seen = 0;
    for (page, rows) in [(1, 50), (2, 50), (3, 20)] {
        let (status, html) =
            get_as(&app, &editor, &format!("/workspace/vendors?page={page}")).await;
        assert_eq!(status, 200);
        assert_eq!(rows_named(&html, "Vendor 0"), rows, "page {page}");
        assert!(html.contains(&format!(">Vendor {seen:05}<")), "page {page}");
        assert!(html.contains(&format!("Page {page} of 3")));
        seen += rows;
    }
    let (_, last) = get_as(&app, &editor, "/workspace/vendors?page=99").await;
    assert!(last.contains(">Vendor 00119<") && last.contains("rel=\"prev\""));

    // The query is kept from page to page; a short result has no pages.
    let (_, searched) = get_as(
        &app,
        &editor,
        "/workspace/vendors?q=vendor+000&status=active",
    )
    .await;
    assert!(searched.contains("100 vendor(s) found"), "00000-00099");
    assert!(
        searched.contains("href=\"/workspace/vendors?q=vendor+000&amp;status=active&amp;page=2\"")
    );
    let (_, few) = get_as(&app, &editor, "/workspace/vendors?q=vendor+0011").await;
    assert_eq!(rows_named(&few, "Vendor 0"), 10);
    assert!(!few.contains("rel=\"next\""));

    // The decided intake requests too.
    let org: i32 = crossborder::db::schema::organisations::table
        .select(crossborder::db::schema::organisations::id)
        .first(&mut app.conn())
        .unwrap();
    let _ = org;
    for n in 0..55 {
        let token = app.token("tool", "intake:write");
        let request = app
            .api(Method::POST, "/api/v1/intake", &token)
            .json(&json!({
                "organisation": "acme",
                "vendor_name": format!("Tool {n:02}"),
                "purpose": "Trial",
                "countries": ["DE"],
                "data_categories": ["contact"],
                "requester": "it",
            }));
        let id = send(request).await.ok(201)["id"].as_i64().unwrap() as i32;
        crossborder::registry::intake::reject(&mut app.conn(), id, None, "Not needed", "test")
            .unwrap();
    }
    let (_, intake) = get_as(&app, &editor, "/workspace/intake").await;
    assert!(intake.contains("(page 1 of 2, 55 in all)"), "{intake}");
    assert!(intake.contains("href=\"/workspace/intake?page=2\" rel=\"next\""));
    let (_, second) = get_as(&app, &editor, "/workspace/intake?page=2").await;
    assert_eq!(second.matches("class=\"vendor-name\"").count(), 5);
    assert!(
        second.contains("Tool 00") && !second.contains("Tool 54"),
        "oldest last"
    );
}

#[actix_web::test]
async fn a_key_left_empty_is_made_from_the_name_and_kept_unique() {
    let app = spawn_app().await;
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let (_, form) = get_as(&app, &editor, "/workspace/arturia/vendors/new").await;
    assert!(form.contains("Left empty, it is made from the name"));
    let add = |name: &'static str| {
        let (app, editor) = (&app, &editor);
        async move {
            post_as(
                app,
                editor,
                "/workspace/arturia/vendors/new",
                &[
                    ("csrf", &editor.csrf),
                    ("name", name),
                    ("key", ""),
                    ("role", "processor"),
                    ("categories", "payments"),
                    ("purpose", "Card payments"),
                    ("transfer_country", "IE"),
                    ("transfer_data", "payment"),
                ],
            )
            .await
        }
    };
    let first = add("Stripe, Inc.").await;
    assert_eq!(first.status(), 303);
    assert_eq!(
        first.headers()["location"],
        "/workspace/arturia/vendors/stripe-inc"
    );
    let second = add("Stripe Inc").await;
    assert_eq!(
        second.headers()["location"],
        "/workspace/arturia/vendors/stripe-inc-2"
    );
    // No name, no key: the name is asked for, nothing is added.
    let before = vendor_count(&app);
    let refused = add("").await;
    assert_eq!(refused.status(), 422);
    assert_eq!(vendor_count(&app), before);
}

#[actix_web::test]
async fn a_proposal_is_withdrawn_kept_audited_and_never_published() {
    let app = spawn_app().await;
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let created = post_as(
        &app,
        &editor,
        "/workspace/arturia/vendors/new",
        &[
            ("csrf", &editor.csrf),
            ("name", "Acme Chat"),
            ("key", "acme-chat"),
            ("role", "processor"),
            ("categories", "support"),
            ("purpose", "Live chat"),
            ("status", "proposed"),
            ("transfer_country", "US"),
            ("transfer_data", "contact"),
        ],
    )
    .await;
    assert_eq!(created.status(), 303);
    let base = "/workspace/arturia/vendors/acme-chat";
    let (_, page) = get_as(&app, &editor, base).await;
    assert!(page.contains(&format!("href=\"{base}/withdraw\"")));
    let changes_before: i64 = changes::table.count().get_result(&mut app.conn()).unwrap();
    let vendors_before = vendor_count(&app);

    let (_, form) = get_as(&app, &editor, &format!("{base}/withdraw")).await;
    assert!(form.contains("never on the public list"));
    let version = hidden(&form, "version");
    let withdraw = |version: String| {
        let (app, editor) = (&app, &editor);
        async move {
            post_as(
                app,
                editor,
                &format!("{base}/withdraw"),
                &[
                    ("csrf", &editor.csrf),
                    ("version", &version),
                    ("reason", "Too costly"),
                ],
            )
            .await
        }
    };
    let done = withdraw(version.clone()).await;
    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], base);

    // Kept, marked, audited; nothing public: no version, no change-log entry.
    assert_eq!(vendor_count(&app), vendors_before);
    let (_, page) = get_as(&app, &editor, base).await;
    assert!(
        page.contains("Withdrawn on") && page.contains("Too costly"),
        "{page}"
    );
    assert!(!page.contains("/withdraw\""));
    let events = audited(&app, "vendor", "withdraw");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].3.as_ref().unwrap()["status"], "withdrawn");
    let id: i32 = vendors::table
        .filter(vendors::key.eq("acme-chat"))
        .select(vendors::id)
        .first(&mut app.conn())
        .unwrap();
    let published: i64 = versions::table
        .filter(versions::vendor_id.eq(id))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(published, 0);
    let changes_after: i64 = changes::table.count().get_result(&mut app.conn()).unwrap();
    assert_eq!(changes_after, changes_before);
    for path in ["/arturia/subprocessors.json", "/arturia/subprocessors.atom"] {
        let (_, body) = app.get_text(path).await;
        assert!(!body.contains("Acme Chat"), "{path}");
    }

    // Twice is refused, and so is an edit of what was withdrawn; nothing changes.
    let again = withdraw((version.parse::<i32>().unwrap() + 1).to_string()).await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("withdrawn already"));
    let token = app.token("tool", "registry:write");
    let transfer = json!({"country": "DE", "data_categories": ["contact"], "mechanisms": []});
    let path = format!("{}/acme-chat/transfers", vendors_path("arturia"));
    send(app.api(Method::POST, &path, &token).json(&transfer))
        .await
        .problem(409);

    // What the public saw is retired, not withdrawn (the API says the same).
    let path = format!("{}/google-analytics/withdraw", vendors_path("arturia"));
    let refused = send(
        app.api(Method::POST, &path, &token)
            .header("If-Match", "\"1\"")
            .json(&json!({})),
    )
    .await;
    let problem = refused.problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("retire it instead"),
        "{problem}"
    );
    assert_eq!(audited(&app, "vendor", "withdraw").len(), 1);
}

#[actix_web::test]
async fn the_api_withdraws_a_proposal_with_if_match() {
    let app = spawn_app().await;
    let token = app.token("tool", "registry:write");
    let vendor = crate::support::new_vendor("trial-tool", "Trial Tool");
    crate::support::create_vendor(&app, &token, "arturia", &vendor)
        .await
        .ok(201);
    let path = format!("{}/trial-tool/withdraw", vendors_path("arturia"));
    let body = json!({"reason": "The trial ended"});
    send(app.api(Method::POST, &path, &token).json(&body))
        .await
        .problem(428);
    let done = send(
        app.api(Method::POST, &path, &token)
            .header("If-Match", "\"1\"")
            .json(&body),
    )
    .await;
    let out = done.ok(200);
    assert_eq!(out["status"], "withdrawn");
    assert!(
        out["notes"]
            .as_str()
            .unwrap_or_default()
            .contains("The trial ended")
            || out.get("notes").is_none()
    );
    assert_eq!(done.etag.as_deref(), Some("\"2\""));
}

#[actix_web::test]
async fn an_intake_request_is_assessed_warned_and_attached_to_the_vendor_on_record() {
    let app = spawn_app().await;
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    // Arturia (FR) has Google Analytics: the same name, folded.
    let id = file_intake(&app, "google analytics", &["US", "IE"], &["usage"]).await;
    let (_, html) = get_as(&app, &editor, "/workspace/intake").await;
    let request = &html[html.find(&format!("id=\"request-{id}\"")).unwrap()..];
    // What is asked, assessed today with no safeguard yet: the US flagged, Ireland inside.
    assert!(request.contains("No safeguard"), "{request}");
    assert!(request.contains("Inside the EEA"), "{request}");
    assert!(request.contains("This vendor may be on record already"));
    assert!(request.contains("href=\"/workspace/arturia/vendors/google-analytics\""));
    assert!(request.contains(&format!("action=\"/workspace/intake/{id}/attach\"")));

    // Attached to a vendor that is not there: refused, named, nothing changed.
    let vendors_before = vendor_count(&app);
    let attach = |vendor: &'static str| {
        let (app, editor) = (&app, &editor);
        async move {
            post_as(
                app,
                editor,
                &format!("/workspace/intake/{id}/attach"),
                &[
                    ("csrf", &editor.csrf),
                    ("version", "1"),
                    ("vendor", vendor),
                    ("reason", ""),
                ],
            )
            .await
        }
    };
    let refused = attach("no-such-vendor").await;
    assert_eq!(refused.status(), 409);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("no vendor 'no-such-vendor'")
    );
    assert!(audited(&app, "intake_request", "attach").is_empty());

    let done = attach("google-analytics").await;
    assert_eq!(done.status(), 303);
    assert_eq!(vendor_count(&app), vendors_before, "no google-analytics-2");
    let token = app.token("reader", "registry:read");
    let status = send(app.api(Method::GET, &format!("/api/v1/intake/{id}"), &token)).await;
    let status = status.ok(200);
    assert_eq!(status["status"], "approved");
    assert!(
        status["decision_reason"]
            .as_str()
            .unwrap()
            .contains("Attached to the existing vendor Google Analytics (google-analytics)"),
        "{status}"
    );
    let events = audited(&app, "intake_request", "attach");
    assert_eq!(events.len(), 1);
    let (_, html) = get_as(&app, &editor, "/workspace/intake").await;
    assert!(html.contains(
        "<a href=\"/workspace/arturia/vendors/google-analytics\"><code>google-analytics</code></a>"
    ));

    // The same domain also warns, whatever the name.
    let token = app.token("tool", "intake:write");
    let request = app
        .api(Method::POST, "/api/v1/intake", &token)
        .json(&json!({
            "organisation": "arturia",
            "vendor_name": "Meta Pixel",
            "website": "https://facebook.com/business",
            "purpose": "Ads",
            "countries": ["US"],
            "data_categories": ["usage"],
            "requester": "marketing",
        }));
    let other = send(request).await.ok(201)["id"].as_i64().unwrap();
    let (_, html) = get_as(&app, &editor, "/workspace/intake").await;
    let request = &html[html.find(&format!("id=\"request-{other}\"")).unwrap()..];
    assert!(request.contains("href=\"/workspace/arturia/vendors/facebook\""));
    assert!(request.contains("same domain"));
}
