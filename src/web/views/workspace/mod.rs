//! The workspace's pages, one module per page, and the bar every workspace page opens with.
//! The handlers that fill them are in `web::workspace`.

pub mod account;
pub mod admin;
pub mod audit;
pub mod certifications;
pub mod dashboard;
pub mod exports;
pub mod form;
pub mod import;
pub mod intake;
pub mod login;
pub mod objections;
pub mod pager;
pub mod reminders;
pub mod transfers;
pub mod vendor_forms;
pub mod vendors;

use maud::{Markup, html};

use crate::auth::sessions::Session;
use crate::auth::users::Role;

/// The workspace's navigation and the sign-out button, `current` marked as the page shown.
pub fn bar(session: &Session, current: &str) -> Markup {
    let mut links = vec![
        ("/workspace", "Dashboard"),
        ("/workspace/vendors", "Vendors"),
        ("/workspace/intake", "Intake requests"),
        ("/workspace/audit", "Audit log"),
        ("/workspace/reminders", "Reminders"),
    ];
    if session.user.role == Role::Admin {
        links.push(("/workspace/admin", "Admin"));
    }
    html! {
        div.workspace-bar {
            nav.workspace-nav aria-label="Workspace" {
                ul {
                    @for (href, label) in links {
                        li {
                            @if href == current { a href=(href) aria-current="page" { (label) } }
                            @else { a href=(href) { (label) } }
                        }
                    }
                }
            }
            span { "Signed in as " strong { (session.user.email) } " (" (session.user.role.as_str()) ") · " a href=(account::PASSWORD) { "Your password" } }
            form method="post" action="/workspace/logout" {
                input type="hidden" name="csrf" value=(session.csrf_token);
                button type="submit" { "Sign out" }
            }
        }
    }
}
