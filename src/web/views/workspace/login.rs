//! The sign-in page: e-mail and password, with the form's CSRF token and where to go next.

use maud::{Markup, html};

use crate::web::views::layout;

/// What the sign-in page says above its form.
#[derive(Clone, Copy)]
pub enum Message<'a> {
    /// Why a sign-in was refused.
    Refused(&'a str),
    /// A notice, such as a password just set.
    Note(&'a str),
}

/// The form, keeping the e-mail typed, with a message.
pub fn login_page(csrf: &str, next: &str, email: &str, message: Option<Message<'_>>) -> Markup {
    let error = match message {
        Some(Message::Refused(text)) => Some(text),
        _ => None,
    };
    let note = match message {
        Some(Message::Note(text)) => Some(text),
        _ => None,
    };
    layout(
        "Sign in",
        html! {},
        html! {
            h1 { "Sign in to the workspace" }
            @if let Some(error) = error {
                p.form-error role="alert" #login-error { (error) }
            }
            @if let Some(note) = note {
                p.note role="status" #login-notice { (note) }
            }
            form.stacked method="post" action="/workspace/login" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="next" value=(next);
                div.field {
                    label for="email" { "E-mail" }
                    input #email type="email" name="email" value=(email) autocomplete="username" required
                        aria-describedby=[error.map(|_| "login-error")];
                }
                div.field {
                    label for="password" { "Password" }
                    input #password type="password" name="password" autocomplete="current-password" required;
                }
                button type="submit" { "Sign in" }
            }
        },
    )
}
