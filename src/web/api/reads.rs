//! Read routes (scope `registry:read`): organisations, vendors, lookup, transfers, assess, intake.

use crate::web::error::ApiError;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use chrono::{NaiveDate, NaiveDateTime};

use super::dto::{
    self, AssessIn, AssessmentOut, LookupMatch, LookupResult, OrganisationList, OrganisationOut,
    TransferList, TransferRowOut, VendorPage,
};
use super::{etag, validated};
use crate::date::{parse_date, today};
use crate::registry::{
    Registry, Role, Vendor, VendorCategory, VendorStatus, history, intake, organisation,
};
use crate::rules::{self, Certified, Claim, CountryCode, Facts, RuleSet, ScopeExclusion};
use crate::values::vocabulary;
use crate::web::error::AppError;
use crate::web::extract::{Caller, JsonBody, ReadIntake, ReadRegistry};
use crate::web::{AppState, blocking};

fn bad(name: &str, problem: impl Into<String>) -> AppError {
    AppError::BadParameter {
        name: name.into(),
        problem: problem.into(),
    }
}

pub(super) async fn registry(state: &AppState, slug: &str) -> Result<Registry, AppError> {
    crate::web::registry(state, slug).await
}

fn query_pairs(req: &HttpRequest) -> Result<Vec<(String, String)>, AppError> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .map_err(|e| bad("query", format!("cannot be read: {e}")))
}

fn as_of(pairs: &[(String, String)]) -> Result<NaiveDate, AppError> {
    match pairs.iter().find(|(k, v)| k == "as_of" && !v.is_empty()) {
        Some((_, v)) => parse_date(v).map_err(|e| bad("as_of", e.to_string())),
        None => Ok(today()),
    }
}

/// `known_at=D`: what was recorded by the end of D (the list as published on D when D is
/// `as_of`); default: everything recorded, later corrections included.
fn known_before(pairs: &[(String, String)]) -> Result<NaiveDateTime, AppError> {
    match pairs.iter().find(|(k, v)| k == "known_at" && !v.is_empty()) {
        Some((_, v)) => parse_date(v)
            .map(history::end_of)
            .map_err(|e| bad("known_at", e.to_string())),
        None => Ok(history::everything()),
    }
}

/// The organisation's vendors as known before `known_before`, on `as_of`.
async fn published(
    state: &AppState,
    slug: &str,
    (as_of, known_before): (NaiveDate, NaiveDateTime),
) -> Result<Registry, AppError> {
    let wanted = slug.to_string();
    blocking(state, move |conn| {
        organisation::published(conn, &wanted, as_of, known_before)
    })
    .await?
    .ok_or_else(|| AppError::NotFound {
        what: format!("organisation '{slug}'"),
    })
}

#[utoipa::path(get, path = "/api/v1/organisations", tag = "registry",
    responses((status = 200, description = "OK", body = OrganisationList), (status = 401, description = "No valid bearer token (problem+json)", body = inline(Object)), (status = 403, description = "The token lacks the scope (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:read"])))]
pub async fn organisations(
    caller: Caller<ReadRegistry>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let list = blocking(&state, organisation::list).await?;
    Ok(HttpResponse::Ok().json(OrganisationList {
        data: list
            .iter()
            .filter(|o| caller.principal.may_see(&o.slug))
            .map(OrganisationOut::from)
            .collect(),
    }))
}

#[utoipa::path(get, path = "/api/v1/organisations/{org}", tag = "registry",
    params(("org" = String, Path, description = "The organisation's slug")),
    responses((status = 200, description = "OK", body = OrganisationOut), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:read"])))]
pub async fn organisation(
    _caller: Caller<ReadRegistry>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let registry = registry(&state, &path).await?;
    Ok(HttpResponse::Ok()
        .insert_header(super::etag(registry.organisation.version))
        .json(OrganisationOut::from(&registry.organisation)))
}

/// What `GET .../vendors` narrows to.
struct VendorQuery {
    as_of: NaiveDate,
    known_before: NaiveDateTime,
    country: Option<CountryCode>,
    category: Option<VendorCategory>,
    role: Option<Role>,
    status: Option<VendorStatus>,
    flagged: Option<bool>,
    q: Option<String>,
    limit: usize,
    after: Option<(String, String)>,
}

fn vendor_query(req: &HttpRequest) -> Result<VendorQuery, AppError> {
    let pairs = query_pairs(req)?;
    let mut query = VendorQuery {
        as_of: as_of(&pairs)?,
        known_before: known_before(&pairs)?,
        country: None,
        category: None,
        role: None,
        status: None,
        flagged: None,
        q: None,
        limit: 50,
        after: None,
    };
    for (name, value) in pairs.iter().filter(|(_, v)| !v.trim().is_empty()) {
        let value = value.trim();
        match name.as_str() {
            "country" => {
                query.country =
                    Some(CountryCode::parse(value).map_err(|e| bad("country", e.to_string()))?)
            }
            "category" => {
                query.category = Some(value.parse().map_err(|_| {
                    bad(
                        "category",
                        format!(
                            "unknown category '{value}'; valid: {}",
                            vocabulary::<VendorCategory>()
                        ),
                    )
                })?)
            }
            "role" => {
                query.role = Some(value.parse().map_err(|_| {
                    bad(
                        "role",
                        format!("unknown role '{value}'; valid: {}", vocabulary::<Role>()),
                    )
                })?)
            }
            "status" => {
                query.status = Some(value.parse().map_err(|_| {
                    bad(
                        "status",
                        format!(
                            "unknown status '{value}'; valid: {}",
                            vocabulary::<VendorStatus>()
                        ),
                    )
                })?)
            }
            "flagged" => {
                query.flagged = Some(match value {
                    "true" | "1" => true,
                    "false" | "0" => false,
                    _ => return Err(bad("flagged", format!("'{value}' is not true or false"))),
                })
            }
            "q" => query.q = Some(value.to_lowercase()),
            "limit" => {
                query.limit = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=200).contains(n))
                    .ok_or_else(|| {
                        bad("limit", format!("'{value}' is not a number from 1 to 200"))
                    })?
            }
            "cursor" => {
                let decoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(value)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .and_then(|s| {
                        s.split_once('\u{0}')
                            .map(|(n, k)| (n.to_string(), k.to_string()))
                    })
                    .ok_or_else(|| bad("cursor", "not a cursor this API gave"))?;
                query.after = Some(decoded);
            }
            _ => {}
        }
    }
    Ok(query)
}

fn cursor(v: &Vendor) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{}\u{0}{}", v.name, v.key))
}

#[utoipa::path(get, path = "/api/v1/organisations/{org}/vendors", tag = "registry",
    params(("org" = String, Path, description = "The organisation's slug"),
        ("country" = Option<String>, Query, description = "Only vendors with a transfer to this ISO country"),
        ("category" = Option<String>, Query, description = "hosting, payments, analytics..."),
        ("role" = Option<String>, Query, description = "processor, sub_processor, independent_controller, joint_controller"),
        ("status" = Option<String>, Query, description = "proposed, active, retired"),
        ("flagged" = Option<bool>, Query, description = "Only vendors with (true) or without (false) a flagged transfer"),
        ("q" = Option<String>, Query, description = "Part of the name, case-insensitive"),
        ("as_of" = Option<String>, Query, format = Date, description = "YYYY-MM-DD, default today"), ("known_at" = Option<String>, Query, format = Date, description = "YYYY-MM-DD: as recorded by the end of that day (as published then); default: everything recorded, later corrections included"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page")),
    responses((status = 200, description = "OK", body = VendorPage), (status = 400, description = "Bad request: a parameter or the body cannot be read (problem+json)", body = inline(Object)), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:read"])))]
pub async fn vendors(
    _caller: Caller<ReadRegistry>,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let query = vendor_query(&req)?;
    let registry = published(&state, &path, (query.as_of, query.known_before)).await?;
    let exporter = registry.organisation.country;
    let mut vendors: Vec<&Vendor> = registry.vendors.iter().collect();
    vendors.sort_by(|a, b| (&a.name, &a.key).cmp(&(&b.name, &b.key)));
    let mut page = Vec::new();
    let mut more = false;
    for v in vendors {
        if query
            .after
            .as_ref()
            .is_some_and(|(n, k)| (&v.name, &v.key) <= (n, k))
            || query.category.is_some_and(|c| !v.categories.contains(&c))
            || query.role.is_some_and(|r| v.role != r)
            || query.status.is_some_and(|s| v.status != s)
            || query
                .country
                .is_some_and(|c| !v.transfers.iter().any(|t| t.country == Some(c)))
            || query
                .q
                .as_ref()
                .is_some_and(|q| !v.name.to_lowercase().contains(q.as_str()))
        {
            continue;
        }
        let out = dto::vendor_out(v, exporter, state.rules, query.as_of);
        if query.flagged.is_some_and(|f| out.flagged != f) {
            continue;
        }
        if page.len() == query.limit {
            more = true;
            break;
        }
        page.push((v, out));
    }
    let next_cursor = if more {
        page.last().map(|(v, _)| cursor(v))
    } else {
        None
    };
    Ok(HttpResponse::Ok().json(VendorPage {
        data: page.into_iter().map(|(_, out)| out).collect(),
        next_cursor,
    }))
}

#[utoipa::path(get, path = "/api/v1/organisations/{org}/vendors/{key}", tag = "registry",
    params(("org" = String, Path), ("key" = String, Path), ("as_of" = Option<String>, Query, format = Date, description = "YYYY-MM-DD, default today"), ("known_at" = Option<String>, Query, format = Date, description = "YYYY-MM-DD: as recorded by the end of that day (as published then); default: everything recorded, later corrections included")),
    responses((status = 200, description = "OK", body = dto::VendorOut, headers(("ETag" = String, description = "The vendor's version, for If-Match"))), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:read"])))]
pub async fn vendor(
    _caller: Caller<ReadRegistry>,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let pairs = query_pairs(&req)?;
    let as_of = as_of(&pairs)?;
    let (slug, key) = path.into_inner();
    let registry = published(&state, &slug, (as_of, known_before(&pairs)?)).await?;
    let v = registry
        .vendors
        .iter()
        .find(|v| v.key == key)
        .ok_or_else(|| AppError::NotFound {
            what: format!("vendor '{key}' at '{slug}'"),
        })?;
    Ok(HttpResponse::Ok()
        .insert_header(etag(v.version))
        .json(dto::vendor_out(
            v,
            registry.organisation.country,
            state.rules,
            as_of,
        )))
}

fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest
        .split(['/', '?', '#', ':'])
        .next()
        .unwrap_or("")
        .to_lowercase();
    host.trim_start_matches("www.").to_string()
}

#[utoipa::path(get, path = "/api/v1/organisations/{org}/lookup", tag = "registry",
    params(("org" = String, Path),
        ("domain" = Option<String>, Query, description = "A website domain, e.g. stripe.com (subdomains match)"),
        ("name" = Option<String>, Query, description = "Part of the vendor's name, case-insensitive")),
    responses((status = 200, description = "OK", body = LookupResult), (status = 400, description = "Bad request: a parameter or the body cannot be read (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:read"])))]
pub async fn lookup(
    _caller: Caller<ReadRegistry>,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let pairs = query_pairs(&req)?;
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
    };
    let (domain, name) = (
        get("domain").map(|d| host(&d)),
        get("name").map(|n| n.to_lowercase()),
    );
    if domain.is_none() && name.is_none() {
        return Err(bad("domain", "give a domain (stripe.com) or a name").into());
    }
    let registry = registry(&state, &path).await?;
    let today = today();
    let matches = registry
        .vendors
        .iter()
        .filter(|v| {
            let by_domain = domain.as_ref().is_some_and(|d| {
                v.website
                    .as_deref()
                    .map(host)
                    .is_some_and(|h| h == *d || h.ends_with(&format!(".{d}")))
            });
            let by_name = name
                .as_ref()
                .is_some_and(|n| v.name.to_lowercase().contains(n.as_str()));
            by_domain || by_name
        })
        .map(|v| LookupMatch {
            key: v.key.clone(),
            name: v.name.clone(),
            website: v.website.clone(),
            status: v.status,
            in_use: v.listed_on(today),
            flagged: v.transfers.iter().any(|t| {
                v.assess(t, registry.organisation.country, state.rules, today)
                    .flagged
            }),
            countries: v
                .transfers
                .iter()
                .filter_map(|t| t.country.map(|c| c.to_string()))
                .collect(),
        })
        .collect::<Vec<_>>();
    Ok(HttpResponse::Ok().json(LookupResult {
        known: !matches.is_empty(),
        matches,
    }))
}

#[utoipa::path(get, path = "/api/v1/organisations/{org}/transfers", tag = "registry",
    params(("org" = String, Path), ("as_of" = Option<String>, Query, format = Date, description = "YYYY-MM-DD, default today"), ("known_at" = Option<String>, Query, format = Date, description = "YYYY-MM-DD: as recorded by the end of that day (as published then); default: everything recorded, later corrections included"),
        ("country" = Option<String>, Query), ("flagged" = Option<bool>, Query)),
    responses((status = 200, description = "OK", body = TransferList), (status = 400, description = "Bad request: a parameter or the body cannot be read (problem+json)", body = inline(Object)), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:read"])))]
pub async fn transfers(
    _caller: Caller<ReadRegistry>,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let query = vendor_query(&req)?;
    let registry = published(&state, &path, (query.as_of, query.known_before)).await?;
    let exporter = registry.organisation.country;
    let data = registry
        .vendors
        .iter()
        .filter(|v| v.listed_on(query.as_of))
        .flat_map(|v| v.transfers.iter().map(move |t| (v, t)))
        .filter(|(_, t)| query.country.is_none_or(|c| t.country == Some(c)))
        .map(|(v, t)| TransferRowOut {
            vendor_key: v.key.clone(),
            vendor_name: v.name.clone(),
            transfer: dto::transfer_out(v, t, exporter, state.rules, query.as_of),
        })
        .filter(|row| {
            query
                .flagged
                .is_none_or(|f| row.transfer.assessment.flagged == f)
        })
        .collect();
    Ok(HttpResponse::Ok().json(TransferList {
        as_of: query.as_of,
        data,
    }))
}

#[utoipa::path(post, path = "/api/v1/assess", tag = "assess", request_body = AssessIn,
    responses((status = 200, description = "OK", body = AssessmentOut), (status = 400, description = "Bad request: a parameter or the body cannot be read (problem+json)", body = inline(Object)), (status = 422, description = "Invalid fields, each named (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:read"])))]
pub async fn assess(
    _caller: Caller<ReadRegistry>,
    body: JsonBody<AssessIn>,
) -> Result<HttpResponse, ApiError> {
    let body = body.read()?;
    validated(&body)?;
    let rules = RuleSet::embedded();
    let parse = |c: &str| CountryCode::parse(c).map_err(|e| bad("country", e.to_string()));
    let mut facts = Facts::to(
        parse(&body.exporter)?,
        body.importer.as_deref().map(parse).transpose()?,
    );
    for m in &body.mechanisms {
        let mechanism = rules
            .mechanism_id(&m.id)
            .map_err(|e| bad("mechanisms", e.to_string()))?;
        facts.claims.push(Claim {
            mechanism,
            signed: m.signed_on,
        });
    }
    for f in &body.certified {
        facts.certified.push(Certified::all(
            rules
                .framework_id(f)
                .map_err(|e| bad("certified", e.to_string()))?,
        ));
    }
    for e in &body.outside_scope {
        facts
            .outside_scope
            .push(ScopeExclusion::parse(e).map_err(|e| bad("outside_scope", e.to_string()))?);
    }
    facts.tia = body.tia;
    facts.processing_changed = body.processing_changed;
    // Facts no regime can assess (an international organisation as exporter, another regime's
    // tool): the same 422 as a field that fails validation.
    rules.check(&facts).map_err(|e| {
        AppError::Invalid(vec![crate::web::error::FieldError {
            field: e.field.into(),
            message: e.message,
        }])
    })?;
    let assessment = rules::assess(&facts, rules, body.as_of.unwrap_or_else(today));
    Ok(HttpResponse::Ok().json(AssessmentOut::from(&assessment)))
}

#[utoipa::path(get, path = "/api/v1/intake/{id}", tag = "intake",
    params(("id" = i32, Path)),
    responses((status = 200, description = "OK", body = dto::IntakeOut), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object))),
    security(("bearer" = ["intake:write"]), ("bearer" = ["registry:read"])))]
pub async fn intake(
    caller: Caller<ReadIntake>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let not_found = || AppError::NotFound {
        what: format!("intake request '{path}'"),
    };
    let id: i32 = path.parse().map_err(|_| not_found())?;
    let (request, vendor) = blocking(&state, move |conn| {
        Ok((intake::get(conn, id)?, intake::vendor_key(conn, id)?))
    })
    .await?;
    // An intake request of an organisation outside the caller's is as missing as any other.
    let request = request
        .filter(|r| caller.principal.may_see(&r.organisation))
        .ok_or_else(not_found)?;
    let mut out = super::writes::intake_out(request);
    out.vendor = vendor;
    Ok(HttpResponse::Ok().json(out))
}
