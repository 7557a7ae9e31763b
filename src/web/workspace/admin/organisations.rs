//! Organisations for admins: create one, edit its facts and settings (stale edits refused), and
//! retire the example organisations. Admins see every organisation, so the admin who creates one
//! works in it at once.

use super::{admin_page, query};
use crate::registry::Organisation;
use crate::registry::organisation::{
    self, OrganisationError, OrganisationInput, Publication, publication,
};
use crate::web::error::{AppError, PageError};
use crate::web::extract::{Admin, PostedForm};
use crate::web::views::workspace::admin::organisations::{edit_markup, new_markup};
use crate::web::views::workspace::admin::{Notice, days};
use crate::web::views::workspace::form::{Shown, stale_notice};
use crate::web::workspace::forms::{self, Form, see_other};
use crate::web::{AppState, blocking, db};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

const FIELDS: [(&str, &str); 9] = [
    ("name", "Name"),
    ("legal_name", "Legal name"),
    ("country", "Country"),
    ("website", "Website"),
    ("privacy_contact", "Privacy contact"),
    ("policy_title", "Policy title"),
    ("policy_url", "Policy address"),
    ("policy_date", "Policy revised on"),
    ("announce_days", "Notice period (days)"),
];

/// Sent with the checkboxes of what the public list shows: an unticked box is not sent at all,
/// so this says the form held them.
const PUBLICATION_SHOWN: &str = "publication";

fn to_form(input: &OrganisationInput) -> Vec<(String, String)> {
    let ticked = input
        .publication
        .fields()
        .map(|(name, on)| (name.to_string(), if on { "1" } else { "" }.to_string()));
    [
        ("name", &input.name),
        ("legal_name", &input.legal_name),
        ("country", &input.country),
        ("website", &input.website),
        ("privacy_contact", &input.privacy_contact),
        ("policy_title", &input.policy_title),
        ("policy_url", &input.policy_url),
        ("policy_date", &input.policy_date),
        ("announce_days", &input.announce_days),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.clone()))
    .chain(ticked)
    .collect()
}

/// The form's values as stored.
fn stored(o: &Organisation) -> Form {
    let mut pairs = vec![("version".to_string(), o.version.to_string())];
    pairs.extend(to_form(&OrganisationInput::of(o)));
    Form(pairs)
}

/// What was posted, over `base`: a field the form did not send keeps its value.
fn typed(form: &Form, mut base: OrganisationInput) -> OrganisationInput {
    let fields: [(&str, &mut String); 10] = [
        ("slug", &mut base.slug),
        ("name", &mut base.name),
        ("legal_name", &mut base.legal_name),
        ("country", &mut base.country),
        ("website", &mut base.website),
        ("privacy_contact", &mut base.privacy_contact),
        ("policy_title", &mut base.policy_title),
        ("policy_url", &mut base.policy_url),
        ("policy_date", &mut base.policy_date),
        ("announce_days", &mut base.announce_days),
    ];
    for (name, value) in fields {
        if !form.all(name).is_empty() {
            *value = form.get(name);
        }
    }
    if !form.all(PUBLICATION_SHOWN).is_empty() {
        base.publication = Publication::from_fields(|name| !form.get(name).is_empty());
    }
    base
}

fn shown(form: &Form) -> Vec<Shown> {
    let publication = publication::FIELDS.iter().map(|(k, label)| {
        let on = if form.get(k).is_empty() {
            "not public"
        } else {
            "public"
        };
        (*label, on.to_string())
    });
    FIELDS
        .iter()
        .map(|(k, label)| (*label, form.get(k)))
        .chain(publication)
        .collect()
}

async fn find(state: &AppState, slug: &str) -> Result<Organisation, AppError> {
    let wanted = slug.to_string();
    blocking(state, move |conn| organisation::find(conn, &wanted))
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: format!("organisation '{slug}'"),
        })
}

/// `GET /workspace/admin/organisations/new`.
pub async fn new_page(Admin(signed_in): Admin) -> Result<HttpResponse, PageError> {
    let input = OrganisationInput {
        announce_days: "30".into(),
        ..Default::default()
    };
    let form = Form(to_form(&input));
    Ok(admin_page(
        StatusCode::OK,
        "New organisation",
        new_markup(&signed_in.0, &form, &[]),
    ))
}

/// `POST /workspace/admin/organisations`: creates an organisation.
pub async fn create(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let refused = |status, errors: Vec<_>| {
        admin_page(
            status,
            "New organisation",
            new_markup(&signed_in.0, &form, &errors),
        )
    };
    let input = typed(&form, OrganisationInput::default());
    let valid = match organisation::check(&input, None) {
        Ok(valid) => valid,
        Err(errors) => return Ok(refused(StatusCode::UNPROCESSABLE_ENTITY, errors)),
    };
    let actor = forms::actor(&signed_in);
    let outcome = db(&state, move |conn| {
        organisation::create(conn, &valid, &actor)
    })
    .await;
    match outcome {
        Ok(created) => Ok(see_other(format!(
            "/workspace/admin/organisations/{}?created=1",
            created.slug
        ))),
        Err(e @ OrganisationError::Exists(_)) => Ok(refused(
            StatusCode::CONFLICT,
            vec![crate::values::FieldError::new(
                "slug",
                format!(
                    "{}; choose another.",
                    crate::web::views::capitalised(e.to_string().trim_start_matches("slug: "))
                ),
            )],
        )),
        Err(OrganisationError::Invalid(errors)) => {
            Ok(refused(StatusCode::UNPROCESSABLE_ENTITY, errors))
        }
        Err(OrganisationError::Db(e)) => Err(AppError::db(e).into()),
        Err(other) => Err(AppError::internal(other.to_string()).into()),
    }
}

/// `GET /workspace/admin/organisations/{slug}`.
pub async fn edit_page(
    Admin(signed_in): Admin,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let org = find(&state, &path).await?;
    let done = if query(&req, "created").is_some() {
        Some(Notice::Done(format!(
            "Created {}: its public list is at /{}/subprocessors. Add its vendors next.",
            org.name, org.slug
        )))
    } else {
        query(&req, "saved").is_some().then(|| {
            Notice::Done(format!(
                "Saved (version {}): vendors added as active now take effect after {}.",
                org.version,
                days(org.announce_days)
            ))
        })
    };
    Ok(admin_page(
        StatusCode::OK,
        &format!("Settings of {}", org.name),
        edit_markup(&signed_in.0, &org, &stored(&org), &[], done.as_ref(), None),
    ))
}

/// `POST /workspace/admin/organisations/{slug}`: saves the edit if the version edited is still
/// current.
pub async fn save(
    PostedForm {
        signed_in,
        mut form,
        ..
    }: PostedForm<Admin>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let org = find(&state, &path).await?;
    let version_typed = form.get("version");
    let expected: i32 = version_typed.parse().map_err(|_| AppError::BadParameter {
        name: "version".into(),
        problem: format!("'{version_typed}' is not a version number: open the settings page again"),
    })?;
    let title = format!("Settings of {}", org.name);
    let input = typed(&form, OrganisationInput::of(&org));
    // What the page shows again is the whole edit, the fields not sent as stored.
    for (k, v) in to_form(&input) {
        form.set(&k, v);
    }
    let change = match organisation::check(&input, Some(&org)) {
        Ok(change) => change,
        Err(errors) => {
            return Ok(admin_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &title,
                edit_markup(&signed_in.0, &org, &form, &errors, None, None),
            ));
        }
    };
    let actor = forms::actor(&signed_in);
    let slug = org.slug.clone();
    let outcome = db(&state, move |conn| {
        organisation::edit(conn, &slug, expected, &change, &actor)
    })
    .await;
    match outcome {
        Ok(saved) => Ok(see_other(format!(
            "/workspace/admin/organisations/{}?saved={}",
            saved.slug, saved.version
        ))),
        Err(OrganisationError::Stale { current, .. }) => {
            let last = forms::last_change(&state, "organisation", current.id).await?;
            let stale = stale_notice(
                "organisation",
                &shown(&stored(&current)),
                &shown(&form),
                last.as_ref(),
            );
            // What was typed is kept, with the current version: saving again is a decision
            // taken knowing what the other person saved.
            form.set("version", current.version.to_string());
            Ok(admin_page(
                StatusCode::CONFLICT,
                &title,
                edit_markup(&signed_in.0, &current, &form, &[], None, Some(stale)),
            ))
        }
        Err(OrganisationError::NotFound(slug)) => Err(AppError::NotFound {
            what: format!("organisation '{slug}'"),
        }
        .into()),
        Err(OrganisationError::Db(e)) => Err(AppError::db(e).into()),
        Err(other) => Err(AppError::internal(other.to_string()).into()),
    }
}

/// `POST /workspace/admin/examples/retire`: retires the example organisations as a whole.
pub async fn retire_examples(
    PostedForm { signed_in, .. }: PostedForm<Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let actor = forms::actor(&signed_in);
    let retired = db(&state, move |conn| {
        organisation::retire_examples(conn, &actor)
    })
    .await
    .map_err(|e| match e {
        OrganisationError::Db(e) => AppError::db(e),
        other => AppError::internal(other.to_string()),
    })?;
    Ok(see_other(format!(
        "/workspace/admin?retired={}",
        retired.len()
    )))
}
