//! Importing vendors in the workspace (editors): upload a file or paste a table, see the dry run
//! row by row with every bad cell, then commit. The file travels back with the commit form (as
//! base64 in a hidden field), so nothing is kept between the two steps; the commit plans again
//! inside its transaction and refuses while a problem is left.

use actix_multipart::form::{MultipartForm, MultipartFormConfig, bytes::Bytes, text::Text};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use base64::Engine;

use super::forms::{self, actor, html_page, page};
use super::{GET, GET_POST, SignedIn, resource};
use crate::registry::bulk::{self, ImportError, Input};
use crate::web::error::{AppError, PageError};
use crate::web::extract::Editor;
use crate::web::views::workspace::import as view;
use crate::web::{AppState, db};

pub fn routes(cfg: &mut web::ServiceConfig) {
    // The commit form brings the file back as base64: room for a file of some 5 MiB.
    let limits = MultipartFormConfig::default()
        .memory_limit(UPLOAD_LIMIT)
        .total_limit(UPLOAD_LIMIT);
    cfg.service(
        resource("/workspace/{org}/import", GET_POST)
            .app_data(limits)
            .route(web::get().to(form))
            .route(web::post().to(submit)),
    )
    .service(resource("/workspace/import-template.csv", GET).route(web::get().to(template_csv)))
    .service(resource("/workspace/import-template.xlsx", GET).route(web::get().to(template_xlsx)));
}

/// What an import form may send, in bytes.
const UPLOAD_LIMIT: usize = 8 * 1024 * 1024;

/// The form: a file (or a table pasted); a commit brings the dry run's file back.
#[derive(MultipartForm)]
pub struct Upload {
    csrf: Text<String>,
    file: Option<Bytes>,
    pasted: Option<Text<String>>,
    /// On the commit form: the file of the dry run, base64, and its name.
    content: Option<Text<String>>,
    filename: Option<Text<String>>,
    commit: Option<Text<String>>,
}

pub async fn form(
    editor: Editor,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let org = forms::organisation(&state, &path).await?;
    Ok(html_page(view::import_page(&editor.0.0, &org, None)))
}

pub async fn submit(
    editor: Editor,
    state: web::Data<AppState>,
    path: web::Path<String>,
    MultipartForm(upload): MultipartForm<Upload>,
) -> Result<HttpResponse, PageError> {
    let signed_in: SignedIn = editor.0;
    signed_in.check_csrf(&upload.csrf)?;
    let org = forms::organisation(&state, &path).await?;
    let text = |t: &Option<Text<String>>| {
        t.as_ref()
            .map(|t| t.0.clone())
            .filter(|s| !s.trim().is_empty())
    };
    let (bytes, name) = if let Some(content) = text(&upload.content) {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(content.trim())
            .map_err(|e| AppError::BadParameter {
                name: "content".into(),
                problem: e.to_string(),
            })?;
        (bytes, text(&upload.filename))
    } else if let Some(file) = upload.file.filter(|f| !f.data.is_empty()) {
        (file.data.to_vec(), file.file_name.filter(|n| !n.is_empty()))
    } else if let Some(pasted) = text(&upload.pasted) {
        (pasted.into_bytes(), None)
    } else {
        let outcome = view::Outcome::Refused(
            "Choose a file, or paste a table copied from a spreadsheet or a published list.".into(),
        );
        return Ok(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            view::import_page(&signed_in.0, &org, Some(&outcome)),
        ));
    };
    let commit = text(&upload.commit).is_some();
    let (slug, who) = (org.slug.clone(), actor(&signed_in));
    let (b, n) = (bytes.clone(), name.clone());
    let result = db(&state, move |conn| {
        let input = Input {
            bytes: &b,
            name: n.as_deref(),
        };
        if commit {
            bulk::commit(conn, &slug, input, &who)
        } else {
            bulk::plan(conn, &slug, input)
        }
    })
    .await;
    let (status, outcome) = match result {
        Ok(plan) if commit => (StatusCode::OK, view::Outcome::Imported(plan)),
        Ok(plan) if plan.problems.is_empty() => (
            StatusCode::OK,
            view::Outcome::DryRun {
                plan,
                content: base64::engine::general_purpose::STANDARD.encode(&bytes),
                filename: name,
            },
        ),
        Ok(plan) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            view::Outcome::Problems(plan),
        ),
        Err(ImportError::Problems(plan)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            view::Outcome::Problems(*plan),
        ),
        Err(ImportError::Unreadable(e)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            view::Outcome::Refused(e.to_string()),
        ),
        Err(ImportError::NoOrganisation) => {
            return Err(AppError::NotFound {
                what: format!("organisation '{}'", org.slug),
            }
            .into());
        }
        Err(ImportError::Edit(crate::registry::EditError::Db(e))) => {
            return Err(AppError::db(e).into());
        }
        Err(ImportError::Edit(e)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            view::Outcome::Refused(e.to_string()),
        ),
    };
    Ok(page(
        status,
        view::import_page(&signed_in.0, &org, Some(&outcome)),
    ))
}

fn attachment(name: &str, content_type: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body)
}

pub(super) fn download(
    name: &str,
    format: crate::registry::export::SheetFormat,
    body: Vec<u8>,
) -> HttpResponse {
    attachment(name, format.content_type(), body)
}

pub async fn template_csv(_: SignedIn) -> HttpResponse {
    attachment(
        "crossborder-vendors-template.csv",
        "text/csv; charset=utf-8",
        bulk::template_csv(),
    )
}

pub async fn template_xlsx(_: SignedIn) -> Result<HttpResponse, PageError> {
    let body = bulk::template_xlsx().map_err(AppError::internal)?;
    Ok(attachment(
        "crossborder-vendors-template.xlsx",
        crate::registry::export::SheetFormat::Xlsx.content_type(),
        body,
    ))
}
