//! The JSON API for procurement tools (`/api/v1`), token issuance (`/oauth/token`) and the
//! OpenAPI document. Every `/api/v1` route needs a bearer token with the right scope.

mod accounts;
pub mod dto;
mod input;
mod notices;
mod openapi;
mod organisations;
mod output;
mod public_docs;
mod query;
mod reads;
mod token;
pub(crate) mod vocabulary;
mod writes;

use crate::web::error::ApiError;
use actix_web::error::JsonPayloadError;
use actix_web::http::header;
use actix_web::web;
use validator::Validate;

use super::error::{AppError, FieldError};

/// Request bodies larger than this are refused (413).
pub const BODY_LIMIT: usize = 64 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .app_data(json_config())
            .app_data(web::PayloadConfig::new(BODY_LIMIT))
            .service(
                resource("/organisations", "GET, HEAD, POST")
                    .route(web::get().to(reads::organisations))
                    .route(web::post().to(organisations::create_organisation)),
            )
            .service(
                resource("/organisations/{org}", "GET, HEAD, PUT")
                    .route(web::get().to(reads::organisation))
                    .route(web::put().to(organisations::update_organisation)),
            )
            .service(
                resource("/organisations/{org}/vendors", "GET, HEAD, POST")
                    .route(web::get().to(reads::vendors))
                    .route(web::post().to(writes::create_vendor)),
            )
            .service(
                resource("/organisations/{org}/lookup", "GET, HEAD")
                    .route(web::get().to(reads::lookup)),
            )
            .service(
                resource("/organisations/{org}/transfers", "GET, HEAD")
                    .route(web::get().to(reads::transfers)),
            )
            .service(
                resource("/organisations/{org}/vendors/{key}", "GET, HEAD, PUT")
                    .route(web::get().to(reads::vendor))
                    .route(web::put().to(writes::update_vendor)),
            )
            .service(
                resource("/organisations/{org}/vendors/{key}/retire", "POST")
                    .route(web::post().to(writes::retire_vendor)),
            )
            .service(
                resource("/organisations/{org}/vendors/{key}/withdraw", "POST")
                    .route(web::post().to(writes::withdraw_vendor)),
            )
            .service(
                resource("/organisations/{org}/vendors/{key}/transfers", "POST")
                    .route(web::post().to(writes::add_transfer)),
            )
            .service(
                resource("/organisations/{org}/vendors/{key}/transfers/{id}", "PUT")
                    .route(web::put().to(writes::update_transfer)),
            )
            .service(
                resource(
                    "/organisations/{org}/vendors/{key}/transfers/{id}/end",
                    "POST",
                )
                .route(web::post().to(writes::end_transfer)),
            )
            .service(
                resource("/organisations/{org}/vendors/{key}/certifications", "POST")
                    .route(web::post().to(writes::add_certification)),
            )
            .service(
                resource(
                    "/organisations/{org}/vendors/{key}/certifications/{id}",
                    "PUT",
                )
                .route(web::put().to(writes::update_certification)),
            )
            .service(
                resource("/organisations/{org}/vendors/{key}/evidence", "POST")
                    .route(web::post().to(writes::add_evidence)),
            )
            .service(
                resource("/organisations/{org}/changes/{id}/objections", "POST")
                    .route(web::post().to(notices::object)),
            )
            .service(
                resource("/organisations/{org}/webhooks", "GET, POST")
                    .route(web::get().to(notices::webhooks))
                    .route(web::post().to(notices::add_webhook)),
            )
            .service(
                resource("/organisations/{org}/webhooks/{id}", "DELETE")
                    .route(web::delete().to(notices::remove_webhook)),
            )
            .service(resource("/accounts", "GET, HEAD").route(web::get().to(accounts::accounts)))
            .service(
                resource("/accounts/{id}/memberships", "PUT")
                    .route(web::put().to(accounts::set_memberships)),
            )
            .service(resource("/assess", "POST").route(web::post().to(reads::assess)))
            .service(resource("/intake", "POST").route(web::post().to(writes::create_intake)))
            .service(resource("/intake/{id}", "GET, HEAD").route(web::get().to(reads::intake)))
            .default_service(web::to(not_found)),
    )
    .service(
        web::resource("/oauth/token")
            .app_data(web::FormConfig::default().limit(BODY_LIMIT))
            .route(web::post().to(token::token)),
    )
    .route("/api/openapi.json", web::get().to(openapi::document));
}

/// One API address: its routes, and a problem+json 405 naming the `allowed` methods for any
/// other method.
fn resource(path: &str, allowed: &'static str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(move || async move {
        Err::<actix_web::HttpResponse, _>(ApiError(AppError::MethodNotAllowed { allowed }))
    }))
}

async fn not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(AppError::NotFound {
        what: "such API route".into(),
    }
    .into())
}

/// JSON bodies: a size limit and an `application/json` content type, errors as problem+json.
fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(BODY_LIMIT)
        .error_handler(|err, _req| {
            let problem = match &err {
                JsonPayloadError::ContentType => {
                    AppError::UnsupportedMediaType("send the body as application/json".into())
                }
                JsonPayloadError::Overflow { limit }
                | JsonPayloadError::OverflowKnownLength { limit, .. } => {
                    AppError::PayloadTooLarge(format!("the body is over {limit} bytes"))
                }
                JsonPayloadError::Deserialize(e) => {
                    AppError::BadRequest(format!("the JSON body cannot be read: {e}"))
                }
                other => AppError::BadRequest(format!("the body cannot be read: {other}")),
            };
            ApiError(problem).into()
        })
}

/// A validated JSON body: malformed JSON is a 400, invalid fields a 422 listing each.
pub fn validated<T: Validate>(body: &T) -> Result<(), AppError> {
    body.validate()
        .map_err(|e| AppError::Invalid(dto::field_errors(&e)))
}

pub fn etag(version: i32) -> header::ETag {
    header::ETag(header::EntityTag::new_strong(version.to_string()))
}

/// Field errors as a 422, or nothing.
pub fn reject(mut errors: Vec<FieldError>) -> Result<(), AppError> {
    errors.sort_by(|a, b| a.field.cmp(&b.field));
    errors.dedup_by(|a, b| a.field == b.field);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(errors))
    }
}
