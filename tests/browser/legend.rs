//! The public list's legend and its print styles in a real browser (issue 17, points 8 and 11):
//! a reader clicks a verdict and lands on its meaning; with print media emulated (through
//! chromedriver's Chrome DevTools endpoint) the navigation and forms are gone, the table's header
//! repeats, the folded change log prints and external links show their address.

use std::time::{Duration, Instant};

use crate::chromium::{ChromeDriver, chromedriver_or_skip, connect, save_screenshot};
use crate::support::spawn_app;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

/// `POST /session/{id}/goog/cdp/execute`: one Chrome DevTools Protocol command.
#[derive(Debug)]
struct Cdp(Value);

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.expect("a session")
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.0.to_string()))
    }
}

async fn script(client: &Client, js: &str) -> Value {
    client
        .execute(js, vec![])
        .await
        .unwrap_or_else(|e| panic!("{js}: {e}"))
}

#[actix_web::test]
async fn a_badge_leads_to_its_meaning_and_the_list_prints() {
    let Some(binary) = chromedriver_or_skip() else {
        return;
    };
    let app = spawn_app().await;
    let profile = tempfile::tempdir().expect("a temporary Chromium profile");
    let driver = ChromeDriver::start(&binary);
    let client = connect(&driver, profile.path()).await;
    client.set_window_size(1280, 900).await.unwrap();

    // `/arturia` leads to the list.
    client
        .goto(&format!("{}/arturia", app.address))
        .await
        .expect("the page opens");
    let url = client.current_url().await.unwrap();
    assert_eq!(url.path(), "/arturia/subprocessors");

    // The first critical badge, clicked, leads to the meaning of its verdict.
    let badge = client
        .find(Locator::Css("table.vendors a.verdict.verdict-critical"))
        .await
        .expect("a critical badge");
    assert!(badge.text().await.unwrap().contains("No safeguard"));
    badge.click().await.expect("the badge is a link");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let url = client.current_url().await.unwrap();
        if url.fragment() == Some("legend-verdict-unsafeguarded") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the badge did not navigate: {url}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    let target = script(
        &client,
        "const t = document.querySelector(':target'); const r = t.getBoundingClientRect(); \
         return [t.id, t.querySelector('dt').textContent, r.top >= 0 && r.top < window.innerHeight, \
                 t.closest('section').querySelector('h2').textContent];",
    )
    .await;
    assert_eq!(target[0], "legend-verdict-unsafeguarded");
    assert_eq!(target[1], "No safeguard");
    assert_eq!(target[2], true, "the entry is in view");
    assert_eq!(target[3], "What the verdicts mean");
    save_screenshot(&client, "public-legend-desktop.png").await;

    // On screen the change log is folded.
    const LOG: &str = "const d = document.querySelector('section.changes details'); \
         return [d.getBoundingClientRect().height, d.querySelector('li').checkVisibility()];";
    let folded = script(&client, LOG).await;
    assert_eq!(
        folded[1], false,
        "the change log is folded on screen: {folded}"
    );

    // On paper.
    client
        .issue_cmd(Cdp(json!({
            "cmd": "Emulation.setEmulatedMedia",
            "params": { "media": "print" }
        })))
        .await
        .expect("print media emulated");
    let print = script(
        &client,
        "const style = (s, p) => getComputedStyle(document.querySelector(s), p); \
         const log = document.querySelector('section.changes details li'); \
         const policy = [...document.querySelectorAll('dl.organisation a[href^=\"http\"]')][0]; \
         return [matchMedia('print').matches, style('header.site').display, \
                 style('form.filters').display, style('nav.formats').display, \
                 style('table.vendors thead').display, style('table.vendors tbody tr').breakInside, \
                 log ? log.getBoundingClientRect().height : -1, \
                 policy ? getComputedStyle(policy, '::after').content : '', \
                 policy ? policy.href : '', \
                 style('table.vendors a.bare', '::after').content];",
    )
    .await;
    assert_eq!(print[0], true, "print media: {print}");
    assert_eq!(print[1], "none", "the site header is hidden: {print}");
    assert_eq!(print[2], "none", "the filter form is hidden: {print}");
    assert_eq!(print[3], "none", "the download links are hidden: {print}");
    assert_eq!(print[4], "table-header-group", "{print}");
    assert_eq!(print[5], "avoid", "{print}");
    assert!(
        print[6].as_f64().unwrap() > 0.0,
        "the folded change log prints: {print}"
    );
    let unfolded = script(&client, LOG).await;
    assert_eq!(unfolded[1], true, "the change log prints: {unfolded}");
    assert!(
        unfolded[0].as_f64().unwrap() > folded[0].as_f64().unwrap() + 10.0,
        "the change log prints unfolded: {folded} then {unfolded}"
    );
    let after = print[7].as_str().unwrap();
    assert!(
        after.contains(print[8].as_str().unwrap()) && after.starts_with("\" ("),
        "an external link shows its address: {print}"
    );
    assert_eq!(print[9], "none", "a bare address is not repeated: {print}");

    client.close().await.expect("the session ends");
    drop(driver);
}
