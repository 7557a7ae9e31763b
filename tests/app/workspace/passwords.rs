//! Passwords (issue 17, point 4): an account changes its own (the current one required, its
//! other sessions end); an admin makes a one-time reset link; the link sets a new password once.

use crate::support::{
    PASSWORD, audited, field_error, get_as, get_response, location, log_in, post_as, post_login,
    sign_in, spawn_app,
};
use crossborder::auth::users::Role;

const ADMIN: &str = "admin@example.com";
const OFFICER: &str = "officer@example.com";
const NEW: &str = "a much longer new passphrase";

#[actix_web::test]
async fn changing_your_password_needs_the_current_one_and_ends_your_other_sessions() {
    let app = spawn_app().await;
    let here = sign_in(&app, OFFICER, Role::Editor).await;
    let elsewhere = log_in(&app, OFFICER, PASSWORD).await;
    let (status, page) = get_as(&app, &here, "/workspace/account/password").await;
    assert_eq!(status, 200);
    assert!(page.contains("<label for=\"current_password\""));

    let change = |current: &'static str, new: &'static str, confirm: &'static str| {
        let (app, here) = (&app, &here);
        async move {
            post_as(
                app,
                here,
                "/workspace/account/password",
                &[
                    ("csrf", here.csrf.as_str()),
                    ("current_password", current),
                    ("new_password", new),
                    ("confirm_password", confirm),
                ],
            )
            .await
        }
    };
    let response = change("wrong password", NEW, NEW).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(field_error(&html, "current_password").is_some(), "{html}");
    let response = change(PASSWORD, "short", "short").await;
    assert_eq!(response.status(), 422);
    assert!(field_error(&response.text().await.unwrap(), "new_password").is_some());
    let response = change(PASSWORD, NEW, "another passphrase here").await;
    assert_eq!(response.status(), 422);
    assert!(field_error(&response.text().await.unwrap(), "confirm_password").is_some());
    assert_eq!(post_login(&app, OFFICER, NEW).await.status(), 401);

    let response = change(PASSWORD, NEW, NEW).await;
    assert_eq!(response.status(), 303);
    let (_, page) = get_as(&app, &here, &location(&response)).await;
    assert!(page.contains("Your password is changed"));
    // This session goes on; the other one ended; the new password signs in, the old does not.
    assert_eq!(get_as(&app, &here, "/workspace").await.0, 200);
    assert_eq!(
        get_response(&app, &elsewhere, "/workspace").await.status(),
        303
    );
    assert_eq!(post_login(&app, OFFICER, PASSWORD).await.status(), 401);
    log_in(&app, OFFICER, NEW).await;
    let changed = audited(&app, "user", "password_change");
    assert_eq!(changed.len(), 1);
    assert!(!changed[0].3.as_ref().unwrap().to_string().contains(NEW));
}

#[actix_web::test]
async fn an_admin_reset_link_sets_a_new_password_once() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    let officer = sign_in(&app, OFFICER, Role::Editor).await;
    let id = super::admin::user_id(&app, OFFICER);
    // Locked out by failed attempts first: the reset lifts the lock.
    for _ in 0..crossborder::auth::throttle::LOCK_AFTER {
        post_login(&app, OFFICER, "a wrong guess").await;
    }

    // Only admins make links.
    let response = post_as(
        &app,
        &officer,
        &format!("/workspace/admin/users/{id}/reset"),
        &[("csrf", &officer.csrf)],
    )
    .await;
    assert_eq!(response.status(), 403);
    let response = post_as(
        &app,
        &admin,
        &format!("/workspace/admin/users/{id}/reset"),
        &[("csrf", &admin.csrf)],
    )
    .await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    let start = page
        .find(&format!("{}/workspace/password-reset?token=", app.address))
        .expect("the link is shown");
    let link = &page[start..start + page[start..].find('"').unwrap()];
    let path = link.trim_start_matches(&app.address).replace("&amp;", "&");
    let token = path.split("token=").nth(1).unwrap().to_string();

    let response = app.get(&path).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["referrer-policy"], "no-referrer");
    assert!(response.text().await.unwrap().contains(OFFICER));

    let reset = |new: &'static str, confirm: &'static str| {
        let (app, token) = (&app, token.clone());
        async move {
            app.client
                .post(format!("{}/workspace/password-reset", app.address))
                .form(&[
                    ("token", token.as_str()),
                    ("new_password", new),
                    ("confirm_password", confirm),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let response = reset(NEW, "not the same one at all").await;
    assert_eq!(response.status(), 422);
    assert!(field_error(&response.text().await.unwrap(), "confirm_password").is_some());

    let response = reset(NEW, NEW).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/workspace/login?reset=1");
    // The account's sessions ended; the lock is lifted; the new password signs in.
    assert_eq!(
        get_response(&app, &officer, "/workspace").await.status(),
        303
    );
    log_in(&app, OFFICER, NEW).await;
    // The link worked once.
    assert_eq!(
        reset("yet another passphrase", "yet another passphrase")
            .await
            .status(),
        410
    );
    assert_eq!(app.get(&path).await.status(), 410);
    assert_eq!(audited(&app, "user", "password_reset_link").len(), 1);
    assert_eq!(audited(&app, "user", "password_reset").len(), 1);
}
