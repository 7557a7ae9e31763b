//! The JSON API for procurement tools (`/api/v1`), token issuance (`/oauth/token`) and the
//! OpenAPI document. Every `/api/v1` route needs a bearer token with the right scope.

pub mod dto;
mod input;
mod openapi;
mod output;
mod reads;
mod token;
mod writes;

use std::future::Future;
use std::pin::Pin;

use actix_web::error::JsonPayloadError;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use validator::Validate;

use super::AppState;
use super::error::{AppError, FieldError};
use crate::auth::{AuthError, Principal, Scope};

/// Request bodies larger than this are refused (413).
pub const BODY_LIMIT: usize = 64 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .app_data(json_config())
            .service(resource("/organisations", "GET").route(web::get().to(reads::organisations)))
            .service(
                resource("/organisations/{org}", "GET").route(web::get().to(reads::organisation)),
            )
            .service(
                resource("/organisations/{org}/vendors", "GET, POST")
                    .route(web::get().to(reads::vendors))
                    .route(web::post().to(writes::create_vendor)),
            )
            .service(
                resource("/organisations/{org}/lookup", "GET").route(web::get().to(reads::lookup)),
            )
            .service(
                resource("/organisations/{org}/transfers", "GET")
                    .route(web::get().to(reads::transfers)),
            )
            .service(
                resource("/organisations/{org}/vendors/{key}", "GET, PUT")
                    .route(web::get().to(reads::vendor))
                    .route(web::put().to(writes::update_vendor)),
            )
            .service(
                resource("/organisations/{org}/vendors/{key}/retire", "POST")
                    .route(web::post().to(writes::retire_vendor)),
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
            .service(resource("/assess", "POST").route(web::post().to(reads::assess)))
            .service(resource("/intake", "POST").route(web::post().to(writes::create_intake)))
            .service(resource("/intake/{id}", "GET").route(web::get().to(reads::intake)))
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
        Err::<actix_web::HttpResponse, _>(AppError::MethodNotAllowed { allowed })
    }))
}

async fn not_found() -> Result<actix_web::HttpResponse, AppError> {
    Err(AppError::NotFound {
        what: "such API route".into(),
        audience: super::Audience::Json,
    })
}

/// JSON bodies: a size limit and an `application/json` content type, errors as problem+json.
fn json_config() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(BODY_LIMIT)
        .error_handler(|err, _req| {
            match &err {
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
            }
            .into()
        })
}

/// A validated JSON body: malformed JSON is a 400, invalid fields a 422 listing each.
pub fn validated<T: Validate>(body: &T) -> Result<(), AppError> {
    body.validate()
        .map_err(|e| AppError::Invalid(dto::field_errors(&e)))
}

/// The verified caller of an API route.
pub struct Caller(pub Principal);

impl Caller {
    pub fn require(&self, scope: Scope) -> Result<&Principal, AppError> {
        if self.0.has(scope) {
            Ok(&self.0)
        } else {
            Err(AppError::Forbidden {
                scope: scope.to_string(),
            })
        }
    }
}

impl FromRequest for Caller {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let authorization = req
            .headers()
            .get(header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap_or("").to_string());
        Box::pin(async move {
            let state =
                state.ok_or_else(|| AppError::internal("no app state", super::Audience::Json))?;
            if state.api_auth_disabled {
                return Ok(Caller(Principal {
                    subject: "anonymous (API auth disabled)".into(),
                    scopes: Scope::ALL.to_vec(),
                }));
            }
            let token = match authorization.as_deref() {
                None => return Err(AppError::Unauthorized { description: None }),
                Some(value) => match value.split_once(' ') {
                    Some((scheme, token))
                        if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
                    {
                        token.trim().to_string()
                    }
                    // RFC 6750 §3.1: another scheme gets the challenge, without an error code.
                    _ => return Err(AppError::Unauthorized { description: None }),
                },
            };
            match state.verifier.verify(&token).await {
                Ok(principal) => Ok(Caller(principal)),
                Err(AuthError::Missing) => Err(AppError::Unauthorized { description: None }),
                Err(e) => Err(AppError::Unauthorized {
                    description: Some(e.to_string()),
                }),
            }
        })
    }
}

/// The version an update was made on, from `If-Match: "3"` (428 without, 412 when unreadable).
pub fn if_match(req: &HttpRequest) -> Result<i32, AppError> {
    let value = req
        .headers()
        .get(header::IF_MATCH)
        .ok_or(AppError::PreconditionRequired)?
        .to_str()
        .unwrap_or("")
        .trim();
    // `*` matches any version: it would turn optimistic concurrency off, so it counts as none.
    if value == "*" {
        return Err(AppError::PreconditionRequired);
    }
    // If-Match compares strongly (RFC 9110 §13.1.1): a weak tag never matches.
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
        .parse()
        .map_err(|_| AppError::PreconditionFailed {
            detail: format!(
                "If-Match {value} is not a version this API gave (its ETag, like \"3\")"
            ),
        })
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
