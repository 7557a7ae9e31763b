//! Editing a vendor: saved, audited and its version bumped; bad input named field by field and
//! kept; a stale edit refused showing what changed; a proposed vendor made active announced with
//! the notice period.

use super::{GA, editor, vendor, vendor_form};
use crate::support::{
    audit_count, audit_tail, field_error, get_as, hidden, post_as, sign_in, spawn_app, today,
};
use chrono::Duration;
use crossborder::auth::users::Role;

#[actix_web::test]
async fn editing_a_vendor_saves_audits_and_bumps_the_version() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let (status, html) = get_as(&app, &s, &format!("{GA}/edit")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("value=\"Google Analytics\""),
        "the form holds the record"
    );
    let before = vendor(&app, "arturia", "google-analytics");
    let version = before.version.to_string();
    let mut form = vendor_form(&s, &before, &version);
    form.retain(|(k, _)| *k != "name");
    form.extend([
        ("name", "Google Analytics 4"),
        ("dpa_signed_on", "2023-05-02"),
        (
            "dpa_url",
            "https://business.safety.google/adsprocessorterms/",
        ),
        ("notes", "Re-signed with the 2023 terms."),
    ]);
    let saved = post_as(&app, &s, &format!("{GA}/edit"), &form).await;
    assert_eq!(saved.status(), 303);
    assert_eq!(saved.headers()["location"], GA);

    let after = vendor(&app, "arturia", "google-analytics");
    assert_eq!(after.name, "Google Analytics 4");
    assert_eq!(after.dpa_signed_on, Some("2023-05-02".parse().unwrap()));
    assert_eq!(after.version, before.version + 1);
    assert_eq!(
        after.transfers, before.transfers,
        "transfers are left alone"
    );
    assert_eq!(after.certifications.len(), before.certifications.len());
    assert_eq!(
        audit_tail(&app, 1),
        [(
            "user:editor@example.com".into(),
            "update".into(),
            "vendor".into()
        )]
    );
    let (_, page) = get_as(&app, &s, GA).await;
    assert!(page.contains("Google Analytics 4") && page.contains("signed 2023-05-02"));
}

#[actix_web::test]
async fn a_bad_vendor_edit_names_each_field_keeps_the_input_and_changes_nothing() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let before = vendor(&app, "arturia", "google-analytics");
    let audited = audit_count(&app);
    let version = before.version.to_string();
    let form = [
        ("csrf", s.csrf.as_str()),
        ("version", &version),
        ("name", "Kept Name"),
        ("website", "javascript:alert(1)"),
        ("role", "processor"),
        ("purpose", "   "),
        ("dpa_signed_on", "2023-02-30"),
        ("status", "proposed"),
    ];
    let response = post_as(&app, &s, &format!("{GA}/edit"), &form).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    for field in ["website", "purpose", "categories", "dpa_signed_on"] {
        assert!(field_error(&html, field).is_some(), "{field}: {html}");
    }
    assert!(html.contains("value=\"Kept Name\""), "typed input is kept");
    assert!(html.contains("aria-invalid=\"true\""));
    assert_eq!(vendor(&app, "arturia", "google-analytics"), before);
    assert_eq!(audit_count(&app), audited);

    // An active vendor cannot go back to proposed.
    let mut form = vendor_form(&s, &before, &version);
    form.push(("status", "proposed"));
    let response = post_as(&app, &s, &format!("{GA}/edit"), &form).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        field_error(&html, "status").is_some_and(|e| e.contains("cannot go back to proposed")),
        "{html}"
    );
}

#[actix_web::test]
async fn a_stale_vendor_edit_is_refused_and_shows_what_changed() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let other = sign_in(&app, "other@example.com", Role::Editor).await;
    let opened = vendor(&app, "arturia", "google-analytics");
    let version = opened.version.to_string();

    // Someone else saves first.
    let mut theirs = vendor_form(&other, &opened, &version);
    theirs.push(("legal_entity", "Google Ireland Limited"));
    theirs.retain(|(k, v)| *k != "legal_entity" || *v == "Google Ireland Limited");
    assert_eq!(
        post_as(&app, &other, &format!("{GA}/edit"), &theirs)
            .await
            .status(),
        303
    );
    let saved = vendor(&app, "arturia", "google-analytics");

    // The first editor's save, made on the old version, changes the purpose.
    let mut mine = vendor_form(&s, &opened, &version);
    mine.retain(|(k, _)| *k != "purpose");
    mine.push(("purpose", "Audience measurement"));
    let response = post_as(&app, &s, &format!("{GA}/edit"), &mine).await;
    assert_eq!(response.status(), 409);
    let html = response.text().await.unwrap();
    assert!(html.contains("Someone else changed this vendor"), "{html}");
    assert!(html.contains("user:other@example.com"), "who saved: {html}");
    // The differing fields, side by side: theirs (legal entity) and mine (purpose).
    let table = &html[html.find("<table").unwrap()..html.find("</table>").unwrap()];
    assert!(table.contains("Legal entity") && table.contains("Google Ireland Limited"));
    assert!(table.contains("Purpose") && table.contains("Audience measurement"));
    assert!(
        !table.contains(">Name<"),
        "fields that agree are not listed"
    );
    assert_eq!(
        vendor(&app, "arturia", "google-analytics"),
        saved,
        "nothing is overwritten"
    );
    // The form keeps the edit, now on the saved version: saving again is a deliberate choice.
    assert!(html.contains("Audience measurement"));
    assert_eq!(hidden(&html, "version"), saved.version.to_string());
}

#[actix_web::test]
async fn a_proposed_vendor_made_active_is_announced_with_the_notice_period() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let created = post_as(
        &app,
        &s,
        "/workspace/arturia/vendors/new",
        &[
            ("csrf", &s.csrf),
            ("name", "Beta Search"),
            ("key", "beta-search"),
            ("role", "processor"),
            ("categories", "search"),
            ("purpose", "Site search"),
            ("status", "proposed"),
        ],
    )
    .await;
    assert_eq!(created.status(), 303);
    let public = app.get_json("/arturia/subprocessors.json").await;
    assert!(
        !public.to_string().contains("Beta Search"),
        "a proposal is not published"
    );

    let v = vendor(&app, "arturia", "beta-search");
    let version = v.version.to_string();
    let effective = (today() + Duration::days(30)).to_string();
    let (_, form) = get_as(&app, &s, "/workspace/arturia/vendors/beta-search/edit").await;
    assert!(form.contains("option value=\"proposed\" selected"));
    let response = post_as(
        &app,
        &s,
        "/workspace/arturia/vendors/beta-search/edit",
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("name", "Beta Search"),
            ("role", "processor"),
            ("categories", "search"),
            ("purpose", "Site search"),
            ("status", "active"),
            ("active_from", &effective),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let public = app.get_json("/arturia/subprocessors.json").await;
    let upcoming = public["upcoming_changes"].as_array().unwrap();
    let entry = upcoming
        .iter()
        .find(|c| c["summary"].as_str().unwrap().contains("Beta Search"))
        .expect("announced as upcoming");
    assert_eq!(entry["effective_on"], effective.as_str());
    assert_eq!(entry["announced_on"], today().to_string().as_str());
    let atom = app.get_text("/arturia/subprocessors.atom").await.1;
    assert!(
        atom.contains("Beta Search"),
        "the feed has it when announced"
    );

    // Moving the start date while the announcement is upcoming moves the announcement.
    let later = (today() + Duration::days(45)).to_string();
    let version = vendor(&app, "arturia", "beta-search").version.to_string();
    let moved = post_as(
        &app,
        &s,
        "/workspace/arturia/vendors/beta-search/edit",
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("name", "Beta Search"),
            ("role", "processor"),
            ("categories", "search"),
            ("purpose", "Site search"),
            ("active_from", &later),
        ],
    )
    .await;
    assert_eq!(moved.status(), 303);
    let public = app.get_json("/arturia/subprocessors.json").await;
    let entries: Vec<_> = public["upcoming_changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["summary"].as_str().unwrap().contains("Beta Search"))
        .collect();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["effective_on"], later.as_str());
}

#[actix_web::test]
async fn activating_a_proposed_vendor_without_a_date_gives_the_notice_period() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let created = post_as(
        &app,
        &s,
        "/workspace/arturia/vendors/new",
        &[
            ("csrf", &s.csrf),
            ("name", "Gamma CDN"),
            ("key", "gamma-cdn"),
            ("role", "processor"),
            ("categories", "cdn"),
            ("purpose", "Content delivery"),
            ("status", "proposed"),
            // An old plan: by the time the vendor is activated it is in the past.
            ("active_from", "2020-01-01"),
        ],
    )
    .await;
    assert_eq!(created.status(), 303);
    // The edit form offers the first date that respects the notice period.
    let effective = (today() + Duration::days(30)).to_string();
    let edit = "/workspace/arturia/vendors/gamma-cdn/edit";
    let (_, html) = get_as(&app, &s, edit).await;
    assert!(html.contains(&format!("value=\"{effective}\"")), "{html}");

    // Through the API, activation without a date takes the notice period too.
    let token = app.token("ops", "registry:read registry:write");
    let path = "/api/v1/organisations/arturia/vendors/gamma-cdn";
    let version = vendor(&app, "arturia", "gamma-cdn").version;
    let reply = app
        .api(reqwest::Method::PUT, path, &token)
        .header("If-Match", format!("\"{version}\""))
        .json(
            &serde_json::json!({"key": "gamma-cdn", "name": "Gamma CDN", "role": "processor",
            "categories": ["cdn"], "purpose": "Content delivery", "status": "active"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let v = vendor(&app, "arturia", "gamma-cdn");
    assert_eq!(v.active_from, Some(effective.parse().unwrap()));
    let public = app.get_json("/arturia/subprocessors.json").await;
    assert!(
        public["upcoming_changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["summary"].as_str().unwrap().contains("Gamma CDN")
                && c["effective_on"] == effective.as_str())
    );
}

#[actix_web::test]
async fn a_vendor_error_stays_on_the_vendor_field() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let long = "x".repeat(4001);
    let response = post_as(
        &app,
        &s,
        "/workspace/arturia/vendors/new",
        &[
            ("csrf", &s.csrf),
            ("name", "Delta"),
            ("key", "delta"),
            ("role", "processor"),
            ("categories", "cdn"),
            ("purpose", "CDN"),
            ("notes", &long),
            ("transfer_country", "US"),
            ("transfer_notes", &long),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(field_error(&html, "notes").is_some(), "{html}");
    assert!(field_error(&html, "transfer_notes").is_some());
}
