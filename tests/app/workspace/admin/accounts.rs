//! Accounts: created, their role changed, disabled and enabled.

use super::{ADMIN, post_text, role_of, user_count, user_id};
use crate::support::{
    PASSWORD, audit_count, audited, get_as, get_response, location, log_in, post_as, post_login,
    sign_in, spawn_app,
};
use crossborder::auth::users::{self, Role};
use crossborder::db::schema::sessions;
use diesel::prelude::*;

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
    // Sign-in names the reason, to who knows the password only.
    let refused = post_login(&app, "officer@example.com", PASSWORD).await;
    assert_eq!(refused.status(), 403);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("This account was disabled on") && page.contains("ask an admin"),
        "{page}"
    );
    assert_eq!(
        post_login(&app, "officer@example.com", "not the password")
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
