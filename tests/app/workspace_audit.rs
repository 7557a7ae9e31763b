//! The workspace's audit log (page with filters, CSV) and intake review (approve, reject), and
//! the audit log's one promise: rows are only ever appended.

use std::collections::HashMap;

use crate::support::{
    PASSWORD, TestApp, create_user, get_as, get_response, log_in, post_as, post_login, send,
    sign_in, spawn_app, vendors_path,
};
use chrono::{Duration, NaiveDateTime};
use crossborder::auth::users::Role;
use crossborder::db::schema::{audit_events, organisations, vendors};
use crossborder::registry::intake;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

// --- The audit log as stored ---

type Row = (
    i32,
    NaiveDateTime,
    String,
    String,
    String,
    Option<i32>,
    Option<i32>,
    Option<String>,
    Option<String>,
);

fn all_rows(app: &TestApp) -> Vec<Row> {
    audit_events::table
        .order(audit_events::id.asc())
        .select((
            audit_events::id,
            audit_events::occurred_at,
            audit_events::actor,
            audit_events::action,
            audit_events::entity,
            audit_events::entity_id,
            audit_events::organisation_id,
            audit_events::before,
            audit_events::after,
        ))
        .load(&mut app.conn())
        .unwrap()
}

/// Newest first, as the page and the CSV order them.
fn newest_first(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
    rows
}

fn checksum(rows: &[Row]) -> String {
    let mut hash = Sha256::new();
    for row in rows {
        hash.update(format!("{row:?}\n").as_bytes());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn org_ids(app: &TestApp) -> HashMap<String, i32> {
    organisations::table
        .select((organisations::slug, organisations::id))
        .load::<(String, i32)>(&mut app.conn())
        .unwrap()
        .into_iter()
        .collect()
}

/// The event ids a page shows, in order.
fn event_ids(html: &str) -> Vec<i32> {
    html.split("id=\"event-")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].parse().unwrap())
        .collect()
}

fn ids(rows: &[Row]) -> Vec<i32> {
    rows.iter().map(|r| r.0).collect()
}

// --- The audit log page ---

#[actix_web::test]
async fn the_audit_log_lists_the_seed_newest_first_and_filters_narrow_it() {
    let app = spawn_app().await;
    let session = sign_in(&app, "viewer@example.com", Role::Viewer).await;
    let seeded = newest_first(all_rows(&app));
    assert!(seeded.iter().any(|r| r.2 == "seed" && r.4 == "vendor"));
    assert!(
        seeded
            .iter()
            .any(|r| r.2 == "seed" && r.4 == "organisation")
    );
    let (status, html) = get_as(&app, &session, "/workspace/audit").await;
    assert_eq!(status, 200);
    assert_eq!(
        event_ids(&html),
        ids(&seeded),
        "every row of the seed, newest first"
    );
    assert!(!html.contains("rel=\"next\""), "one page");

    // More than a page: intake requests filed by a tool.
    for i in 0..(120 - seeded.len().min(100)) {
        let countries = ["US".to_string()];
        let new = intake::NewIntake {
            vendor_name: &format!("Vendor {i}"),
            website: None,
            purpose: "Testing",
            countries: &countries,
            data_categories: &[],
            requester: "qa",
        };
        intake::create(&mut app.conn(), "jamendo", &new, "tool:loader")
            .unwrap()
            .unwrap();
    }
    let rows = newest_first(all_rows(&app));
    assert!(rows.len() > 100);

    let (status, html) = get_as(&app, &session, "/workspace/audit").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!(
            "Audit events 1–100 of {}, newest first",
            rows.len()
        )),
        "caption"
    );
    assert_eq!(
        event_ids(&html),
        ids(&rows[..100]),
        "the first page: the 100 newest events"
    );
    for label in [
        "<th scope=\"col\">Time (UTC)</th>",
        "<caption>",
        "<label for=\"f-actor\">",
        "href=\"/workspace/audit.csv\"",
    ] {
        assert!(html.contains(label), "{label}");
    }
    assert!(html.contains("Download CSV"));
    assert!(html.contains("rel=\"next\""), "a link to the older events");
    // Before and after: a creation shows the new record, pretty-printed.
    assert!(html.contains("<details class=\"audit-change\">") && html.contains("New record"));

    let (status, html) = get_as(&app, &session, "/workspace/audit?page=2").await;
    assert_eq!(status, 200);
    assert_eq!(
        event_ids(&html),
        ids(&rows[100..rows.len().min(200)]),
        "the second page"
    );
    assert!(html.contains("rel=\"prev\""));

    // Each filter narrows to exactly the matching rows.
    let orgs = org_ids(&app);
    let arturia = orgs["arturia"];
    type Wanted = Box<dyn Fn(&Row) -> bool>;
    let cases: Vec<(&str, Wanted)> = vec![
        (
            "entity=organisation",
            Box::new(|r: &Row| r.4 == "organisation"),
        ),
        ("entity=user", Box::new(|r: &Row| r.4 == "user")),
        ("action=login", Box::new(|r: &Row| r.3 == "login")),
        (
            "entity=intake_request&actor=loader",
            Box::new(|r: &Row| r.4 == "intake_request"),
        ),
        (
            "actor=VIEWER%40example",
            Box::new(|r: &Row| r.2.to_lowercase().contains("viewer@example")),
        ),
        (
            "organisation=arturia&entity=vendor",
            Box::new(move |r: &Row| r.6 == Some(arturia) && r.4 == "vendor"),
        ),
        ("actor=%25", Box::new(|r: &Row| r.2.contains('%'))),
    ];
    for (query, wanted) in cases {
        let expected: Vec<i32> = rows
            .iter()
            .filter(|r| wanted(r))
            .map(|r| r.0)
            .take(100)
            .collect();
        let (status, html) = get_as(&app, &session, &format!("/workspace/audit?{query}")).await;
        assert_eq!(status, 200, "{query}");
        assert_eq!(event_ids(&html), expected, "{query}");
        assert!(expected.len() < rows.len(), "{query} narrows");
        assert_eq!(
            expected.is_empty(),
            query == "actor=%25",
            "{query} matches some rows"
        );
    }
    assert!(
        !rows.iter().any(|r| r.2.contains('%')),
        "'%' is matched literally: no row"
    );

    // Dates: today's events are all there; none before or after.
    let today = rows[0].1.date();
    let (_, html) = get_as(
        &app,
        &session,
        &format!("/workspace/audit?from={today}&to={today}"),
    )
    .await;
    let expected_today: Vec<i32> = rows
        .iter()
        .filter(|r| r.1.date() == today)
        .map(|r| r.0)
        .take(100)
        .collect();
    assert_eq!(event_ids(&html), expected_today);
    let tomorrow = today + Duration::days(1);
    let (status, html) = get_as(&app, &session, &format!("/workspace/audit?from={tomorrow}")).await;
    assert_eq!(status, 200);
    assert!(event_ids(&html).is_empty() && html.contains("none match these filters"));
    let yesterday = today - Duration::days(1);
    let (_, html) = get_as(&app, &session, &format!("/workspace/audit?to={yesterday}")).await;
    assert!(event_ids(&html).is_empty());
}

#[actix_web::test]
async fn the_csv_holds_the_same_rows_as_the_page() {
    let app = spawn_app().await;
    let session = sign_in(&app, "viewer@example.com", Role::Viewer).await;
    let rows = newest_first(all_rows(&app));
    let slugs: HashMap<i32, String> = org_ids(&app).into_iter().map(|(s, id)| (id, s)).collect();

    for query in [
        "",
        "organisation=qobuz&entity=vendor&action=create",
        "entity=user",
    ] {
        let response = get_response(&app, &session, &format!("/workspace/audit.csv?{query}")).await;
        assert_eq!(response.status(), 200, "{query}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let body = response.bytes().await.unwrap();
        let mut reader = csv::Reader::from_reader(body.as_ref());
        assert_eq!(
            reader.headers().unwrap(),
            vec![
                "occurred_at",
                "actor",
                "action",
                "entity",
                "entity_id",
                "organisation",
                "before",
                "after"
            ]
        );
        let records: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        let wanted: Vec<&Row> = rows
            .iter()
            .filter(|r| match query {
                "" => true,
                "entity=user" => r.4 == "user",
                _ => {
                    r.4 == "vendor"
                        && r.3 == "create"
                        && r.6.and_then(|id| slugs.get(&id)).map(String::as_str) == Some("qobuz")
                }
            })
            .collect();
        assert!(!wanted.is_empty(), "{query}");
        let expected: Vec<Vec<String>> = wanted
            .iter()
            .map(|r| {
                vec![
                    r.1.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string(),
                    r.2.clone(),
                    r.3.clone(),
                    r.4.clone(),
                    r.5.map(|i| i.to_string()).unwrap_or_default(),
                    r.6.map(|i| slugs[&i].clone()).unwrap_or_default(),
                    r.7.clone().unwrap_or_default(),
                    r.8.clone().unwrap_or_default(),
                ]
            })
            .collect();
        assert_eq!(records, expected, "CSV of '{query}'");
        // The page shows the same events, newest first (its first page of them).
        let (_, html) = get_as(&app, &session, &format!("/workspace/audit?{query}")).await;
        let on_page: Vec<i32> = wanted.iter().map(|r| r.0).take(100).collect();
        assert_eq!(event_ids(&html), on_page, "the page of '{query}'");
        // Every document in the CSV is the JSON stored, intact.
        for r in &records {
            for doc in [&r[6], &r[7]] {
                if !doc.is_empty() {
                    serde_json::from_str::<Value>(doc).expect("JSON in the CSV");
                }
            }
        }
    }
    assert!(rows.iter().any(|r| r.4 == "vendor"
        && r.6.and_then(|id| slugs.get(&id)).map(String::as_str) == Some("qobuz")));
}

#[actix_web::test]
async fn a_bad_filter_is_shown_next_to_its_field_never_a_500() {
    let app = spawn_app().await;
    let session = sign_in(&app, "viewer@example.com", Role::Viewer).await;
    let (status, html) = get_as(
        &app,
        &session,
        "/workspace/audit?from=2024-13-45&actor=seed",
    )
    .await;
    assert_eq!(status, 400);
    assert!(
        html.contains("id=\"f-from-error\""),
        "the error is tied to the field"
    );
    assert!(
        html.contains("&#39;2024-13-45&#39; is not a date")
            || html.contains("'2024-13-45' is not a date"),
        "{html}"
    );
    assert!(
        html.contains("aria-describedby=\"f-from-error\"")
            && html.contains("aria-invalid=\"true\"")
    );
    assert!(
        html.contains("value=\"seed\""),
        "the other filters are kept"
    );
    assert!(event_ids(&html).is_empty());

    let (status, html) = get_as(
        &app,
        &session,
        "/workspace/audit?from=2024-05-02&to=2024-05-01",
    )
    .await;
    assert_eq!(status, 400);
    assert!(html.contains("id=\"f-to-error\"") && html.contains("is before the start date"));

    for query in [
        "to=yesterday",
        "from=2024-1-5",
        "page=0",
        "page=x",
        "organisation=nobody",
        "from=%FF",
    ] {
        let (status, _) = get_as(&app, &session, &format!("/workspace/audit?{query}")).await;
        assert_eq!(status, 400, "{query}");
    }
    let (status, html) = get_as(&app, &session, "/workspace/audit?organisation=nobody").await;
    assert_eq!(status, 400);
    assert!(
        html.contains("id=\"f-organisation-error\"") && html.contains("There is no organisation")
    );

    let response = get_response(&app, &session, "/workspace/audit.csv?to=2024-02-30").await;
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "to");
}

#[actix_web::test]
async fn the_audit_log_needs_a_session() {
    let app = spawn_app().await;
    for path in [
        "/workspace/audit",
        "/workspace/audit.csv",
        "/workspace/intake",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        assert!(
            response.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/workspace/login?next=")
        );
    }
}

// --- Intake review ---

async fn file_intake(app: &TestApp, name: &str, countries: &[&str], categories: &[&str]) -> i64 {
    let token = app.token("tool", "intake:write");
    let request = app
        .api(Method::POST, "/api/v1/intake", &token)
        .json(&json!({
            "organisation": "arturia",
            "vendor_name": name,
            "website": "https://example.com",
            "purpose": "Card payments",
            "countries": countries,
            "data_categories": categories,
            "requester": "finance",
        }));
    send(request).await.ok(201)["id"].as_i64().unwrap()
}

async fn intake_status(app: &TestApp, id: i64) -> Value {
    let token = app.token("reader", "registry:read");
    let path = format!("/api/v1/intake/{id}");
    send(app.api(Method::GET, &path, &token))
        .await
        .ok(200)
        .clone()
}

async fn api_vendor(app: &TestApp, key: &str) -> (u16, Value) {
    let token = app.token("reader", "registry:read");
    let path = format!("{}/{key}", vendors_path("arturia"));
    let reply = send(app.api(Method::GET, &path, &token)).await;
    (reply.status, reply.body)
}

fn vendor_count(app: &TestApp) -> i64 {
    vendors::table.count().get_result(&mut app.conn()).unwrap()
}

#[actix_web::test]
async fn approving_a_request_creates_a_proposed_vendor_once() {
    let app = spawn_app().await;
    let id = file_intake(
        &app,
        "Stripé Payments",
        &["US", "IE"],
        &["payment", "contact"],
    )
    .await;
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;

    let (status, html) = get_as(&app, &editor, "/workspace/intake").await;
    assert_eq!(status, 200);
    assert!(html.contains("Stripé Payments") && html.contains("United States"));
    assert!(html.contains(&format!("action=\"/workspace/intake/{id}/approve\"")));
    assert!(html.contains(&format!("<label for=\"reject-{id}-reason\">")));
    let vendors_before = vendor_count(&app);
    let audit_before = all_rows(&app).len();

    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{id}/approve"),
        &[
            ("csrf", &editor.csrf),
            ("version", "1"),
            ("reason", "Needed for the shop"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/workspace/intake");

    let request = intake_status(&app, id).await;
    assert_eq!(request["status"], "approved");
    assert_eq!(request["decision_reason"], "Needed for the shop");
    assert_eq!(
        request["vendor"], "stripe-payments",
        "the API names the vendor"
    );
    let (status, vendor) = api_vendor(&app, "stripe-payments").await;
    assert_eq!(status, 200, "the proposed vendor exists: {vendor}");
    assert_eq!(vendor["name"], "Stripé Payments");
    assert_eq!(vendor["status"], "proposed");
    assert_eq!(vendor["role"], "processor");
    assert_eq!(vendor["categories"], json!(["other"]));
    assert_eq!(vendor["website"], "https://example.com");
    assert_eq!(vendor["purpose"], "Card payments");
    let transfers = vendor["transfers"].as_array().unwrap();
    let countries: Vec<&str> = transfers
        .iter()
        .map(|t| t["country"].as_str().unwrap())
        .collect();
    assert_eq!(countries, ["US", "IE"]);
    for t in transfers {
        assert_eq!(t["data_categories"], json!(["contact", "payment"]));
        assert_eq!(t["mechanisms"], json!([]));
    }
    assert_eq!(vendor_count(&app), vendors_before + 1);

    // Audited with the reviewer's name: the vendor created, the request before and after.
    let rows = all_rows(&app);
    let new: Vec<&Row> = rows[audit_before..].iter().collect();
    let decision = new
        .iter()
        .find(|r| r.4 == "intake_request")
        .expect("the decision is audited");
    assert_eq!(
        (decision.2.as_str(), decision.3.as_str(), decision.5),
        ("user:editor@example.com", "approve", Some(id as i32))
    );
    let before: Value = serde_json::from_str(decision.7.as_deref().unwrap()).unwrap();
    let after: Value = serde_json::from_str(decision.8.as_deref().unwrap()).unwrap();
    assert_eq!(
        (before["status"].as_str(), after["status"].as_str()),
        (Some("pending"), Some("approved"))
    );
    assert!(after["vendor_id"].is_i64());
    assert!(
        new.iter()
            .any(|r| r.4 == "vendor" && r.3 == "create" && r.2 == "user:editor@example.com")
    );

    // The page shows the decision below.
    let (_, html) = get_as(&app, &editor, "/workspace/intake").await;
    assert!(!html.contains(&format!("action=\"/workspace/intake/{id}/approve\"")));
    assert!(html.contains("Approved") && html.contains("<code>stripe-payments</code>"));

    // Approving again (the same form, sent twice): a message, nothing changed.
    let audit_count = all_rows(&app).len();
    for version in ["1", ""] {
        let response = post_as(
            &app,
            &editor,
            &format!("/workspace/intake/{id}/approve"),
            &[("csrf", &editor.csrf), ("version", version)],
        )
        .await;
        assert_eq!(response.status(), 409);
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!(
                "Intake request #{id} was approved already; nothing was changed"
            )),
            "{html}"
        );
    }
    // Rejecting a decided request does not change it either.
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{id}/reject"),
        &[("csrf", &editor.csrf), ("reason", "No")],
    )
    .await;
    assert_eq!(response.status(), 409);
    assert_eq!(vendor_count(&app), vendors_before + 1, "no second vendor");
    assert_eq!(api_vendor(&app, "stripe-payments-2").await.0, 404);
    assert_eq!(
        all_rows(&app).len(),
        audit_count,
        "nothing audited: nothing happened"
    );
    assert_eq!(intake_status(&app, id).await["status"], "approved");

    // A second request for a vendor of the same name gets a key of its own.
    let second = file_intake(&app, "Stripe payments!", &["FR"], &[]).await;
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{second}/approve"),
        &[("csrf", &editor.csrf), ("version", "1")],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (status, vendor) = api_vendor(&app, "stripe-payments-2").await;
    assert_eq!(status, 200);
    assert_eq!(vendor["transfers"][0]["country"], "FR");
    assert_eq!(
        intake_status(&app, second).await["decision_reason"],
        Value::Null
    );

    // An unknown request.
    let response = post_as(
        &app,
        &editor,
        "/workspace/intake/999999/approve",
        &[("csrf", &editor.csrf)],
    )
    .await;
    assert_eq!(response.status(), 404);
}

#[actix_web::test]
async fn a_stale_form_is_refused() {
    let app = spawn_app().await;
    let id = file_intake(&app, "Acme Cloud", &["US"], &["usage"]).await;
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{id}/approve"),
        &[("csrf", &editor.csrf), ("version", "7")],
    )
    .await;
    assert_eq!(response.status(), 409);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("changed since the page was loaded")
    );
    assert_eq!(intake_status(&app, id).await["status"], "pending");
    assert_eq!(api_vendor(&app, "acme-cloud").await.0, 404);
}

#[actix_web::test]
async fn rejecting_needs_a_reason() {
    let app = spawn_app().await;
    let id = file_intake(&app, "Acme Cloud", &["US"], &["usage"]).await;
    let editor = sign_in(&app, "admin@example.com", Role::Admin).await;
    let audit_count = all_rows(&app).len();

    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{id}/reject"),
        &[("csrf", &editor.csrf), ("version", "1"), ("reason", "   ")],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!("id=\"reject-{id}-error\""))
            && html.contains("Give a reason for rejecting")
    );
    assert!(html.contains(&format!("aria-describedby=\"reject-{id}-error\"")));
    assert_eq!(intake_status(&app, id).await["status"], "pending");

    // What was typed is kept.
    let long = "too long ".repeat(300);
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{id}/reject"),
        &[("csrf", &editor.csrf), ("version", "1"), ("reason", &long)],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("The reason is too long") && html.contains(long.trim_end()));
    assert_eq!(intake_status(&app, id).await["status"], "pending");
    assert_eq!(all_rows(&app).len(), audit_count, "nothing happened");

    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{id}/reject"),
        &[
            ("csrf", &editor.csrf),
            ("version", "1"),
            ("reason", "We use Example Cloud already"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/workspace/intake");
    let request = intake_status(&app, id).await;
    assert_eq!(request["status"], "rejected");
    assert_eq!(request["decision_reason"], "We use Example Cloud already");
    assert_eq!(
        api_vendor(&app, "acme-cloud").await.0,
        404,
        "no vendor for a rejected request"
    );
    let rows = all_rows(&app);
    let decision = rows.last().unwrap();
    assert_eq!(
        (
            decision.2.as_str(),
            decision.3.as_str(),
            decision.4.as_str()
        ),
        ("user:admin@example.com", "reject", "intake_request")
    );
    assert!(
        decision
            .8
            .as_deref()
            .unwrap()
            .contains("We use Example Cloud already")
    );
    let (_, html) = get_as(&app, &editor, "/workspace/intake").await;
    assert!(html.contains("Rejected") && html.contains("We use Example Cloud already"));
}

#[actix_web::test]
async fn viewers_read_but_cannot_decide() {
    let app = spawn_app().await;
    let id = file_intake(&app, "Acme Cloud", &["US"], &["usage"]).await;
    let viewer = sign_in(&app, "viewer@example.com", Role::Viewer).await;
    let (status, html) = get_as(&app, &viewer, "/workspace/intake").await;
    assert_eq!(status, 200);
    assert!(html.contains("Acme Cloud") && html.contains("needs the editor or admin role"));
    assert!(
        !html.contains("/approve\"") && !html.contains("/reject\""),
        "no decision forms for a viewer"
    );
    for decision in ["approve", "reject"] {
        let response = post_as(
            &app,
            &viewer,
            &format!("/workspace/intake/{id}/{decision}"),
            &[("csrf", &viewer.csrf), ("version", "1"), ("reason", "no")],
        )
        .await;
        assert_eq!(response.status(), 403, "{decision}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("needs the editor or admin role")
        );
    }
    assert_eq!(intake_status(&app, id).await["status"], "pending");
    assert_eq!(api_vendor(&app, "acme-cloud").await.0, 404);
}

#[actix_web::test]
async fn decisions_need_the_csrf_token() {
    let app = spawn_app().await;
    let id = file_intake(&app, "Acme Cloud", &["US"], &["usage"]).await;
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let audit_count = all_rows(&app).len();
    for decision in ["approve", "reject"] {
        let path = format!("/workspace/intake/{id}/{decision}");
        let without = post_as(&app, &editor, &path, &[("version", "1"), ("reason", "no")]).await;
        assert_eq!(without.status(), 403, "{decision} without a token");
        let forged = post_as(
            &app,
            &editor,
            &path,
            &[("csrf", "forged"), ("version", "1"), ("reason", "no")],
        )
        .await;
        assert_eq!(forged.status(), 403, "{decision} with a wrong token");
        let empty = app
            .client
            .post(format!("{}{path}", app.address))
            .header("Cookie", format!("cb_session={}", editor.cookie))
            .send()
            .await
            .unwrap();
        assert_eq!(empty.status(), 403, "{decision} with no body");
        // Not signed in at all: off to the login page.
        let anonymous = app
            .client
            .post(format!("{}{path}", app.address))
            .form(&[("csrf", editor.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 303);
    }
    assert_eq!(intake_status(&app, id).await["status"], "pending");
    assert_eq!(api_vendor(&app, "acme-cloud").await.0, 404);
    assert_eq!(all_rows(&app).len(), audit_count);
}

// --- The audit log is append-only ---

#[actix_web::test]
async fn no_route_edits_or_deletes_an_audit_row() {
    let app = spawn_app().await;
    create_user(&app, "admin@example.com", Role::Admin);
    let first = log_in(&app, "admin@example.com", PASSWORD).await;
    let before = all_rows(&app);
    let (count, sum, last_id) = (before.len(), checksum(&before), before.last().unwrap().0);

    // Every API write route.
    let write = app.token("ops", "registry:read registry:write");
    let vendor = json!({
        "key": "stripe", "name": "Stripe", "legal_entity": "Stripe, Inc.", "website": "https://stripe.com",
        "headquarters": "US", "role": "processor", "categories": ["payments"], "purpose": "Card payments",
        "status": "active", "transfers": [{"country": "US", "data_categories": ["payment", "contact"], "mechanisms": [{"id": "dpf"}]}]
    });
    let response = app
        .api(
            Method::POST,
            "/api/v1/organisations/arturia/vendors",
            &write,
        )
        .json(&vendor)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let mut changed = vendor.clone();
    changed["purpose"] = json!("Card payments and refunds");
    let response = app
        .api(
            Method::PUT,
            "/api/v1/organisations/arturia/vendors/stripe",
            &write,
        )
        .header("If-Match", "\"1\"")
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = app
        .api(
            Method::POST,
            "/api/v1/organisations/arturia/vendors/stripe/transfers",
            &write,
        )
        .json(&json!({"country": "IE", "data_categories": ["payment"], "mechanisms": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    let transfer = body["transfers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["country"] == "IE")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let response = app
        .api(Method::PUT, &format!("/api/v1/organisations/arturia/vendors/stripe/transfers/{transfer}"), &write)
        .header("If-Match", "\"1\"")
        .json(&json!({"country": "US", "data_categories": ["payment"], "mechanisms": [{"id": "scc_2021", "signed_on": "2026-11-01"}], "tia_on": "2026-11-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let retire_on = (chrono::Local::now().date_naive() + Duration::days(400)).to_string();
    let response = app
        .api(
            Method::POST,
            "/api/v1/organisations/arturia/vendors/stripe/retire",
            &write,
        )
        .header("If-Match", "\"2\"")
        .json(&json!({"effective_on": retire_on}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let approved = file_intake(&app, "Acme Cloud", &["US"], &["usage"]).await;
    let rejected = file_intake(&app, "Beta Mail", &["CA"], &["contact"]).await;

    // A machine client's token.
    let (client, secret) = crossborder::auth::clients::create(
        &mut app.conn(),
        "tool",
        &crossborder::auth::parse_scopes("registry:read").unwrap(),
        "test",
    )
    .unwrap();
    let response = app
        .client
        .post(format!("{}/oauth/token", app.address))
        .basic_auth(&client.client_id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // Every workspace write route: decisions, the vendor forms, failed and good sign-ins, sign-out.
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{approved}/approve"),
        &[("csrf", &editor.csrf), ("version", "1")],
    )
    .await;
    assert_eq!(response.status(), 303);
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{rejected}/reject"),
        &[
            ("csrf", &editor.csrf),
            ("version", "1"),
            ("reason", "Not needed"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let response = post_as(
        &app,
        &editor,
        "/workspace/arturia/vendors/new",
        &[
            ("csrf", &editor.csrf),
            ("key", "mailer"),
            ("name", "Mailer"),
            ("role", "processor"),
            ("categories", "email"),
            ("purpose", "Newsletters"),
            ("status", "proposed"),
            ("transfer_country", "US"),
            ("transfer_data", "contact"),
        ],
    )
    .await;
    assert!(
        response.status().as_u16() < 500,
        "the workspace vendor form: {}",
        response.status()
    );
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/arturia/vendors/stripe/transfers/{transfer}"),
        &[
            ("csrf", &editor.csrf),
            ("version", "2"),
            ("transfer_country", "US"),
            ("transfer_data", "payment"),
        ],
    )
    .await;
    assert!(
        response.status().as_u16() < 500,
        "the workspace transfer form: {}",
        response.status()
    );
    assert_eq!(
        post_login(&app, "editor@example.com", "wrong password")
            .await
            .status(),
        401
    );
    assert_eq!(
        post_login(&app, "nobody@example.com", "wrong password")
            .await
            .status(),
        401
    );
    let response = post_as(&app, &first, "/workspace/logout", &[("csrf", &first.csrf)]).await;
    assert_eq!(response.status(), 303);

    // Whatever method, nothing answers under /workspace/audit but the two reads.
    let admin = log_in(&app, "admin@example.com", PASSWORD).await;
    for method in [Method::DELETE, Method::PUT, Method::PATCH, Method::POST] {
        for path in [
            "/workspace/audit".to_string(),
            "/workspace/audit.csv".to_string(),
            format!("/workspace/audit/{last_id}"),
            format!("/workspace/audit?id={last_id}"),
            format!("/workspace/audit/{last_id}/delete"),
        ] {
            let response = app
                .client
                .request(method.clone(), format!("{}{path}", app.address))
                .header("Cookie", format!("cb_session={}", admin.cookie))
                .form(&[("csrf", admin.csrf.as_str()), ("id", &last_id.to_string())])
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            assert!(status == 404 || status == 405, "{method} {path}: {status}");
        }
        let response = app
            .api(method.clone(), &format!("/api/v1/audit/{last_id}"), &write)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} on the API");
    }

    // Every earlier row is there, unchanged; only new ones were appended after it.
    let after = all_rows(&app);
    assert_eq!(after[..count].len(), count);
    assert_eq!(
        checksum(&after[..count]),
        sum,
        "earlier audit rows are unchanged"
    );
    assert_eq!(
        &after[..count],
        &before[..],
        "earlier audit rows are unchanged"
    );
    assert!(
        after[count..].iter().all(|r| r.0 > last_id),
        "new rows come after"
    );
    let new: Vec<(&str, &str)> = after[count..]
        .iter()
        .map(|r| (r.4.as_str(), r.3.as_str()))
        .collect();
    for expected in [
        ("vendor", "create"),
        ("vendor", "update"),
        ("vendor", "retire"),
        ("transfer", "create"),
        ("transfer", "update"),
        ("intake_request", "create"),
        ("intake_request", "approve"),
        ("intake_request", "reject"),
        ("user", "login"),
    ] {
        assert!(new.contains(&expected), "{expected:?} was audited: {new:?}");
    }
}
