//! Certifications added, verified and ended, with their evidence.

use super::{GA, editor, vendor};
use crate::support::{audit_count, field_error, get_as, post_as, spawn_app};

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
