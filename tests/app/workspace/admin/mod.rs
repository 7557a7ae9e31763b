//! The admin pages of the workspace: accounts (create, role, disable and enable), API clients
//! (create with a secret shown once, revoke) and organisation settings (notice period, privacy
//! contact) — admins only, CSRF-checked, audited.

mod access;
mod accounts;
mod clients;
mod settings;

use crate::support::{Session, TestApp, post_as, text_by_id};
use crossborder::db::schema::{api_clients, organisations, users as users_t};
use diesel::prelude::*;

const ADMIN: &str = "admin@example.com";

async fn post_text(
    app: &TestApp,
    session: &Session,
    path: &str,
    form: &[(&str, &str)],
) -> (u16, String) {
    let response = post_as(app, session, path, form).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

pub(super) fn user_id(app: &TestApp, email: &str) -> i32 {
    users_t::table
        .filter(users_t::email.eq(email))
        .select(users_t::id)
        .first(&mut app.conn())
        .expect("the account exists")
}

fn role_of(app: &TestApp, email: &str) -> String {
    users_t::table
        .filter(users_t::email.eq(email))
        .select(users_t::role)
        .first(&mut app.conn())
        .unwrap()
}

fn user_count(app: &TestApp) -> i64 {
    users_t::table.count().get_result(&mut app.conn()).unwrap()
}

fn client_count(app: &TestApp) -> i64 {
    api_clients::table
        .count()
        .get_result(&mut app.conn())
        .unwrap()
}

/// The notice period, version and revision of an organisation.
fn settings_of(app: &TestApp, slug: &str) -> (i32, i32, i32, Option<String>) {
    organisations::table
        .filter(organisations::slug.eq(slug))
        .select((
            organisations::announce_days,
            organisations::version,
            organisations::revision,
            organisations::privacy_contact,
        ))
        .first(&mut app.conn())
        .unwrap()
}

/// The `value` of the `<input>` named `name`, whatever the order of its attributes.
fn input_value(html: &str, name: &str) -> String {
    let at = html
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no input {name}"));
    let start = html[..at].rfind("<input").expect("an input tag");
    let end = at + html[at..].find('>').unwrap();
    let tag = &html[start..end];
    let v = tag.find("value=\"").expect("a value") + "value=\"".len();
    tag[v..v + tag[v..].find('"').unwrap()].to_string()
}

/// The text of the element with this id (no nested tags).
fn text_of(html: &str, id: &str) -> String {
    text_by_id(html, id).unwrap_or_else(|| panic!("no #{id}"))
}
