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
    pub category: Option<VendorCategory>,
    pub country: Option<CountryCode>,
    /// `Some(true)`: only flagged transfers; `Some(false)`: only unflagged ones.
    pub flagged: Option<bool>,
}

impl Filters {
    pub fn on(as_of: NaiveDate) -> Self {
        Filters {
            as_of,
            category: None,
            country: None,
            flagged: None,
        }
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
        let upcoming = public()
            .filter(|c| c.announced_on <= as_of && c.effective_on > as_of)
            .collect();
        let past = public().filter(|c| c.effective_on <= as_of).collect();
        Listing {
            registry,
            filters,
            rows,
            summary,
            upcoming,
            past,
        }
    }
}
