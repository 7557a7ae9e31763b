//! Transfers: one vendor handling the organisation's personal data in one destination, with the
//! data categories shared and the mechanisms claimed for it.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr, VariantArray};

use super::edit::EditError;
use super::evidence::{self, Evidence, EvidenceFor};
use super::vendor::Scope;
use super::{stored, stored_country};
use crate::date::now;
use crate::db::rows::TransferRow;
use crate::db::schema::{transfer_data_categories, transfer_mechanisms, transfers};
use crate::db::{DbConnection, DbError};
use crate::rules::{Claim, CountryCode, Facts, RuleSet, ScopeExclusion};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    Display,
    EnumString,
    IntoStaticStr,
    VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum DataCategory {
    Identity,
    Contact,
    Account,
    Payment,
    Usage,
    DeviceAndNetwork,
    Location,
    Communications,
    MarketingPreferences,
    UserContent,
    InferredProfile,
    SpecialCategory,
    Children,
}

impl DataCategory {
    pub fn label(self) -> &'static str {
        match self {
            DataCategory::Identity => "identity",
            DataCategory::Contact => "contact details",
            DataCategory::Account => "account",
            DataCategory::Payment => "payment",
            DataCategory::Usage => "usage",
            DataCategory::DeviceAndNetwork => "device and network",
            DataCategory::Location => "location",
            DataCategory::Communications => "communications",
            DataCategory::MarketingPreferences => "marketing preferences",
            DataCategory::UserContent => "user content",
            DataCategory::InferredProfile => "inferred profile",
            DataCategory::SpecialCategory => "special categories (Art. 9)",
            DataCategory::Children => "children's data",
        }
    }
}

/// A mechanism claimed for a transfer, by its id in the rules data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimedMechanism {
    pub id: String,
    pub signed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transfer {
    #[serde(skip)]
    pub id: i32,
    /// Its place in the vendor's list (kept when an earlier transfer ends).
    #[serde(skip)]
    pub position: i32,
    /// `None` when the source names no country; `location` then says where.
    pub country: Option<CountryCode>,
    pub location: Option<String>,
    pub data_categories: Vec<DataCategory>,
    pub mechanisms: Vec<ClaimedMechanism>,
    pub tia_on: Option<NaiveDate>,
    pub supplementary_measures: Option<String>,
    pub notes: Option<String>,
    /// Why the importer is outside an adequacy decision's scope (TRANSFER-RULES.md §2.1).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outside_scope: Vec<ScopeExclusion>,
    pub evidence: Vec<Evidence>,
    #[serde(skip)]
    pub version: i32,
}

impl Transfer {
    /// Where it goes, in words: the country's name, else the place the source gives.
    pub fn place(&self) -> String {
        self.country.map_or_else(
            || {
                self.location
                    .clone()
                    .unwrap_or_else(|| "an unnamed place".into())
            },
            |c| c.name().to_string(),
        )
    }
}

/// The stored form of `outside_scope`: ids, comma-separated.
pub(super) fn scope_text(outside_scope: &[ScopeExclusion]) -> String {
    outside_scope
        .iter()
        .map(|e| e.id())
        .collect::<Vec<_>>()
        .join(",")
}

/// `outside_scope` as stored; an unknown id is corrupt data, named with its row.
fn stored_scope(text: &str, transfer_id: i32) -> Result<Vec<ScopeExclusion>, DbError> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| {
            ScopeExclusion::parse(s).map_err(|e| {
                DbError::Corrupt(format!(
                    "transfers row id {transfer_id}, outside_scope: {e}"
                ))
            })
        })
        .collect()
}

/// `transfer_mechanisms`: transfer, position, mechanism id, signing date.
type ClaimRow = (i32, i32, String, Option<NaiveDate>);
/// `transfer_data_categories`: transfer, category.
type DataRow = (i32, String);

/// The transfers of the vendors in `scope`, by vendor, in their order, each with its claims,
/// data categories and evidence: those in the record, then those that ended. Three queries.
#[allow(clippy::type_complexity)]
pub(super) fn load(
    conn: &mut DbConnection,
    scope: Scope,
    evidence: &mut HashMap<i32, Vec<Evidence>>,
) -> Result<(HashMap<i32, Vec<Transfer>>, HashMap<i32, Vec<Transfer>>), DbError> {
    let transfer_ids = || {
        transfers::table
            .filter(transfers::vendor_id.eq_any(scope.vendor_ids()))
            .select(transfers::id)
    };
    let rows: Vec<TransferRow> = transfers::table
        .filter(transfers::vendor_id.eq_any(scope.vendor_ids()))
        .order((transfers::vendor_id, transfers::position))
        .load(conn)?;
    let mechanisms: Vec<ClaimRow> = transfer_mechanisms::table
        .filter(transfer_mechanisms::transfer_id.eq_any(transfer_ids()))
        .order((
            transfer_mechanisms::transfer_id,
            transfer_mechanisms::position,
        ))
        .load(conn)?;
    let data_categories: Vec<DataRow> = transfer_data_categories::table
        .filter(transfer_data_categories::transfer_id.eq_any(transfer_ids()))
        .order((
            transfer_data_categories::transfer_id,
            transfer_data_categories::category,
        ))
        .load(conn)?;
    // A claim of a mechanism the rules do not know is corrupt data, named with its row: dropped,
    // the transfer would read "no mechanism recorded", critical, for the wrong reason.
    let rules = RuleSet::embedded();
    let mut claims: HashMap<i32, Vec<ClaimedMechanism>> = HashMap::new();
    for (transfer_id, position, id, signed_on) in mechanisms {
        if let Err(e) = rules.mechanism_id(&id) {
            return Err(DbError::Corrupt(format!(
                "transfer_mechanisms row (transfer_id {transfer_id}, position {position}): {e}"
            )));
        }
        claims
            .entry(transfer_id)
            .or_default()
            .push(ClaimedMechanism { id, signed_on });
    }
    let mut data: HashMap<i32, Vec<DataCategory>> = HashMap::new();
    for (transfer_id, category) in data_categories {
        data.entry(transfer_id)
            .or_default()
            .push(stored(&category, "transfer_data_categories.category")?);
    }
    let (mut by_vendor, mut ended) = (HashMap::new(), HashMap::new());
    for t in rows {
        let mut data_categories = data.remove(&t.id).unwrap_or_default();
        data_categories.sort();
        let transfer = Transfer {
            id: t.id,
            position: t.position,
            country: t
                .country
                .as_deref()
                .map(|c| stored_country(c, "transfers.country"))
                .transpose()?,
            location: t.location,
            data_categories,
            mechanisms: claims.remove(&t.id).unwrap_or_default(),
            tia_on: t.tia_on,
            supplementary_measures: t.supplementary_measures,
            notes: t.notes,
            outside_scope: stored_scope(&t.outside_scope, t.id)?,
            evidence: evidence.remove(&t.id).unwrap_or_default(),
            version: t.version,
        };
        // An ended transfer is no longer part of the record; its history is in the versions.
        let into: &mut HashMap<i32, Vec<Transfer>> = match t.ended_from {
            None => &mut by_vendor,
            Some(_) => &mut ended,
        };
        into.entry(t.vendor_id).or_default().push(transfer);
    }
    Ok((by_vendor, ended))
}

/// Inserts a transfer with its claims, data categories and evidence; returns its id.
pub(super) fn insert(
    conn: &mut DbConnection,
    vendor_id: i32,
    position: i32,
    t: &Transfer,
) -> QueryResult<i32> {
    let at = now();
    let id: i32 = diesel::insert_into(transfers::table)
        .values((
            transfers::vendor_id.eq(vendor_id),
            transfers::position.eq(position),
            transfers::country.eq(t.country.map(|c| c.as_str())),
            transfers::location.eq(&t.location),
            transfers::tia_on.eq(t.tia_on),
            transfers::supplementary_measures.eq(&t.supplementary_measures),
            transfers::notes.eq(&t.notes),
            transfers::outside_scope.eq(scope_text(&t.outside_scope)),
            transfers::version.eq(1),
            transfers::created_at.eq(at),
            transfers::updated_at.eq(at),
        ))
        .returning(transfers::id)
        .get_result(conn)?;
    insert_claims(conn, id, t)?;
    for e in &t.evidence {
        evidence::insert(conn, vendor_id, EvidenceFor::Transfer(id), e)?;
    }
    Ok(id)
}

/// A transfer's claimed mechanisms and data categories.
fn insert_claims(conn: &mut DbConnection, id: i32, t: &Transfer) -> QueryResult<()> {
    for (position, m) in t.mechanisms.iter().enumerate() {
        diesel::insert_into(transfer_mechanisms::table)
            .values((
                transfer_mechanisms::transfer_id.eq(id),
                transfer_mechanisms::position.eq(position as i32),
                transfer_mechanisms::mechanism.eq(&m.id),
                transfer_mechanisms::signed_on.eq(m.signed_on),
            ))
            .execute(conn)?;
    }
    for category in &t.data_categories {
        let category: &str = (*category).into();
        diesel::insert_into(transfer_data_categories::table)
            .values((
                transfer_data_categories::transfer_id.eq(id),
                transfer_data_categories::category.eq(category),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Refuses a transfer no regime of the exporter can assess: a tool of another regime (the IDTA
/// for a Swiss organisation), a scope condition about another country (`RuleSet::check`).
pub(super) fn check(t: &Transfer, exporter: CountryCode) -> Result<(), EditError> {
    let rules = RuleSet::embedded();
    let mut facts = Facts::to(exporter, t.country);
    for m in &t.mechanisms {
        let mechanism = rules.mechanism_id(&m.id).map_err(|e| EditError::Invalid {
            field: "mechanisms",
            message: e.to_string(),
        })?;
        facts.claims.push(Claim {
            mechanism,
            signed: m.signed_on,
        });
    }
    facts.outside_scope = t.outside_scope.clone();
    rules.check(&facts).map_err(|e| EditError::Invalid {
        field: e.field,
        message: e.message,
    })
}

mod write;

pub use write::{add, end, update};
