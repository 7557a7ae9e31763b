//! The OpenAPI 3.1 document, generated from the handlers' annotations and the DTO types.

use actix_web::HttpResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{dto, reads, token, writes};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        // No licence is declared; an empty one would not be valid OpenAPI.
        openapi.info.license = None;
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "crossborder API", description = "Vendors, transfers and their assessments, for procurement tools. Bearer JWT with scopes registry:read, registry:write, intake:write. Errors are application/problem+json (RFC 9457)."),
    paths(
        reads::organisations, reads::organisation, reads::vendors, reads::vendor, reads::lookup, reads::transfers,
        reads::assess, reads::intake, writes::create_vendor, writes::update_vendor, writes::retire_vendor,
        writes::add_transfer, writes::update_transfer, writes::create_intake, token::token
    ),
    components(schemas(dto::VendorIn, dto::TransferIn, dto::RetireIn, dto::AssessIn, dto::IntakeIn)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
