//! Headless Chromium for the browser tests: chromedriver as a child process, a WebDriver session
//! through fantoccini, screenshots under `target/screenshots/`, and the page measurements the
//! tests check layouts with.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

pub const SKIP: &str = "skipped: chromedriver not found (apt-get install chromium chromium-driver)";

/// `/usr/bin/chromedriver`, or the first `chromedriver` on PATH.
pub fn find_chromedriver() -> Option<PathBuf> {
    let debian = Path::new("/usr/bin/chromedriver");
    if debian.is_file() {
        return Some(debian.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromedriver"))
        .find(|candidate| candidate.is_file())
}

/// `CROSSBORDER_REQUIRE_BROWSER=1` (CI): a missing browser fails the test instead of skipping it.
pub fn browser_required() -> bool {
    std::env::var("CROSSBORDER_REQUIRE_BROWSER").is_ok_and(|v| v == "1")
}

/// chromedriver, or `None` after saying the test is skipped. Panics when the browser is
/// required but missing.
pub fn chromedriver_or_skip() -> Option<PathBuf> {
    let found = find_chromedriver();
    if found.is_none() {
        assert!(
            !browser_required(),
            "CROSSBORDER_REQUIRE_BROWSER=1 but chromedriver was not found in /usr/bin or on PATH \
             (apt-get install chromium chromium-driver)"
        );
        println!("{SKIP}");
    }
    found
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
        .port()
}

/// chromedriver as a child process in a process group of its own. Dropping it (also while a
/// failed assertion unwinds) ends chromedriver and the Chromium it started.
pub struct ChromeDriver {
    child: Child,
    port: u16,
}

impl ChromeDriver {
    pub fn start(binary: &Path) -> ChromeDriver {
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

    pub fn url(&self) -> String {
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

/// A headless Chromium session with its own profile directory, 1280x1000.
pub async fn connect(driver: &ChromeDriver, profile: &Path) -> Client {
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

pub fn screenshot_path(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("target/screenshots can be created");
    dir.join(name)
}

/// Saves what the viewport shows as `target/screenshots/{name}`.
pub async fn save_screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is a PNG");
    let path = screenshot_path(name);
    std::fs::write(&path, png).expect("the screenshot is written");
    println!("screenshot: {}", path.display());
}

/// The viewport's size in CSS pixels, as the page sees it.
pub async fn viewport(client: &Client) -> (u64, u64) {
    let size = client
        .execute("return [window.innerWidth, window.innerHeight];", vec![])
        .await
        .expect("the viewport size");
    let dimension = |i: usize| size[i].as_u64().expect("a number");
    (dimension(0), dimension(1))
}

/// Resizes the window so that the viewport (not the window) has this size; returns the
/// viewport's size.
pub async fn set_viewport(client: &Client, width: u32, height: u32) -> (u64, u64) {
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
pub async fn page_widths(client: &Client) -> (u64, u64) {
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
