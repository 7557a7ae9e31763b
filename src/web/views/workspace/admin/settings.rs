//! The organisation settings page: notice period and privacy contact.

use maud::{Markup, html};

use super::{HOME, Notice, breadcrumb, notice};
use crate::auth::sessions::Session;
use crate::registry::settings::{self, MAX_ANNOUNCE_DAYS, OrganisationSettings};
use crate::web::error::FieldError;
use crate::web::views::workspace::bar;
use crate::web::views::workspace::form::{
    described_by, error_summary, field_error, invalid, kept_type,
};
use crate::web::workspace::forms::Form;

/// The settings page, its form keeping `typed`; `stale` is the notice of a refused stale edit.
pub fn settings_markup(
    session: &Session,
    org: &OrganisationSettings,
    typed: &Form,
    errors: &[FieldError],
    notice_: Option<&Notice>,
    stale: Option<Markup>,
) -> Markup {
    let action = format!("/workspace/admin/organisations/{}", org.slug);
    html! {
        (bar(session, HOME))
        (breadcrumb(&format!("Settings of {}", org.name)))
        h1 { "Settings of " (org.name) }
        (notice(notice_))
        @if let Some(stale) = stale { (stale) }
        (error_summary("Your edit of the settings", errors))
        p { "The public sub-processor list of " (org.name) " is at " a href={ "/" (org.slug) "/subprocessors" } { "/" (org.slug) "/subprocessors" } "." }
        form.stacked.admin method="post" action=(action) novalidate {
            input type="hidden" name="csrf" value=(session.csrf_token);
            input type="hidden" name="version" value=(typed.get("version"));
            div.field {
                label for="announce_days" { "Notice period, in days (0 to " (MAX_ANNOUNCE_DAYS) ")" }
                @let number = kept_type(errors, "announce_days", "number") == "number";
                // A refused value goes back in a text field, which keeps it (and has no range).
                input #announce_days type=(if number { "number" } else { "text" }) name="announce_days"
                    min=[number.then_some("0")] max=[number.then_some(MAX_ANNOUNCE_DAYS)] step=[number.then_some("1")] inputmode="numeric" required
                    value=(typed.get("announce_days"))
                    aria-invalid=[invalid(errors, "announce_days")]
                    aria-describedby={ "announce_days-help" @if let Some(id) = described_by(errors, "announce_days") { " " (id) } };
                p.help id="announce_days-help" {
                    "A vendor added as active is announced in the change log and the feed, and takes effect this many days later unless another date is given. "
                    "Published lists give 10 to 30 days, 30 being the most common (GDPR Art. 28(2) asks for notice of new sub-processors)."
                }
                (field_error(errors, "announce_days"))
            }
            div.field {
                label for="privacy_contact" { "Privacy contact: an e-mail address or a web address (optional)" }
                input #privacy_contact type="text" name="privacy_contact" value=(typed.get("privacy_contact")) maxlength=(settings::CONTACT_MAX)
                    aria-invalid=[invalid(errors, "privacy_contact")] aria-describedby=[described_by(errors, "privacy_contact")];
                (field_error(errors, "privacy_contact"))
            }
            button type="submit" { "Save the settings" }
        }
    }
}
