//! The closed vocabularies of the API as OpenAPI schemas, for `#[schema(schema_with = ...)]` and
//! the query parameters: each built from the list the server checks values against (the
//! registry's enums, the rules data), so that the document cannot drift from what is enforced.

use strum::VariantArray;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};

use crate::registry::{DataCategory, Role, VendorCategory, VendorStatus};
use crate::rules::{Confidence, RuleSet, Severity, Verdict};

/// A string, one of `values`.
fn one_of<'a>(values: impl IntoIterator<Item = &'a str>) -> Schema {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.into_iter().map(str::to_string)))
        .build()
        .into()
}

/// A list of such strings.
fn list_of(item: Schema) -> Schema {
    ArrayBuilder::new().items(RefOr::T(item)).build().into()
}

fn variants<T: VariantArray + Into<&'static str> + Copy>() -> Vec<&'static str> {
    T::VARIANTS.iter().map(|v| (*v).into()).collect()
}

pub fn role() -> Schema {
    one_of(variants::<Role>())
}

pub fn vendor_status() -> Schema {
    one_of(variants::<VendorStatus>())
}

/// What a vendor may be created or updated as: retiring has its own route.
pub fn new_vendor_status() -> Schema {
    one_of(["proposed", "active"])
}

pub fn category() -> Schema {
    one_of(variants::<VendorCategory>())
}

pub fn categories() -> Schema {
    list_of(category())
}

pub fn data_categories() -> Schema {
    list_of(one_of(variants::<DataCategory>()))
}

/// A transfer mechanism id of the rules data (scc_2021, dpf, consent...).
pub fn mechanism_id() -> Schema {
    one_of(RuleSet::embedded().mechanisms().map(|m| m.id()))
}

/// A framework an importer can be certified on (safe_harbour, privacy_shield, dpf).
pub fn framework() -> Schema {
    let rules = RuleSet::embedded();
    one_of(
        rules
            .mechanisms()
            .map(|m| m.id())
            .filter(|id| rules.framework_id(id).is_ok()),
    )
}

pub fn frameworks() -> Schema {
    list_of(framework())
}

pub fn verdict() -> Schema {
    one_of(Verdict::ALL.map(Verdict::as_str))
}

pub fn severity() -> Schema {
    one_of(Severity::ALL.map(Severity::as_str))
}

pub fn confidence() -> Schema {
    one_of(Confidence::ALL.map(Confidence::tag))
}

pub fn intake_status() -> Schema {
    use crate::registry::intake::{APPROVED, PENDING, REJECTED};
    one_of([PENDING, APPROVED, REJECTED])
}

/// What evidence is about.
pub fn evidence_subject() -> Schema {
    one_of(["vendor", "transfer", "certification"])
}

pub fn token_type() -> Schema {
    one_of(["Bearer"])
}

pub fn grant_type() -> Schema {
    one_of(["client_credentials"])
}

/// The schema of a query parameter with a closed vocabulary, by its name.
pub fn of_parameter(name: &str) -> Option<Schema> {
    match name {
        "category" => Some(category()),
        "role" => Some(role()),
        "status" => Some(vendor_status()),
        _ => None,
    }
}
