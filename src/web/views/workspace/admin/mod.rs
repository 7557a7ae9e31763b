//! The admin pages (`/workspace/admin`): the admin home and what the admin pages share (the
//! breadcrumb, the notice after a redirect, a time). The handlers are in
//! `web::workspace::admin`.

pub mod clients;
pub mod notices;
pub mod organisations;
pub mod users;

use chrono::NaiveDateTime;
use maud::{Markup, html};

use crate::audit::iso_time;
use crate::auth::clients::ApiClient;
use crate::auth::sessions::Session;
use crate::auth::users::{Account, Role};
use crate::registry::settings::OrganisationSettings;
use crate::web::views::layout;
use crate::web::views::table::Table;
use crate::web::views::workspace::pager::{Pager, page_link, pager_nav};

pub const HOME: &str = "/workspace/admin";
pub const USERS: &str = "/workspace/admin/users";
pub const CLIENTS: &str = "/workspace/admin/clients";

/// An admin page: the site's layout around `body`, with `title`.
pub fn page(title: &str, body: Markup) -> Markup {
    layout(title, html! {}, body)
}

pub fn when(t: NaiveDateTime) -> Markup {
    html! { time datetime=(iso_time(t)) { (t.format("%Y-%m-%d %H:%M")) " UTC" } }
}

pub fn breadcrumb(current: &str) -> Markup {
    html! {
        nav aria-label="Breadcrumb" {
            p { a href=(HOME) { "Administration" } " › " span aria-current="page" { (current) } }
        }
    }
}

/// A message after a redirect: what was done, or what was refused.
pub enum Notice {
    Done(String),
    Refused(String),
}

pub fn notice(n: Option<&Notice>) -> Markup {
    html! {
        @match n {
            Some(Notice::Done(text)) => p.note role="status" #admin-notice { (text) },
            Some(Notice::Refused(text)) => p.form-error role="alert" #admin-notice { (text) },
            None => {},
        }
    }
}

/// A notice period as a person reads it.
pub fn days(n: i32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// What admins manage, with links: accounts, API clients, each organisation's settings.
pub fn home_page(
    session: &Session,
    (accounts, api_clients, (organisations, pager)): (
        &[Account],
        &[ApiClient],
        (&[OrganisationSettings], &Pager),
    ),
    examples: &[String],
    done: Option<&Notice>,
) -> Markup {
    let admins = accounts
        .iter()
        .filter(|a| a.role == Role::Admin && a.disabled_at.is_none())
        .count();
    let disabled = accounts.iter().filter(|a| a.disabled_at.is_some()).count();
    let active_clients = api_clients
        .iter()
        .filter(|c| c.revoked_at.is_none())
        .count();
    html! {
        (super::bar(session, HOME))
        h1 { "Administration" }
        (notice(done))
        p { "Admins manage who signs in to the workspace, which programs may call the API, and each organisation's settings. Every change is in the " a href="/workspace/audit" { "audit log" } "." }
        ul.organisations {
            li {
                a href=(USERS) { "Accounts" } ": "
                (accounts.len()) " account(s), " (admins) " enabled admin(s)"
                @if disabled > 0 { ", " (disabled) " disabled" }
                ". Create accounts, change roles, disable or enable sign-in."
            }
            li {
                a href=(notices::NOTICES) { "Notice" } ": webhooks (register, remove), subscribers, and the deliveries with their attempts (send one again)."
            }
            li {
                a href=(CLIENTS) { "API clients" } ": "
                (active_clients) " active, " (api_clients.len() - active_clients) " revoked. Create a client for a procurement tool, revoke one."
            }
        }
        h2 #organisations-title { "Organisations" }
        p { a href=(organisations::NEW) { "Create an organisation" } ": its name, country, privacy contact and policy; its public list starts empty." }
        (Table::new("vendors", html! { "Organisations (" (pager.total) "), by name"
            @if pager.pages() > 1 { ", page " (pager.page) " of " (pager.pages()) } }, &["Organisation", "Notice period", "Privacy contact", "Settings"]).render(html! {
            @for o in organisations {
                tr {
                    th scope="row" data-label="Organisation" { (o.name) " " span.code { "(" (o.slug) ")" } }
                    td data-label="Notice period" { (days(o.announce_days)) }
                    td data-label="Privacy contact" { (o.privacy_contact.as_deref().unwrap_or("None")) }
                    td data-label="Settings" {
                        a href={ "/workspace/admin/organisations/" (o.slug) } { "Settings of " (o.name) }
                    }
                }
            }
        }))
        (pager_nav(pager, "organisations", |n| page_link(HOME, "", n)))
        @if !examples.is_empty() {
            h2 #examples-title { "Example organisations" }
            p { "Loaded into the empty database at the first start: " (examples.join(", ")) ". Retiring them takes them off the site as a whole (their records and history are kept); your own organisations are not touched." }
            form.admin method="post" action="/workspace/admin/examples/retire" {
                input type="hidden" name="csrf" value=(session.csrf_token);
                button type="submit" { "Retire the example organisations" }
            }
        }
    }
}
