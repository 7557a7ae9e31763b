//! Memberships on the workspace pages that span organisations (dashboard, vendors, intake,
//! audit log): a member sees and acts on its organisations only; another organisation's
//! records are left out of lists and are a 404 by id. And memberships managed from the admin
//! pages: an account's organisations and role in each, an API client's organisations.

use crossborder::auth::clients;
use crossborder::auth::users::{self, Role};
use reqwest::Method;
use serde_json::json;

use crate::support::{
    ALL_SCOPES, Session, TestApp, audited, create_user, create_vendor, get_as, log_in, new_vendor,
    post_as, send, sign_in, spawn_app,
};

fn account_id(app: &TestApp, email: &str) -> i32 {
    users::list(&mut app.conn())
        .unwrap()
        .into_iter()
        .find(|a| a.email == email)
        .unwrap()
        .id
}

async fn file_intake_for(app: &TestApp, slug: &str, name: &str) -> i64 {
    let token = app.token("tool", "intake:write");
    let request = app
        .api(Method::POST, "/api/v1/intake", &token)
        .json(&json!({
            "organisation": slug, "vendor_name": name, "purpose": "Testing",
            "countries": ["US"], "data_categories": [], "requester": "qa",
        }));
    send(request).await.ok(201)["id"].as_i64().unwrap()
}

/// An editor in Arturia and a viewer in Qobuz, nothing else.
async fn member(app: &TestApp) -> Session {
    let session = sign_in(app, "member@example.com", Role::Editor).await;
    let id = account_id(app, "member@example.com");
    users::set_memberships(
        &mut app.conn(),
        id,
        Some(&[
            ("arturia".to_string(), Role::Editor),
            ("qobuz".to_string(), Role::Viewer),
        ]),
        users::ChangedBy::Cli,
    )
    .unwrap();
    session
}

/// The organisation column of each row of the audit log's CSV.
fn csv_organisations(body: &str) -> Vec<String> {
    csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap()[5].to_string())
        .collect()
}

#[actix_web::test]
async fn a_member_sees_only_its_organisations_where_pages_span_them() {
    let app = spawn_app().await;
    let token = app.token("tool", ALL_SCOPES);
    create_vendor(
        &app,
        &token,
        "arturia",
        &new_vendor("mine-visible", "Mine Visible"),
    )
    .await
    .ok(201);
    create_vendor(
        &app,
        &token,
        "spotify",
        &new_vendor("theirs-secret", "Theirs Secret"),
    )
    .await
    .ok(201);
    file_intake_for(&app, "arturia", "Arturia Request").await;
    file_intake_for(&app, "spotify", "Spotify Request").await;
    let session = member(&app).await;

    let (status, dashboard) = get_as(&app, &session, "/workspace").await;
    assert_eq!(status, 200);
    assert!(dashboard.contains("/workspace/arturia/"), "{dashboard}");
    for other in [
        "/workspace/spotify/",
        "/workspace/jamendo/",
        "Spotify Request",
    ] {
        assert!(!dashboard.contains(other), "{other} on the dashboard");
    }
    assert!(dashboard.contains("Arturia Request"));

    for path in [
        "/workspace/vendors",
        "/workspace/vendors?organisation=spotify",
    ] {
        let (status, list) = get_as(&app, &session, path).await;
        assert_eq!(status, 200);
        assert!(!list.contains("/workspace/spotify/"), "{path}");
        assert!(!list.contains("Theirs Secret"), "{path}");
        assert!(!list.contains("value=\"spotify\""), "{path}: not a choice");
    }
    let (_, list) = get_as(&app, &session, "/workspace/vendors").await;
    assert!(list.contains("Mine Visible") && list.contains("/workspace/qobuz/"));

    let (status, intake) = get_as(&app, &session, "/workspace/intake").await;
    assert_eq!(status, 200);
    assert!(intake.contains("Arturia Request"));
    assert!(!intake.contains("Spotify Request"));

    let (status, page) = get_as(&app, &session, "/workspace/audit").await;
    assert_eq!(status, 200);
    assert!(!page.contains("theirs-secret") && !page.contains(">Spotify<"));
    let (status, page) = get_as(&app, &session, "/workspace/audit?organisation=spotify").await;
    assert_eq!(
        status, 400,
        "as unknown as an organisation that does not exist"
    );
    assert!(
        page.contains("There is no organisation &#39;spotify&#39;")
            || page.contains("There is no organisation 'spotify'"),
        "{page}"
    );
    let (status, csv) = get_as(&app, &session, "/workspace/audit.csv").await;
    assert_eq!(status, 200);
    assert!(csv.contains("mine-visible") && !csv.contains("theirs-secret"));
    let organisations = csv_organisations(&csv);
    assert!(!organisations.is_empty());
    assert!(
        organisations.iter().all(|o| o == "arturia" || o == "qobuz"),
        "no other organisation, no event outside any (accounts, sign-ins): {organisations:?}"
    );

    // Someone who sees every organisation sees them all.
    let operator = sign_in(&app, "operator@example.com", Role::Viewer).await;
    let (_, csv) = get_as(&app, &operator, "/workspace/audit.csv").await;
    assert!(csv.contains("theirs-secret"));
    assert!(csv_organisations(&csv).iter().any(String::is_empty));
}

#[actix_web::test]
async fn a_member_decides_intake_requests_of_its_organisations_only() {
    let app = spawn_app().await;
    let theirs = file_intake_for(&app, "spotify", "Spotify Request").await;
    let viewed = file_intake_for(&app, "qobuz", "Qobuz Request").await;
    let mine = file_intake_for(&app, "arturia", "Arturia Request").await;
    let session = member(&app).await;
    for action in ["approve", "reject"] {
        let response = post_as(
            &app,
            &session,
            &format!("/workspace/intake/{theirs}/{action}"),
            &[("csrf", &session.csrf), ("reason", "not ours")],
        )
        .await;
        assert_eq!(response.status(), 404, "{action}: as if it did not exist");
        assert!(!response.text().await.unwrap().contains("Spotify"));
    }
    let response = post_as(
        &app,
        &session,
        &format!("/workspace/intake/{viewed}/approve"),
        &[("csrf", &session.csrf)],
    )
    .await;
    assert_eq!(response.status(), 403, "a viewer in Qobuz");
    let response = post_as(
        &app,
        &session,
        &format!("/workspace/intake/{mine}/approve"),
        &[("csrf", &session.csrf)],
    )
    .await;
    assert_eq!(response.status(), 303);
    let token = app.token("tool", "registry:read");
    for (id, status) in [(theirs, "pending"), (viewed, "pending"), (mine, "approved")] {
        let reply = send(app.api(Method::GET, &format!("/api/v1/intake/{id}"), &token)).await;
        assert_eq!(reply.ok(200)["status"], status, "request #{id}");
    }
}

#[actix_web::test]
async fn an_admin_sets_an_accounts_organisations_from_the_users_page() {
    let app = spawn_app().await;
    let admin = sign_in(&app, "admin@example.com", Role::Admin).await;
    create_user(&app, "officer@example.com", Role::Editor);
    let id = account_id(&app, "officer@example.com");
    let (_, page) = get_as(&app, &admin, "/workspace/admin/users").await;
    assert!(page.contains(&format!("/workspace/admin/users/{id}/memberships")));
    assert!(page.contains("value=\"qobuz:viewer\""));

    let path = format!("/workspace/admin/users/{id}/memberships");
    let response = post_as(
        &app,
        &admin,
        &path,
        &[
            ("csrf", &admin.csrf),
            ("org", "arturia:editor"),
            ("org", ""),
            ("org", "qobuz:viewer"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let account = users::list(&mut app.conn())
        .unwrap()
        .into_iter()
        .find(|a| a.id == id)
        .unwrap();
    assert_eq!(
        account.memberships,
        Some(vec![
            ("arturia".to_string(), Role::Editor),
            ("qobuz".to_string(), Role::Viewer)
        ])
    );
    let events = audited(&app, "user", "change_memberships");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].0, "user:admin@example.com");
    assert_eq!(
        events[0].3.as_ref().unwrap()["memberships"],
        "arturia:editor qobuz:viewer"
    );
    let (_, page) = get_as(
        &app,
        &admin,
        &format!("/workspace/admin/users?done=memberships&id={id}"),
    )
    .await;
    assert!(
        page.contains("officer@example.com now sees only arturia (as editor), qobuz (as viewer)."),
        "{page}"
    );

    // It applies at the account's next request.
    let officer = log_in(&app, "officer@example.com", crate::support::PASSWORD).await;
    let (status, _) = get_as(&app, &officer, "/workspace/spotify/vendors/new").await;
    assert_eq!(status, 404);
    let (status, _) = get_as(&app, &officer, "/workspace/qobuz/vendors/new").await;
    assert_eq!(status, 403);

    // Refused: no organisation at all, an unknown one, the admin's own.
    for (form, status, message) in [
        (vec![("org", "")], 422, "at least one organisation"),
        (
            vec![("org", "nowhere:editor")],
            422,
            "is not an organisation",
        ),
    ] {
        let mut form = form;
        form.push(("csrf", &admin.csrf));
        let response = post_as(&app, &admin, &path, &form).await;
        assert_eq!(response.status(), status);
        assert!(
            response.text().await.unwrap().contains(message),
            "{message}"
        );
    }
    let own = format!(
        "/workspace/admin/users/{}/memberships",
        account_id(&app, "admin@example.com")
    );
    let response = post_as(
        &app,
        &admin,
        &own,
        &[("csrf", &admin.csrf), ("org", "arturia:admin")],
    )
    .await;
    assert_eq!(response.status(), 409);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("your own organisations")
    );

    // Every organisation again.
    let response = post_as(
        &app,
        &admin,
        &path,
        &[("csrf", &admin.csrf), ("every", "on")],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(audited(&app, "user", "change_memberships").len(), 2);
    let (status, _) = get_as(&app, &officer, "/workspace/spotify/vendors/new").await;
    assert_eq!(status, 200);
}

#[actix_web::test]
async fn an_admin_binds_an_api_client_to_organisations_from_the_clients_page() {
    let app = spawn_app().await;
    let admin = sign_in(&app, "admin@example.com", Role::Admin).await;
    let (_, page) = get_as(&app, &admin, "/workspace/admin/clients").await;
    for slug in ["arturia", "jamendo", "qobuz", "qtrax", "spotify"] {
        assert!(
            page.contains(&format!("name=\"organisation\" value=\"{slug}\"")),
            "{slug}: {page}"
        );
    }
    let response = post_as(
        &app,
        &admin,
        "/workspace/admin/clients",
        &[
            ("csrf", &admin.csrf),
            ("name", "Arturia's tool"),
            ("scopes", "registry:read"),
            ("organisation", "arturia"),
        ],
    )
    .await;
    assert_eq!(response.status(), 201);
    assert!(response.text().await.unwrap().contains("arturia"));
    let client = clients::list(&mut app.conn()).unwrap().pop().unwrap();
    assert_eq!(client.organisations, Some(vec!["arturia".to_string()]));
    let created = audited(&app, "api_client", "create");
    assert_eq!(created[0].0, "user:admin@example.com");
    assert_eq!(
        created[0].3.as_ref().unwrap()["organisations"],
        json!(["arturia"])
    );

    let response = post_as(
        &app,
        &admin,
        "/workspace/admin/clients",
        &[
            ("csrf", &admin.csrf),
            ("name", "Tool"),
            ("scopes", "registry:read"),
            ("organisation", "nowhere"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("There is no organisation")
    );
    assert_eq!(clients::list(&mut app.conn()).unwrap().len(), 1);
}
