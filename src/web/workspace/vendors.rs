//! Vendors in the workspace: the list with its search, and a vendor's page with its record,
//! certifications, evidence, transfers with their assessments, and history. The forms that
//! write them are in `vendor_forms`, `transfers` and `certifications`.

use crate::web::error::PageError;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{self, html_page};
use super::{GET, SignedIn, resource};
use crate::audit;
use crate::date::today;
use crate::registry::{Registry, Vendor, history, organisation};
use crate::web::views::workspace::pager::{PAGE_SIZE, Pager};
use crate::web::views::workspace::vendors::{self as view, ListFilters, vendor_list};
use crate::web::{AppState, blocking};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/workspace/vendors", GET).route(web::get().to(list)))
        .service(resource("/workspace/{org}/vendors/{key}", GET).route(web::get().to(vendor_page)));
}

pub async fn list(
    signed_in: SignedIn,
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let f = ListFilters::from_query(req.query_string());
    let mut registries = blocking(&state, organisation::registries).await?;
    // A member sees its organisations only, in the list and in the filter's choices.
    registries.retain(|r| signed_in.0.user.sees(&r.organisation.slug));
    let today = today();
    let matching: Vec<_> = registries
        .iter()
        .filter(|r| f.organisation.is_empty() || r.organisation.slug == f.organisation)
        .map(|r| {
            let vendors: Vec<(&Vendor, bool)> = r
                .vendors
                .iter()
                .map(|v| {
                    let flagged = v.transfers.iter().any(|t| {
                        v.assess(t, r.organisation.country, state.rules, today)
                            .flagged
                    });
                    (v, flagged)
                })
                .filter(|(v, flagged)| f.keeps(v, *flagged))
                .collect();
            (r, vendors)
        })
        .collect();
    let total = matching.iter().map(|(_, v)| v.len()).sum();
    let pager = Pager::new(&f.page, PAGE_SIZE, total);
    let shown = on_page(matching, &pager);
    Ok(html_page(vendor_list(
        &signed_in.0,
        &f,
        &registries,
        (&shown, &pager),
        today,
    )))
}

/// The rows of `pager`'s page, in the list's order (organisations, then vendors by name): an
/// organisation with no row on the page is left out, except on the first page one with no
/// match at all (it says so).
fn on_page<'a, T>(
    matching: Vec<(&'a Registry, Vec<T>)>,
    pager: &Pager,
) -> Vec<(&'a Registry, Vec<T>)> {
    let rows = pager.rows();
    let mut seen = 0;
    let mut out = Vec::new();
    for (r, vendors) in matching {
        let first = seen;
        seen += vendors.len();
        let kept: Vec<T> = vendors
            .into_iter()
            .enumerate()
            .filter(|(i, _)| rows.contains(&(first + i)))
            .map(|(_, v)| v)
            .collect();
        if !kept.is_empty() || (seen == first && pager.page == 1) {
            out.push((r, kept));
        }
    }
    out
}

pub async fn vendor_page(
    signed_in: SignedIn,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, key) = path.into_inner();
    let registry = forms::registry(&state, &slug).await?;
    let vendor = forms::find_vendor(&registry, &key)?;
    let vendor_id = vendor.id;
    let (versions, trail) = blocking(&state, move |conn| {
        let versions = history::load_vendor(conn, vendor_id)?;
        // Ended transfers are in the versions only; their audit entries belong here too.
        let transfer_ids: Vec<i32> = versions
            .of_vendor(vendor_id)
            .iter()
            .filter(|((fact, _), _)| *fact == history::Fact::Transfer)
            .map(|((_, id), _)| *id)
            .collect();
        let trail = audit::vendor_history(conn, vendor_id, &transfer_ids)?;
        Ok((versions, trail))
    })
    .await?;
    let today = today();
    Ok(html_page(view::vendor_page(
        &signed_in.0,
        &registry,
        vendor,
        (&versions.of_vendor(vendor_id), &trail),
        state.rules,
        today,
    )))
}
