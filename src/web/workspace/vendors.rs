//! Vendors in the workspace: list and search, a vendor's page with its transfers, assessments
//! and history, and the forms to add vendors and edit transfers. Inputs are checked by the same
//! rules as the API; an error is shown next to its field and everything typed is kept.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use maud::{Markup, html};
use strum::VariantArray;

use super::SignedIn;
use crate::auth::users::Role;
use crate::date::{parse_date, today};
use crate::db::schema::audit_events;
use crate::registry::store::{self, EditError};
use crate::registry::{DataCategory, Registry, Vendor, VendorCategory, load};
use crate::rules::{CountryCode, RuleSet};
use crate::web::api::dto::{MechanismClaim, TransferIn, VendorIn, field_errors};
use crate::web::error::{AppError, Audience, FieldError};
use crate::web::views::{capitalised, country_name, layout, mechanism_name, verdict_badge};
use crate::web::{AppState, blocking};

const HTML: Audience = Audience::Html;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/workspace/vendors", web::get().to(list))
        .route("/workspace/{org}/vendors/new", web::get().to(new_vendor))
        .route(
            "/workspace/{org}/vendors/new",
            web::post().to(create_vendor),
        )
        .route("/workspace/{org}/vendors/{key}", web::get().to(vendor_page))
        .route(
            "/workspace/{org}/vendors/{key}/transfers/{id}",
            web::get().to(edit_transfer),
        )
        .route(
            "/workspace/{org}/vendors/{key}/transfers/{id}",
            web::post().to(update_transfer),
        );
}

/// A submitted form, keeping repeated fields (checkboxes).
struct Form(Vec<(String, String)>);

impl Form {
    fn parse(body: &[u8]) -> Result<Self, AppError> {
        serde_urlencoded::from_bytes(body)
            .map(Form)
            .map_err(|e| AppError::BadParameter {
                name: "form".into(),
                problem: e.to_string(),
                audience: HTML,
            })
    }

    fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    }

    fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name)).filter(|v| !v.is_empty())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    fn date(&self, name: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
        let value = self.opt(name)?;
        match parse_date(&value) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(FieldError {
                    field: name.into(),
                    message: e.to_string(),
                });
                None
            }
        }
    }
}

async fn registry(state: &AppState, slug: &str) -> Result<Registry, AppError> {
    let wanted = slug.to_string();
    blocking(state, HTML, move |conn| load::registry(conn, &wanted))
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: format!("organisation '{slug}'"),
            audience: HTML,
        })
}

fn require_editor(signed_in: &SignedIn) -> Result<(), AppError> {
    if signed_in.0.user.role >= Role::Editor {
        Ok(())
    } else {
        Err(AppError::ForbiddenPage(format!(
            "Editing needs the editor or admin role; {} is a viewer.",
            signed_in.0.user.email
        )))
    }
}

fn html_page(markup: Markup) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(markup.into_string())
}

/// The error of one field, tied to its control for screen readers.
fn field_error(errors: &[FieldError], field: &str) -> Markup {
    let id = format!("{}-error", field.replace(['.', '[', ']'], "-"));
    html! {
        @for e in errors.iter().filter(|e| e.field == field) {
            p.form-error id=(id) { (e.message) }
        }
    }
}

fn described_by(errors: &[FieldError], field: &str) -> Option<String> {
    errors
        .iter()
        .any(|e| e.field == field)
        .then(|| format!("{}-error", field.replace(['.', '[', ']'], "-")))
}

pub async fn list(
    signed_in: SignedIn,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let query: HashMap<String, String> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let q = query
        .get("q")
        .map(|q| q.trim().to_lowercase())
        .unwrap_or_default();
    let registries = blocking(&state, HTML, load::registries).await?;
    let today = today();
    Ok(html_page(layout(
        "Vendors",
        html! {},
        html! {
            (super::workspace_bar(&signed_in, "/workspace/vendors"))
            h1 { "Vendors" }
            form.filters method="get" action="/workspace/vendors" role="search" {
                div.field { label for="q" { "Name contains" } input #q type="search" name="q" value=(q); }
                div.actions { button type="submit" { "Search" } }
            }
            @for r in &registries {
                section {
                    h2 { (r.organisation.name) }
                    @if signed_in.0.user.role >= Role::Editor {
                        p { a href={ "/workspace/" (r.organisation.slug) "/vendors/new" } { "Add a vendor to " (r.organisation.name) } }
                    }
                    ul {
                        @for v in r.vendors.iter().filter(|v| q.is_empty() || v.name.to_lowercase().contains(&q)) {
                            @let flagged = v.transfers.iter().any(|t| v.assess(t, r.organisation.country, state.rules, today).flagged);
                            li {
                                a href={ "/workspace/" (r.organisation.slug) "/vendors/" (v.key) } { (v.name) }
                                " — " (v.status.to_string())
                                @if flagged { " — " strong { "flagged" } }
                            }
                        }
                    }
                }
            }
        },
    )))
}

pub async fn vendor_page(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, key) = path.into_inner();
    let registry = registry(&state, &slug).await?;
    let vendor = registry
        .vendors
        .iter()
        .find(|v| v.key == key)
        .ok_or_else(|| AppError::NotFound {
            what: format!("vendor '{key}'"),
            audience: HTML,
        })?;
    let ids: Vec<i32> = std::iter::once(vendor.id)
        .chain(vendor.transfers.iter().map(|t| t.id))
        .collect();
    let history = blocking(&state, HTML, move |conn| {
        Ok(audit_events::table
            .filter(audit_events::entity_id.eq_any(ids))
            .filter(audit_events::entity.eq_any(["vendor", "transfer"]))
            .order(audit_events::id.desc())
            .limit(50)
            .select((
                audit_events::occurred_at,
                audit_events::actor,
                audit_events::action,
                audit_events::entity,
            ))
            .load::<(chrono::NaiveDateTime, String, String, String)>(conn)?)
    })
    .await?;
    let today = today();
    let exporter = registry.organisation.country;
    Ok(html_page(layout(
        &vendor.name,
        html! {},
        html! {
            (super::workspace_bar(&signed_in, "/workspace/vendors"))
            h1 { (vendor.name) }
            dl.organisation {
                div { dt { "Organisation" } dd { (registry.organisation.name) } }
                div { dt { "Role" } dd { (vendor.role.label()) } }
                div { dt { "Status" } dd { (capitalised(&vendor.status.to_string())) @if let Some(d) = vendor.active_from { ", from " (d) } } }
                div { dt { "DPA" } dd { @match vendor.dpa_signed_on { Some(d) => { "signed " (d) }, None => "none on record" } } }
                div { dt { "Version" } dd { (vendor.version) } }
            }
            p { (vendor.purpose) }
            table.vendors {
                caption { "Transfers of " (vendor.name) ", assessed on " (today) }
                thead { tr { th scope="col" { "Destination" } th scope="col" { "Mechanisms" } th scope="col" { "TIA" } th scope="col" { "Verdict" } th scope="col" { "Edit" } } }
                tbody {
                    @for t in &vendor.transfers {
                        @let a = vendor.assess(t, exporter, state.rules, today);
                        tr {
                            th scope="row" data-label="Destination" {
                                @match t.country { Some(c) => (country_name(c)), None => (t.location.as_deref().unwrap_or("Not named")) }
                            }
                            td data-label="Mechanisms" {
                                @if t.mechanisms.is_empty() { "none" }
                                @for m in &t.mechanisms { (mechanism_name(state.rules, &m.id)) @if let Some(d) = m.signed_on { " (signed " (d) ")" } br; }
                            }
                            td data-label="TIA" { @match t.tia_on { Some(d) => (d), None => "none" } }
                            td data-label="Verdict" { (verdict_badge(&a)) p.reason { (a.reason) } }
                            td data-label="Edit" {
                                @if signed_in.0.user.role >= Role::Editor {
                                    a href={ "/workspace/" (slug) "/vendors/" (key) "/transfers/" (t.id) } { "Edit transfer to " @match t.country { Some(c) => (c.name()), None => "unnamed place" } }
                                }
                            }
                        }
                    }
                }
            }
            h2 { "History" }
            @if history.is_empty() { p { "No recorded change." } }
            ul { @for (at, actor, action, entity) in &history { li { (at.format("%Y-%m-%d %H:%M")) " — " (actor) " " (action) " " (entity) } } }
        },
    )))
}

/// The values a vendor form shows: what was typed, or defaults.
struct VendorDraft {
    form: Form,
}

fn vendor_form(
    signed_in: &SignedIn,
    slug: &str,
    org_name: &str,
    draft: &VendorDraft,
    errors: &[FieldError],
    rules: &RuleSet,
    default_from: NaiveDate,
) -> Markup {
    let f = &draft.form;
    let checked = |name: &str, value: &str| f.all(name).iter().any(|v| v == value);
    let text = |name: &str, label: &str, kind: &str, required: bool| {
        html! {
            div.field {
                label for=(name) { (label) @if required { " (required)" } }
                input id=(name) name=(name) type=(kind) value=(f.get(name)) required[required]
                    aria-invalid=[described_by(errors, name).map(|_| "true")] aria-describedby=[described_by(errors, name)];
                (field_error(errors, name))
            }
        }
    };
    let mut countries: Vec<CountryCode> = CountryCode::all().collect();
    countries.sort_by_key(|c| c.name());
    html! {
        (super::workspace_bar(signed_in, "/workspace/vendors"))
        h1 { "Add a vendor to " (org_name) }
        @if !errors.is_empty() {
            div.form-error role="alert" {
                p { "The vendor was not saved: " (errors.len()) " field(s) need attention." }
                ul { @for e in errors { li { a href={ "#" (e.field.split('.').next().unwrap_or("")) } { (e.field) } ": " (e.message) } } }
            }
        }
        form.stacked method="post" action={ "/workspace/" (slug) "/vendors/new" } novalidate {
            input type="hidden" name="csrf" value=(signed_in.0.csrf_token);
            (text("name", "Name", "text", true))
            (text("key", "Key (lowercase letters, digits and -)", "text", true))
            (text("legal_entity", "Legal entity", "text", false))
            (text("website", "Website (https://...)", "url", false))
            div.field {
                label for="headquarters" { "Headquarters" }
                select #headquarters name="headquarters" {
                    option value="" { "Not known" }
                    @for c in &countries { option value=(c) selected[f.get("headquarters") == c.as_str()] { (c.name()) } }
                }
                (field_error(errors, "headquarters"))
            }
            div.field {
                label for="role" { "Role" }
                select #role name="role" {
                    @for r in crate::registry::Role::VARIANTS { option value=(r) selected[f.get("role") == r.to_string()] { (r.label()) } }
                }
                (field_error(errors, "role"))
            }
            fieldset #categories {
                legend { "Categories (at least one)" }
                @for c in VendorCategory::VARIANTS {
                    div.check {
                        input type="checkbox" id={ "cat-" (c) } name="categories" value=(c) checked[checked("categories", &c.to_string())];
                        label for={ "cat-" (c) } { (c.label()) }
                    }
                }
                (field_error(errors, "categories"))
            }
            div.field {
                label for="purpose" { "Purpose (required)" }
                textarea #purpose name="purpose" rows="3" aria-describedby=[described_by(errors, "purpose")] { (f.get("purpose")) }
                (field_error(errors, "purpose"))
            }
            div.field {
                label for="status" { "Status" }
                select #status name="status" {
                    option value="active" selected[f.get("status") != "proposed"] { "Active (announced, takes effect on the date below)" }
                    option value="proposed" selected[f.get("status") == "proposed"] { "Proposed (not announced yet)" }
                }
            }
            div.field {
                label for="active_from" { "Takes effect on" }
                input #active_from type="date" name="active_from" value=(f.opt("active_from").unwrap_or_else(|| default_from.to_string()));
                (field_error(errors, "active_from"))
            }
            (text("dpa_signed_on", "DPA signed on", "date", false))
            fieldset {
                legend { "First transfer" }
                div.field {
                    label for="transfer_country" { "Country where the vendor handles the data" }
                    select #transfer_country name="transfer_country" {
                        option value="" { "No transfer yet" }
                        @for c in &countries { option value=(c) selected[f.get("transfer_country") == c.as_str()] { (c.name()) } }
                    }
                    (field_error(errors, "transfers[0].country"))
                }
                fieldset #transfer_data {
                    legend { "Data shared" }
                    @for d in DataCategory::VARIANTS {
                        div.check {
                            input type="checkbox" id={ "data-" (d) } name="transfer_data" value=(d) checked[checked("transfer_data", &d.to_string())];
                            label for={ "data-" (d) } { (d.label()) }
                        }
                    }
                }
                (mechanism_fields(f, rules, errors))
                div.field {
                    label for="transfer_tia_on" { "Transfer impact assessment done on" }
                    input #transfer_tia_on type="date" name="transfer_tia_on" value=(f.get("transfer_tia_on"));
                    (field_error(errors, "transfer_tia_on"))
                }
            }
            button type="submit" { "Save vendor" }
        }
    }
}

fn mechanism_fields(f: &Form, rules: &RuleSet, errors: &[FieldError]) -> Markup {
    html! {
        div.field {
            label for="transfer_mechanism" { "Mechanism claimed" }
            select #transfer_mechanism name="transfer_mechanism" {
                option value="" { "None" }
                @for m in &rules.mechanisms {
                    option value=(m.id()) selected[f.get("transfer_mechanism") == m.id()] { (m.short) " (" (m.id()) ")" }
                }
            }
            (field_error(errors, "transfers[0].mechanisms"))
        }
        div.field {
            label for="transfer_signed_on" { "Contract signed on" }
            input #transfer_signed_on type="date" name="transfer_signed_on" value=(f.get("transfer_signed_on"));
            (field_error(errors, "transfer_signed_on"))
        }
    }
}

/// The first transfer of a vendor form, or a transfer form, as the API's input.
fn transfer_input(f: &Form, errors: &mut Vec<FieldError>) -> Option<TransferIn> {
    let country = f.opt("transfer_country")?;
    let signed_on = f.date("transfer_signed_on", errors);
    Some(TransferIn {
        country: Some(country),
        location: None,
        data_categories: f.all("transfer_data"),
        mechanisms: f
            .opt("transfer_mechanism")
            .map(|id| vec![MechanismClaim { id, signed_on }])
            .unwrap_or_default(),
        tia_on: f.date("transfer_tia_on", errors),
        supplementary_measures: f.opt("transfer_measures"),
        notes: f.opt("transfer_notes"),
        evidence: Vec::new(),
    })
}

pub async fn new_vendor(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    require_editor(&signed_in)?;
    let registry = registry(&state, &path).await?;
    let default_from = today() + Duration::days(registry.organisation.announce_days as i64);
    let draft = VendorDraft {
        form: Form(Vec::new()),
    };
    Ok(html_page(layout(
        "Add a vendor",
        html! {},
        vendor_form(
            &signed_in,
            &registry.organisation.slug,
            &registry.organisation.name,
            &draft,
            &[],
            state.rules,
            default_from,
        ),
    )))
}

pub async fn create_vendor(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = Form::parse(&body)?;
    signed_in.check_csrf(&form.get("csrf"))?;
    require_editor(&signed_in)?;
    let registry = registry(&state, &path).await?;
    let slug = registry.organisation.slug.clone();
    let default_from = today() + Duration::days(registry.organisation.announce_days as i64);

    let mut errors = Vec::new();
    let active_from = form.date("active_from", &mut errors);
    let dpa_signed_on = form.date("dpa_signed_on", &mut errors);
    let transfer = transfer_input(&form, &mut errors);
    let input = VendorIn {
        key: form.get("key"),
        name: form.get("name"),
        legal_entity: form.opt("legal_entity"),
        website: form.opt("website"),
        headquarters: form.opt("headquarters"),
        role: form.get("role"),
        categories: form.all("categories"),
        purpose: form.get("purpose"),
        status: form.opt("status"),
        active_from,
        dpa_signed_on,
        dpa_url: form.opt("dpa_url"),
        notes: form.opt("notes"),
        transfers: transfer.into_iter().collect(),
    };
    if let Err(e) = validator::Validate::validate(&input) {
        errors.extend(field_errors(&e));
    }
    let render = |errors: Vec<FieldError>, status: actix_web::http::StatusCode| {
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .body(
                layout(
                    "Add a vendor",
                    html! {},
                    vendor_form(
                        &signed_in,
                        &slug,
                        &registry.organisation.name,
                        &VendorDraft {
                            form: Form(form.0.clone()),
                        },
                        &errors,
                        state.rules,
                        default_from,
                    ),
                )
                .into_string(),
            )
    };
    if !errors.is_empty() {
        return Ok(render(
            errors,
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let vendor: Vendor = match input.into_vendor(default_from) {
        Ok(v) => v,
        Err(errors) => {
            return Ok(render(
                errors,
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let actor = format!("user:{}", signed_in.0.user.email);
    let (db, wanted) = (state.db.clone(), slug.clone());
    let created = web::block(move || {
        let mut conn = db.get().map_err(EditError::Db)?;
        store::create_vendor(&mut conn, &wanted, &vendor, &actor)
    })
    .await
    .map_err(|e| AppError::internal(e.to_string(), HTML))?;
    match created {
        Ok(v) => Ok(HttpResponse::SeeOther()
            .insert_header((
                header::LOCATION,
                format!("/workspace/{slug}/vendors/{}", v.key),
            ))
            .finish()),
        Err(EditError::Conflict(message)) => Ok(render(
            vec![FieldError {
                field: "key".into(),
                message,
            }],
            actix_web::http::StatusCode::CONFLICT,
        )),
        Err(e) => Err(edit_error(e)),
    }
}

fn edit_error(e: EditError) -> AppError {
    match e {
        EditError::NotFound(what) => AppError::NotFound {
            what: format!("such {what}"),
            audience: HTML,
        },
        EditError::Db(e) => AppError::db(e, HTML),
        other => AppError::ForbiddenPage(other.to_string()),
    }
}

fn transfer_form(
    signed_in: &SignedIn,
    action: &str,
    title: &str,
    form: &Form,
    errors: &[FieldError],
    rules: &RuleSet,
    stale: Option<&str>,
) -> Markup {
    let mut countries: Vec<CountryCode> = CountryCode::all().collect();
    countries.sort_by_key(|c| c.name());
    html! {
        (super::workspace_bar(signed_in, "/workspace/vendors"))
        h1 { (title) }
        @if let Some(message) = stale {
            div.form-error role="alert" { p { (message) } }
        }
        @if !errors.is_empty() {
            div.form-error role="alert" { p { "The transfer was not saved: " (errors.len()) " field(s) need attention." } }
        }
        form.stacked method="post" action=(action) novalidate {
            input type="hidden" name="csrf" value=(signed_in.0.csrf_token);
            input type="hidden" name="version" value=(form.get("version"));
            div.field {
                label for="transfer_country" { "Country" }
                select #transfer_country name="transfer_country" {
                    @for c in &countries { option value=(c) selected[form.get("transfer_country") == c.as_str()] { (c.name()) } }
                }
                (field_error(errors, "country"))
            }
            fieldset {
                legend { "Data shared" }
                @for d in DataCategory::VARIANTS {
                    div.check {
                        input type="checkbox" id={ "data-" (d) } name="transfer_data" value=(d) checked[form.all("transfer_data").iter().any(|v| *v == d.to_string())];
                        label for={ "data-" (d) } { (d.label()) }
                    }
                }
            }
            (mechanism_fields(form, rules, errors))
            div.field {
                label for="transfer_tia_on" { "Transfer impact assessment done on" }
                input #transfer_tia_on type="date" name="transfer_tia_on" value=(form.get("transfer_tia_on"));
                (field_error(errors, "transfer_tia_on"))
            }
            div.field {
                label for="transfer_measures" { "Supplementary measures" }
                textarea #transfer_measures name="transfer_measures" rows="2" { (form.get("transfer_measures")) }
            }
            button type="submit" { "Save transfer" }
        }
    }
}

fn transfer_as_form(t: &crate::registry::Transfer) -> Form {
    let mut pairs = vec![("version".to_string(), t.version.to_string())];
    if let Some(c) = t.country {
        pairs.push(("transfer_country".into(), c.to_string()));
    }
    for d in &t.data_categories {
        pairs.push(("transfer_data".into(), d.to_string()));
    }
    if let Some(m) = t.mechanisms.first() {
        pairs.push(("transfer_mechanism".into(), m.id.clone()));
        if let Some(d) = m.signed_on {
            pairs.push(("transfer_signed_on".into(), d.to_string()));
        }
    }
    if let Some(d) = t.tia_on {
        pairs.push(("transfer_tia_on".into(), d.to_string()));
    }
    if let Some(s) = &t.supplementary_measures {
        pairs.push(("transfer_measures".into(), s.clone()));
    }
    Form(pairs)
}

pub async fn edit_transfer(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String, i32)>,
) -> Result<HttpResponse, AppError> {
    require_editor(&signed_in)?;
    let (slug, key, id) = path.into_inner();
    let registry = registry(&state, &slug).await?;
    let transfer = registry
        .vendors
        .iter()
        .find(|v| v.key == key)
        .and_then(|v| v.transfers.iter().find(|t| t.id == id))
        .ok_or_else(|| AppError::NotFound {
            what: "such transfer".into(),
            audience: HTML,
        })?;
    let action = format!("/workspace/{slug}/vendors/{key}/transfers/{id}");
    Ok(html_page(layout(
        "Edit a transfer",
        html! {},
        transfer_form(
            &signed_in,
            &action,
            "Edit a transfer",
            &transfer_as_form(transfer),
            &[],
            state.rules,
            None,
        ),
    )))
}

pub async fn update_transfer(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String, i32)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let form = Form::parse(&body)?;
    signed_in.check_csrf(&form.get("csrf"))?;
    require_editor(&signed_in)?;
    let (slug, key, id) = path.into_inner();
    let action = format!("/workspace/{slug}/vendors/{key}/transfers/{id}");
    let mut errors = Vec::new();
    let version: i32 = form.get("version").parse().unwrap_or(0);
    let input = transfer_input(&form, &mut errors);
    let input = match input {
        Some(i) => {
            if let Err(e) = validator::Validate::validate(&i) {
                errors.extend(field_errors(&e));
            }
            Some(i)
        }
        None => {
            errors.push(FieldError {
                field: "country".into(),
                message: "choose the country".into(),
            });
            None
        }
    };
    let render =
        |errors: &[FieldError], stale: Option<&str>, status: actix_web::http::StatusCode| {
            HttpResponse::build(status)
                .content_type("text/html; charset=utf-8")
                .body(
                    layout(
                        "Edit a transfer",
                        html! {},
                        transfer_form(
                            &signed_in,
                            &action,
                            "Edit a transfer",
                            &form,
                            errors,
                            state.rules,
                            stale,
                        ),
                    )
                    .into_string(),
                )
        };
    let Some(input) = input.filter(|_| errors.is_empty()) else {
        return Ok(render(
            &errors,
            None,
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    let mut transfer = input.into_transfer();
    let actor = format!("user:{}", signed_in.0.user.email);
    let (db, s, k) = (state.db.clone(), slug.clone(), key.clone());
    let outcome = web::block(move || {
        let mut conn = db.get().map_err(EditError::Db)?;
        // The form does not edit evidence: the transfer keeps what it has.
        transfer.evidence = load::registry(&mut conn, &s)?
            .and_then(|r| r.vendors.into_iter().find(|v| v.key == k))
            .and_then(|v| v.transfers.into_iter().find(|t| t.id == id))
            .map(|t| t.evidence)
            .unwrap_or_default();
        store::update_transfer(&mut conn, &s, &k, id, version, &transfer, &actor)
    })
    .await
    .map_err(|e| AppError::internal(e.to_string(), HTML))?;
    match outcome {
        Ok(_) => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/workspace/{slug}/vendors/{key}")))
            .finish()),
        // Someone saved first: nothing is overwritten; the form keeps what was typed.
        Err(EditError::Stale { current, expected }) => Ok(render(
            &[],
            Some(&format!(
                "Someone else changed this transfer (now version {current}, you edited version {expected}). Nothing was saved: open the transfer again to see their change, then redo yours."
            )),
            actix_web::http::StatusCode::CONFLICT,
        )),
        Err(e) => Err(edit_error(e)),
    }
}
