//! API clients: created with a secret shown once, revoked.

use super::{ADMIN, client_count, post_text, text_of};
use crate::support::{TestApp, audited, get_as, location, post_as, sign_in, spawn_app};
use crossborder::auth::users::Role;
use serde_json::Value;

async fn token_for(app: &TestApp, id: &str, secret: &str) -> reqwest::Response {
    app.client
        .post(format!("{}/oauth/token", app.address))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
}

#[actix_web::test]
async fn a_client_created_on_the_page_gets_tokens_until_it_is_revoked() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;

    // Refused: no name, no scope.
    let before = client_count(&app);
    let (status, html) = post_text(
        &app,
        &admin,
        "/workspace/admin/clients",
        &[("csrf", &admin.csrf), ("name", "  ")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"name-error\"") && html.contains("id=\"scopes-error\""));
    assert_eq!(client_count(&app), before);

    // Created: the secret is on this page, once.
    let response = post_as(
        &app,
        &admin,
        "/workspace/admin/clients",
        &[
            ("csrf", &admin.csrf),
            ("name", "Procurement tool"),
            ("scopes", "registry:read"),
            ("scopes", "intake:write"),
        ],
    )
    .await;
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.unwrap();
    assert!(html.contains("Copy the secret now."), "{html}");
    let id = text_of(&html, "client-id");
    let secret = text_of(&html, "client-secret");
    assert!(id.starts_with("cb_") && secret.len() >= 40, "{id} {secret}");

    // The secret works at the token endpoint, with the scopes ticked.
    let response = token_for(&app, &id, &secret).await;
    assert_eq!(response.status(), 200);
    let issued: Value = response.json().await.unwrap();
    assert_eq!(issued["scope"], "registry:read intake:write");
    let token = issued["access_token"].as_str().unwrap();
    let response = app
        .api(reqwest::Method::GET, "/api/v1/organisations", token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // The list shows the client, never its secret.
    let (_, list) = get_as(&app, &admin, "/workspace/admin/clients").await;
    assert!(list.contains(&id) && list.contains("Procurement tool"));
    assert!(list.contains("registry:read intake:write"));
    assert!(!list.contains(&secret), "the secret is shown once only");

    // Revoked: no new token.
    let response = post_as(
        &app,
        &admin,
        &format!("/workspace/admin/clients/{id}/revoke"),
        &[("csrf", &admin.csrf)],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, list) = get_as(&app, &admin, &location(&response)).await;
    assert!(list.contains("is revoked"));
    let row = &list[list.find(&format!("id=\"client-{id}\"")).unwrap()..];
    assert!(row[..row.find("</tr>").unwrap()].contains("Revoked"));
    assert_eq!(token_for(&app, &id, &secret).await.status(), 401);
    // Twice is harmless; an unknown client is a 404.
    let response = post_as(
        &app,
        &admin,
        &format!("/workspace/admin/clients/{id}/revoke"),
        &[("csrf", &admin.csrf)],
    )
    .await;
    assert_eq!(response.status(), 303);
    let response = post_as(
        &app,
        &admin,
        "/workspace/admin/clients/cb_nothing/revoke",
        &[("csrf", &admin.csrf)],
    )
    .await;
    assert_eq!(response.status(), 404);

    // Audited by the admin, once each, without the secret or its hash.
    let created = audited(&app, "api_client", "create");
    let revoked = audited(&app, "api_client", "revoke");
    assert_eq!((created.len(), revoked.len()), (1, 1));
    assert_eq!(created[0].0, "user:admin@example.com");
    assert_eq!(revoked[0].0, "user:admin@example.com");
    assert_eq!(created[0].1, revoked[0].1);
    assert_eq!(created[0].3.as_ref().unwrap()["client_id"], id.as_str());
    assert!(revoked[0].2.as_ref().unwrap()["revoked_at"].is_null());
    assert!(revoked[0].3.as_ref().unwrap()["revoked_at"].is_string());
    for (_, _, before, after) in created.iter().chain(&revoked) {
        for doc in [before, after].into_iter().flatten() {
            let text = doc.to_string();
            assert!(
                !text.contains(&secret) && !text.contains("argon2"),
                "{text}"
            );
        }
    }
}

#[actix_web::test]
async fn clients_made_from_the_command_line_code_path_are_audited_as_its_actor() {
    let app = spawn_app().await;
    let (client, _) = crossborder::auth::clients::create(
        &mut app.conn(),
        "nightly export",
        &[crossborder::auth::Scope::RegistryRead],
        None,
        "cli",
    )
    .unwrap();
    assert!(crossborder::auth::clients::revoke(&mut app.conn(), &client.client_id, "cli").unwrap());
    assert!(
        !crossborder::auth::clients::revoke(&mut app.conn(), &client.client_id, "cli").unwrap()
    );
    assert_eq!(audited(&app, "api_client", "create")[0].0, "cli");
    let revoked = audited(&app, "api_client", "revoke");
    assert_eq!(revoked.len(), 1, "a second revoke writes nothing");
    assert_eq!(revoked[0].0, "cli");
}
