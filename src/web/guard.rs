//! What every request passes before it is routed: an address holding a control character names
//! nothing (404, a NUL included: PostgreSQL cannot even compare it), a query string holding one is
//! a 400 naming the parameter, and `HEAD` is answered wherever `GET` is (RFC 9110 §9.3.2: the
//! same headers, no body; the HTTP layer drops the body of an answer to a `HEAD`).

use actix_web::Error;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;

use super::error::{ApiError, AppError, PageError};
use crate::values::check_pairs;

/// Whether errors about this address are told to programs (problem+json) or people (a page).
fn for_programs(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with("/oauth/")
        || [".json", ".csv", ".atom"]
            .iter()
            .any(|ext| path.ends_with(ext))
}

/// The path with its `%XX` escapes decoded (as routing decodes them).
fn decoded(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Why a request is refused before routing, if it is.
fn refused(req: &ServiceRequest) -> Option<AppError> {
    let path = req.path();
    if crate::values::check_text("path", &decoded(path)).is_err() {
        return Some(AppError::NotFound {
            what: "page at this address".into(),
        });
    }
    let query = req.query_string();
    if query.is_empty() {
        return None;
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    check_pairs(&pairs)
        .into_iter()
        .next()
        .map(|e| AppError::BadParameter {
            name: e.field,
            problem: e.message,
        })
}

/// The middleware (`from_fn`).
pub async fn guard(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if let Some(e) = refused(&req) {
        let error: Error = if for_programs(req.path()) {
            ApiError(e).into()
        } else {
            PageError(e).into()
        };
        return Ok(req.error_response(error));
    }
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_are_decoded_as_routing_decodes_them() {
        assert_eq!(
            super::decoded("/x%00y/subprocessors"),
            "/x\0y/subprocessors"
        );
        assert_eq!(super::decoded("/a%2"), "/a%2");
        assert_eq!(super::decoded("/caf%C3%A9"), "/café");
    }
}
