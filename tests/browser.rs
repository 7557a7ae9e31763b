//! The public page in a real browser: headless Chromium driven through chromedriver (WebDriver)
//! with fantoccini. It opens Arturia's list, filters it with the form as a reader would, and
//! saves screenshots at desktop and phone width under `target/screenshots/`.
//!
//! Needs Debian's `chromium` and `chromium-driver`. Without chromedriver the test says so and
//! passes, unless `CROSSBORDER_REQUIRE_BROWSER=1` (CI), where a missing browser fails it.

mod helpers;

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use helpers::spawn_app;
use serde_json::json;

const SKIP: &str = "skipped: chromedriver not found (apt-get install chromium chromium-driver)";

/// `/usr/bin/chromedriver`, or the first `chromedriver` on PATH.
fn find_chromedriver() -> Option<PathBuf> {
    let debian = Path::new("/usr/bin/chromedriver");
    if debian.is_file() {
        return Some(debian.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromedriver"))
        .find(|candidate| candidate.is_file())
}

fn browser_required() -> bool {
    std::env::var("CROSSBORDER_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

/// chromedriver as a child process in a process group of its own. Dropping it (also while a
/// failed assertion unwinds) ends chromedriver and the Chromium it started.
struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    fn start(binary: &Path) -> ChromeDriver {
        use std::os::unix::process::CommandExt;
        let port = free_port();
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .arg("--allowed-ips=127.0.0.1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let driver = ChromeDriver { child, port };
        driver.wait_until_listening();
        driver
    }

    fn wait_until_listening(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on port {} within 20 s",
                self.port
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Signals every process of chromedriver's group (chromedriver and its Chromium).
    fn signal_group(&self, signal: &str) {
        let _ = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg("--")
            .arg(format!("-{}", self.child.id()))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        self.signal_group("TERM");
        std::thread::sleep(Duration::from_millis(200));
        self.signal_group("KILL");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn connect(driver: &ChromeDriver, profile: &Path) -> Client {
    let mut chrome_options = json!({
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            format!("--user-data-dir={}", profile.display()),
            "--window-size=1280,1000",
        ],
    });
    if Path::new("/usr/bin/chromium").is_file() {
        chrome_options["binary"] = json!("/usr/bin/chromium");
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert("goog:chromeOptions".into(), chrome_options);
    ClientBuilder::rustls()
        .expect("the WebDriver client's connector")
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
        .expect("a Chromium session through chromedriver")
}

fn screenshot_path(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("target/screenshots can be created");
    dir.join(name)
}

async fn save_screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
    let path = screenshot_path(name);
    std::fs::write(&path, png).expect("the screenshot is written");
    println!("screenshot: {}", path.display());
}

/// The viewport's size in CSS pixels, as the page sees it.
async fn viewport(client: &Client) -> (u64, u64) {
    let size = client
        .execute("return [window.innerWidth, window.innerHeight];", vec![])
        .await
        .expect("the viewport size");
    let dimension = |i: usize| size[i].as_u64().expect("a number");
    (dimension(0), dimension(1))
}

/// Resizes the window so that the viewport (not the window) has this size; returns the
/// viewport's size.
async fn set_viewport(client: &Client, width: u32, height: u32) -> (u64, u64) {
    client
        .set_window_size(width, height)
        .await
        .expect("the window resizes");
    let (inner_width, inner_height) = viewport(client).await;
    let extra_width = u64::from(width).saturating_sub(inner_width);
    let extra_height = u64::from(height).saturating_sub(inner_height);
    if extra_width > 0 || extra_height > 0 {
        client
            .set_window_size(width + extra_width as u32, height + extra_height as u32)
            .await
            .expect("the window resizes");
    }
    viewport(client).await
}

/// The document's scroll width and the width it has to fit in (the viewport less a scrollbar).
async fn page_widths(client: &Client) -> (u64, u64) {
    let widths = client
        .execute(
            "const e = document.documentElement; return [e.scrollWidth, e.clientWidth];",
            vec![],
        )
        .await
        .expect("the page's widths");
    (
        widths[0].as_u64().expect("a number"),
        widths[1].as_u64().expect("a number"),
    )
}

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
    let Some(binary) = find_chromedriver() else {
        assert!(
            !browser_required(),
            "CROSSBORDER_REQUIRE_BROWSER=1 but chromedriver was not found in /usr/bin or on PATH \
             (apt-get install chromium chromium-driver)"
        );
        println!("{SKIP}");
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
