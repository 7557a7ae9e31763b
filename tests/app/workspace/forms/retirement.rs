//! Retiring a vendor keeps it and announces the date; a stale retirement shows what others
//! saved since.

use super::{GA, editor, vendor, vendor_form};
use crate::support::{audit_tail, field_error, get_as, hidden, post_as, sign_in, spawn_app, today};
use chrono::Duration;
use crossborder::auth::users::Role;
use crossborder::registry::VendorStatus;

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
    assert_eq!(hidden(&html, "version"), saved.version.to_string());
    assert!(html.contains(&format!("value=\"{effective}\"")));
}
