//! The public sub-processor list of one organisation on one date, filtered: what the page, the
//! JSON, the CSV and the feed all show.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Change, Registry, Transfer, Vendor, VendorCategory};
use crate::rules::{Assessment, CountryCode, RuleSet, Severity};

/// What a reader narrowed the list to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Filters {
    pub as_of: NaiveDate,
    /// Read as recorded by the end of this day (default: `as_of`, the list as published then);
    /// a later day includes the corrections made since.
    pub known_at: Option<NaiveDate>,
    pub category: Option<VendorCategory>,
    pub country: Option<CountryCode>,
    /// `Some(true)`: only flagged transfers; `Some(false)`: only unflagged ones.
    pub flagged: Option<bool>,
}

impl Filters {
    pub fn on(as_of: NaiveDate) -> Self {
        Filters {
            as_of,
            known_at: None,
            category: None,
            country: None,
            flagged: None,
        }
    }

    /// The last day whose records are read.
    pub fn known_on(&self) -> NaiveDate {
        self.known_at.unwrap_or(self.as_of)
    }

    /// Whether anything but the date narrows the list.
    pub fn narrows(&self) -> bool {
        self.category.is_some() || self.country.is_some() || self.flagged.is_some()
    }
}

pub struct TransferRow<'a> {
    pub transfer: &'a Transfer,
    pub assessment: Assessment<'static>,
}

pub struct VendorRow<'a> {
    pub vendor: &'a Vendor,
    pub transfers: Vec<TransferRow<'a>>,
}

impl VendorRow<'_> {
    /// What sharing with the vendor will be, in a few lines for people: its purpose, then each
    /// destination with the data, the safeguard and, when `verdicts` are published, the verdict.
    pub fn describe(&self, rules: &RuleSet, verdicts: bool) -> Vec<String> {
        let mut lines = vec![format!("Purpose: {}", self.vendor.purpose)];
        for t in &self.transfers {
            let place = match (t.transfer.country, &t.transfer.location) {
                (Some(c), _) => format!("{} ({c})", c.name()),
                (None, Some(l)) => l.clone(),
                (None, None) => "an unknown place".into(),
            };
            let data: Vec<&str> = t
                .transfer
                .data_categories
                .iter()
                .map(|d| d.label())
                .collect();
            let mechanisms: Vec<String> = t
                .transfer
                .mechanisms
                .iter()
                .map(|m| {
                    let regime = t.assessment.regime.and_then(|r| rules.regime(r));
                    let name = rules.mechanism_id(&m.id).map_or(m.id.clone(), |id| {
                        regime
                            .and_then(|r| r.mechanism(id).filter(|_| r.accepts(id)))
                            .unwrap_or_else(|| rules.mechanism(id))
                            .short
                            .clone()
                    });
                    match m.signed_on {
                        Some(d) => format!("{name} (signed {d})"),
                        None => name,
                    }
                })
                .collect();
            let under = t
                .assessment
                .regime
                .and_then(|r| rules.regime(r))
                .map(|r| format!(" under {}", r.label))
                .unwrap_or_default();
            let verdict = if verdicts {
                format!("; verdict: {}{under}", t.assessment.verdict.label())
            } else {
                String::new()
            };
            lines.push(format!(
                "To {place}: {}; safeguard: {}{verdict}",
                if data.is_empty() {
                    "data not stated".to_string()
                } else {
                    data.join(", ")
                },
                if mechanisms.is_empty() {
                    "none recorded".to_string()
                } else {
                    mechanisms.join(", ")
                },
            ));
        }
        lines
    }
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub vendors: usize,
    pub countries: usize,
    pub transfers: usize,
    pub flagged: usize,
    pub critical: usize,
    pub warning: usize,
}

pub struct Listing<'a> {
    pub registry: &'a Registry,
    pub filters: Filters,
    pub rows: Vec<VendorRow<'a>>,
    pub summary: Summary,
    /// Announced changes that take effect after the date.
    pub upcoming: Vec<&'a Change>,
    /// The vendor of each upcoming change as it will be, assessed on the day it takes effect
    /// (`None` for a change with no vendor record to show).
    pub to_come: Vec<Option<VendorRow<'a>>>,
    /// Changes in effect on the date, newest first.
    pub past: Vec<&'a Change>,
}

impl<'a> Listing<'a> {
    pub fn new(registry: &'a Registry, filters: Filters, rules: &'static RuleSet) -> Self {
        let as_of = filters.as_of;
        let exporter = registry.organisation.country;
        let mut rows = Vec::new();
        for vendor in registry.vendors.iter().filter(|v| v.listed_on(as_of)) {
            if filters
                .category
                .is_some_and(|c| !vendor.categories.contains(&c))
            {
                continue;
            }
            let transfers: Vec<TransferRow> = vendor
                .transfers
                .iter()
                .filter(|t| filters.country.is_none_or(|c| t.country == Some(c)))
                .map(|t| TransferRow {
                    transfer: t,
                    assessment: vendor.assess(t, exporter, rules, as_of),
                })
                .filter(|row| filters.flagged.is_none_or(|f| row.assessment.flagged == f))
                .collect();
            // A transfer filter that leaves a vendor nothing hides the vendor.
            if transfers.is_empty() && (filters.country.is_some() || filters.flagged.is_some()) {
                continue;
            }
            rows.push(VendorRow { vendor, transfers });
        }

        let mut summary = Summary {
            vendors: rows.len(),
            ..Summary::default()
        };
        let mut countries = BTreeSet::new();
        for t in rows.iter().flat_map(|r| &r.transfers) {
            summary.transfers += 1;
            if let Some(c) = t.transfer.country {
                countries.insert(c);
            }
            if t.assessment.flagged {
                summary.flagged += 1;
            }
            match t.assessment.severity {
                Severity::Critical => summary.critical += 1,
                Severity::Warning => summary.warning += 1,
                _ => {}
            }
        }
        summary.countries = countries.len();

        // Upcoming: announced by the date, not yet in effect. Later announcements were unknown then.
        let public = || registry.changes.iter().filter(|c| c.kind.is_public());
        let upcoming: Vec<&Change> = public()
            .filter(|c| c.announced_on <= as_of && c.effective_on > as_of)
            .collect();
        let past = public().filter(|c| c.effective_on <= as_of).collect();
        let to_come = upcoming
            .iter()
            .map(|c: &&Change| {
                let vendor = registry.to_come.get(&c.id)?;
                Some(VendorRow {
                    vendor,
                    transfers: vendor
                        .transfers
                        .iter()
                        .map(|t| TransferRow {
                            transfer: t,
                            assessment: vendor.assess(t, exporter, rules, c.effective_on),
                        })
                        .collect(),
                })
            })
            .collect();
        Listing {
            registry,
            filters,
            rows,
            summary,
            upcoming,
            to_come,
            past,
        }
    }
}
