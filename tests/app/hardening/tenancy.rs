//! Organisations are tenants: a client bound to one organisation, and an account member of one,
//! see nothing of the others (404), read or write.

use crossborder::auth::users::{self, Role};
use crossborder::auth::{Scope, clients};
use reqwest::Method;
use serde_json::json;

use crate::support::{
    create_vendor, file_intake, get_as, new_vendor, post_as, send, sign_in, spawn_app,
};

#[actix_web::test]
async fn a_client_acts_only_on_its_organisations() {
    let app = spawn_app().await;
    let scopes = [
        Scope::RegistryRead,
        Scope::RegistryWrite,
        Scope::IntakeWrite,
    ];
    let (client, secret) = clients::create(
        &mut app.conn(),
        "arturia's tool",
        &scopes,
        Some(&["arturia".to_string()]),
        "test",
    )
    .unwrap();
    let response = app
        .client
        .post(format!("{}/oauth/token", app.address))
        .basic_auth(&client.client_id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let token = response.json::<serde_json::Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    create_vendor(&app, &token, "arturia", &new_vendor("mine", "Mine"))
        .await
        .ok(201);
    for slug in ["qobuz", "spotify", "jamendo", "qtrax"] {
        create_vendor(&app, &token, slug, &new_vendor("theirs", "Theirs"))
            .await
            .problem(404);
        for path in [
            format!("/api/v1/organisations/{slug}"),
            format!("/api/v1/organisations/{slug}/vendors"),
            format!("/api/v1/organisations/{slug}/transfers"),
        ] {
            send(app.api(Method::GET, &path, &token)).await.problem(404);
        }
    }
    let list = send(app.api(Method::GET, "/api/v1/organisations", &token)).await;
    let slugs: Vec<&str> = list.ok(200)["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["arturia"]);
    let intake = json!({"organisation": "qobuz", "vendor_name": "X", "purpose": "Y",
        "countries": ["US"], "data_categories": [], "requester": "me"});
    send(
        app.api(Method::POST, "/api/v1/intake", &token)
            .json(&intake),
    )
    .await
    .problem(404);
}

#[actix_web::test]
async fn a_member_of_one_organisation_cannot_see_or_edit_another() {
    let app = spawn_app().await;
    let session = sign_in(&app, "arturia@example.com", Role::Editor).await;
    let id = users::list(&mut app.conn())
        .unwrap()
        .into_iter()
        .find(|a| a.email == "arturia@example.com")
        .unwrap()
        .id;
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
    assert_eq!(
        get_as(&app, &session, "/workspace/arturia/vendors/new")
            .await
            .0,
        200
    );
    assert_eq!(
        get_as(&app, &session, "/workspace/spotify/vendors/new")
            .await
            .0,
        404
    );
    // A viewer in Qobuz: may not edit there.
    assert_eq!(
        get_as(&app, &session, "/workspace/qobuz/vendors/new")
            .await
            .0,
        403
    );
    let response = post_as(
        &app,
        &session,
        "/workspace/spotify/vendors/new",
        &[("csrf", &session.csrf), ("key", "x"), ("name", "X")],
    )
    .await;
    assert_eq!(response.status(), 404);
    // The admin pages are the operator's.
    assert_eq!(get_as(&app, &session, "/workspace/admin").await.0, 403);
    let _ = file_intake;
}
