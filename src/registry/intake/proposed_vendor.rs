//! The proposed vendor an approved intake request becomes (its key is made from its name by
//! `vendor::key`).

use super::IntakeRequest;
use crate::registry::{DataCategory, Role, Transfer, Vendor, VendorCategory, VendorStatus};
use crate::rules::CountryCode;

/// The proposed vendor an approved request becomes: a processor in category "other", one
/// transfer per requested country with the requested data categories and no mechanism yet.
pub(super) fn proposed_vendor(request: &IntakeRequest, key: String) -> Vendor {
    let mut data_categories: Vec<DataCategory> = request
        .data_categories
        .split_whitespace()
        .filter_map(|c| c.parse().ok())
        .collect();
    data_categories.sort();
    data_categories.dedup();
    let mut seen = Vec::new();
    let transfers = request
        .countries
        .split_whitespace()
        .filter(|c| {
            let new = !seen.contains(c);
            seen.push(*c);
            new
        })
        .map(|c| {
            let country = CountryCode::parse(c).ok();
            Transfer {
                id: 0,
                position: 0,
                country,
                // A code the rules no longer know is kept as the place's description.
                location: country.is_none().then(|| c.to_string()),
                data_categories: data_categories.clone(),
                mechanisms: Vec::new(),
                tia_on: None,
                supplementary_measures: None,
                notes: None,
                outside_scope: Vec::new(),
                evidence: Vec::new(),
                version: 1,
            }
        })
        .collect();
    Vendor {
        id: 0,
        key,
        name: request.vendor_name.trim().to_string(),
        legal_entity: None,
        website: request.website.clone().filter(|w| !w.trim().is_empty()),
        headquarters: None,
        role: Role::Processor,
        categories: vec![VendorCategory::Other],
        purpose: request.purpose.trim().to_string(),
        status: VendorStatus::Proposed,
        proposed_on: Some(crate::date::today()),
        active_from: None,
        retired_from: None,
        dpa_signed_on: None,
        dpa_url: None,
        notes: Some(format!(
            "From intake request #{}, asked by {}.",
            request.id, request.requester
        )),
        evidence: Vec::new(),
        certifications: Vec::new(),
        transfers,
        ended_transfers: Vec::new(),
        version: 1,
    }
}
