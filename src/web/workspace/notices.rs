//! Proof of notice: for one change, who was told when (the SMTP server accepted the message, the
//! webhook answered 2xx), as CSV (editors and admins).

use actix_web::{HttpResponse, web};

use super::{GET, resource};
use crate::registry::{organisation, outbox};
use crate::web::error::{AppError, PageError};
use crate::web::extract::Editor;
use crate::web::{AppState, blocking};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        resource("/workspace/{org}/changes/{id}/notice.csv", GET).route(web::get().to(proof_csv)),
    );
}

async fn proof_csv(
    _editor: Editor,
    state: web::Data<AppState>,
    path: web::Path<(String, i32)>,
) -> Result<HttpResponse, PageError> {
    let (slug, id) = path.into_inner();
    let s = slug.clone();
    let sent = blocking(&state, move |conn| {
        let Some(org) = organisation::find(conn, &s)? else {
            return Ok(None);
        };
        Ok(Some(outbox::proof(conn, org.id, id)?))
    })
    .await?
    .ok_or_else(|| AppError::NotFound {
        what: format!("organisation '{slug}'"),
    })?;
    let mut w = crate::text::csv_writer();
    let header = [
        "change",
        "channel",
        "recipient",
        "message",
        "queued_at",
        "delivered_at",
        "attempts",
        "given_up_at",
        "last_error",
    ];
    w.write_record(header).map_err(AppError::internal)?;
    let time = |t: Option<chrono::NaiveDateTime>| {
        t.map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default()
    };
    for s in sent {
        let cells = [
            id.to_string(),
            s.channel,
            s.recipient,
            s.kind,
            time(Some(s.queued_at)),
            time(s.delivered_at),
            s.attempts.to_string(),
            time(s.failed_at),
            s.last_error.unwrap_or_default(),
        ];
        w.write_record(cells.iter().map(|c| crate::text::csv_cell(c).into_owned()))
            .map_err(AppError::internal)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8; header=present")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{slug}-change-{id}-notice.csv\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(body))
}
