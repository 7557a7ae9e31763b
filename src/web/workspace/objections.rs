//! Objections in the workspace: one objection with the form that records its outcome (editors);
//! the objector is told by e-mail.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::Markup;

use super::forms::{self, Form, page, see_other};
use super::{GET_POST, resource};
use crate::registry::objection::{self, Outcome};
use crate::registry::{EditError, change};
use crate::web::error::{AppError, FieldError, PageError};
use crate::web::extract::{Editor, PostedForm};
use crate::web::views::workspace::form::refusal;
use crate::web::views::workspace::objections::objection_page;
use crate::web::{AppState, blocking};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/workspace/{org}/objections/{id}", GET_POST)
            .route(web::get().to(show))
            .route(web::post().to(decide)),
    );
}

/// The objection `id` of the organisation `slug` with its change's summary, or the 404.
async fn load(
    state: &AppState,
    slug: &str,
    id: i32,
) -> Result<(objection::Objection, String), PageError> {
    let s = slug.to_string();
    let found = blocking(state, move |conn| {
        let Some(org) = crate::registry::organisation::find(conn, &s)? else {
            return Ok(None);
        };
        let Some(o) = objection::find(conn, id)?.filter(|o| o.organisation_id == org.id) else {
            return Ok(None);
        };
        let summary = change::find(conn, o.change_id)?
            .map(|c| c.summary)
            .unwrap_or_default();
        Ok(Some((o, summary)))
    })
    .await?;
    found.ok_or_else(|| {
        AppError::NotFound {
            what: format!("objection {id}"),
        }
        .into()
    })
}

async fn show(
    Editor(signed_in): Editor,
    state: web::Data<AppState>,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, PageError> {
    let (slug, id) = path.into_inner();
    let (o, summary) = load(&state, &slug, id).await?;
    Ok(forms::html_page(objection_page(
        &signed_in.0,
        (&slug, &o, &summary),
        &Form(Vec::new()),
        &[],
        Markup::default(),
    )))
}

async fn decide(
    PostedForm {
        signed_in, form, ..
    }: PostedForm<Editor>,
    state: web::Data<AppState>,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, PageError> {
    let (slug, id) = path.into_inner();
    let (o, summary) = load(&state, &slug, id).await?;
    let mut errors = Vec::new();
    let outcome = match form.get("outcome").parse::<Outcome>() {
        Ok(outcome) => Some(outcome),
        Err(_) => {
            errors.push(FieldError::new(
                "outcome",
                "choose upheld, resolved or withdrawn",
            ));
            None
        }
    };
    let note = form.get("note").trim().to_string();
    if note.is_empty() {
        errors.push(FieldError::new(
            "note",
            "required: the objector gets it by e-mail",
        ));
    } else if let Err(e) = crate::values::check_text("note", &note) {
        errors.push(e);
    }
    let Some(outcome) = outcome.filter(|_| errors.is_empty()) else {
        return Ok(page(
            StatusCode::UNPROCESSABLE_ENTITY,
            objection_page(
                &signed_in.0,
                (&slug, &o, &summary),
                &form,
                &errors,
                Markup::default(),
            ),
        ));
    };
    let (s, actor) = (slug.clone(), forms::actor(&signed_in));
    match forms::run_edit(&state, move |conn| {
        objection::decide(conn, (&s, id), (outcome, &note), &actor)
    })
    .await?
    {
        Ok(_) => Ok(see_other("/workspace".into())),
        Err(EditError::NotFound(_)) => Err(AppError::NotFound {
            what: format!("objection {id}"),
        }
        .into()),
        Err(e) => Ok(page(
            StatusCode::CONFLICT,
            objection_page(
                &signed_in.0,
                (&slug, &o, &summary),
                &form,
                &[],
                refusal(&e.to_string()),
            ),
        )),
    }
}
