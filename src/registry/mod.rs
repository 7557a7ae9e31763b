//! The registry: one module per record family, each with its record, its rules and its queries.
//! Organisations have vendors; vendors have transfers, certifications and evidence; changes form
//! the public change log. Writes lock the organisation, then load only the vendor they change.

pub mod bulk;
pub mod certification;
pub mod change;
pub mod due;
pub mod edit;
pub mod evidence;
pub mod export;
pub mod history;
pub mod intake;
pub mod link;
pub mod listing;
pub mod notice;
pub mod objection;
pub mod organisation;
pub mod outbox;
pub mod records;
pub mod seed;
pub mod settings;
pub mod subscriber;
pub mod transfer;
pub mod vendor;
pub mod webhook;

pub use certification::Certification;
pub use change::{Change, ChangeKind};
pub use edit::EditError;
pub use evidence::{Evidence, EvidenceFor};
pub use organisation::{Organisation, Registry};
pub use transfer::{ClaimedMechanism, DataCategory, Transfer};
pub use vendor::{NewVendor, Role, Vendor, VendorCategory, VendorFields, VendorStatus};

use crate::db::DbError;
use crate::rules::CountryCode;

/// A word of a vocabulary as stored: one this version does not know is corrupt data, named with
/// its column, never read as something else.
fn stored<T: std::str::FromStr>(value: &str, column: &str) -> Result<T, DbError> {
    value
        .parse()
        .map_err(|_| DbError::Corrupt(format!("{column} holds unknown value '{value}'")))
}

/// A country code as stored; an unknown one is corrupt data, named with its column.
fn stored_country(value: &str, column: &str) -> Result<CountryCode, DbError> {
    CountryCode::parse(value).map_err(|e| DbError::Corrupt(format!("{column}: {e}")))
}
