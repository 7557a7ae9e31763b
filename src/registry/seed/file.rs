//! Reading and checking one seed file. Errors name the file, the record and the field.

use std::path::Path;

use chrono::NaiveDate;
use include_dir::{Dir, include_dir};
use serde::Deserialize;

use super::{OrganisationSeed, SeedError};
use crate::registry::{
    Certification, ClaimedMechanism, DataCategory, Evidence, Organisation, Role, Transfer, Vendor,
    VendorCategory, VendorStatus,
};
use crate::rules::{Claim, CountryCode, Facts, RuleSet, ScopeExclusion};
use crate::values::{Slug, VendorKey, WebUrl};

static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/seeds/organisations");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    organisation: OrganisationEntry,
    #[serde(default)]
    vendor: Vec<VendorEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationEntry {
    slug: String,
    name: String,
    legal_name: String,
    country: CountryCode,
    privacy_contact: Option<String>,
    website: Option<String>,
    policy_title: Option<String>,
    policy_date: Option<NaiveDate>,
    policy_source: Option<String>,
    policy_url: Option<String>,
    announce_days: Option<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceEntry {
    source: String,
    quote: String,
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VendorEntry {
    key: String,
    name: String,
    legal_entity: Option<String>,
    website: Option<String>,
    headquarters: Option<CountryCode>,
    role: Role,
    categories: Vec<VendorCategory>,
    purpose: String,
    status: VendorStatus,
    since: Option<NaiveDate>,
    proposed: Option<NaiveDate>,
    retired: Option<NaiveDate>,
    dpa_signed: Option<NaiveDate>,
    dpa_url: Option<String>,
    notes: Option<String>,
    evidence: Option<EvidenceEntry>,
    #[serde(default)]
    certification: Vec<CertificationEntry>,
    #[serde(default)]
    transfer: Vec<TransferEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CertificationEntry {
    framework: String,
    /// Regime ids of the list's parts (`eu`, `uk`, `ch`); default the EU list.
    parts: Option<Vec<String>>,
    from: NaiveDate,
    until: Option<NaiveDate>,
    verified: NaiveDate,
    evidence: Option<EvidenceEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TransferEntry {
    country: Option<CountryCode>,
    location: Option<String>,
    #[serde(default)]
    data_categories: Vec<DataCategory>,
    #[serde(default)]
    mechanisms: Vec<MechanismEntry>,
    tia_date: Option<NaiveDate>,
    supplementary_measures: Option<String>,
    notes: Option<String>,
    #[serde(default)]
    outside_scope: Vec<ScopeExclusion>,
    evidence: Option<EvidenceEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MechanismEntry {
    id: String,
    signed: Option<NaiveDate>,
}

fn evidence(entry: Option<EvidenceEntry>) -> Vec<Evidence> {
    entry
        .map(|e| Evidence {
            document: e.source,
            quote: e.quote,
            url: e.url,
        })
        .into_iter()
        .collect()
}

/// Parses and checks one seed file. Errors name the file, the record and the field.
pub fn parse(file: &str, text: &str, rules: &RuleSet) -> Result<OrganisationSeed, SeedError> {
    let fail = |problems: Vec<String>| SeedError {
        file: file.to_string(),
        problems,
    };
    let seed: SeedFile =
        toml::from_str(text).map_err(|e| fail(vec![e.to_string().trim_end().to_string()]))?;
    let mut problems = match toml::from_str::<toml::Value>(text) {
        Ok(value) => control_characters(&value),
        Err(e) => vec![e.to_string().trim_end().to_string()],
    };

    let o = seed.organisation;
    if Slug::parse(&o.slug).is_err() {
        problems.push(format!(
            "organisation field slug: '{}' is not a slug (lowercase letters, digits and '-')",
            o.slug
        ));
    }
    for (field, value) in [("name", &o.name), ("legal_name", &o.legal_name)] {
        if value.trim().is_empty() {
            problems.push(format!("organisation field {field}: must not be empty"));
        }
    }
    if let Some(w) = o.website.as_deref().filter(|w| WebUrl::parse(w).is_err()) {
        problems.push(format!(
            "organisation field website: '{w}' is not an http(s) URL"
        ));
    }
    let announce_days = o.announce_days.unwrap_or(30);
    if !(0..=365).contains(&announce_days) {
        problems.push(format!(
            "organisation field announce_days: {announce_days} is not between 0 and 365"
        ));
    }
    let organisation = Organisation {
        id: 0,
        slug: o.slug,
        name: o.name,
        legal_name: o.legal_name,
        country: o.country,
        privacy_contact: o.privacy_contact,
        website: o.website,
        policy_title: o.policy_title,
        policy_date: o.policy_date,
        policy_source: o.policy_source,
        policy_url: o.policy_url,
        announce_days,
        publication: Default::default(),
        version: 1,
        revision: 1,
        updated_at: Default::default(),
    };

    let mut keys = std::collections::HashSet::new();
    let mut vendors = Vec::new();
    for v in seed.vendor {
        let at = format!("vendor '{}'", v.key);
        if VendorKey::parse(&v.key).is_err() {
            problems.push(format!(
                "{at} field key: not a key (lowercase letters, digits and '-')"
            ));
        }
        if !keys.insert(v.key.clone()) {
            problems.push(format!(
                "{at} field key: used by another vendor in this file"
            ));
        }
        if v.name.trim().is_empty() {
            problems.push(format!("{at} field name: must not be empty"));
        }
        if v.purpose.trim().is_empty() {
            problems.push(format!("{at} field purpose: must not be empty"));
        }
        if let Some(w) = v.website.as_deref().filter(|w| WebUrl::parse(w).is_err()) {
            problems.push(format!("{at} field website: '{w}' is not an http(s) URL"));
        }
        if v.categories.is_empty() {
            problems.push(format!("{at} field categories: name at least one category"));
        }
        let active_from = v.since.or(organisation.policy_date);
        if let (Some(from), Some(retired)) = (active_from, v.retired)
            && retired <= from
        {
            problems.push(format!("{at} field retired: {retired} is not after {from}"));
        }
        if v.status == VendorStatus::Retired && v.retired.is_none() {
            problems.push(format!(
                "{at} field retired: a retired vendor needs the date it was retired"
            ));
        }
        let certifications = v
            .certification
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let at = format!("{at} certification {}", i + 1);
                if let Err(e) = rules.framework_id(&c.framework) {
                    problems.push(format!("{at} field framework: {e}"));
                }
                let parts = c.parts.unwrap_or_else(|| vec!["eu".to_string()]);
                if let Err(e) = rules.parts(parts.iter().map(String::as_str)) {
                    problems.push(format!("{at} field parts: {e}"));
                }
                if let Some(until) = c.until.filter(|u| *u <= c.from) {
                    problems.push(format!(
                        "{at} field until: {until} is not after from {}",
                        c.from
                    ));
                }
                Certification {
                    id: 0,
                    framework: c.framework,
                    parts,
                    from: c.from,
                    until: c.until,
                    verified_on: c.verified,
                    evidence: evidence(c.evidence),
                }
            })
            .collect();
        let transfers = v
            .transfer
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                let at = format!("{at} transfer {}", i + 1);
                if t.country.is_none() && t.location.as_deref().is_none_or(|l| l.trim().is_empty()) {
                    problems.push(format!("{at} field country: give the country, or a location when the source names none"));
                }
                let mechanisms: Vec<ClaimedMechanism> = t
                    .mechanisms
                    .into_iter()
                    .enumerate()
                    .map(|(j, m)| {
                        if let Err(e) = rules.mechanism_id(&m.id) {
                            problems.push(format!("{at} field mechanisms[{j}].id: {e}"));
                        }
                        ClaimedMechanism {
                            id: m.id,
                            signed_on: m.signed,
                        }
                    })
                    .collect();
                let mut data_categories = t.data_categories;
                data_categories.sort();
                data_categories.dedup();
                // The same checks as `assess` makes: a tool no regime of this exporter knows,
                // a scope condition about another country.
                let mut facts = Facts::to(organisation.country, t.country);
                facts.claims = mechanisms
                    .iter()
                    .filter_map(|m: &ClaimedMechanism| {
                        Some(Claim {
                            mechanism: rules.mechanism_id(&m.id).ok()?,
                            signed: m.signed_on,
                        })
                    })
                    .collect();
                facts.outside_scope = t.outside_scope.clone();
                if let Err(e) = rules.check(&facts) {
                    problems.push(format!("{at} field {e}"));
                }
                Transfer {
                    id: 0,
                    position: 0,
                    country: t.country,
                    location: t.location,
                    data_categories,
                    mechanisms,
                    tia_on: t.tia_date,
                    supplementary_measures: t.supplementary_measures,
                    notes: t.notes,
                    outside_scope: t.outside_scope,
                    evidence: evidence(t.evidence),
                    version: 1,
                }
            })
            .collect();
        let mut categories = v.categories;
        categories.sort();
        categories.dedup();
        vendors.push(Vendor {
            id: 0,
            key: v.key,
            name: v.name,
            legal_entity: v.legal_entity,
            website: v.website,
            headquarters: v.headquarters,
            role: v.role,
            categories,
            purpose: v.purpose,
            status: v.status,
            proposed_on: v.proposed,
            active_from: match v.status {
                VendorStatus::Proposed => v.since,
                _ => active_from,
            },
            retired_from: v.retired,
            dpa_signed_on: v.dpa_signed,
            dpa_url: v.dpa_url,
            notes: v.notes,
            evidence: evidence(v.evidence),
            certifications,
            transfers,
            ended_transfers: Vec::new(),
            version: 1,
        });
    }
    if !problems.is_empty() {
        return Err(fail(problems));
    }
    vendors.sort_by(|a, b| a.name.cmp(&b.name).then(a.key.cmp(&b.key)));
    Ok(OrganisationSeed {
        organisation,
        vendors,
    })
}

/// Every text of a seed file holding a character never stored (`values::check_text`: control
/// characters but tab, and newlines outside the fields that hold lines), named by its record
/// and field: `vendor 'host' transfer 1 field notes: contains the control character U+0007...`.
fn control_characters(file: &toml::Value) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(organisation) = file.get("organisation").and_then(toml::Value::as_table) {
        for (name, value) in organisation {
            text_field(value, "organisation", name, &mut problems);
        }
    }
    let vendors = file.get("vendor").and_then(toml::Value::as_array);
    for (i, vendor) in vendors.into_iter().flatten().enumerate() {
        let record = match vendor.get("key").and_then(toml::Value::as_str) {
            Some(key) => format!("vendor '{}'", key.escape_debug()),
            None => format!("vendor {}", i + 1),
        };
        for (name, value) in vendor.as_table().into_iter().flatten() {
            match (name.as_str(), value) {
                // A vendor's certifications and transfers are records of their own.
                ("certification" | "transfer", toml::Value::Array(records)) => {
                    for (j, r) in records.iter().enumerate() {
                        let record = format!("{record} {name} {}", j + 1);
                        for (name, value) in r.as_table().into_iter().flatten() {
                            text_field(value, &record, name, &mut problems);
                        }
                    }
                }
                _ => text_field(value, &record, name, &mut problems),
            }
        }
    }
    problems
}

/// [`control_characters`] of one field (`evidence.quote`, `mechanisms[0].id` inside).
fn text_field(value: &toml::Value, record: &str, field: &str, problems: &mut Vec<String>) {
    match value {
        toml::Value::String(text) => {
            if let Err(e) = crate::values::check_text(field, text) {
                problems.push(format!("{record} field {field}: {}", e.message));
            }
        }
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                text_field(item, record, &format!("{field}[{i}]"), problems);
            }
        }
        toml::Value::Table(table) => {
            for (name, item) in table {
                text_field(item, record, &format!("{field}.{name}"), problems);
            }
        }
        _ => {}
    }
}

/// The seed files compiled into the binary (`seeds/organisations/*.toml`).
/// The slugs of the example organisations compiled in (each file is named after its slug).
pub fn example_slugs() -> Vec<String> {
    EMBEDDED
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
        .filter_map(|f| f.path().file_stem()?.to_str().map(str::to_string))
        .collect()
}

pub fn embedded(rules: &RuleSet) -> Result<Vec<OrganisationSeed>, SeedError> {
    let mut files: Vec<_> = EMBEDDED
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort_by_key(|f| f.path());
    files
        .into_iter()
        .map(|f| {
            let name = format!("seeds/organisations/{}", f.path().display());
            let text = f.contents_utf8().ok_or_else(|| SeedError {
                file: name.clone(),
                problems: vec!["not UTF-8 text".into()],
            })?;
            parse(&name, text, rules)
        })
        .collect()
}

/// The seed files of a directory, every `*.toml` in it.
pub fn from_dir(dir: &Path, rules: &RuleSet) -> Result<Vec<OrganisationSeed>, SeedError> {
    let unreadable = |e: std::io::Error| SeedError {
        file: dir.display().to_string(),
        problems: vec![format!("cannot read: {e}")],
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(SeedError {
            file: dir.display().to_string(),
            problems: vec!["holds no .toml seed file".into()],
        });
    }
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).map_err(|e| SeedError {
                file: p.display().to_string(),
                problems: vec![format!("cannot read: {e}")],
            })?;
            parse(&p.display().to_string(), &text, rules)
        })
        .collect()
}

#[cfg(test)]
#[path = "file_tests.rs"]
mod tests;
