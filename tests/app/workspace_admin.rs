//! The admin pages of the workspace: accounts (create, role, disable and enable), API clients
//! (create with a secret shown once, revoke) and organisation settings (notice period, privacy
//! contact) — admins only, CSRF-checked, audited.

use crate::support::{
    PASSWORD, Session, TestApp, audit_count, audited, create_user, get_as, get_response, hidden,
    location, log_in, post_as, post_login, sign_in, spawn_app, text_by_id, today,
};
use chrono::Duration;
use crossborder::auth::users::{self, Role};
use crossborder::db::schema::{api_clients, organisations, sessions, users as users_t};
use diesel::prelude::*;
use serde_json::Value;

const ADMIN: &str = "admin@example.com";

async fn post_text(
    app: &TestApp,
    session: &Session,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = post_as(app, session, path, form).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

fn user_id(app: &TestApp, email: &str) -> i32 {
    users_t::table
        .filter(users_t::email.eq(email))
        .select(users_t::id)
        .first(&mut app.conn())
        .expect("the account exists")
}

fn role_of(app: &TestApp, email: &str) -> String {
    users_t::table
        .filter(users_t::email.eq(email))
        .select(users_t::role)
        .first(&mut app.conn())
        .unwrap()
}

fn user_count(app: &TestApp) -> i64 {
    users_t::table.count().get_result(&mut app.conn()).unwrap()
}

fn client_count(app: &TestApp) -> i64 {
    api_clients::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

/// The notice period, version and revision of an organisation.
fn settings_of(app: &TestApp, slug: &str) -> (i32, i32, i32, Option<String>) {
    organisations::table
        .filter(organisations::slug.eq(slug))
        .select((
            organisations::announce_days,
            organisations::version,
            organisations::revision,
            organisations::privacy_contact,
        ))
        .first(&mut app.conn())
        .unwrap()
}

/// The `value` of the `<input>` named `name`, whatever the order of its attributes.
fn input_value(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no input {name}"));
    let start = html[..at].rfind("<input").expect("an input tag");
    let end = at + html[at..].find('>').unwrap();
    let tag = &html[start..end];
    let v = tag.find("value=\"").expect("a value") + "value=\"".len();
    tag[v..v + tag[v..].find('"').unwrap()].to_string()
}

/// The text of the element with this id (no nested tags).
fn text_of(html: &str, id: &str) -> String {
    text_by_id(html, id).unwrap_or_else(|| panic!("no #{id}"))
}

// --- Accounts ---

#[actix_web::test]
async fn an_admin_creates_an_account_that_can_then_sign_in() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;

    // The admin sees the Admin link and the admin home lists what admins manage.
    let (_, dashboard) = get_as(&app, &admin, "/workspace").await;
    assert!(
        dashboard.contains("href=\"/workspace/admin\""),
        "Admin link"
    );
    let (status, home) = get_as(&app, &admin, "/workspace/admin").await;
    assert_eq!(status, 200);
    for link in [
        "/workspace/admin/users",
        "/workspace/admin/clients",
        "/workspace/admin/organisations/arturia",
        "/workspace/admin/organisations/spotify",
    ] {
        assert!(home.contains(&format!("href=\"{link}\"")), "{link}");
    }
    let response = get_response(&app, &admin, "/workspace/admin/users").await;
    assert_eq!(response.headers()["cache-control"], "no-store");
    let users_page = response.text().await.unwrap();
    assert!(users_page.contains(ADMIN) && users_page.contains("(you)"));

    // Refused: every bad field named, the e-mail and role kept, the passwords never echoed.
    let before = (user_count(&app), audit_count(&app));
    let (status, html) = post_text(
        &app,
        &admin,
        "/workspace/admin/users",
        &[
            ("csrf", &admin.csrf),
            ("email", "not an address"),
            ("role", "editor"),
            ("password", "short"),
            ("password_confirm", "other"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    for field in ["email", "password", "password_confirm"] {
        assert!(
            html.contains(&format!("id=\"{field}-error\"")),
            "no error for {field}"
        );
        assert!(
            html.contains(&format!("aria-describedby=\"{field}-error\"")),
            "{field} is not described by its error"
        );
    }
    assert!(
        html.contains("value=\"not an address\""),
        "the e-mail is kept"
    );
    assert!(
        html.contains("<option value=\"editor\" selected>"),
        "the role is kept"
    );
    assert!(
        !html.contains("value=\"short\""),
        "passwords are not echoed"
    );
    assert_eq!(
        (user_count(&app), audit_count(&app)),
        before,
        "nothing changed"
    );

    // Created.
    let response = post_as(
        &app,
        &admin,
        "/workspace/admin/users",
        &[
            ("csrf", &admin.csrf),
            ("email", "New.Officer@Example.com"),
            ("role", "editor"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let id = user_id(&app, "new.officer@example.com");
    assert_eq!(
        location(&response),
        format!("/workspace/admin/users?done=created&id={id}")
    );
    let (_, html) = get_as(&app, &admin, &location(&response)).await;
    assert!(html.contains("Account new.officer@example.com created with the role editor"));
    assert_eq!(role_of(&app, "new.officer@example.com"), "editor");

    // The new account signs in, and is an editor (no Admin link).
    let officer = log_in(&app, "new.officer@example.com", PASSWORD).await;
    let (status, html) = get_as(&app, &officer, "/workspace/arturia/vendors/new").await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("href=\"/workspace/admin\""),
        "no Admin link for editors"
    );

    // The same address twice is refused.
    let (status, html) = post_text(
        &app,
        &admin,
        "/workspace/admin/users",
        &[
            ("csrf", &admin.csrf),
            ("email", "new.officer@example.com"),
            ("role", "viewer"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    )
    .await;
    assert_eq!(status, 409);
    assert!(html.contains("exists already") && html.contains("id=\"email-error\""));

    // Audited by the admin, without the password or its hash.
    let created = audited(&app, "user", "create");
    let (actor, entity_id, _, after) = created.last().unwrap();
    assert_eq!(actor, "user:admin@example.com");
    assert_eq!(*entity_id, Some(id));
    let after = after.as_ref().unwrap();
    assert_eq!(after["email"], "new.officer@example.com");
    assert_eq!(after["role"], "editor");
    let text = after.to_string();
    assert!(
        !text.contains("argon2") && !text.contains(PASSWORD),
        "{text}"
    );
}

#[actix_web::test]
async fn a_role_change_takes_effect_on_the_next_request() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    let viewer = sign_in(&app, "reader@example.com", Role::Viewer).await;
    let id = user_id(&app, "reader@example.com");
    assert_eq!(
        get_as(&app, &viewer, "/workspace/arturia/vendors/new")
            .await
            .0,
        403
    );

    let response = post_as(
        &app,
        &admin,
        &format!("/workspace/admin/users/{id}/role"),
        &[("csrf", &admin.csrf), ("role", "editor")],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, html) = get_as(&app, &admin, &location(&response)).await;
    assert!(html.contains("reader@example.com is now editor."));
    assert_eq!(role_of(&app, "reader@example.com"), "editor");
    // The open session has the new role at once.
    assert_eq!(
        get_as(&app, &viewer, "/workspace/arturia/vendors/new")
            .await
            .0,
        200
    );

    // Promoted to admin, the same session opens the admin pages.
    let response = post_as(
        &app,
        &admin,
        &format!("/workspace/admin/users/{id}/role"),
        &[("csrf", &admin.csrf), ("role", "admin")],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(get_as(&app, &viewer, "/workspace/admin").await.0, 200);

    // Not a role: refused on the row, nothing changed.
    let (status, html) = post_text(
        &app,
        &admin,
        &format!("/workspace/admin/users/{id}/role"),
        &[("csrf", &admin.csrf), ("role", "owner")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains(&format!("id=\"role-{id}-error\"")));
    assert_eq!(role_of(&app, "reader@example.com"), "admin");

    // An unknown account.
    let (status, _) = post_text(
        &app,
        &admin,
        "/workspace/admin/users/99999/role",
        &[("csrf", &admin.csrf), ("role", "viewer")],
    )
    .await;
    assert_eq!(status, 404);

    let changes = audited(&app, "user", "change_role");
    assert_eq!(changes.len(), 2, "{changes:?}");
    let (actor, entity_id, before, after) = &changes[0];
    assert_eq!(actor, "user:admin@example.com");
    assert_eq!(*entity_id, Some(id));
    assert_eq!(before.as_ref().unwrap()["role"], "viewer");
    assert_eq!(after.as_ref().unwrap()["role"], "editor");
    assert!(!after.as_ref().unwrap().to_string().contains("argon2"));
}

#[actix_web::test]
async fn a_disabled_account_cannot_sign_in_and_its_open_session_ends() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    let officer = sign_in(&app, "officer@example.com", Role::Editor).await;
    let id = user_id(&app, "officer@example.com");
    assert_eq!(get_as(&app, &officer, "/workspace").await.0, 200);

    let response = post_as(
        &app,
        &admin,
        &format!("/workspace/admin/users/{id}/disable"),
        &[("csrf", &admin.csrf)],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, html) = get_as(&app, &admin, &location(&response)).await;
    assert!(html.contains("officer@example.com is disabled"));
    let row = &html[html.find(&format!("id=\"user-{id}\"")).unwrap()..];
    assert!(row[..row.find("</tr>").unwrap()].contains("Disabled"));

    // The open session stops working, and no new one can be opened.
    let response = get_response(&app, &officer, "/workspace").await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/workspace/login"));
    let sessions: i64 = sessions::table
        .filter(sessions::user_id.eq(id))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(sessions, 0, "the account's sessions are gone");
    assert_eq!(
        post_login(&app, "officer@example.com", PASSWORD)
            .await
            .status(),
        401
    );
    // Nothing was deleted.
    assert_eq!(role_of(&app, "officer@example.com"), "editor");

    // Enabled again, the account signs in.
    let response = post_as(
        &app,
        &admin,
        &format!("/workspace/admin/users/{id}/enable"),
        &[("csrf", &admin.csrf)],
    )
    .await;
    assert_eq!(response.status(), 303);
    let again = log_in(&app, "officer@example.com", PASSWORD).await;
    assert_eq!(get_as(&app, &again, "/workspace").await.0, 200);

    let disabled = audited(&app, "user", "disable");
    assert_eq!(disabled.len(), 1);
    assert_eq!(disabled[0].0, "user:admin@example.com");
    assert_eq!(disabled[0].1, Some(id));
    assert_eq!(disabled[0].2.as_ref().unwrap()["disabled"], false);
    assert_eq!(disabled[0].3.as_ref().unwrap()["disabled"], true);
    let enabled = audited(&app, "user", "enable");
    assert_eq!(enabled.len(), 1);
    assert_eq!(enabled[0].3.as_ref().unwrap()["disabled"], false);
}

#[actix_web::test]
async fn an_admin_cannot_demote_or_disable_themself() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    let me = user_id(&app, ADMIN);
    let before = audit_count(&app);

    let (status, html) = post_text(
        &app,
        &admin,
        &format!("/workspace/admin/users/{me}/role"),
        &[("csrf", &admin.csrf), ("role", "editor")],
    )
    .await;
    assert_eq!(status, 409);
    assert!(html.contains("You cannot change your own role"), "{html}");
    assert!(html.contains(&format!("id=\"role-{me}-error\"")));

    let (status, html) = post_text(
        &app,
        &admin,
        &format!("/workspace/admin/users/{me}/disable"),
        &[("csrf", &admin.csrf)],
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        html.contains("You cannot disable your own account"),
        "{html}"
    );

    assert_eq!(role_of(&app, ADMIN), "admin");
    assert_eq!(get_as(&app, &admin, "/workspace/admin").await.0, 200);
    assert_eq!(audit_count(&app), before, "nothing was written");

    // Nor, by any route, can the last enabled admin lose the role.
    let editor = users::create(
        &mut app.conn(),
        "editor@example.com",
        PASSWORD,
        Role::Editor,
        "test",
    )
    .unwrap();
    let refused = users::set_role(&mut app.conn(), me, Role::Viewer, &editor);
    assert!(
        matches!(refused, Err(users::AccountError::Refused(ref m)) if m.contains("last enabled admin")),
        "{refused:?}"
    );
    let refused = users::set_disabled(&mut app.conn(), me, true, &editor);
    assert!(matches!(refused, Err(users::AccountError::Refused(_))));
    assert_eq!(role_of(&app, ADMIN), "admin");
}

// --- Who may use the admin pages ---

#[actix_web::test]
async fn editors_and_viewers_get_403_on_every_admin_route() {
    let app = spawn_app().await;
    let _admin = sign_in(&app, ADMIN, Role::Admin).await;
    let (client, _) = crossborder::auth::clients::create(
        &mut app.conn(),
        "tool",
        &[crossborder::auth::Scope::RegistryRead],
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

// --- API clients ---

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

// --- Organisation settings ---

async fn settings_version(app: &TestApp, admin: &Session, slug: &str) -> String {
    let (status, html) = get_as(
        app,
        admin,
        &format!("/workspace/admin/organisations/{slug}"),
    )
    .await;
    assert_eq!(status, 200);
    hidden(&html, "version")
}

#[actix_web::test]
async fn the_notice_period_sets_the_new_vendor_date_and_is_audited() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    let (days, version, revision, _) = settings_of(&app, "arturia");
    assert_eq!(days, 30);
    let (_, form) = get_as(&app, &admin, "/workspace/arturia/vendors/new").await;
    assert_eq!(
        input_value(&form, "active_from"),
        (today() + Duration::days(30)).to_string()
    );
    // The public page is rendered (and cached) before the change.
    let (status, _) = app.get_text("/arturia/subprocessors").await;
    assert_eq!(status, 200);

    let form_version = settings_version(&app, &admin, "arturia").await;
    assert_eq!(form_version, version.to_string());
    let response = post_as(
        &app,
        &admin,
        "/workspace/admin/organisations/arturia",
        &[
            ("csrf", &admin.csrf),
            ("version", &form_version),
            ("announce_days", "10"),
            ("privacy_contact", "dpo@arturia.example"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, page) = get_as(&app, &admin, &location(&response)).await;
    assert!(page.contains("Saved (version"), "{page}");
    assert_eq!(input_value(&page, "announce_days"), "10");

    let (days, new_version, new_revision, contact) = settings_of(&app, "arturia");
    assert_eq!(
        (days, new_version, contact.as_deref()),
        (10, version + 1, Some("dpo@arturia.example"))
    );
    assert!(new_revision > revision, "the registry's revision is bumped");

    // The new-vendor form's default date follows.
    let (_, form) = get_as(&app, &admin, "/workspace/arturia/vendors/new").await;
    assert_eq!(
        input_value(&form, "active_from"),
        (today() + Duration::days(10)).to_string()
    );
    // The public page shows the new contact at once (its cache saw the new revision).
    let (_, public) = app.get_text("/arturia/subprocessors").await;
    assert!(public.contains("dpo@arturia.example"));

    // Audited, with the values before and after, and shown in the audit log.
    let updates: Vec<_> = audited(&app, "organisation", "update")
        .into_iter()
        .filter(|e| e.0 == "user:admin@example.com")
        .collect();
    assert_eq!(updates.len(), 1, "{updates:?}");
    let (_, _, before, after) = &updates[0];
    assert_eq!(before.as_ref().unwrap()["announce_days"], 30);
    assert_eq!(after.as_ref().unwrap()["announce_days"], 10);
    assert_eq!(
        after.as_ref().unwrap()["privacy_contact"],
        "dpo@arturia.example"
    );
    let (_, log) = get_as(
        &app,
        &admin,
        "/workspace/audit?entity=organisation&action=update&actor=admin%40example.com",
    )
    .await;
    assert!(log.contains("announce_days") && log.contains("user:admin@example.com"));

    // Saving the same values again changes nothing.
    let audits = audit_count(&app);
    let response = post_as(
        &app,
        &admin,
        "/workspace/admin/organisations/arturia",
        &[
            ("csrf", &admin.csrf),
            ("version", &new_version.to_string()),
            ("announce_days", "10"),
            ("privacy_contact", "dpo@arturia.example"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(audit_count(&app), audits);
    assert_eq!(settings_of(&app, "arturia").1, new_version);
}

#[actix_web::test]
async fn a_stale_settings_edit_is_refused_shows_what_changed_and_overwrites_nothing() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    let other = sign_in(&app, "other.admin@example.com", Role::Admin).await;
    let old = settings_version(&app, &admin, "jamendo").await;

    // Another admin saves first.
    let response = post_as(
        &app,
        &other,
        "/workspace/admin/organisations/jamendo",
        &[
            ("csrf", &other.csrf),
            ("version", &old),
            ("announce_days", "14"),
            ("privacy_contact", "legal@jamendo.com"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let saved = settings_of(&app, "jamendo");
    assert_eq!(saved.0, 14);
    let audits = audit_count(&app);

    // The first admin's edit of the old version is refused.
    let (status, html) = post_text(
        &app,
        &admin,
        "/workspace/admin/organisations/jamendo",
        &[
            ("csrf", &admin.csrf),
            ("version", &old),
            ("announce_days", "45"),
            ("privacy_contact", "legal@jamendo.com"),
        ],
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        html.contains("Someone else changed this organisation"),
        "{html}"
    );
    let table = &html[html.find("Saved now").unwrap()..];
    let row = &table[table.find("Notice period").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("<td>14</td>") && row.contains("<td>45</td>"),
        "{row}"
    );
    assert_eq!(settings_of(&app, "jamendo"), saved, "nothing overwritten");
    assert_eq!(audit_count(&app), audits, "nothing audited");
    // What was typed is kept, with the current version: saving again is a knowing decision.
    assert_eq!(input_value(&html, "announce_days"), "45");
    assert_eq!(hidden(&html, "version"), saved.1.to_string());
    let response = post_as(
        &app,
        &admin,
        "/workspace/admin/organisations/jamendo",
        &[
            ("csrf", &admin.csrf),
            ("version", &saved.1.to_string()),
            ("announce_days", "45"),
            ("privacy_contact", "legal@jamendo.com"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(settings_of(&app, "jamendo").0, 45);
}

#[actix_web::test]
async fn an_invalid_notice_period_is_refused_naming_the_field() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    let version = settings_version(&app, &admin, "qobuz").await;
    let settings = settings_of(&app, "qobuz");
    let audits = audit_count(&app);
    for bad in ["400", "-1", "ten", "", "7.5"] {
        let (status, html) = post_text(
            &app,
            &admin,
            "/workspace/admin/organisations/qobuz",
            &[
                ("csrf", &admin.csrf),
                ("version", &version),
                ("announce_days", bad),
                ("privacy_contact", "support@qobuz.com"),
            ],
        )
        .await;
        assert_eq!(status, 422, "{bad:?}");
        assert!(html.contains("id=\"announce_days-error\""), "{bad:?}");
        assert!(html.contains("announce_days-help announce_days-error"));
        assert!(
            html.contains("href=\"#announce_days\""),
            "the summary links the field"
        );
        assert_eq!(
            input_value(&html, "announce_days"),
            bad,
            "what was typed is kept"
        );
    }
    let (status, html) = post_text(
        &app,
        &admin,
        "/workspace/admin/organisations/qobuz",
        &[
            ("csrf", &admin.csrf),
            ("version", &version),
            ("announce_days", "20"),
            ("privacy_contact", "write to us"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"privacy_contact-error\""));
    assert!(html.contains("value=\"write to us\""));
    assert_eq!(settings_of(&app, "qobuz"), settings, "nothing changed");
    assert_eq!(audit_count(&app), audits);

    // An unknown organisation.
    let (status, _) = get_as(&app, &admin, "/workspace/admin/organisations/nobody").await;
    assert_eq!(status, 404);
}
