//! Creating and editing organisations (the workspace's admin pages, the API, `crossborder org`),
//! and retiring the example organisations as a whole. The input is checked field by field (every
//! invalid field named at once); an edit is refused when the version edited is not current;
//! every write is one transaction, audited with the organisation before and after.
//!
//! What the history keeps: an organisation's own facts (name, contact, notice period) are not
//! versioned like a vendor's public facts; the audit trail holds each version before and after,
//! and the version number orders them. The notice period applies to changes announced after the
//! edit: what was announced before keeps the date it was announced with.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::{Organisation, find};
use crate::audit::{AuditEvent, audit};
use crate::date::{now, today};
use crate::db::schema::organisations;
use crate::db::{DbConnection, DbError};
use crate::registry::edit::json;
use crate::registry::settings;
use crate::rules::CountryCode;
use crate::values::{FieldError, Slug, WebUrl, check_text};

/// The longest name, legal name or policy title kept.
pub const NAME_MAX: usize = 200;

/// The audit actor of the example organisations loaded into an empty database.
pub const EXAMPLES_ACTOR: &str = "seed";

/// Slugs that would hide a site address (`/workspace`, `/api`...) or a workspace page.
const RESERVED: [&str; 10] = [
    "api",
    "calendar",
    "workspace",
    "static",
    "problems",
    "oauth",
    "healthz",
    "readyz",
    "new",
    "examples",
];

/// An organisation as typed (a form, a JSON body, the command line): every field as text, empty
/// for none. `slug` is read only when creating.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganisationInput {
    pub slug: String,
    pub name: String,
    pub legal_name: String,
    pub country: String,
    pub website: String,
    pub privacy_contact: String,
    pub policy_title: String,
    pub policy_url: String,
    pub policy_date: String,
    pub announce_days: String,
}

impl OrganisationInput {
    /// The input that keeps `o` as it is.
    pub fn of(o: &Organisation) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        OrganisationInput {
            slug: o.slug.clone(),
            name: o.name.clone(),
            legal_name: o.legal_name.clone(),
            country: o.country.as_str().to_string(),
            website: text(&o.website),
            privacy_contact: text(&o.privacy_contact),
            policy_title: text(&o.policy_title),
            policy_url: text(&o.policy_url),
            policy_date: o.policy_date.map(|d| d.to_string()).unwrap_or_default(),
            announce_days: o.announce_days.to_string(),
        }
    }
}

/// An organisation's fields, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOrganisation {
    pub slug: String,
    pub name: String,
    pub legal_name: String,
    pub country: CountryCode,
    pub website: Option<String>,
    pub privacy_contact: Option<String>,
    pub policy_title: Option<String>,
    pub policy_url: Option<String>,
    pub policy_date: Option<NaiveDate>,
    pub announce_days: i32,
}

#[derive(Debug, thiserror::Error)]
pub enum OrganisationError {
    #[error("{}", .0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    #[error("there is no organisation '{0}'")]
    NotFound(String),
    #[error(
        "slug: an organisation '{0}' exists already (or existed: a retired slug is not given again)"
    )]
    Exists(String),
    /// Someone saved first: `current` is what is stored now; nothing was written.
    #[error("the organisation is at version {}; the edit was made on version {expected}", current.version)]
    Stale {
        current: Box<Organisation>,
        expected: i32,
    },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for OrganisationError {
    fn from(e: diesel::result::Error) -> Self {
        OrganisationError::Db(DbError::Query(e))
    }
}

fn optional(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// A one-line text of at most [`NAME_MAX`] characters; `None` when empty.
fn bounded(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    label: &str,
    value: &str,
) -> Option<String> {
    let value = optional(value)?;
    if let Err(e) = check_text(field, value) {
        errors.push(e);
        None
    } else if value.chars().count() > NAME_MAX {
        errors.push(FieldError::new(
            field,
            format!("{label} is too long: at most {NAME_MAX} characters."),
        ));
        None
    } else {
        Some(value.to_string())
    }
}

fn web_url(errors: &mut Vec<FieldError>, field: &'static str, value: &str) -> Option<String> {
    let value = optional(value)?;
    match WebUrl::parse(value) {
        Ok(url) => Some(url.into_string()),
        Err(_) => {
            let hint = if value.contains('.') && !value.contains("://") {
                format!(" — did you mean https://{value}?")
            } else {
                String::new()
            };
            errors.push(FieldError::new(
                field,
                format!("Start the address with https:// or http://{hint}"),
            ));
            None
        }
    }
}

/// Checks every field as typed, naming each invalid one in form order. `current` is the
/// organisation edited (its slug is kept; a privacy contact it already holds, such as a postal
/// address from a seed, is kept too).
pub fn check(
    input: &OrganisationInput,
    current: Option<&Organisation>,
) -> Result<ValidOrganisation, Vec<FieldError>> {
    let mut errors = Vec::new();
    let slug = match current {
        Some(o) => o.slug.clone(),
        None => {
            let slug = input.slug.trim();
            if slug.is_empty() {
                errors.push(FieldError::new(
                    "slug",
                    "Enter the short name used in addresses (/{slug}/subprocessors), such as acme.",
                ));
            } else if let Err(rule) = Slug::parse(slug) {
                errors.push(FieldError::new(
                    "slug",
                    format!("'{slug}' cannot be used in addresses: {rule} characters."),
                ));
            } else if RESERVED.contains(&slug) {
                errors.push(FieldError::new(
                    "slug",
                    format!("'{slug}' is taken by the site itself (/{slug}); choose another."),
                ));
            }
            slug.to_string()
        }
    };
    let name = bounded(&mut errors, "name", "The name", &input.name);
    if name.is_none() && !errors.iter().any(|e| e.field == "name") {
        errors.push(FieldError::new(
            "name",
            "Enter the name readers know the organisation by.",
        ));
    }
    let legal_name = bounded(
        &mut errors,
        "legal_name",
        "The legal name",
        &input.legal_name,
    );
    if legal_name.is_none() && !errors.iter().any(|e| e.field == "legal_name") {
        errors.push(FieldError::new(
            "legal_name",
            "Enter the legal name, as the privacy policy gives it (Acme SAS).",
        ));
    }
    let country = match optional(&input.country) {
        None => {
            errors.push(FieldError::new(
                "country",
                "Choose the country the organisation is established in.",
            ));
            None
        }
        Some(c) => match CountryCode::parse(c) {
            Ok(code) if !code.is_organisation() => Some(code),
            _ => {
                errors.push(FieldError::new(
                    "country",
                    format!("'{c}' is not a country code (ISO 3166-1 alpha-2, such as FR or DE)."),
                ));
                None
            }
        },
    };
    let website = web_url(&mut errors, "website", &input.website);
    // The notice period and the contact follow the settings page's rules.
    let (announce_days, privacy_contact) = match settings::check(
        &input.announce_days,
        &input.privacy_contact,
        current.and_then(|o| o.privacy_contact.as_deref()),
    ) {
        Ok(change) => (change.announce_days, change.privacy_contact),
        Err(problems) => {
            for p in &problems {
                errors.push(FieldError::new(p.field, p.message.clone()));
            }
            (0, None)
        }
    };
    let policy_title = bounded(
        &mut errors,
        "policy_title",
        "The policy title",
        &input.policy_title,
    );
    let policy_url = web_url(&mut errors, "policy_url", &input.policy_url);
    let policy_date =
        optional(&input.policy_date).and_then(|d| match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(date) if date > today() => {
                errors.push(FieldError::new(
                    "policy_date",
                    format!("{date} is in the future: give the date the policy was last revised."),
                ));
                None
            }
            Ok(date) => Some(date),
            Err(_) => {
                errors.push(FieldError::new(
                    "policy_date",
                    format!("'{d}' is not a date: write it as YYYY-MM-DD (2024-05-25)."),
                ));
                None
            }
        });
    // Form order: the order the fields are shown in.
    const ORDER: [&str; 10] = [
        "slug",
        "name",
        "legal_name",
        "country",
        "website",
        "privacy_contact",
        "policy_title",
        "policy_url",
        "policy_date",
        "announce_days",
    ];
    errors.sort_by_key(|e| ORDER.iter().position(|f| *f == e.field));
    match (errors.is_empty(), name, legal_name, country) {
        (true, Some(name), Some(legal_name), Some(country)) => Ok(ValidOrganisation {
            slug,
            name,
            legal_name,
            country,
            website,
            privacy_contact,
            policy_title,
            policy_url,
            policy_date,
            announce_days,
        }),
        _ => Err(errors),
    }
}

fn as_organisation(v: &ValidOrganisation, base: Option<&Organisation>) -> Organisation {
    Organisation {
        id: base.map_or(0, |b| b.id),
        slug: v.slug.clone(),
        name: v.name.clone(),
        legal_name: v.legal_name.clone(),
        country: v.country,
        privacy_contact: v.privacy_contact.clone(),
        website: v.website.clone(),
        policy_title: v.policy_title.clone(),
        policy_date: v.policy_date,
        policy_source: base.and_then(|b| b.policy_source.clone()),
        policy_url: v.policy_url.clone(),
        announce_days: v.announce_days,
        version: base.map_or(1, |b| b.version + 1),
        revision: base.map_or(1, |b| b.revision),
        updated_at: now(),
    }
}

/// Creates an organisation, audited (`create`, with the organisation after); the slug must be
/// new (a retired organisation's slug is not given again). Returns it as stored.
pub fn create(
    conn: &mut DbConnection,
    new: &ValidOrganisation,
    actor: &str,
) -> Result<Organisation, OrganisationError> {
    conn.write_transaction(|conn| {
        let taken: i64 = organisations::table
            .filter(organisations::slug.eq(&new.slug))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(OrganisationError::Exists(new.slug.clone()));
        }
        super::insert(conn, &as_organisation(new, None), actor)?;
        find(conn, &new.slug)?.ok_or_else(|| OrganisationError::NotFound(new.slug.clone()))
    })
}

/// Saves `change` to organisation `slug` if `expected_version` is still current, audited
/// (`update`, before and after) with the registry's revision bumped so that cached pages are
/// rendered again. Saving the values already stored changes nothing.
pub fn edit(
    conn: &mut DbConnection,
    slug: &str,
    expected_version: i32,
    change: &ValidOrganisation,
    actor: &str,
) -> Result<Organisation, OrganisationError> {
    conn.write_transaction(|conn| {
        let before = find(conn, slug)?.ok_or_else(|| OrganisationError::NotFound(slug.into()))?;
        if before.version != expected_version {
            return Err(OrganisationError::Stale {
                current: Box::new(before),
                expected: expected_version,
            });
        }
        let mut after = as_organisation(change, Some(&before));
        let unchanged = Organisation {
            version: before.version,
            updated_at: before.updated_at,
            ..after.clone()
        } == before;
        if unchanged {
            return Ok(before);
        }
        let updated = diesel::update(
            organisations::table
                .find(before.id)
                .filter(organisations::version.eq(expected_version)),
        )
        .set((
            organisations::name.eq(&after.name),
            organisations::legal_name.eq(&after.legal_name),
            organisations::country.eq(after.country.as_str()),
            organisations::privacy_contact.eq(&after.privacy_contact),
            organisations::website.eq(&after.website),
            organisations::policy_title.eq(&after.policy_title),
            organisations::policy_date.eq(after.policy_date),
            organisations::policy_url.eq(&after.policy_url),
            organisations::announce_days.eq(after.announce_days),
            organisations::version.eq(after.version),
            organisations::revision.eq(organisations::revision + 1),
            organisations::updated_at.eq(after.updated_at),
        ))
        .execute(conn)?;
        if updated != 1 {
            let current =
                find(conn, slug)?.ok_or_else(|| OrganisationError::NotFound(slug.into()))?;
            return Err(OrganisationError::Stale {
                current: Box::new(current),
                expected: expected_version,
            });
        }
        after.revision = before.revision + 1;
        audit(
            conn,
            AuditEvent {
                actor,
                action: "update",
                entity: "organisation",
                entity_id: before.id,
                organisation_id: Some(before.id),
                before: json(&audited(&before)),
                after: json(&audited(&after)),
            },
        )?;
        Ok(after)
    })
}

/// An organisation as the audit trail keeps it: its fields and its version.
fn audited(o: &Organisation) -> serde_json::Value {
    let mut value = serde_json::to_value(o).unwrap_or_default();
    value["version"] = o.version.into();
    value
}

/// The example organisations not retired (id and slug): those of the compiled-in example
/// files, created by loading them (at the first start, [`EXAMPLES_ACTOR`], or by `crossborder
/// seed`), not by hand.
pub fn examples(conn: &mut DbConnection) -> Result<Vec<(i32, String)>, DbError> {
    use crate::db::schema::audit_events;
    let slugs = crate::registry::seed::example_slugs();
    let created_by_seed: Vec<i32> = audit_events::table
        .filter(audit_events::entity.eq("organisation"))
        .filter(audit_events::action.eq("create"))
        .filter(
            audit_events::actor
                .eq(EXAMPLES_ACTOR)
                .or(audit_events::actor.like("cli:seed%")),
        )
        .select(audit_events::entity_id)
        .load::<Option<i32>>(conn)?
        .into_iter()
        .flatten()
        .collect();
    Ok(organisations::table
        .filter(organisations::id.eq_any(&created_by_seed))
        .filter(organisations::slug.eq_any(&slugs))
        .filter(organisations::retired_at.is_null())
        .order(organisations::slug.asc())
        .select((organisations::id, organisations::slug))
        .load(conn)?)
}

/// Retires the example organisations (see [`examples`]) as a whole: they are no longer listed or served, their records, change
/// logs and audit trail stay (nothing published is deleted). Organisations created otherwise are
/// not touched. Returns the slugs retired, audited (`retire`) one by one.
pub fn retire_examples(
    conn: &mut DbConnection,
    actor: &str,
) -> Result<Vec<String>, OrganisationError> {
    conn.write_transaction(|conn| {
        let examples = examples(conn)?;
        let at = now();
        for (id, slug) in &examples {
            diesel::update(organisations::table.find(id))
                .set((
                    organisations::retired_at.eq(Some(at)),
                    organisations::revision.eq(organisations::revision + 1),
                    organisations::updated_at.eq(at),
                ))
                .execute(conn)?;
            audit(
                conn,
                AuditEvent {
                    actor,
                    action: "retire",
                    entity: "organisation",
                    entity_id: *id,
                    organisation_id: Some(*id),
                    before: Some(serde_json::json!({"slug": slug}).to_string()),
                    after: Some(
                        serde_json::json!({"slug": slug, "retired_at": at.to_string()}).to_string(),
                    ),
                },
            )?;
        }
        Ok(examples.into_iter().map(|(_, slug)| slug).collect())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> OrganisationInput {
        OrganisationInput {
            slug: "acme".into(),
            name: "Acme".into(),
            legal_name: "Acme SAS".into(),
            country: "fr".into(),
            announce_days: "30".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_minimal_organisation_is_accepted() {
        let ok = check(&input(), None).unwrap();
        assert_eq!(ok.country.as_str(), "FR");
        assert_eq!(ok.website, None);
    }

    #[test]
    fn every_invalid_field_is_named_in_form_order() {
        let bad = OrganisationInput {
            slug: "Acme Inc".into(),
            name: "".into(),
            legal_name: "x".repeat(NAME_MAX + 1),
            country: "XX".into(),
            website: "acme.com".into(),
            privacy_contact: "call us".into(),
            policy_url: "ftp://acme.com".into(),
            policy_date: "25/05/2018".into(),
            announce_days: "400".into(),
            ..Default::default()
        };
        let errors = check(&bad, None).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "slug",
                "name",
                "legal_name",
                "country",
                "website",
                "privacy_contact",
                "policy_url",
                "policy_date",
                "announce_days"
            ]
        );
        assert!(errors[4].message.contains("did you mean https://acme.com"));
    }

    #[test]
    fn reserved_slugs_and_future_dates_are_refused() {
        for slug in ["workspace", "api", "new"] {
            let errors = check(
                &OrganisationInput {
                    slug: slug.into(),
                    ..input()
                },
                None,
            )
            .unwrap_err();
            assert_eq!(errors[0].field, "slug");
        }
        let later = (today() + chrono::Duration::days(3)).to_string();
        let errors = check(
            &OrganisationInput {
                policy_date: later,
                ..input()
            },
            None,
        )
        .unwrap_err();
        assert_eq!(errors[0].field, "policy_date");
    }
}
