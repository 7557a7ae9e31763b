//! The privacy officers' workspace in a real browser (headless Chromium through chromedriver,
//! driven with fantoccini): an editor signs in with the form, adds a vendor to Jamendo (LU) with
//! a transfer to the United States and no mechanism, sees it flagged critical on the dashboard,
//! then records 2021 SCCs signed today and a TIA; the flag clears and the public page announces
//! the vendor as an upcoming change. Screenshots go to `target/screenshots/`.
//!
//! Fields are found as a user finds them, by their label's text; buttons and links by their
//! words. Needs Debian's `chromium` and `chromium-driver`; without chromedriver the test says so
//! and passes, unless `CROSSBORDER_REQUIRE_BROWSER=1` (CI).

use crate::chromium::{
    ChromeDriver, chromedriver_or_skip, connect, save_screenshot, set_viewport, viewport,
};
use crate::support::{PASSWORD, create_user, spawn_app};
use crate::user::{
    choose, click_button, field, find, focused_id, follow_link, heading, literal,
    no_horizontal_scrolling, press, set_date, text_of, type_into, value, wait_for_path,
};
use chrono::{Duration as Days, Local};
use crossborder::auth::users::Role;
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, Locator};

const EDITOR: &str = "officer@example.com";
const VENDOR: &str = "Acme Mail";
const KEY: &str = "acme-mail";

/// The row of a vendor in the dashboard's table of flagged transfers, if it is there.
async fn flagged_rows(client: &Client, vendor: &str) -> Vec<Element> {
    let xpath = format!(
        "//section[@aria-labelledby='flagged-title']//table/tbody/tr[th[normalize-space()={}]]",
        literal(vendor)
    );
    client
        .find_all(Locator::XPath(&xpath))
        .await
        .expect("the flagged transfers")
}

/// The dashboard's count of flagged transfers and of the critical ones ("23 (13 critical)").
async fn flagged_counts(client: &Client) -> (u64, u64) {
    let figure = text_of(
        &find(
            client,
            "//dl[contains(@class,'summary')]/div[dt[normalize-space()='Flagged transfers']]/dd",
            "the count of flagged transfers",
        )
        .await,
    )
    .await;
    let numbers: Vec<u64> = figure
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    match numbers[..] {
        [flagged, critical] => (flagged, critical),
        _ => panic!("flagged transfers: {figure:?}"),
    }
}

#[actix_web::test]
async fn an_officer_flags_then_safeguards_a_transfer_in_a_browser() {
    let Some(binary) = chromedriver_or_skip() else {
        return;
    };

    let app = spawn_app().await;
    create_user(&app, EDITOR, Role::Editor);
    // Declared before the driver, so that on a failure Chromium is ended before its profile is
    // removed.
    let profile = tempfile::tempdir().expect("a temporary Chromium profile");
    let driver = ChromeDriver::start(&binary);
    let client = connect(&driver, profile.path()).await;
    set_viewport(&client, 1280, 1000).await;
    let today = Local::now().date_naive();
    let (today_text, notice_ends) = (today.to_string(), (today + Days::days(30)).to_string());

    // The workspace sends a stranger to the sign-in form, which comes back to the dashboard.
    client
        .goto(&format!("{}/workspace", app.address))
        .await
        .expect("the workspace opens");
    wait_for_path(&client, "/workspace/login").await;
    assert_eq!(heading(&client).await, "Sign in to the workspace");
    type_into(&client, "E-mail", EDITOR).await;
    type_into(&client, "Password", PASSWORD).await;
    click_button(&client, "Sign in").await;
    wait_for_path(&client, "/workspace").await;
    assert_eq!(heading(&client).await, "What needs attention");
    let bar = text_of(
        &find(
            &client,
            "//div[contains(@class,'workspace-bar')]",
            "the bar",
        )
        .await,
    )
    .await;
    assert!(
        bar.contains(&format!("Signed in as {EDITOR} (editor)")),
        "{bar}"
    );
    assert!(
        flagged_rows(&client, VENDOR).await.is_empty(),
        "nothing about {VENDOR} yet"
    );
    let (flagged_before, critical_before) = flagged_counts(&client).await;

    // Signing out, then in again with the keyboard alone: Tab reaches the e-mail field (past
    // the skip link and the site's name), Tab moves on to the password, Enter submits.
    click_button(&client, "Sign out").await;
    wait_for_path(&client, "/workspace/login").await;
    let mut tabs = 0;
    while focused_id(&client).await != "email" {
        tabs += 1;
        assert!(tabs <= 5, "Tab does not reach the e-mail field");
        press(&client, &Key::Tab.to_string()).await;
    }
    press(&client, EDITOR).await;
    press(&client, &Key::Tab.to_string()).await;
    assert_eq!(
        focused_id(&client).await,
        "password",
        "Tab goes on to the password"
    );
    press(&client, PASSWORD).await;
    press(&client, &Key::Enter.to_string()).await;
    wait_for_path(&client, "/workspace").await;
    assert_eq!(heading(&client).await, "What needs attention");

    // Adding a vendor to Jamendo (established in Luxembourg) from the vendor list.
    follow_link(&client, "Vendors").await;
    wait_for_path(&client, "/workspace/vendors").await;
    follow_link(&client, "Add a vendor to Jamendo").await;
    wait_for_path(&client, "/workspace/jamendo/vendors/new").await;
    assert_eq!(heading(&client).await, "Add a vendor to Jamendo");
    type_into(&client, "Name (required)", VENDOR).await;
    type_into(&client, "Key", KEY).await;
    // A checkbox is ticked by clicking its label.
    let email = find(
        &client,
        "//fieldset[legend[normalize-space()='Categories (at least one)']]//label[normalize-space()='Email']",
        "the Email category",
    )
    .await;
    email.click().await.expect("the label ticks its checkbox");
    assert!(
        field(&client, "Email").await.is_selected().await.unwrap(),
        "the Email category is ticked"
    );
    type_into(&client, "Purpose (required)", "Sends the newsletter").await;
    choose(
        &client,
        "Status",
        "Active: announced now, takes effect on the date below",
    )
    .await;
    // The form proposes the organisation's notice period: 30 days from today by default.
    assert_eq!(
        value(&field(&client, "Takes effect on").await).await,
        notice_ends
    );
    choose(
        &client,
        "Country where the vendor handles the data",
        "United States",
    )
    .await;
    find(
        &client,
        "//fieldset[legend[normalize-space()='Data shared']]//label[normalize-space()='contact details']",
        "the contact details data category",
    )
    .await
    .click()
    .await
    .expect("the label ticks its checkbox");
    choose(&client, "Mechanism 1", "None").await;
    click_button(&client, "Save vendor").await;
    let vendor_path = format!("/workspace/jamendo/vendors/{KEY}");
    wait_for_path(&client, &vendor_path).await;
    assert_eq!(heading(&client).await, VENDOR);
    let verdict =
        text_of(&find(&client, "//table//td[@data-label='Verdict']", "a verdict").await).await;
    assert!(
        verdict.contains("No safeguard — flagged, critical"),
        "{verdict}"
    );

    // The dashboard flags the new transfer as critical.
    follow_link(&client, "Dashboard").await;
    wait_for_path(&client, "/workspace").await;
    assert_eq!(
        flagged_counts(&client).await,
        (flagged_before + 1, critical_before + 1),
        "one more critical transfer"
    );
    let rows = flagged_rows(&client, VENDOR).await;
    assert_eq!(rows.len(), 1, "{VENDOR}'s transfer is flagged once");
    let row = &rows[0];
    let cell = |label: &'static str| async move {
        let cell = row
            .find(Locator::Css(&format!("td[data-label='{label}']")))
            .await
            .unwrap_or_else(|e| panic!("the row has a {label} cell: {e}"));
        text_of(&cell).await
    };
    assert_eq!(cell("Organisation").await, "Jamendo");
    assert_eq!(cell("Destination").await, "United States (US)");
    let verdict = cell("Verdict").await;
    assert!(
        verdict.contains("No safeguard — flagged, critical"),
        "{verdict}"
    );
    let badge = row
        .find(Locator::Css(".verdict"))
        .await
        .expect("a verdict badge");
    assert!(
        badge
            .attr("class")
            .await
            .unwrap()
            .unwrap_or_default()
            .contains("verdict-critical"),
        "the badge is styled critical"
    );
    // Critical transfers come first: no warning above this row.
    let severities: Vec<String> = {
        let mut classes = Vec::new();
        for badge in client
            .find_all(Locator::Css(
                "section[aria-labelledby=flagged-title] tbody .verdict",
            ))
            .await
            .unwrap()
        {
            classes.push(badge.attr("class").await.unwrap().unwrap_or_default());
        }
        classes
    };
    let first_warning = severities
        .iter()
        .position(|c| !c.contains("verdict-critical"))
        .unwrap_or(severities.len());
    assert!(
        severities[..first_warning]
            .iter()
            .all(|c| c.contains("verdict-critical")),
        "most severe first: {severities:?}"
    );
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'center'});",
            vec![serde_json::to_value(row).expect("an element reference")],
        )
        .await
        .expect("the row scrolls into view");
    save_screenshot(&client, "workspace-dashboard-flagged.png").await;

    // The vendor's page links its transfer; the officer records 2021 SCCs signed today and a
    // transfer impact assessment done today.
    client
        .goto(&format!("{}{vendor_path}", app.address))
        .await
        .expect("the vendor page opens");
    wait_for_path(&client, &vendor_path).await;
    follow_link(&client, "Edit transfer to United States").await;
    let url = client.current_url().await.unwrap();
    assert!(
        url.path().starts_with(&format!("{vendor_path}/transfers/")),
        "the transfer form: {url}"
    );
    assert_eq!(
        heading(&client).await,
        format!("Edit a transfer of {VENDOR}")
    );
    choose(&client, "Mechanism 1", "2021 SCCs (scc_2021)").await;
    assert_eq!(
        value(&field(&client, "Mechanism 1").await).await,
        "scc_2021"
    );
    set_date(&client, "Signed on (mechanism 1)", &today_text).await;
    set_date(&client, "Transfer impact assessment done on", &today_text).await;
    click_button(&client, "Save transfer").await;
    wait_for_path(&client, &vendor_path).await;
    let cells = |label: &'static str| {
        let client = &client;
        async move {
            text_of(
                &find(
                    client,
                    &format!("//table//td[@data-label='{label}']"),
                    &format!("the {label} cell"),
                )
                .await,
            )
            .await
        }
    };
    assert_eq!(
        cells("Mechanisms").await,
        format!("2021 SCCs (signed {today_text})")
    );
    assert_eq!(cells("TIA").await, today_text);
    let verdict = cells("Verdict").await;
    assert!(verdict.starts_with("✓ Safeguarded"), "{verdict}");
    assert!(!verdict.contains("flagged"), "{verdict}");

    // The flag has cleared; the addition is a review due when it takes effect.
    follow_link(&client, "Dashboard").await;
    wait_for_path(&client, "/workspace").await;
    assert!(
        flagged_rows(&client, VENDOR).await.is_empty(),
        "{VENDOR} is no longer flagged"
    );
    assert_eq!(
        flagged_counts(&client).await,
        (flagged_before, critical_before),
        "the counts are back to what they were"
    );
    let tia =
        text_of(&find(&client, "//section[@aria-labelledby='tia-title']", "TIAs").await).await;
    assert!(!tia.contains(VENDOR), "{VENDOR} has its TIA: {tia}");
    let reviews = text_of(
        &find(
            &client,
            "//section[@aria-labelledby='reviews-title']",
            "the reviews",
        )
        .await,
    )
    .await;
    assert!(
        reviews.contains(&format!(
            "{notice_ends} — Jamendo: takes effect: {VENDOR} (email) added"
        )),
        "{reviews}"
    );
    no_horizontal_scrolling(&client, "the dashboard at 1280px").await;
    save_screenshot(&client, "workspace-dashboard.png").await;

    // At a phone's width (390x844 CSS pixels) the dashboard fits the screen.
    let (width, height) = set_viewport(&client, 390, 844).await;
    assert_eq!((width, height), (390, 844), "the viewport is phone-sized");
    no_horizontal_scrolling(&client, "the dashboard at phone width").await;
    let display = client
        .find(Locator::Css(
            "section[aria-labelledby=flagged-title] table.vendors tbody tr",
        ))
        .await
        .expect("a flagged transfer")
        .css_value("display")
        .await
        .unwrap();
    assert_eq!(
        display, "block",
        "each flagged transfer is a card at phone width"
    );
    save_screenshot(&client, "workspace-dashboard-phone.png").await;
    set_viewport(&client, 1280, 1000).await;
    assert_eq!(viewport(&client).await.0, 1280);

    // The public page announces the vendor as an upcoming change, not yet in today's list.
    client
        .goto(&format!("{}/jamendo/subprocessors", app.address))
        .await
        .expect("the public page opens");
    wait_for_path(&client, "/jamendo/subprocessors").await;
    let upcoming = find(
        &client,
        "//section[contains(@class,'changes')]//h3[normalize-space()='Upcoming']/following-sibling::ul[1]",
        "the upcoming changes",
    )
    .await;
    let upcoming = text_of(&upcoming).await;
    assert!(
        upcoming.contains(&format!(
            "Effective {notice_ends} (announced {today_text}): {VENDOR} (email) added"
        )),
        "upcoming: {upcoming}"
    );
    let vendor_in_table = format!(
        "//table[contains(@class,'vendors')]/tbody/tr[th//*[contains(@class,'vendor-name') and normalize-space()={}]]",
        literal(VENDOR)
    );
    assert!(
        client
            .find_all(Locator::XPath(&vendor_in_table))
            .await
            .unwrap()
            .is_empty(),
        "{VENDOR} is not in today's list"
    );
    client
        .execute(
            "document.getElementById('changes-title').scrollIntoView({block: 'start'});",
            vec![],
        )
        .await
        .expect("the changes scroll into view");
    save_screenshot(&client, "subprocessors-upcoming.png").await;
    // The list as it will stand on that day has it, covered by the SCCs.
    client
        .goto(&format!(
            "{}/jamendo/subprocessors?as_of={notice_ends}",
            app.address
        ))
        .await
        .expect("the list on the day opens");
    let row = find(&client, &vendor_in_table, "the vendor on the day").await;
    let verdict = text_of(&row.find(Locator::Css(".verdict")).await.unwrap()).await;
    assert!(verdict.contains("Safeguarded"), "{verdict}");
    assert!(!verdict.contains("flagged"), "{verdict}");

    client.close().await.expect("the session ends");
    drop(driver);
}
