//! The browser tests, one binary: headless Chromium driven through chromedriver (WebDriver) with
//! fantoccini, against the real app. Needs Debian's `chromium` and `chromium-driver`; without
//! chromedriver each test says so and passes, unless `CROSSBORDER_REQUIRE_BROWSER=1` (CI), where
//! a missing browser fails it.

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod checkers;
mod chromium;
mod every_page;
mod import;
mod large;
mod legend;
mod notice;
mod public;
mod user;
mod vendors;
mod workspace;
