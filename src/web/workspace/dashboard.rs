//! The dashboard: what needs a privacy officer's attention, across organisations.

use crate::web::error::PageError;
use actix_web::{HttpResponse, web};
use std::collections::HashMap;

use chrono::{Duration, NaiveDate};

use super::SignedIn;
use crate::audit;
use crate::auth::users::User;
use crate::date::today;
use crate::db::{DbConnection, DbError};
use crate::registry::intake::{self, PendingSummary};
use crate::registry::{Registry, due, objection, organisation, vendor};
use crate::rules::{RuleSet, Severity, Verdict};
use crate::web::views::workspace::dashboard::{Attention, Item, Review, dashboard_page};
use crate::web::{AppState, blocking};

struct Data {
    registries: Vec<Registry>,
    pending: Vec<PendingSummary>,
    recent: Vec<audit::Summary>,
    /// The vendors the recent changes are about.
    named: HashMap<(String, i32), vendor::Named>,
    objections: Vec<objection::Open>,
}

/// What the account sees: a member, only its organisations.
fn gather(conn: &mut DbConnection, user: &User) -> Result<Data, DbError> {
    let mut registries = organisation::registries(conn)?;
    registries.retain(|r| user.sees(&r.organisation.slug));
    let within = user.organisations();
    let ids: Option<Vec<i32>> = within
        .as_ref()
        .map(|_| registries.iter().map(|r| r.organisation.id).collect());
    let recent = audit::latest(conn, 10, ids.as_deref())?;
    let about: Vec<(String, i32)> = recent
        .iter()
        .filter_map(|e| Some((e.entity.clone(), e.entity_id?)))
        .collect();
    Ok(Data {
        pending: intake::pending_summaries(conn, within.as_deref())?,
        named: vendor::named(conn, &about)?,
        recent,
        registries,
        objections: objection::open(conn)?
            .into_iter()
            .filter(|o| user.sees(&o.organisation))
            .collect(),
    })
}

pub async fn dashboard(
    signed_in: SignedIn,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let user = signed_in.0.user.clone();
    let data = blocking(&state, move |conn| gather(conn, &user)).await?;
    let today = today();
    let editor = signed_in.0.user.role >= crate::auth::users::Role::Editor;
    let items = items(&data, state.rules, today);
    let attention = attention(&items, &data, (editor, state.rules), today);
    let page = dashboard_page(
        &signed_in.0,
        &attention,
        &data.pending,
        (&data.recent, &data.named),
        today,
        (&data.objections, state.mail_enabled),
    );
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-store"))
        .body(page.into_string()))
}

/// Every transfer of a vendor not retired by `today`, assessed on that day.
fn items<'a>(data: &'a Data, rules: &'static RuleSet, today: NaiveDate) -> Vec<Item<'a>> {
    let mut items: Vec<Item> = Vec::new();
    for registry in &data.registries {
        // Upcoming and proposed vendors too: their transfers need fixing before they start.
        for vendor in registry
            .vendors
            .iter()
            .filter(|v| v.retired_from.is_none_or(|d| d > today))
        {
            for transfer in &vendor.transfers {
                let assessment =
                    vendor.assess(transfer, registry.organisation.country, rules, today);
                items.push(Item {
                    registry,
                    vendor,
                    transfer,
                    assessment,
                });
            }
        }
    }
    items
}

/// What needs attention among `items`: links go to the forms for editors, to the vendor for
/// viewers.
fn attention<'a>(
    items: &'a [Item<'a>],
    data: &'a Data,
    (editor, rules): (bool, &RuleSet),
    today: NaiveDate,
) -> Attention<'a> {
    let soon = today + Duration::days(30);
    let mut flagged: Vec<&Item> = items.iter().filter(|i| i.assessment.flagged).collect();
    flagged.sort_by_key(|i| std::cmp::Reverse(i.assessment.severity));
    let critical = flagged
        .iter()
        .filter(|i| i.assessment.severity == Severity::Critical)
        .count();
    let without_tia: Vec<&Item> = items
        .iter()
        .filter(|i| i.assessment.verdict == Verdict::Safeguarded && i.transfer.tia_on.is_none())
        .collect();
    let without_dpa: Vec<_> = data
        .registries
        .iter()
        .flat_map(|r| r.vendors.iter().map(move |v| (r, v)))
        .filter(|(_, v)| due::needs_dpa(v) && v.dpa_signed_on.is_none())
        .collect();
    // Reviews: a certification under a framework in force, of a vendor in use or proposed,
    // checked more than a year ago; and changes taking effect soon.
    let reviews: Vec<Review> = data
        .registries
        .iter()
        .flat_map(|r| {
            let exporter = r.organisation.country;
            let certifications = r
                .vendors
                .iter()
                .filter(|v| due::reviewed(v))
                .flat_map(move |v| {
                    v.certifications.iter().filter_map(move |c| {
                        let due_on = c.verified_on + Duration::days(365);
                        (due_on <= soon && due::to_verify(c, rules, exporter, today)).then(|| {
                            (
                                r.organisation.name.clone(),
                                due_on,
                                format!(
                                    "re-check {}'s {} certification",
                                    v.name,
                                    rules.name_of(&c.framework)
                                ),
                                // Editors go straight to the form; viewers to the vendor.
                                Some(match editor {
                                    true => format!(
                                        "/workspace/{}/vendors/{}/certifications/{}",
                                        r.organisation.slug, v.key, c.id
                                    ),
                                    false => {
                                        format!(
                                            "/workspace/{}/vendors/{}",
                                            r.organisation.slug, v.key
                                        )
                                    }
                                }),
                            )
                        })
                    })
                });
            let changes = r
                .changes
                .iter()
                .filter(move |c| {
                    c.kind.is_public() && c.effective_on > today && c.effective_on <= soon
                })
                .map(move |c| {
                    let vendor = r.vendors.iter().find(|v| c.vendor_id == Some(v.id));
                    (
                        r.organisation.name.clone(),
                        c.effective_on,
                        format!("takes effect: {}", c.summary),
                        vendor.map(|v| {
                            format!("/workspace/{}/vendors/{}", r.organisation.slug, v.key)
                        }),
                    )
                });
            certifications.chain(changes)
        })
        .collect();
    let mut reviews = reviews;
    // The overdue first, then by day.
    reviews.sort_by(|a, b| (a.1, &a.2).cmp(&(b.1, &b.2)));
    Attention {
        flagged,
        critical,
        without_tia,
        without_dpa,
        reviews,
        editor,
    }
}
