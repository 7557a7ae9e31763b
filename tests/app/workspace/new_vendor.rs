//! Adding a vendor through the workspace: flagged on the dashboard, then safeguarded; the form
//! keeps what was typed and names each bad field; viewers cannot edit and forms need the CSRF
//! token.

use crate::support::{PASSWORD, create_user, get_as, hidden, log_in, post_as, sign_in, spawn_app};
use crossborder::auth::users::Role;

/// The first "Edit transfer" link of a vendor page.
fn edit_transfer_link(vendor_page: &str) -> &str {
    let end = vendor_page.find("\">Edit transfer to").unwrap();
    let start = vendor_page[..end].rfind('"').unwrap() + 1;
    &vendor_page[start..end]
}

#[actix_web::test]
async fn an_officer_adds_a_vendor_sees_it_flagged_then_safeguards_it() {
    let app = spawn_app().await;
    let session = sign_in(&app, "editor@example.com", Role::Editor).await;

    // A vendor with a transfer to the US and no mechanism.
    let created = post_as(
        &app,
        &session,
        "/workspace/arturia/vendors/new",
        &[
            ("csrf", &session.csrf),
            ("name", "Acme Mail"),
            ("key", "acme-mail"),
            ("role", "processor"),
            ("categories", "email"),
            ("purpose", "Newsletters"),
            ("status", "active"),
            ("transfer_country", "US"),
            ("transfer_data", "contact"),
        ],
    )
    .await;
    assert_eq!(created.status(), 303, "{}", created.text().await.unwrap());
    assert_eq!(
        created.headers()["location"],
        "/workspace/arturia/vendors/acme-mail"
    );

    let (_, dashboard) = get_as(&app, &session, "/workspace").await;
    let flagged = &dashboard
        [dashboard.find("id=\"flagged-title").unwrap()..dashboard.find("id=\"tia-title").unwrap()];
    assert!(
        flagged.contains("Acme Mail") && flagged.contains("No safeguard — flagged, critical"),
        "{flagged}"
    );

    // The vendor page links its transfer; SCCs signed today and a TIA clear the flag.
    let (_, vendor) = get_as(&app, &session, "/workspace/arturia/vendors/acme-mail").await;
    let link = edit_transfer_link(&vendor);
    let (_, form) = get_as(&app, &session, link).await;
    let version = hidden(&form, "version");
    let today = chrono::Local::now().date_naive().to_string();
    let saved = post_as(
        &app,
        &session,
        link,
        &[
            ("csrf", &session.csrf),
            ("version", &version),
            ("transfer_country", "US"),
            ("transfer_data", "contact"),
            ("transfer_mechanism", "scc_2021"),
            ("transfer_signed_on", &today),
            ("transfer_tia_on", &today),
        ],
    )
    .await;
    assert_eq!(saved.status(), 303);
    let (_, dashboard) = get_as(&app, &session, "/workspace").await;
    let flagged = &dashboard
        [dashboard.find("id=\"flagged-title").unwrap()..dashboard.find("id=\"tia-title").unwrap()];
    assert!(!flagged.contains("Acme Mail"), "{flagged}");

    // A stale edit (the old version) is refused and overwrites nothing.
    let stale = post_as(
        &app,
        &session,
        link,
        &[
            ("csrf", &session.csrf),
            ("version", &version),
            ("transfer_country", "US"),
            ("transfer_data", "contact"),
        ],
    )
    .await;
    assert_eq!(stale.status(), 409);
    assert!(
        stale
            .text()
            .await
            .unwrap()
            .contains("Someone else changed this transfer")
    );

    // The public page announces the addition as upcoming (30 days' notice by default).
    let public: serde_json::Value = app.get_json("/arturia/subprocessors.json").await;
    let upcoming = public["upcoming_changes"].as_array().unwrap();
    assert!(
        upcoming
            .iter()
            .any(|c| c["summary"].as_str().unwrap().contains("Acme Mail")),
        "{upcoming:?}"
    );
}

#[actix_web::test]
async fn the_vendor_form_keeps_what_was_typed_and_names_each_bad_field() {
    let app = spawn_app().await;
    let session = sign_in(&app, "editor@example.com", Role::Editor).await;
    let response = post_as(
        &app,
        &session,
        "/workspace/arturia/vendors/new",
        &[
            ("csrf", &session.csrf),
            ("name", "Half Filled"),
            ("key", "Bad Key"),
            ("role", "processor"),
            ("website", "not a url"),
            ("purpose", ""),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    for field in ["key", "website", "categories", "purpose"] {
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "no error shown for {field}"
        );
    }
    assert!(
        html.contains("value=\"Half Filled\"") && html.contains("value=\"not a url\""),
        "what was typed is kept"
    );
}

#[actix_web::test]
async fn viewers_cannot_edit_and_forms_need_the_csrf_token() {
    let app = spawn_app().await;
    create_user(&app, "viewer@example.com", Role::Viewer);
    create_user(&app, "editor@example.com", Role::Editor);
    let viewer = log_in(&app, "viewer@example.com", PASSWORD).await;
    let form = [
        ("csrf", viewer.csrf.as_str()),
        ("name", "X"),
        ("key", "x"),
        ("role", "processor"),
        ("categories", "email"),
        ("purpose", "p"),
    ];
    assert_eq!(
        post_as(&app, &viewer, "/workspace/arturia/vendors/new", &form)
            .await
            .status(),
        403
    );
    assert_eq!(
        get_as(&app, &viewer, "/workspace/arturia/vendors/new")
            .await
            .0,
        403
    );

    let editor = log_in(&app, "editor@example.com", PASSWORD).await;
    let forged = [
        ("csrf", "forged"),
        ("name", "X"),
        ("key", "x"),
        ("role", "processor"),
        ("categories", "email"),
        ("purpose", "p"),
    ];
    assert_eq!(
        post_as(&app, &editor, "/workspace/arturia/vendors/new", &forged)
            .await
            .status(),
        403
    );
    let (_, list) = get_as(&app, &editor, "/workspace/vendors").await;
    assert!(!list.contains(">X<"), "nothing was created");
}
