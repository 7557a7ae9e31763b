//! What an import would do: the rows grouped into vendors (the same company on two rows is one
//! vendor, its purposes and places merged), each matched with the register (by key, then name,
//! then website domain) and turned into what would be created or changed. Nothing is written.

use std::collections::HashMap;

use super::rows::{ImportRow, Problem, RowRef};
use crate::registry::transfer::ClaimedMechanism;
use crate::registry::vendor::key_from_name;
use crate::registry::{Role, Transfer, Vendor, VendorFields, VendorStatus};
use crate::rules::CountryCode;
use crate::values::WebUrl;

/// Rows of one vendor, merged.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub key: String,
    pub rows: Vec<RowRef>,
    pub row: ImportRow,
}

/// Groups rows by key (given, or made from the name); a second row adds its purpose and places
/// and may fill what the first left empty, but a different value is a problem of its cell.
pub fn group(rows: Vec<ImportRow>) -> (Vec<Incoming>, Vec<Problem>) {
    let mut groups: Vec<Incoming> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut problems = Vec::new();
    for row in rows {
        let key = row.key.clone().unwrap_or_else(|| key_from_name(&row.name));
        let Some(&i) = index.get(&key) else {
            index.insert(key.clone(), groups.len());
            groups.push(Incoming {
                key,
                rows: row.at.iter().cloned().collect(),
                row,
            });
            continue;
        };
        let group = &mut groups[i];
        let first = group
            .rows
            .first()
            .map(ToString::to_string)
            .unwrap_or_default();
        let mut conflict = |what: &str| {
            problems.push(Problem {
                row: row.at.clone(),
                column: None,
                message: format!(
                    "{what} differs from {first}, which names the same vendor ({}): give one \
                     value or leave this one empty",
                    row.name
                ),
            })
        };
        let merged = &mut group.row;
        if let Some(purpose) = &row.purpose {
            match &mut merged.purpose {
                Some(p) if p.split("; ").any(|x| x == purpose) => {}
                Some(p) => {
                    p.push_str("; ");
                    p.push_str(purpose);
                }
                None => merged.purpose = Some(purpose.clone()),
            }
        }
        for c in &row.countries {
            if !merged.countries.contains(c) {
                merged.countries.push(*c);
            }
        }
        for c in &row.categories {
            if !merged.categories.contains(c) {
                merged.categories.push(*c);
            }
        }
        for d in &row.data_categories {
            if !merged.data_categories.contains(d) {
                merged.data_categories.push(*d);
            }
        }
        for m in &row.mechanisms {
            if !merged.mechanisms.contains(m) {
                merged.mechanisms.push(m.clone());
            }
        }
        macro_rules! one {
            ($field:ident, $label:expr) => {
                match (&merged.$field, &row.$field) {
                    (_, None) => {}
                    (None, Some(v)) => merged.$field = Some(v.clone()),
                    (Some(a), Some(b)) if a == b => {}
                    _ => conflict($label),
                }
            };
        }
        one!(legal_entity, "the legal entity");
        one!(website, "the website");
        one!(headquarters, "the headquarters");
        one!(role, "the role");
        one!(status, "the status");
        one!(dpa_signed_on, "the DPA date");
        one!(dpa_url, "the DPA link");
        one!(tia_on, "the TIA date");
        one!(notes, "the notes");
        group.rows.extend(row.at.iter().cloned());
    }
    (groups, problems)
}

/// The host of a web address without `www.`, for matching vendors by domain.
pub fn domain(url: &str) -> Option<String> {
    let host = url::Url::parse(url).ok()?.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// The register's vendor an incoming one is, if any: same key, else same name, else same
/// website domain.
pub fn matching<'a>(incoming: &Incoming, register: &'a [Vendor]) -> Option<&'a Vendor> {
    let name = incoming.row.name.trim().to_lowercase();
    let site = incoming.row.website.as_deref().and_then(domain);
    register
        .iter()
        .find(|v| v.key == incoming.key)
        .or_else(|| {
            register
                .iter()
                .find(|v| v.name.trim().to_lowercase() == name)
        })
        .or_else(|| {
            let site = site.as_ref()?;
            register
                .iter()
                .find(|v| v.website.as_deref().and_then(domain).as_ref() == Some(site))
        })
}

/// The transfers of an incoming vendor, one per country, with what its rows say of each.
pub fn transfers(row: &ImportRow) -> Vec<Transfer> {
    row.countries
        .iter()
        .enumerate()
        .map(|(i, c)| transfer(row, *c, i))
        .collect()
}

fn transfer(row: &ImportRow, country: CountryCode, position: usize) -> Transfer {
    Transfer {
        id: 0,
        position: i32::try_from(position).unwrap_or(i32::MAX),
        country: Some(country),
        location: None,
        data_categories: row.data_categories.clone(),
        mechanisms: row
            .mechanisms
            .iter()
            .map(|id| ClaimedMechanism {
                id: id.clone(),
                signed_on: None,
            })
            .collect(),
        tia_on: row.tia_on,
        supplementary_measures: None,
        notes: None,
        outside_scope: Vec::new(),
        evidence: Vec::new(),
        version: 1,
    }
}

/// A new vendor's fields: active unless the file says proposed (announced, taking effect
/// after the notice period); role processor unless the file says otherwise.
pub fn new_fields(row: &ImportRow) -> VendorFields {
    VendorFields {
        name: row.name.clone(),
        legal_entity: row.legal_entity.clone(),
        website: row.website.as_deref().and_then(|w| WebUrl::parse(w).ok()),
        headquarters: row.headquarters,
        role: row.role.unwrap_or(Role::Processor),
        categories: row.categories.clone(),
        purpose: row.purpose.clone().unwrap_or_default(),
        status: Some(row.status.unwrap_or(VendorStatus::Active)),
        active_from: None,
        dpa_signed_on: row.dpa_signed_on,
        dpa_url: row.dpa_url.as_deref().and_then(|w| WebUrl::parse(w).ok()),
        notes: row.notes.clone(),
    }
}

/// An existing vendor's fields with what the file gives over them, and the changes in words
/// (empty: the file changes nothing of them). Nothing the file leaves empty is cleared.
pub fn updated_fields(held: &Vendor, row: &ImportRow) -> (VendorFields, Vec<String>) {
    let mut changes = Vec::new();
    let mut change = |what: &str, from: String, to: String| {
        changes.push(format!("{what}: {from} → {to}"));
    };
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "none".into());
    let mut f = VendorFields {
        name: held.name.clone(),
        legal_entity: held.legal_entity.clone(),
        website: held.website.as_deref().and_then(|w| WebUrl::parse(w).ok()),
        headquarters: held.headquarters,
        role: held.role,
        categories: held.categories.clone(),
        purpose: held.purpose.clone(),
        status: None,
        active_from: None,
        dpa_signed_on: held.dpa_signed_on,
        dpa_url: held.dpa_url.as_deref().and_then(|w| WebUrl::parse(w).ok()),
        notes: held.notes.clone(),
    };
    if let Some(v) = row
        .legal_entity
        .as_ref()
        .filter(|v| held.legal_entity.as_ref() != Some(v))
    {
        change("legal entity", shown(&held.legal_entity), v.clone());
        f.legal_entity = Some(v.clone());
    }
    if let Some(v) = row
        .website
        .as_ref()
        .filter(|v| held.website.as_ref() != Some(v))
    {
        change("website", shown(&held.website), v.clone());
        f.website = WebUrl::parse(v).ok();
    }
    if let Some(v) = row.headquarters.filter(|v| held.headquarters != Some(*v)) {
        let was = held.headquarters.map(|c| c.name().to_string());
        change("headquarters", shown(&was), v.name().to_string());
        f.headquarters = Some(v);
    }
    if let Some(v) = row.role.filter(|v| *v != held.role) {
        change("role", held.role.label().into(), v.label().into());
        f.role = v;
    }
    let mut categories = row.categories.clone();
    categories.sort();
    categories.dedup();
    if !categories.is_empty() && categories != held.categories {
        let list = |c: &[crate::registry::VendorCategory]| {
            c.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        change("categories", list(&held.categories), list(&categories));
        f.categories = categories;
    }
    if let Some(v) = row.purpose.as_ref().filter(|v| **v != held.purpose) {
        change("purpose", held.purpose.clone(), v.clone());
        f.purpose = v.clone();
    }
    if row.status == Some(VendorStatus::Active) && held.status == VendorStatus::Proposed {
        change("status", "proposed".into(), "active (announced)".into());
        f.status = Some(VendorStatus::Active);
    }
    if let Some(v) = row.dpa_signed_on.filter(|v| held.dpa_signed_on != Some(*v)) {
        let was = held.dpa_signed_on.map(|d| d.to_string());
        change("DPA signed on", shown(&was), v.to_string());
        f.dpa_signed_on = Some(v);
    }
    if let Some(v) = row
        .dpa_url
        .as_ref()
        .filter(|v| held.dpa_url.as_ref() != Some(v))
    {
        change("DPA link", shown(&held.dpa_url), v.clone());
        f.dpa_url = WebUrl::parse(v).ok();
    }
    if let Some(v) = row
        .notes
        .as_ref()
        .filter(|v| held.notes.as_ref() != Some(v))
    {
        change("notes", shown(&held.notes), v.clone());
        f.notes = Some(v.clone());
    }
    (f, changes)
}

/// An existing transfer with what the file says of it, if that changes it.
pub fn updated_transfer(held: &Transfer, row: &ImportRow) -> Option<Transfer> {
    let mut new = held.clone();
    let mut data = row.data_categories.clone();
    data.sort();
    if !data.is_empty() {
        new.data_categories = data;
    }
    let held_ids: Vec<&str> = held.mechanisms.iter().map(|m| m.id.as_str()).collect();
    if !row.mechanisms.is_empty() && held_ids != row.mechanisms {
        new.mechanisms = transfer(row, held.country?, 0).mechanisms;
    }
    if row.tia_on.is_some() {
        new.tia_on = row.tia_on;
    }
    (new != *held).then_some(new)
}
