//! The registry: organisations, vendors, transfers, changes and the audit trail, in the database.

pub mod export;
pub mod intake;
pub mod listing;
pub mod load;
pub mod model;
pub mod organisation;
pub mod seed;
pub mod settings;
pub mod store;

pub use model::*;
