//! The API's data: what it takes in and what it answers, with their OpenAPI schemas.

pub use super::input::*;
pub use super::output::*;
pub use crate::web::input::*;
