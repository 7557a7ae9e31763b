//! The registry: one module per record family, each with its record, its rules and its queries.
//! Organisations have vendors; vendors have transfers, certifications and evidence; changes form
//! the public change log. Writes lock the organisation, then load only the vendor they change.

pub mod certification;
pub mod change;
pub mod edit;
pub mod evidence;
pub mod export;
pub mod intake;
pub mod listing;
pub mod organisation;
pub mod seed;
pub mod settings;
pub mod transfer;
pub mod vendor;

pub use certification::Certification;
pub use change::{Change, ChangeKind};
pub use edit::EditError;
pub use evidence::{Evidence, EvidenceFor};
pub use organisation::{Organisation, Registry};
pub use transfer::{ClaimedMechanism, DataCategory, Transfer};
pub use vendor::{NewVendor, Role, Vendor, VendorCategory, VendorFields, VendorStatus};
