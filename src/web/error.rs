//! The web layer's errors, mapped to HTTP once per audience: [`AppError`] says what went wrong;
//! a handler's return type says who is told. [`ApiError`] answers problem+json (RFC 9457) for
//! programs, [`PageError`] an HTML page for people.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, ContentType};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

pub use crate::values::FieldError;

use super::views;
use crate::db::DbError;

/// Who is told of an error: people (a page) or programs (problem+json).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Audience {
    Html,
    Json,
}

/// An error answered as problem+json: the API's, the public list's machine formats.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub AppError);

/// An error answered as an HTML page: the workspace's and the public page's.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct PageError(#[from] pub AppError);

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        ApiError(AppError::db(e))
    }
}

impl From<DbError> for PageError {
    fn from(e: DbError) -> Self {
        PageError(AppError::db(e))
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.render(Audience::Json)
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        self.0.render(Audience::Html)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{what} not found")]
    NotFound { what: String },
    #[error("invalid parameter {name}: {problem}")]
    BadParameter { name: String, problem: String },
    /// 400 for a request that cannot be read (malformed JSON, bad query).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 401: no usable bearer token (RFC 6750 §3).
    #[error("unauthorized")]
    Unauthorized { description: Option<String> },
    /// 403: the token lacks a scope.
    #[error("insufficient scope: {scope}")]
    Forbidden { scope: String },
    #[error("conflict: {0}")]
    Conflict(String),
    /// 412: the record changed since the version the client had.
    #[error("precondition failed")]
    PreconditionFailed { detail: String },
    /// 405: the address exists, not with this method.
    #[error("method not allowed")]
    MethodNotAllowed { allowed: &'static str },
    /// 428: an update without If-Match.
    #[error("precondition required")]
    PreconditionRequired,
    #[error("payload too large")]
    PayloadTooLarge(String),
    #[error("unsupported media type")]
    UnsupportedMediaType(String),
    /// 422: the body was read but fields are invalid.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// 403 as a page: a role too low, or a form that failed the CSRF check.
    #[error("forbidden: {0}")]
    ForbiddenPage(String),
    /// 503: the database stayed busy (locked by other writers) past its bounded wait.
    #[error("database busy: {cause}")]
    Busy { cause: String },
    #[error("internal error")]
    Internal {
        #[source]
        cause: Box<dyn std::error::Error + Send + Sync>,
    },
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldError>,
}

impl AppError {
    pub fn internal(cause: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        AppError::Internal {
            cause: cause.into(),
        }
    }

    /// The error of a build that several requests waited for (the cache shares one): each
    /// gets the same answer; an internal error keeps its message, not its cause chain.
    pub fn shared(e: &std::sync::Arc<AppError>) -> Self {
        match &**e {
            AppError::NotFound { what } => AppError::NotFound { what: what.clone() },
            AppError::BadParameter { name, problem } => AppError::BadParameter {
                name: name.clone(),
                problem: problem.clone(),
            },
            AppError::BadRequest(m) => AppError::BadRequest(m.clone()),
            AppError::Conflict(m) => AppError::Conflict(m.clone()),
            AppError::Busy { cause } => AppError::Busy {
                cause: cause.clone(),
            },
            AppError::Internal { cause } => Self::internal(cause.to_string()),
            other => Self::internal(other.to_string()),
        }
    }

    /// A database failure: a 503 to retry when the database was only busy, a 500 otherwise.
    pub fn db(cause: DbError) -> Self {
        if cause.is_busy() {
            AppError::Busy {
                cause: cause.to_string(),
            }
        } else {
            Self::internal(cause)
        }
    }

    /// The problem type's name: its URI is `/problems/{name}` on this site (RFC 9457 §3.1.1),
    /// a page describing it; the README lists them.
    fn problem_name(&self) -> &'static str {
        match self {
            AppError::NotFound { .. } => "not-found",
            AppError::BadParameter { .. } => "invalid-parameter",
            AppError::BadRequest(_) => "bad-request",
            AppError::Unauthorized { .. } => "unauthorized",
            AppError::Forbidden { .. } => "insufficient-scope",
            AppError::Conflict(_) => "conflict",
            AppError::PreconditionFailed { .. } => "precondition-failed",
            AppError::PreconditionRequired => "precondition-required",
            AppError::MethodNotAllowed { .. } => "method-not-allowed",
            AppError::PayloadTooLarge(_) => "payload-too-large",
            AppError::UnsupportedMediaType(_) => "unsupported-media-type",
            AppError::Invalid(_) => "invalid-input",
            AppError::ForbiddenPage(_) => "forbidden",
            AppError::Busy { .. } => "busy",
            AppError::Internal { .. } => "internal-error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::NotFound { .. } => "Not found",
            AppError::BadParameter { .. } => "Invalid parameter",
            AppError::BadRequest(_) => "Bad request",
            AppError::Unauthorized { .. } => "Unauthorized",
            AppError::Forbidden { .. } => "Insufficient scope",
            AppError::Conflict(_) => "Conflict",
            AppError::PreconditionFailed { .. } => "Precondition failed",
            AppError::PreconditionRequired => "Precondition required",
            AppError::MethodNotAllowed { .. } => "Method not allowed",
            AppError::PayloadTooLarge(_) => "Payload too large",
            AppError::UnsupportedMediaType(_) => "Unsupported media type",
            AppError::Invalid(_) => "Invalid input",
            AppError::ForbiddenPage(_) => "Not allowed",
            AppError::Busy { .. } => "Busy",
            AppError::Internal { .. } => "Internal error",
        }
    }

    fn detail(&self) -> String {
        match self {
            AppError::NotFound { what, .. } => format!("There is no {what}."),
            AppError::BadParameter { name, problem, .. } => format!("Parameter {name}: {problem}"),
            AppError::BadRequest(detail)
            | AppError::Conflict(detail)
            | AppError::PayloadTooLarge(detail)
            | AppError::UnsupportedMediaType(detail)
            | AppError::PreconditionFailed { detail }
            | AppError::ForbiddenPage(detail) => detail.clone(),
            AppError::Unauthorized { description } => description
                .clone()
                .unwrap_or_else(|| "Send a bearer token: Authorization: Bearer <JWT>.".into()),
            AppError::Forbidden { scope } => format!("The token lacks the scope {scope}."),
            AppError::PreconditionRequired => {
                "Send If-Match with the record's ETag (its version) to update it.".into()
            }
            AppError::MethodNotAllowed { allowed } => format!("This address answers {allowed}."),
            AppError::Invalid(errors) => format!(
                "{} invalid field(s): {}",
                errors.len(),
                errors
                    .iter()
                    .map(|e| e.field.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            AppError::Busy { .. } => format!(
                "Other changes are being saved: nothing was changed. Try again in {BUSY_RETRY_SECONDS} second(s)."
            ),
            AppError::Internal { .. } => {
                "Something went wrong on our side; it has been logged.".into()
            }
        }
    }
}

impl AppError {
    /// The detail a person reads: invalid fields with what is wrong with each.
    fn page_detail(&self) -> String {
        match self {
            AppError::Invalid(errors) => errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; "),
            _ => self.detail(),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound { .. } => StatusCode::NOT_FOUND,
            AppError::BadParameter { .. } | AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            AppError::Forbidden { .. } | AppError::ForbiddenPage(_) => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            AppError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn render(&self, audience: Audience) -> HttpResponse {
        if let AppError::Internal { cause } = self {
            // The cause chain goes to the log, never to the reader.
            tracing::error!(error = %cause, "request failed");
        }
        if let AppError::Busy { cause } = self {
            tracing::warn!(error = %cause, "database busy: answered 503");
        }
        let status = self.status();
        match audience {
            Audience::Html => {
                let mut response = HttpResponse::build(status);
                match self {
                    AppError::MethodNotAllowed { allowed } => {
                        response.insert_header((header::ALLOW, *allowed))
                    }
                    AppError::Busy { .. } => response
                        .insert_header((header::CACHE_CONTROL, "no-store"))
                        .insert_header((header::RETRY_AFTER, BUSY_RETRY_SECONDS.to_string())),
                    _ => response.insert_header((header::CACHE_CONTROL, "no-store")),
                };
                response.content_type(ContentType::html()).body(
                    views::error_page(status, self.title(), &self.page_detail()).into_string(),
                )
            }
            Audience::Json => {
                let errors = match self {
                    AppError::BadParameter { name, problem, .. } => vec![FieldError {
                        field: name.clone(),
                        message: problem.clone(),
                    }],
                    AppError::Invalid(errors) => errors.clone(),
                    _ => Vec::new(),
                };
                let kind = format!("/problems/{}", self.problem_name());
                let problem = Problem {
                    kind: &kind,
                    title: self.title(),
                    status: status.as_u16(),
                    detail: self.detail(),
                    errors,
                };
                let mut response = HttpResponse::build(status);
                // RFC 6750 §3: say how to authenticate and what went wrong.
                match self {
                    AppError::Unauthorized { description: None } => {
                        response
                            .insert_header(("WWW-Authenticate", "Bearer realm=\"crossborder\""));
                    }
                    AppError::Unauthorized {
                        description: Some(d),
                    } => {
                        response.insert_header((
                            "WWW-Authenticate",
                            format!(
                                "Bearer realm=\"crossborder\", error=\"invalid_token\", error_description=\"{}\"",
                                d.replace(['"', '\\'], "'")
                            ),
                        ));
                    }
                    AppError::MethodNotAllowed { allowed } => {
                        response.insert_header((header::ALLOW, *allowed));
                    }
                    AppError::Busy { .. } => {
                        response
                            .insert_header((header::RETRY_AFTER, BUSY_RETRY_SECONDS.to_string()));
                    }
                    AppError::Forbidden { scope } => {
                        response.insert_header((
                            "WWW-Authenticate",
                            format!("Bearer realm=\"crossborder\", error=\"insufficient_scope\", scope=\"{scope}\""),
                        ));
                    }
                    _ => {}
                }
                response
                    .content_type("application/problem+json")
                    .json(problem)
            }
        }
    }
}

/// How long a client is asked to wait after a 503 for a busy database.
pub const BUSY_RETRY_SECONDS: u32 = 1;

/// Every problem type: its name (`/problems/{name}`), status, title and what to do.
pub const PROBLEM_TYPES: &[(&str, u16, &str, &str)] = &[
    (
        "bad-request",
        400,
        "Bad request",
        "The request cannot be read (a malformed body or query).",
    ),
    (
        "invalid-parameter",
        400,
        "Invalid parameter",
        "A query parameter or the body's syntax is wrong: `errors` names it.",
    ),
    (
        "unauthorized",
        401,
        "Unauthorized",
        "No valid bearer token: get one at /oauth/token (WWW-Authenticate says why).",
    ),
    (
        "insufficient-scope",
        403,
        "Insufficient scope",
        "The token lacks the scope the route needs.",
    ),
    (
        "forbidden",
        403,
        "Not allowed",
        "The account's role does not allow it, or a form failed its CSRF check.",
    ),
    (
        "not-found",
        404,
        "Not found",
        "No such record, or one outside the caller's organisations.",
    ),
    (
        "method-not-allowed",
        405,
        "Method not allowed",
        "The address exists, not with this method: Allow lists the methods.",
    ),
    (
        "conflict",
        409,
        "Conflict",
        "The change conflicts with the record as it is (a key taken, a state that forbids it).",
    ),
    (
        "precondition-failed",
        412,
        "Precondition failed",
        "The record changed since the version sent in If-Match: fetch it again.",
    ),
    (
        "payload-too-large",
        413,
        "Payload too large",
        "The body is over the limit (64 KiB).",
    ),
    (
        "unsupported-media-type",
        415,
        "Unsupported media type",
        "Send the body as application/json.",
    ),
    (
        "invalid-input",
        422,
        "Invalid input",
        "Fields are invalid, unknown or cannot be changed: `errors` names each with what is wrong.",
    ),
    (
        "precondition-required",
        428,
        "Precondition required",
        "Send If-Match with the record's ETag to update it.",
    ),
    (
        "busy",
        503,
        "Busy",
        "Other changes held the database past the wait allowed: nothing was changed; retry after Retry-After seconds.",
    ),
    (
        "internal-error",
        500,
        "Internal error",
        "Something went wrong on the server's side; it has been logged.",
    ),
];

impl From<crate::registry::EditError> for AppError {
    fn from(e: crate::registry::EditError) -> Self {
        use crate::registry::EditError;
        match e {
            EditError::NotFound(what) => AppError::NotFound {
                what: format!("such {what}"),
            },
            EditError::Stale { current, expected } => AppError::PreconditionFailed {
                detail: format!(
                    "the record is at version {current}, not {expected}: fetch it again and redo the change"
                ),
            },
            EditError::Conflict(detail) => AppError::Conflict(detail),
            EditError::Invalid { field, message } => AppError::Invalid(vec![FieldError {
                field: field.into(),
                message,
            }]),
            EditError::Db(e) => AppError::db(e),
        }
    }
}
