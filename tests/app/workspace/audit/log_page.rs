//! The audit log page with its filters, and its CSV.

use super::{Row, all_rows, event_ids, ids, newest_first, org_ids};
use crate::support::{get_as, get_response, sign_in, spawn_app};
use chrono::Duration;
use crossborder::auth::users::Role;
use crossborder::registry::intake;
use serde_json::Value;
use std::collections::HashMap;

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
    // Sign-ins (this session's) are left out unless asked for.
    let changes: Vec<Row> = seeded.iter().filter(|r| r.3 != "login").cloned().collect();
    assert!(changes.len() < seeded.len());
    assert_eq!(
        event_ids(&html),
        ids(&changes),
        "every row of the seed, newest first"
    );
    let (_, with_sign_ins) = get_as(&app, &session, "/workspace/audit?sign_ins=show").await;
    assert_eq!(event_ids(&with_sign_ins), ids(&seeded));
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
    // The page leaves the sign-ins out by default.
    let all = newest_first(all_rows(&app));
    let rows: Vec<Row> = all.iter().filter(|r| r.3 != "login").cloned().collect();
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
            "actor=VIEWER%40example&sign_ins=show",
            Box::new(|r: &Row| r.2.to_lowercase().contains("viewer@example")),
        ),
        (
            "organisation=arturia&entity=vendor",
            Box::new(move |r: &Row| r.6 == Some(arturia) && r.4 == "vendor"),
        ),
        ("actor=%25", Box::new(|r: &Row| r.2.contains('%'))),
    ];
    for (query, wanted) in cases {
        // Sign-ins show when their action is chosen.
        let expected: Vec<i32> = all
            .iter()
            .filter(|r| {
                r.3 != "login" || query == "action=login" || query.contains("sign_ins=show")
            })
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
            // Sign-ins are left out unless asked for (`sign_ins=show`).
            .filter(|r| r.3 != "login")
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
