//! `POST /oauth/token`: the client credentials grant (RFC 6749 §4.4). Clients authenticate with
//! HTTP Basic or `client_id`/`client_secret` in the form and get a short-lived JWT.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use serde::Serialize;

use super::dto::TokenOut;
use crate::auth::{Scope, clients, format_scopes, parse_scopes};
use crate::db::DbError;
use crate::web::AppState;

#[derive(Serialize)]
struct OAuthError<'a> {
    error: &'a str,
    error_description: String,
}

/// RFC 6749 §5.2 errors: a JSON object with `error`, never cached.
fn oauth_error(
    status: actix_web::http::StatusCode,
    error: &str,
    description: impl Into<String>,
) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    if status == actix_web::http::StatusCode::UNAUTHORIZED {
        response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"crossborder\""));
    }
    response.json(OAuthError {
        error,
        error_description: description.into(),
    })
}

fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let (id, secret) = std::str::from_utf8(&decoded).ok()?.split_once(':')?;
    // A control character names no client (and PostgreSQL cannot compare a NUL).
    let typed = [
        ("client_id".to_string(), id.to_string()),
        ("client_secret".to_string(), secret.to_string()),
    ];
    crate::values::check_pairs(&typed)
        .is_empty()
        .then(|| (id.to_string(), secret.to_string()))
}

#[utoipa::path(post, path = "/oauth/token", tag = "auth",
    request_body(content = String, content_type = "application/x-www-form-urlencoded",
        description = "grant_type=client_credentials, optional scope; client credentials by HTTP Basic or client_id and client_secret"),
    responses((status = 200, description = "OK", body = TokenOut), (status = 400, description = "Bad request: a parameter or the body cannot be read (problem+json)", body = inline(Object)), (status = 401, description = "No valid bearer token (problem+json)", body = inline(Object))))]
pub async fn token(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let form_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "send application/x-www-form-urlencoded",
        );
    }
    let Ok(form) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the form cannot be read",
        );
    };
    if let Some(e) = crate::values::check_pairs(&form).into_iter().next() {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            format!("{}: {}", e.field, e.message),
        );
    }
    let field = |name: &str| form.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    match field("grant_type").as_deref() {
        Some("client_credentials") => {}
        Some(other) => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                format!("grant_type '{other}' is not supported; use client_credentials"),
            );
        }
        None => {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "grant_type is missing",
            );
        }
    }
    let Some((client_id, secret)) =
        basic_credentials(&req).or_else(|| field("client_id").zip(field("client_secret")))
    else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client credentials are missing",
        );
    };
    // Per client id and per address, counted before the secret is checked; then at most a few
    // secrets are checked at once, so guessing cannot starve the public pages of CPU.
    let address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    if let Err(seconds) = state.token_throttle.admit(&client_id, &address) {
        let mut response = oauth_error(
            StatusCode::TOO_MANY_REQUESTS,
            "slow_down",
            format!(
                "too many token requests for this client or from this address: retry in {seconds} s"
            ),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        return response;
    }
    if !state.verifier.can_issue() {
        return oauth_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "token issuance needs an HS256 secret (JWT_SECRET)",
        );
    }
    let Ok(_permit) = state.token_throttle.checks.acquire().await else {
        return oauth_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "shutting down",
        );
    };
    let authenticated = crate::web::db(&state, move |conn| {
        clients::authenticate(conn, &client_id, &secret)
    })
    .await;
    drop(_permit);
    let (client, allowed) = match authenticated {
        Ok(Some(found)) => found,
        Ok(None) => {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "unknown client, wrong secret or revoked client",
            );
        }
        Err(DbError::Interrupted(_)) => {
            return oauth_error(
                StatusCode::SERVICE_UNAVAILABLE,
                "temporarily_unavailable",
                "busy",
            );
        }
        Err(e) => {
            tracing::error!(error = %e, "client authentication failed");
            return oauth_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "try again later",
            );
        }
    };
    // The client is authenticated first: an unknown client learns nothing about scopes.
    let requested = match field("scope").map(|s| parse_scopes(&s)).transpose() {
        Ok(scopes) => scopes,
        Err(e) => return oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", e.to_string()),
    };
    let scopes: Vec<Scope> = match requested {
        Some(requested) => {
            if let Some(extra) = requested.iter().find(|s| !allowed.contains(s)) {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_scope",
                    format!("the client may not ask for {extra}"),
                );
            }
            requested
        }
        None => allowed,
    };
    match state.verifier.issue(
        &client.client_id,
        &scopes,
        client.organisations.as_deref(),
        None,
    ) {
        Ok((access_token, ttl)) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(TokenOut {
                access_token,
                token_type: "Bearer".into(),
                expires_in: ttl.as_secs(),
                scope: format_scopes(&scopes),
            }),
        Err(e) => {
            tracing::error!(error = %e, "cannot issue a token");
            oauth_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "cannot issue a token",
            )
        }
    }
}
