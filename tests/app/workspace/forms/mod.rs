//! The workspace's editing forms over HTTP: edit a vendor, add and edit transfers with several
//! mechanisms, certifications and evidence, retire; each refuses bad input next to its field,
//! keeps what was typed, refuses a stale edit showing what differs, and is audited.

mod access;
mod certifications;
mod plain_errors;
mod retirement;
mod transfers;
mod untouched;
mod vendor_edits;
mod vendor_list;

use crate::support::{Session, TestApp, sign_in};
use crossborder::auth::users::Role;
use crossborder::registry::{Registry, Vendor, organisation};

fn registry(app: &TestApp, slug: &str) -> Registry {
    organisation::registry(&mut app.conn(), slug)
        .unwrap()
        .unwrap()
}

fn vendor(app: &TestApp, slug: &str, key: &str) -> Vendor {
    registry(app, slug)
        .vendors
        .into_iter()
        .find(|v| v.key == key)
        .unwrap()
}

const GA: &str = "/workspace/arturia/vendors/google-analytics";

async fn editor(app: &TestApp) -> Session {
    sign_in(app, "editor@example.com", Role::Editor).await
}

fn vendor_form<'a>(s: &'a Session, v: &'a Vendor, version: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("csrf", s.csrf.as_str()),
        ("version", version),
        ("name", v.name.as_str()),
        ("legal_entity", v.legal_entity.as_deref().unwrap_or("")),
        ("website", v.website.as_deref().unwrap_or("")),
        ("headquarters", "US"),
        ("role", "processor"),
        ("purpose", v.purpose.as_str()),
    ];
    form.push(("categories", "analytics"));
    form
}
