//! Exports for officers: the transfer part of the record of processing (GDPR Art. 30(1)(e),
//! 30(2)(c)) on a date, and the vendor register, each as CSV or XLSX. Any member of the
//! organisation may download them; neither holds an account, a token, a hash or a session.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;

use super::import::download;
use super::{GET, SignedIn, forms, resource};
use crate::date::{parse_date, today};
use crate::registry::export::{SheetFormat, ropa};
use crate::web::error::{AppError, PageError};
use crate::web::views::workspace::exports as view;
use crate::web::{AppState, blocking};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/workspace/{org}/exports", GET).route(web::get().to(page)))
        .service(resource("/workspace/{org}/ropa.csv", GET).route(web::get().to(ropa_csv)))
        .service(resource("/workspace/{org}/ropa.xlsx", GET).route(web::get().to(ropa_xlsx)))
        .service(resource("/workspace/{org}/register.csv", GET).route(web::get().to(register_csv)))
        .service(
            resource("/workspace/{org}/register.xlsx", GET).route(web::get().to(register_xlsx)),
        );
}

pub async fn page(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let org = forms::organisation(&state, &path).await?;
    Ok(forms::html_page(view::exports_page(
        &signed_in.0,
        &org,
        today(),
    )))
}

/// `as_of` from the query (default today); a bad date is a 400 naming it.
fn as_of(req: &HttpRequest) -> Result<NaiveDate, AppError> {
    let query: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    match query
        .iter()
        .find(|(k, v)| k == "as_of" && !v.trim().is_empty())
    {
        None => Ok(today()),
        Some((_, v)) => parse_date(v.trim()).map_err(|e| AppError::BadParameter {
            name: "as_of".into(),
            problem: e.to_string(),
        }),
    }
}

async fn ropa_in(
    state: &AppState,
    slug: String,
    as_of: NaiveDate,
    format: SheetFormat,
) -> Result<HttpResponse, PageError> {
    let rules = state.rules;
    let wanted = slug.clone();
    let sheet = blocking(state, move |conn| ropa::ropa(conn, &wanted, as_of, rules))
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: format!("organisation '{slug}'"),
        })?;
    let body = sheet.render(format).map_err(AppError::internal)?;
    Ok(download(
        &format!("{slug}-art30-transfers-{as_of}.{format}"),
        format,
        body,
    ))
}

async fn register_in(
    state: &AppState,
    slug: String,
    format: SheetFormat,
) -> Result<HttpResponse, PageError> {
    let wanted = slug.clone();
    let sheet = blocking(state, move |conn| ropa::register(conn, &wanted))
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: format!("organisation '{slug}'"),
        })?;
    let body = sheet.render(format).map_err(AppError::internal)?;
    Ok(download(
        &format!("{slug}-vendor-register-{}.{format}", today()),
        format,
        body,
    ))
}

pub async fn ropa_csv(
    _: SignedIn,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    ropa_in(&state, path.into_inner(), as_of(&req)?, SheetFormat::Csv).await
}

pub async fn ropa_xlsx(
    _: SignedIn,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    ropa_in(&state, path.into_inner(), as_of(&req)?, SheetFormat::Xlsx).await
}

pub async fn register_csv(
    _: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    register_in(&state, path.into_inner(), SheetFormat::Csv).await
}

pub async fn register_xlsx(
    _: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    register_in(&state, path.into_inner(), SheetFormat::Xlsx).await
}
