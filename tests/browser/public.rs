//! The public page in a real browser: headless Chromium driven through chromedriver (WebDriver)
//! with fantoccini. It opens Arturia's list, filters it with the form as a reader would, and
//! saves screenshots at desktop and phone width under `target/screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without chromedriver the test says so and
//! passes, unless `CROSSBORDER_REQUIRE_BROWSER=1` (CI), where a missing browser fails it.

use std::time::{Duration, Instant};

use crate::chromium::{
    ChromeDriver, chromedriver_or_skip, connect, page_widths, save_screenshot, set_viewport,
    viewport,
};
use crate::support::spawn_app;
use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

async fn text(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} is on the page: {e}"))
        .text()
        .await
        .expect("its text")
}

/// The table row of the vendor with this name.
async fn vendor_row(client: &Client, vendor: &str) -> Element {
    let xpath = format!(
        "//table[contains(@class,'vendors')]/tbody/tr[th//*[contains(@class,'vendor-name') and normalize-space()='{vendor}']]"
    );
    client
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("{vendor} is listed: {e}"))
}

/// The number at the start of a summary figure ("9 (9 critical, 0 warning)" is 9).
async fn summary_figure(client: &Client, term: &str) -> u64 {
    let xpath = format!("//dl[contains(@class,'summary')]/div[dt[normalize-space()='{term}']]/dd");
    let value = client
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("the summary shows {term}: {e}"))
        .text()
        .await
        .expect("its text");
    value
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{term} starts with a number: {value:?}"))
}

#[actix_web::test]
async fn a_reader_filters_the_list_in_a_browser() {
    let Some(binary) = chromedriver_or_skip() else {
        return;
    };

    let app = spawn_app().await;
    // Declared before the driver, so that on a failure Chromium is ended before its profile is
    // removed.
    let profile = tempfile::tempdir().expect("a temporary Chromium profile");
    let driver = ChromeDriver::start(&binary);
    let client = connect(&driver, profile.path()).await;
    client
        .set_window_size(1280, 1000)
        .await
        .expect("the window resizes");

    // The list as published today.
    client
        .goto(&format!("{}/arturia/subprocessors", app.address))
        .await
        .expect("the page opens");
    assert_eq!(
        client.title().await.expect("a title"),
        "Arturia: sub-processors and partners · crossborder"
    );
    let caption = text(&client, "table.vendors caption").await;
    assert!(
        caption.starts_with("Sub-processors and partners of Arturia on "),
        "caption: {caption}"
    );
    assert!(
        caption.ends_with(" vendors)") && !caption.contains("filtered"),
        "caption: {caption}"
    );
    vendor_row(&client, "Google Analytics").await;

    // The filter form, filled in as a reader would. A date input's typed format follows the
    // browser's locale, so its value is set directly, as fantoccini's Form::set does.
    let form = client
        .form(Locator::Css("form.filters"))
        .await
        .expect("the filter form");
    form.set(Locator::Id("f-as-of"), "2021-01-01")
        .await
        .expect("the date is set");
    let flagged = client
        .find(Locator::Css("label[for=f-flagged]"))
        .await
        .expect("the checkbox's label");
    assert_eq!(flagged.text().await.unwrap(), "Only flagged transfers");
    flagged.click().await.expect("the label ticks the checkbox");
    assert!(
        client
            .find(Locator::Id("f-flagged"))
            .await
            .unwrap()
            .is_selected()
            .await
            .unwrap(),
        "clicking the label ticks the checkbox"
    );
    client
        .find(Locator::XPath(
            "//form[contains(@class,'filters')]//button[normalize-space()='Apply filters']",
        ))
        .await
        .expect("the Apply filters button")
        .click()
        .await
        .expect("the form is submitted");

    let deadline = Instant::now() + Duration::from_secs(10);
    let url = loop {
        let url = client.current_url().await.expect("the current URL");
        if url.query().is_some_and(|q| q.contains("as_of=")) {
            break url;
        }
        assert!(
            Instant::now() < deadline,
            "the form did not navigate: {url}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(url.path(), "/arturia/subprocessors");
    let query: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert!(
        query.contains(&("as_of".into(), "2021-01-01".into())),
        "query: {query:?}"
    );
    assert!(
        query.contains(&("flagged".into(), "true".into())),
        "query: {query:?}"
    );

    // The filtered list: on 2021-01-01 the Privacy Shield was gone, so the Google Analytics
    // transfer has no safeguard and is flagged; the form keeps what was chosen.
    let caption = text(&client, "table.vendors caption").await;
    assert!(
        caption.starts_with("Sub-processors and partners of Arturia on 2021-01-01 ("),
        "caption: {caption}"
    );
    assert!(caption.ends_with(", filtered)"), "caption: {caption}");
    let row = vendor_row(&client, "Google Analytics").await;
    let verdict = row
        .find(Locator::Css(".verdict"))
        .await
        .expect("a verdict")
        .text()
        .await
        .unwrap();
    assert!(verdict.contains("No safeguard"), "verdict: {verdict}");
    assert!(verdict.contains("flagged, critical"), "verdict: {verdict}");
    let reason = row.find(Locator::Css(".reason")).await.unwrap();
    assert!(
        reason.text().await.unwrap().contains("Privacy Shield"),
        "the reason names the invalidated framework"
    );
    assert_eq!(
        client
            .find(Locator::Id("f-as-of"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("2021-01-01")
    );

    // The summary counts the filtered list: every transfer shown is flagged.
    let rows = client
        .find_all(Locator::Css("table.vendors > tbody > tr"))
        .await
        .unwrap()
        .len() as u64;
    let vendors = summary_figure(&client, "Vendors").await;
    let transfers = summary_figure(&client, "Transfers").await;
    let flagged = summary_figure(&client, "Flagged transfers").await;
    assert_eq!(vendors, rows, "the summary counts the vendors listed");
    assert!(
        caption.contains(&format!("({rows} vendor")),
        "caption: {caption}"
    );
    assert!(flagged >= 1, "the Google Analytics transfer is counted");
    assert_eq!(flagged, transfers, "only flagged transfers are listed");
    let flagged_text = text(&client, "dl.summary .flagged dd").await;
    assert!(
        flagged_text.contains(&format!("({flagged} critical")),
        "every flagged transfer is critical on 2021-01-01: {flagged_text}"
    );

    assert_eq!(viewport(&client).await.0, 1280);
    let (scroll_width, client_width) = page_widths(&client).await;
    assert!(
        scroll_width <= client_width,
        "no horizontal scrolling at 1280px: the page is {scroll_width}px wide in {client_width}px"
    );
    save_screenshot(&client, "subprocessors-filtered.png").await;

    // A phone (an iPhone's 390x844 CSS pixels): the table becomes cards, nothing wider than
    // the screen.
    let (width, height) = set_viewport(&client, 390, 844).await;
    assert_eq!((width, height), (390, 844), "the viewport is phone-sized");
    let (scroll_width, client_width) = page_widths(&client).await;
    assert!(
        scroll_width <= client_width,
        "no horizontal scrolling at phone width: the page is {scroll_width}px wide in {client_width}px"
    );
    let display = client
        .find(Locator::Css("table.vendors tbody tr"))
        .await
        .unwrap()
        .css_value("display")
        .await
        .unwrap();
    assert_eq!(display, "block", "each vendor is a card at phone width");
    // The flagged Google Analytics transfer, as a card.
    let row = vendor_row(&client, "Google Analytics").await;
    client
        .execute(
            "arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -12);",
            vec![serde_json::to_value(&row).expect("an element reference")],
        )
        .await
        .expect("the row scrolls into view");
    save_screenshot(&client, "subprocessors-phone.png").await;

    client.close().await.expect("the session ends");
    drop(driver);
}
