//! Passwords: change your own, the one-time reset link shown to an admin, and the page that link
//! opens.

use maud::{Markup, html};

use super::bar;
use super::form::{described_by, error_summary, field_error, invalid};
use crate::auth::passwords::RESET_HOURS;
use crate::auth::sessions::Session;
use crate::auth::users::MIN_PASSWORD_CHARS;
use crate::web::error::FieldError;
use crate::web::views::layout;
use crate::web::views::workspace::admin::{USERS, breadcrumb};

pub const PASSWORD: &str = "/workspace/account/password";
pub const RESET: &str = "/workspace/password-reset";

/// A password field (never keeping what was typed), with its error and help.
fn password(
    errors: &[FieldError],
    (name, label): (&str, &str),
    autocomplete: &str,
    help: Option<&str>,
) -> Markup {
    let help_id = format!("{name}-help");
    let described: Vec<String> = help
        .map(|_| help_id.clone())
        .into_iter()
        .chain(described_by(errors, name))
        .collect();
    html! {
        div.field {
            label for=(name) { (label) }
            input id=(name) name=(name) type="password" autocomplete=(autocomplete) required
                aria-invalid=[invalid(errors, name)]
                aria-describedby=[(!described.is_empty()).then(|| described.join(" "))];
            @if let Some(help) = help { p.help id=(help_id) { (help) } }
            (field_error(errors, name))
        }
    }
}

fn new_passwords(errors: &[FieldError]) -> Markup {
    let rule = format!(
        "At least {MIN_PASSWORD_CHARS} characters; a phrase of several words is easiest to remember."
    );
    html! {
        (password(errors, ("new_password", "New password"), "new-password", Some(&rule)))
        (password(errors, ("confirm_password", "New password again"), "new-password", None))
    }
}

/// The page where a signed-in account changes its own password.
pub fn change_markup(session: &Session, errors: &[FieldError], done: bool) -> Markup {
    html! {
        (bar(session, PASSWORD))
        h1 { "Your password" }
        @if done {
            p.note role="status" #password-notice { "Your password is changed. Your other sessions (other browsers, other devices) have ended; this one goes on." }
        }
        (error_summary("Your new password", errors, &html! {
            (password(errors, ("current_password", "Current password"), "current-password", None))
            (new_passwords(errors))
        }))
        p { "Signed in as " strong { (session.user.email) } ". Changing the password ends your sessions everywhere else." }
        form.stacked method="post" action=(PASSWORD) novalidate {
            input type="hidden" name="csrf" value=(session.csrf_token);
            (password(errors, ("current_password", "Current password"), "current-password", None))
            (new_passwords(errors))
            button type="submit" { "Change the password" }
        }
    }
}

/// The one-time reset link, shown once to the admin who made it.
pub fn link_markup(session: &Session, email: &str, link: &str) -> Markup {
    html! {
        (bar(session, USERS))
        (breadcrumb("Password reset link"))
        h1 { "Password reset link for " (email) }
        p.note role="status" { "Give this link to " (email) " by a channel you trust. It is shown once, works once, and expires in " (RESET_HOURS) " hours; the current password keeps working until it is used." }
        p { label for="reset-link" { "Reset link" } }
        p { input #reset-link type="text" readonly value=(link); }
        p { "Using it sets a new password, ends every session of the account and lifts its sign-in locks. Making another link does not cancel this one: both stop working once the password changes." }
        p { a href=(USERS) { "Back to the accounts" } }
    }
}

/// The page a reset link opens: a new password, twice; or why the link does not work.
pub fn reset_page(token: &str, email: Result<&str, &str>, errors: &[FieldError]) -> Markup {
    layout(
        "Choose a new password",
        html! {},
        html! {
            h1 { "Choose a new password" }
            @match email {
                Err(problem) => {
                    p.form-error role="alert" #reset-error { (problem) }
                    p { a href="/workspace/login" { "Sign in" } }
                }
                Ok(email) => {
                    (error_summary("Your new password", errors, &new_passwords(errors)))
                    p { "For the account " strong { (email) } ". Every session of the account ends; then sign in with the new password." }
                    form.stacked method="post" action=(RESET) novalidate {
                        input type="hidden" name="token" value=(token);
                        input type="hidden" name="username" autocomplete="username" value=(email);
                        (new_passwords(errors))
                        button type="submit" { "Set the new password" }
                    }
                }
            }
        },
    )
}
