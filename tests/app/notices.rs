//! Notice that reaches people (issue 13), delivered to a real SMTP server on 127.0.0.1: sign-up
//! with double opt-in, an announcement with the vendor's details and how to object, one-click
//! unsubscribe, and nothing sent to an address that did not confirm.

use std::time::Duration;

use serde_json::json;

use crate::support::{
    ALL_SCOPES, Received, SmtpServer, TestApp, create_vendor, new_vendor, spawn_app,
    spawn_app_with_mail,
};

async fn post_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let response = app
        .client
        .post(format!("{}{path}", app.address))
        .form(form)
        .send()
        .await
        .expect("the request completes");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

/// The first link in `text` to a path that starts with `prefix`, as a path on the app.
fn link(text: &str, app: &TestApp, prefix: &str) -> String {
    let start = text
        .find(&format!("{}{prefix}", app.address))
        .unwrap_or_else(|| panic!("no link to {prefix} in:\n{text}"));
    let url: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    url.trim_start_matches(&app.address).to_string()
}

/// Adds an active vendor through the API: announced now, in effect after the notice period.
async fn announce_vendor(app: &TestApp, key: &str, name: &str) {
    let token = app.token("procurement-tool", ALL_SCOPES);
    let mut vendor = new_vendor(key, name);
    vendor["status"] = json!("active");
    vendor["transfers"] =
        json!([{"country": "CN", "data_categories": ["usage"], "mechanisms": []}]);
    create_vendor(app, &token, "arturia", &vendor).await.ok(201);
}

#[actix_web::test]
async fn a_subscriber_confirms_then_gets_each_announcement_and_can_leave_in_one_click() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with_mail(&smtp).await;
    let (_, page) = app.get_text("/arturia/subprocessors").await;
    assert!(page.contains("action=\"/arturia/subscribe\""), "{page}");

    let (status, html) =
        post_form(&app, "/arturia/subscribe", &[("email", "not an address")]).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("E-mail address: not a valid e-mail address"),
        "{html}"
    );

    let (status, html) = post_form(
        &app,
        "/arturia/subscribe",
        &[("email", "Reader@Example.com")],
    )
    .await;
    assert_eq!(status, 200, "{html}");
    let mail = smtp.wait_for(1).await;
    assert_eq!(mail.len(), 1);
    let confirmation = &mail[0];
    assert_eq!(confirmation.to, ["reader@example.com"]);
    assert!(
        confirmation
            .header("Subject")
            .unwrap()
            .starts_with("Confirm")
    );
    assert!(
        confirmation
            .header("Message-ID")
            .unwrap()
            .starts_with("<delivery-")
    );
    assert!(confirmation.raw.contains("Content-Type: text/html"));
    assert_eq!(
        confirmation.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );

    // Not confirmed yet: an announcement goes to no one.
    announce_vendor(&app, "first-cdn", "First CDN").await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.messages().len(), 1, "nothing before the confirmation");

    let confirm = link(
        &confirmation.text(),
        &app,
        "/arturia/subscriptions/confirm?token=",
    );
    let (status, html) = app.get_text(&confirm).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("You are subscribed"));
    let (status, _) = app.get_text(&format!("{confirm}x")).await;
    assert_eq!(status, 400, "a changed token is refused");

    announce_vendor(&app, "second-cdn", "Second Analytics").await;
    let mail = smtp.wait_for(2).await;
    assert_eq!(mail.len(), 2, "{mail:#?}");
    let announcement: &Received = &mail[1];
    assert_eq!(announcement.to, ["reader@example.com"]);
    let subject = announcement.header("Subject").unwrap();
    assert!(subject.contains("Second Analytics"), "{subject}");
    let text = announcement.text();
    let notice_end = (crossborder::date::today() + chrono::Duration::days(30)).to_string();
    for expected in [
        "Second Analytics",
        "Product analytics for the Arturia website.",
        "China",
        "none claimed",
        "flagged",
        &notice_end,
        "/arturia/changes/",
        "(or write to privacy-inquiries@arturia.com)",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }

    // One click, as a mail client does it (RFC 8058): no more messages.
    let unsubscribe = announcement.header("List-Unsubscribe").unwrap();
    let url = unsubscribe.trim_start_matches('<').trim_end_matches('>');
    let response = app
        .client
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    announce_vendor(&app, "third-cdn", "Third CDN").await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.messages().len(), 2, "nothing after unsubscribing");
}

#[actix_web::test]
async fn without_a_mail_server_nobody_can_subscribe_and_the_page_says_so() {
    let app = spawn_app().await;
    let (_, page) = app.get_text("/arturia/subprocessors").await;
    assert!(page.contains("subscriptions are not available"), "{page}");
    let (status, html) = post_form(
        &app,
        "/arturia/subscribe",
        &[("email", "reader@example.com")],
    )
    .await;
    assert_eq!(status, 503);
    assert!(html.contains("subscriptions are not available"));
    let (status, _) = post_form(
        &app,
        "/nobody/subscribe",
        &[("email", "reader@example.com")],
    )
    .await;
    assert_eq!(status, 404);
}
