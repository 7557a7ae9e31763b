//! Organisations: the controllers (or processors) that publish a list, and each one's whole
//! registry as the public pages read it.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

pub mod check;
pub mod publication;
mod write;

pub use check::{NAME_MAX, OrganisationInput, ValidOrganisation, check};
pub use publication::Publication;
pub use write::{EXAMPLES_ACTOR, OrganisationError, create, edit, examples, retire_examples};

use super::change::{self, Change};
use super::edit::{EditError, json};
use super::history::History;
use super::stored_country;
use super::vendor::{self, Vendor};
use crate::audit::{AuditEvent, audit};
use crate::date::now;
use crate::db::rows::OrganisationRow;
use crate::db::schema::organisations;
use crate::db::{DbConnection, DbError};
use crate::rules::CountryCode;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organisation {
    #[serde(skip)]
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub legal_name: String,
    pub country: CountryCode,
    pub privacy_contact: Option<String>,
    pub website: Option<String>,
    pub policy_title: Option<String>,
    pub policy_date: Option<NaiveDate>,
    pub policy_source: Option<String>,
    pub policy_url: Option<String>,
    pub announce_days: i32,
    /// What its public list shows of the assessments and the evidence.
    pub publication: Publication,
    #[serde(skip)]
    pub version: i32,
    /// Bumped by every write to the organisation's records.
    #[serde(skip)]
    pub revision: i32,
    #[serde(skip)]
    pub updated_at: NaiveDateTime,
}

/// One organisation's whole registry, as the public pages and the seeds see it.
#[derive(Debug, Clone)]
pub struct Registry {
    pub organisation: Organisation,
    pub vendors: Vec<Vendor>,
    pub changes: Vec<Change>,
    /// The published versions the vendors were read from (empty for the current records).
    pub history: std::sync::Arc<History>,
    /// For each announced change still to come on the date read, its vendor as it will then be.
    pub to_come: HashMap<i32, Vendor>,
    /// Corrections recorded after the day read that reach back to the date read: what was
    /// published then stays, and says it was corrected later.
    pub corrected_later: Vec<Change>,
}

impl Registry {
    /// When anything in it last changed, for `Last-Modified`.
    pub fn last_modified(&self) -> NaiveDateTime {
        self.changes
            .iter()
            .map(|c| c.updated_at)
            .chain(std::iter::once(self.organisation.updated_at))
            .max()
            .unwrap_or(self.organisation.updated_at)
    }

    /// The hash of the newest entry of the change log read (the chain's head then).
    pub fn chain_head(&self) -> Option<&str> {
        self.changes
            .iter()
            .max_by_key(|c| c.id)
            .map(|c| c.hash.as_str())
    }

    /// The date of the newest change that has taken effect by `date`.
    pub fn last_change_on(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.changes
            .iter()
            .filter(|c| c.kind.is_public())
            .map(|c| c.effective_on)
            .filter(|d| *d <= date)
            .max()
    }
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = DbError;

    fn try_from(row: OrganisationRow) -> Result<Self, DbError> {
        Ok(Organisation {
            id: row.id,
            country: stored_country(&row.country, "organisations.country")?,
            slug: row.slug,
            name: row.name,
            legal_name: row.legal_name,
            privacy_contact: row.privacy_contact,
            website: row.website,
            policy_title: row.policy_title,
            policy_date: row.policy_date,
            policy_source: row.policy_source,
            policy_url: row.policy_url,
            announce_days: row.announce_days,
            publication: Publication::from_columns(
                row.publish_verdicts,
                row.publish_reasons,
                row.publish_hints,
                row.publish_evidence_documents,
            ),
            version: row.version,
            revision: row.revision,
            updated_at: row.updated_at,
        })
    }
}

/// An organisation's current revision (see [`touch`]), or `None` for an unknown slug: one
/// indexed query, so a cached page can be checked on every request.
pub fn revision(conn: &mut DbConnection, slug: &str) -> Result<Option<i32>, DbError> {
    Ok(organisations::table
        .filter(organisations::slug.eq(slug))
        .filter(organisations::retired_at.is_null())
        .select(organisations::revision)
        .first(conn)
        .optional()?)
}

/// The country an organisation is established in: the exporter of its transfers.
pub fn country_of(conn: &mut DbConnection, slug: &str) -> Result<Option<CountryCode>, DbError> {
    organisations::table
        .filter(organisations::slug.eq(slug))
        .filter(organisations::retired_at.is_null())
        .select(organisations::country)
        .first::<String>(conn)
        .optional()?
        .map(|c| stored_country(&c, "organisations.country"))
        .transpose()
}

/// One organisation, without its registry (a retired one is no longer found).
pub fn find(conn: &mut DbConnection, slug: &str) -> Result<Option<Organisation>, DbError> {
    organisations::table
        .filter(organisations::slug.eq(slug))
        .filter(organisations::retired_at.is_null())
        .first::<OrganisationRow>(conn)
        .optional()?
        .map(Organisation::try_from)
        .transpose()
}

/// The organisations, by name (not the retired ones).
pub fn list(conn: &mut DbConnection) -> Result<Vec<Organisation>, DbError> {
    organisations::table
        .filter(organisations::retired_at.is_null())
        .order(organisations::name.asc())
        .load::<OrganisationRow>(conn)?
        .into_iter()
        .map(Organisation::try_from)
        .collect()
}

/// Every organisation's id and slug, retired ones included, by name: what `verify` checks (it
/// reads only these columns, so a database not yet migrated reads too).
pub fn all_slugs(conn: &mut DbConnection) -> Result<Vec<(i32, String)>, DbError> {
    Ok(organisations::table
        .order(organisations::name.asc())
        .select((organisations::id, organisations::slug))
        .load(conn)?)
}

/// Whether a slug is taken by a retired organisation (its slug is never given again).
pub fn is_retired(conn: &mut DbConnection, slug: &str) -> Result<bool, DbError> {
    let count: i64 = organisations::table
        .filter(organisations::slug.eq(slug))
        .filter(organisations::retired_at.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Whether the database holds no organisation yet, retired ones included (examples removed
/// are not loaded again at the next start).
pub fn is_empty(conn: &mut DbConnection) -> Result<bool, DbError> {
    let count: i64 = organisations::table.count().get_result(conn)?;
    Ok(count == 0)
}

/// One organisation's registry with everything in it, or `None` for an unknown slug.
/// Nine queries in one read transaction, whatever the number of vendors.
pub fn registry(conn: &mut DbConnection, slug: &str) -> Result<Option<Registry>, DbError> {
    conn.transaction(|conn| {
        let Some(organisation) = find(conn, slug)? else {
            return Ok(None);
        };
        let vendors = vendor::all(conn, organisation.id)?;
        let names: HashMap<i32, String> = vendors.iter().map(|v| (v.id, v.name.clone())).collect();
        let mut changes = change::list(conn, organisation.id, &names)?;
        change::fold_reschedulings(&mut changes);
        Ok(Some(Registry {
            organisation,
            vendors,
            changes,
            history: Default::default(),
            to_come: HashMap::new(),
            corrected_later: Vec::new(),
        }))
    })
}

/// One organisation's registry as published: the vendors as their versions recorded before
/// `known_before` show them on `as_of` (proposals, never published, as they stand), and the
/// changes announced by then. Ten queries in one read transaction, for any date; the registry is
/// computed by [`super::records::Records::published`], which a copy kept in memory runs too.
pub fn published(
    conn: &mut DbConnection,
    slug: &str,
    as_of: NaiveDate,
    known_before: NaiveDateTime,
) -> Result<Option<Registry>, DbError> {
    Ok(super::records::load(conn, slug)?.map(|r| r.published(as_of, known_before)))
}

/// Every organisation's registry, by name (the workspace's cross-organisation views).
pub fn registries(conn: &mut DbConnection) -> Result<Vec<Registry>, DbError> {
    let mut out = Vec::new();
    for org in list(conn)? {
        out.extend(registry(conn, &org.slug)?);
    }
    Ok(out)
}

/// What a write learns when it opens: the organisation it writes to.
pub struct Locked {
    pub id: i32,
    pub slug: String,
    pub country: CountryCode,
    /// The notice period of announcements, in days.
    pub announce_days: i32,
}

impl Locked {
    /// The first day a change announced on `today` may take effect.
    pub fn notice_end(&self, today: NaiveDate) -> NaiveDate {
        today + chrono::Duration::days(self.announce_days.into())
    }
}

/// Opens a write to an organisation's records. Marking its registry changed (caches see the new
/// revision at commit) is the transaction's first statement on purpose: as a write it takes the
/// lock that orders concurrent writers, so a second writer waits here and then reads what the
/// first wrote — no key or position is taken twice, and SQLite never finds its snapshot stale.
pub fn lock(conn: &mut DbConnection, slug: &str) -> Result<Locked, EditError> {
    let (id, code, announce_days): (i32, String, i32) = diesel::update(
        organisations::table
            .filter(organisations::slug.eq(slug))
            .filter(organisations::retired_at.is_null()),
    )
    .set((
        organisations::revision.eq(organisations::revision + 1),
        organisations::updated_at.eq(now()),
    ))
    .returning((
        organisations::id,
        organisations::country,
        organisations::announce_days,
    ))
    .get_result(conn)
    .optional()?
    .ok_or(EditError::NotFound("organisation"))?;
    Ok(Locked {
        id,
        slug: slug.to_string(),
        country: stored_country(&code, "organisations.country")?,
        announce_days,
    })
}

/// Marks the organisation's registry as changed: every write calls it, in its transaction, so
/// that caches (in this process or another) see the new revision.
pub fn touch(conn: &mut DbConnection, org_id: i32) -> QueryResult<()> {
    diesel::update(organisations::table.find(org_id))
        .set((
            organisations::revision.eq(organisations::revision + 1),
            organisations::updated_at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Creates an organisation (from a seed), audited; returns its id.
pub(super) fn insert(
    conn: &mut DbConnection,
    o: &Organisation,
    actor: &str,
) -> Result<i32, DbError> {
    let at = now();
    let id = diesel::insert_into(organisations::table)
        .values((
            organisations::slug.eq(&o.slug),
            organisations::name.eq(&o.name),
            organisations::legal_name.eq(&o.legal_name),
            organisations::country.eq(o.country.as_str()),
            organisations::privacy_contact.eq(&o.privacy_contact),
            organisations::website.eq(&o.website),
            organisations::policy_title.eq(&o.policy_title),
            organisations::policy_date.eq(o.policy_date),
            organisations::policy_source.eq(&o.policy_source),
            organisations::policy_url.eq(&o.policy_url),
            organisations::announce_days.eq(o.announce_days),
            organisations::publish_verdicts.eq(o.publication.columns()[0]),
            organisations::publish_reasons.eq(o.publication.columns()[1]),
            organisations::publish_hints.eq(o.publication.columns()[2]),
            organisations::publish_evidence_documents.eq(o.publication.columns()[3]),
            organisations::version.eq(1),
            organisations::created_at.eq(at),
            organisations::updated_at.eq(at),
        ))
        .returning(organisations::id)
        .get_result(conn)?;
    audit(
        conn,
        AuditEvent {
            actor,
            action: "create",
            entity: "organisation",
            entity_id: id,
            organisation_id: Some(id),
            before: None,
            after: json(o),
        },
    )?;
    Ok(id)
}

/// Replaces an organisation's fields with `new` (from a seed), audited.
pub(super) fn update(
    conn: &mut DbConnection,
    old: &Organisation,
    new: &Organisation,
    actor: &str,
) -> Result<(), DbError> {
    diesel::update(organisations::table.find(old.id))
        .set((
            organisations::name.eq(&new.name),
            organisations::legal_name.eq(&new.legal_name),
            organisations::country.eq(new.country.as_str()),
            organisations::privacy_contact.eq(&new.privacy_contact),
            organisations::website.eq(&new.website),
            organisations::policy_title.eq(&new.policy_title),
            organisations::policy_date.eq(new.policy_date),
            organisations::policy_source.eq(&new.policy_source),
            organisations::policy_url.eq(&new.policy_url),
            organisations::announce_days.eq(new.announce_days),
            organisations::publish_verdicts.eq(new.publication.columns()[0]),
            organisations::publish_reasons.eq(new.publication.columns()[1]),
            organisations::publish_hints.eq(new.publication.columns()[2]),
            organisations::publish_evidence_documents.eq(new.publication.columns()[3]),
            organisations::version.eq(old.version + 1),
            organisations::updated_at.eq(now()),
        ))
        .execute(conn)?;
    audit(
        conn,
        AuditEvent {
            actor,
            action: "update",
            entity: "organisation",
            entity_id: old.id,
            organisation_id: Some(old.id),
            before: json(old),
            after: json(new),
        },
    )?;
    Ok(())
}
