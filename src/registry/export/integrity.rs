//! Every check the database would make on an export's tables before anything is written:
//! primary keys, references to parents, unique columns, values and control characters, each
//! refusal naming the table, the row and the field.

use std::collections::HashSet;
use std::hash::Hash;

use super::{Row, Tables};

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
pub(super) fn check_references(t: &Tables, errors: &mut Vec<String>) {
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
pub(super) fn check_unique(t: &Tables, errors: &mut Vec<String>) {
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
