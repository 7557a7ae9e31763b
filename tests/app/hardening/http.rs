//! HTTP: HEAD wherever GET works, 405 with Allow on known addresses, a sanitised `next`, bodies
//! that cannot set what they do not change, scopes before bodies, problem types that are URIs.

use crossborder::auth::users::Role;
use reqwest::Method;
use serde_json::json;

use crate::support::{
    ALL_SCOPES, PASSWORD, cookie, create_user, create_vendor, login_form, new_vendor, send,
    spawn_app, vendors_path,
};

#[actix_web::test]
async fn head_is_answered_wherever_get_is() {
    let app = spawn_app().await;
    for path in [
        "/healthz",
        "/readyz",
        "/arturia/subprocessors",
        "/arturia/subprocessors.json",
        "/arturia/subprocessors.csv",
        "/arturia/subprocessors.atom",
        "/workspace/login",
    ] {
        let get = app.get(path).await;
        let head = app
            .client
            .head(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(head.status(), get.status(), "{path}");
        assert_eq!(
            head.headers().get("etag"),
            get.headers().get("etag"),
            "{path}"
        );
        assert!(head.bytes().await.unwrap().is_empty(), "{path}: no body");
    }
}

#[actix_web::test]
async fn other_methods_on_known_addresses_are_405_with_allow() {
    let app = spawn_app().await;
    for path in [
        "/healthz",
        "/arturia/subprocessors",
        "/arturia/subprocessors.json",
        "/",
    ] {
        for method in [Method::POST, Method::PUT, Method::DELETE] {
            let response = app
                .client
                .request(method.clone(), format!("{}{path}", app.address))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 405, "{method} {path}");
            assert_eq!(response.headers()["allow"], "GET, HEAD", "{method} {path}");
        }
    }
    let token = app.token("tool", ALL_SCOPES);
    let reply = send(app.api(Method::DELETE, &vendors_path("arturia"), &token)).await;
    reply.problem(405);
}

#[actix_web::test]
async fn a_cr_lf_in_next_is_dropped_not_a_500() {
    let app = spawn_app().await;
    create_user(&app, "officer@example.com", Role::Editor);
    let (csrf_cookie, csrf) = login_form(&app).await;
    let response = app
        .client
        .post(format!("{}/workspace/login", app.address))
        .header("Cookie", format!("cb_login_csrf={csrf_cookie}"))
        .form(&[
            ("email", "officer@example.com"),
            ("password", PASSWORD),
            ("csrf", &csrf),
            ("next", "/workspace\r\nSet-Cookie: evil=1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/workspace");
    assert!(cookie(&response, "evil").is_none());
}

#[actix_web::test]
async fn an_update_refuses_fields_it_would_ignore() {
    let app = spawn_app().await;
    let token = app.token("tool", ALL_SCOPES);
    let created = create_vendor(&app, &token, "arturia", &new_vendor("acme", "Acme")).await;
    let etag = created.etag.clone().unwrap();
    let path = format!("{}/acme", vendors_path("arturia"));
    let mut body = new_vendor("renamed", "Acme");
    let reply = send(
        app.api(Method::PUT, &path, &token)
            .header("If-Match", &etag)
            .json(&body),
    )
    .await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["key", "transfers"]);
    body["key"] = json!("acme");
    body["transfers"] = json!([]);
    body["colour"] = json!("red");
    let reply = send(
        app.api(Method::PUT, &path, &token)
            .header("If-Match", &etag)
            .json(&body),
    )
    .await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["colour"]);
    body.as_object_mut().unwrap().remove("colour");
    send(
        app.api(Method::PUT, &path, &token)
            .header("If-Match", &etag)
            .json(&body),
    )
    .await
    .ok(200);
}

#[actix_web::test]
async fn the_scope_is_checked_before_the_body_is_read() {
    let app = spawn_app().await;
    let reader = app.token("reader", "registry:read");
    for body in ["{not json", "{\"key\": 5}", "{}"] {
        let reply = send(
            app.api(Method::POST, &vendors_path("arturia"), &reader)
                .header("Content-Type", "application/json")
                .body(body),
        )
        .await;
        reply.problem(403);
    }
}

#[actix_web::test]
async fn body_errors_name_their_field_and_problem_types_are_uris() {
    let app = spawn_app().await;
    let token = app.token("tool", ALL_SCOPES);
    let reply = send(
        app.api(Method::POST, &vendors_path("arturia"), &token)
            .header("Content-Type", "application/json")
            .body("{\"key\": \"x\","),
    )
    .await;
    reply.problem(400);
    assert_eq!(reply.fields(), ["body"]);
    let mut vendor = new_vendor("typed", "Typed");
    vendor["transfers"][0]["country"] = json!(5);
    let reply = create_vendor(&app, &token, "arturia", &vendor).await;
    reply.problem(400);
    assert_eq!(reply.fields(), ["transfers[0].country"]);
    vendor["transfers"][0]["country"] = json!("US");
    vendor["colour"] = json!("red");
    let reply = create_vendor(&app, &token, "arturia", &vendor).await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["colour"]);
    let kind = reply.body["type"].as_str().unwrap().to_string();
    assert_eq!(kind, "/problems/invalid-input");
    let (status, text) = app.get_text(&kind).await;
    assert_eq!(status, 200);
    assert!(text.starts_with("Invalid input (422)"), "{text}");
}

/// Every workspace address with what it answers: any other method is a 405 with `Allow`, signed
/// in or not (before any sign-in check), a page for people, problem+json for the CSV download.
#[actix_web::test]
async fn every_workspace_address_answers_405_with_allow_to_another_method() {
    const GET: &str = "GET, HEAD";
    const GET_POST: &str = "GET, HEAD, POST";
    const POST: &str = "POST";
    let app = spawn_app().await;
    let vendor = "/workspace/arturia/vendors/google-analytics";
    let addresses: Vec<(String, &str)> = [
        ("/workspace", GET),
        ("/workspace/login", GET_POST),
        ("/workspace/logout", POST),
        ("/workspace/vendors", GET),
        ("/workspace/arturia/vendors/new", GET_POST),
        (vendor, GET),
        ("{vendor}/edit", GET_POST),
        ("{vendor}/retire", GET_POST),
        ("{vendor}/transfers/new", GET_POST),
        ("{vendor}/transfers/1", GET_POST),
        ("{vendor}/transfers/1/end", GET_POST),
        ("{vendor}/certifications/new", GET_POST),
        ("{vendor}/certifications/1", GET_POST),
        ("{vendor}/evidence/new", GET_POST),
        ("/workspace/audit", GET),
        ("/workspace/audit.csv", GET),
        ("/workspace/intake", GET),
        ("/workspace/intake/1/approve", POST),
        ("/workspace/intake/1/reject", POST),
        ("/workspace/admin", GET),
        ("/workspace/admin/users", GET_POST),
        ("/workspace/admin/users/1/role", POST),
        ("/workspace/admin/users/1/memberships", POST),
        ("/workspace/admin/users/1/disable", POST),
        ("/workspace/admin/users/1/enable", POST),
        ("/workspace/admin/users/1/unlock", POST),
        ("/workspace/admin/clients", GET_POST),
        ("/workspace/admin/clients/cb_1/revoke", POST),
        ("/workspace/admin/organisations/arturia", GET_POST),
    ]
    .into_iter()
    .map(|(path, allow)| (path.replace("{vendor}", vendor), allow))
    .collect();
    for (path, allow) in &addresses {
        let mut wrong = vec![Method::PUT, Method::DELETE, Method::PATCH];
        match *allow {
            GET => wrong.push(Method::POST),
            POST => wrong.extend([Method::GET, Method::HEAD]),
            _ => {}
        }
        for method in wrong {
            let response = app
                .client
                .request(method.clone(), format!("{}{path}", app.address))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 405, "{method} {path}");
            assert_eq!(response.headers()["allow"], *allow, "{method} {path}");
            let kind = response.headers()["content-type"]
                .to_str()
                .unwrap()
                .to_string();
            let expected = if path.ends_with(".csv") {
                "application/problem+json"
            } else {
                "text/html"
            };
            assert!(kind.starts_with(expected), "{method} {path}: {kind}");
        }
    }
    // The methods it answers still reach it: signed out, a page is off to the sign-in form.
    let response = app.get("/workspace/vendors").await;
    assert_eq!(response.status(), 303);
}
