//! The audit log's routes: the page with filters, and its CSV download. Both only read: no
//! route edits or deletes an audit event. The reads are in `crate::audit`, the page's HTML in
//! `web::views::workspace::audit`.

use crate::web::error::{ApiError, AppError, PageError};
use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Duration, NaiveDate};

use super::{GET, SignedIn, resource};
use crate::audit::{self, Entry, Selection};
use crate::auth::users::User;
use crate::date::parse_date;
use crate::db::{DbConnection, DbError};
use crate::registry::organisation;
use crate::web::views::workspace::audit::{
    FieldProblem, Filters, Org, PageData, PageResult, audit_page,
};
use crate::web::{AppState, blocking};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/workspace/audit", GET).route(web::get().to(page)))
        .service(resource("/workspace/audit.csv", GET).route(web::get().to(csv_export)));
}

/// The filters, checked: what the query uses, the organisation still to resolve.
#[derive(Debug, Clone, Default)]
struct Criteria {
    selection: Selection,
    /// The organisation's slug.
    organisation: Option<String>,
    page: i64,
}

fn check(f: &Filters) -> Result<Criteria, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut date = |field: &'static str, value: &str| -> Option<NaiveDate> {
        if value.is_empty() {
            return None;
        }
        match parse_date(value) {
            Ok(d) => Some(d),
            Err(e) => {
                problems.push(FieldProblem {
                    field,
                    message: crate::web::views::capitalised(&e.to_string()) + ".",
                });
                None
            }
        }
    };
    let from = date("from", &f.from);
    let to = date("to", &f.to);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        problems.push(FieldProblem {
            field: "to",
            message: format!("The end date {to} is before the start date {from}."),
        });
    }
    let page = if f.page.is_empty() {
        1
    } else {
        match f.page.parse::<i64>() {
            Ok(p) if (1..=10_000_000).contains(&p) => p,
            _ => {
                problems.push(FieldProblem {
                    field: "page",
                    message: format!("'{}' is not a page number (1, 2, 3...).", f.page),
                });
                1
            }
        }
    };
    if !problems.is_empty() {
        return Err(problems);
    }
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    Ok(Criteria {
        selection: Selection {
            actor_contains: some(&f.actor),
            entity: some(&f.entity),
            action: some(&f.action),
            organisation_id: None,
            within: None,
            from: from.map(|d| d.and_time(chrono::NaiveTime::MIN)),
            until: to
                .and_then(|d| d.checked_add_signed(Duration::days(1)))
                .map(|d| d.and_time(chrono::NaiveTime::MIN)),
            // Sign-ins drown the changes: shown when asked for, or when their action is chosen.
            without_sign_ins: f.sign_ins != "show"
                && !audit::SIGN_IN_ACTIONS.contains(&f.action.as_str()),
        },
        organisation: some(&f.organisation),
        page,
    })
}

/// The organisations the account sees by id, for the filter and the rows: a member's only, so
/// that another organisation is as unknown to the filter as one that does not exist.
fn organisations(conn: &mut DbConnection, user: &User) -> Result<HashMap<i32, Org>, DbError> {
    Ok(organisation::list(conn)?
        .into_iter()
        .filter(|o| user.sees(&o.slug))
        .map(|o| {
            let org = Org {
                slug: o.slug,
                name: o.name,
            };
            (o.id, org)
        })
        .collect())
}

/// The events a member may read: those of its organisations, none outside any (accounts,
/// sign-ins, API clients); `None` for an account that sees every organisation.
fn within(user: &User, orgs: &HashMap<i32, Org>) -> Option<Vec<i32>> {
    user.memberships
        .is_some()
        .then(|| orgs.keys().copied().collect())
}

/// What the organisation filter names, resolved: `Err` when no organisation has that slug.
fn resolve_org(orgs: &HashMap<i32, Org>, slug: Option<&str>) -> Result<Option<i32>, FieldProblem> {
    match slug {
        None => Ok(None),
        Some(slug) => orgs
            .iter()
            .find(|(_, o)| o.slug == slug)
            .map(|(id, _)| Some(*id))
            .ok_or_else(|| FieldProblem {
                field: "organisation",
                message: format!("There is no organisation '{slug}'."),
            }),
    }
}

fn gather(conn: &mut DbConnection, filters: &Filters, user: &User) -> Result<PageData, DbError> {
    let orgs = organisations(conn, user)?;
    let (entities, actions) = audit::entities_and_actions(conn)?;
    let mut data = PageData {
        orgs,
        entities,
        actions,
        result: None,
        problems: Vec::new(),
        named: HashMap::new(),
    };
    let mut criteria = match check(filters) {
        Ok(c) => c,
        Err(problems) => {
            data.problems = problems;
            return Ok(data);
        }
    };
    criteria.selection.organisation_id =
        match resolve_org(&data.orgs, criteria.organisation.as_deref()) {
            Ok(id) => id,
            Err(problem) => {
                data.problems.push(problem);
                return Ok(data);
            }
        };
    criteria.selection.within = within(user, &data.orgs);
    let total = audit::count(conn, &criteria.selection)?;
    let rows = audit::page(conn, &criteria.selection, criteria.page)?;
    let about: Vec<(String, i32)> = rows
        .iter()
        .filter_map(|e| Some((e.entity.clone(), e.entity_id?)))
        .collect();
    data.named = crate::registry::vendor::named(conn, &about)?;
    data.result = Some(PageResult {
        rows,
        total,
        page: criteria.page,
    });
    Ok(data)
}

/// `GET /workspace/audit`: any signed-in role.
pub async fn page(
    signed_in: SignedIn,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let filters = Filters::from_query(req.query_string());
    let wanted = filters.clone();
    let user = signed_in.0.user.clone();
    let data = blocking(&state, move |conn| gather(conn, &wanted, &user)).await?;
    let status = if data.problems.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::BAD_REQUEST
    };
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(
            audit_page(
                crate::web::views::workspace::bar(&signed_in.0, "/workspace/audit"),
                &filters,
                &data,
            )
            .into_string(),
        ))
}

/// The CSV's rows with the slugs of the organisations they name, or why the filters cannot be
/// applied.
type Export = Result<(Vec<Entry>, HashMap<i32, String>), Vec<FieldProblem>>;

/// Every event matching the filters, newest first (the CSV export).
fn all_matching(
    conn: &mut DbConnection,
    filters: &Filters,
    user: &User,
) -> Result<Export, DbError> {
    let mut criteria = match check(filters) {
        Ok(c) => c,
        Err(problems) => return Ok(Err(problems)),
    };
    let orgs = organisations(conn, user)?;
    criteria.selection.within = within(user, &orgs);
    criteria.selection.organisation_id = match resolve_org(&orgs, criteria.organisation.as_deref())
    {
        Ok(id) => id,
        Err(problem) => return Ok(Err(vec![problem])),
    };
    let rows = audit::all(conn, &criteria.selection)?;
    let slugs = orgs.into_iter().map(|(id, o)| (id, o.slug)).collect();
    Ok(Ok((rows, slugs)))
}

/// `GET /workspace/audit.csv`: the same filters as the page, every matching event.
pub async fn csv_export(
    signed_in: SignedIn,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    // A download's refusal is read by a program as often as by a person: problem+json.
    let filters = Filters::from_query(req.query_string());
    let user = signed_in.0.user.clone();
    let outcome = blocking(&state, move |conn| all_matching(conn, &filters, &user)).await?;
    let (rows, slugs) = outcome.map_err(|problems| {
        let first = &problems[0];
        AppError::BadParameter {
            name: first.field.to_string(),
            problem: first.message.clone(),
        }
    })?;
    let body = audit::csv(&rows, &slugs).map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8; header=present")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"audit.csv\"",
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_dates_and_reversed_ranges_are_named() {
        let f = Filters {
            from: "2024-13-01".into(),
            ..Default::default()
        };
        let problems = check(&f).unwrap_err();
        assert_eq!(problems[0].field, "from");
        let f = Filters {
            from: "2024-05-02".into(),
            to: "2024-05-01".into(),
            ..Default::default()
        };
        assert_eq!(check(&f).unwrap_err()[0].field, "to");
        let f = Filters {
            from: "2024-05-01".into(),
            to: "2024-05-01".into(),
            ..Default::default()
        };
        let c = check(&f).unwrap();
        assert_eq!(
            c.selection.until.unwrap() - c.selection.from.unwrap(),
            Duration::days(1)
        );
    }
}
