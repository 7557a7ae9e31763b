//! Notice by e-mail, from the public side: signing up on an organisation's list (double opt-in),
//! the confirmation link, and the unsubscribe link (a page with a button, and the one-click POST
//! of RFC 8058 that mail clients send).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::html;
use serde::Deserialize;

use super::error::{AppError, PageError};
use super::views::subscriptions::{answer_page, subscribe_form, unsubscribe_page};
use super::workspace::forms::{Form, page};
use super::{AppState, db};
use crate::registry::link::{LinkError, Purpose};
use crate::registry::organisation;
use crate::registry::subscriber::{self, Subscribed, Subscriber};
use crate::values::EmailAddress;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/{slug}/subscribe", web::post().to(subscribe))
        .route("/{slug}/subscriptions/confirm", web::get().to(confirm))
        .route("/{slug}/unsubscribe", web::get().to(unsubscribe_form))
        .route("/{slug}/unsubscribe", web::post().to(unsubscribe));
}

#[derive(Deserialize)]
struct TokenQuery {
    token: Option<String>,
}

/// The organisation's name, or the site's 404.
async fn organisation_name(state: &AppState, slug: &str) -> Result<String, PageError> {
    let s = slug.to_string();
    db(state, move |conn| organisation::find(conn, &s))
        .await?
        .map(|o| o.name)
        .ok_or_else(|| {
            AppError::NotFound {
                what: format!("organisation '{slug}'"),
            }
            .into()
        })
}

async fn subscribe(
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let slug = path.into_inner();
    let name = organisation_name(&state, &slug).await?;
    let title = format!("Notice of {name}'s changes");
    if !state.mail_enabled {
        return Ok(page(
            StatusCode::SERVICE_UNAVAILABLE,
            answer_page(&title, &slug, subscribe_form(&slug, false, "", None)),
        ));
    }
    let form = Form::parse(&body)?;
    let typed = form.get("email");
    let email = match EmailAddress::parse(typed.trim()) {
        Ok(email) => email,
        Err(e) => {
            let problem = if typed.trim().is_empty() {
                "required".to_string()
            } else {
                e
            };
            return Ok(page(
                StatusCode::UNPROCESSABLE_ENTITY,
                answer_page(
                    &title,
                    &slug,
                    subscribe_form(&slug, true, &typed, Some(&problem)),
                ),
            ));
        }
    };
    let key = state.link_key.clone();
    let (s, shown) = (slug.clone(), email.as_str().to_string());
    let done = db(&state, move |conn| {
        subscriber::subscribe(conn, &s, &email, &key)
    })
    .await?;
    // The same answer whether or not the address was subscribed already: the page tells no one
    // who is on the list.
    match done {
        Some(Subscribed::ConfirmationQueued | Subscribed::AlreadySubscribed) => Ok(page(
            StatusCode::OK,
            answer_page(
                "Check your inbox",
                &slug,
                html! {
                    p { "If " strong { (shown) } " is not subscribed yet, a message with a link to confirm "
                        "is on its way. Nothing else is sent before you follow it." }
                },
            ),
        )),
        None => Err(AppError::NotFound {
            what: format!("organisation '{slug}'"),
        }
        .into()),
    }
}

/// The subscriber a link's token names, if it is genuine and belongs to `slug`'s organisation.
async fn from_link(
    state: &AppState,
    slug: &str,
    token: Option<String>,
    purpose: Purpose,
) -> Result<Result<Subscriber, String>, PageError> {
    let id = match token.as_deref().map(|t| state.link_key.verify(t, purpose)) {
        None => {
            return Ok(Err(
                "the link has no token: copy the whole link from the message".into(),
            ));
        }
        Some(Err(e @ (LinkError::Invalid | LinkError::Expired(_)))) => {
            return Ok(Err(e.to_string()));
        }
        Some(Ok(id)) => id,
    };
    let s = slug.to_string();
    let found = db(state, move |conn| {
        let org = organisation::find(conn, &s)?;
        let subscriber = subscriber::find(conn, id)?;
        Ok::<_, crate::db::DbError>(
            subscriber.filter(|sub| org.is_some_and(|o| o.id == sub.organisation_id)),
        )
    })
    .await?;
    Ok(found.ok_or_else(|| LinkError::Invalid.to_string()))
}

fn refused(slug: &str, message: &str) -> HttpResponse {
    page(
        StatusCode::BAD_REQUEST,
        answer_page(
            "This link does not work",
            slug,
            html! { p { (message) "." } },
        ),
    )
}

async fn confirm(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, PageError> {
    follow(
        &state,
        path.into_inner(),
        query.into_inner().token,
        Link::Confirm,
    )
    .await
}

async fn unsubscribe_form(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, PageError> {
    let slug = path.into_inner();
    let name = organisation_name(&state, &slug).await?;
    let token = query.into_inner().token;
    match from_link(&state, &slug, token.clone(), Purpose::Unsubscribe).await? {
        Ok(_) => Ok(page(
            StatusCode::OK,
            unsubscribe_page(&slug, &name, token.as_deref().unwrap_or_default()),
        )),
        Err(message) => Ok(refused(&slug, &message)),
    }
}

async fn unsubscribe(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, PageError> {
    follow(
        &state,
        path.into_inner(),
        query.into_inner().token,
        Link::Unsubscribe,
    )
    .await
}

/// What a followed link does.
#[derive(Clone, Copy)]
enum Link {
    Confirm,
    Unsubscribe,
}

/// Follows a confirmation or unsubscribe link: checks its token, records the subscriber's
/// choice, and says what it means.
async fn follow(
    state: &AppState,
    slug: String,
    token: Option<String>,
    link: Link,
) -> Result<HttpResponse, PageError> {
    let name = organisation_name(state, &slug).await?;
    let purpose = match link {
        Link::Confirm => Purpose::ConfirmSubscription,
        Link::Unsubscribe => Purpose::Unsubscribe,
    };
    let subscriber = match from_link(state, &slug, token, purpose).await? {
        Ok(s) => s,
        Err(message) => return Ok(refused(&slug, &message)),
    };
    db(state, move |conn| match link {
        Link::Confirm => subscriber::confirm(conn, subscriber.id),
        Link::Unsubscribe => subscriber::unsubscribe(conn, subscriber.id),
    })
    .await?;
    let (title, said) = match link {
        Link::Confirm => (
            "You are subscribed",
            format!(
                "You will get each change to {name}'s sub-processors by e-mail, on the day it is announced."
            ),
        ),
        Link::Unsubscribe => (
            "You are unsubscribed",
            format!("No more e-mail about {name}'s sub-processors will be sent to you."),
        ),
    };
    Ok(page(
        StatusCode::OK,
        answer_page(title, &slug, html! { p { (said) } }),
    ))
}
