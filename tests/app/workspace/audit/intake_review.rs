//! Intake review: requests approved (a proposed vendor, once) or rejected.

use super::{Row, all_rows};
use crate::support::{
    TestApp, file_intake, get_as, post_as, send, sign_in, spawn_app, vendors_path,
};
use crossborder::auth::users::Role;
use crossborder::db::schema::vendors;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{Value, json};

async fn intake_status(app: &TestApp, id: i64) -> Value {
    let token = app.token("reader", "registry:read");
    let path = format!("/api/v1/intake/{id}");
    send(app.api(Method::GET, &path, &token))
        .await
        .ok(200)
        .clone()
}

async fn api_vendor(app: &TestApp, key: &str) -> (u16, Value) {
    let token = app.token("reader", "registry:read");
    let path = format!("{}/{key}", vendors_path("arturia"));
    let reply = send(app.api(Method::GET, &path, &token)).await;
    (reply.status, reply.body)
}

fn vendor_count(app: &TestApp) -> i64 {
    vendors::table.count().get_result(&mut app.conn()).unwrap()
}

#[actix_web::test]
async fn approving_a_request_creates_a_proposed_vendor_once() {
    let app = spawn_app().await;
    let id = file_intake(
        &app,
        "Stripé Payments",
        &["US", "IE"],
        &["payment", "contact"],
    )
    .await;
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;

    let (status, html) = get_as(&app, &editor, "/workspace/intake").await;
    assert_eq!(status, 200);
    assert!(html.contains("Stripé Payments") && html.contains("United States"));
    assert!(html.contains(&format!("action=\"/workspace/intake/{id}/approve\"")));
    assert!(html.contains(&format!("<label for=\"reject-{id}-reason\">")));
    let vendors_before = vendor_count(&app);
    let audit_before = all_rows(&app).len();

    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{id}/approve"),
        &[
            ("csrf", &editor.csrf),
            ("version", "1"),
            ("reason", "Needed for the shop"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/workspace/intake");

    let request = intake_status(&app, id).await;
    assert_eq!(request["status"], "approved");
    assert_eq!(request["decision_reason"], "Needed for the shop");
    assert_eq!(
        request["vendor"], "stripe-payments",
        "the API names the vendor"
    );
    let (status, vendor) = api_vendor(&app, "stripe-payments").await;
    assert_eq!(status, 200, "the proposed vendor exists: {vendor}");
    assert_eq!(vendor["name"], "Stripé Payments");
    assert_eq!(vendor["status"], "proposed");
    assert_eq!(vendor["role"], "processor");
    assert_eq!(vendor["categories"], json!(["other"]));
    assert_eq!(vendor["website"], "https://example.com");
    assert_eq!(vendor["purpose"], "Card payments");
    let transfers = vendor["transfers"].as_array().unwrap();
    let countries: Vec<&str> = transfers
        .iter()
        .map(|t| t["country"].as_str().unwrap())
        .collect();
    assert_eq!(countries, ["US", "IE"]);
    for t in transfers {
        assert_eq!(t["data_categories"], json!(["contact", "payment"]));
        assert_eq!(t["mechanisms"], json!([]));
    }
    assert_eq!(vendor_count(&app), vendors_before + 1);

    // Audited with the reviewer's name: the vendor created, the request before and after.
    let rows = all_rows(&app);
    let new: Vec<&Row> = rows[audit_before..].iter().collect();
    let decision = new
        .iter()
        .find(|r| r.4 == "intake_request")
        .expect("the decision is audited");
    assert_eq!(
        (decision.2.as_str(), decision.3.as_str(), decision.5),
        ("user:editor@example.com", "approve", Some(id as i32))
    );
    let before: Value = serde_json::from_str(decision.7.as_deref().unwrap()).unwrap();
    let after: Value = serde_json::from_str(decision.8.as_deref().unwrap()).unwrap();
    assert_eq!(
        (before["status"].as_str(), after["status"].as_str()),
        (Some("pending"), Some("approved"))
    );
    assert!(after["vendor_id"].is_i64());
    assert!(
        new.iter()
            .any(|r| r.4 == "vendor" && r.3 == "create" && r.2 == "user:editor@example.com")
    );

    // The page shows the decision below.
    let (_, html) = get_as(&app, &editor, "/workspace/intake").await;
    assert!(!html.contains(&format!("action=\"/workspace/intake/{id}/approve\"")));
    assert!(html.contains("Approved") && html.contains("<code>stripe-payments</code>"));

    // Approving again (the same form, sent twice): a message, nothing changed.
    let audit_count = all_rows(&app).len();
    for version in ["1", ""] {
        let response = post_as(
            &app,
            &editor,
            &format!("/workspace/intake/{id}/approve"),
            &[("csrf", &editor.csrf), ("version", version)],
        )
        .await;
        assert_eq!(response.status(), 409);
        let html = response.text().await.unwrap();
        assert!(
            html.contains(&format!(
                "Intake request #{id} was approved already; nothing was changed"
            )),
            "{html}"
        );
    }
    // Rejecting a decided request does not change it either.
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{id}/reject"),
        &[("csrf", &editor.csrf), ("reason", "No")],
    )
    .await;
    assert_eq!(response.status(), 409);
    assert_eq!(vendor_count(&app), vendors_before + 1, "no second vendor");
    assert_eq!(api_vendor(&app, "stripe-payments-2").await.0, 404);
    assert_eq!(
        all_rows(&app).len(),
        audit_count,
        "nothing audited: nothing happened"
    );
    assert_eq!(intake_status(&app, id).await["status"], "approved");

    // A second request for a vendor of the same name gets a key of its own.
    let second = file_intake(&app, "Stripe payments!", &["FR"], &[]).await;
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{second}/approve"),
        &[("csrf", &editor.csrf), ("version", "1")],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (status, vendor) = api_vendor(&app, "stripe-payments-2").await;
    assert_eq!(status, 200);
    assert_eq!(vendor["transfers"][0]["country"], "FR");
    assert_eq!(
        intake_status(&app, second).await["decision_reason"],
        Value::Null
    );

    // An unknown request.
    let response = post_as(
        &app,
        &editor,
        "/workspace/intake/999999/approve",
        &[("csrf", &editor.csrf)],
    )
    .await;
    assert_eq!(response.status(), 404);
}

#[actix_web::test]
async fn a_stale_form_is_refused() {
    let app = spawn_app().await;
    let id = file_intake(&app, "Acme Cloud", &["US"], &["usage"]).await;
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{id}/approve"),
        &[("csrf", &editor.csrf), ("version", "7")],
    )
    .await;
    assert_eq!(response.status(), 409);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("changed since the page was loaded")
    );
    assert_eq!(intake_status(&app, id).await["status"], "pending");
    assert_eq!(api_vendor(&app, "acme-cloud").await.0, 404);
}

#[actix_web::test]
async fn rejecting_needs_a_reason() {
    let app = spawn_app().await;
    let id = file_intake(&app, "Acme Cloud", &["US"], &["usage"]).await;
    let editor = sign_in(&app, "admin@example.com", Role::Admin).await;
    let audit_count = all_rows(&app).len();

    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{id}/reject"),
        &[("csrf", &editor.csrf), ("version", "1"), ("reason", "   ")],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!("id=\"reject-{id}-error\""))
            && html.contains("Give a reason for rejecting")
    );
    assert!(html.contains(&format!("aria-describedby=\"reject-{id}-error\"")));
    assert_eq!(intake_status(&app, id).await["status"], "pending");

    // What was typed is kept.
    let long = "too long ".repeat(300);
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{id}/reject"),
        &[("csrf", &editor.csrf), ("version", "1"), ("reason", &long)],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("The reason is too long") && html.contains(long.trim_end()));
    assert_eq!(intake_status(&app, id).await["status"], "pending");
    assert_eq!(all_rows(&app).len(), audit_count, "nothing happened");

    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{id}/reject"),
        &[
            ("csrf", &editor.csrf),
            ("version", "1"),
            ("reason", "We use Example Cloud already"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/workspace/intake");
    let request = intake_status(&app, id).await;
    assert_eq!(request["status"], "rejected");
    assert_eq!(request["decision_reason"], "We use Example Cloud already");
    assert_eq!(
        api_vendor(&app, "acme-cloud").await.0,
        404,
        "no vendor for a rejected request"
    );
    let rows = all_rows(&app);
    let decision = rows.last().unwrap();
    assert_eq!(
        (
            decision.2.as_str(),
            decision.3.as_str(),
            decision.4.as_str()
        ),
        ("user:admin@example.com", "reject", "intake_request")
    );
    assert!(
        decision
            .8
            .as_deref()
            .unwrap()
            .contains("We use Example Cloud already")
    );
    let (_, html) = get_as(&app, &editor, "/workspace/intake").await;
    assert!(html.contains("Rejected") && html.contains("We use Example Cloud already"));
}

#[actix_web::test]
async fn viewers_read_but_cannot_decide() {
    let app = spawn_app().await;
    let id = file_intake(&app, "Acme Cloud", &["US"], &["usage"]).await;
    let viewer = sign_in(&app, "viewer@example.com", Role::Viewer).await;
    let (status, html) = get_as(&app, &viewer, "/workspace/intake").await;
    assert_eq!(status, 200);
    assert!(html.contains("Acme Cloud") && html.contains("needs the editor or admin role"));
    assert!(
        !html.contains("/approve\"") && !html.contains("/reject\""),
        "no decision forms for a viewer"
    );
    for decision in ["approve", "reject"] {
        let response = post_as(
            &app,
            &viewer,
            &format!("/workspace/intake/{id}/{decision}"),
            &[("csrf", &viewer.csrf), ("version", "1"), ("reason", "no")],
        )
        .await;
        assert_eq!(response.status(), 403, "{decision}");
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("needs the editor or admin role")
        );
    }
    assert_eq!(intake_status(&app, id).await["status"], "pending");
    assert_eq!(api_vendor(&app, "acme-cloud").await.0, 404);
}

#[actix_web::test]
async fn decisions_need_the_csrf_token() {
    let app = spawn_app().await;
    let id = file_intake(&app, "Acme Cloud", &["US"], &["usage"]).await;
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let audit_count = all_rows(&app).len();
    for decision in ["approve", "reject"] {
        let path = format!("/workspace/intake/{id}/{decision}");
        let without = post_as(&app, &editor, &path, &[("version", "1"), ("reason", "no")]).await;
        assert_eq!(without.status(), 403, "{decision} without a token");
        let forged = post_as(
            &app,
            &editor,
            &path,
            &[("csrf", "forged"), ("version", "1"), ("reason", "no")],
        )
        .await;
        assert_eq!(forged.status(), 403, "{decision} with a wrong token");
        let empty = app
            .client
            .post(format!("{}{path}", app.address))
            .header("Cookie", format!("cb_session={}", editor.cookie))
            .send()
            .await
            .unwrap();
        assert_eq!(empty.status(), 403, "{decision} with no body");
        // Not signed in at all: off to the login page.
        let anonymous = app
            .client
            .post(format!("{}{path}", app.address))
            .form(&[("csrf", editor.csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(anonymous.status(), 303);
    }
    assert_eq!(intake_status(&app, id).await["status"], "pending");
    assert_eq!(api_vendor(&app, "acme-cloud").await.0, 404);
    assert_eq!(all_rows(&app).len(), audit_count);
}
