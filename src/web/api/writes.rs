//! Write routes: vendors and transfers (scope `registry:write`, `If-Match` on updates), intake
//! requests (scope `intake:write`). Every write is one transaction, audited with the token's
//! subject; nothing is deleted.

use crate::web::error::ApiError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::dto::{self, IntakeIn, IntakeOut, RetireIn, TransferIn, VendorIn, WithdrawIn};
use super::{etag, reject, validated};
use crate::date::today;
use crate::registry::intake::{self, IntakeRequest, NewIntake};
use crate::registry::{EditError, Vendor, certification, evidence, organisation, transfer, vendor};
use crate::web::error::{AppError, FieldError};
use crate::web::extract::{Caller, FileIntake, IfMatch, JsonBody, WriteRegistry};
use crate::web::{AppState, blocking};

fn edit_error(e: EditError) -> AppError {
    e.into()
}

async fn edit<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut crate::db::DbConnection) -> Result<T, EditError> + Send + 'static,
) -> Result<T, AppError> {
    crate::web::db(state, f).await.map_err(edit_error)
}

/// Runs a write that returns the vendor, and answers with the vendor as it is now, assessed for
/// its organisation's country: one query more, since the write has loaded the rest.
async fn vendor_write(
    state: &AppState,
    slug: String,
    status: actix_web::http::StatusCode,
    write: impl FnOnce(&mut crate::db::DbConnection) -> Result<Vendor, EditError> + Send + 'static,
) -> Result<HttpResponse, ApiError> {
    let wanted = slug.clone();
    let (vendor, exporter) = edit(state, move |conn| {
        let vendor = write(conn)?;
        let exporter =
            organisation::country_of(conn, &wanted)?.ok_or(EditError::NotFound("organisation"))?;
        Ok((vendor, exporter))
    })
    .await?;
    Ok(vendor_response(status, &vendor, state, exporter, &slug))
}

/// A numeric id from the path; anything else names no record.
fn path_id(raw: &str, what: &str) -> Result<i32, AppError> {
    raw.parse().map_err(|_| AppError::NotFound {
        what: format!("{what} '{raw}'"),
    })
}

fn vendor_response(
    status: actix_web::http::StatusCode,
    v: &Vendor,
    state: &AppState,
    exporter: crate::rules::CountryCode,
    slug: &str,
) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    if status == StatusCode::CREATED {
        response.insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/organisations/{slug}/vendors/{}", v.key),
        ));
    }
    response
        .insert_header(etag(v.version))
        .json(dto::vendor_out(v, exporter, state.rules, today()))
}

#[utoipa::path(post, path = "/api/v1/organisations/{org}/vendors", tag = "registry", request_body = VendorIn,
    params(("org" = String, Path)),
    responses((status = 201, description = "Created", body = dto::VendorOut, headers(("Location" = String, description = "The vendor's address"), ("ETag" = String, description = "The vendor's version, for If-Match"))), (status = 400, description = "Bad request: a parameter or the body cannot be read (problem+json)", body = inline(Object)), (status = 409, description = "Conflict (problem+json)", body = inline(Object)),
        (status = 413, description = "The body is too large (problem+json)", body = inline(Object)), (status = 415, description = "The body is not JSON (problem+json)", body = inline(Object)), (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:write"])))]
pub async fn create_vendor(
    caller: Caller<WriteRegistry>,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonBody<VendorIn>,
) -> Result<HttpResponse, ApiError> {
    let mut body = body.read()?;
    let actor = caller.actor();
    // No key sent: one is made from the name, unique in the organisation when written.
    let from_name = body.key.is_empty() && !body.name.trim().is_empty();
    if from_name {
        body.key = vendor::key_from_name(&body.name);
    }
    // Every invalid field at once: the validator's and the cross-field checks'.
    let mut errors = match validator::Validate::validate(&body) {
        Ok(()) => Vec::new(),
        Err(e) => dto::field_errors(&e),
    };
    errors.extend(body.transfers.iter().enumerate().flat_map(|(i, t)| {
        t.check().into_iter().map(move |mut e| {
            e.field = format!("transfers[{i}].{}", e.field);
            e
        })
    }));
    reject(errors)?;
    let timing = body.timing();
    let new = body.into_new().map_err(AppError::Invalid)?;
    let slug = path.into_inner();
    vendor_write(&state, slug.clone(), StatusCode::CREATED, move |conn| {
        if from_name {
            vendor::create_with_key_from_name(conn, &slug, new, &timing, &actor)
        } else {
            vendor::create(conn, &slug, new, &timing, &actor)
        }
    })
    .await
}

#[utoipa::path(put, path = "/api/v1/organisations/{org}/vendors/{key}", tag = "registry", request_body = VendorIn,
    params(("org" = String, Path), ("key" = String, Path), ("If-Match" = String, Header, description = "The vendor's ETag")),
    responses((status = 200, description = "OK", body = dto::VendorOut, headers(("ETag" = String, description = "The vendor's version, for If-Match"))), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object)), (status = 412, description = "The record changed since the If-Match version (problem+json)", body = inline(Object)),
        (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object)), (status = 428, description = "If-Match is missing (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:write"])))]
pub async fn update_vendor(
    caller: Caller<WriteRegistry>,
    IfMatch(expected): IfMatch,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: JsonBody<VendorIn>,
) -> Result<HttpResponse, ApiError> {
    let mut body = body.read()?;
    let actor = caller.actor();
    let (slug, key) = path.into_inner();
    if body.key.is_empty() {
        body.key = key.clone();
    }
    // What an update cannot change is refused, never silently ignored.
    let mut immutable = Vec::new();
    if body.key != key {
        immutable.push(FieldError::new(
            "key",
            format!("is the vendor's id and cannot be changed: send '{key}'"),
        ));
    }
    if !body.transfers.is_empty() {
        immutable.push(FieldError::new(
            "transfers",
            format!(
                "cannot be changed with the vendor: add one with POST /api/v1/organisations/{slug}/vendors/{key}/transfers, change one with PUT .../transfers/{{id}}"
            ),
        ));
    }
    if !immutable.is_empty() {
        // A vendor that does not exist is a 404 whatever the body says.
        let (s, k) = (slug.clone(), key.clone());
        let found = blocking(&state, move |conn| vendor::find(conn, &s, &k)).await?;
        if !matches!(found, Some((_, Some(_)))) {
            return Err(AppError::NotFound {
                what: format!("vendor '{key}' in organisation '{slug}'"),
            }
            .into());
        }
    }
    reject(immutable)?;
    validated(&body)?;
    let fields = body.fields().map_err(AppError::Invalid)?;
    let timing = body.timing();
    vendor_write(&state, slug.clone(), StatusCode::OK, move |conn| {
        vendor::update(conn, (&slug, &key), expected, fields, &timing, &actor)
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/organisations/{org}/vendors/{key}/retire", tag = "registry", request_body = RetireIn,
    params(("org" = String, Path), ("key" = String, Path), ("If-Match" = String, Header, description = "The vendor's ETag")),
    responses((status = 200, description = "OK", body = dto::VendorOut, headers(("ETag" = String, description = "The vendor's version, for If-Match"))), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object)), (status = 409, description = "Conflict (problem+json)", body = inline(Object)),
        (status = 412, description = "The record changed since the If-Match version (problem+json)", body = inline(Object)), (status = 428, description = "If-Match is missing (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:write"])))]
pub async fn retire_vendor(
    caller: Caller<WriteRegistry>,
    IfMatch(expected): IfMatch,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: JsonBody<RetireIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.read()?;
    let actor = caller.actor();
    let (slug, key) = path.into_inner();
    validated(&body)?;
    let timing = crate::web::input::timing(Some(body.effective_on), &None, &body.correction_reason);
    vendor_write(&state, slug.clone(), StatusCode::OK, move |conn| {
        vendor::retire(conn, (&slug, &key), expected, &timing, &actor)
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/organisations/{org}/vendors/{key}/withdraw", tag = "registry", request_body = WithdrawIn,
    params(("org" = String, Path), ("key" = String, Path), ("If-Match" = String, Header, description = "The vendor's ETag")),
    responses((status = 200, description = "OK: the vendor, now `withdrawn`; nothing is published", body = dto::VendorOut, headers(("ETag" = String, description = "The vendor's version, for If-Match"))), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object)), (status = 409, description = "Not a proposal never listed: retire it instead (problem+json)", body = inline(Object)),
        (status = 412, description = "The record changed since the If-Match version (problem+json)", body = inline(Object)), (status = 428, description = "If-Match is missing (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:write"])))]
pub async fn withdraw_vendor(
    caller: Caller<WriteRegistry>,
    IfMatch(expected): IfMatch,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: JsonBody<WithdrawIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.read()?;
    let actor = caller.actor();
    let (slug, key) = path.into_inner();
    validated(&body)?;
    vendor_write(&state, slug.clone(), StatusCode::OK, move |conn| {
        vendor::withdraw(
            conn,
            (&slug, &key),
            expected,
            body.reason.as_deref(),
            &actor,
        )
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/organisations/{org}/vendors/{key}/transfers", tag = "registry", request_body = TransferIn,
    params(("org" = String, Path), ("key" = String, Path)),
    responses((status = 201, description = "Created", body = dto::VendorOut, headers(("Location" = String, description = "The vendor's address"), ("ETag" = String, description = "The vendor's version, for If-Match"))), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object)), (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:write"])))]
pub async fn add_transfer(
    caller: Caller<WriteRegistry>,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: JsonBody<TransferIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.read()?;
    let actor = caller.actor();
    validated(&body)?;
    reject(body.check())?;
    let (slug, key) = path.into_inner();
    let timing = body.timing();
    let transfer = body.into_transfer().map_err(AppError::Invalid)?;
    vendor_write(&state, slug.clone(), StatusCode::CREATED, move |conn| {
        transfer::add(conn, (&slug, &key), &transfer, &timing, &actor).map(|(_, vendor)| vendor)
    })
    .await
}

#[utoipa::path(put, path = "/api/v1/organisations/{org}/vendors/{key}/transfers/{id}", tag = "registry", request_body = TransferIn,
    params(("org" = String, Path), ("key" = String, Path), ("id" = i32, Path), ("If-Match" = String, Header, description = "The transfer's version")),
    responses((status = 200, description = "OK", body = dto::VendorOut, headers(("ETag" = String, description = "The vendor's version, for If-Match"))), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object)), (status = 412, description = "The record changed since the If-Match version (problem+json)", body = inline(Object)),
        (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object)), (status = 428, description = "If-Match is missing (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:write"])))]
pub async fn update_transfer(
    caller: Caller<WriteRegistry>,
    IfMatch(expected): IfMatch,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    body: JsonBody<TransferIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.read()?;
    let actor = caller.actor();
    validated(&body)?;
    reject(body.check())?;
    let (slug, key, id) = path.into_inner();
    let id = path_id(&id, "transfer")?;
    let timing = body.timing();
    let transfer = body.into_transfer().map_err(AppError::Invalid)?;
    vendor_write(&state, slug.clone(), StatusCode::OK, move |conn| {
        transfer::update(
            conn,
            (&slug, &key),
            id,
            expected,
            &transfer,
            &timing,
            &actor,
        )
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/organisations/{org}/vendors/{key}/transfers/{id}/end", tag = "registry", request_body = dto::EndTransferIn,
    params(("org" = String, Path), ("key" = String, Path), ("id" = i32, Path), ("If-Match" = String, Header, description = "The transfer's version")),
    responses((status = 200, description = "The vendor without the ended transfer", body = dto::VendorOut), (status = 404, body = inline(Object)), (status = 412, body = inline(Object)),
        (status = 422, body = inline(Object)), (status = 428, body = inline(Object))),
    security(("bearer" = ["registry:write"])))]
pub async fn end_transfer(
    caller: Caller<WriteRegistry>,
    IfMatch(expected): IfMatch,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    body: web::Json<dto::EndTransferIn>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor();
    validated(&*body)?;
    let (slug, key, id) = path.into_inner();
    let id = path_id(&id, "transfer")?;
    let timing = crate::web::input::timing(body.effective_on, &None, &body.correction_reason);
    vendor_write(&state, slug.clone(), StatusCode::OK, move |conn| {
        transfer::end(conn, (&slug, &key), id, expected, &timing, &actor).map(|(v, _)| v)
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/organisations/{org}/vendors/{key}/certifications", tag = "registry", request_body = dto::CertificationIn,
    params(("org" = String, Path), ("key" = String, Path), ("If-Match" = String, Header, description = "The vendor's version")),
    responses((status = 201, description = "Created", body = dto::VendorOut, headers(("Location" = String, description = "The vendor's address"), ("ETag" = String, description = "The vendor's version, for If-Match"))), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object)), (status = 412, description = "The record changed since the If-Match version (problem+json)", body = inline(Object)),
        (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object)), (status = 428, description = "If-Match is missing (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:write"])))]
pub async fn add_certification(
    caller: Caller<WriteRegistry>,
    IfMatch(expected): IfMatch,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: JsonBody<dto::CertificationIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.read()?;
    let actor = caller.actor();
    validated(&body)?;
    let (slug, key) = path.into_inner();
    let certification = body.into_certification();
    vendor_write(&state, slug.clone(), StatusCode::CREATED, move |conn| {
        certification::add(conn, (&slug, &key), expected, &certification, &actor)
    })
    .await
}

#[utoipa::path(put, path = "/api/v1/organisations/{org}/vendors/{key}/certifications/{id}", tag = "registry", request_body = dto::VerificationIn,
    params(("org" = String, Path), ("key" = String, Path), ("id" = i32, Path), ("If-Match" = String, Header, description = "The vendor's version")),
    responses((status = 200, description = "OK", body = dto::VendorOut, headers(("ETag" = String, description = "The vendor's version, for If-Match"))), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object)), (status = 412, description = "The record changed since the If-Match version (problem+json)", body = inline(Object)),
        (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object)), (status = 428, description = "If-Match is missing (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:write"])))]
pub async fn update_certification(
    caller: Caller<WriteRegistry>,
    IfMatch(expected): IfMatch,
    state: web::Data<AppState>,
    path: web::Path<(String, String, String)>,
    body: JsonBody<dto::VerificationIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.read()?;
    validated(&body)?;
    let actor = caller.actor();
    let (slug, key, id) = path.into_inner();
    let id = path_id(&id, "certification")?;
    let (until, verified_on) = (body.until, body.verified_on);
    vendor_write(&state, slug.clone(), StatusCode::OK, move |conn| {
        certification::update(
            conn,
            (&slug, &key),
            expected,
            id,
            until,
            verified_on,
            &actor,
        )
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/organisations/{org}/vendors/{key}/evidence", tag = "registry", request_body = dto::EvidenceIn,
    params(("org" = String, Path), ("key" = String, Path), ("If-Match" = String, Header, description = "The vendor's version")),
    responses((status = 201, description = "Created", body = dto::VendorOut, headers(("Location" = String, description = "The vendor's address"), ("ETag" = String, description = "The vendor's version, for If-Match"))), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object)), (status = 412, description = "The record changed since the If-Match version (problem+json)", body = inline(Object)),
        (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object)), (status = 428, description = "If-Match is missing (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:write"])))]
pub async fn add_evidence(
    caller: Caller<WriteRegistry>,
    IfMatch(expected): IfMatch,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: JsonBody<dto::EvidenceIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.read()?;
    let actor = caller.actor();
    validated(&body)?;
    let subject = body.subject().ok_or_else(|| {
        AppError::Invalid(vec![FieldError {
            field: "id".into(),
            message: format!("Give the id of the {} the evidence is about", body.about),
        }])
    })?;
    let (slug, key) = path.into_inner();
    let evidence = body.evidence();
    vendor_write(&state, slug.clone(), StatusCode::CREATED, move |conn| {
        evidence::add(conn, (&slug, &key), expected, subject, &evidence, &actor)
    })
    .await
}

pub fn intake_out(r: IntakeRequest) -> IntakeOut {
    IntakeOut {
        id: r.id,
        organisation: r.organisation,
        vendor_name: r.vendor_name,
        website: r.website,
        purpose: r.purpose,
        countries: r.countries.split_whitespace().map(str::to_string).collect(),
        data_categories: r
            .data_categories
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        requester: r.requester,
        status: r.status,
        decision_reason: r.decision_reason,
        vendor: None,
        created_at: r.created_at.and_utc(),
    }
}

#[utoipa::path(post, path = "/api/v1/intake", tag = "intake", request_body = IntakeIn,
    responses((status = 201, description = "Created", body = IntakeOut, headers(("Location" = String, description = "The intake request's address"))), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object)), (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object))),
    security(("bearer" = ["intake:write"])))]
pub async fn create_intake(
    caller: Caller<FileIntake>,
    state: web::Data<AppState>,
    body: JsonBody<IntakeIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.read()?;
    let actor = caller.actor();
    validated(&body)?;
    let slug = body.organisation.clone();
    if !caller.principal.may_see(&slug) {
        return Err(AppError::NotFound {
            what: format!("organisation '{slug}'"),
        }
        .into());
    }
    let created = blocking(&state, move |conn| {
        let new = NewIntake {
            vendor_name: body.vendor_name.trim(),
            website: body.website.as_deref(),
            purpose: body.purpose.trim(),
            countries: &body.countries,
            data_categories: &body.data_categories,
            requester: body.requester.trim(),
        };
        intake::create(conn, &body.organisation, &new, &actor)
    })
    .await?
    .ok_or_else(|| AppError::NotFound {
        what: format!("organisation '{slug}'"),
    })?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/intake/{}", created.id)))
        .json(intake_out(created)))
}
