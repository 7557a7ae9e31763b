//! Memberships through the API (`accounts:manage`): only a caller of every organisation may
//! hold it; it lists accounts and sets the organisations of one, with the same rules as the
//! admin pages (the last admin of every organisation is kept) and the audit trail.

use crossborder::auth::clients;
use crossborder::auth::parse_scopes;
use crossborder::auth::users::Role;
use reqwest::Method;
use serde_json::json;

use crate::support::{TestApp, audited, create_user, get_as, post_as, send, sign_in, spawn_app};

fn bound_token(app: &TestApp, scopes: &str, organisations: &[&str]) -> String {
    let organisations: Vec<String> = organisations.iter().map(|s| s.to_string()).collect();
    app.state
        .verifier
        .issue(
            "bound-tool",
            &parse_scopes(scopes).unwrap(),
            Some(&organisations),
            None,
        )
        .unwrap()
        .0
}

async fn account(app: &TestApp, token: &str, email: &str) -> serde_json::Value {
    let list = send(app.api(Method::GET, "/api/v1/accounts", token)).await;
    list.ok(200)
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == email)
        .cloned()
        .unwrap_or_else(|| panic!("{email} is listed"))
}

#[actix_web::test]
async fn an_operator_tool_sets_an_accounts_organisations_and_the_member_sees_only_those() {
    let app = spawn_app().await;
    let session = sign_in(&app, "member@example.com", Role::Editor).await;
    let token = app.token("hr-tool", "accounts:manage");
    let before = account(&app, &token, "member@example.com").await;
    assert_eq!(before["all_organisations"], true);
    assert!(before.get("password_hash").is_none());
    let id = before["id"].as_i64().unwrap();

    let path = format!("/api/v1/accounts/{id}/memberships");
    let body = json!({"memberships": [{"organisation": "arturia", "role": "editor"},
                                      {"organisation": "qobuz", "role": "viewer"}]});
    let changed = send(app.api(Method::PUT, &path, &token).json(&body)).await;
    let changed = changed.ok(200);
    assert_eq!(changed["all_organisations"], false);
    assert_eq!(changed["role"], "editor");
    assert_eq!(
        changed["memberships"][1],
        json!({"organisation": "qobuz", "role": "viewer"})
    );
    let audit = audited(&app, "user", "change_memberships");
    assert!(audit[0].0.contains("hr-tool"), "{audit:?}");

    // The member's next page already follows: Spotify is not theirs any more.
    assert_eq!(
        get_as(&app, &session, "/workspace/spotify/vendors/new")
            .await
            .0,
        404
    );
    assert_eq!(
        get_as(&app, &session, "/workspace/arturia/vendors/new")
            .await
            .0,
        200
    );

    // Back to every organisation.
    let all = json!({"all_organisations": true});
    let back = send(app.api(Method::PUT, &path, &token).json(&all)).await;
    assert_eq!(back.ok(200)["all_organisations"], true);
}

#[actix_web::test]
async fn bad_memberships_are_named_field_by_field_and_change_nothing() {
    let app = spawn_app().await;
    create_user(&app, "member@example.com", Role::Viewer);
    let token = app.token("hr-tool", "accounts:manage");
    let id = account(&app, &token, "member@example.com").await["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/accounts/{id}/memberships");
    let cases = [
        (
            json!({"memberships": [{"organisation": "nowhere", "role": "editor"}]}),
            "memberships[0].organisation",
        ),
        (
            json!({"memberships": [{"organisation": "arturia", "role": "owner"}]}),
            "memberships[0].role",
        ),
        (
            json!({"memberships": [{"organisation": "arturia", "role": "viewer"},
                                   {"organisation": "arturia", "role": "editor"}]}),
            "memberships[1].organisation",
        ),
        (json!({"memberships": []}), "memberships"),
        (
            json!({"all_organisations": true, "memberships": [{"organisation": "arturia", "role": "viewer"}]}),
            "memberships",
        ),
        (json!({"members": []}), "members"),
    ];
    for (body, field) in cases {
        let reply = send(app.api(Method::PUT, &path, &token).json(&body)).await;
        let problem = reply.problem(422);
        let named = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == field);
        assert!(named, "{body}: {field} is named in {problem:#}");
    }
    assert_eq!(
        account(&app, &token, "member@example.com").await["all_organisations"],
        true
    );
    let missing = send(
        app.api(Method::PUT, "/api/v1/accounts/99999/memberships", &token)
            .json(&json!({"all_organisations": true})),
    )
    .await;
    missing.problem(404);
}

#[actix_web::test]
async fn the_last_admin_of_every_organisation_is_kept() {
    let app = spawn_app().await;
    create_user(&app, "root@example.com", Role::Admin);
    let token = app.token("hr-tool", "accounts:manage");
    let id = account(&app, &token, "root@example.com").await["id"]
        .as_i64()
        .unwrap();
    let reply = send(
        app.api(
            Method::PUT,
            &format!("/api/v1/accounts/{id}/memberships"),
            &token,
        )
        .json(&json!({"memberships": [{"organisation": "arturia", "role": "admin"}]})),
    )
    .await;
    let problem = reply.problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("last enabled admin"),
        "{problem:#}"
    );
    assert_eq!(
        account(&app, &token, "root@example.com").await["all_organisations"],
        true
    );
}

#[actix_web::test]
async fn only_a_caller_of_every_organisation_may_manage_accounts() {
    let app = spawn_app().await;
    create_user(&app, "member@example.com", Role::Viewer);
    // Without the scope: 403.
    let reader = app.token("tool", "registry:read");
    send(app.api(Method::GET, "/api/v1/accounts", &reader))
        .await
        .problem(403);
    // With it, but bound to Arturia (a token from another signer could say so): 403 too.
    let bound = bound_token(&app, "accounts:manage", &["arturia"]);
    send(app.api(Method::GET, "/api/v1/accounts", &bound))
        .await
        .problem(403);
    let put = app
        .api(Method::PUT, "/api/v1/accounts/1/memberships", &bound)
        .json(&json!({"all_organisations": true}));
    send(put).await.problem(403);

    // Nor is such a client created from the admin pages.
    let admin = sign_in(&app, "admin@example.com", Role::Admin).await;
    let form = [
        ("csrf", admin.csrf.as_str()),
        ("name", "HR tool"),
        ("scopes", "accounts:manage"),
        ("organisation", "arturia"),
    ];
    let response = post_as(&app, &admin, "/workspace/admin/clients", &form).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.unwrap();
    assert!(
        page.contains("only for a client of every organisation"),
        "{page}"
    );
    assert!(clients::list(&mut app.conn()).unwrap().is_empty());
}
