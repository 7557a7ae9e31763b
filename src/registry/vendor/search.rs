//! Finding a vendor by what people remember of it: part of its name or key, its legal entity,
//! its website, or its domain ("stripe.com" finds https://www.stripe.com/en). The same test tells
//! an intake request that names a vendor the organisation already has.

use super::Vendor;
use super::key::key_from_name;

/// The domain of a website as people write it: the host, lowercase, without `www.`; a bare
/// "stripe.com" is read as a website too. `None` when there is no host with a dot.
pub fn domain(website: &str) -> Option<String> {
    let website = website.trim();
    let parsed = url::Url::parse(website)
        .ok()
        .filter(|u| u.has_host())
        .or_else(|| url::Url::parse(&format!("https://{website}")).ok())?;
    let host = parsed.host_str()?.to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    host.contains('.').then(|| host.to_string())
}

/// Whether `vendor` answers the search `q` (any case): part of its name, key, legal entity or
/// website, or a domain it is at (its own or a parent of it).
pub fn matches(vendor: &Vendor, q: &str) -> bool {
    let q = q.trim().to_lowercase();
    if q.is_empty() {
        return true;
    }
    let contains = |field: Option<&str>| field.is_some_and(|f| f.to_lowercase().contains(&q));
    contains(Some(&vendor.name))
        || contains(Some(&vendor.key))
        || contains(vendor.legal_entity.as_deref())
        || contains(vendor.website.as_deref())
        || (q.contains('.')
            && domain(&q).is_some_and(|wanted| {
                vendor
                    .website
                    .as_deref()
                    .and_then(domain)
                    .is_some_and(|d| d == wanted || d.ends_with(&format!(".{wanted}")))
            }))
}

/// Why an intake request (`asked`: the name and website it gives) looks like a vendor on
/// record (`known`: its name, legal entity and website): the same domain, or the same name once
/// folded as keys are ("Stripe, Inc." and "stripe inc").
pub fn same_vendor(
    (name, legal_entity, website): (&str, Option<&str>, Option<&str>),
    (asked_name, asked_website): (&str, Option<&str>),
) -> Option<Sameness> {
    let wanted = asked_website.and_then(domain);
    if wanted.is_some() && wanted == website.and_then(domain) {
        return Some(Sameness::Domain);
    }
    let folded = key_from_name(asked_name);
    [Some(name), legal_entity]
        .into_iter()
        .flatten()
        .any(|n| key_from_name(n) == folded)
        .then_some(Sameness::Name)
}

/// What an intake request shares with a vendor already on record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sameness {
    Domain,
    Name,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{Role, VendorStatus};

    fn vendor(name: &str, legal: Option<&str>, website: Option<&str>) -> Vendor {
        Vendor {
            id: 1,
            key: key_from_name(name),
            name: name.into(),
            legal_entity: legal.map(Into::into),
            website: website.map(Into::into),
            headquarters: None,
            role: Role::Processor,
            categories: vec![],
            purpose: String::new(),
            status: VendorStatus::Active,
            proposed_on: None,
            active_from: None,
            retired_from: None,
            dpa_signed_on: None,
            dpa_url: None,
            notes: None,
            evidence: vec![],
            certifications: vec![],
            transfers: vec![],
            ended_transfers: vec![],
            version: 1,
        }
    }

    #[test]
    fn domains_are_hosts_without_www() {
        assert_eq!(
            domain("https://www.Stripe.com/en").as_deref(),
            Some("stripe.com")
        );
        assert_eq!(domain("stripe.com").as_deref(), Some("stripe.com"));
        assert_eq!(
            domain("eu.mailgun.net/x").as_deref(),
            Some("eu.mailgun.net")
        );
        assert_eq!(domain("Stripe"), None);
        assert_eq!(domain(""), None);
    }

    #[test]
    fn a_search_reads_name_key_entity_website_and_domain() {
        let v = vendor(
            "Stripe",
            Some("Stripe Payments Europe, Ltd."),
            Some("https://www.stripe.com/ie"),
        );
        for q in [
            "strip",
            "STRIPE",
            "payments europe",
            "stripe.com/ie",
            "https://stripe.com",
            "www.stripe.com",
            "",
        ] {
            assert!(matches(&v, q), "{q}");
        }
        let mail = vendor("Mailgun", None, Some("https://eu.mailgun.net"));
        assert!(matches(&mail, "mailgun.net"), "a parent domain");
        for q in ["adyen", "ireland", "stripe.org", "mailgun.net.evil"] {
            assert!(!matches(&v, q), "{q}");
        }
    }

    #[test]
    fn the_same_vendor_by_domain_or_folded_name() {
        let known = ("Stripe", Some("Stripe, Inc."), Some("https://stripe.com"));
        assert_eq!(
            same_vendor(known, ("Payments", Some("https://www.stripe.com/pricing"))),
            Some(Sameness::Domain)
        );
        assert_eq!(same_vendor(known, ("STRIPE", None)), Some(Sameness::Name));
        assert_eq!(
            same_vendor(known, ("stripe inc", None)),
            Some(Sameness::Name)
        );
        assert_eq!(
            same_vendor(known, ("Stripe Atlas", Some("https://atlas.io"))),
            None
        );
    }
}
