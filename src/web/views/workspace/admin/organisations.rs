//! An organisation's page for admins: create one, or edit its facts and settings (name, legal
//! name, country, website, privacy contact, policy, notice period).

use maud::{Markup, html};

use super::{HOME, Notice, breadcrumb, notice};
use crate::auth::sessions::Session;
use crate::registry::Organisation;
use crate::registry::organisation::{NAME_MAX, publication};
use crate::registry::settings::{CONTACT_MAX, MAX_ANNOUNCE_DAYS};
use crate::web::error::FieldError;
use crate::web::views::workspace::bar;
use crate::web::views::workspace::form::{
    described_by, error_summary, field_error, input, invalid, kept_type,
};
use crate::web::views::workspace::transfers::countries_by_name;
use crate::web::workspace::forms::Form;

pub const NEW: &str = "/workspace/admin/organisations/new";
pub const CREATE: &str = "/workspace/admin/organisations";

/// A one-line text field with a length limit and an optional help line.
fn text(
    typed: &Form,
    errors: &[FieldError],
    (name, label): (&str, &str),
    kind: &str,
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
            @let kind = kept_type(errors, name, kind);
            // A date field takes no length limit (HTML allows maxlength on text-like types only).
            input id=(name) name=(name) type=(kind) value=(typed.get(name)) maxlength=[(kind != "date").then_some(NAME_MAX.max(CONTACT_MAX))]
                aria-invalid=[invalid(errors, name)]
                aria-describedby=[(!described.is_empty()).then(|| described.join(" "))];
            @if let Some(help) = help { p.help id=(help_id) { (help) } }
            (field_error(errors, name))
        }
    }
}

/// The fields of an organisation, keeping what was typed; `creating` adds the slug.
fn fields(typed: &Form, errors: &[FieldError], creating: bool) -> Markup {
    let chosen = typed.get("country").to_ascii_uppercase();
    html! {
        @if creating {
            (text(typed, errors, ("slug", "Short name in addresses (required)"), "text",
                Some("Lowercase letters, digits and '-': the public list will be at /{short name}/subprocessors. It cannot be changed later.")))
        }
        (input(typed, errors, ("name", "Name readers know it by"), "text", true))
        (input(typed, errors, ("legal_name", "Legal name, as the privacy policy gives it"), "text", true))
        div.field {
            label for="country" { "Country of establishment (required)" }
            select #country name="country" required aria-invalid=[invalid(errors, "country")]
                aria-describedby={ "country-help" @if let Some(id) = described_by(errors, "country") { " " (id) } } {
                option value="" selected[chosen.is_empty()] { "Choose a country" }
                @for c in countries_by_name().into_iter().filter(|c| !c.is_organisation()) {
                    option value=(c) selected[chosen == c.as_str()] { (c.name()) }
                }
            }
            p.help #country-help { "The exporter of its transfers: it decides which law assesses them (EU/EEA, UK or Swiss)." }
            (field_error(errors, "country"))
        }
        (text(typed, errors, ("website", "Website (optional)"), "url", Some("Starts with https://")))
        (text(typed, errors, ("privacy_contact", "Privacy contact: an e-mail address or a web address (optional)"), "text", None))
        fieldset {
            legend { "Privacy policy (optional)" }
            (text(typed, errors, ("policy_title", "Title"), "text", None))
            (text(typed, errors, ("policy_url", "Address"), "url", Some("Starts with https://")))
            (text(typed, errors, ("policy_date", "Last revised on"), "date", Some("YYYY-MM-DD, not in the future.")))
        }
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
        (publication_fields(typed, errors))
    }
}

/// What the public list shows: a checkbox each, explained in the words a reader would see.
fn publication_fields(typed: &Form, errors: &[FieldError]) -> Markup {
    let help = |name: &str| match name {
        "publish_verdicts" => {
            "Each transfer's verdict (inside the EEA, adequate, safeguarded, no safeguard...), with the counts of flagged transfers and the filter by verdict."
        }
        "publish_reasons" => {
            "The sentence that explains each verdict. Shown only with the verdicts."
        }
        "publish_hints" => {
            "What the privacy officer should record or ask for next. Internal notes: not public unless ticked."
        }
        _ => {
            "The names of the documents the records cite (often internal file names). The quotes and their public addresses are shown either way."
        }
    };
    html! {
        fieldset #publication {
            legend { "On the public list (page, JSON, CSV and feed)" }
            input type="hidden" name="publication" value="1";
            @for (name, label) in publication::FIELDS {
                div.check {
                    input type="checkbox" id=(name) name=(name) value="1" checked[!typed.get(name).is_empty()]
                        aria-invalid=[invalid(errors, name)]
                        aria-describedby={ (name) "-help" @if let Some(id) = described_by(errors, name) { " " (id) } };
                    label for=(name) { (label) }
                }
                p.help id={ (name) "-help" } { (help(name)) }
                (field_error(errors, name))
            }
        }
    }
}

/// The form that creates an organisation, keeping `typed`.
pub fn new_markup(session: &Session, typed: &Form, errors: &[FieldError]) -> Markup {
    html! {
        (bar(session, HOME))
        (breadcrumb("New organisation"))
        h1 { "New organisation" }
        (error_summary("The new organisation", errors, &fields(typed, errors, true)))
        p { "The organisation that publishes a sub-processor list. You can work in it as soon as it is created; its list is public at once (empty until vendors are added)." }
        form.stacked.admin method="post" action=(CREATE) novalidate {
            input type="hidden" name="csrf" value=(session.csrf_token);
            (fields(typed, errors, true))
            button type="submit" { "Create the organisation" }
        }
    }
}

/// An organisation's page, its form keeping `typed`; `stale` is the notice of a refused stale
/// edit.
pub fn edit_markup(
    session: &Session,
    org: &Organisation,
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
        (error_summary("Your edit of the settings", errors, &fields(typed, errors, false)))
        p {
            "The public sub-processor list of " (org.name) " is at " a href={ "/" (org.slug) "/subprocessors" } { "/" (org.slug) "/subprocessors" } "; "
            a href={ "/workspace/" (org.slug) "/vendors/new" } { "add a vendor" } ". Every change is in the " a href="/workspace/audit" { "audit log" } ", with the values before and after."
        }
        form.stacked.admin method="post" action=(action) novalidate {
            input type="hidden" name="csrf" value=(session.csrf_token);
            input type="hidden" name="version" value=(typed.get("version"));
            (fields(typed, errors, false))
            button type="submit" { "Save the settings" }
        }
    }
}
