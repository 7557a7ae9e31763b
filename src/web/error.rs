//! The one error type of the web layer, mapped to HTTP once: a page for people, problem+json
//! (RFC 9457) for programs.

use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use super::views;
use crate::db::DbError;

/// How the caller wants an error: as a page or as problem+json.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    Html,
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{what} not found")]
    NotFound { what: String, audience: Audience },
    #[error("invalid parameter {name}: {problem}")]
    BadParameter {
        name: String,
        problem: String,
        audience: Audience,
    },
    #[error("internal error")]
    Internal {
        #[source]
        cause: Box<dyn std::error::Error + Send + Sync>,
        audience: Audience,
    },
}

/// One invalid input: the field and what is wrong with it.
#[derive(Debug, Clone, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
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
    pub fn internal(
        cause: impl Into<Box<dyn std::error::Error + Send + Sync>>,
        audience: Audience,
    ) -> Self {
        AppError::Internal {
            cause: cause.into(),
            audience,
        }
    }

    pub fn db(cause: DbError, audience: Audience) -> Self {
        Self::internal(cause, audience)
    }

    fn audience(&self) -> Audience {
        match self {
            AppError::NotFound { audience, .. }
            | AppError::BadParameter { audience, .. }
            | AppError::Internal { audience, .. } => *audience,
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::NotFound { .. } => "Not found",
            AppError::BadParameter { .. } => "Invalid parameter",
            AppError::Internal { .. } => "Internal error",
        }
    }

    fn detail(&self) -> String {
        match self {
            AppError::NotFound { what, .. } => format!("There is no {what}."),
            AppError::BadParameter { name, problem, .. } => format!("Parameter {name}: {problem}"),
            AppError::Internal { .. } => {
                "Something went wrong on our side; it has been logged.".into()
            }
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound { .. } => StatusCode::NOT_FOUND,
            AppError::BadParameter { .. } => StatusCode::BAD_REQUEST,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal { cause, .. } = self {
            // The cause chain goes to the log, never to the reader.
            tracing::error!(error = %cause, "request failed");
        }
        let status = self.status_code();
        match self.audience() {
            Audience::Html => HttpResponse::build(status)
                .content_type(ContentType::html())
                .body(views::error_page(status, self.title(), &self.detail()).into_string()),
            Audience::Json => {
                let errors = match self {
                    AppError::BadParameter { name, problem, .. } => vec![FieldError {
                        field: name.clone(),
                        message: problem.clone(),
                    }],
                    _ => Vec::new(),
                };
                let problem = Problem {
                    kind: "about:blank",
                    title: self.title(),
                    status: status.as_u16(),
                    detail: self.detail(),
                    errors,
                };
                HttpResponse::build(status)
                    .content_type("application/problem+json")
                    .json(problem)
            }
        }
    }
}
