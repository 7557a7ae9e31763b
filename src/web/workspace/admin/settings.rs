//! The organisation settings page: notice period and privacy contact; stale edits refused.

use super::{admin_page, query};
use crate::registry::settings::{self, OrganisationSettings, SettingsError};
use crate::web::error::PageError;
use crate::web::error::{AppError, FieldError};
use crate::web::extract::{Admin, PostedForm};
use crate::web::views::workspace::admin::settings::settings_markup;
use crate::web::views::workspace::admin::{Notice, days};
use crate::web::views::workspace::form::{Shown, stale_notice};
use crate::web::workspace::forms::{self, Form, see_other, shown};
use crate::web::{AppState, blocking};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

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

async fn organisation(state: &AppState, slug: &str) -> Result<OrganisationSettings, AppError> {
    let wanted = slug.to_string();
    blocking(state, move |conn| settings::get(conn, &wanted))
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: format!("organisation '{slug}'"),
        })
}

/// `GET /workspace/admin/organisations/{slug}`.
pub async fn settings_page(
    Admin(signed_in): Admin,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
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
        settings_markup(&signed_in.0, &org, &stored(&org), &[], saved.as_ref(), None),
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
) -> Result<HttpResponse, PageError> {
    let org = organisation(&state, &path).await?;
    let version_typed = form.get("version");
    let expected: i32 = version_typed.parse().map_err(|_| AppError::BadParameter {
        name: "version".into(),
        problem: format!("'{version_typed}' is not a version number: open the settings page again"),
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
                settings_markup(&signed_in.0, &org, &form, &errors, None, None),
            ));
        }
    };
    let actor = forms::actor(&signed_in);
    let slug = org.slug.clone();
    // The store's own refusals come back as the value, for the page to show.
    let outcome = blocking(&state, move |conn| {
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
            let stale = stale_notice(
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
                settings_markup(&signed_in.0, &current, &form, &[], None, Some(stale)),
            ))
        }
        Err(SettingsError::NotFound(slug)) => Err(AppError::NotFound {
            what: format!("organisation '{slug}'"),
        }
        .into()),
        Err(SettingsError::Db(e)) => Err(AppError::db(e).into()),
    }
}
