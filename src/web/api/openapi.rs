//! The OpenAPI 3.1 document, generated from the handlers' annotations and the DTO types.

use actix_web::HttpResponse;
use serde::Serialize;
use utoipa::openapi::RefOr;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::Ref;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, PartialSchema, ToSchema};

use super::public_docs::PublicDocuments;
use super::{accounts, dto, notices, organisations, reads, token, vocabulary, writes};

/// The query parameters with a closed vocabulary (`category`, `role`, `status`) get its enum.
struct Vocabularies;

impl Modify for Vocabularies {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let operations = openapi.paths.paths.values_mut().flat_map(|item| {
            [item.get.as_mut(), item.post.as_mut(), item.put.as_mut()]
                .into_iter()
                .flatten()
        });
        for operation in operations {
            let parameters = operation.parameters.iter_mut().flatten();
            for parameter in parameters.filter_map(|p| match p {
                RefOr::T(parameter) => Some(parameter),
                RefOr::Ref(_) => None,
            }) {
                if matches!(parameter.parameter_in, ParameterIn::Query)
                    && let Some(schema) = vocabulary::of_parameter(&parameter.name)
                {
                    parameter.schema = Some(RefOr::T(schema));
                }
            }
        }
    }
}

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

/// An error (RFC 9457), as every API route sends it.
#[derive(Serialize, ToSchema)]
#[schema(as = Problem)]
#[allow(dead_code)]
struct ProblemDoc {
    #[serde(rename = "type")]
    kind: String,
    title: String,
    status: u16,
    detail: String,
    /// For invalid input: each field and what is wrong with it.
    errors: Option<Vec<FieldErrorDoc>>,
}

#[derive(Serialize, ToSchema)]
#[schema(as = ProblemField)]
#[allow(dead_code)]
struct FieldErrorDoc {
    field: String,
    message: String,
}

/// RFC 6749 §5.2: the token endpoint's errors.
#[derive(Serialize, ToSchema)]
#[schema(as = OAuthError)]
#[allow(dead_code)]
struct OAuthErrorDoc {
    error: String,
    error_description: String,
}

/// The token request (RFC 6749 §4.4), form-encoded.
#[derive(Serialize, ToSchema)]
#[schema(as = TokenRequest)]
#[allow(dead_code)]
struct TokenRequestDoc {
    /// client_credentials
    #[schema(schema_with = vocabulary::grant_type)]
    grant_type: String,
    /// Space-separated; default all the client may have.
    scope: Option<String>,
    /// Or HTTP Basic.
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// Documents every error a route can answer, once, instead of per handler: problem+json for the
/// API, RFC 6749 errors for the token endpoint.
struct ErrorResponses;

const READ_ERRORS: &[(&str, &str)] = &[
    ("400", "A parameter cannot be read or is invalid"),
    ("401", "No valid bearer token"),
    ("403", "The token lacks the scope"),
    ("404", "No such organisation, vendor, transfer or request"),
];

const WRITE_ERRORS: &[(&str, &str)] = &[
    (
        "409",
        "Conflicts with the current state (duplicate key, already retired)",
    ),
    ("412", "If-Match names a version that is no longer current"),
    ("413", "The body is over 64 KiB"),
    ("415", "The body is not application/json"),
    ("422", "Invalid fields, each named"),
    ("428", "An update without If-Match"),
];

fn error_response(
    description: &str,
    media: &str,
    schema: &str,
) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                media,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name(schema)))
                    .build(),
            )
            .build(),
    )
}

fn document_errors(
    operation: &mut Operation,
    codes: &[&[(&str, &str)]],
    media: &str,
    schema: &str,
) {
    let responses = &mut operation.responses.responses;
    responses.retain(|code, _| !code.starts_with('4') && !code.starts_with('5'));
    for (code, description) in codes.iter().flat_map(|c| c.iter()) {
        responses.insert(code.to_string(), error_response(description, media, schema));
    }
}

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, schema) in [
            ("Problem", ProblemDoc::schema()),
            ("ProblemField", FieldErrorDoc::schema()),
            ("OAuthError", OAuthErrorDoc::schema()),
            ("TokenRequest", TokenRequestDoc::schema()),
        ] {
            components.schemas.insert(name.to_string(), schema);
        }
        for (path, item) in openapi.paths.paths.iter_mut() {
            if path == "/oauth/token" {
                if let Some(op) = item.post.as_mut() {
                    let oauth: &[(&str, &str)] = &[
                        (
                            "400",
                            "invalid_request, unsupported_grant_type or invalid_scope",
                        ),
                        ("401", "invalid_client"),
                        ("500", "server_error"),
                        (
                            "503",
                            "temporarily_unavailable (no signing secret configured)",
                        ),
                    ];
                    document_errors(op, &[oauth], "application/json", "OAuthError");
                    if let Some(RefOr::T(body)) = op.request_body.as_mut() {
                        body.content.insert(
                            "application/x-www-form-urlencoded".into(),
                            RefOr::T(
                                ContentBuilder::new()
                                    .schema(Some(Ref::from_schema_name("TokenRequest")))
                                    .build(),
                            ),
                        );
                    }
                }
                continue;
            }
            if let Some(op) = item.get.as_mut() {
                document_errors(op, &[READ_ERRORS], "application/problem+json", "Problem");
            }
            for op in [item.post.as_mut(), item.put.as_mut(), item.delete.as_mut()]
                .into_iter()
                .flatten()
            {
                document_errors(
                    op,
                    &[READ_ERRORS, WRITE_ERRORS],
                    "application/problem+json",
                    "Problem",
                );
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "crossborder API", description = "Vendors, transfers and their assessments, for procurement tools. Bearer JWT with scopes registry:read, registry:write, intake:write, objections:write, webhooks:manage, accounts:manage, organisations:manage. Errors are application/problem+json (RFC 9457). The public documents (an organisation's list as JSON, CSV and Atom) need no token."),
    paths(
        reads::organisations, reads::organisation, reads::vendors, reads::vendor, reads::lookup, reads::transfers,
        reads::assess, reads::intake, writes::create_vendor, writes::update_vendor, writes::retire_vendor, writes::withdraw_vendor,
        writes::add_transfer, writes::update_transfer, writes::end_transfer, writes::add_certification, writes::update_certification,
        writes::add_evidence, writes::create_intake, notices::object, notices::webhooks, notices::add_webhook,
        notices::remove_webhook, accounts::accounts, accounts::set_memberships, organisations::create_organisation,
        organisations::update_organisation, token::token
    ),
    components(schemas(dto::VendorIn, dto::TransferIn, dto::RetireIn, dto::WithdrawIn, dto::EndTransferIn, dto::AssessIn, dto::IntakeIn, dto::CertificationIn,
        dto::VerificationIn, dto::EvidenceIn, notices::ObjectionIn, notices::WebhookIn, accounts::MembershipsIn, organisations::OrganisationIn)),
    modifiers(&BearerAuth, &ErrorResponses, &Vocabularies, &PublicDocuments)
)]
pub struct ApiDoc;

pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
