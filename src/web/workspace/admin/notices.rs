//! The admins' page of notice: webhooks (register, remove), subscribers, the deliveries
//! and their attempts (send one again).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::{admin_page, query};
use crate::registry::webhook::{self, Webhook};
use crate::registry::{EditError, organisation, outbox, subscriber};
use crate::values::WebUrl;
use crate::web::error::{AppError, FieldError, PageError};
use crate::web::extract::{Admin, PostedForm};
use crate::web::views::workspace::admin::Notice;
use crate::web::views::workspace::admin::notices::{
    NOTICES, NoticesPage, PAGE_PARAMS, Pages, notices_page,
};
use crate::web::views::workspace::pager::{self, PAGE_SIZE, Pager};
use crate::web::workspace::forms::{self, Form, see_other};
use crate::web::{AppState, blocking};

struct Data {
    webhooks: Vec<Webhook>,
    organisations: Vec<(String, String)>,
    subscribers: Vec<(String, subscriber::Subscriber)>,
    /// Confirmed subscribers by organisation (slug).
    confirmed: HashMap<String, i64>,
    deliveries: Vec<(
        crate::db::rows::DeliveryRow,
        Vec<crate::db::rows::DeliveryAttemptRow>,
    )>,
    pages: Pages,
}

/// The pages asked for (`webhooks_page`, `subscribers_page`, `deliveries_page`), as typed:
/// a list each, all three on one page.
#[derive(Default)]
struct Asked([String; 3]);

impl Asked {
    fn from(req: &HttpRequest) -> Self {
        Asked(PAGE_PARAMS.map(|name| pager::asked(req.query_string(), name)))
    }
}

async fn data(state: &AppState, asked: Asked) -> Result<Data, AppError> {
    blocking(state, move |conn| {
        let [webhooks, subscribers, deliveries] = asked.0;
        let (all_subscribers, confirmed) = subscriber::counts(conn)?;
        let pages = Pages {
            webhooks: Pager::new(&webhooks, PAGE_SIZE, webhook::count(conn)? as usize),
            subscribers: Pager::new(&subscribers, PAGE_SIZE, all_subscribers as usize),
            deliveries: Pager::new(
                &deliveries,
                PAGE_SIZE,
                outbox::deliveries_count(conn)? as usize,
            ),
        };
        Ok(Data {
            webhooks: webhook::page(conn, pages.webhooks.window())?,
            organisations: organisation::list(conn)?
                .into_iter()
                .map(|o| (o.slug, o.name))
                .collect(),
            subscribers: subscriber::page(conn, pages.subscribers.window())?,
            confirmed,
            deliveries: outbox::recent(conn, pages.deliveries.window())?,
            pages,
        })
    })
    .await
}

fn render(
    signed_in: &crate::web::extract::SignedIn,
    d: &Data,
    created: Option<(&Webhook, &str)>,
    done: Option<&Notice>,
    (form, errors): (&Form, &[FieldError]),
    status: StatusCode,
) -> HttpResponse {
    let page = NoticesPage {
        webhooks: &d.webhooks,
        organisations: &d.organisations,
        subscribers: &d.subscribers,
        confirmed: &d.confirmed,
        deliveries: &d.deliveries,
        pages: &d.pages,
        created,
    };
    admin_page(
        status,
        "Notice",
        notices_page(&signed_in.0, &page, done, (form, errors)),
    )
}

/// `GET /workspace/admin/notices`.
pub async fn page(
    Admin(signed_in): Admin,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let d = data(&state, Asked::from(&req)).await?;
    let done = match query(&req, "done").as_deref() {
        Some("removed") => Some(Notice::Done(
            "The webhook is removed: nothing more is sent to it.".into(),
        )),
        Some("replayed") => Some(Notice::Done(
            "The delivery is sent again, with the same id.".into(),
        )),
        _ => None,
    };
    Ok(render(
        &signed_in,
        &d,
        None,
        done.as_ref(),
        (&Form(Vec::new()), &[]),
        StatusCode::OK,
    ))
}

/// `POST /workspace/admin/webhooks`: registers an endpoint; its secret is shown once.
pub async fn add(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Admin>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let mut errors = Vec::new();
    let url = WebUrl::parse(form.get("url").trim())
        .map_err(|e| errors.push(FieldError::new("url", e)))
        .ok();
    let events = webhook::events(&form.all("events"))
        .map_err(|e| errors.push(FieldError::new("events", e)))
        .ok();
    let slug = form.get("organisation");
    let (Some(url), Some(events)) = (url, events) else {
        let d = data(&state, Asked::default()).await?;
        return Ok(render(
            &signed_in,
            &d,
            None,
            None,
            (&form, &errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    };
    let actor = forms::actor(&signed_in);
    let s = slug.clone();
    let added = forms::run_edit(&state, move |conn| {
        webhook::add(conn, &s, &url, &events, &actor)
    })
    .await?;
    let d = data(&state, Asked::default()).await?;
    match added {
        Ok((hook, secret)) => Ok(render(
            &signed_in,
            &d,
            Some((&hook, &secret)),
            None,
            (&Form(Vec::new()), &[]),
            StatusCode::CREATED,
        )),
        Err(EditError::NotFound(_)) => {
            let errors = [FieldError::new(
                "organisation",
                format!("there is no organisation '{slug}'"),
            )];
            Ok(render(
                &signed_in,
                &d,
                None,
                None,
                (&form, &errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// `POST /workspace/admin/webhooks/{id}/remove`.
pub async fn remove(
    PostedForm { signed_in, .. }: PostedForm<Admin>,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let actor = forms::actor(&signed_in);
    forms::run_edit(&state, move |conn| {
        let slug = webhook::list(conn, None)?
            .into_iter()
            .find(|h| h.id == id)
            .map(|h| h.organisation)
            .ok_or(EditError::NotFound("webhook"))?;
        webhook::remove(conn, &slug, id, &actor)
    })
    .await?
    .map_err(AppError::from)?;
    Ok(see_other(format!("{NOTICES}?done=removed")))
}

/// `POST /workspace/admin/deliveries/{id}/replay`: sends a delivery again, with the same id.
pub async fn replay(
    PostedForm { signed_in, .. }: PostedForm<Admin>,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let actor = forms::actor(&signed_in);
    let found = blocking(&state, move |conn| outbox::replay(conn, id, &actor)).await?;
    if !found {
        return Err(AppError::NotFound {
            what: format!("delivery {id}"),
        }
        .into());
    }
    Ok(see_other(format!("{NOTICES}?done=replayed")))
}
