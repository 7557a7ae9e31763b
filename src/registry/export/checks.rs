//! Reading an export file and refusing it whole: a syntax or type error with its line, column,
//! table and field; then every check the database would make (primary keys, references to
//! parents, unique columns), naming the table, the row and the field.

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt;
use std::hash::Hash;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, SeqAccess, Visitor};

use super::{Export, FORMAT, MAX_ERRORS, Row, Tables, VERSION};

thread_local! {
    /// Where the parser is: the table, and the row's index once inside its list. Read when
    /// serde_json fails, to name the table and the row next to serde_json's line and column.
    static AT: Cell<Option<(&'static str, Option<usize>)>> = const { Cell::new(None) };
}

/// Deserialises one table's rows, keeping [`AT`] up to date.
pub(super) fn rows<'de, D: Deserializer<'de>, T: Row>(deserializer: D) -> Result<Vec<T>, D::Error> {
    struct RowsVisitor<T>(PhantomData<T>);

    impl<'de, T: Row> Visitor<'de> for RowsVisitor<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            write!(f, "a list of `{}` rows", T::TABLE)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut rows = Vec::new();
            loop {
                AT.set(Some((T::TABLE, Some(rows.len()))));
                match seq.next_element()? {
                    Some(row) => rows.push(row),
                    None => return Ok(rows),
                }
            }
        }
    }

    AT.set(Some((T::TABLE, None)));
    let rows = deserializer.deserialize_seq(RowsVisitor(PhantomData))?;
    AT.set(None);
    Ok(rows)
}

/// Only `format` and `version`: checked first when the file does not parse, since a file of
/// another format or version is best refused as such.
#[derive(Deserialize)]
struct Header {
    format: Option<serde_json::Value>,
    version: Option<serde_json::Value>,
}

fn check_header(
    format: Option<&serde_json::Value>,
    version: Option<&serde_json::Value>,
) -> Result<(), String> {
    match format {
        Some(serde_json::Value::String(f)) if f == FORMAT => {}
        Some(other) => {
            return Err(format!(
                "field `format`: {other} is not a crossborder export (expected \"{FORMAT}\")"
            ));
        }
        None => return Err(format!("missing field `format` (expected \"{FORMAT}\")")),
    }
    match version {
        Some(v) if v.as_u64().is_some_and(|v| v == 1 || v == VERSION as u64) => Ok(()),
        Some(other) => Err(format!(
            "field `version`: version {other} is not supported (this crossborder reads versions \
             1 and {VERSION})"
        )),
        None => Err(format!("missing field `version` (expected {VERSION})")),
    }
}

/// Reads an export file and checks it whole. Errors name what is wrong: serde_json's message
/// (the field, the line and the column) with the table and the row, or, for a file that parses,
/// every row that the database would refuse, with its table, id and field.
pub fn parse(bytes: &[u8]) -> Result<Export, String> {
    AT.set(None);
    let parsed = serde_json::from_slice::<Export>(bytes);
    let at = AT.take();
    let mut export = match parsed {
        Ok(export) => export,
        Err(error) => {
            // A file of another format or version: say so rather than what fails in it.
            if let Ok(header) = serde_json::from_slice::<Header>(bytes) {
                check_header(header.format.as_ref(), header.version.as_ref())?;
            }
            let message = error.to_string();
            let value = serde_json::from_slice::<serde_json::Value>(bytes).ok();
            return Err(format!(
                "{}{message}",
                context(value.as_ref(), at, &message)
            ));
        }
    };
    check_header(
        Some(&serde_json::Value::String(export.format.clone())),
        Some(&serde_json::Value::from(export.version)),
    )?;
    export.tables.sort();
    let mut errors = Vec::new();
    export.tables.check_keys(&mut errors);
    check_references(&export.tables, &mut errors);
    check_unique(&export.tables, &mut errors);
    export.tables.nul_characters(&mut errors);
    check_values(&export.tables, &mut errors);
    if errors.is_empty() {
        Ok(export)
    } else {
        Err(list(errors))
    }
}

/// ``table `vendors`, row 3 (id 7), field `active_from`: `` for the row the parser was in, when
/// serde_json's `message` does not name the field (a value out of range or of the wrong type).
fn context(
    file: Option<&serde_json::Value>,
    at: Option<(&'static str, Option<usize>)>,
    message: &str,
) -> String {
    match at {
        None => String::new(),
        Some((table, None)) => format!("table `{table}`: "),
        Some((table, Some(index))) => {
            let row = file.and_then(|v| v.get("tables")?.get(table)?.get(index));
            let mut out = format!("table `{table}`, row {}", index + 1);
            if let Some(id) = row.and_then(|r| r.get("id")?.as_i64()) {
                out.push_str(&format!(" (id {id})"));
            }
            let fields: Vec<String> = row
                .map(|r| Tables::bad_fields(table, r))
                .unwrap_or_default()
                .into_iter()
                .map(|f| format!("`{f}`"))
                .filter(|f| !message.contains(f.as_str()))
                .collect();
            if !fields.is_empty() {
                out.push_str(&format!(", field {}", fields.join(", ")));
            }
            out.push_str(": ");
            out
        }
    }
}

/// The fields of a row that fail on their own: each is tried alone, where the only acceptable
/// failure is the other fields missing.
pub(super) fn bad_fields<T: Row>(row: &serde_json::Value) -> Vec<String> {
    let Some(fields) = row.as_object() else {
        return Vec::new();
    };
    fields
        .iter()
        .filter(|(name, value)| {
            let alone = serde_json::Map::from_iter([((*name).clone(), (*value).clone())]);
            serde_json::from_value::<T>(serde_json::Value::Object(alone))
                .is_err_and(|e| !e.to_string().starts_with("missing field"))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

pub(super) fn list(mut errors: Vec<String>) -> String {
    let more = errors.len().saturating_sub(MAX_ERRORS);
    errors.truncate(MAX_ERRORS);
    if more > 0 {
        errors.push(format!("... and {more} more"));
    }
    if errors.len() == 1 {
        errors.remove(0)
    } else {
        format!("{} problems:\n  {}", errors.len(), errors.join("\n  "))
    }
}

pub(super) fn check_keys<T: Row>(rows: &[T], errors: &mut Vec<String>) {
    for pair in rows.windows(2) {
        if pair[0].key() == pair[1].key() {
            errors.push(format!(
                "table `{}`, {}: the primary key appears twice",
                T::TABLE,
                pair[1].describe()
            ));
        }
    }
    // SERIAL ids start at 1; PostgreSQL's sequence cannot be set below it.
    for row in rows {
        if row.id().is_some_and(|id| id < 1) {
            errors.push(format!(
                "table `{}`, {}, field `id`: ids start at 1",
                T::TABLE,
                row.describe()
            ));
        }
    }
}

fn ids<T: Row>(rows: &[T]) -> HashSet<i32> {
    rows.iter().filter_map(Row::id).collect()
}

/// Each row's `field` must name a row of `parent` (when not null).
fn references<T: Row>(
    rows: &[T],
    field: &str,
    parent: (&str, &HashSet<i32>),
    get: impl Fn(&T) -> Option<i32>,
    errors: &mut Vec<String>,
) {
    let (parent_table, parent_ids) = parent;
    for row in rows {
        if let Some(id) = get(row)
            && !parent_ids.contains(&id)
        {
            errors.push(format!(
                "table `{}`, {}, field `{field}`: there is no `{parent_table}` row with id {id}",
                T::TABLE,
                row.describe()
            ));
        }
    }
}

/// The REFERENCES of migrations/*.
fn check_references(t: &Tables, errors: &mut Vec<String>) {
    let organisations = ids(&t.organisations);
    let vendors = ids(&t.vendors);
    let certifications = ids(&t.vendor_certifications);
    let transfers = ids(&t.transfers);
    let users = ids(&t.users);
    let o = ("organisations", &organisations);
    let v = ("vendors", &vendors);
    let tr = ("transfers", &transfers);
    references(
        &t.vendors,
        "organisation_id",
        o,
        |r| Some(r.organisation_id),
        errors,
    );
    references(
        &t.vendor_categories,
        "vendor_id",
        v,
        |r| Some(r.vendor_id),
        errors,
    );
    references(
        &t.vendor_certifications,
        "vendor_id",
        v,
        |r| Some(r.vendor_id),
        errors,
    );
    references(&t.transfers, "vendor_id", v, |r| Some(r.vendor_id), errors);
    references(
        &t.transfer_mechanisms,
        "transfer_id",
        tr,
        |r| Some(r.transfer_id),
        errors,
    );
    references(
        &t.transfer_data_categories,
        "transfer_id",
        tr,
        |r| Some(r.transfer_id),
        errors,
    );
    references(&t.evidence, "vendor_id", v, |r| Some(r.vendor_id), errors);
    references(&t.evidence, "transfer_id", tr, |r| r.transfer_id, errors);
    let c = ("vendor_certifications", &certifications);
    references(
        &t.evidence,
        "certification_id",
        c,
        |r| r.certification_id,
        errors,
    );
    references(
        &t.changes,
        "organisation_id",
        o,
        |r| Some(r.organisation_id),
        errors,
    );
    references(&t.changes, "vendor_id", v, |r| r.vendor_id, errors);
    references(
        &t.versions,
        "organisation_id",
        o,
        |r| Some(r.organisation_id),
        errors,
    );
    let changes = ids(&t.changes);
    let events = ids(&t.outbox_events);
    let deliveries = ids(&t.deliveries);
    references(
        &t.subscribers,
        "organisation_id",
        o,
        |r| Some(r.organisation_id),
        errors,
    );
    references(
        &t.outbox_events,
        "organisation_id",
        o,
        |r| Some(r.organisation_id),
        errors,
    );
    references(
        &t.outbox_events,
        "change_id",
        ("changes", &changes),
        |r| r.change_id,
        errors,
    );
    references(
        &t.deliveries,
        "organisation_id",
        o,
        |r| Some(r.organisation_id),
        errors,
    );
    references(
        &t.deliveries,
        "event_id",
        ("outbox_events", &events),
        |r| r.event_id,
        errors,
    );
    references(
        &t.delivery_attempts,
        "delivery_id",
        ("deliveries", &deliveries),
        |r| Some(r.delivery_id),
        errors,
    );
    references(&t.versions, "vendor_id", v, |r| Some(r.vendor_id), errors);
    references(
        &t.audit_events,
        "organisation_id",
        o,
        |r| r.organisation_id,
        errors,
    );
    references(
        &t.intake_requests,
        "organisation_id",
        o,
        |r| Some(r.organisation_id),
        errors,
    );
    references(&t.intake_requests, "vendor_id", v, |r| r.vendor_id, errors);
    references(
        &t.sessions,
        "user_id",
        ("users", &users),
        |r| Some(r.user_id),
        errors,
    );
}

/// Each row's `field` must differ from every other row's.
fn unique<T: Row, K: Hash + Eq>(
    rows: &[T],
    field: &str,
    get: impl Fn(&T) -> K,
    errors: &mut Vec<String>,
) {
    let mut seen = HashSet::new();
    for row in rows {
        if !seen.insert(get(row)) {
            errors.push(format!(
                "table `{}`, {}, field `{field}`: the value appears in another row already",
                T::TABLE,
                row.describe()
            ));
        }
    }
}

/// The UNIQUE constraints of migrations/*.
fn check_unique(t: &Tables, errors: &mut Vec<String>) {
    unique(&t.organisations, "slug", |r| r.slug.clone(), errors);
    unique(
        &t.vendors,
        "key",
        |r| (r.organisation_id, r.key.clone()),
        errors,
    );
    unique(
        &t.transfers,
        "position",
        |r| (r.vendor_id, r.position),
        errors,
    );
    unique(&t.api_clients, "client_id", |r| r.client_id.clone(), errors);
    unique(&t.users, "email", |r| r.email.clone(), errors);
    unique(&t.sessions, "token_hash", |r| r.token_hash.clone(), errors);
}

/// Text holding a control character (a NUL, which PostgreSQL cannot store, an escape, a bell):
/// refused on both backends, as the API and the forms refuse it.
pub(super) fn nul_characters<T: Row>(rows: &[T], errors: &mut Vec<String>) {
    for row in rows {
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(row) {
            for (field, value) in fields {
                if let Some(Err(e)) = value
                    .as_str()
                    .map(|s| crate::values::check_lines(&field, s))
                {
                    errors.push(format!(
                        "table `{}`, {}, field `{field}`: {}",
                        T::TABLE,
                        row.describe(),
                        e.message
                    ));
                }
            }
        }
    }
}

/// Every value checked with the rules of the API and the seeds: countries, roles, statuses,
/// categories, mechanisms and frameworks of the rules data, keys, slugs, web addresses. A value
/// no page can show is refused with its table, row and field, never imported.
pub(super) fn check_values(t: &Tables, errors: &mut Vec<String>) {
    use crate::registry::{DataCategory, Role, VendorCategory, VendorStatus};
    use crate::rules::{CountryCode, RuleSet};
    use crate::values::{Slug, VendorKey, WebUrl, word};
    let rules = RuleSet::embedded();
    let mut check = |table: &str, row: String, field: &str, result: Result<(), String>| {
        if let Err(message) = result {
            errors.push(format!(
                "table `{table}`, {row}, field `{field}`: {message}"
            ));
        }
    };
    let country = |c: &str| CountryCode::parse(c).map(|_| ()).map_err(|e| e.to_string());
    let url = |u: &Option<String>| {
        u.as_deref()
            .map_or(Ok(()), |u| WebUrl::parse(u).map(|_| ()))
    };
    for r in &t.organisations {
        check(
            "organisations",
            r.describe(),
            "slug",
            Slug::parse(&r.slug).map(|_| ()),
        );
        check(
            "organisations",
            r.describe(),
            "country",
            country(&r.country),
        );
        check("organisations", r.describe(), "website", url(&r.website));
        check(
            "organisations",
            r.describe(),
            "policy_url",
            url(&r.policy_url),
        );
    }
    for r in &t.vendors {
        let at = r.describe();
        check(
            "vendors",
            at.clone(),
            "key",
            VendorKey::parse(&r.key).map(|_| ()),
        );
        check(
            "vendors",
            at.clone(),
            "role",
            word::<Role>(&r.role).map(|_| ()),
        );
        check(
            "vendors",
            at.clone(),
            "status",
            word::<VendorStatus>(&r.status).map(|_| ()),
        );
        check("vendors", at.clone(), "website", url(&r.website));
        check("vendors", at.clone(), "dpa_url", url(&r.dpa_url));
        let hq = r.headquarters.as_deref().map_or(Ok(()), country);
        check("vendors", at, "headquarters", hq);
    }
    for r in &t.vendor_categories {
        let ok = word::<VendorCategory>(&r.category).map(|_| ());
        check("vendor_categories", r.describe(), "category", ok);
    }
    for r in &t.vendor_certifications {
        let ok = rules
            .framework_id(&r.framework)
            .map(|_| ())
            .map_err(|e| e.to_string());
        check("vendor_certifications", r.describe(), "framework", ok);
    }
    for r in &t.transfers {
        let ok = r.country.as_deref().map_or(Ok(()), country);
        check("transfers", r.describe(), "country", ok);
    }
    for r in &t.transfer_mechanisms {
        let ok = rules
            .mechanism_id(&r.mechanism)
            .map(|_| ())
            .map_err(|e| e.to_string());
        check("transfer_mechanisms", r.describe(), "mechanism", ok);
    }
    for r in &t.transfer_data_categories {
        let ok = word::<DataCategory>(&r.category).map(|_| ());
        check("transfer_data_categories", r.describe(), "category", ok);
    }
    for r in &t.evidence {
        check("evidence", r.describe(), "url", url(&r.url));
    }
}
