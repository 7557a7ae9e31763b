//! Creating and editing organisations (the workspace's admin pages, the API, `crossborder org`),
//! and retiring the example organisations as a whole. An edit is refused when the version edited
//! is not current; every write is one transaction, audited with the organisation before and
//! after.
//!
//! What the history keeps: an organisation's own facts (name, contact, notice period) are not
//! versioned like a vendor's public facts; the audit trail holds each version before and after,
//! and the version number orders them. The notice period applies to changes announced after the
//! edit: what was announced before keeps the date it was announced with.

use diesel::prelude::*;

use super::check::ValidOrganisation;
use super::{Organisation, find};
use crate::audit::{AuditEvent, audit};
use crate::date::now;
use crate::db::schema::organisations;
use crate::db::{DbConnection, DbError};
use crate::registry::edit::json;
use crate::values::FieldError;

/// The audit actor of the example organisations loaded into an empty database.
pub const EXAMPLES_ACTOR: &str = "seed";

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
        publication: v.publication,
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
            organisations::publish_verdicts.eq(after.publication.columns()[0]),
            organisations::publish_reasons.eq(after.publication.columns()[1]),
            organisations::publish_hints.eq(after.publication.columns()[2]),
            organisations::publish_evidence_documents.eq(after.publication.columns()[3]),
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
