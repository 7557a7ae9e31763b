//! An account's reminders: what falls due for its organisations, the weekly e-mail (on or off),
//! and its calendar feed's address (shown once when made).

use maud::{Markup, html};

use crate::auth::reminders::Reminders;
use crate::auth::sessions::Session;
use crate::registry::due::Due;
use crate::web::views::layout;

pub fn reminders_page(
    session: &Session,
    (settings, mail_enabled): (Reminders, bool),
    items: &[Due],
    calendar_url: Option<&str>,
) -> Markup {
    let csrf = &session.csrf_token;
    layout(
        "Reminders",
        html! {},
        html! {
            (super::bar(session, "/workspace/reminders"))
            h1 { "Reminders" }
            @if let Some(url) = calendar_url {
                div.note role="status" {
                    p { "Your calendar address, shown this once (add it to your calendar as a subscription; anyone with it can read the list):" }
                    p { code #calendar-url { (url) } }
                }
            }
            h2 { "What falls due in the next 90 days" }
            @if items.is_empty() { p { "Nothing." } }
            ul {
                @for d in items {
                    li { @if d.overdue { strong { "Overdue: " } } time datetime=(d.on) { (d.on) } " — " (d.what) " (" (d.organisation) ")" }
                }
            }
            h2 { "Weekly e-mail" }
            p {
                "Every week, the overdue items and those of the next two weeks, to " strong { (session.user.email) } "."
                @if !mail_enabled { " Mail is not configured on this site: nothing is sent until it is." }
            }
            form method="post" action="/workspace/reminders" {
                input type="hidden" name="csrf" value=(csrf);
                @if settings.weekly {
                    input type="hidden" name="weekly" value="off";
                    button type="submit" { "Stop the weekly e-mail" }
                } @else {
                    input type="hidden" name="weekly" value="on";
                    button type="submit" { "Send me the weekly e-mail" }
                }
            }
            h2 { "Calendar feed" }
            p {
                "An iCalendar feed (RFC 5545) of the same items, at a secret address. "
                @if settings.calendar { "You have one; making a new one ends the old address." }
            }
            form method="post" action="/workspace/reminders/calendar" {
                input type="hidden" name="csrf" value=(csrf);
                button type="submit" { @if settings.calendar { "Make a new calendar address" } @else { "Make my calendar address" } }
            }
        },
    )
}
