//! Intake review: pending requests, approve (creates a proposed vendor) or reject with a reason.

use actix_web::web;

pub fn routes(_cfg: &mut web::ServiceConfig) {}
