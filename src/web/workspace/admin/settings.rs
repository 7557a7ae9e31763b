//! The organisation settings page: notice period and privacy contact; stale edits refused.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::{HOME, Notice, admin_page, breadcrumb, notice, query};
use crate::registry::settings::{self, MAX_ANNOUNCE_DAYS, OrganisationSettings, SettingsError};
use crate::web::error::{AppError, FieldError};
use crate::web::extract::{Admin, PostedForm};
use crate::web::workspace::forms::{
    self, Form, HTML, Shown, described_by, error_summary, field_error, invalid, see_other, shown,
};
use crate::web::workspace::{SignedIn, workspace_bar};
use crate::web::{AppState, blocking};

/// A notice period as a person reads it.
pub(super) fn days(n: i32) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}

/// The settings form's values as stored.
fn stored(s: &OrganisationSettings) -> Form {
    Form(vec![
        ("version".into(), s.version.to_string()),
        ("announce_days".into(), s.announce_days.to_string()),
        (
            "privacy_contact".into(),
            shown(s.privacy_contact.as_deref()),
        ),
    ])
}

/// The settings of a form (as stored or as typed), labelled for the stale-edit notice.
fn settings_shown(form: &Form) -> Vec<Shown> {
    vec![
        ("Notice period (days)", form.get("announce_days")),
        ("Privacy contact", form.get("privacy_contact")),
    ]
}

/// The settings page, its form keeping `typed`; `stale` is the notice of a refused stale edit.
fn settings_markup(
    signed_in: &SignedIn,
    org: &OrganisationSettings,
    typed: &Form,
    errors: &[FieldError],
    notice_: Option<&Notice>,
    stale: Option<Markup>,
) -> Markup {
    let action = format!("/workspace/admin/organisations/{}", org.slug);
    html! {
        (workspace_bar(signed_in, HOME))
        (breadcrumb(&format!("Settings of {}", org.name)))
        h1 { "Settings of " (org.name) }
        (notice(notice_))
        @if let Some(stale) = stale { (stale) }
        (error_summary("Your edit of the settings", errors))
        p { "The public sub-processor list of " (org.name) " is at " a href={ "/" (org.slug) "/subprocessors" } { "/" (org.slug) "/subprocessors" } "." }
        form.stacked.admin method="post" action=(action) novalidate {
            input type="hidden" name="csrf" value=(signed_in.0.csrf_token);
            input type="hidden" name="version" value=(typed.get("version"));
            div.field {
                label for="announce_days" { "Notice period, in days (0 to " (MAX_ANNOUNCE_DAYS) ")" }
                @let number = forms::kept_type(errors, "announce_days", "number") == "number";
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

async fn organisation(state: &AppState, slug: &str) -> Result<OrganisationSettings, AppError> {
    let wanted = slug.to_string();
    blocking(state, HTML, move |conn| settings::get(conn, &wanted))
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: format!("organisation '{slug}'"),
            audience: HTML,
        })
}

/// `GET /workspace/admin/organisations/{slug}`.
pub async fn settings_page(
    Admin(signed_in): Admin,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let org = organisation(&state, &path).await?;
    let saved = query(&req, "saved").is_some().then(|| {
        Notice::Done(format!(
            "Saved (version {}): vendors added as active now take effect after {}.",
            org.version,
            days(org.announce_days)
        ))
    });
    Ok(admin_page(
        StatusCode::OK,
        &format!("Settings of {}", org.name),
        settings_markup(&signed_in, &org, &stored(&org), &[], saved.as_ref(), None),
    ))
}

/// `POST /workspace/admin/organisations/{slug}`: saves the settings if the version edited is
/// still current.
pub async fn save_settings(
    PostedForm {
        signed_in,
        mut form,
        ..
    }: PostedForm<Admin>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let org = organisation(&state, &path).await?;
    let version_typed = form.get("version");
    let expected: i32 = version_typed.parse().map_err(|_| AppError::BadParameter {
        name: "version".into(),
        problem: format!("'{version_typed}' is not a version number: open the settings page again"),
        audience: HTML,
    })?;
    let title = format!("Settings of {}", org.name);
    let change = match settings::check(
        &form.get("announce_days"),
        &form.get("privacy_contact"),
        org.privacy_contact.as_deref(),
    ) {
        Ok(change) => change,
        Err(problems) => {
            let errors: Vec<FieldError> = problems
                .into_iter()
                .map(|p| FieldError {
                    field: p.field.into(),
                    message: p.message,
                })
                .collect();
            return Ok(admin_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &title,
                settings_markup(&signed_in, &org, &form, &errors, None, None),
            ));
        }
    };
    let actor = forms::actor(&signed_in);
    let slug = org.slug.clone();
    // The store's own refusals come back as the value, for the page to show.
    let outcome = blocking(&state, HTML, move |conn| {
        Ok(settings::update(conn, &slug, expected, &change, &actor))
    })
    .await?;
    match outcome {
        Ok(saved) => Ok(see_other(format!(
            "/workspace/admin/organisations/{}?saved={}",
            saved.slug, saved.version
        ))),
        Err(SettingsError::Stale { current, .. }) => {
            let last = forms::last_change(&state, "organisation", current.id).await?;
            let stale = forms::stale_notice(
                "organisation",
                &settings_shown(&stored(&current)),
                &settings_shown(&form),
                last.as_ref(),
            );
            // What was typed is kept, with the current version: saving again is a decision
            // taken knowing what the other person saved.
            form.set("version", current.version.to_string());
            Ok(admin_page(
                StatusCode::CONFLICT,
                &title,
                settings_markup(&signed_in, &current, &form, &[], None, Some(stale)),
            ))
        }
        Err(SettingsError::NotFound(slug)) => Err(AppError::NotFound {
            what: format!("organisation '{slug}'"),
            audience: HTML,
        }),
        Err(SettingsError::Db(e)) => Err(AppError::db(e, HTML)),
    }
}
