//! An edit form saved untouched changes nothing but the version.

use super::{GA, editor, vendor, vendor_form};
use crate::support::{Session, TestApp, form_fields, get_as, post_as, spawn_app, today};
use crossborder::registry::Vendor;

/// Opens an edit form and posts it back untouched.
async fn resave(app: &TestApp, s: &Session, path: &str) -> reqwest::Response {
    let (status, html) = get_as(app, s, path).await;
    assert_eq!(status, 200, "{path}");
    let fields = form_fields(&html, path);
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
