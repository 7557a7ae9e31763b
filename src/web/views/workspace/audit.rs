//! The workspace's audit log page: the filter form, the events table with each event's fields
//! before and after, and the pages. The handlers that fill it are in `web::workspace::audit`.

use std::collections::{BTreeSet, HashMap};

use maud::{Markup, html};
use serde_json::Value;

use super::dashboard::named_link;
use crate::audit::{Entry, PAGE_SIZE, iso_time};
use crate::registry::vendor::Named;
use crate::web::views::layout;
use crate::web::views::table::Table;

/// The filters as typed (to fill the form again and to build links).
#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub actor: String,
    pub entity: String,
    pub action: String,
    pub organisation: String,
    pub from: String,
    pub to: String,
    pub page: String,
    /// `show` to list the sign-ins too (left out by default).
    pub sign_ins: String,
}

impl Filters {
    /// The form's fields from a query string, trimmed; other keys are ignored.
    pub fn from_query(query: &str) -> Self {
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
                "sign_ins" => f.sign_ins = value,
                _ => {}
            }
        }
        f
    }

    /// The query string of these filters (without the page), for links.
    pub fn query(&self) -> String {
        let pairs: Vec<(&str, &str)> = [
            ("actor", &self.actor),
            ("entity", &self.entity),
            ("action", &self.action),
            ("organisation", &self.organisation),
            ("from", &self.from),
            ("to", &self.to),
            ("sign_ins", &self.sign_ins),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.as_str()))
        .collect();
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    }

    /// Whether any filter (not counting the page, nor showing the sign-ins) is set.
    pub fn narrows(&self) -> bool {
        [
            &self.actor,
            &self.entity,
            &self.action,
            &self.organisation,
            &self.from,
            &self.to,
        ]
        .iter()
        .any(|v| !v.is_empty())
    }
}

/// An invalid filter: the form field and what is wrong with it.
#[derive(Debug, Clone)]
pub struct FieldProblem {
    pub field: &'static str,
    pub message: String,
}

/// An organisation, for the filter and the rows.
#[derive(Debug, Clone)]
pub struct Org {
    pub slug: String,
    pub name: String,
}

/// Everything the page shows.
pub struct PageData {
    pub orgs: HashMap<i32, Org>,
    pub entities: Vec<String>,
    pub actions: Vec<String>,
    /// `None` when the filters are invalid.
    pub result: Option<PageResult>,
    pub problems: Vec<FieldProblem>,
    /// The vendors the events shown are about.
    pub named: HashMap<(String, i32), Named>,
}

/// One page of the events the filters select.
pub struct PageResult {
    pub rows: Vec<Entry>,
    pub total: i64,
    pub page: i64,
}

/// The page, under the workspace's bar (`bar`).
pub fn audit_page(bar: Markup, filters: &Filters, data: &PageData) -> Markup {
    layout(
        "Audit log",
        html! {},
        html! {
            (bar)
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
                    (events_table(result, filters, data))
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
            div.field.check {
                input #f-sign-ins type="checkbox" name="sign_ins" value="show" checked[filters.sign_ins == "show"];
                label for="f-sign-ins" { "Show sign-ins too (left out by default)" }
            }
            div.actions {
                button type="submit" { "Apply filters" }
                a href="/workspace/audit" { "Reset" }
            }
        }
    }
}

fn events_table(result: &PageResult, filters: &Filters, data: &PageData) -> Markup {
    let first = (result.page - 1) * PAGE_SIZE + 1;
    let last = first + result.rows.len() as i64 - 1;
    let caption = html! {
        @if result.rows.is_empty() {
            "Audit events, newest first: none"
            @if filters.narrows() { " match these filters" }
            @if result.page > 1 { " on this page" }
        } @else {
            "Audit events " (first) "–" (last) " of " (result.total) ", newest first"
            @if filters.narrows() { " (filtered)" }
        }
    };
    let columns = [
        "Time (UTC)",
        "Actor",
        "Action",
        "Record",
        "Organisation",
        "Before and after",
    ];
    Table::new("vendors audit", caption, &columns).render(html! {
        @if result.rows.is_empty() {
            tr { td colspan="6" { "No audit event to show." } }
        }
        @for row in &result.rows { (event_row(row, data)) }
    })
}

fn event_row(row: &Entry, data: &PageData) -> Markup {
    let orgs = &data.orgs;
    let named = row
        .entity_id
        .and_then(|id| data.named.get(&(row.entity.clone(), id)));
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
                @if let Some(n) = named { ": " (named_link(n)) }
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

/// Events as a list: when, who, what, and the fields each changed.
pub fn changes_list(rows: &[Entry]) -> Markup {
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

fn change_details(row: &Entry) -> Markup {
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
                        div.doc { p.doc-title { strong { "Before" } } (pretty(&before)) }
                    }
                    @if !matches!(after, Doc::Absent) {
                        div.doc { p.doc-title { strong { "After" } } (pretty(&after)) }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_fields_lists_differences_only() {
        let b: Value = serde_json::json!({"name": "A", "purpose": "x", "gone": 1});
        let a: Value = serde_json::json!({"name": "B", "purpose": "x", "new": true});
        let names: Vec<&str> = changed_fields(&b, &a).iter().map(|c| c.0).collect();
        assert_eq!(names, ["gone", "name", "new"]);
    }
}
