//! Notice through the API: objections filed by procurement tools on a customer's behalf
//! (`objections:write`, counted at once), and an organisation's webhooks (`webhooks:manage`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::registry::objection::{self, FiledBy, NewObjection, Objection};
use crate::registry::webhook::{self, Webhook};
use crate::values::WebUrl;
use crate::web::error::{ApiError, AppError, FieldError};
use crate::web::extract::{Caller, FileObjection, JsonBody, ManageWebhooks};
use crate::web::{AppState, db};

/// An objection to an announced change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectionIn {
    /// Who objects.
    pub name: String,
    /// The customer they object for.
    pub company: String,
    /// Where the outcome is sent.
    pub email: String,
    /// Why.
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ObjectionOut {
    pub id: i32,
    pub change_id: i32,
    pub name: String,
    pub company: String,
    pub email: String,
    pub reason: String,
    #[schema(value_type = String, format = DateTime)]
    pub received_at: chrono::NaiveDateTime,
    /// upheld, resolved or withdrawn, once decided.
    pub outcome: Option<String>,
}

impl From<Objection> for ObjectionOut {
    fn from(o: Objection) -> Self {
        ObjectionOut {
            id: o.id,
            change_id: o.change_id,
            name: o.name,
            company: o.company,
            email: o.email,
            reason: o.reason,
            received_at: o.created_at,
            outcome: o.outcome,
        }
    }
}

#[utoipa::path(post, path = "/api/v1/organisations/{org}/changes/{id}/objections", tag = "notice", request_body = ObjectionIn,
    params(("org" = String, Path), ("id" = i32, Path, description = "The announced change")),
    responses((status = 201, description = "Recorded against the change's deadline", body = ObjectionOut),
        (status = 404, description = "No such change, or one outside the caller's organisations (problem+json)", body = inline(Object)),
        (status = 409, description = "The change took effect: objections are closed (problem+json)", body = inline(Object)),
        (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object))),
    security(("bearer" = ["objections:write"])))]
pub async fn object(
    caller: Caller<FileObjection>,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: JsonBody<ObjectionIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.read()?;
    let (slug, id) = path.into_inner();
    let id: i32 = id.parse().map_err(|_| AppError::NotFound {
        what: format!("change '{id}'"),
    })?;
    let new = NewObjection::parse(&body.name, &body.company, &body.email, &body.reason)
        .map_err(AppError::Invalid)?;
    let by = FiledBy::Client(caller.actor());
    let key = state.link_key.clone();
    let filed = db(&state, move |conn| {
        objection::file(conn, (&slug, id), &new, &by, &key)
    })
    .await
    .map_err(AppError::from)?;
    Ok(HttpResponse::build(StatusCode::CREATED).json(ObjectionOut::from(filed)))
}

/// An endpoint to register.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookIn {
    /// Where deliveries are posted (http or https).
    pub url: String,
    /// change.announced, change.effective, change.corrected, objection.received
    pub events: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookOut {
    pub id: i32,
    pub url: String,
    pub events: Vec<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: chrono::NaiveDateTime,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub removed_at: Option<chrono::NaiveDateTime>,
}

impl From<Webhook> for WebhookOut {
    fn from(w: Webhook) -> Self {
        WebhookOut {
            id: w.id,
            url: w.url,
            events: w.events,
            created_at: w.created_at,
            removed_at: w.removed_at,
        }
    }
}

/// A new endpoint and its signing secret, shown this once.
#[derive(Serialize, ToSchema)]
pub struct WebhookCreated {
    pub webhook: WebhookOut,
    /// `whsec_` + base64: verify each delivery's `webhook-signature` with it (Standard Webhooks).
    pub secret: String,
}

#[utoipa::path(get, path = "/api/v1/organisations/{org}/webhooks", tag = "notice",
    params(("org" = String, Path)),
    responses((status = 200, description = "The organisation's endpoints, removed ones included", body = Vec<WebhookOut>)),
    security(("bearer" = ["webhooks:manage"])))]
pub async fn webhooks(
    _caller: Caller<ManageWebhooks>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = path.into_inner();
    let list = db(&state, move |conn| webhook::list(conn, Some(&slug)))
        .await
        .map_err(AppError::db)?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(WebhookOut::from).collect::<Vec<_>>()))
}

#[utoipa::path(post, path = "/api/v1/organisations/{org}/webhooks", tag = "notice", request_body = WebhookIn,
    params(("org" = String, Path)),
    responses((status = 201, description = "Registered; the secret is shown this once", body = WebhookCreated),
        (status = 404, description = "No such organisation, or one outside the caller's (problem+json)", body = inline(Object)),
        (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object))),
    security(("bearer" = ["webhooks:manage"])))]
pub async fn add_webhook(
    caller: Caller<ManageWebhooks>,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: JsonBody<WebhookIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.read()?;
    let slug = path.into_inner();
    let mut errors = Vec::new();
    let url = WebUrl::parse(body.url.trim()).map_err(|e| errors.push(FieldError::new("url", e)));
    let events =
        webhook::events(&body.events).map_err(|e| errors.push(FieldError::new("events", e)));
    let (Ok(url), Ok(events)) = (url, events) else {
        return Err(AppError::Invalid(errors).into());
    };
    let actor = caller.actor();
    let (hook, secret) = db(&state, move |conn| {
        webhook::add(conn, &slug, &url, &events, &actor)
    })
    .await
    .map_err(AppError::from)?;
    Ok(
        HttpResponse::build(StatusCode::CREATED).json(WebhookCreated {
            webhook: hook.into(),
            secret,
        }),
    )
}

#[utoipa::path(delete, path = "/api/v1/organisations/{org}/webhooks/{id}", tag = "notice",
    params(("org" = String, Path), ("id" = i32, Path)),
    responses((status = 200, description = "Removed: nothing more is sent to it", body = WebhookOut),
        (status = 404, description = "No such webhook, or one outside the caller's organisations (problem+json)", body = inline(Object))),
    security(("bearer" = ["webhooks:manage"])))]
pub async fn remove_webhook(
    caller: Caller<ManageWebhooks>,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (slug, id) = path.into_inner();
    let id: i32 = id.parse().map_err(|_| AppError::NotFound {
        what: format!("webhook '{id}'"),
    })?;
    let actor = caller.actor();
    let hook = db(&state, move |conn| webhook::remove(conn, &slug, id, &actor))
        .await
        .map_err(AppError::from)?;
    Ok(HttpResponse::Ok().json(WebhookOut::from(hook)))
}
