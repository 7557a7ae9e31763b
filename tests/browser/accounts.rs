//! Organisations and passwords in a real browser (issue 17, points 1 and 4): an admin creates an
//! organisation with the form (a bad address first, named at its field), an admin makes a reset
//! link that the officer opens to set a new password, and the officer then changes it again from
//! the workspace. Screenshots at desktop and phone width go to `target/screenshots/`.

use crate::chromium::{ChromeDriver, chromedriver_or_skip, connect, save_screenshot, set_viewport};
use crate::support::{PASSWORD, create_user, spawn_empty_app};
use crate::user::{
    choose, click_button, find, follow_link, heading, no_horizontal_scrolling, set_date, text_of,
    type_into, value, wait_for_path,
};
use crossborder::auth::users::Role;
use fantoccini::Client;

const ADMIN: &str = "admin@example.com";
const OFFICER: &str = "officer@example.com";
const RESET: &str = "a passphrase set from the link";
const CHANGED: &str = "and another one chosen later";

async fn sign_in(client: &Client, address: &str, email: &str, password: &str) {
    client
        .goto(&format!("{address}/workspace/login"))
        .await
        .expect("the sign-in page opens");
    type_into(client, "E-mail", email).await;
    type_into(client, "Password", password).await;
    click_button(client, "Sign in").await;
    wait_for_path(client, "/workspace").await;
}

async fn sign_out(client: &Client) {
    click_button(client, "Sign out").await;
    wait_for_path(client, "/workspace/login").await;
}

#[actix_web::test]
async fn an_admin_creates_an_organisation_then_resets_a_password_in_a_browser() {
    let Some(binary) = chromedriver_or_skip() else {
        return;
    };
    let app = spawn_empty_app().await;
    create_user(&app, ADMIN, Role::Admin);
    create_user(&app, OFFICER, Role::Editor);
    let profile = tempfile::tempdir().expect("a temporary Chromium profile");
    let driver = ChromeDriver::start(&binary);
    let client = connect(&driver, profile.path()).await;
    set_viewport(&client, 1280, 1000).await;

    // The organisation, from the admin page.
    sign_in(&client, &app.address, ADMIN, PASSWORD).await;
    follow_link(&client, "Admin").await;
    wait_for_path(&client, "/workspace/admin").await;
    follow_link(&client, "Create an organisation").await;
    wait_for_path(&client, "/workspace/admin/organisations/new").await;
    assert_eq!(heading(&client).await, "New organisation");
    type_into(&client, "Short name in addresses (required)", "acme").await;
    type_into(&client, "Name readers know it by (required)", "Acme").await;
    type_into(
        &client,
        "Legal name, as the privacy policy gives it (required)",
        "Acme SAS",
    )
    .await;
    choose(&client, "Country of establishment (required)", "France").await;
    type_into(&client, "Website (optional)", "acme.example").await;
    type_into(
        &client,
        "Privacy contact: an e-mail address or a web address (optional)",
        "privacy@acme.example",
    )
    .await;
    set_date(&client, "Last revised on", "2024-05-25").await;
    click_button(&client, "Create the organisation").await;
    let error =
        text_of(&find(&client, "//p[@id='website-error']", "the website's error").await).await;
    assert!(
        error.contains("did you mean https://acme.example?"),
        "{error}"
    );
    save_screenshot(&client, "organisation-new-refused.png").await;
    // What was typed is kept; the address is fixed and the form sent again.
    let name = crate::user::field(&client, "Name readers know it by (required)").await;
    assert_eq!(value(&name).await, "Acme");
    type_into(&client, "Website (optional)", "https://acme.example").await;
    click_button(&client, "Create the organisation").await;
    wait_for_path(&client, "/workspace/admin/organisations/acme").await;
    assert_eq!(heading(&client).await, "Settings of Acme");
    let notice = text_of(&find(&client, "//p[@id='admin-notice']", "the notice").await).await;
    assert!(notice.contains("Created Acme"), "{notice}");
    save_screenshot(&client, "organisation-created.png").await;
    set_viewport(&client, 390, 844).await;
    no_horizontal_scrolling(&client, "the organisation's page on a phone").await;
    save_screenshot(&client, "organisation-created-phone.png").await;
    set_viewport(&client, 1280, 1000).await;
    client
        .goto(&format!("{}/acme/subprocessors", app.address))
        .await
        .unwrap();
    wait_for_path(&client, "/acme/subprocessors").await;

    // A reset link for the officer, shown once to the admin.
    client
        .goto(&format!("{}/workspace/admin/users", app.address))
        .await
        .unwrap();
    wait_for_path(&client, "/workspace/admin/users").await;
    click_button(&client, &format!("Reset the password of {OFFICER}")).await;
    let link = value(&crate::user::field(&client, "Reset link").await).await;
    assert!(link.contains("/workspace/password-reset?token="), "{link}");
    save_screenshot(&client, "password-reset-link.png").await;
    sign_out(&client).await;

    // The officer opens it and chooses a new password.
    client.goto(&link).await.expect("the link opens");
    wait_for_path(&client, "/workspace/password-reset").await;
    assert_eq!(heading(&client).await, "Choose a new password");
    type_into(&client, "New password", RESET).await;
    type_into(&client, "New password again", RESET).await;
    click_button(&client, "Set the new password").await;
    wait_for_path(&client, "/workspace/login").await;
    let note = text_of(&find(&client, "//p[@id='login-notice']", "the notice").await).await;
    assert!(note.contains("new password is set"), "{note}");
    sign_in(&client, &app.address, OFFICER, RESET).await;

    // Then changes it from the workspace, on a phone.
    set_viewport(&client, 390, 844).await;
    follow_link(&client, "Your password").await;
    wait_for_path(&client, "/workspace/account/password").await;
    type_into(&client, "Current password", "not my password").await;
    type_into(&client, "New password", CHANGED).await;
    type_into(&client, "New password again", CHANGED).await;
    click_button(&client, "Change the password").await;
    let error =
        text_of(&find(&client, "//p[@id='current_password-error']", "the error").await).await;
    assert!(error.contains("not your current password"), "{error}");
    type_into(&client, "Current password", RESET).await;
    type_into(&client, "New password", CHANGED).await;
    type_into(&client, "New password again", CHANGED).await;
    click_button(&client, "Change the password").await;
    wait_for_path(&client, "/workspace/account/password").await;
    let note = text_of(&find(&client, "//p[@id='password-notice']", "the notice").await).await;
    assert!(note.contains("Your password is changed"), "{note}");
    no_horizontal_scrolling(&client, "the password page on a phone").await;
    save_screenshot(&client, "password-changed-phone.png").await;
    sign_out(&client).await;
    sign_in(&client, &app.address, OFFICER, CHANGED).await;

    client.close().await.expect("the browser closes");
}
