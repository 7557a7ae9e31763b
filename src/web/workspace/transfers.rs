//! A vendor's transfers in the workspace: the form to add one and to edit one, with every
//! claimed mechanism and its signing date. The first transfer of the add-vendor form uses the
//! same fields.

use crate::web::error::PageError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::Markup;

use super::forms::{self, Form, page, see_other, shown};
use super::{GET_POST, resource};
use crate::registry::{EditError, Transfer, Vendor, transfer};
use crate::rules::RuleSet;
use crate::web::AppState;
use crate::web::error::{AppError, FieldError};
use crate::web::extract::{Editor, PostedForm};
use crate::web::input::{MechanismClaim, TransferIn, field_errors};
use crate::web::views::mechanism_name;
use crate::web::views::workspace::form::{Shown, refusal, stale_notice};
use crate::web::views::workspace::transfers::{end_transfer_page, row_id, transfer_page};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/workspace/{org}/vendors/{key}/transfers/new", GET_POST)
            .route(web::get().to(new_transfer))
            .route(web::post().to(add_transfer)),
    )
    .service(
        resource("/workspace/{org}/vendors/{key}/transfers/{id}", GET_POST)
            .route(web::get().to(edit_transfer))
            .route(web::post().to(update_transfer)),
    )
    .service(
        resource(
            "/workspace/{org}/vendors/{key}/transfers/{id}/end",
            GET_POST,
        )
        .route(web::get().to(end_form))
        .route(web::post().to(end_transfer)),
    );
}

/// The form field an API field error belongs to (`transfers[0].mechanisms` → the first
/// mechanism select), so that the error shows next to the control that caused it.
pub(super) fn form_field(api_field: &str) -> String {
    let field = api_field.strip_prefix("transfers[0].").unwrap_or(api_field);
    match field {
        "country" => "transfer_country",
        "location" => "transfer_location",
        "data_categories" => "transfer_data",
        "mechanisms" => "transfer_mechanism",
        "tia_on" => "transfer_tia_on",
        "supplementary_measures" => "transfer_measures",
        "notes" => "transfer_notes",
        "outside_scope" => "transfer_outside_scope",
        other if other.starts_with("evidence") => "transfer_evidence",
        other => return other.to_string(),
    }
    .to_string()
}

/// The transfer the fields describe, or `None` when neither a country nor a place is given.
pub(super) fn transfer_input(f: &Form, errors: &mut Vec<FieldError>) -> Option<TransferIn> {
    let country = f.opt("transfer_country");
    let location = f.opt("transfer_location");
    let signed = f.all("transfer_signed_on");
    let mut mechanisms = Vec::new();
    for (i, id) in f.all("transfer_mechanism").into_iter().enumerate() {
        let date_field = row_id("transfer_signed_on", i + 1);
        let date = signed.get(i).map(|s| s.trim()).unwrap_or("");
        let signed_on = match crate::date::parse_date(date) {
            _ if date.is_empty() => None,
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(FieldError {
                    field: date_field,
                    message: e.to_string(),
                });
                None
            }
        };
        if id.is_empty() {
            if signed_on.is_some() {
                errors.push(FieldError {
                    field: row_id("transfer_mechanism", i + 1),
                    message: "Choose the mechanism this signing date is for".into(),
                });
            }
            continue;
        }
        mechanisms.push(MechanismClaim { id, signed_on });
    }
    if country.is_none() && location.is_none() {
        return None;
    }
    Some(TransferIn {
        country,
        location,
        data_categories: f.all("transfer_data"),
        mechanisms,
        tia_on: f.date("transfer_tia_on", errors),
        supplementary_measures: f.opt("transfer_measures"),
        notes: f.opt("transfer_notes"),
        outside_scope: f.all("transfer_outside_scope"),
        evidence: Vec::new(),
        effective_on: f.date("effective_on", errors),
        urgent_reason: f.opt("urgent_reason"),
        correction_reason: f.opt("correction_reason"),
    })
}

/// When the form asks the change to take effect (its date is checked with the transfer's).
fn form_timing(f: &Form) -> crate::registry::history::notice::Timing {
    let mut ignored = Vec::new();
    crate::web::input::timing(
        f.date("effective_on", &mut ignored),
        &f.opt("urgent_reason"),
        &f.opt("correction_reason"),
    )
}

/// Checks a transfer's input as the API does; errors named after the form's fields.
pub(super) fn validate_transfer(input: &TransferIn, errors: &mut Vec<FieldError>) {
    let mut found = match validator::Validate::validate(input) {
        Ok(()) => Vec::new(),
        Err(e) => field_errors(&e),
    };
    found.extend(input.check());
    errors.extend(found.into_iter().map(|e| FieldError {
        field: form_field(&e.field),
        message: e.message,
    }));
}

/// The transfer of a transfer form, or the errors to show next to its fields.
fn submitted_transfer(form: &Form) -> Result<Transfer, Vec<FieldError>> {
    let mut errors = Vec::new();
    let input = transfer_input(form, &mut errors);
    match &input {
        Some(input) => validate_transfer(input, &mut errors),
        None => errors.push(FieldError {
            field: "transfer_country".into(),
            message: "Choose the country, or say where in the place field when it is not known"
                .into(),
        }),
    }
    input
        .filter(|_| errors.is_empty())
        .ok_or(errors)
        .and_then(TransferIn::into_transfer)
}

fn transfer_as_form(t: &Transfer) -> Form {
    let mut pairs = vec![("version".to_string(), t.version.to_string())];
    if let Some(c) = t.country {
        pairs.push(("transfer_country".into(), c.to_string()));
    }
    if let Some(l) = &t.location {
        pairs.push(("transfer_location".into(), l.clone()));
    }
    for d in &t.data_categories {
        pairs.push(("transfer_data".into(), d.to_string()));
    }
    for m in &t.mechanisms {
        pairs.push(("transfer_mechanism".into(), m.id.clone()));
        pairs.push(("transfer_signed_on".into(), shown(m.signed_on)));
    }
    for e in &t.outside_scope {
        pairs.push(("transfer_outside_scope".into(), e.to_string()));
    }
    for (name, value) in [
        ("transfer_tia_on", shown(t.tia_on)),
        (
            "transfer_measures",
            t.supplementary_measures.clone().unwrap_or_default(),
        ),
        ("transfer_notes", t.notes.clone().unwrap_or_default()),
    ] {
        pairs.push((name.into(), value));
    }
    Form(pairs)
}

/// A transfer as a person reads it, for the stale-edit comparison.
fn transfer_shown(t: &Transfer, rules: &RuleSet) -> Vec<Shown> {
    vec![
        ("Country", shown(t.country.map(|c| c.name()))),
        ("Place", t.location.clone().unwrap_or_default()),
        (
            "Data shared",
            t.data_categories
                .iter()
                .map(|d| d.label())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "Mechanisms",
            t.mechanisms
                .iter()
                .map(|m| match m.signed_on {
                    Some(d) => format!("{} (signed {d})", mechanism_name(rules, &m.id)),
                    None => mechanism_name(rules, &m.id),
                })
                .collect::<Vec<_>>()
                .join("; "),
        ),
        ("Transfer impact assessment", shown(t.tia_on)),
        (
            "Supplementary measures",
            t.supplementary_measures.clone().unwrap_or_default(),
        ),
        ("Notes", t.notes.clone().unwrap_or_default()),
    ]
}

pub async fn new_transfer(
    Editor(signed_in): Editor,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key) = path.into_inner();
    let (_, vendor) = forms::vendor(&state, &slug, &key).await?;
    let vendor = &vendor;
    let page_ = transfer_page(&signed_in.0, &slug, vendor, None);
    Ok(forms::html_page(page_.render(
        &Form(Vec::new()),
        &[],
        state.rules,
        Markup::default(),
    )))
}

pub async fn add_transfer(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key) = path.into_inner();
    let (_, vendor) = forms::vendor(&state, &slug, &key).await?;
    let vendor = &vendor;
    let page_ = transfer_page(&signed_in.0, &slug, vendor, None);
    let transfer = match submitted_transfer(&form) {
        Ok(transfer) => transfer,
        Err(errors) => {
            return Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                page_.render(&form, &errors, state.rules, Markup::default()),
            ));
        }
    };
    let (actor, s, k) = (forms::actor(&signed_in), slug.clone(), key.clone());
    let timing = form_timing(&form);
    match forms::run_edit(&state, move |conn| {
        transfer::add(conn, (&s, &k), &transfer, &timing, &actor)
    })
    .await?
    {
        Ok(_) => Ok(see_other(page_.vendor_href)),
        // Any other refusal goes back to the form, kept as typed, with the reason.
        Err(e) => Ok(page(
            StatusCode::CONFLICT,
            page_.render(&form, &[], state.rules, refusal(&e.to_string())),
        )),
    }
}

pub async fn edit_transfer(
    Editor(signed_in): Editor,
    state: web::Data<AppState>,
    path: web::Path<(String, String, i32)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key, id) = path.into_inner();
    let (_, vendor) = forms::vendor(&state, &slug, &key).await?;
    let vendor = &vendor;
    let transfer = find_transfer(vendor, id)?;
    let page_ = transfer_page(&signed_in.0, &slug, vendor, Some(id));
    Ok(forms::html_page(page_.render(
        &transfer_as_form(transfer),
        &[],
        state.rules,
        Markup::default(),
    )))
}

fn find_transfer(vendor: &Vendor, id: i32) -> Result<&Transfer, AppError> {
    vendor
        .transfers
        .iter()
        .find(|t| t.id == id)
        .ok_or_else(|| AppError::NotFound {
            what: "such transfer".into(),
        })
}

pub async fn update_transfer(
    PostedForm {
        signed_in,
        mut form,
        ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<(String, String, i32)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key, id) = path.into_inner();
    let (_, vendor) = forms::vendor(&state, &slug, &key).await?;
    let vendor = &vendor;
    let current = find_transfer(vendor, id)?;
    let page_ = transfer_page(&signed_in.0, &slug, vendor, Some(id));
    // The form does not carry evidence; an update keeps what the transfer has.
    let transfer = match submitted_transfer(&form) {
        Ok(transfer) => transfer,
        Err(errors) => {
            return Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                page_.render(&form, &errors, state.rules, Markup::default()),
            ));
        }
    };
    let yours = transfer_shown(&transfer, state.rules);
    let (actor, s, k, version) = (
        forms::actor(&signed_in),
        slug.clone(),
        key.clone(),
        form.version(),
    );
    let timing = form_timing(&form);
    match forms::run_edit(&state, move |conn| {
        transfer::update(conn, (&s, &k), id, version, &transfer, &timing, &actor)
    })
    .await?
    {
        Ok(_) => Ok(see_other(page_.vendor_href)),
        // Someone saved first: nothing is overwritten; the page shows what differs, and the
        // form keeps the edit, now based on the saved version.
        Err(EditError::Stale { current: now, .. }) => {
            let last = forms::last_change(&state, "transfer", id).await?;
            let notice = stale_notice(
                "transfer",
                &transfer_shown(current, state.rules),
                &yours,
                last.as_ref(),
            );
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

pub async fn end_form(
    Editor(signed_in): Editor,
    state: web::Data<AppState>,
    path: web::Path<(String, String, i32)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key, id) = path.into_inner();
    let (_, vendor) = forms::vendor(&state, &slug, &key).await?;
    let version = find_transfer(&vendor, id)?.version;
    let form = Form(vec![("version".into(), version.to_string())]);
    Ok(forms::html_page(end_transfer_page(
        &signed_in.0,
        &slug,
        &vendor,
        id,
        (&form, &[], Markup::default()),
    )))
}

pub async fn end_transfer(
    PostedForm {
        signed_in,
        mut form,
        ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<(String, String, i32)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key, id) = path.into_inner();
    let (_, vendor) = forms::vendor(&state, &slug, &key).await?;
    find_transfer(&vendor, id)?;
    let mut errors = Vec::new();
    let effective_on = form.date("effective_on", &mut errors);
    let refused = |form: &Form, errors: &[FieldError], notice, status| {
        Ok(page(
            status,
            end_transfer_page(&signed_in.0, &slug, &vendor, id, (form, errors, notice)),
        ))
    };
    if !errors.is_empty() {
        return refused(
            &form,
            &errors,
            Markup::default(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let timing = crate::web::input::timing(effective_on, &None, &form.opt("correction_reason"));
    let (actor, s, k, version) = (
        forms::actor(&signed_in),
        slug.clone(),
        key.clone(),
        form.version(),
    );
    match forms::run_edit(&state, move |conn| {
        transfer::end(conn, (&s, &k), id, version, &timing, &actor)
    })
    .await?
    {
        Ok(_) => Ok(see_other(format!("/workspace/{slug}/vendors/{key}"))),
        Err(EditError::Stale { current, .. }) => {
            let last = forms::last_change(&state, "transfer", id).await?;
            let notice = match last {
                Some((at, actor)) => refusal(&format!(
                    "the transfer was changed by {} at {} while you were on this page; \
                     check it and end it again",
                    actor,
                    at.format("%Y-%m-%d %H:%M")
                )),
                None => refusal("the transfer was changed while you were on this page"),
            };
            form.set("version", current.to_string());
            refused(&form, &[], notice, StatusCode::CONFLICT)
        }
        Err(EditError::Invalid { field, message }) => refused(
            &form,
            &[FieldError {
                field: field.into(),
                message,
            }],
            Markup::default(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => refused(&form, &[], refusal(&e.to_string()), StatusCode::CONFLICT),
    }
}
