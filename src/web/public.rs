//! The public pages and feeds, health checks and the stylesheet.

use std::time::{Duration, SystemTime};

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDateTime;

use super::cache::PageKey;
use super::error::{ApiError, AppError, PageError};
use super::representation::{Rendered, conditional, unfolding};
use super::unfolding::{Body, Writer};
use super::{AppState, blocking};
use super::{feeds, filters, views};
use crate::date::today;
use crate::registry::listing::{Filters, Listing};
use crate::registry::{Registry, history, organisation};
use crate::rules::RuleSet;

/// The renderings of the public list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Json,
    Csv,
    Atom,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Atom => "atom",
        }
    }

    /// Who is told of an error: people reading the page, programs reading the rest.
    fn error(self, e: AppError) -> actix_web::Error {
        match self {
            Format::Html => PageError(e).into(),
            _ => ApiError(e).into(),
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Html => "text/html; charset=utf-8",
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8; header=present",
            Format::Atom => "application/atom+xml; charset=utf-8",
        }
    }
}

/// The public pages and documents. Registered before the workspace's routes: each request tries
/// the routes in order, and each route with a placeholder costs a regular expression, so the
/// pages the public reads most are found first. None of them has a workspace or API path's
/// shape (those start with /workspace/ or /api/).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(page("/{slug}/subprocessors").route(web::get().to(list_html)))
        .service(page("/").route(web::get().to(index)))
        .service(page("/healthz").route(web::get().to(healthz)))
        .service(page("/readyz").route(web::get().to(readyz)))
        .service(page("/static/style.css").route(web::get().to(stylesheet)))
        .service(page("/problems/{name}").route(web::get().to(problem_type)))
        .service(document("/{slug}/subprocessors.json").route(web::get().to(list_json)))
        .service(document("/{slug}/subprocessors.csv").route(web::get().to(list_csv)))
        .service(document("/{slug}/subprocessors.atom").route(web::get().to(list_atom)))
        .service(document("/{slug}/history.json").route(web::get().to(history_json)));
}

/// `/{slug}` would take any one-segment path: registered after every other route.
pub fn redirects(cfg: &mut web::ServiceConfig) {
    // Guarded on GET at the resource, so that other methods fall through to the 404.
    cfg.route("/{slug}", web::get().to(to_list))
        .route("/{slug}/", web::get().to(to_list));
}

/// `GET /{slug}` and `/{slug}/`: a permanent redirect (308) to the organisation's list, with the
/// query kept; a 404 for an organisation not known.
async fn to_list(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let slug = slug.into_inner();
    state.revisions.of(&state, &slug).await?;
    let query = req.query_string();
    let location = match query {
        "" => format!("/{slug}/subprocessors"),
        q => format!("/{slug}/subprocessors?{q}"),
    };
    Ok(HttpResponse::PermanentRedirect()
        .insert_header((header::LOCATION, location))
        .finish())
}

/// A public page: GET (and HEAD, answered as GET); any other method is a 405 saying so.
fn page(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(|| async {
        Err::<HttpResponse, _>(PageError(AppError::MethodNotAllowed {
            allowed: "GET, HEAD",
        }))
    }))
}

/// A public machine-readable document: as [`page`], its errors in problem+json.
fn document(path: &str) -> actix_web::Resource {
    web::resource(path).default_service(web::to(|| async {
        Err::<HttpResponse, _>(ApiError(AppError::MethodNotAllowed {
            allowed: "GET, HEAD",
        }))
    }))
}

/// `GET /problems/{name}`: what a problem type of the API means (the `type` of its errors).
async fn problem_type(name: web::Path<String>) -> Result<HttpResponse, PageError> {
    let (name, status, title, meaning) = super::PROBLEM_TYPES
        .iter()
        .find(|(n, ..)| *n == name.as_str())
        .ok_or_else(|| AppError::NotFound {
            what: format!("problem type '{name}'"),
        })?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(format!("{title} ({status})\n\n{meaning}\n\nProblem type /problems/{name} of the crossborder API (RFC 9457).\n")))
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok\n")
}

async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let ready = crate::web::db(&state, |_| Ok::<(), crate::db::DbError>(())).await;
    match ready {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain")
            .body("ready\n"),
        Err(crate::db::DbError::Interrupted(_)) => HttpResponse::ServiceUnavailable()
            .content_type("text/plain")
            .body("busy\n"),
        Err(e) => {
            tracing::warn!(error = %e, "database not reachable");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain")
                .body("database not reachable\n")
        }
    }
}

async fn stylesheet(req: HttpRequest) -> HttpResponse {
    static STYLESHEET: std::sync::LazyLock<Rendered> = std::sync::LazyLock::new(|| {
        let rendered = Rendered::new(
            views::STYLESHEET,
            "text/css; charset=utf-8",
            SystemTime::now(),
        );
        rendered.compress();
        rendered
    });
    conditional(&req, &STYLESHEET, "public, max-age=3600", None)
}

async fn index(state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let organisations = blocking(&state, organisation::list).await?;
    if let [only] = organisations.as_slice() {
        return Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("/{}/subprocessors", only.slug)))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(views::organisations_page(&organisations).into_string()))
}

/// The whole change log as its hash chain, each entry with the versions it published: what
/// `crossborder verify FILE` checks.
async fn history_json(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let slug = slug.into_inner();
    let wanted = slug.clone();
    let entries = blocking(&state, move |conn| {
        organisation::find(conn, &wanted)?
            .map(|org| history::chain::links(conn, org.id))
            .transpose()
    })
    .await?
    .ok_or_else(|| AppError::NotFound {
        what: format!("organisation '{slug}'"),
    })?;
    let file = history::chain::HistoryFile {
        head: entries.last().map(|l| l.hash.clone()),
        organisation: slug,
        entries,
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .json(file))
}

async fn list_html(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, actix_web::Error> {
    list(req, state, slug.into_inner(), Format::Html).await
}

async fn list_json(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, actix_web::Error> {
    list(req, state, slug.into_inner(), Format::Json).await
}

async fn list_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, actix_web::Error> {
    list(req, state, slug.into_inner(), Format::Csv).await
}

async fn list_atom(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, actix_web::Error> {
    list(req, state, slug.into_inner(), Format::Atom).await
}

/// Serves one rendering of an organisation's list: from the cache when it holds it, otherwise
/// loaded (a fixed number of queries), rendered and kept.
async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: String,
    format: Format,
) -> Result<HttpResponse, actix_web::Error> {
    render_list(req, state, slug, format)
        .await
        .map_err(|e| format.error(e))
}

async fn render_list(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: String,
    format: Format,
) -> Result<HttpResponse, AppError> {
    let today = today();
    let filters = filters::parse(req.query_string(), today)?;
    // Only the feed prints absolute links; with a public URL configured its body depends on no
    // request header, otherwise on the request's host (`Vary` says which).
    let base = (format == Format::Atom).then(|| state.origin.base(&req));
    let vary = base.as_ref().and_then(|_| state.origin.vary());
    if format == Format::Atom {
        filters::check_for_feed(&filters)?;
    }
    let bom = format == Format::Csv && filters::bom(req.query_string())?;
    // The HTML list is paged; the feed is bounded, its older entries in archives; the JSON and
    // CSV are whole (a `page` there is ignored).
    let part = match format {
        Format::Html => filters::number(req.query_string(), "page")?.unwrap_or(1),
        Format::Atom => filters::number(req.query_string(), "archive")?.unwrap_or(0),
        Format::Json | Format::Csv => 0,
    };
    let key = PageKey {
        slug: slug.clone(),
        format: if bom { "csv-bom" } else { format.name() },
        filters: filters.clone(),
        base: base.clone(),
        part,
    };
    let revision = state.revisions.of(&state, &slug).await?;
    let rules = state.rules;
    // An archive of the feed holds entries that no later change adds to (RFC 5005 §4).
    let cache_control = match (format, part) {
        (Format::Atom, 1..) => "public, max-age=86400",
        _ => "public, max-age=60",
    };
    if let Format::Json | Format::Csv = format {
        let body = state
            .cache
            .streamed(&state, key, revision, move |snapshot, out| {
                let registry =
                    snapshot.registry(filters.as_of, history::end_of(filters.known_on()));
                write_whole(&registry, filters, (format, bom), rules, out)
            })
            .await?;
        return Ok(match body {
            Body::Whole(rendered) => conditional(&req, &rendered, cache_control, vary),
            Body::Unfolding(body) => unfolding(&req, body, cache_control).await,
        });
    }
    let mail_enabled = state.mail_enabled;
    let rendered = state
        .cache
        .page(&state, key, revision, move |snapshot| {
            // As published on the day: what was recorded by its end.
            let registry = snapshot.registry(filters.as_of, history::end_of(filters.known_on()));
            render(
                &registry,
                (filters, part),
                format,
                base,
                (rules, mail_enabled),
            )
        })
        .await?;
    Ok(conditional(&req, &rendered, cache_control, vary))
}

/// A list filtered by verdicts only where they are published.
fn check_flagged(registry: &Registry, filters: &Filters) -> Result<(), AppError> {
    if filters.flagged.is_some() && !registry.organisation.publication.verdicts {
        return Err(AppError::BadParameter {
            name: "flagged".into(),
            problem: format!(
                "{} does not publish the verdicts of its transfers, so its list cannot be filtered by them",
                registry.organisation.name
            ),
        });
    }
    Ok(())
}

/// Writes the whole list as JSON or CSV (`bom`: with a byte order mark, for Excel).
fn write_whole(
    registry: &Registry,
    filters: Filters,
    (format, bom): (Format, bool),
    rules: &'static RuleSet,
    out: &mut Writer,
) -> Result<(), AppError> {
    check_flagged(registry, &filters)?;
    let listing = Listing::new(registry, filters, rules);
    let out = out.start(format.content_type(), system_time(registry.last_modified()));
    match format {
        Format::Csv => feeds::csv(&listing, bom, out).map_err(AppError::internal),
        _ => feeds::json(&listing, rules, out).map_err(AppError::internal),
    }
}

/// One rendering of the list as a page or a feed, from its registry.
/// `part`: the HTML page (from 1) or the feed's archive (0 for the subscription document).
fn render(
    registry: &Registry,
    (filters, part): (Filters, u32),
    format: Format,
    base: Option<String>,
    (rules, mail_enabled): (&'static RuleSet, bool),
) -> Result<Rendered, AppError> {
    let today = today();
    check_flagged(registry, &filters)?;
    let query = filters::query_string(&filters, today);
    let listing = Listing::new(registry, filters, rules);
    let body = if format == Format::Html {
        let pages = views::page_count(listing.rows.len());
        if part > pages {
            return Err(AppError::NotFound {
                what: format!(
                    "page {part} of this list: it has {pages} page{}",
                    if pages == 1 { "" } else { "s" }
                ),
            });
        }
        views::subprocessors_page(&listing, rules, &query, mail_enabled, part).into_string()
    } else {
        let document = match part {
            0 => feeds::FeedPart::Current,
            n => feeds::FeedPart::Archive(n),
        };
        feeds::atom(&listing, base.as_deref().unwrap_or(""), &query, document).ok_or_else(|| {
            AppError::NotFound {
                what: format!(
                    "archive {part} of this feed: archives hold {} entries each, and only full ones exist",
                    feeds::PER_DOCUMENT
                ),
            }
        })?
    };
    Ok(Rendered::new(
        printable_bytes(body),
        format.content_type(),
        system_time(registry.last_modified()),
    ))
}

/// A rendered text's bytes, unchanged (no copy) unless it holds characters to remove.
fn printable_bytes(text: String) -> Vec<u8> {
    let cleaned = match crate::text::printable(&text) {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(cleaned) => Some(cleaned),
    };
    cleaned.unwrap_or(text).into_bytes()
}

fn system_time(at: NaiveDateTime) -> SystemTime {
    let secs = at.and_utc().timestamp().max(0) as u64;
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

/// Any other address: the site's 404 page rather than an empty answer (the API answers its own
/// in problem+json).
pub async fn not_found(req: HttpRequest) -> Result<HttpResponse, PageError> {
    Err(AppError::NotFound {
        what: format!("page at {}", req.path()),
    }
    .into())
}
