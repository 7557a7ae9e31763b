//! Organisations created and edited (issue 17, point 1): in the workspace by admins, through the
//! API (`organisations:manage`, If-Match), started empty (`--no-examples`), the examples retired
//! as a whole.

use crate::support::{
    PROBLEM, audited, field_error, get_as, hidden, location, post_as, send, sign_in, spawn_app,
    spawn_empty_app,
};
use crossborder::auth::Scope;
use crossborder::auth::users::Role;
use reqwest::Method;
use serde_json::json;

const ADMIN: &str = "admin@example.com";

fn acme_form<'a>(csrf: &'a str, website: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("slug", "acme"),
        ("name", "Acme"),
        ("legal_name", "Acme SAS"),
        ("country", "FR"),
        ("website", website),
        ("privacy_contact", "dpo@acme.example"),
        ("policy_title", "Acme privacy policy"),
        ("policy_url", "https://acme.example/privacy"),
        ("policy_date", "2024-05-25"),
        ("announce_days", "14"),
    ]
}

#[actix_web::test]
async fn an_admin_creates_an_organisation_in_the_workspace_and_works_in_it() {
    let app = spawn_empty_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    let (status, page) = get_as(&app, &admin, "/workspace/admin/organisations/new").await;
    assert_eq!(status, 200);
    assert!(page.contains("<label for=\"slug\""), "labelled fields");

    // Bad input: each field named, in form order, nothing created.
    let mut bad = acme_form(&admin.csrf, "acme.example");
    bad.retain(|(k, _)| *k != "name");
    bad.push(("name", ""));
    let response = post_as(&app, &admin, "/workspace/admin/organisations", &bad).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        field_error(&html, "name")
            .unwrap()
            .contains("Enter the name")
    );
    assert!(
        field_error(&html, "website")
            .unwrap()
            .contains("did you mean https://acme.example?"),
        "{html}"
    );
    assert!(html.find("#name").unwrap() < html.find("#website").unwrap());
    assert!(audited(&app, "organisation", "create").is_empty());

    let form = acme_form(&admin.csrf, "https://acme.example");
    let response = post_as(&app, &admin, "/workspace/admin/organisations", &form).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        "/workspace/admin/organisations/acme?created=1"
    );
    let (_, page) = get_as(&app, &admin, &location(&response)).await;
    assert!(page.contains("Created Acme"), "{page}");

    // Public at once, and the admin works in it.
    let (status, _) = app.get_text("/acme/subprocessors").await;
    assert_eq!(status, 200);
    let json = app.get_json("/acme/subprocessors.json").await;
    assert_eq!(json["organisation"]["legal_name"], "Acme SAS");
    let (status, _) = get_as(&app, &admin, "/workspace/acme/vendors/new").await;
    assert_eq!(status, 200);
    let created = audited(&app, "organisation", "create");
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].0, "user:admin@example.com");

    // The same slug again: refused on the slug.
    let response = post_as(&app, &admin, "/workspace/admin/organisations", &form).await;
    assert_eq!(response.status(), 409);
    let html = response.text().await.unwrap();
    assert!(
        field_error(&html, "slug")
            .unwrap()
            .contains("exists already")
    );

    // Editors cannot create one.
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let (status, _) = get_as(&app, &editor, "/workspace/admin/organisations/new").await;
    assert_eq!(status, 403);
}

#[actix_web::test]
async fn an_edit_keeps_its_before_and_after_and_a_stale_one_is_refused() {
    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    let (_, page) = get_as(&app, &admin, "/workspace/admin/organisations/arturia").await;
    let version = hidden(&page, "version");
    let edit = |version: &str, name: &str| {
        vec![
            ("csrf".to_string(), admin.csrf.clone()),
            ("version".to_string(), version.to_string()),
            ("name".to_string(), name.to_string()),
            ("legal_name".to_string(), "Arturia SA".to_string()),
            ("country".to_string(), "FR".to_string()),
            ("website".to_string(), "https://www.arturia.com".to_string()),
            ("announce_days".to_string(), "30".to_string()),
        ]
    };
    let post = |form: Vec<(String, String)>| {
        let app = &app;
        let admin = &admin;
        async move {
            let pairs: Vec<(&str, &str)> =
                form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            post_as(app, admin, "/workspace/admin/organisations/arturia", &pairs).await
        }
    };
    let response = post(edit(&version, "Arturia Music")).await;
    assert_eq!(response.status(), 303);
    let json = app.get_json("/arturia/subprocessors.json").await;
    assert_eq!(json["organisation"]["name"], "Arturia Music");
    let updates = audited(&app, "organisation", "update");
    let (_, _, before, after) = updates.last().unwrap();
    assert_eq!(before.as_ref().unwrap()["name"], "Arturia");
    assert_eq!(after.as_ref().unwrap()["name"], "Arturia Music");
    assert_eq!(
        after.as_ref().unwrap()["version"],
        before.as_ref().unwrap()["version"].as_i64().unwrap() + 1
    );

    // The same version again: someone saved first.
    let response = post(edit(&version, "Arturia Again")).await;
    assert_eq!(response.status(), 409);
    let html = response.text().await.unwrap();
    assert!(html.contains("Someone else changed this organisation"));
    let json = app.get_json("/arturia/subprocessors.json").await;
    assert_eq!(json["organisation"]["name"], "Arturia Music");
}

#[actix_web::test]
async fn the_api_creates_and_edits_organisations_with_its_scope_and_if_match() {
    let app = spawn_app().await;
    let operator = app.token("operator", "organisations:manage registry:read");
    let body = json!({
        "slug": "acme", "name": "Acme", "legal_name": "Acme SAS", "country": "DE",
        "website": "https://acme.example", "privacy_contact": "privacy@acme.example"
    });
    let post = |token: &str, body: &serde_json::Value| {
        app.api(Method::POST, "/api/v1/organisations", token)
            .json(body)
    };

    // Without the scope: 403; bound to some organisations: 403, nothing created.
    let writer = app.token("writer", "registry:write registry:read");
    assert_eq!(send(post(&writer, &body)).await.status, 403);
    let scopes = [Scope::OrganisationsManage, Scope::RegistryRead];
    let bound = app
        .state
        .verifier
        .issue("bound", &scopes, Some(&["arturia".to_string()]), None)
        .unwrap()
        .0;
    let refused = send(post(&bound, &body)).await;
    assert_eq!(refused.status, 403);
    assert_eq!(refused.content_type, PROBLEM);

    // Invalid fields: 422, each named.
    let bad = json!({"slug": "Acme!", "name": "", "legal_name": "Acme SAS", "country": "ZZ",
        "policy_url": "javascript:alert(1)", "announce_days": 900});
    let reply = send(post(&operator, &bad)).await;
    reply.problem(422);
    assert_eq!(
        reply.fields(),
        ["slug", "name", "country", "policy_url", "announce_days"]
    );

    let created = send(post(&operator, &body)).await;
    created.ok(201);
    assert_eq!(
        created.location.as_deref(),
        Some("/api/v1/organisations/acme")
    );
    assert_eq!(created.etag.as_deref(), Some("\"1\""));
    assert_eq!(created.body["announce_days"], 30);
    assert_eq!(send(post(&operator, &body)).await.status, 409);

    // Edit: If-Match needed, a stale one refused, the slug kept.
    let put = |token: &str, slug: &str, etag: Option<&str>, body: &serde_json::Value| {
        let mut request = app
            .api(Method::PUT, &format!("/api/v1/organisations/{slug}"), token)
            .json(body);
        if let Some(etag) = etag {
            request = request.header("If-Match", etag);
        }
        request
    };
    let mut edit = body.clone();
    edit["name"] = json!("Acme Group");
    edit["announce_days"] = json!(10);
    assert_eq!(send(put(&operator, "acme", None, &edit)).await.status, 428);
    let saved = send(put(&operator, "acme", Some("\"1\""), &edit)).await;
    saved.ok(200);
    assert_eq!(saved.etag.as_deref(), Some("\"2\""));
    assert_eq!(saved.body["name"], "Acme Group");
    assert_eq!(saved.body["announce_days"], 10);
    let stale = send(put(&operator, "acme", Some("\"1\""), &edit)).await;
    stale.problem(412);
    let mut renamed = edit.clone();
    renamed["slug"] = json!("acme-2");
    let reply = send(put(&operator, "acme", Some("\"2\""), &renamed)).await;
    reply.problem(422);
    assert_eq!(reply.fields(), ["slug"]);

    // A bound token edits its own organisation only: another is as if it did not exist.
    let arturia = send(app.api(Method::GET, "/api/v1/organisations/arturia", &bound)).await;
    let etag = arturia.etag.clone().unwrap();
    let mut mine = json!({"name": "Arturia", "legal_name": "Arturia SA", "country": "FR"});
    assert_eq!(
        send(put(&bound, "acme", Some("\"2\""), &mine)).await.status,
        404
    );
    mine["privacy_contact"] = json!("privacy@arturia.example");
    send(put(&bound, "arturia", Some(&etag), &mine))
        .await
        .ok(200);

    let updates = audited(&app, "organisation", "update");
    assert!(updates.iter().any(|e| e.0 == "api:operator"));
    assert!(updates.iter().any(|e| e.0 == "api:bound"));
}

#[actix_web::test]
async fn no_examples_starts_empty_and_the_examples_retire_as_a_whole() {
    let empty = spawn_empty_app().await;
    let token = empty.token("reader", "registry:read");
    let list = send(empty.api(Method::GET, "/api/v1/organisations", &token)).await;
    assert_eq!(list.ok(200)["data"], json!([]));

    let app = spawn_app().await;
    let admin = sign_in(&app, ADMIN, Role::Admin).await;
    let form = acme_form(&admin.csrf, "https://acme.example");
    let response = post_as(&app, &admin, "/workspace/admin/organisations", &form).await;
    assert_eq!(response.status(), 303);
    let (_, home) = get_as(&app, &admin, "/workspace/admin").await;
    assert!(home.contains("Retire the example organisations"));

    let response = post_as(
        &app,
        &admin,
        "/workspace/admin/examples/retire",
        &[("csrf", &admin.csrf)],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, home) = get_as(&app, &admin, &location(&response)).await;
    assert!(home.contains("5 example organisation(s) retired"), "{home}");
    assert!(!home.contains("Retire the example organisations"));
    assert_eq!(audited(&app, "organisation", "retire").len(), 5);

    // Gone from the site; the organisation created by hand stays; nothing was deleted.
    assert_eq!(app.get_text("/arturia/subprocessors").await.0, 404);
    assert_eq!(app.get_text("/acme/subprocessors").await.0, 200);
    let token = app.token("reader", "registry:read");
    let list = send(app.api(Method::GET, "/api/v1/organisations", &token)).await;
    let slugs: Vec<&str> = list.ok(200)["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["acme"]);
    use crossborder::db::schema::{organisations, vendors};
    use diesel::prelude::*;
    let kept: i64 = vendors::table
        .inner_join(organisations::table)
        .filter(organisations::slug.eq("arturia"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert!(kept > 0, "the retired organisation's records are kept");
    // Its slug is not given again.
    let response = post_as(
        &app,
        &admin,
        "/workspace/admin/organisations",
        &[
            ("csrf", admin.csrf.as_str()),
            ("slug", "arturia"),
            ("name", "Arturia"),
            ("legal_name", "Arturia SA"),
            ("country", "FR"),
            ("announce_days", "30"),
        ],
    )
    .await;
    assert_eq!(response.status(), 409);
}
