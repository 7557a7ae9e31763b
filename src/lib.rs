//! crossborder: a registry of third parties and cross-border transfers of personal data.

pub mod date;
pub mod rules;
pub mod text;
