//! Vendors in a real browser (issue 17, point 5): an officer finds an intake request for a
//! vendor already on record, attaches it to that vendor instead of adding a second one, then
//! withdraws a proposal that was never listed. Screenshots at desktop and phone width go to
//! `target/screenshots/`.

use crate::chromium::{ChromeDriver, chromedriver_or_skip, connect, save_screenshot, set_viewport};
use crate::support::{PASSWORD, create_user, create_vendor, file_intake, new_vendor, spawn_app};
use crate::user::{
    click_button, find, follow_link, heading, no_horizontal_scrolling, text_of, type_into,
    wait_for_path,
};
use crossborder::auth::users::Role;

const EDITOR: &str = "officer@example.com";

#[actix_web::test]
async fn an_officer_attaches_a_request_to_the_vendor_on_record_and_withdraws_a_proposal() {
    let Some(binary) = chromedriver_or_skip() else {
        return;
    };
    let app = spawn_app().await;
    create_user(&app, EDITOR, Role::Editor);
    let id = file_intake(&app, "Google Analytics", &["US", "IE"], &["usage"]).await;
    let token = app.token("tool", "registry:write");
    create_vendor(
        &app,
        &token,
        "arturia",
        &new_vendor("trial-tool", "Trial Tool"),
    )
    .await
    .ok(201);
    let profile = tempfile::tempdir().expect("a temporary Chromium profile");
    let driver = ChromeDriver::start(&binary);
    let client = connect(&driver, profile.path()).await;
    set_viewport(&client, 1280, 1000).await;

    client
        .goto(&format!("{}/workspace/login", app.address))
        .await
        .expect("the sign-in page opens");
    type_into(&client, "E-mail", EDITOR).await;
    type_into(&client, "Password", PASSWORD).await;
    click_button(&client, "Sign in").await;
    wait_for_path(&client, "/workspace").await;

    // The dashboard's card leads to the request, the request to the review.
    follow_link(&client, "Intake requests").await;
    wait_for_path(&client, "/workspace/intake").await;
    let warning = text_of(
        &find(
            &client,
            &format!("//div[@id='request-{id}-known']"),
            "the warning of a vendor on record",
        )
        .await,
    )
    .await;
    assert!(
        warning.contains("Google Analytics (google-analytics)"),
        "{warning}"
    );
    let verdicts = text_of(
        &find(
            &client,
            &format!("//article[@id='request-{id}']//table"),
            "the assessment of what is asked",
        )
        .await,
    )
    .await;
    assert!(
        verdicts.contains("United States") && verdicts.contains("Ireland"),
        "{verdicts}"
    );
    save_screenshot(&client, "intake-known-vendor.png").await;
    set_viewport(&client, 390, 844).await;
    no_horizontal_scrolling(&client, "the intake review on a phone").await;
    save_screenshot(&client, "intake-known-vendor-phone.png").await;
    set_viewport(&client, 1280, 1000).await;

    click_button(
        &client,
        &format!("Attach #{id} to Google Analytics (google-analytics)"),
    )
    .await;
    wait_for_path(&client, "/workspace/intake").await;
    let decided = text_of(
        &find(
            &client,
            &format!("//tr[@id='request-{id}']"),
            "the decided request",
        )
        .await,
    )
    .await;
    assert!(
        decided.contains("Attached to the existing vendor Google Analytics")
            && decided.contains("google-analytics"),
        "{decided}"
    );

    // A proposal that was never listed is withdrawn from its page.
    client
        .goto(&format!(
            "{}/workspace/arturia/vendors/trial-tool",
            app.address
        ))
        .await
        .unwrap();
    wait_for_path(&client, "/workspace/arturia/vendors/trial-tool").await;
    follow_link(&client, "Withdraw the proposal").await;
    wait_for_path(&client, "/workspace/arturia/vendors/trial-tool/withdraw").await;
    assert_eq!(heading(&client).await, "Withdraw Trial Tool");
    type_into(
        &client,
        "Why it is withdrawn (optional, added to its notes)",
        "The trial ended",
    )
    .await;
    save_screenshot(&client, "vendor-withdraw.png").await;
    click_button(&client, "Withdraw Trial Tool").await;
    wait_for_path(&client, "/workspace/arturia/vendors/trial-tool").await;
    let status = text_of(
        &find(
            &client,
            "//dl/div[dt[normalize-space()='Status']]/dd",
            "the vendor's status",
        )
        .await,
    )
    .await;
    assert!(status.starts_with("Withdrawn on"), "{status}");
    save_screenshot(&client, "vendor-withdrawn.png").await;

    let (_, public) = app.get_text("/arturia/subprocessors").await;
    assert!(!public.contains("Trial Tool"));
    client.close().await.ok();
}
