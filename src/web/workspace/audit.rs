//! The audit log: its page with filters, and its CSV export. Both only read: no route edits or
//! deletes an audit event.

use std::collections::{BTreeSet, HashMap};

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use maud::{Markup, html};
use serde_json::Value;

use super::SignedIn;
use crate::date::parse_date;
use crate::db::schema::{audit_events, organisations};
use crate::db::{DbConnection, DbError};
use crate::web::AppState;
use crate::web::error::{AppError, Audience};
use crate::web::views::layout;

/// Events per page.
pub const PAGE_SIZE: i64 = 100;

type Db = <DbConnection as diesel::Connection>::Backend;

diesel::define_sql_function!(fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text);

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/workspace/audit", web::get().to(page))
        .route("/workspace/audit.csv", web::get().to(csv_export));
}

/// The filters as typed (to fill the form again and to build links).
#[derive(Debug, Clone, Default)]
struct Filters {
    actor: String,
    entity: String,
    action: String,
    organisation: String,
    from: String,
    to: String,
    page: String,
}

impl Filters {
    fn from_query(query: &str) -> Self {
        let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default();
        let mut f = Filters::default();
        for (key, value) in pairs {
            let value = value.trim().to_string();
            match key.as_str() {
                "actor" => f.actor = value,
                "entity" => f.entity = value,
                "action" => f.action = value,
                "organisation" => f.organisation = value,
                "from" => f.from = value,
                "to" => f.to = value,
                "page" => f.page = value,
                _ => {}
            }
        }
        f
    }

    /// The query string of these filters (without the page), for links.
    fn query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("actor", &self.actor),
            ("entity", &self.entity),
            ("action", &self.action),
            ("organisation", &self.organisation),
            ("from", &self.from),
            ("to", &self.to),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.as_str()))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    fn narrows(&self) -> bool {
        !self.query().is_empty()
    }
}

/// The filters, checked: what the query uses.
#[derive(Debug, Clone, Default)]
struct Criteria {
    actor: Option<String>,
    entity: Option<String>,
    action: Option<String>,
    organisation: Option<String>,
    from: Option<NaiveDateTime>,
    /// Exclusive: the start of the day after `to`.
    until: Option<NaiveDateTime>,
    page: i64,
}

/// An invalid filter: the form field and what is wrong with it.
#[derive(Debug, Clone)]
struct FieldProblem {
    field: &'static str,
    message: String,
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
        actor: some(&f.actor),
        entity: some(&f.entity),
        action: some(&f.action),
        organisation: some(&f.organisation),
        from: from.map(|d| d.and_time(chrono::NaiveTime::MIN)),
        until: to
            .and_then(|d| d.checked_add_signed(Duration::days(1)))
            .map(|d| d.and_time(chrono::NaiveTime::MIN)),
        page,
    })
}

/// `%` and `_` are literal in a "contains" filter.
fn like_pattern(needle: &str) -> String {
    let mut p = String::from("%");
    for c in needle.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The events matching the criteria; `org_id` is the organisation filter, resolved.
fn filtered<'a>(c: &'a Criteria, org_id: Option<i32>) -> audit_events::BoxedQuery<'a, Db> {
    let mut q = audit_events::table.into_boxed();
    if let Some(actor) = &c.actor {
        q = q.filter(
            lower(audit_events::actor)
                .like(like_pattern(actor))
                .escape('\\'),
        );
    }
    if let Some(entity) = &c.entity {
        q = q.filter(audit_events::entity.eq(entity));
    }
    if let Some(action) = &c.action {
        q = q.filter(audit_events::action.eq(action));
    }
    if let Some(id) = org_id {
        q = q.filter(audit_events::organisation_id.eq(id));
    }
    if let Some(from) = c.from {
        q = q.filter(audit_events::occurred_at.ge(from));
    }
    if let Some(until) = c.until {
        q = q.filter(audit_events::occurred_at.lt(until));
    }
    q
}

/// One audit event, as stored.
#[derive(Debug, Clone, Queryable)]
pub struct AuditRow {
    pub id: i32,
    pub occurred_at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i32>,
    pub organisation_id: Option<i32>,
    pub before: Option<String>,
    pub after: Option<String>,
}

type Columns = (
    audit_events::id,
    audit_events::occurred_at,
    audit_events::actor,
    audit_events::action,
    audit_events::entity,
    audit_events::entity_id,
    audit_events::organisation_id,
    audit_events::before,
    audit_events::after,
);

const COLUMNS: Columns = (
    audit_events::id,
    audit_events::occurred_at,
    audit_events::actor,
    audit_events::action,
    audit_events::entity,
    audit_events::entity_id,
    audit_events::organisation_id,
    audit_events::before,
    audit_events::after,
);

/// The newest `n` events about one record, newest first: what others saved since a form was
/// opened (each save of a record is one event).
pub(super) fn recent_changes(
    conn: &mut DbConnection,
    entity: &'static str,
    id: i32,
    n: i64,
) -> Result<Vec<AuditRow>, DbError> {
    Ok(audit_events::table
        .filter(audit_events::entity.eq(entity))
        .filter(audit_events::entity_id.eq(id))
        .order(audit_events::id.desc())
        .limit(n)
        .select(COLUMNS)
        .load(conn)?)
}

/// Events as a list: when, who, what, and the fields each changed.
pub(super) fn changes_list(rows: &[AuditRow]) -> Markup {
    html! {
        ul.changes-since {
            @for row in rows {
                li {
                    time datetime=(iso_time(row.occurred_at)) { (row.occurred_at.format("%Y-%m-%d %H:%M")) " UTC" }
                    " — " (row.actor) " (" (row.action) ") "
                    (change_details(row))
                }
            }
        }
    }
}

/// An organisation, for the filter and the rows.
#[derive(Debug, Clone)]
struct Org {
    slug: String,
    name: String,
}

fn organisations(conn: &mut DbConnection) -> Result<HashMap<i32, Org>, DbError> {
    Ok(organisations::table
        .select((organisations::id, organisations::slug, organisations::name))
        .load::<(i32, String, String)>(conn)?
        .into_iter()
        .map(|(id, slug, name)| (id, Org { slug, name }))
        .collect())
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

/// Everything the page shows.
struct PageData {
    orgs: HashMap<i32, Org>,
    entities: Vec<String>,
    actions: Vec<String>,
    /// `None` when the filters are invalid.
    result: Option<PageResult>,
    problems: Vec<FieldProblem>,
}

struct PageResult {
    rows: Vec<AuditRow>,
    total: i64,
    page: i64,
}

fn gather(conn: &mut DbConnection, filters: &Filters) -> Result<PageData, DbError> {
    let orgs = organisations(conn)?;
    let entities = audit_events::table
        .select(audit_events::entity)
        .distinct()
        .order(audit_events::entity)
        .load::<String>(conn)?;
    let actions = audit_events::table
        .select(audit_events::action)
        .distinct()
        .order(audit_events::action)
        .load::<String>(conn)?;
    let mut data = PageData {
        orgs,
        entities,
        actions,
        result: None,
        problems: Vec::new(),
    };
    let criteria = match check(filters) {
        Ok(c) => c,
        Err(problems) => {
            data.problems = problems;
            return Ok(data);
        }
    };
    let org_id = match resolve_org(&data.orgs, criteria.organisation.as_deref()) {
        Ok(id) => id,
        Err(problem) => {
            data.problems.push(problem);
            return Ok(data);
        }
    };
    let total: i64 = filtered(&criteria, org_id)
        .select(diesel::dsl::count_star())
        .first(conn)?;
    let rows = filtered(&criteria, org_id)
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .limit(PAGE_SIZE)
        .offset((criteria.page - 1) * PAGE_SIZE)
        .select(COLUMNS)
        .load::<AuditRow>(conn)?;
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
) -> Result<HttpResponse, AppError> {
    let filters = Filters::from_query(req.query_string());
    let db = state.db.clone();
    let wanted = filters.clone();
    let data = web::block(move || {
        let mut conn = db.get()?;
        gather(&mut conn, &wanted)
    })
    .await
    .map_err(|e| AppError::internal(e.to_string(), Audience::Html))?
    .map_err(|e| AppError::db(e, Audience::Html))?;
    let status = if data.problems.is_empty() {
        actix_web::http::StatusCode::OK
    } else {
        actix_web::http::StatusCode::BAD_REQUEST
    };
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(audit_page(&signed_in, &filters, &data).into_string()))
}

fn audit_page(signed_in: &SignedIn, filters: &Filters, data: &PageData) -> Markup {
    layout(
        "Audit log",
        html! {},
        html! {
            (super::workspace_bar(signed_in, "/workspace/audit"))
            h1 { "Audit log" }
            p { "Every change to the registry, the intake requests and the accounts, with who made it and the record before and after. The log is append-only: nothing here can be edited or deleted." }
            @if !data.problems.is_empty() {
                div.form-error role="alert" #filter-problems {
                    p { "The log cannot be shown with these filters:" }
                    ul {
                        @for problem in &data.problems {
                            li {
                                @if problem.field == "page" { (problem.message) }
                                @else { a href={ "#f-" (problem.field) } { (problem.message) } }
                            }
                        }
                    }
                }
            }
            (filter_form(filters, data))
            @match &data.result {
                None => p { "Correct the filters above to see the log." },
                Some(result) => {
                    nav.formats aria-label="The log in other formats" {
                        a href={ "/workspace/audit.csv" (suffix(&filters.query())) } download="audit.csv" { "Download CSV" }
                        " (every event matching these filters, not only this page)"
                    }
                    (events_table(result, filters, &data.orgs))
                    (pagination(result, filters))
                }
            }
        },
    )
}

fn suffix(query: &str) -> String {
    if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    }
}

fn field_problem<'a>(data: &'a PageData, field: &str) -> Option<&'a FieldProblem> {
    data.problems.iter().find(|p| p.field == field)
}

/// A select of known values, keeping a value typed in the URL that the log does not hold.
fn select_field(
    id: &str,
    name: &str,
    label: &str,
    all: &str,
    options: &[(String, String)],
    current: &str,
) -> Markup {
    let known = options.iter().any(|(value, _)| value == current);
    html! {
        div.field {
            label for=(id) { (label) }
            select id=(id) name=(name) {
                option value="" { (all) }
                @if !current.is_empty() && !known { option value=(current) selected { (current) } }
                @for (value, text) in options {
                    option value=(value) selected[value == current] { (text) }
                }
            }
        }
    }
}

/// A field with its error, if any, next to it and tied to it.
fn field_error(data: &PageData, field: &str) -> Markup {
    html! {
        @if let Some(problem) = field_problem(data, field) {
            span.field-error id={ "f-" (field) "-error" } { (problem.message) }
        }
    }
}

fn date_field(data: &PageData, field: &str, label: &str, value: &str) -> Markup {
    let problem = field_problem(data, field).is_some();
    let id = format!("f-{field}");
    html! {
        div.field {
            label for=(id) { (label) }
            input id=(id) type="date" name=(field) value=(value) min="1995-01-01"
                aria-invalid=[problem.then_some("true")]
                aria-describedby=[problem.then(|| format!("f-{field}-error"))];
            (field_error(data, field))
        }
    }
}

fn filter_form(filters: &Filters, data: &PageData) -> Markup {
    let entities: Vec<(String, String)> = data
        .entities
        .iter()
        .map(|e| (e.clone(), e.replace('_', " ")))
        .collect();
    let actions: Vec<(String, String)> = data
        .actions
        .iter()
        .map(|a| (a.clone(), a.replace('_', " ")))
        .collect();
    let mut orgs: Vec<(String, String)> = data
        .orgs
        .values()
        .map(|o| (o.slug.clone(), o.name.clone()))
        .collect();
    orgs.sort_by(|a, b| a.1.cmp(&b.1));
    let org_problem = field_problem(data, "organisation").is_some();
    html! {
        form.filters method="get" action="/workspace/audit" aria-label="Filter the audit log" {
            div.field {
                label for="f-actor" { "Actor contains" }
                input #f-actor type="search" name="actor" value=(filters.actor) autocomplete="off";
            }
            (select_field("f-entity", "entity", "Record type", "All record types", &entities, &filters.entity))
            (select_field("f-action", "action", "Action", "All actions", &actions, &filters.action))
            div.field {
                label for="f-organisation" { "Organisation" }
                select #f-organisation name="organisation"
                    aria-invalid=[org_problem.then_some("true")]
                    aria-describedby=[org_problem.then_some("f-organisation-error")] {
                    option value="" { "All organisations" }
                    @if org_problem { option value=(filters.organisation) selected { (filters.organisation) } }
                    @for (slug, name) in &orgs {
                        option value=(slug) selected[*slug == filters.organisation] { (name) }
                    }
                }
                (field_error(data, "organisation"))
            }
            (date_field(data, "from", "From (YYYY-MM-DD, UTC)", &filters.from))
            (date_field(data, "to", "To (YYYY-MM-DD, UTC, included)", &filters.to))
            div.actions {
                button type="submit" { "Apply filters" }
                a href="/workspace/audit" { "Reset" }
            }
        }
    }
}

fn events_table(result: &PageResult, filters: &Filters, orgs: &HashMap<i32, Org>) -> Markup {
    let first = (result.page - 1) * PAGE_SIZE + 1;
    let last = first + result.rows.len() as i64 - 1;
    html! {
        table.vendors.audit {
            caption {
                @if result.rows.is_empty() {
                    "Audit events, newest first: none"
                    @if filters.narrows() { " match these filters" }
                    @if result.page > 1 { " on this page" }
                } @else {
                    "Audit events " (first) "–" (last) " of " (result.total) ", newest first"
                    @if filters.narrows() { " (filtered)" }
                }
            }
            thead {
                tr {
                    th scope="col" { "Time (UTC)" }
                    th scope="col" { "Actor" }
                    th scope="col" { "Action" }
                    th scope="col" { "Record" }
                    th scope="col" { "Organisation" }
                    th scope="col" { "Before and after" }
                }
            }
            tbody {
                @if result.rows.is_empty() {
                    tr { td colspan="6" { "No audit event to show." } }
                }
                @for row in &result.rows { (event_row(row, orgs)) }
            }
        }
    }
}

fn event_row(row: &AuditRow, orgs: &HashMap<i32, Org>) -> Markup {
    html! {
        tr id={ "event-" (row.id) } {
            th scope="row" data-label="Time (UTC)" {
                time datetime=(iso_time(row.occurred_at)) { (row.occurred_at.format("%Y-%m-%d %H:%M:%S")) }
            }
            td data-label="Actor" { (row.actor) }
            td data-label="Action" { (row.action.replace('_', " ")) }
            td data-label="Record" {
                (row.entity.replace('_', " "))
                @if let Some(id) = row.entity_id { " #" (id) }
            }
            td data-label="Organisation" {
                @match row.organisation_id.and_then(|id| orgs.get(&id)) {
                    Some(org) => { (org.name) " " span.code { "(" (org.slug) ")" } },
                    None => @match row.organisation_id {
                        Some(id) => { "#" (id) },
                        None => span.code { "None" },
                    },
                }
            }
            td data-label="Before and after" { (change_details(row)) }
        }
    }
}

/// `2026-11-23T10:00:00Z`: the stored time is UTC.
pub fn iso_time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string()
}

/// A JSON document, parsed when it can be.
enum Doc<'a> {
    Absent,
    Json(Value),
    Raw(&'a str),
}

fn doc(text: Option<&str>) -> Doc<'_> {
    match text {
        None => Doc::Absent,
        Some(t) => serde_json::from_str(t)
            .map(Doc::Json)
            .unwrap_or(Doc::Raw(t)),
    }
}

/// The top-level fields whose values differ between two objects, in order.
fn changed_fields<'a>(
    before: &'a Value,
    after: &'a Value,
) -> Vec<(&'a str, Option<&'a Value>, Option<&'a Value>)> {
    match (before.as_object(), after.as_object()) {
        (Some(b), Some(a)) => {
            let keys: BTreeSet<&str> = b.keys().chain(a.keys()).map(String::as_str).collect();
            keys.into_iter()
                .filter(|k| b.get(*k) != a.get(*k))
                .map(|k| (k, b.get(k), a.get(k)))
                .collect()
        }
        _ => Vec::new(),
    }
}

fn value_text(v: Option<&Value>) -> Markup {
    html! {
        @match v {
            None => span.code { "(absent)" },
            Some(Value::Null) => span.code { "(none)" },
            Some(Value::String(s)) => (s),
            Some(other) => code { (other.to_string()) },
        }
    }
}

fn pretty(d: &Doc) -> Markup {
    html! {
        @match d {
            Doc::Absent => p { "No record." },
            Doc::Json(v) => pre tabindex="0" { code { (serde_json::to_string_pretty(v).unwrap_or_default()) } },
            Doc::Raw(t) => pre tabindex="0" { code { (t) } },
        }
    }
}

fn change_details(row: &AuditRow) -> Markup {
    let before = doc(row.before.as_deref());
    let after = doc(row.after.as_deref());
    let changes = match (&before, &after) {
        (Doc::Json(b), Doc::Json(a)) => changed_fields(b, a),
        _ => Vec::new(),
    };
    let summary = match (&before, &after) {
        (Doc::Absent, Doc::Absent) => None,
        (Doc::Absent, _) => Some("New record".to_string()),
        (_, Doc::Absent) => Some("Record before (no record after)".to_string()),
        (Doc::Json(_), Doc::Json(_)) if changes.is_empty() => Some("No field changed".to_string()),
        (Doc::Json(_), Doc::Json(_)) => Some(format!(
            "{} field{} changed: {}",
            changes.len(),
            if changes.len() == 1 { "" } else { "s" },
            changes.iter().map(|c| c.0).collect::<Vec<_>>().join(", ")
        )),
        _ => Some("Record before and after".to_string()),
    };
    html! {
        @match summary {
            None => "No record attached",
            Some(summary) => details.audit-change {
                summary { (summary) }
                @if !changes.is_empty() {
                    table.changed-fields {
                        caption.visually-hidden { "Changed fields of " (row.entity) " #" (row.entity_id.unwrap_or_default()) }
                        thead { tr { th scope="col" { "Field" } th scope="col" { "Before" } th scope="col" { "After" } } }
                        tbody {
                            @for (field, b, a) in &changes {
                                tr { th scope="row" { (field) } td { (value_text(*b)) } td { (value_text(*a)) } }
                            }
                        }
                    }
                }
                div.audit-docs {
                    @if !matches!(before, Doc::Absent) {
                        section { p.doc-title { strong { "Before" } } (pretty(&before)) }
                    }
                    @if !matches!(after, Doc::Absent) {
                        section { p.doc-title { strong { "After" } } (pretty(&after)) }
                    }
                }
            },
        }
    }
}

fn pagination(result: &PageResult, filters: &Filters) -> Markup {
    let pages = ((result.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    let query = filters.query();
    let link = |page: i64| {
        let mut q = query.clone();
        if page > 1 {
            if !q.is_empty() {
                q.push('&');
            }
            q.push_str(&format!("page={page}"));
        }
        format!("/workspace/audit{}", suffix(&q))
    };
    html! {
        nav.pagination aria-label="Pages of the audit log" {
            @if result.page > 1 {
                a href=(link((result.page - 1).min(pages))) rel="prev" { "← Newer events" }
            }
            span { "Page " (result.page) " of " (pages) }
            @if result.page < pages {
                a href=(link(result.page + 1)) rel="next" { "Older events →" }
            }
        }
    }
}

/// The CSV's rows with the organisations they name, or why the filters cannot be applied.
type Export = Result<(Vec<AuditRow>, HashMap<i32, Org>), Vec<FieldProblem>>;

/// Every event matching the criteria, newest first (the CSV export).
fn all_matching(conn: &mut DbConnection, filters: &Filters) -> Result<Export, DbError> {
    let criteria = match check(filters) {
        Ok(c) => c,
        Err(problems) => return Ok(Err(problems)),
    };
    let orgs = organisations(conn)?;
    let org_id = match resolve_org(&orgs, criteria.organisation.as_deref()) {
        Ok(id) => id,
        Err(problem) => return Ok(Err(vec![problem])),
    };
    let rows = filtered(&criteria, org_id)
        .order((audit_events::occurred_at.desc(), audit_events::id.desc()))
        .select(COLUMNS)
        .load::<AuditRow>(conn)?;
    Ok(Ok((rows, orgs)))
}

/// The CSV columns.
pub const CSV_HEADER: [&str; 8] = [
    "occurred_at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "organisation",
    "before",
    "after",
];

fn csv_bytes(rows: &[AuditRow], orgs: &HashMap<i32, Org>) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_HEADER)?;
    for row in rows {
        let organisation = row
            .organisation_id
            .map(|id| {
                orgs.get(&id)
                    .map(|o| o.slug.clone())
                    .unwrap_or_else(|| id.to_string())
            })
            .unwrap_or_default();
        w.write_record([
            iso_time(row.occurred_at).as_str(),
            &row.actor,
            &row.action,
            &row.entity,
            &row.entity_id.map(|id| id.to_string()).unwrap_or_default(),
            &organisation,
            row.before.as_deref().unwrap_or(""),
            row.after.as_deref().unwrap_or(""),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

/// `GET /workspace/audit.csv`: the same filters as the page, every matching event.
pub async fn csv_export(
    _signed_in: SignedIn,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let filters = Filters::from_query(req.query_string());
    let db = state.db.clone();
    let outcome = web::block(move || {
        let mut conn = db.get()?;
        all_matching(&mut conn, &filters)
    })
    .await
    .map_err(|e| AppError::internal(e.to_string(), Audience::Json))?
    .map_err(|e| AppError::db(e, Audience::Json))?;
    let (rows, orgs) = outcome.map_err(|problems| {
        let first = &problems[0];
        AppError::BadParameter {
            name: first.field.to_string(),
            problem: first.message.clone(),
            audience: Audience::Json,
        }
    })?;
    let body = csv_bytes(&rows, &orgs).map_err(|e| AppError::internal(e, Audience::Json))?;
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
    fn contains_filters_escape_like_wildcards() {
        assert_eq!(like_pattern("User:A_b%"), "%user:a\\_b\\%%");
    }

    #[test]
    fn changed_fields_lists_differences_only() {
        let b: Value = serde_json::json!({"name": "A", "purpose": "x", "gone": 1});
        let a: Value = serde_json::json!({"name": "B", "purpose": "x", "new": true});
        let names: Vec<&str> = changed_fields(&b, &a).iter().map(|c| c.0).collect();
        assert_eq!(names, ["gone", "name", "new"]);
    }

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
        assert_eq!(c.until.unwrap() - c.from.unwrap(), Duration::days(1));
    }
}
