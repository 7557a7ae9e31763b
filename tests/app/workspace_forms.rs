//! The workspace's editing forms over HTTP: edit a vendor, add and edit transfers with several
//! mechanisms, certifications and evidence, retire; each refuses bad input next to its field,
//! keeps what was typed, refuses a stale edit showing what differs, and is audited.

use crate::support;

use crate::support::{
    Session, TestApp, audit_count, audit_tail, field_error, get_as, post_as, sign_in, spawn_app,
    today,
};
use chrono::Duration;
use crossborder::auth::users::Role;
use crossborder::registry::{Registry, Vendor, VendorStatus, organisation};

fn registry(app: &TestApp, slug: &str) -> Registry {
    organisation::registry(&mut app.conn(), slug)
        .unwrap()
        .unwrap()
}

fn vendor(app: &TestApp, slug: &str, key: &str) -> Vendor {
    registry(app, slug)
        .vendors
        .into_iter()
        .find(|v| v.key == key)
        .unwrap()
}

const GA: &str = "/workspace/arturia/vendors/google-analytics";

async fn editor(app: &TestApp) -> Session {
    sign_in(app, "editor@example.com", Role::Editor).await
}

fn vendor_form<'a>(s: &'a Session, v: &'a Vendor, version: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("csrf", s.csrf.as_str()),
        ("version", version),
        ("name", v.name.as_str()),
        ("legal_entity", v.legal_entity.as_deref().unwrap_or("")),
        ("website", v.website.as_deref().unwrap_or("")),
        ("headquarters", "US"),
        ("role", "processor"),
        ("purpose", v.purpose.as_str()),
    ];
    form.push(("categories", "analytics"));
    form
}

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
    assert_eq!(support::hidden(&html, "version"), saved.version.to_string());
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
async fn transfers_are_added_and_edited_with_several_mechanisms() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let (status, form) = get_as(&app, &s, &format!("{GA}/transfers/new")).await;
    assert_eq!(status, 200);
    assert!(form.contains("Add a transfer to Google Analytics"));

    // Neither a country nor a place: refused, named.
    let audited = audit_count(&app);
    let refused = post_as(
        &app,
        &s,
        &format!("{GA}/transfers/new"),
        &[("csrf", &s.csrf), ("transfer_data", "usage")],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(field_error(&html, "transfer_country").is_some(), "{html}");
    assert!(
        html.contains("value=\"usage\" checked"),
        "typed input is kept"
    );

    // A signing date without its mechanism, and a bad TIA date: both named.
    let refused = post_as(
        &app,
        &s,
        &format!("{GA}/transfers/new"),
        &[
            ("csrf", &s.csrf),
            ("transfer_country", "IN"),
            ("transfer_mechanism", ""),
            ("transfer_signed_on", "2024-01-01"),
            ("transfer_tia_on", "yesterday"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(field_error(&html, "transfer_mechanism").is_some(), "{html}");
    assert!(field_error(&html, "transfer_tia_on").is_some(), "{html}");
    assert_eq!(audit_count(&app), audited, "nothing saved");

    // Two mechanisms, each with its date.
    let added = post_as(
        &app,
        &s,
        &format!("{GA}/transfers/new"),
        &[
            ("csrf", &s.csrf),
            ("transfer_country", "IN"),
            ("transfer_data", "usage"),
            ("transfer_mechanism", "scc_2021"),
            ("transfer_signed_on", "2024-01-01"),
            ("transfer_mechanism", "consent"),
            ("transfer_signed_on", ""),
            ("transfer_mechanism", ""),
            ("transfer_signed_on", ""),
            ("transfer_tia_on", "2024-01-15"),
            ("transfer_measures", "Encryption at rest"),
        ],
    )
    .await;
    assert_eq!(added.status(), 303);
    let v = vendor(&app, "arturia", "google-analytics");
    let india = v
        .transfers
        .iter()
        .find(|t| t.country.map(|c| c.as_str()) == Some("IN"))
        .expect("the transfer to India");
    let ids: Vec<&str> = india.mechanisms.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["scc_2021", "consent"]);
    assert_eq!(
        india.mechanisms[0].signed_on,
        Some("2024-01-01".parse().unwrap())
    );
    assert_eq!(
        audit_tail(&app, 1),
        [(
            "user:editor@example.com".into(),
            "create".into(),
            "transfer".into()
        )]
    );

    // The edit form shows both mechanisms and one empty row; saving it unchanged loses nothing.
    let path = format!("{GA}/transfers/{}", india.id);
    let (_, form) = get_as(&app, &s, &path).await;
    assert!(form.contains("id=\"transfer_mechanism-2\""));
    assert!(form.contains("id=\"transfer_mechanism-3\""));
    let version = india.version.to_string();
    let resaved = post_as(
        &app,
        &s,
        &path,
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("transfer_country", "IN"),
            ("transfer_data", "usage"),
            ("transfer_mechanism", "scc_2021"),
            ("transfer_signed_on", "2024-01-01"),
            ("transfer_mechanism", ""),
            ("transfer_signed_on", ""),
            ("transfer_mechanism", "consent"),
            ("transfer_signed_on", ""),
            ("transfer_tia_on", "2024-01-15"),
        ],
    )
    .await;
    assert_eq!(resaved.status(), 303);
    let after = vendor(&app, "arturia", "google-analytics");
    let india = after.transfers.iter().find(|t| t.id == india.id).unwrap();
    assert_eq!(
        india.mechanisms.len(),
        2,
        "an emptied row is dropped, the rest kept"
    );
    assert_eq!(india.version, 2);

    // A transfer whose source names no country keeps its place.
    let placed = post_as(
        &app,
        &s,
        &format!("{GA}/transfers/new"),
        &[("csrf", &s.csrf), ("transfer_location", "outside the EU")],
    )
    .await;
    assert_eq!(placed.status(), 303);
    let after = vendor(&app, "arturia", "google-analytics");
    assert!(
        after
            .transfers
            .iter()
            .any(|t| t.country.is_none() && t.location.as_deref() == Some("outside the EU"))
    );
}

#[actix_web::test]
async fn a_stale_transfer_edit_shows_the_saved_values_beside_yours() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let v = vendor(&app, "arturia", "google-analytics");
    let t = &v.transfers[0];
    let path = format!("{GA}/transfers/{}", t.id);
    let version = t.version.to_string();
    let first = post_as(
        &app,
        &s,
        &path,
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("transfer_country", "US"),
            ("transfer_mechanism", "dpf"),
            ("transfer_tia_on", "2024-02-01"),
        ],
    )
    .await;
    assert_eq!(first.status(), 303);
    let saved = vendor(&app, "arturia", "google-analytics");
    let stale = post_as(
        &app,
        &s,
        &path,
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("transfer_country", "US"),
            ("transfer_mechanism", "scc_2021"),
            ("transfer_signed_on", "2024-03-01"),
        ],
    )
    .await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.unwrap();
    let table = &html[html.find("<table").unwrap()..html.find("</table>").unwrap()];
    assert!(table.contains("Mechanisms") && table.contains("Data Privacy Framework"));
    assert!(table.contains("signed 2024-03-01"), "{table}");
    assert!(table.contains("2024-02-01"), "the saved TIA date: {table}");
    assert_eq!(vendor(&app, "arturia", "google-analytics"), saved);
}

#[actix_web::test]
async fn certifications_are_added_verified_and_ended_with_evidence() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let v = vendor(&app, "arturia", "google-analytics");
    let version = v.version.to_string();
    let (status, form) = get_as(&app, &s, &format!("{GA}/certifications/new")).await;
    assert_eq!(status, 200);
    assert!(form.contains("Data Privacy Framework"));

    // Ending before it starts, and half an evidence: refused, named, nothing saved.
    let audited = audit_count(&app);
    let refused = post_as(
        &app,
        &s,
        &format!("{GA}/certifications/new"),
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("framework", "dpf"),
            ("from", "2023-07-10"),
            ("until", "2023-07-01"),
            ("verified_on", "2024-06-01"),
            ("document", "DPF list"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(field_error(&html, "quote").is_some(), "{html}");
    let refused = post_as(
        &app,
        &s,
        &format!("{GA}/certifications/new"),
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("framework", "not_a_framework"),
            ("from", ""),
            ("verified_on", "2024-06-01"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(field_error(&html, "framework").is_some() && field_error(&html, "from").is_some());
    let refused = post_as(
        &app,
        &s,
        &format!("{GA}/certifications/new"),
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("framework", "dpf"),
            ("from", "2023-07-10"),
            ("until", "2023-07-01"),
            ("verified_on", "2024-06-01"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 409);
    let html = refused.text().await.unwrap();
    assert!(
        field_error(&html, "until").is_some_and(|e| e.contains("not after")),
        "{html}"
    );
    assert_eq!(audit_count(&app), audited);

    let added = post_as(
        &app,
        &s,
        &format!("{GA}/certifications/new"),
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("framework", "dpf"),
            ("from", "2023-07-10"),
            ("verified_on", "2024-06-01"),
            ("document", "Data Privacy Framework List"),
            ("quote", "Google LLC: active participant"),
            ("url", "https://www.dataprivacyframework.gov/list"),
        ],
    )
    .await;
    assert_eq!(added.status(), 303);
    let v = vendor(&app, "arturia", "google-analytics");
    let dpf = v
        .certifications
        .iter()
        .find(|c| c.framework == "dpf")
        .unwrap();
    assert_eq!(dpf.evidence.len(), 1);
    let (_, page) = get_as(&app, &s, GA).await;
    assert!(page.contains("Google LLC: active participant"));

    // Re-verified, then ended: the record stays with its dates.
    let path = format!("{GA}/certifications/{}", dpf.id);
    let version = v.version.to_string();
    let ended = post_as(
        &app,
        &s,
        &path,
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("verified_on", "2025-01-02"),
            ("until", "2025-01-01"),
        ],
    )
    .await;
    assert_eq!(ended.status(), 303);
    let v = vendor(&app, "arturia", "google-analytics");
    let dpf = v.certifications.iter().find(|c| c.id == dpf.id).unwrap();
    assert_eq!(dpf.until, Some("2025-01-01".parse().unwrap()));
    assert_eq!(dpf.verified_on, "2025-01-02".parse().unwrap());

    // The old version is stale now.
    let stale = post_as(
        &app,
        &s,
        &path,
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("verified_on", "2025-02-02"),
        ],
    )
    .await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.unwrap();
    assert!(
        html.contains("Someone else changed this vendor")
            && html.contains("user:editor@example.com (update)"),
        "{html}"
    );
    // What changed: the certification's end and verification dates, before and after.
    assert!(
        html.contains("2025-01-01") && html.contains("2025-01-02"),
        "{html}"
    );
    assert_eq!(vendor(&app, "arturia", "google-analytics"), v);
}

#[actix_web::test]
async fn evidence_is_added_to_a_transfer_and_checked() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let v = vendor(&app, "arturia", "google-analytics");
    let t = v.transfers[0].id;
    let about = format!("transfer-{t}");
    let version = v.version.to_string();
    let (_, form) = get_as(&app, &s, &format!("{GA}/evidence/new")).await;
    assert!(form.contains(&format!("value=\"{about}\"")));

    let refused = post_as(
        &app,
        &s,
        &format!("{GA}/evidence/new"),
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("about", &about),
            ("document", "DPA"),
            ("quote", ""),
            ("url", "javascript:alert(1)"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(field_error(&html, "quote").is_some() && field_error(&html, "url").is_some());
    assert!(html.contains("value=\"DPA\""));

    let added = post_as(
        &app,
        &s,
        &format!("{GA}/evidence/new"),
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("about", &about),
            ("document", "Google Ads Data Processing Terms"),
            ("quote", "the Standard Contractual Clauses will apply"),
        ],
    )
    .await;
    assert_eq!(added.status(), 303);
    let after = vendor(&app, "arturia", "google-analytics");
    assert!(
        after.transfers[0]
            .evidence
            .iter()
            .any(|e| e.quote == "the Standard Contractual Clauses will apply")
    );
    assert_eq!(after.version, v.version + 1);
}

#[actix_web::test]
async fn retiring_a_vendor_keeps_it_and_announces_the_date() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let v = vendor(&app, "arturia", "google-analytics");
    let version = v.version.to_string();
    let (status, form) = get_as(&app, &s, &format!("{GA}/retire")).await;
    assert_eq!(status, 200);
    let default = (today() + Duration::days(30)).to_string();
    assert!(
        form.contains(&format!("value=\"{default}\"")),
        "notice period by default"
    );

    let refused = post_as(
        &app,
        &s,
        &format!("{GA}/retire"),
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("effective_on", ""),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    assert!(field_error(&refused.text().await.unwrap(), "effective_on").is_some());

    let retired = post_as(
        &app,
        &s,
        &format!("{GA}/retire"),
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("effective_on", &default),
        ],
    )
    .await;
    assert_eq!(retired.status(), 303);
    let after = vendor(&app, "arturia", "google-analytics");
    assert_eq!(after.status, VendorStatus::Retired);
    assert_eq!(after.retired_from, Some(default.parse().unwrap()));
    assert_eq!(after.transfers, v.transfers, "nothing is deleted");
    assert_eq!(
        audit_tail(&app, 1),
        [(
            "user:editor@example.com".into(),
            "retire".into(),
            "vendor".into()
        )]
    );
    let public = app.get_json("/arturia/subprocessors.json").await;
    assert!(
        public["upcoming_changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "retired" && c["effective_on"] == default.as_str()),
        "{public}"
    );

    // Retiring again is refused with the reason; the page no longer offers it.
    let version = after.version.to_string();
    let again = post_as(
        &app,
        &s,
        &format!("{GA}/retire"),
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("effective_on", &default),
        ],
    )
    .await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.unwrap().contains("retired already"));
    let (_, page) = get_as(&app, &s, GA).await;
    assert!(!page.contains("Retire the vendor"));
}

#[actix_web::test]
async fn viewers_and_forged_posts_cannot_use_the_forms() {
    let app = spawn_app().await;
    let viewer = sign_in(&app, "viewer@example.com", Role::Viewer).await;
    let s = editor(&app).await;
    let v = vendor(&app, "arturia", "google-analytics");
    let t = v.transfers[0].id;
    let c = v.certifications[0].id;
    let forms = [
        format!("{GA}/edit"),
        format!("{GA}/retire"),
        format!("{GA}/transfers/new"),
        format!("{GA}/transfers/{t}"),
        format!("{GA}/certifications/new"),
        format!("{GA}/certifications/{c}"),
        format!("{GA}/evidence/new"),
    ];
    let audited = audit_count(&app);
    for path in &forms {
        assert_eq!(get_as(&app, &viewer, path).await.0, 403, "GET {path}");
        let posted = post_as(&app, &viewer, path, &[("csrf", &viewer.csrf)]).await;
        assert_eq!(posted.status(), 403, "POST {path} as a viewer");
        let forged = post_as(&app, &s, path, &[("csrf", "forged")]).await;
        assert_eq!(forged.status(), 403, "POST {path} without the token");
        assert_eq!(
            get_as(&app, &s, path).await.0,
            200,
            "GET {path} as an editor"
        );
    }
    assert_eq!(audit_count(&app), audited, "nothing was written");
    assert_eq!(vendor(&app, "arturia", "google-analytics"), v);
    let (_, page) = get_as(&app, &viewer, GA).await;
    assert!(
        !page.contains("Edit the vendor"),
        "viewers are not offered the forms"
    );
}

#[actix_web::test]
async fn the_vendor_list_is_searched_and_filtered() {
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
    let all = list("").await;
    for org in ["Arturia", "Jamendo", "Qobuz", "Spotify", "QTRAX"] {
        assert!(all.contains(&format!("Vendors of {org}")), "{org}");
    }
    assert!(
        !all.contains("Add a vendor to"),
        "viewers are not offered the form"
    );

    let arturia = list("?organisation=arturia").await;
    assert!(arturia.contains("Vendors of Arturia") && !arturia.contains("Vendors of Jamendo"));
    assert!(arturia.contains("Google Analytics"));

    let analytics = list("?organisation=arturia&category=analytics").await;
    assert!(analytics.contains("Google Analytics"));
    assert!(
        !analytics.contains("Payment service provider"),
        "{analytics}"
    );
    assert!(all.contains("Payment service provider"));

    // Arturia's Privacy Shield claims are flagged today.
    let flagged = list("?organisation=arturia&flagged=true").await;
    assert!(flagged.contains("Google Analytics") && flagged.contains("flagged"));

    let searched = list("?q=google").await;
    assert!(searched.contains("Google Analytics"));
    assert!(!searched.contains("Facebook"));
    let none = list("?q=no-such-vendor-anywhere").await;
    assert!(none.contains("0 vendor(s) found"));

    let retired = list("?status=retired&organisation=arturia").await;
    assert!(retired.contains("No vendor matches"));
}

/// Opens an edit form and posts it back untouched.
async fn resave(app: &TestApp, s: &Session, path: &str) -> reqwest::Response {
    let (status, html) = get_as(app, s, path).await;
    assert_eq!(status, 200, "{path}");
    let fields = support::form_fields(&html, path);
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post_as(app, s, path, &form).await
}

#[actix_web::test]
async fn saving_an_edit_form_untouched_changes_nothing_but_the_version() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    // A vendor with everything the forms show: DPA, notes, certifications, evidence, and a
    // transfer with two mechanisms, a place, measures and notes.
    let added = post_as(
        &app,
        &s,
        &format!("{GA}/transfers/new"),
        &[
            ("csrf", &s.csrf),
            ("transfer_location", "outside the EU"),
            ("transfer_data", "usage"),
            ("transfer_data", "identity"),
            ("transfer_mechanism", "scc_2021"),
            ("transfer_signed_on", "2024-01-01"),
            ("transfer_mechanism", "consent"),
            ("transfer_signed_on", ""),
            ("transfer_tia_on", "2024-01-15"),
            ("transfer_measures", "Encryption"),
            ("transfer_notes", "Per the 2024 DPA"),
        ],
    )
    .await;
    assert_eq!(added.status(), 303);
    let mut before = vendor(&app, "arturia", "google-analytics");
    let edit = format!("{GA}/edit");
    let mut form = vendor_form(&s, &before, &before.version.to_string())
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect::<Vec<_>>();
    form.extend([
        ("dpa_signed_on".into(), "2023-05-02".into()),
        ("dpa_url".into(), "https://example.com/dpa".into()),
        ("notes".into(), "Reviewed".into()),
        ("categories".into(), "advertising".into()),
    ]);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(post_as(&app, &s, &edit, &form).await.status(), 303);
    before = vendor(&app, "arturia", "google-analytics");

    // The vendor form, untouched.
    assert_eq!(resave(&app, &s, &edit).await.status(), 303);
    let after = vendor(&app, "arturia", "google-analytics");
    assert_eq!(after.version, before.version + 1);
    assert_eq!(
        Vendor {
            version: before.version,
            ..after.clone()
        },
        before
    );

    // Every transfer form, untouched.
    for t in &before.transfers {
        let path = format!("{GA}/transfers/{}", t.id);
        assert_eq!(resave(&app, &s, &path).await.status(), 303, "{path}");
    }
    let again = vendor(&app, "arturia", "google-analytics");
    for (t, u) in before.transfers.iter().zip(&again.transfers) {
        assert_eq!(u.version, t.version + 1);
        assert_eq!(
            crossborder::registry::Transfer {
                version: t.version,
                ..u.clone()
            },
            *t
        );
    }

    // The certification form, untouched, only re-verifies (today).
    let c = &before.certifications[0];
    let path = format!("{GA}/certifications/{}", c.id);
    assert_eq!(resave(&app, &s, &path).await.status(), 303);
    let last = vendor(&app, "arturia", "google-analytics");
    let d = last.certifications.iter().find(|x| x.id == c.id).unwrap();
    assert_eq!(
        (d.from, d.until, &d.evidence),
        (c.from, c.until, &c.evidence)
    );
    assert_eq!(d.verified_on, today());
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

#[actix_web::test]
async fn a_stale_retirement_shows_what_others_saved_since() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let other = sign_in(&app, "other@example.com", Role::Editor).await;
    let opened = vendor(&app, "arturia", "google-analytics");
    let version = opened.version.to_string();
    // Someone else changes the purpose meanwhile.
    let mut theirs = vendor_form(&other, &opened, &version);
    theirs.retain(|(k, _)| *k != "purpose");
    theirs.push(("purpose", "Audience measurement only"));
    assert_eq!(
        post_as(&app, &other, &format!("{GA}/edit"), &theirs)
            .await
            .status(),
        303
    );
    let saved = vendor(&app, "arturia", "google-analytics");
    let effective = (today() + Duration::days(30)).to_string();
    let response = post_as(
        &app,
        &s,
        &format!("{GA}/retire"),
        &[
            ("csrf", &s.csrf),
            ("version", &version),
            ("effective_on", &effective),
        ],
    )
    .await;
    assert_eq!(response.status(), 409);
    let html = response.text().await.unwrap();
    assert!(html.contains("Someone else changed this vendor"), "{html}");
    assert!(html.contains("user:other@example.com (update)"), "{html}");
    assert!(
        html.contains("Audience measurement only"),
        "their change is shown: {html}"
    );
    assert_eq!(
        vendor(&app, "arturia", "google-analytics"),
        saved,
        "nothing retired"
    );
    // The form keeps the date, now on the saved version: retiring again is deliberate.
    assert_eq!(support::hidden(&html, "version"), saved.version.to_string());
    assert!(html.contains(&format!("value=\"{effective}\"")));
}
