//! Who may use the admin pages: admins only, every post CSRF-checked.

use super::{ADMIN, client_count, role_of, settings_of, user_count, user_id};
use crate::support::{
    PASSWORD, audit_count, create_user, get_as, location, post_as, sign_in, spawn_app,
};
use crossborder::auth::users::Role;
use crossborder::db::schema::api_clients;
use diesel::prelude::*;

#[actix_web::test]
async fn editors_and_viewers_get_403_on_every_admin_route() {
    let app = spawn_app().await;
    let _admin = sign_in(&app, ADMIN, Role::Admin).await;
    let (client, _) = crossborder::auth::clients::create(
        &mut app.conn(),
        "tool",
        &[crossborder::auth::Scope::RegistryRead],
        None,
        "test",
    )
    .unwrap();
    let target = user_id(&app, ADMIN);
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let viewer = sign_in(&app, "viewer@example.com", Role::Viewer).await;
    let gets = [
        "/workspace/admin".to_string(),
        "/workspace/admin/users".to_string(),
        "/workspace/admin/clients".to_string(),
        "/workspace/admin/organisations/arturia".to_string(),
    ];
    let posts = [
        "/workspace/admin/users".to_string(),
        format!("/workspace/admin/users/{target}/role"),
        format!("/workspace/admin/users/{target}/disable"),
        format!("/workspace/admin/users/{target}/enable"),
        "/workspace/admin/clients".to_string(),
        format!("/workspace/admin/clients/{}/revoke", client.client_id),
        "/workspace/admin/organisations/arturia".to_string(),
    ];
    let settings = settings_of(&app, "arturia");
    let (users, clients, audits) = (user_count(&app), client_count(&app), audit_count(&app));
    for session in [&editor, &viewer] {
        let (_, dashboard) = get_as(&app, session, "/workspace").await;
        assert!(
            !dashboard.contains("href=\"/workspace/admin\""),
            "no Admin link"
        );
        for path in &gets {
            let (status, html) = get_as(&app, session, path).await;
            assert_eq!(status, 403, "GET {path}");
            assert!(html.contains("need the admin role"), "{html}");
        }
        for path in &posts {
            let response = post_as(
                &app,
                session,
                path,
                &[
                    ("csrf", &session.csrf),
                    ("email", "intruder@example.com"),
                    ("role", "admin"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                    ("name", "Intruder"),
                    ("scopes", "registry:write"),
                    ("version", &settings.1.to_string()),
                    ("announce_days", "1"),
                ],
            )
            .await;
            assert_eq!(response.status(), 403, "POST {path}");
        }
    }
    assert_eq!(settings_of(&app, "arturia"), settings, "nothing changed");
    assert_eq!(
        (user_count(&app), client_count(&app), audit_count(&app)),
        (users, clients, audits),
        "nothing changed"
    );
    assert_eq!(role_of(&app, ADMIN), "admin");

    // Not signed in: to the sign-in page, coming back afterwards.
    let response = app.get("/workspace/admin/users").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        "/workspace/login?next=%2Fworkspace%2Fadmin%2Fusers"
    );
    let response = app
        .client
        .post(format!("{}/workspace/admin/users", app.address))
        .form(&[("email", "x@example.com")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(user_count(&app), users);
}

#[actix_web::test]
async fn admin_forms_without_the_csrf_token_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    create_user(&app, "officer@example.com", Role::Editor);
    let officer = user_id(&app, "officer@example.com");
    let (client, _) = crossborder::auth::clients::create(
        &mut app.conn(),
        "tool",
        &[crossborder::auth::Scope::RegistryRead],
        None,
        "test",
    )
    .unwrap();
    let settings = settings_of(&app, "arturia");
    let posts = [
        "/workspace/admin/users".to_string(),
        format!("/workspace/admin/users/{officer}/role"),
        format!("/workspace/admin/users/{officer}/disable"),
        format!("/workspace/admin/users/{officer}/enable"),
        "/workspace/admin/clients".to_string(),
        format!("/workspace/admin/clients/{}/revoke", client.client_id),
        "/workspace/admin/organisations/arturia".to_string(),
    ];
    let version = settings.1.to_string();
    let fields = |csrf: Option<&'static str>| {
        let mut form = vec![
            ("email", "forged@example.com".to_string()),
            ("role", "viewer".to_string()),
            ("password", PASSWORD.to_string()),
            ("password_confirm", PASSWORD.to_string()),
            ("name", "Forged".to_string()),
            ("scopes", "registry:write".to_string()),
            ("version", version.clone()),
            ("announce_days", "1".to_string()),
        ];
        if let Some(c) = csrf {
            form.push(("csrf", c.to_string()));
        }
        form
    };
    let (users, clients, audits) = (user_count(&app), client_count(&app), audit_count(&app));
    for csrf in [None, Some("forged"), Some("")] {
        for path in &posts {
            let form = fields(csrf);
            let response = app
                .client
                .post(format!("{}{path}", app.address))
                .header("Cookie", format!("cb_session={}", admin.cookie))
                .form(&form)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403, "POST {path} with csrf {csrf:?}");
            assert!(response.text().await.unwrap().contains("CSRF"));
        }
    }
    assert_eq!(
        (user_count(&app), client_count(&app), audit_count(&app)),
        (users, clients, audits)
    );
    assert_eq!(settings_of(&app, "arturia"), settings);
    assert_eq!(role_of(&app, "officer@example.com"), "editor");
    let revoked: Option<chrono::NaiveDateTime> = api_clients::table
        .filter(api_clients::client_id.eq(&client.client_id))
        .select(api_clients::revoked_at)
        .first(&mut app.conn())
        .unwrap();
    assert!(revoked.is_none());
}
