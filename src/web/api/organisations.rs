//! Creating and editing organisations (scope `organisations:manage`). Creating one is an
//! operator's act: only a token bound to no organisation may (a client of some organisations
//! cannot add others); a token may edit only the organisations it may see (others are 404, as
//! everywhere). Edits need `If-Match` with the organisation's ETag; a stale one is a 412.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::ToSchema;

use super::dto::OrganisationOut;
use super::etag;
use crate::registry::organisation::{
    self, Organisation, OrganisationError, OrganisationInput, Publication,
};
use crate::web::error::{ApiError, AppError, FieldError};
use crate::web::extract::{Caller, IfMatch, JsonBody, ManageOrganisations};
use crate::web::{AppState, blocking, db};

/// An organisation as the API creates or replaces it. On `PUT`, a field left out clears an
/// optional value, and `announce_days` left out keeps the one stored.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationIn {
    /// The short name in its addresses (`/{slug}/subprocessors`): a-z, 0-9 and '-'. Needed to
    /// create; on `PUT`, the path's slug or nothing (it cannot be changed).
    pub slug: Option<String>,
    /// The name readers know it by.
    pub name: String,
    /// The legal name, as its privacy policy gives it.
    pub legal_name: String,
    /// Where it is established (ISO 3166-1 alpha-2): the exporter of its transfers.
    pub country: String,
    pub website: Option<String>,
    /// The privacy team's or DPO's contact: an e-mail address or a web address.
    pub privacy_contact: Option<String>,
    pub policy_title: Option<String>,
    pub policy_url: Option<String>,
    /// When the policy was last revised (not in the future).
    pub policy_date: Option<NaiveDate>,
    /// Days between announcing a new sub-processor and its taking effect (0 to 365; 30 when
    /// created without it).
    pub announce_days: Option<i32>,
    /// What the public list shows; a field left out keeps the value stored (on create: verdicts
    /// and reasons shown, hints and evidence document names not).
    pub publication: Option<PublicationIn>,
}

/// What the public list (page, JSON, CSV, feed) shows. Reasons and hints need the verdicts.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicationIn {
    pub verdicts: Option<bool>,
    pub reasons: Option<bool>,
    pub hints: Option<bool>,
    pub evidence_documents: Option<bool>,
}

impl PublicationIn {
    fn over(&self, base: Publication) -> Publication {
        Publication {
            verdicts: self.verdicts.unwrap_or(base.verdicts),
            reasons: self.reasons.unwrap_or(base.reasons),
            hints: self.hints.unwrap_or(base.hints),
            evidence_documents: self.evidence_documents.unwrap_or(base.evidence_documents),
        }
    }
}

/// The API's name of a field of the input (the publication's are nested).
fn api_field(mut e: FieldError) -> FieldError {
    if let Some(name) = e.field.strip_prefix("publish_") {
        e.field = format!("publication.{name}");
    }
    e
}

fn invalid(errors: Vec<FieldError>) -> AppError {
    AppError::Invalid(errors.into_iter().map(api_field).collect())
}

impl OrganisationIn {
    fn input(self, slug: String, days: i32, publication: Publication) -> OrganisationInput {
        OrganisationInput {
            publication: self
                .publication
                .as_ref()
                .map_or(publication, |p| p.over(publication)),
            slug,
            name: self.name,
            legal_name: self.legal_name,
            country: self.country,
            website: self.website.unwrap_or_default(),
            privacy_contact: self.privacy_contact.unwrap_or_default(),
            policy_title: self.policy_title.unwrap_or_default(),
            policy_url: self.policy_url.unwrap_or_default(),
            policy_date: self.policy_date.map(|d| d.to_string()).unwrap_or_default(),
            announce_days: self.announce_days.unwrap_or(days).to_string(),
        }
    }
}

fn refused(e: OrganisationError) -> AppError {
    match e {
        OrganisationError::Invalid(errors) => invalid(errors),
        OrganisationError::NotFound(slug) => AppError::NotFound {
            what: format!("organisation '{slug}'"),
        },
        OrganisationError::Exists(slug) => AppError::Conflict(format!(
            "an organisation '{slug}' exists already (or existed: a retired slug is not given again)"
        )),
        OrganisationError::Stale { current, expected } => AppError::PreconditionFailed {
            detail: format!(
                "the organisation changed since version {expected} (now version {}): read it again, then send its ETag",
                current.version
            ),
        },
        OrganisationError::Db(e) => AppError::db(e),
    }
}

fn answer(status: StatusCode, o: &Organisation) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    if status == StatusCode::CREATED {
        response.insert_header((
            header::LOCATION,
            format!("/api/v1/organisations/{}", o.slug),
        ));
    }
    response
        .insert_header(etag(o.version))
        .json(OrganisationOut::from(o))
}

#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", request_body = OrganisationIn,
    responses((status = 201, description = "Created", body = OrganisationOut, headers(("Location" = String, description = "The organisation's address"), ("ETag" = String, description = "Its version, for If-Match"))),
        (status = 403, description = "The token lacks the scope, or is bound to some organisations (problem+json)", body = inline(Object)),
        (status = 409, description = "The slug is taken (problem+json)", body = inline(Object)),
        (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object))),
    security(("bearer" = ["organisations:manage"])))]
pub async fn create_organisation(
    caller: Caller<ManageOrganisations>,
    state: web::Data<AppState>,
    body: JsonBody<OrganisationIn>,
) -> Result<HttpResponse, ApiError> {
    if caller.principal.organisations.is_some() {
        return Err(AppError::ForbiddenPage(
            "This token is bound to some organisations: creating an organisation needs a token of every organisation (an operator's)."
                .into(),
        )
        .into());
    }
    let body = body.read()?;
    let slug = body.slug.clone().unwrap_or_default();
    let input = body.input(slug, 30, Publication::default());
    let valid = organisation::check(&input, None).map_err(invalid)?;
    let actor = caller.actor();
    let created = db(&state, move |conn| {
        organisation::create(conn, &valid, &actor)
    })
    .await
    .map_err(refused)?;
    Ok(answer(StatusCode::CREATED, &created))
}

#[utoipa::path(put, path = "/api/v1/organisations/{org}", tag = "organisations", request_body = OrganisationIn,
    params(("org" = String, Path), ("If-Match" = String, Header, description = "The organisation's ETag")),
    responses((status = 200, description = "OK", body = OrganisationOut, headers(("ETag" = String, description = "Its version, for If-Match"))),
        (status = 404, description = "No such organisation, or one outside the caller's organisations (problem+json)", body = inline(Object)),
        (status = 412, description = "The organisation changed since the If-Match version (problem+json)", body = inline(Object)),
        (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object)),
        (status = 428, description = "If-Match is missing (problem+json)", body = inline(Object))),
    security(("bearer" = ["organisations:manage"])))]
pub async fn update_organisation(
    caller: Caller<ManageOrganisations>,
    IfMatch(expected): IfMatch,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonBody<OrganisationIn>,
) -> Result<HttpResponse, ApiError> {
    let slug = path.into_inner();
    let body = body.read()?;
    let actor = caller.actor();
    let wanted = slug.clone();
    let current = blocking(&state, move |conn| organisation::find(conn, &wanted))
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: format!("organisation '{slug}'"),
        })?;
    if let Some(other) = body.slug.as_ref().filter(|s| **s != slug) {
        return Err(AppError::Invalid(vec![FieldError::new(
            "slug",
            format!("is the organisation's id and cannot be changed ('{other}'): send '{slug}' or leave it out"),
        )])
        .into());
    }
    let input = body.input(slug.clone(), current.announce_days, current.publication);
    let valid = organisation::check(&input, Some(&current)).map_err(invalid)?;
    let saved = db(&state, move |conn| {
        organisation::edit(conn, &slug, expected, &valid, &actor)
    })
    .await
    .map_err(refused)?;
    Ok(answer(StatusCode::OK, &saved))
}
