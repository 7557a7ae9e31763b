//! Notice in a real browser (headless Chromium): a reader subscribes from the public list (the
//! address typed, sent with Enter), follows the confirmation link, then objects to an announced
//! change with its form; a field left empty is named next to it.

use std::time::Duration;

use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use serde_json::json;

use crate::chromium::{ChromeDriver, chromedriver_or_skip, connect, save_screenshot};
use crate::support::{ALL_SCOPES, SmtpServer, create_vendor, new_vendor, spawn_app_with_mail};

async fn heading(client: &Client) -> String {
    client
        .find(Locator::Css("h1"))
        .await
        .expect("a heading")
        .text()
        .await
        .expect("its text")
}

#[actix_web::test]
async fn a_reader_subscribes_and_objects_in_a_browser() {
    let Some(binary) = chromedriver_or_skip() else {
        return;
    };
    let smtp = SmtpServer::start();
    let app = spawn_app_with_mail(&smtp).await;
    let profile = tempfile::tempdir().expect("a temporary Chromium profile");
    let driver = ChromeDriver::start(&binary);
    let client = connect(&driver, profile.path()).await;
    client
        .set_window_size(1280, 1000)
        .await
        .expect("the window resizes");

    client
        .goto(&format!("{}/arturia/subprocessors", app.address))
        .await
        .expect("the page opens");
    let email = client
        .find(Locator::Id("subscribe-email"))
        .await
        .expect("the sign-up field");
    email.send_keys("reader@example.com").await.expect("typed");
    email
        .send_keys(&Key::Enter.to_string())
        .await
        .expect("submitted with Enter");
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(heading(&client).await, "Check your inbox");
    let mail = smtp.wait_for(1).await;
    let confirm = mail[0].link(&app.address, "/arturia/subscriptions/confirm?token=");
    client.goto(&confirm).await.expect("the link opens");
    assert_eq!(heading(&client).await, "You are subscribed");

    // A change is announced; the subscriber's message links to its objection page.
    let token = app.token("procurement-tool", ALL_SCOPES);
    let mut vendor = new_vendor("browser-cdn", "Browser CDN");
    vendor["status"] = json!("active");
    create_vendor(&app, &token, "arturia", &vendor)
        .await
        .ok(201);
    let mail = smtp.wait_for(2).await;
    let object = mail[1].link(&app.address, "/arturia/changes/");
    client
        .goto(&object)
        .await
        .expect("the objection page opens");
    assert!(heading(&client).await.starts_with("Object to a change"));
    for (id, value) in [
        ("name", "Ana Lima"),
        ("company", "Customer SA"),
        ("email", "ana@customer.example"),
    ] {
        let field = client.find(Locator::Id(id)).await.expect("the field");
        field.send_keys(value).await.expect("typed");
    }
    client
        .find(Locator::XPath("//button[normalize-space()='Object']"))
        .await
        .expect("the button")
        .click()
        .await
        .expect("submitted");
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    let error = client
        .find(Locator::Css("#reason-error"))
        .await
        .expect("the reason's error, next to it")
        .text()
        .await
        .expect("its text");
    assert!(error.contains("Say why you object"), "{error}");
    let reason = client
        .find(Locator::Id("reason"))
        .await
        .expect("the reason");
    reason
        .send_keys("Our data may not go to China.")
        .await
        .expect("typed");
    client
        .find(Locator::XPath("//button[normalize-space()='Object']"))
        .await
        .expect("the button")
        .click()
        .await
        .expect("submitted");
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(heading(&client).await, "Check your inbox");
    save_screenshot(&client, "objection-sent-desktop").await;
    let mail = smtp.wait_for(3).await;
    assert_eq!(mail[2].to, ["ana@customer.example"]);
    client.close().await.expect("the browser closes");
}
