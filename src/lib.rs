//! crossborder: a registry of third parties and cross-border transfers of personal data.

pub mod audit;
pub mod auth;
pub mod cli;
pub mod config;
pub mod date;
pub mod db;
pub mod notify;
pub mod registry;
pub mod rules;
pub mod text;
pub mod values;
pub mod web;
