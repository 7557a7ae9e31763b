//! NUL and other control characters: refused where they come in, naming the field; never in a
//! document that goes out.

use reqwest::Method;
use serde_json::json;

use crate::support::{
    ALL_SCOPES, PASSWORD, create_vendor, login_form, new_vendor, post_as, send, sign_in, spawn_app,
    vendors_path,
};
use crossborder::auth::users::Role;

#[actix_web::test]
async fn a_nul_in_an_address_or_a_query_is_a_clear_4xx() {
    let app = spawn_app().await;
    for path in [
        "/x%00y/subprocessors",
        "/x%00y/subprocessors.json",
        "/arturia%07/subprocessors.atom",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    for (path, field) in [
        ("/arturia/subprocessors.json?category=%00", "category"),
        ("/arturia/subprocessors?country=U%00S", "country"),
        ("/api/v1/organisations/arturia/vendors?q=%1b", "q"),
        ("/workspace/audit?actor=%00", "actor"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 400, "{path}");
        let body = response.text().await.unwrap();
        assert!(
            body.contains(field) && body.contains("U+00"),
            "{path}: {body}"
        );
    }
}

#[actix_web::test]
async fn a_nul_in_the_sign_in_form_or_the_token_endpoint_is_refused_not_a_500() {
    let app = spawn_app().await;
    let (cookie, csrf) = login_form(&app).await;
    let response = app
        .client
        .post(format!("{}/workspace/login", app.address))
        .header("Cookie", format!("cb_login_csrf={cookie}"))
        .form(&[
            ("email", "a\0@example.com"),
            ("password", PASSWORD),
            ("csrf", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("email"));

    let response = app
        .client
        .post(format!("{}/oauth/token", app.address))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "cb_\0"),
            ("client_secret", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    assert!(
        body["error_description"]
            .as_str()
            .unwrap()
            .contains("client_id")
    );
}

#[actix_web::test]
async fn control_characters_in_api_bodies_are_422s_naming_the_field() {
    let app = spawn_app().await;
    let token = app.token("tool", ALL_SCOPES);
    for (name, field) in [
        ("Bell\u{7}", "name"),
        ("Null\0", "name"),
        ("Escape\u{1b}[31m", "name"),
    ] {
        let reply = create_vendor(&app, &token, "arturia", &new_vendor("bad", name)).await;
        reply.problem(422);
        assert_eq!(reply.fields(), vec![field.to_string()], "{name:?}");
    }
    let mut vendor = new_vendor("bad", "Fine");
    vendor["transfers"][0]["notes"] = json!("line one\nline two\0");
    let reply = create_vendor(&app, &token, "arturia", &vendor).await;
    reply.problem(422);
    assert_eq!(reply.fields(), vec!["transfers[0].notes".to_string()]);
    // A field that holds lines keeps them.
    vendor["transfers"][0]["notes"] = json!("line one\nline two\ttabbed");
    create_vendor(&app, &token, "arturia", &vendor)
        .await
        .ok(201);
    // A one-line field does not.
    let reply = create_vendor(&app, &token, "arturia", &new_vendor("two", "Two\nlines")).await;
    reply.problem(422);
    assert_eq!(reply.fields(), vec!["name".to_string()]);
}

#[actix_web::test]
async fn control_characters_in_workspace_forms_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let session = sign_in(&app, "editor@example.com", Role::Editor).await;
    let response = post_as(
        &app,
        &session,
        "/workspace/arturia/vendors/new",
        &[
            ("csrf", &session.csrf),
            ("key", "bell"),
            ("name", "Bell\u{7}"),
            ("role", "processor"),
            ("categories", "hosting"),
            ("purpose", "Hosting"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("name: contains the control character U+0007"),
        "{html}"
    );
}

#[actix_web::test]
async fn stored_control_characters_never_make_the_feed_or_the_page_ill_formed() {
    use crossborder::db::schema::vendors;
    use diesel::prelude::*;
    let app = spawn_app().await;
    let token = app.token("tool", ALL_SCOPES);
    let mut vendor = new_vendor("bell", "Bell");
    vendor["status"] = json!("active");
    vendor["active_from"] = json!(crate::support::today());
    vendor["urgent_reason"] = json!("Test of the feed");
    create_vendor(&app, &token, "arturia", &vendor)
        .await
        .ok(201);
    // Written behind the API's back (a record from before the rule, a hand edit).
    diesel::update(vendors::table.filter(vendors::key.eq("bell")))
        .set(vendors::name.eq("Bell\u{7}\u{b}\u{1b}[0m"))
        .execute(&mut *app.conn())
        .unwrap();
    let (status, feed) = app.get_text("/arturia/subprocessors.atom").await;
    assert_eq!(status, 200);
    roxmltree::Document::parse(&feed).expect("well-formed XML");
    let (status, page) = app.get_text("/arturia/subprocessors").await;
    assert_eq!(status, 200);
    assert!(!page.contains('\u{7}') && !page.contains('\u{1b}'));
    let reply = send(app.api(
        Method::GET,
        &format!("{}/bell", vendors_path("arturia")),
        &token,
    ))
    .await;
    assert_eq!(reply.status, 200, "JSON escapes them");
}
