//! Passwords: an account changes its own (`/workspace/account/password`), an admin makes a
//! one-time reset link (`POST /workspace/admin/users/{id}/reset`), and the link's page sets a
//! new one (`/workspace/password-reset?token=...`, no session needed: the token is the proof).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::forms::{self, see_other};
use super::{GET_POST, POST, SESSION_COOKIE, resource};
use crate::auth::passwords::{self, PasswordError};
use crate::web::error::{AppError, PageError};
use crate::web::extract::{Admin, Member, PostedForm, SignedIn};
use crate::web::views::workspace::account::{
    PASSWORD, RESET, change_markup, link_markup, reset_page,
};
use crate::web::views::workspace::admin::page;
use crate::web::{AppState, db};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource(PASSWORD, GET_POST)
            .route(web::get().to(change_page))
            .route(web::post().to(change)),
    )
    .service(resource("/workspace/admin/users/{id}/reset", POST).route(web::post().to(reset_link)))
    .service(
        resource(RESET, GET_POST)
            .route(web::get().to(reset_form))
            .route(web::post().to(reset)),
    );
}

fn password_error(e: PasswordError) -> Result<Vec<crate::values::FieldError>, PageError> {
    match e {
        PasswordError::Invalid(errors) => Ok(errors),
        PasswordError::NotFound(id) => Err(AppError::NotFound {
            what: format!("account #{id}"),
        }
        .into()),
        PasswordError::Db(e) => Err(AppError::db(e).into()),
        other => Err(AppError::internal(other.to_string()).into()),
    }
}

/// `GET /workspace/account/password`.
pub async fn change_page(signed_in: SignedIn, req: HttpRequest) -> HttpResponse {
    let done = req.query_string().contains("changed=1");
    forms::page(
        StatusCode::OK,
        page("Your password", change_markup(&signed_in.0, &[], done)),
    )
}

/// `POST /workspace/account/password`: the current password, the new one twice.
pub async fn change(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Member>,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let keep = req
        .cookie(SESSION_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    let user = signed_in.0.user.clone();
    let typed = (
        form.raw("current_password"),
        form.raw("new_password"),
        form.raw("confirm_password"),
    );
    let outcome = db(&state, move |conn| {
        passwords::change_own(conn, &user, (&typed.0, &typed.1, &typed.2), &keep)
    })
    .await;
    match outcome {
        Ok(()) => Ok(see_other(format!("{PASSWORD}?changed=1"))),
        Err(e) => {
            let errors = password_error(e)?;
            Ok(forms::page(
                StatusCode::UNPROCESSABLE_ENTITY,
                page("Your password", change_markup(&signed_in.0, &errors, false)),
            ))
        }
    }
}

/// `POST /workspace/admin/users/{id}/reset`: a one-time reset link, shown once to the admin.
pub async fn reset_link(
    PostedForm { signed_in, .. }: PostedForm<Admin>,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let id: i32 = path.parse().map_err(|_| AppError::NotFound {
        what: format!("account '{path}'"),
    })?;
    let by = signed_in.0.user.clone();
    let (token, email) = db(&state, move |conn| passwords::reset_token(conn, id, &by))
        .await
        .map_err(|e| match password_error(e) {
            Err(page) => page,
            Ok(_) => AppError::internal("no field in a reset link").into(),
        })?;
    let query = serde_urlencoded::to_string([("token", &token)]).unwrap_or_default();
    let link = format!("{}{RESET}?{query}", state.origin.base(&req));
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(
            page(
                "Password reset link",
                link_markup(&signed_in.0, &email, &link),
            )
            .into_string(),
        ))
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn reset_response(status: StatusCode, body: maud::Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        // The token is in the address: no other site learns it from a Referer.
        .insert_header(("Referrer-Policy", "no-referrer"))
        .body(body.into_string())
}

/// `GET /workspace/password-reset?token=...`.
pub async fn reset_form(
    state: web::Data<AppState>,
    query: web::Query<TokenQuery>,
) -> Result<HttpResponse, PageError> {
    let token = query.into_inner().token;
    let wanted = token.clone();
    let account = db(&state, move |conn| passwords::reset_account(conn, &wanted)).await;
    Ok(match account {
        Ok((_, email)) => reset_response(StatusCode::OK, reset_page(&token, Ok(&email), &[])),
        Err(e @ (PasswordError::BadLink | PasswordError::Expired(_))) => {
            let problem = format!("{}.", crate::web::views::capitalised(&e.to_string()));
            reset_response(StatusCode::GONE, reset_page("", Err(&problem), &[]))
        }
        Err(e) => {
            return Err(password_error(e)
                .err()
                .unwrap_or_else(|| AppError::internal("reset").into()));
        }
    })
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

/// `POST /workspace/password-reset`: sets the new password, then off to sign in.
pub async fn reset(
    state: web::Data<AppState>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let (token, new, confirm) = (form.token.clone(), form.new_password, form.confirm_password);
    let outcome = db(&state, move |conn| {
        passwords::reset_with(conn, &token, (&new, &confirm))
    })
    .await;
    match outcome {
        Ok(_) => Ok(see_other("/workspace/login?reset=1".into())),
        Err(e @ (PasswordError::BadLink | PasswordError::Expired(_))) => {
            let problem = format!("{}.", crate::web::views::capitalised(&e.to_string()));
            Ok(reset_response(
                StatusCode::GONE,
                reset_page("", Err(&problem), &[]),
            ))
        }
        Err(e) => {
            let errors = password_error(e)?;
            let wanted = form.token.clone();
            let email = db(&state, move |conn| passwords::reset_account(conn, &wanted))
                .await
                .map(|(_, email)| email)
                .unwrap_or_default();
            Ok(reset_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                reset_page(&form.token, Ok(&email), &errors),
            ))
        }
    }
}
