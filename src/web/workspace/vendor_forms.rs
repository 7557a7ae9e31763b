//! The forms that write a vendor's own record: add a vendor (with its first transfer), edit
//! it, retire it. Inputs are checked by the same rules as the API; an error is shown next to its
//! field and everything typed is kept.

use crate::web::error::PageError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{Duration, NaiveDate};
use maud::Markup;

use super::forms::{self, Form, page, see_other, shown};
use super::transfers::{transfer_input, validate_transfer};
use super::{GET_POST, resource};
use crate::date::today;
use crate::registry::vendor::{self, lifecycle};
use crate::registry::{EditError, Organisation, Vendor, VendorStatus};
use crate::web::AppState;
use crate::web::error::FieldError;
use crate::web::extract::{Editor, PostedForm};
use crate::web::input::{VendorIn, field_errors};
use crate::web::views::workspace::form::{Shown, refusal, stale_notice};
use crate::web::views::workspace::vendor_forms::{VendorPage, retire_page, withdraw_page};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/workspace/{org}/vendors/new", GET_POST)
            .route(web::get().to(new_vendor))
            .route(web::post().to(create_vendor)),
    )
    .service(
        resource("/workspace/{org}/vendors/{key}/edit", GET_POST)
            .route(web::get().to(edit_vendor))
            .route(web::post().to(update_vendor)),
    )
    .service(
        resource("/workspace/{org}/vendors/{key}/retire", GET_POST)
            .route(web::get().to(retire_form))
            .route(web::post().to(retire_vendor)),
    )
    .service(
        resource("/workspace/{org}/vendors/{key}/withdraw", GET_POST)
            .route(web::get().to(withdraw_form))
            .route(web::post().to(withdraw_vendor)),
    );
}

/// The first day a change announced today may take effect: today plus the notice period.
fn announced_from(organisation: &Organisation) -> NaiveDate {
    today() + Duration::days(organisation.announce_days.into())
}

/// The vendor's fields of a submitted form, as the API's input.
fn vendor_input(f: &Form, errors: &mut Vec<FieldError>) -> VendorIn {
    VendorIn {
        key: f.get("key"),
        name: f.get("name"),
        legal_entity: f.opt("legal_entity"),
        website: f.opt("website"),
        headquarters: f.opt("headquarters"),
        role: f.get("role"),
        categories: f.all("categories"),
        purpose: f.get("purpose"),
        status: f.opt("status"),
        active_from: f.date("active_from", errors),
        dpa_signed_on: f.date("dpa_signed_on", errors),
        dpa_url: f.opt("dpa_url"),
        notes: f.opt("notes"),
        effective_on: f.date("effective_on", errors),
        urgent_reason: f.opt("urgent_reason"),
        correction_reason: f.opt("correction_reason"),
        transfers: Vec::new(),
    }
}

fn validate_vendor(input: &VendorIn, errors: &mut Vec<FieldError>) {
    if let Err(e) = validator::Validate::validate(input) {
        errors.extend(field_errors(&e));
    }
}

/// The edit form of a vendor. A proposed vendor's start date is offered no earlier than
/// `announced_from`, the first date a change announced today may take effect.
fn vendor_as_form(v: &Vendor, announced_from: NaiveDate) -> Form {
    let active_from = match v.status {
        VendorStatus::Proposed => v
            .active_from
            .filter(|d| *d >= announced_from)
            .or(Some(announced_from)),
        _ => v.active_from,
    };
    let mut pairs: Vec<(String, String)> = [
        ("version", v.version.to_string()),
        ("name", v.name.clone()),
        ("legal_entity", v.legal_entity.clone().unwrap_or_default()),
        ("website", v.website.clone().unwrap_or_default()),
        ("headquarters", shown(v.headquarters)),
        ("role", v.role.to_string()),
        ("purpose", v.purpose.clone()),
        ("status", v.status.to_string()),
        ("active_from", shown(active_from)),
        ("dpa_signed_on", shown(v.dpa_signed_on)),
        ("dpa_url", v.dpa_url.clone().unwrap_or_default()),
        ("notes", v.notes.clone().unwrap_or_default()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    pairs.extend(
        v.categories
            .iter()
            .map(|c| ("categories".into(), c.to_string())),
    );
    Form(pairs)
}

/// A vendor's own fields as a person reads them, for the stale-edit comparison.
fn vendor_shown(v: &Vendor) -> Vec<Shown> {
    vec![
        ("Name", v.name.clone()),
        ("Legal entity", v.legal_entity.clone().unwrap_or_default()),
        ("Website", v.website.clone().unwrap_or_default()),
        ("Headquarters", shown(v.headquarters.map(|c| c.name()))),
        ("Role", v.role.label().into()),
        (
            "Categories",
            v.categories
                .iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("Purpose", v.purpose.clone()),
        ("Status", v.status.to_string()),
        ("Takes effect on", shown(v.active_from)),
        ("DPA signed on", shown(v.dpa_signed_on)),
        ("DPA link", v.dpa_url.clone().unwrap_or_default()),
        ("Notes", v.notes.clone().unwrap_or_default()),
    ]
}

pub async fn new_vendor(
    Editor(signed_in): Editor,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let organisation = forms::organisation(&state, &path).await?;
    let form = Form(vec![(
        "active_from".into(),
        announced_from(&organisation).to_string(),
    )]);
    let page_ = VendorPage {
        session: &signed_in.0,
        organisation: &organisation,
        editing: None,
        announced_from: announced_from(&organisation),
    };
    Ok(forms::html_page(page_.render(
        &form,
        &[],
        state.rules,
        Markup::default(),
    )))
}

pub async fn create_vendor(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let organisation = forms::organisation(&state, &path).await?;
    let slug = organisation.slug.clone();
    let page_ = VendorPage {
        session: &signed_in.0,
        organisation: &organisation,
        editing: None,
        announced_from: announced_from(&organisation),
    };
    let mut errors = Vec::new();
    let mut input = vendor_input(&form, &mut errors);
    // No key typed: one is made from the name, unique in the organisation when saved.
    let from_name = input.key.is_empty() && !input.name.trim().is_empty();
    if from_name {
        input.key = vendor::key_from_name(&input.name);
    }
    validate_vendor(&input, &mut errors);
    if let Some(transfer) = transfer_input(&form, &mut errors) {
        validate_transfer(&transfer, &mut errors);
        input.transfers.push(transfer);
    }
    let refuse = |errors: &[FieldError], status| {
        Ok(page(
            status,
            page_.render(&form, errors, state.rules, Markup::default()),
        ))
    };
    let timing = input.timing();
    let new = match forms::with_errors(errors, input.into_new()) {
        Ok(new) => new,
        Err(errors) => return refuse(&errors, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let actor = forms::actor(&signed_in);
    let wanted = slug.clone();
    match forms::run_edit(&state, move |conn| {
        if from_name {
            vendor::create_with_key_from_name(conn, &wanted, new, &timing, &actor)
        } else {
            vendor::create(conn, &wanted, new, &timing, &actor)
        }
    })
    .await?
    {
        Ok(v) => Ok(see_other(format!("/workspace/{slug}/vendors/{}", v.key))),
        Err(EditError::Invalid { field, message }) => refuse(
            &[FieldError::new(field, message)],
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => refuse(
            &[FieldError {
                field: "key".into(),
                message: e.to_string(),
            }],
            StatusCode::CONFLICT,
        ),
    }
}

pub async fn edit_vendor(
    Editor(signed_in): Editor,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key) = path.into_inner();
    let (organisation, vendor) = forms::vendor(&state, &slug, &key).await?;
    let vendor = &vendor;
    let page_ = VendorPage {
        session: &signed_in.0,
        organisation: &organisation,
        editing: Some(vendor),
        announced_from: announced_from(&organisation),
    };
    Ok(forms::html_page(page_.render(
        &vendor_as_form(vendor, announced_from(&organisation)),
        &[],
        state.rules,
        Markup::default(),
    )))
}

pub async fn update_vendor(
    PostedForm {
        signed_in,
        mut form,
        ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key) = path.into_inner();
    let (organisation, current) = forms::vendor(&state, &slug, &key).await?;
    let current = &current;
    let page_ = VendorPage {
        session: &signed_in.0,
        organisation: &organisation,
        editing: Some(current),
        announced_from: announced_from(&organisation),
    };
    let mut errors = Vec::new();
    let mut input = vendor_input(&form, &mut errors);
    input.key = current.key.clone();
    validate_vendor(&input, &mut errors);
    let timing = input.timing();
    // The update as it would be saved: refused here with the other errors, shown beside the
    // saved record when someone saved first.
    let checked = input.fields().and_then(|fields| {
        lifecycle::updated(
            current,
            fields.clone(),
            today(),
            announced_from(&organisation),
        )
        .map(|updated| (fields, updated))
        .map_err(|e| match e {
            EditError::Invalid { field, message } => vec![FieldError::new(field, message)],
            other => vec![FieldError::new("status", other.to_string())],
        })
    });
    let (fields, updated) = match forms::with_errors(errors, checked) {
        Ok(checked) => checked,
        Err(errors) => {
            return Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                page_.render(&form, &errors, state.rules, Markup::default()),
            ));
        }
    };
    let yours = vendor_shown(&updated);
    let (actor, s, k, version) = (
        forms::actor(&signed_in),
        slug.clone(),
        key.clone(),
        form.version(),
    );
    match forms::run_edit(&state, move |conn| {
        vendor::update(conn, (&s, &k), version, fields, &timing, &actor)
    })
    .await?
    {
        Ok(_) => Ok(see_other(format!("/workspace/{slug}/vendors/{key}"))),
        Err(EditError::Stale { current: now, .. }) => {
            let last = forms::last_change(&state, "vendor", current.id).await?;
            let notice = stale_notice("vendor", &vendor_shown(current), &yours, last.as_ref());
            form.set("version", now.to_string());
            Ok(page(
                StatusCode::CONFLICT,
                page_.render(&form, &[], state.rules, notice),
            ))
        }
        // Any other refusal goes back to the form, kept as typed, with the reason.
        Err(e) => Ok(page(
            StatusCode::CONFLICT,
            page_.render(&form, &[], state.rules, refusal(&e.to_string())),
        )),
    }
}

pub async fn retire_form(
    Editor(signed_in): Editor,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key) = path.into_inner();
    let (organisation, vendor) = forms::vendor(&state, &slug, &key).await?;
    let vendor = &vendor;
    let form = Form(vec![
        ("version".into(), vendor.version.to_string()),
        (
            "effective_on".into(),
            announced_from(&organisation).to_string(),
        ),
    ]);
    Ok(forms::html_page(retire_page(
        &signed_in.0,
        &organisation,
        vendor,
        &form,
        &[],
        Markup::default(),
    )))
}

pub async fn retire_vendor(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key) = path.into_inner();
    let (organisation, vendor) = forms::vendor(&state, &slug, &key).await?;
    let vendor = &vendor;
    let mut errors = Vec::new();
    let effective_on = form.required_date(
        ("effective_on", "the first day the vendor is no longer used"),
        &mut errors,
    );
    let correction = form.opt("correction_reason");
    let refuse = |errors: Vec<FieldError>, status| {
        Ok(page(
            status,
            retire_page(
                &signed_in.0,
                &organisation,
                vendor,
                &form,
                &errors,
                Markup::default(),
            ),
        ))
    };
    let Some(effective_on) = effective_on.filter(|_| errors.is_empty()) else {
        return refuse(errors, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let (actor, s, k, version) = (
        forms::actor(&signed_in),
        slug.clone(),
        key.clone(),
        form.version(),
    );
    match forms::run_edit(&state, move |conn| {
        let timing = crate::web::input::timing(Some(effective_on), &None, &correction);
        vendor::retire(conn, (&s, &k), version, &timing, &actor)
    })
    .await?
    {
        Ok(_) => Ok(see_other(format!("/workspace/{slug}/vendors/{key}"))),
        Err(EditError::Stale { current, expected }) => {
            let notice = forms::stale_vendor_notice(&state, vendor.id, (current, expected)).await?;
            let mut form = Form(form.0.clone());
            form.set("version", current.to_string());
            Ok(page(
                StatusCode::CONFLICT,
                retire_page(&signed_in.0, &organisation, vendor, &form, &[], notice),
            ))
        }
        Err(e) => refuse(
            vec![FieldError {
                field: "effective_on".into(),
                message: e.to_string(),
            }],
            StatusCode::CONFLICT,
        ),
    }
}

pub async fn withdraw_form(
    Editor(signed_in): Editor,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key) = path.into_inner();
    let (organisation, vendor) = forms::vendor(&state, &slug, &key).await?;
    let form = Form(vec![("version".into(), vendor.version.to_string())]);
    Ok(forms::html_page(withdraw_page(
        &signed_in.0,
        &organisation,
        &vendor,
        &form,
        &[],
        Markup::default(),
    )))
}

/// The longest reason kept with a withdrawal.
const WITHDRAW_REASON_MAX: usize = 2000;

pub async fn withdraw_vendor(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key) = path.into_inner();
    let (organisation, vendor) = forms::vendor(&state, &slug, &key).await?;
    let vendor = &vendor;
    let refuse = |form: &Form, errors: &[FieldError], notice: Markup| {
        Ok(page(
            StatusCode::CONFLICT,
            withdraw_page(&signed_in.0, &organisation, vendor, form, errors, notice),
        ))
    };
    let reason = form.opt("reason");
    if reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > WITHDRAW_REASON_MAX)
    {
        let errors = [FieldError::new(
            "reason",
            format!("The reason is too long: at most {WITHDRAW_REASON_MAX} characters."),
        )];
        return Ok(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            withdraw_page(
                &signed_in.0,
                &organisation,
                vendor,
                &form,
                &errors,
                Markup::default(),
            ),
        ));
    }
    let (actor, s, k, version) = (
        forms::actor(&signed_in),
        slug.clone(),
        key.clone(),
        form.version(),
    );
    match forms::run_edit(&state, move |conn| {
        vendor::withdraw(conn, (&s, &k), version, reason.as_deref(), &actor)
    })
    .await?
    {
        Ok(_) => Ok(see_other(format!("/workspace/{slug}/vendors/{key}"))),
        Err(EditError::Stale { current, expected }) => {
            let notice = forms::stale_vendor_notice(&state, vendor.id, (current, expected)).await?;
            let mut form = Form(form.0.clone());
            form.set("version", current.to_string());
            refuse(&form, &[], notice)
        }
        Err(e) => refuse(&form, &[], refusal(&e.to_string())),
    }
}
