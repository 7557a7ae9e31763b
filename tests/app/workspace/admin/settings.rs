//! An organisation's settings: notice period and privacy contact, audited.

use super::{ADMIN, input_value, post_text, settings_of};
use crate::support::{
    Session, TestApp, audit_count, audited, get_as, hidden, location, post_as, sign_in, spawn_app,
    today,
};
use chrono::Duration;
use crossborder::auth::users::Role;

async fn settings_version(app: &TestApp, admin: &Session, slug: &str) -> String {
    let (status, html) = get_as(
        app,
        admin,
        &format!("/workspace/admin/organisations/{slug}"),
    )
    .await;
    assert_eq!(status, 200);
    hidden(&html, "version")
}

#[actix_web::test]
async fn the_notice_period_sets_the_new_vendor_date_and_is_audited() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    let (days, version, revision, _) = settings_of(&app, "arturia");
    assert_eq!(days, 30);
    let (_, form) = get_as(&app, &admin, "/workspace/arturia/vendors/new").await;
    assert_eq!(
        input_value(&form, "active_from"),
        (today() + Duration::days(30)).to_string()
    );
    // The public page is rendered (and cached) before the change.
    let (status, _) = app.get_text("/arturia/subprocessors").await;
    assert_eq!(status, 200);

    let form_version = settings_version(&app, &admin, "arturia").await;
    assert_eq!(form_version, version.to_string());
    let response = post_as(
        &app,
        &admin,
        "/workspace/admin/organisations/arturia",
        &[
            ("csrf", &admin.csrf),
            ("version", &form_version),
            ("announce_days", "10"),
            ("privacy_contact", "dpo@arturia.example"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, page) = get_as(&app, &admin, &location(&response)).await;
    assert!(page.contains("Saved (version"), "{page}");
    assert_eq!(input_value(&page, "announce_days"), "10");

    let (days, new_version, new_revision, contact) = settings_of(&app, "arturia");
    assert_eq!(
        (days, new_version, contact.as_deref()),
        (10, version + 1, Some("dpo@arturia.example"))
    );
    assert!(new_revision > revision, "the registry's revision is bumped");

    // The new-vendor form's default date follows.
    let (_, form) = get_as(&app, &admin, "/workspace/arturia/vendors/new").await;
    assert_eq!(
        input_value(&form, "active_from"),
        (today() + Duration::days(10)).to_string()
    );
    // The public page shows the new contact at once (its cache saw the new revision).
    let (_, public) = app.get_text("/arturia/subprocessors").await;
    assert!(public.contains("dpo@arturia.example"));

    // Audited, with the values before and after, and shown in the audit log.
    let updates: Vec<_> = audited(&app, "organisation", "update")
        .into_iter()
        .filter(|e| e.0 == "user:admin@example.com")
        .collect();
    assert_eq!(updates.len(), 1, "{updates:?}");
    let (_, _, before, after) = &updates[0];
    assert_eq!(before.as_ref().unwrap()["announce_days"], 30);
    assert_eq!(after.as_ref().unwrap()["announce_days"], 10);
    assert_eq!(
        after.as_ref().unwrap()["privacy_contact"],
        "dpo@arturia.example"
    );
    let (_, log) = get_as(
        &app,
        &admin,
        "/workspace/audit?entity=organisation&action=update&actor=admin%40example.com",
    )
    .await;
    assert!(log.contains("announce_days") && log.contains("user:admin@example.com"));

    // Saving the same values again changes nothing.
    let audits = audit_count(&app);
    let response = post_as(
        &app,
        &admin,
        "/workspace/admin/organisations/arturia",
        &[
            ("csrf", &admin.csrf),
            ("version", &new_version.to_string()),
            ("announce_days", "10"),
            ("privacy_contact", "dpo@arturia.example"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(audit_count(&app), audits);
    assert_eq!(settings_of(&app, "arturia").1, new_version);
}

#[actix_web::test]
async fn a_stale_settings_edit_is_refused_shows_what_changed_and_overwrites_nothing() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    let other = sign_in(&app, "other.admin@example.com", Role::Admin).await;
    let old = settings_version(&app, &admin, "jamendo").await;

    // Another admin saves first.
    let response = post_as(
        &app,
        &other,
        "/workspace/admin/organisations/jamendo",
        &[
            ("csrf", &other.csrf),
            ("version", &old),
            ("announce_days", "14"),
            ("privacy_contact", "legal@jamendo.com"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let saved = settings_of(&app, "jamendo");
    assert_eq!(saved.0, 14);
    let audits = audit_count(&app);

    // The first admin's edit of the old version is refused.
    let (status, html) = post_text(
        &app,
        &admin,
        "/workspace/admin/organisations/jamendo",
        &[
            ("csrf", &admin.csrf),
            ("version", &old),
            ("announce_days", "45"),
            ("privacy_contact", "legal@jamendo.com"),
        ],
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        html.contains("Someone else changed this organisation"),
        "{html}"
    );
    let table = &html[html.find("Saved now").unwrap()..];
    let row = &table[table.find("Notice period").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("<td>14</td>") && row.contains("<td>45</td>"),
        "{row}"
    );
    assert_eq!(settings_of(&app, "jamendo"), saved, "nothing overwritten");
    assert_eq!(audit_count(&app), audits, "nothing audited");
    // What was typed is kept, with the current version: saving again is a knowing decision.
    assert_eq!(input_value(&html, "announce_days"), "45");
    assert_eq!(hidden(&html, "version"), saved.1.to_string());
    let response = post_as(
        &app,
        &admin,
        "/workspace/admin/organisations/jamendo",
        &[
            ("csrf", &admin.csrf),
            ("version", &saved.1.to_string()),
            ("announce_days", "45"),
            ("privacy_contact", "legal@jamendo.com"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(settings_of(&app, "jamendo").0, 45);
}

#[actix_web::test]
async fn an_invalid_notice_period_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    let version = settings_version(&app, &admin, "qobuz").await;
    let settings = settings_of(&app, "qobuz");
    let audits = audit_count(&app);
    for bad in ["400", "-1", "ten", "", "7.5"] {
        let (status, html) = post_text(
            &app,
            &admin,
            "/workspace/admin/organisations/qobuz",
            &[
                ("csrf", &admin.csrf),
                ("version", &version),
                ("announce_days", bad),
                ("privacy_contact", "support@qobuz.com"),
            ],
        )
        .await;
        assert_eq!(status, 422, "{bad:?}");
        assert!(html.contains("id=\"announce_days-error\""), "{bad:?}");
        assert!(html.contains("announce_days-help announce_days-error"));
        assert!(
            html.contains("href=\"#announce_days\""),
            "the summary links the field"
        );
        assert_eq!(
            input_value(&html, "announce_days"),
            bad,
            "what was typed is kept"
        );
    }
    let (status, html) = post_text(
        &app,
        &admin,
        "/workspace/admin/organisations/qobuz",
        &[
            ("csrf", &admin.csrf),
            ("version", &version),
            ("announce_days", "20"),
            ("privacy_contact", "write to us"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"privacy_contact-error\""));
    assert!(html.contains("value=\"write to us\""));
    assert_eq!(settings_of(&app, "qobuz"), settings, "nothing changed");
    assert_eq!(audit_count(&app), audits);

    // An unknown organisation.
    let (status, _) = get_as(&app, &admin, "/workspace/admin/organisations/nobody").await;
    assert_eq!(status, 404);
}
