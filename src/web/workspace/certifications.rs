//! A vendor's certifications (the framework lists it is on, with the date each was last
//! verified) and the evidence behind its records, in the workspace.

use crate::web::error::PageError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use maud::Markup;

use super::forms::{self, Form, page, see_other};
use super::{GET_POST, resource};
use crate::date::today;
use crate::registry::{
    Certification, EditError, Evidence, EvidenceFor, Vendor, certification, evidence,
};
use crate::web::AppState;
use crate::web::error::{AppError, FieldError};
use crate::web::extract::{Editor, PostedForm};
use crate::web::input::{EvidenceIo, field_errors, field_errors_of, list_verified};
use crate::web::views::workspace::certifications::{
    SmallForm, certification_fields, evidence_form_fields, evidence_targets, framework_in_force,
    frameworks, verify_fields,
};
use crate::web::views::workspace::form::refusal;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource(
            "/workspace/{org}/vendors/{key}/certifications/new",
            GET_POST,
        )
        .route(web::get().to(new_certification))
        .route(web::post().to(add_certification)),
    )
    .service(
        resource(
            "/workspace/{org}/vendors/{key}/certifications/{id}",
            GET_POST,
        )
        .route(web::get().to(edit_certification))
        .route(web::post().to(update_certification)),
    )
    .service(
        resource("/workspace/{org}/vendors/{key}/evidence/new", GET_POST)
            .route(web::get().to(new_evidence))
            .route(web::post().to(add_evidence)),
    );
}

/// What a small form does with a submission; the form itself is in the views.
impl SmallForm<'_> {
    /// Runs the edit; a refusal (stale, invalid) goes back to the form, kept as typed.
    async fn save(
        &self,
        state: &AppState,
        form: &Form,
        fields: impl Fn(&Form, &[FieldError]) -> Markup,
        edit: impl FnOnce(&mut crate::db::DbConnection) -> Result<Vendor, EditError> + Send + 'static,
    ) -> Result<HttpResponse, PageError> {
        let refused = |field: &str, message: String| {
            let errors = [FieldError {
                field: field.into(),
                message,
            }];
            page(
                StatusCode::CONFLICT,
                self.render(form, &errors, fields(form, &errors)),
            )
        };
        // A refusal of the whole form, not of one field: shown above it.
        let refused_form = |message: String| {
            page(
                StatusCode::CONFLICT,
                self.render_with(form, &[], fields(form, &[]), refusal(&message)),
            )
        };
        Ok(match forms::run_edit(state, edit).await? {
            Ok(_) => see_other(self.vendor_href.clone()),
            Err(EditError::Stale { current, expected }) => {
                let notice =
                    forms::stale_vendor_notice(state, self.vendor_id, (current, expected)).await?;
                let mut form = Form(form.0.clone());
                form.set("version", current.to_string());
                page(
                    StatusCode::CONFLICT,
                    self.render_with(&form, &[], fields(&form, &[]), notice),
                )
            }
            Err(EditError::Invalid { field, message }) => refused(field, message),
            Err(e) => refused_form(e.to_string()),
        })
    }

    fn invalid(&self, form: &Form, errors: &[FieldError], fields: Markup) -> HttpResponse {
        page(
            StatusCode::UNPROCESSABLE_ENTITY,
            self.render(form, errors, fields),
        )
    }
}

/// The evidence of a form; `None` when left empty and not required.
fn evidence_input(f: &Form, errors: &mut Vec<FieldError>, required: bool) -> Option<Evidence> {
    let (document, quote, url) = (f.opt("document"), f.opt("quote"), f.opt("url"));
    if !required && document.is_none() && quote.is_none() && url.is_none() {
        return None;
    }
    let input = EvidenceIo {
        document: document.unwrap_or_default(),
        quote: quote.unwrap_or_default(),
        url,
    };
    if let Err(e) = validator::Validate::validate(&input) {
        errors.extend(field_errors(&e));
    }
    Some(input.into_evidence())
}

/// The day the framework's list was checked: a date, today or earlier (the API's rule).
fn verified_on(form: &Form, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let date = form.required_date(("verified_on", "the day the list was last checked"), errors)?;
    match list_verified(&date) {
        Ok(()) => Some(date),
        Err(e) => {
            errors.extend(field_errors_of("verified_on", e));
            None
        }
    }
}

pub async fn new_certification(
    Editor(signed_in): Editor,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (organisation, vendor) = forms::vendor(&state, &path.0, &path.1).await?;
    let vendor = &vendor;
    let mut form = Form(vec![
        ("version".into(), vendor.version.to_string()),
        ("verified_on".into(), today().to_string()),
    ]);
    // The framework in force today, from the rules data: the one a new listing is under.
    if let Some(id) = framework_in_force(state.rules, today()) {
        form.set("framework", id.to_string());
    }
    let small = SmallForm::certification(&signed_in.0, &organisation, vendor);
    Ok(forms::html_page(small.render(
        &form,
        &[],
        certification_fields(&form, &[], state.rules),
    )))
}

pub async fn add_certification(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (organisation, vendor) = forms::vendor(&state, &path.0, &path.1).await?;
    let vendor = &vendor;
    let small = SmallForm::certification(&signed_in.0, &organisation, vendor);
    let mut errors = Vec::new();
    let framework = form.get("framework");
    if !frameworks(state.rules).any(|m| m.id() == framework) {
        errors.push(FieldError {
            field: "framework".into(),
            message: format!("Choose a framework from the list ('{framework}' is not one)"),
        });
    }
    // No part ticked (a client posting the older form): the EU list, as the API's default.
    let mut parts = form.all("parts");
    if parts.is_empty() {
        parts.push("eu".to_string());
    }
    if let Err(message) = state.rules.parts(parts.iter().map(String::as_str)) {
        errors.push(FieldError {
            field: "parts".into(),
            message,
        });
    }
    let from = form.required_date(
        ("from", "the first day the vendor is on the list"),
        &mut errors,
    );
    let until = form.date("until", &mut errors);
    let verified_on = verified_on(&form, &mut errors);
    let evidence = evidence_input(&form, &mut errors, false);
    let fields = |f: &Form, e: &[FieldError]| certification_fields(f, e, state.rules);
    let (Some(from), Some(verified_on)) = (from, verified_on) else {
        return Ok(small.invalid(&form, &errors, fields(&form, &errors)));
    };
    if !errors.is_empty() {
        return Ok(small.invalid(&form, &errors, fields(&form, &errors)));
    }
    let certification = Certification {
        id: 0,
        framework,
        parts,
        from,
        until,
        verified_on,
        evidence: evidence.into_iter().collect(),
    };
    let (slug, key) = path.into_inner();
    let (actor, version) = (forms::actor(&signed_in), form.version());
    small
        .save(&state, &form, fields, move |conn| {
            certification::add(conn, (&slug, &key), version, &certification, &actor)
        })
        .await
}

fn find_certification(vendor: &Vendor, id: i32) -> Result<&Certification, AppError> {
    vendor
        .certifications
        .iter()
        .find(|c| c.id == id)
        .ok_or_else(|| AppError::NotFound {
            what: "such certification".into(),
        })
}

pub async fn edit_certification(
    Editor(signed_in): Editor,
    state: web::Data<AppState>,
    path: web::Path<(String, String, i32)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key, id) = path.into_inner();
    let (organisation, vendor) = forms::vendor(&state, &slug, &key).await?;
    let vendor = &vendor;
    let c = find_certification(vendor, id)?;
    let form = Form(vec![
        ("version".into(), vendor.version.to_string()),
        ("verified_on".into(), today().to_string()),
        ("until".into(), forms::shown(c.until)),
    ]);
    let small = SmallForm::verification(&signed_in.0, &organisation, vendor, id);
    Ok(forms::html_page(small.render(
        &form,
        &[],
        verify_fields(&form, &[], c, state.rules),
    )))
}

pub async fn update_certification(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<(String, String, i32)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key, id) = path.into_inner();
    let (organisation, vendor) = forms::vendor(&state, &slug, &key).await?;
    let vendor = &vendor;
    let c = find_certification(vendor, id)?;
    let small = SmallForm::verification(&signed_in.0, &organisation, vendor, id);
    let mut errors = Vec::new();
    let verified_on = verified_on(&form, &mut errors);
    let until = form.date("until", &mut errors);
    let fields = |f: &Form, e: &[FieldError]| verify_fields(f, e, c, state.rules);
    let Some(verified_on) = verified_on.filter(|_| errors.is_empty()) else {
        return Ok(small.invalid(&form, &errors, fields(&form, &errors)));
    };
    let (actor, version) = (forms::actor(&signed_in), form.version());
    small
        .save(&state, &form, fields, move |conn| {
            certification::update(conn, (&slug, &key), version, id, until, verified_on, &actor)
        })
        .await
}

fn evidence_target(value: &str) -> Option<EvidenceFor> {
    if value == "vendor" {
        return Some(EvidenceFor::Vendor);
    }
    let (kind, id) = value.split_once('-')?;
    let id: i32 = id.parse().ok()?;
    match kind {
        "transfer" => Some(EvidenceFor::Transfer(id)),
        "certification" => Some(EvidenceFor::Certification(id)),
        _ => None,
    }
}

pub async fn new_evidence(
    Editor(signed_in): Editor,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (organisation, vendor) = forms::vendor(&state, &path.0, &path.1).await?;
    let vendor = &vendor;
    let form = Form(vec![("version".into(), vendor.version.to_string())]);
    let targets = evidence_targets(vendor, state.rules);
    let small = SmallForm::evidence(&signed_in.0, &organisation, vendor);
    Ok(forms::html_page(small.render(
        &form,
        &[],
        evidence_form_fields(&form, &[], &targets),
    )))
}

pub async fn add_evidence(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (organisation, vendor) = forms::vendor(&state, &path.0, &path.1).await?;
    let vendor = &vendor;
    let targets = evidence_targets(vendor, state.rules);
    let small = SmallForm::evidence(&signed_in.0, &organisation, vendor);
    let mut errors = Vec::new();
    let target = evidence_target(&form.get("about"));
    if target.is_none() {
        errors.push(FieldError {
            field: "about".into(),
            message: "Choose what the evidence is about".into(),
        });
    }
    let evidence = evidence_input(&form, &mut errors, true);
    let fields = |f: &Form, e: &[FieldError]| evidence_form_fields(f, e, &targets);
    let (Some(target), Some(evidence)) = (target, evidence.filter(|_| errors.is_empty())) else {
        return Ok(small.invalid(&form, &errors, fields(&form, &errors)));
    };
    let (slug, key) = path.into_inner();
    let (actor, version) = (forms::actor(&signed_in), form.version());
    small
        .save(&state, &form, fields, move |conn| {
            evidence::add(conn, (&slug, &key), version, target, &evidence, &actor)
        })
        .await
}
