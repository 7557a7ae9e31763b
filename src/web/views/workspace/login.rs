//! The sign-in page: e-mail and password, with the form's CSRF token and where to go next.

use maud::{Markup, html};

use crate::web::views::layout;

/// The form, keeping the e-mail typed, with the reason a sign-in was refused (`Ok`) or a notice
/// (`Err`: not an error, such as a password just set).
pub fn login_page(
    csrf: &str,
    next: &str,
    email: &str,
    message: Option<Result<&str, &str>>,
) -> Markup {
    let error = message.and_then(Result::ok);
    let note = message.and_then(Result::err);
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
