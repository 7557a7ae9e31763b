//! An organisation as typed (a workspace form, an API body, the command line), checked field by
//! field: every invalid field named at once, in the order the form shows them.

use chrono::NaiveDate;

use super::{Organisation, Publication};
use crate::date::today;
use crate::registry::settings;
use crate::rules::CountryCode;
use crate::values::{FieldError, Slug, WebUrl, check_text};

/// The longest name, legal name or policy title kept.
pub const NAME_MAX: usize = 200;

/// Slugs that would hide a site address (`/workspace`, `/api`...) or a workspace page.
const RESERVED: [&str; 10] = [
    "api",
    "calendar",
    "workspace",
    "static",
    "problems",
    "oauth",
    "healthz",
    "readyz",
    "new",
    "examples",
];

/// An organisation as typed (a form, a JSON body, the command line): every field as text, empty
/// for none. `slug` is read only when creating.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganisationInput {
    pub slug: String,
    pub name: String,
    pub legal_name: String,
    pub country: String,
    pub website: String,
    pub privacy_contact: String,
    pub policy_title: String,
    pub policy_url: String,
    pub policy_date: String,
    pub announce_days: String,
    /// What the public list shows (checkboxes, or the API's booleans).
    pub publication: Publication,
}

impl OrganisationInput {
    /// The input that keeps `o` as it is.
    pub fn of(o: &Organisation) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        OrganisationInput {
            slug: o.slug.clone(),
            name: o.name.clone(),
            legal_name: o.legal_name.clone(),
            country: o.country.as_str().to_string(),
            website: text(&o.website),
            privacy_contact: text(&o.privacy_contact),
            policy_title: text(&o.policy_title),
            policy_url: text(&o.policy_url),
            policy_date: o.policy_date.map(|d| d.to_string()).unwrap_or_default(),
            announce_days: o.announce_days.to_string(),
            publication: o.publication,
        }
    }
}

/// An organisation's fields, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidOrganisation {
    pub slug: String,
    pub name: String,
    pub legal_name: String,
    pub country: CountryCode,
    pub website: Option<String>,
    pub privacy_contact: Option<String>,
    pub policy_title: Option<String>,
    pub policy_url: Option<String>,
    pub policy_date: Option<NaiveDate>,
    pub announce_days: i32,
    pub publication: Publication,
}

fn optional(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// A one-line text of at most [`NAME_MAX`] characters; `None` when empty.
fn bounded(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    label: &str,
    value: &str,
) -> Option<String> {
    let value = optional(value)?;
    if let Err(e) = check_text(field, value) {
        errors.push(e);
        None
    } else if value.chars().count() > NAME_MAX {
        errors.push(FieldError::new(
            field,
            format!("{label} is too long: at most {NAME_MAX} characters."),
        ));
        None
    } else {
        Some(value.to_string())
    }
}

fn web_url(errors: &mut Vec<FieldError>, field: &'static str, value: &str) -> Option<String> {
    let value = optional(value)?;
    match WebUrl::parse(value) {
        Ok(url) => Some(url.into_string()),
        Err(message) => {
            errors.push(FieldError::new(field, message));
            None
        }
    }
}

/// Checks every field as typed, naming each invalid one in form order. `current` is the
/// organisation edited (its slug is kept; a privacy contact it already holds, such as a postal
/// address from a seed, is kept too).
pub fn check(
    input: &OrganisationInput,
    current: Option<&Organisation>,
) -> Result<ValidOrganisation, Vec<FieldError>> {
    let mut errors = Vec::new();
    let slug = match current {
        Some(o) => o.slug.clone(),
        None => {
            let slug = input.slug.trim();
            if slug.is_empty() {
                errors.push(FieldError::new(
                    "slug",
                    "Enter the short name used in addresses (/{slug}/subprocessors), such as acme.",
                ));
            } else if let Err(rule) = Slug::parse(slug) {
                errors.push(FieldError::new(
                    "slug",
                    format!("'{slug}' cannot be used in addresses: {rule} characters."),
                ));
            } else if RESERVED.contains(&slug) {
                errors.push(FieldError::new(
                    "slug",
                    format!("'{slug}' is taken by the site itself (/{slug}); choose another."),
                ));
            }
            slug.to_string()
        }
    };
    let name = bounded(&mut errors, "name", "The name", &input.name);
    if name.is_none() && !errors.iter().any(|e| e.field == "name") {
        errors.push(FieldError::new(
            "name",
            "Enter the name readers know the organisation by.",
        ));
    }
    let legal_name = bounded(
        &mut errors,
        "legal_name",
        "The legal name",
        &input.legal_name,
    );
    if legal_name.is_none() && !errors.iter().any(|e| e.field == "legal_name") {
        errors.push(FieldError::new(
            "legal_name",
            "Enter the legal name, as the privacy policy gives it (Acme SAS).",
        ));
    }
    let country = match optional(&input.country) {
        None => {
            errors.push(FieldError::new(
                "country",
                "Choose the country the organisation is established in.",
            ));
            None
        }
        Some(c) => match CountryCode::parse(c) {
            Ok(code) if !code.is_organisation() => Some(code),
            _ => {
                errors.push(FieldError::new(
                    "country",
                    format!("'{c}' is not a country code (ISO 3166-1 alpha-2, such as FR or DE)."),
                ));
                None
            }
        },
    };
    let website = web_url(&mut errors, "website", &input.website);
    // The notice period and the contact follow the settings page's rules.
    let (announce_days, privacy_contact) = match settings::check(
        &input.announce_days,
        &input.privacy_contact,
        current.and_then(|o| o.privacy_contact.as_deref()),
    ) {
        Ok(change) => (change.announce_days, change.privacy_contact),
        Err(problems) => {
            for p in &problems {
                errors.push(FieldError::new(p.field, p.message.clone()));
            }
            (0, None)
        }
    };
    let policy_title = bounded(
        &mut errors,
        "policy_title",
        "The policy title",
        &input.policy_title,
    );
    let policy_url = web_url(&mut errors, "policy_url", &input.policy_url);
    let policy_date =
        optional(&input.policy_date).and_then(|d| match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
            Ok(date) if date > today() => {
                errors.push(FieldError::new(
                    "policy_date",
                    format!("{date} is in the future: give the date the policy was last revised."),
                ));
                None
            }
            Ok(date) => Some(date),
            Err(_) => {
                errors.push(FieldError::new(
                    "policy_date",
                    format!("'{d}' is not a date: write it as YYYY-MM-DD (2024-05-25)."),
                ));
                None
            }
        });
    let publication = input.publication.check().unwrap_or_else(|problems| {
        errors.extend(problems);
        input.publication
    });
    // Form order: the order the fields are shown in.
    const ORDER: [&str; 12] = [
        "slug",
        "name",
        "legal_name",
        "country",
        "website",
        "privacy_contact",
        "policy_title",
        "policy_url",
        "policy_date",
        "announce_days",
        "publish_reasons",
        "publish_hints",
    ];
    errors.sort_by_key(|e| ORDER.iter().position(|f| *f == e.field));
    match (errors.is_empty(), name, legal_name, country) {
        (true, Some(name), Some(legal_name), Some(country)) => Ok(ValidOrganisation {
            slug,
            name,
            legal_name,
            country,
            website,
            privacy_contact,
            policy_title,
            policy_url,
            policy_date,
            announce_days,
            publication,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> OrganisationInput {
        OrganisationInput {
            slug: "acme".into(),
            name: "Acme".into(),
            legal_name: "Acme SAS".into(),
            country: "fr".into(),
            announce_days: "30".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_minimal_organisation_is_accepted() {
        let ok = check(&input(), None).unwrap();
        assert_eq!(ok.country.as_str(), "FR");
        assert_eq!(ok.website, None);
    }

    #[test]
    fn every_invalid_field_is_named_in_form_order() {
        let bad = OrganisationInput {
            slug: "Acme Inc".into(),
            name: "".into(),
            legal_name: "x".repeat(NAME_MAX + 1),
            country: "XX".into(),
            website: "acme.com".into(),
            privacy_contact: "call us".into(),
            policy_url: "ftp://acme.com".into(),
            policy_date: "25/05/2018".into(),
            announce_days: "400".into(),
            ..Default::default()
        };
        let errors = check(&bad, None).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "slug",
                "name",
                "legal_name",
                "country",
                "website",
                "privacy_contact",
                "policy_url",
                "policy_date",
                "announce_days"
            ]
        );
        assert!(errors[4].message.contains("did you mean https://acme.com"));
    }

    #[test]
    fn reserved_slugs_and_future_dates_are_refused() {
        for slug in ["workspace", "api", "new"] {
            let errors = check(
                &OrganisationInput {
                    slug: slug.into(),
                    ..input()
                },
                None,
            )
            .unwrap_err();
            assert_eq!(errors[0].field, "slug");
        }
        let later = (today() + chrono::Duration::days(3)).to_string();
        let errors = check(
            &OrganisationInput {
                policy_date: later,
                ..input()
            },
            None,
        )
        .unwrap_err();
        assert_eq!(errors[0].field, "policy_date");
    }
}
