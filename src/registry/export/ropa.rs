//! The transfer part of the record of processing activities (GDPR Art. 30(1)(e) for a
//! controller, 30(2)(c) for a processor): each recipient, each third country, the safeguard
//! claimed and, from the rules engine as on the public list, the verdict on the chosen date;
//! and the workspace's own register of vendors (DPA, TIA, certifications, notes). Rows only:
//! rendering is [`super::sheet`]. No account, token, hash or session is part of either.

use chrono::NaiveDate;

use super::sheet::Sheet;
use crate::db::{DbConnection, DbError};
use crate::registry::history;
use crate::registry::listing::{Filters, Listing};
use crate::registry::organisation::{self, Registry};
use crate::registry::{Transfer, Vendor};
use crate::rules::RuleSet;

const ROPA_HEADERS: [&str; 21] = [
    "Organisation",
    "Assessed on",
    "Recipient",
    "Vendor key",
    "Legal entity",
    "Role",
    "Headquarters",
    "Purpose",
    "Country code",
    "Third country or place",
    "Data categories",
    "Safeguard claimed (Art. 46/49)",
    "Covered by",
    "Regime",
    "Verdict",
    "Flagged",
    "Severity",
    "Reason",
    "TIA on",
    "Supplementary measures",
    "DPA signed on",
];

/// The record's transfer part on `as_of`: every vendor listed that day (as recorded by the end
/// of today, corrections included), one row per transfer, and one row with empty transfer
/// columns for a vendor without any. `None`: no such organisation.
pub fn ropa(
    conn: &mut DbConnection,
    slug: &str,
    as_of: NaiveDate,
    rules: &'static RuleSet,
) -> Result<Option<Sheet>, DbError> {
    let known = history::end_of(crate::date::today().max(as_of));
    let Some(registry) = organisation::published(conn, slug, as_of, known)? else {
        return Ok(None);
    };
    Ok(Some(ropa_sheet(&registry, as_of, rules)))
}

fn ropa_sheet(registry: &Registry, as_of: NaiveDate, rules: &'static RuleSet) -> Sheet {
    let listing = Listing::new(registry, Filters::on(as_of), rules);
    let org = &registry.organisation;
    let mut rows = Vec::new();
    for row in &listing.rows {
        let v = row.vendor;
        let vendor = vec![
            org.name.clone(),
            as_of.to_string(),
            v.name.clone(),
            v.key.clone(),
            v.legal_entity.clone().unwrap_or_default(),
            v.role.label().to_string(),
            v.headquarters
                .map(|c| c.name().to_string())
                .unwrap_or_default(),
            v.purpose.clone(),
        ];
        let dpa = v.dpa_signed_on.map(|d| d.to_string()).unwrap_or_default();
        if row.transfers.is_empty() {
            let mut cells = vendor.clone();
            cells.resize(ROPA_HEADERS.len() - 1, String::new());
            cells.push(dpa.clone());
            rows.push(cells);
        }
        for t in &row.transfers {
            let a = &t.assessment;
            let tr = t.transfer;
            let mut cells = vendor.clone();
            cells.extend([
                tr.country
                    .map(|c| c.as_str().to_string())
                    .unwrap_or_default(),
                tr.place(),
                join(tr.data_categories.iter().map(|d| d.label().to_string())),
                mechanisms(tr, rules),
                a.mechanism
                    .and_then(|id| rules.mechanism_id(id).ok())
                    .map_or_else(
                        || a.mechanism.unwrap_or("").to_string(),
                        |id| rules.mechanism(id).short.clone(),
                    ),
                a.regime.unwrap_or("").to_string(),
                a.verdict.label().to_string(),
                if a.flagged { "yes" } else { "no" }.to_string(),
                a.severity.as_str().to_string(),
                a.reason(),
                tr.tia_on.map(|d| d.to_string()).unwrap_or_default(),
                tr.supplementary_measures.clone().unwrap_or_default(),
                dpa.clone(),
            ]);
            rows.push(cells);
        }
    }
    Sheet {
        title: "Art. 30 transfers".into(),
        headers: ROPA_HEADERS.to_vec(),
        rows,
    }
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

/// The mechanisms claimed for a transfer, by their short names, with the date signed.
fn mechanisms(t: &Transfer, rules: &RuleSet) -> String {
    join(t.mechanisms.iter().map(|m| {
        let name = rules
            .mechanism_id(&m.id)
            .map_or(m.id.clone(), |id| rules.mechanism(id).short.clone());
        match m.signed_on {
            Some(d) => format!("{name} (signed {d})"),
            None => name,
        }
    }))
}

const REGISTER_HEADERS: [&str; 19] = [
    "Vendor key",
    "Name",
    "Legal entity",
    "Website",
    "Headquarters",
    "Role",
    "Categories",
    "Purpose",
    "Status",
    "Proposed on",
    "Active from",
    "Retired from",
    "DPA signed on",
    "DPA URL",
    "Certifications",
    "Transfers",
    "TIA on",
    "Evidence",
    "Notes",
];

/// The workspace's register of an organisation's vendors as recorded now, every status,
/// one row per vendor. `None`: no such organisation.
pub fn register(conn: &mut DbConnection, slug: &str) -> Result<Option<Sheet>, DbError> {
    let Some(registry) = organisation::registry(conn, slug)? else {
        return Ok(None);
    };
    let rows = registry.vendors.iter().map(register_row).collect();
    Ok(Some(Sheet {
        title: "Vendors".into(),
        headers: REGISTER_HEADERS.to_vec(),
        rows,
    }))
}

fn register_row(v: &Vendor) -> Vec<String> {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let certifications = join(v.certifications.iter().map(|c| {
        let until = c.until.map(|u| format!(" until {u}")).unwrap_or_default();
        format!(
            "{} ({}) from {}{until}, verified {}",
            c.framework,
            c.parts.join(", "),
            c.from,
            c.verified_on
        )
    }));
    let transfers = v
        .transfers
        .iter()
        .map(|t| {
            let ids: Vec<&str> = t.mechanisms.iter().map(|m| m.id.as_str()).collect();
            format!(
                "{}: {}",
                t.place(),
                if ids.is_empty() {
                    "no mechanism".to_string()
                } else {
                    ids.join(", ")
                }
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let tia = v
        .transfers
        .iter()
        .filter_map(|t| t.tia_on.map(|d| format!("{}: {d}", t.place())))
        .collect::<Vec<_>>()
        .join("; ");
    let evidence = join(v.evidence.iter().map(|e| e.document.clone()));
    vec![
        v.key.clone(),
        v.name.clone(),
        v.legal_entity.clone().unwrap_or_default(),
        v.website.clone().unwrap_or_default(),
        v.headquarters
            .map(|c| c.name().to_string())
            .unwrap_or_default(),
        v.role.label().to_string(),
        join(v.categories.iter().map(|c| c.label())),
        v.purpose.clone(),
        v.status.to_string(),
        date(v.proposed_on),
        date(v.active_from),
        date(v.retired_from),
        date(v.dpa_signed_on),
        v.dpa_url.clone().unwrap_or_default(),
        certifications,
        transfers,
        tia,
        evidence,
        v.notes.clone().unwrap_or_default(),
    ]
}
