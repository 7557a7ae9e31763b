//! Transfers added and edited with several mechanisms, a stale edit shown beside the saved
//! values, evidence added and checked.

use super::{GA, editor, vendor};
use crate::support::{audit_count, audit_tail, field_error, get_as, post_as, spawn_app};

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
