//! A synthetic organisation of any size, for benchmarks and tests.

use chrono::{Duration, NaiveDate};
use strum::VariantArray;

use super::OrganisationSeed;
use crate::registry::{
    Certification, ClaimedMechanism, DataCategory, Organisation, Role, Transfer, Vendor,
    VendorCategory, VendorStatus,
};
use crate::rules::CountryCode;

/// A synthetic organisation with `count` vendors, for benchmarks and tests. Deterministic; never
/// loaded unless asked for.
pub fn synthetic(slug: &str, count: usize) -> OrganisationSeed {
    let country = |c: &str| CountryCode::parse(c).expect("known code");
    let destinations = ["US", "IN", "JP", "DE", "GB", "BR", "CA", "IE", "SG", "CH"];
    let mechanisms = [
        "scc_2021",
        "dpf",
        "bcr",
        "consent",
        "privacy_shield",
        "scc_2010",
    ];
    let categories = VendorCategory::VARIANTS;
    let start = NaiveDate::from_ymd_opt(2019, 1, 1).expect("valid date");
    let vendors = (0..count)
        .map(|i| {
            let transfers = (0..1 + i % 3)
                .map(|j| {
                    let n = i * 7 + j * 3;
                    Transfer {
                        id: 0,
                        position: 0,
                        country: Some(country(destinations[n % destinations.len()])),
                        location: None,
                        data_categories: vec![DataCategory::Contact, DataCategory::Usage],
                        mechanisms: vec![ClaimedMechanism {
                            id: mechanisms[n % mechanisms.len()].to_string(),
                            signed_on: Some(start + Duration::days((n % 900) as i64)),
                        }],
                        tia_on: (n % 2 == 0).then_some(start),
                        supplementary_measures: None,
                        notes: None,
                        outside_scope: vec![],
                        evidence: vec![],
                        version: 1,
                    }
                })
                .collect();
            Vendor {
                id: 0,
                key: format!("vendor-{i:05}"),
                name: format!("Vendor {i:05}"),
                legal_entity: Some(format!("Vendor {i:05} Ltd")),
                website: Some(format!("https://vendor-{i:05}.example")),
                headquarters: Some(country(destinations[i % destinations.len()])),
                role: Role::SubProcessor,
                categories: vec![categories[i % categories.len()]],
                purpose: format!("Synthetic service number {i}"),
                status: VendorStatus::Active,
                proposed_on: None,
                active_from: Some(start + Duration::days((i % 1000) as i64)),
                retired_from: None,
                dpa_signed_on: Some(start),
                dpa_url: None,
                notes: None,
                evidence: vec![],
                certifications: if i % 4 == 0 {
                    vec![Certification {
                        id: 0,
                        framework: "dpf".into(),
                        parts: vec!["eu".into()],
                        from: NaiveDate::from_ymd_opt(2023, 7, 10).expect("valid date"),
                        until: None,
                        verified_on: NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date"),
                        evidence: vec![],
                    }]
                } else {
                    vec![]
                },
                transfers,
                ended_transfers: Vec::new(),
                version: 1,
            }
        })
        .collect();
    OrganisationSeed {
        organisation: Organisation {
            id: 0,
            slug: slug.to_string(),
            name: format!("Synthetic ({count} vendors)"),
            legal_name: "Synthetic Example SA".into(),
            country: country("FR"),
            privacy_contact: Some("privacy@synthetic.example".into()),
            website: None,
            policy_title: None,
            policy_date: Some(start),
            policy_source: None,
            policy_url: None,
            announce_days: 30,
            publication: Default::default(),
            version: 1,
            revision: 1,
            updated_at: Default::default(),
        },
        vendors,
    }
}
