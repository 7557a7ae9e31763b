//! Signing in and out: sessions, CSRF on the login form, throttling and lockout, all audited.

use crate::support::{PASSWORD, cookie, create_user, hidden, post_login, spawn_app};
use crossborder::auth::users::Role;
use crossborder::db::schema::audit_events;
use diesel::prelude::*;

#[actix_web::test]
async fn the_workspace_needs_a_session() {
    let app = spawn_app().await;
    let response = app.get("/workspace").await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/workspace/login?next=%2Fworkspace"
    );
}

#[actix_web::test]
async fn signing_in_and_out() {
    let app = spawn_app().await;
    create_user(&app, "officer@example.com", Role::Editor);

    let response = post_login(&app, "Officer@Example.com", PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/workspace");
    let (session, attributes) = cookie(&response, "cb_session").expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(attributes.contains(attribute), "{attributes}");
    }
    assert!(!attributes.contains("Secure"), "plain http: no Secure flag");

    let dashboard = app
        .client
        .get(format!("{}/workspace", app.address))
        .header("Cookie", format!("cb_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(dashboard.status(), 200);
    let html = dashboard.text().await.unwrap();
    assert!(html.contains("What needs attention") && html.contains("officer@example.com"));
    assert!(html.contains("Flagged transfers, most severe first"));
    let csrf = hidden(&html, "csrf");

    // Logging out needs the form's token.
    let forged = app
        .client
        .post(format!("{}/workspace/logout", app.address))
        .header("Cookie", format!("cb_session={session}"))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let out = app
        .client
        .post(format!("{}/workspace/logout", app.address))
        .header("Cookie", format!("cb_session={session}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    let after = app
        .client
        .get(format!("{}/workspace", app.address))
        .header("Cookie", format!("cb_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 303, "the session is gone");
}

#[actix_web::test]
async fn the_login_form_refuses_requests_without_its_csrf_token() {
    let app = spawn_app().await;
    create_user(&app, "officer@example.com", Role::Viewer);
    let response = app
        .client
        .post(format!("{}/workspace/login", app.address))
        .form(&[
            ("email", "officer@example.com"),
            ("password", PASSWORD),
            ("csrf", "guess"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(cookie(&response, "cb_session").is_none());
}

#[actix_web::test]
async fn repeated_failures_slow_down_then_lock_the_account_and_are_audited() {
    let app = spawn_app().await;
    create_user(&app, "officer@example.com", Role::Admin);
    let started = std::time::Instant::now();
    for attempt in 1..=5 {
        let response = post_login(&app, "officer@example.com", "wrong password").await;
        assert_eq!(response.status(), 401, "attempt {attempt}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("Wrong e-mail or password.")
        );
    }
    // After 3 failures from this address, each attempt waits longer (1 s, then 2 s).
    assert!(
        started.elapsed() >= std::time::Duration::from_secs(3),
        "the attempts were slowed down"
    );
    // Locked from this address: even the right password is refused for now, at once.
    let response = post_login(&app, "officer@example.com", PASSWORD).await;
    assert_eq!(response.status(), 429);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Too many failed sign-ins for this account from your address")
    );

    let actions: Vec<String> = audit_events::table
        .filter(audit_events::entity.eq("user"))
        .order(audit_events::id)
        .select(audit_events::action)
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(
        actions.iter().filter(|a| *a == "login_failed").count(),
        4,
        "{actions:?}"
    );
    assert_eq!(
        actions.iter().filter(|a| *a == "lockout").count(),
        1,
        "{actions:?}"
    );
    assert!(!actions.contains(&"login".to_string()));
}

#[actix_web::test]
async fn an_unknown_account_is_told_apart_from_nothing() {
    let app = spawn_app().await;
    let response = post_login(&app, "nobody@example.com", PASSWORD).await;
    assert_eq!(response.status(), 401);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Wrong e-mail or password.")
    );
}
