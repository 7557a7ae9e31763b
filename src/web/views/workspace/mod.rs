//! The workspace's pages, one module per page.

pub mod audit;
