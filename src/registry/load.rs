//! Reading a registry: a fixed number of queries whatever the number of vendors.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::model::{
    Certification, Change, ClaimedMechanism, Evidence, Organisation, Registry, Transfer, Vendor,
};
use crate::db::schema::*;
use crate::db::{DbConnection, DbError};
use crate::rules::CountryCode;

#[derive(Queryable, Selectable)]
#[diesel(table_name = organisations)]
struct OrganisationRow {
    id: i32,
    slug: String,
    name: String,
    legal_name: String,
    country: String,
    privacy_contact: Option<String>,
    website: Option<String>,
    policy_title: Option<String>,
    policy_date: Option<NaiveDate>,
    policy_source: Option<String>,
    policy_url: Option<String>,
    announce_days: i32,
    version: i32,
    revision: i32,
    updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = vendors)]
struct VendorRow {
    id: i32,
    key: String,
    name: String,
    legal_entity: Option<String>,
    website: Option<String>,
    headquarters: Option<String>,
    role: String,
    purpose: String,
    status: String,
    proposed_on: Option<NaiveDate>,
    active_from: Option<NaiveDate>,
    retired_from: Option<NaiveDate>,
    dpa_signed_on: Option<NaiveDate>,
    dpa_url: Option<String>,
    notes: Option<String>,
    version: i32,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = vendor_certifications)]
struct CertificationRow {
    id: i32,
    vendor_id: i32,
    framework: String,
    certified_from: NaiveDate,
    certified_until: Option<NaiveDate>,
    verified_on: NaiveDate,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = transfers)]
struct TransferRow {
    id: i32,
    vendor_id: i32,
    country: Option<String>,
    location: Option<String>,
    tia_on: Option<NaiveDate>,
    supplementary_measures: Option<String>,
    notes: Option<String>,
    version: i32,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = evidence)]
struct EvidenceRow {
    vendor_id: i32,
    transfer_id: Option<i32>,
    certification_id: Option<i32>,
    document: String,
    quote: String,
    url: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = changes)]
struct ChangeRow {
    id: i32,
    vendor_id: Option<i32>,
    kind: String,
    summary: String,
    announced_on: NaiveDate,
    effective_on: NaiveDate,
    created_at: NaiveDateTime,
}

fn parse<T: FromStr>(value: &str, column: &str) -> Result<T, DbError> {
    value
        .parse()
        .map_err(|_| DbError::Corrupt(format!("{column} holds unknown value '{value}'")))
}

/// Vocabularies in their declared order, as seeds and forms give them.
fn sorted<T: Ord>(mut items: Vec<T>) -> Vec<T> {
    items.sort();
    items
}

fn country(value: &str, column: &str) -> Result<CountryCode, DbError> {
    CountryCode::parse(value).map_err(|e| DbError::Corrupt(format!("{column}: {e}")))
}

impl OrganisationRow {
    fn into_model(self) -> Result<Organisation, DbError> {
        Ok(Organisation {
            id: self.id,
            country: country(&self.country, "organisations.country")?,
            slug: self.slug,
            name: self.name,
            legal_name: self.legal_name,
            privacy_contact: self.privacy_contact,
            website: self.website,
            policy_title: self.policy_title,
            policy_date: self.policy_date,
            policy_source: self.policy_source,
            policy_url: self.policy_url,
            announce_days: self.announce_days,
            version: self.version,
            revision: self.revision,
            updated_at: self.updated_at,
        })
    }
}

/// An organisation's current revision (see `store::touch`), or `None` for an unknown slug: one
/// indexed query, so a cached page can be checked on every request.
pub fn revision(conn: &mut DbConnection, slug: &str) -> Result<Option<i32>, DbError> {
    Ok(organisations::table
        .filter(organisations::slug.eq(slug))
        .select(organisations::revision)
        .first(conn)
        .optional()?)
}

/// The country an organisation is established in: the exporter of its transfers.
pub fn organisation_country(
    conn: &mut DbConnection,
    slug: &str,
) -> Result<Option<CountryCode>, DbError> {
    organisations::table
        .filter(organisations::slug.eq(slug))
        .select(organisations::country)
        .first::<String>(conn)
        .optional()?
        .map(|c| country(&c, "organisations.country"))
        .transpose()
}

/// The organisations, by name.
pub fn organisations(conn: &mut DbConnection) -> Result<Vec<Organisation>, DbError> {
    organisations::table
        .select(OrganisationRow::as_select())
        .order(organisations::name.asc())
        .load(conn)?
        .into_iter()
        .map(OrganisationRow::into_model)
        .collect()
}

/// Every organisation's registry, by name (the workspace's cross-organisation views).
pub fn registries(conn: &mut DbConnection) -> Result<Vec<Registry>, DbError> {
    let mut out = Vec::new();
    for org in organisations(conn)? {
        out.extend(registry(conn, &org.slug)?);
    }
    Ok(out)
}

/// One organisation's registry with everything in it, or `None` for an unknown slug.
/// Nine queries in one read transaction, whatever the number of vendors.
pub fn registry(conn: &mut DbConnection, slug: &str) -> Result<Option<Registry>, DbError> {
    conn.transaction(|conn| load_registry(conn, slug))
}

fn load_registry(conn: &mut DbConnection, slug: &str) -> Result<Option<Registry>, DbError> {
    let Some(org) = organisations::table
        .filter(organisations::slug.eq(slug))
        .select(OrganisationRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let org_id = org.id;
    let vendor_ids = vendors::table
        .filter(vendors::organisation_id.eq(org_id))
        .select(vendors::id);
    let transfer_ids = transfers::table
        .inner_join(vendors::table)
        .filter(vendors::organisation_id.eq(org_id))
        .select(transfers::id);

    let vendor_rows: Vec<VendorRow> = vendors::table
        .filter(vendors::organisation_id.eq(org_id))
        .order((vendors::name.asc(), vendors::id.asc()))
        .select(VendorRow::as_select())
        .load(conn)?;
    let categories: Vec<(i32, String)> = vendor_categories::table
        .filter(vendor_categories::vendor_id.eq_any(vendor_ids))
        .order((vendor_categories::vendor_id, vendor_categories::category))
        .load(conn)?;
    let certifications: Vec<CertificationRow> = vendor_certifications::table
        .filter(vendor_certifications::vendor_id.eq_any(vendor_ids))
        .order((
            vendor_certifications::vendor_id,
            vendor_certifications::certified_from,
        ))
        .select(CertificationRow::as_select())
        .load(conn)?;
    let transfer_rows: Vec<TransferRow> = transfers::table
        .filter(transfers::vendor_id.eq_any(vendor_ids))
        .order((transfers::vendor_id, transfers::position))
        .select(TransferRow::as_select())
        .load(conn)?;
    let mechanisms: Vec<(i32, String, Option<NaiveDate>)> = transfer_mechanisms::table
        .filter(transfer_mechanisms::transfer_id.eq_any(transfer_ids))
        .order((
            transfer_mechanisms::transfer_id,
            transfer_mechanisms::position,
        ))
        .select((
            transfer_mechanisms::transfer_id,
            transfer_mechanisms::mechanism,
            transfer_mechanisms::signed_on,
        ))
        .load(conn)?;
    let data_categories: Vec<(i32, String)> = transfer_data_categories::table
        .filter(transfer_data_categories::transfer_id.eq_any(transfer_ids))
        .order((
            transfer_data_categories::transfer_id,
            transfer_data_categories::category,
        ))
        .load(conn)?;
    let evidence_rows: Vec<EvidenceRow> = evidence::table
        .filter(evidence::vendor_id.eq_any(vendor_ids))
        .order(evidence::id)
        .select(EvidenceRow::as_select())
        .load(conn)?;
    let change_rows: Vec<ChangeRow> = changes::table
        .filter(changes::organisation_id.eq(org_id))
        .order((changes::effective_on.desc(), changes::id.desc()))
        .select(ChangeRow::as_select())
        .load(conn)?;

    // Assemble in memory: children grouped by parent id.
    let mut vendor_evidence: HashMap<i32, Vec<Evidence>> = HashMap::new();
    let mut transfer_evidence: HashMap<i32, Vec<Evidence>> = HashMap::new();
    let mut certification_evidence: HashMap<i32, Vec<Evidence>> = HashMap::new();
    for e in evidence_rows {
        let item = Evidence {
            document: e.document,
            quote: e.quote,
            url: e.url,
        };
        match (e.transfer_id, e.certification_id) {
            (Some(t), _) => transfer_evidence.entry(t).or_default().push(item),
            (None, Some(c)) => certification_evidence.entry(c).or_default().push(item),
            (None, None) => vendor_evidence.entry(e.vendor_id).or_default().push(item),
        }
    }
    let mut mechanisms_by_transfer: HashMap<i32, Vec<ClaimedMechanism>> = HashMap::new();
    for (transfer_id, id, signed_on) in mechanisms {
        mechanisms_by_transfer
            .entry(transfer_id)
            .or_default()
            .push(ClaimedMechanism { id, signed_on });
    }
    let mut data_by_transfer: HashMap<i32, Vec<_>> = HashMap::new();
    for (transfer_id, category) in data_categories {
        data_by_transfer
            .entry(transfer_id)
            .or_default()
            .push(parse(&category, "transfer_data_categories.category")?);
    }
    let mut transfers_by_vendor: HashMap<i32, Vec<Transfer>> = HashMap::new();
    for t in transfer_rows {
        let transfer = Transfer {
            id: t.id,
            country: t
                .country
                .as_deref()
                .map(|c| country(c, "transfers.country"))
                .transpose()?,
            location: t.location,
            data_categories: sorted(data_by_transfer.remove(&t.id).unwrap_or_default()),
            mechanisms: mechanisms_by_transfer.remove(&t.id).unwrap_or_default(),
            tia_on: t.tia_on,
            supplementary_measures: t.supplementary_measures,
            notes: t.notes,
            evidence: transfer_evidence.remove(&t.id).unwrap_or_default(),
            version: t.version,
        };
        transfers_by_vendor
            .entry(t.vendor_id)
            .or_default()
            .push(transfer);
    }
    let mut certifications_by_vendor: HashMap<i32, Vec<Certification>> = HashMap::new();
    for c in certifications {
        certifications_by_vendor
            .entry(c.vendor_id)
            .or_default()
            .push(Certification {
                id: c.id,
                framework: c.framework,
                from: c.certified_from,
                until: c.certified_until,
                verified_on: c.verified_on,
                evidence: certification_evidence.remove(&c.id).unwrap_or_default(),
            });
    }
    let mut categories_by_vendor: HashMap<i32, Vec<_>> = HashMap::new();
    for (vendor_id, category) in categories {
        categories_by_vendor
            .entry(vendor_id)
            .or_default()
            .push(parse(&category, "vendor_categories.category")?);
    }

    let mut vendor_names = HashMap::new();
    let vendors = vendor_rows
        .into_iter()
        .map(|v| {
            vendor_names.insert(v.id, v.name.clone());
            Ok(Vendor {
                id: v.id,
                headquarters: v
                    .headquarters
                    .as_deref()
                    .map(|c| country(c, "vendors.headquarters"))
                    .transpose()?,
                role: parse(&v.role, "vendors.role")?,
                status: parse(&v.status, "vendors.status")?,
                categories: sorted(categories_by_vendor.remove(&v.id).unwrap_or_default()),
                evidence: vendor_evidence.remove(&v.id).unwrap_or_default(),
                certifications: certifications_by_vendor.remove(&v.id).unwrap_or_default(),
                transfers: transfers_by_vendor.remove(&v.id).unwrap_or_default(),
                key: v.key,
                name: v.name,
                legal_entity: v.legal_entity,
                website: v.website,
                purpose: v.purpose,
                proposed_on: v.proposed_on,
                active_from: v.active_from,
                retired_from: v.retired_from,
                dpa_signed_on: v.dpa_signed_on,
                dpa_url: v.dpa_url,
                notes: v.notes,
                version: v.version,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let changes = change_rows
        .into_iter()
        .map(|c| {
            Ok(Change {
                id: c.id,
                kind: parse(&c.kind, "changes.kind")?,
                vendor: c.vendor_id.and_then(|id| vendor_names.get(&id).cloned()),
                vendor_id: c.vendor_id,
                summary: c.summary,
                announced_on: c.announced_on,
                effective_on: c.effective_on,
                created_at: c.created_at,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;

    Ok(Some(Registry {
        organisation: org.into_model()?,
        vendors,
        changes,
    }))
}
