//! The public pages and feeds over HTTP, against the real server with the example organisations.

mod caching;
mod compression;
mod errors;
mod formats;
mod health;
mod large;
mod legend;
mod lists;
mod publication;
mod streaming;

use serde_json::Value;

const ORGANISATIONS: [&str; 5] = ["arturia", "jamendo", "qobuz", "qtrax", "spotify"];

fn transfers_of<'a>(json: &'a Value, vendor: &str) -> &'a Vec<Value> {
    json["vendors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == vendor)
        .unwrap_or_else(|| panic!("{vendor} not listed"))["transfers"]
        .as_array()
        .unwrap()
}
