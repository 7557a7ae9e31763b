//! The audit log's one promise: rows are only ever appended.

use super::{all_rows, checksum};
use crate::support::{
    PASSWORD, create_user, file_intake, log_in, post_as, post_login, sign_in, spawn_app,
};
use chrono::Duration;
use crossborder::auth::users::Role;
use reqwest::Method;
use serde_json::{Value, json};

#[actix_web::test]
async fn no_route_edits_or_deletes_an_audit_row() {
    let app = spawn_app().await;
    create_user(&app, "admin@example.com", Role::Admin);
    let first = log_in(&app, "admin@example.com", PASSWORD).await;
    let before = all_rows(&app);
    let (count, sum, last_id) = (before.len(), checksum(&before), before.last().unwrap().0);

    // Every API write route.
    let write = app.token("ops", "registry:read registry:write");
    let vendor = json!({
        "key": "stripe", "name": "Stripe", "legal_entity": "Stripe, Inc.", "website": "https://stripe.com",
        "headquarters": "US", "role": "processor", "categories": ["payments"], "purpose": "Card payments",
        "status": "active", "transfers": [{"country": "US", "data_categories": ["payment", "contact"], "mechanisms": [{"id": "dpf"}]}]
    });
    let response = app
        .api(
            Method::POST,
            "/api/v1/organisations/arturia/vendors",
            &write,
        )
        .json(&vendor)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let mut changed = vendor.clone();
    changed["purpose"] = json!("Card payments and refunds");
    changed.as_object_mut().unwrap().remove("transfers");
    let response = app
        .api(
            Method::PUT,
            "/api/v1/organisations/arturia/vendors/stripe",
            &write,
        )
        .header("If-Match", "\"1\"")
        .json(&changed)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = app
        .api(
            Method::POST,
            "/api/v1/organisations/arturia/vendors/stripe/transfers",
            &write,
        )
        .json(&json!({"country": "IE", "data_categories": ["payment"], "mechanisms": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    let transfer = body["transfers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["country"] == "IE")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let response = app
        .api(Method::PUT, &format!("/api/v1/organisations/arturia/vendors/stripe/transfers/{transfer}"), &write)
        .header("If-Match", "\"1\"")
        .json(&json!({"country": "US", "data_categories": ["payment"], "mechanisms": [{"id": "scc_2021", "signed_on": "2026-11-01"}], "tia_on": "2026-11-01"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let retire_on = (chrono::Local::now().date_naive() + Duration::days(400)).to_string();
    let response = app
        .api(
            Method::POST,
            "/api/v1/organisations/arturia/vendors/stripe/retire",
            &write,
        )
        .header("If-Match", "\"2\"")
        .json(&json!({"effective_on": retire_on}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let approved = file_intake(&app, "Acme Cloud", &["US"], &["usage"]).await;
    let rejected = file_intake(&app, "Beta Mail", &["CA"], &["contact"]).await;

    // A machine client's token.
    let (client, secret) = crossborder::auth::clients::create(
        &mut app.conn(),
        "tool",
        &crossborder::auth::parse_scopes("registry:read").unwrap(),
        None,
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
    assert_eq!(response.status(), 200);

    // Every workspace write route: decisions, the vendor forms, failed and good sign-ins, sign-out.
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{approved}/approve"),
        &[("csrf", &editor.csrf), ("version", "1")],
    )
    .await;
    assert_eq!(response.status(), 303);
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{rejected}/reject"),
        &[
            ("csrf", &editor.csrf),
            ("version", "1"),
            ("reason", "Not needed"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let response = post_as(
        &app,
        &editor,
        "/workspace/arturia/vendors/new",
        &[
            ("csrf", &editor.csrf),
            ("key", "mailer"),
            ("name", "Mailer"),
            ("role", "processor"),
            ("categories", "email"),
            ("purpose", "Newsletters"),
            ("status", "proposed"),
            ("transfer_country", "US"),
            ("transfer_data", "contact"),
        ],
    )
    .await;
    assert!(
        response.status().as_u16() < 500,
        "the workspace vendor form: {}",
        response.status()
    );
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/arturia/vendors/stripe/transfers/{transfer}"),
        &[
            ("csrf", &editor.csrf),
            ("version", "2"),
            ("transfer_country", "US"),
            ("transfer_data", "payment"),
        ],
    )
    .await;
    assert!(
        response.status().as_u16() < 500,
        "the workspace transfer form: {}",
        response.status()
    );
    assert_eq!(
        post_login(&app, "editor@example.com", "wrong password")
            .await
            .status(),
        401
    );
    assert_eq!(
        post_login(&app, "nobody@example.com", "wrong password")
            .await
            .status(),
        401
    );
    let response = post_as(&app, &first, "/workspace/logout", &[("csrf", &first.csrf)]).await;
    assert_eq!(response.status(), 303);

    // Whatever method, nothing answers under /workspace/audit but the two reads.
    let admin = log_in(&app, "admin@example.com", PASSWORD).await;
    for method in [Method::DELETE, Method::PUT, Method::PATCH, Method::POST] {
        for path in [
            "/workspace/audit".to_string(),
            "/workspace/audit.csv".to_string(),
            format!("/workspace/audit/{last_id}"),
            format!("/workspace/audit?id={last_id}"),
            format!("/workspace/audit/{last_id}/delete"),
        ] {
            let response = app
                .client
                .request(method.clone(), format!("{}{path}", app.address))
                .header("Cookie", format!("cb_session={}", admin.cookie))
                .form(&[("csrf", admin.csrf.as_str()), ("id", &last_id.to_string())])
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            assert!(status == 404 || status == 405, "{method} {path}: {status}");
        }
        let response = app
            .api(method.clone(), &format!("/api/v1/audit/{last_id}"), &write)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404, "{method} on the API");
    }

    // Every earlier row is there, unchanged; only new ones were appended after it.
    let after = all_rows(&app);
    assert_eq!(after[..count].len(), count);
    assert_eq!(
        checksum(&after[..count]),
        sum,
        "earlier audit rows are unchanged"
    );
    assert_eq!(
        &after[..count],
        &before[..],
        "earlier audit rows are unchanged"
    );
    assert!(
        after[count..].iter().all(|r| r.0 > last_id),
        "new rows come after"
    );
    let new: Vec<(&str, &str)> = after[count..]
        .iter()
        .map(|r| (r.4.as_str(), r.3.as_str()))
        .collect();
    for expected in [
        ("vendor", "create"),
        ("vendor", "update"),
        ("vendor", "retire"),
        ("transfer", "create"),
        ("transfer", "update"),
        ("intake_request", "create"),
        ("intake_request", "approve"),
        ("intake_request", "reject"),
        ("user", "login"),
    ] {
        assert!(new.contains(&expected), "{expected:?} was audited: {new:?}");
    }
}
