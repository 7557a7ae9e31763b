//! The public documents in the OpenAPI document: an organisation's list of sub-processors as
//! JSON, CSV and Atom (no token needed). Their handlers are the public pages' (`web::public`),
//! so they are described here rather than by annotations.

use utoipa::Modify;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::Ref;
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{RefOr, Required};

use super::vocabulary;

pub struct PublicDocuments;

fn string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String)
}

fn date() -> ObjectBuilder {
    string().format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
}

fn parameter(
    name: &str,
    place: ParameterIn,
    schema: Schema,
    description: &str,
) -> ParameterBuilder {
    let required = if matches!(place, ParameterIn::Path) {
        Required::True
    } else {
        Required::False
    };
    ParameterBuilder::new()
        .name(name)
        .parameter_in(place)
        .required(required)
        .schema(Some(schema))
        .description(Some(description))
}

/// The JSON list: what a program relies on (the organisation, the day, each vendor with its
/// vocabularies); more fields may come.
fn list_schema() -> Schema {
    let transfer = ObjectBuilder::new()
        .property(
            "country",
            ObjectBuilder::new()
                .schema_type(SchemaType::Array(vec![Type::String, Type::Null]))
                .description(Some(
                    "ISO 3166-1 alpha-2, or null when the source names none",
                )),
        )
        .property("data_categories", vocabulary::data_categories())
        .property(
            "mechanisms",
            ArrayBuilder::new().items(
                ObjectBuilder::new()
                    .property("id", vocabulary::mechanism_id())
                    .required("id"),
            ),
        );
    let vendor = ObjectBuilder::new()
        .property("key", string())
        .property("name", string())
        .property("role", vocabulary::role())
        .property("categories", vocabulary::categories())
        .property("status", vocabulary::vendor_status())
        .property("transfers", ArrayBuilder::new().items(transfer))
        .required("key")
        .required("name")
        .required("role")
        .required("categories")
        .required("status")
        .required("transfers");
    let organisation = ObjectBuilder::new()
        .property("slug", string())
        .property("name", string())
        .property("country", string())
        .required("slug")
        .required("name");
    ObjectBuilder::new()
        .description(Some(
            "An organisation's sub-processors and their transfers on a day",
        ))
        .property("organisation", organisation)
        .property("as_of", date())
        .property("vendors", ArrayBuilder::new().items(vendor))
        .required("organisation")
        .required("as_of")
        .required("vendors")
        .into()
}

impl Modify for PublicDocuments {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let problem = || {
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build()
        };
        for (extension, media, schema, what) in [
            (
                "json",
                "application/json",
                list_schema(),
                "The list as JSON",
            ),
            (
                "csv",
                "text/csv",
                string().into(),
                "The list as CSV (RFC 4180, CRLF): a row per transfer, one for a vendor without any; formulas neutralised",
            ),
            (
                "atom",
                "application/atom+xml",
                string().into(),
                "The changes to the list as an Atom feed (RFC 4287)",
            ),
        ] {
            let mut operation = OperationBuilder::new()
                .tag("public")
                .operation_id(Some(format!("public_list_{extension}")))
                .summary(Some(what))
                .parameter(parameter(
                    "slug",
                    ParameterIn::Path,
                    string().into(),
                    "The organisation's slug",
                ))
                .parameter(parameter(
                    "as_of",
                    ParameterIn::Query,
                    date().into(),
                    "The day, default today",
                ))
                .parameter(parameter(
                    "known_at",
                    ParameterIn::Query,
                    date().into(),
                    "As recorded by the end of that day (as published then)",
                ))
                .parameter(parameter(
                    "category",
                    ParameterIn::Query,
                    vocabulary::category(),
                    "Only vendors of this category",
                ))
                .parameter(parameter(
                    "country",
                    ParameterIn::Query,
                    string().into(),
                    "Only vendors with a transfer to this ISO country",
                ))
                .parameter(parameter(
                    "flagged",
                    ParameterIn::Query,
                    ObjectBuilder::new().schema_type(Type::Boolean).into(),
                    "Only vendors with (true) or without (false) a flagged transfer",
                ));
            if extension == "csv" {
                operation = operation.parameter(parameter(
                    "bom",
                    ParameterIn::Query,
                    ObjectBuilder::new().schema_type(Type::Boolean).into(),
                    "Start with a UTF-8 byte order mark (for spreadsheets)",
                ));
            }
            let operation = operation
                .response(
                    "200",
                    ResponseBuilder::new().description(what).content(
                        media,
                        ContentBuilder::new().schema(Some(RefOr::T(schema))).build(),
                    ),
                )
                .response(
                    "400",
                    ResponseBuilder::new()
                        .description("A filter cannot be read")
                        .content("application/problem+json", problem()),
                )
                .response(
                    "404",
                    ResponseBuilder::new()
                        .description("No such organisation")
                        .content("application/problem+json", problem()),
                )
                .build();
            openapi.paths.add_path_operation(
                format!("/{{slug}}/subprocessors.{extension}"),
                vec![HttpMethod::Get],
                operation,
            );
        }
    }
}
