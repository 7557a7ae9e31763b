//! Read routes (scope `registry:read`): organisations, vendors, lookup, transfers, assess, intake.

use crate::web::error::ApiError;
use actix_web::{HttpRequest, HttpResponse, web};

use super::dto::{
    self, AssessIn, AssessmentOut, LookupMatch, LookupResult, OrganisationList, OrganisationOut,
    TransferList, TransferRowOut, VendorPage,
};
use super::query::{VendorQuery, as_of, bad, cursor, known_before, query_pairs, vendor_query};
use super::{etag, validated};
use crate::date::today;
use crate::registry::{intake, organisation};
use crate::rules::{self, Certified, Claim, CountryCode, Facts, RuleSet, ScopeExclusion};
use crate::web::error::AppError;
use crate::web::extract::{Caller, JsonBody, ReadIntake, ReadRegistry};
use crate::web::representation::{Rendered, encoded};
use crate::web::snapshot::{Snapshot, host};
use crate::web::{AppState, blocking};
use std::sync::Arc;
use std::time::SystemTime;

/// The organisation's snapshot at the revision the caller's check read (a 404 for a slug that
/// names no organisation).
async fn snapshot<S>(
    state: &AppState,
    caller: &Caller<S>,
    slug: &str,
) -> Result<(i32, Arc<Snapshot>), AppError> {
    let revision = caller.revision.ok_or_else(|| AppError::NotFound {
        what: format!("organisation '{slug}'"),
    })?;
    Ok((revision, state.cache.snapshot(state, slug, revision).await?))
}

/// A JSON answer to keep.
fn json(value: &impl serde::Serialize) -> Result<Rendered, AppError> {
    let body = serde_json::to_vec(value).map_err(AppError::internal)?;
    Ok(Rendered::new(body, "application/json", SystemTime::now()))
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
    caller: Caller<ReadRegistry>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (_, snapshot) = snapshot(&state, &caller, &path).await?;
    let organisation = &snapshot.records.organisation;
    Ok(HttpResponse::Ok()
        .insert_header(super::etag(organisation.version))
        .json(OrganisationOut::from(organisation)))
}

#[utoipa::path(get, path = "/api/v1/organisations/{org}/vendors", tag = "registry",
    params(("org" = String, Path, description = "The organisation's slug"),
        ("country" = Option<String>, Query, description = "Only vendors with a transfer to this ISO country"),
        ("category" = Option<String>, Query, description = "hosting, payments, analytics..."),
        ("role" = Option<String>, Query, description = "processor, sub_processor, independent_controller, joint_controller"),
        ("status" = Option<String>, Query, description = "proposed, active, retired, withdrawn"),
        ("flagged" = Option<bool>, Query, description = "Only vendors with (true) or without (false) a flagged transfer"),
        ("q" = Option<String>, Query, description = "Part of the name, key, legal entity or website, or a domain (`stripe.com` finds https://www.stripe.com/ie and its subdomains); case-insensitive"),
        ("as_of" = Option<String>, Query, format = Date, description = "YYYY-MM-DD, default today"), ("known_at" = Option<String>, Query, format = Date, description = "YYYY-MM-DD: as recorded by the end of that day (as published then); default: everything recorded, later corrections included"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 200, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page")),
    responses((status = 200, description = "OK", body = VendorPage), (status = 400, description = "Bad request: a parameter or the body cannot be read (problem+json)", body = inline(Object)), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:read"])))]
pub async fn vendors(
    caller: Caller<ReadRegistry>,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let query = vendor_query(&req)?;
    let (revision, _) = snapshot(&state, &caller, &path).await?;
    let rules = state.rules;
    let rendered = state
        .cache
        .api(
            &state,
            (&path, revision),
            "vendors",
            req.query_string(),
            move |s| json(&vendor_page(s, &query, rules)),
        )
        .await?;
    Ok(encoded(&req, &rendered))
}

/// One page of the vendor list, from the snapshot.
fn vendor_page(snapshot: &Snapshot, query: &VendorQuery, rules: &'static RuleSet) -> VendorPage {
    let registry = snapshot.registry(query.as_of, query.known_before);
    // Today's list as known has its order and flags computed; another day's is sorted here.
    let today = Arc::ptr_eq(&registry, &snapshot.known);
    let vendors = &registry.vendors;
    let order: Vec<usize> = if today {
        snapshot.order.clone()
    } else {
        let mut order: Vec<usize> = (0..vendors.len()).collect();
        order.sort_by(|&a, &b| {
            (&vendors[a].name, &vendors[a].key).cmp(&(&vendors[b].name, &vendors[b].key))
        });
        order
    };
    let exporter = registry.organisation.country;
    let mut page = Vec::new();
    let mut more = false;
    for i in order {
        let v = &vendors[i];
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
                .is_some_and(|q| !crate::registry::vendor::search::matches(v, q))
            || (today
                && query
                    .flagged
                    .is_some_and(|f| snapshot.known_flagged[i] != f))
        {
            continue;
        }
        let out = dto::vendor_out(v, exporter, rules, query.as_of);
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
    VendorPage {
        data: page.into_iter().map(|(_, out)| out).collect(),
        next_cursor,
    }
}

#[utoipa::path(get, path = "/api/v1/organisations/{org}/vendors/{key}", tag = "registry",
    params(("org" = String, Path), ("key" = String, Path), ("as_of" = Option<String>, Query, format = Date, description = "YYYY-MM-DD, default today"), ("known_at" = Option<String>, Query, format = Date, description = "YYYY-MM-DD: as recorded by the end of that day (as published then); default: everything recorded, later corrections included")),
    responses((status = 200, description = "OK", body = dto::VendorOut, headers(("ETag" = String, description = "The vendor's version, for If-Match"))), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:read"])))]
pub async fn vendor(
    caller: Caller<ReadRegistry>,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let pairs = query_pairs(&req)?;
    let (as_of, known_before) = (as_of(&pairs)?, known_before(&pairs)?);
    let (slug, key) = path.into_inner();
    let (revision, _) = snapshot(&state, &caller, &slug).await?;
    let rules = state.rules;
    let what = format!("{key}?{}", req.query_string());
    let org = slug.clone();
    let rendered = state
        .cache
        .api(&state, (&org, revision), "vendor", &what, move |s| {
            let registry = s.registry(as_of, known_before);
            let found = if Arc::ptr_eq(&registry, &s.known) {
                s.known_vendor(&key).map(|(_, v)| v)
            } else {
                registry.vendors.iter().find(|v| v.key == key)
            };
            let v = found.ok_or_else(|| AppError::NotFound {
                what: format!("vendor '{key}' at '{slug}'"),
            })?;
            let exporter = registry.organisation.country;
            Ok(json(&dto::vendor_out(v, exporter, rules, as_of))?.with_version(v.version))
        })
        .await?;
    let mut response = encoded(&req, &rendered);
    if let Some(version) = rendered.version {
        // The vendor's version, as `etag` writes it: what `If-Match` of an update names.
        let tag = actix_web::http::header::HeaderValue::from_str(&etag(version).0.to_string())
            .map_err(AppError::internal)?;
        response
            .headers_mut()
            .insert(actix_web::http::header::ETAG, tag);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/organisations/{org}/lookup", tag = "registry",
    params(("org" = String, Path),
        ("domain" = Option<String>, Query, description = "A website domain, e.g. stripe.com (subdomains match)"),
        ("name" = Option<String>, Query, description = "Part of the vendor's name, case-insensitive")),
    responses((status = 200, description = "OK", body = LookupResult), (status = 400, description = "Bad request: a parameter or the body cannot be read (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:read"])))]
pub async fn lookup(
    caller: Caller<ReadRegistry>,
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
    let (revision, _) = snapshot(&state, &caller, &path).await?;
    let rendered = state
        .cache
        .api(
            &state,
            (&path, revision),
            "lookup",
            req.query_string(),
            move |s| {
                let matches: Vec<LookupMatch> = s
                    .lookup(domain.as_deref(), name.as_deref())
                    .into_iter()
                    .map(|i| {
                        let v = &s.records.current[i];
                        LookupMatch {
                            key: v.key.clone(),
                            name: v.name.clone(),
                            website: v.website.clone(),
                            status: v.status,
                            in_use: v.listed_on(s.today),
                            flagged: s.current_flagged[i],
                            countries: v
                                .transfers
                                .iter()
                                .filter_map(|t| t.country.map(|c| c.to_string()))
                                .collect(),
                        }
                    })
                    .collect();
                json(&LookupResult {
                    known: !matches.is_empty(),
                    matches,
                })
            },
        )
        .await?;
    Ok(encoded(&req, &rendered))
}

#[utoipa::path(get, path = "/api/v1/organisations/{org}/transfers", tag = "registry",
    params(("org" = String, Path), ("as_of" = Option<String>, Query, format = Date, description = "YYYY-MM-DD, default today"), ("known_at" = Option<String>, Query, format = Date, description = "YYYY-MM-DD: as recorded by the end of that day (as published then); default: everything recorded, later corrections included"),
        ("country" = Option<String>, Query), ("flagged" = Option<bool>, Query)),
    responses((status = 200, description = "OK", body = TransferList), (status = 400, description = "Bad request: a parameter or the body cannot be read (problem+json)", body = inline(Object)), (status = 404, description = "No such record, or one outside the caller's organisations (problem+json)", body = inline(Object))),
    security(("bearer" = ["registry:read"])))]
pub async fn transfers(
    caller: Caller<ReadRegistry>,
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let query = vendor_query(&req)?;
    let (revision, _) = snapshot(&state, &caller, &path).await?;
    let rules = state.rules;
    let rendered = state
        .cache
        .api(
            &state,
            (&path, revision),
            "transfers",
            req.query_string(),
            move |s| {
                let registry = s.registry(query.as_of, query.known_before);
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
                        transfer: dto::transfer_out(v, t, exporter, rules, query.as_of),
                    })
                    .filter(|row| {
                        query
                            .flagged
                            .is_none_or(|f| row.transfer.assessment.flagged == f)
                    })
                    .collect();
                json(&TransferList {
                    as_of: query.as_of,
                    data,
                })
            },
        )
        .await?;
    Ok(encoded(&req, &rendered))
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
