//! Objections from the public side: the form of an announced change, its answer, and the
//! confirmation link e-mailed to the objector. (Procurement tools object through the API.)

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::error::{AppError, PageError};
use super::views::objections::{Objected, objection_page};
use super::views::subscriptions::answer_page;
use super::workspace::forms::{Form, page};
use super::{AppState, db};
use crate::registry::EditError;
use crate::registry::link::Purpose;
use crate::registry::objection::{self, FiledBy, NewObjection};
use crate::registry::organisation;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{slug}/changes/{id}/object", web::get().to(form))
        .route("/{slug}/changes/{id}/object", web::post().to(object))
        .route("/{slug}/objections/confirm", web::get().to(confirm));
}

/// The change while objections are open, with its organisation's name and contact; `Err` is
/// the page that says why not (no such change: the 404; taken effect: a 409 saying when).
async fn objected(
    state: &AppState,
    slug: &str,
    id: &str,
) -> Result<Result<(String, Option<String>, crate::registry::Change), HttpResponse>, PageError> {
    let not_found = || AppError::NotFound {
        what: format!("change '{id}' of '{slug}'"),
    };
    let Ok(id) = id.parse::<i32>() else {
        return Err(not_found().into());
    };
    let s = slug.to_string();
    let found = db(state, move |conn| {
        let org = organisation::find(conn, &s)?;
        let open = objection::open_change(conn, &s, id);
        Ok::<_, crate::db::DbError>((org, open))
    })
    .await?;
    match found {
        (Some(org), Ok((_, _, change))) => Ok(Ok((org.name, org.privacy_contact, change))),
        (Some(org), Err(EditError::Conflict(why))) => Ok(Err(page(
            StatusCode::CONFLICT,
            answer_page(
                "Objections to this change are closed",
                slug,
                html! { p { (super::views::capitalised(&why)) "." } @if let Some(c) = org.privacy_contact { p { "To raise a concern now, write to " (c) "." } } },
            ),
        ))),
        (_, Err(EditError::Db(e))) => Err(e.into()),
        _ => Err(not_found().into()),
    }
}

async fn form(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, id) = path.into_inner();
    let (name, contact, change) = match objected(&state, &slug, &id).await? {
        Ok(found) => found,
        Err(closed) => return Ok(closed),
    };
    let c = Objected::new(&slug, &name, &change);
    Ok(page(
        StatusCode::OK,
        objection_page(
            &c,
            (&Form(Vec::new()), &[]),
            state.mail_enabled,
            contact.as_deref(),
        ),
    ))
}

async fn object(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let (slug, id) = path.into_inner();
    let (name, contact, change) = match objected(&state, &slug, &id).await? {
        Ok(found) => found,
        Err(closed) => return Ok(closed),
    };
    let c = Objected::new(&slug, &name, &change);
    if !state.mail_enabled {
        return Ok(page(
            StatusCode::SERVICE_UNAVAILABLE,
            objection_page(&c, (&Form(Vec::new()), &[]), false, contact.as_deref()),
        ));
    }
    let form = Form::parse(&body)?;
    let new = match NewObjection::parse(
        &form.get("name"),
        &form.get("company"),
        &form.get("email"),
        &form.get("reason"),
    ) {
        Ok(new) => new,
        Err(errors) => {
            return Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                objection_page(&c, (&form, &errors), true, contact.as_deref()),
            ));
        }
    };
    let (key, s, change_id) = (state.link_key.clone(), slug.clone(), change.id);
    let email = new.email.as_str().to_string();
    db(&state, move |conn| {
        objection::file(conn, (&s, change_id), &new, &FiledBy::Public, &key)
    })
    .await
    .map_err(AppError::from)?;
    Ok(page(
        StatusCode::OK,
        answer_page(
            "Check your inbox",
            &slug,
            html! { p { "A message with a link to confirm the objection is on its way to " strong { (email) }
            ". The objection counts once you follow it, before " (change.effective_on) "." } },
        ),
    ))
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

async fn confirm(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, PageError> {
    let slug = path.into_inner();
    let refused = |message: String| {
        page(
            StatusCode::BAD_REQUEST,
            answer_page(
                "This link does not work",
                &slug,
                html! { p { (message) "." } },
            ),
        )
    };
    let id = match query
        .token
        .as_deref()
        .map(|t| state.link_key.verify(t, Purpose::ConfirmObjection))
    {
        None => {
            return Ok(refused(
                "the link has no token: copy the whole link from the message".into(),
            ));
        }
        Some(Err(e)) => return Ok(refused(e.to_string())),
        Some(Ok(id)) => id,
    };
    let s = slug.clone();
    match db(&state, move |conn| objection::confirm(conn, &s, id)).await {
        Ok(o) => Ok(page(
            StatusCode::OK,
            answer_page(
                "Your objection is recorded",
                &slug,
                html! { p { "Thank you, " (o.name) ". The organisation will tell you by e-mail what comes of it." } },
            ),
        )),
        Err(EditError::Conflict(why)) => Ok(page(
            StatusCode::CONFLICT,
            answer_page(
                "Objections to this change are closed",
                &slug,
                html! { p { (super::views::capitalised(&why)) "." } },
            ),
        )),
        Err(EditError::NotFound(_)) => Ok(refused(
            "the link names no objection of this organisation".into(),
        )),
        Err(e) => Err(AppError::from(e).into()),
    }
}
