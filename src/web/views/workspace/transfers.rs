//! The transfer form: the fields of one transfer (country or place, data shared, every claimed
//! mechanism with its signing date, the impact assessment), also the first transfer of the
//! add-vendor form, and the page that adds or edits one.

use maud::{Markup, html};
use strum::VariantArray;

use super::form::{
    FormPage, described_by, field_error, input, invalid, kept_type, textarea, timing_fields,
};
use crate::auth::sessions::Session;
use crate::registry::{DataCategory, Vendor};
use crate::rules::{CountryCode, RuleSet, ScopeExclusion};
use crate::web::error::FieldError;
use crate::web::workspace::forms::Form;

/// The countries, by name as people read them (Åland under A), for a select.
pub fn countries_by_name() -> Vec<CountryCode> {
    let mut countries: Vec<CountryCode> = CountryCode::all().collect();
    countries.sort_by_cached_key(|c| (c.reading_key(), c.name()));
    countries
}

/// The id of the n-th (1-based) mechanism row's control: the first keeps the plain name.
pub fn row_id(name: &str, n: usize) -> String {
    if n == 1 {
        name.to_string()
    } else {
        format!("{name}-{n}")
    }
}

/// The fields of one transfer. `blank_country` names the empty choice of the country select.
pub fn transfer_fields(
    f: &Form,
    errors: &[FieldError],
    rules: &RuleSet,
    blank_country: &str,
) -> Markup {
    let mechanisms = f.all("transfer_mechanism");
    let signed = f.all("transfer_signed_on");
    // The rows as submitted (so that an error's row number still points at its row), and an
    // empty row to claim one more.
    let mut claimed: Vec<(String, String)> = mechanisms
        .iter()
        .zip(signed.iter().chain(std::iter::repeat(&String::new())))
        .map(|(m, s)| (m.clone(), s.clone()))
        .collect();
    if claimed
        .last()
        .is_none_or(|(m, s)| !m.is_empty() || !s.is_empty())
    {
        claimed.push(Default::default());
    }
    let rows = claimed.len();
    html! {
        div.field {
            label for="transfer_country" { "Country where the vendor handles the data" }
            select #transfer_country name="transfer_country"
                aria-invalid=[invalid(errors, "transfer_country")] aria-describedby=[described_by(errors, "transfer_country")] {
                option value="" { (blank_country) }
                @for c in countries_by_name() { option value=(c) selected[f.get("transfer_country") == c.as_str()] { (c.name()) } }
            }
            (field_error(errors, "transfer_country"))
        }
        (input(f, errors, ("transfer_location", "Or, when no country is known, where the source says (e.g. \"outside the EU\")"), "text", false))
        fieldset #transfer_data aria-describedby=[described_by(errors, "transfer_data")] {
            legend { "Data shared" }
            @for d in DataCategory::VARIANTS {
                div.check {
                    input type="checkbox" id={ "data-" (d) } name="transfer_data" value=(d) checked[f.has("transfer_data", &d.to_string())];
                    label for={ "data-" (d) } { (d.label()) }
                }
            }
            (field_error(errors, "transfer_data"))
        }
        fieldset #mechanisms {
            legend { "Mechanisms claimed, with the date each was signed" }
            @for n in 1..=rows {
                @let (mechanism, signed_on) = claimed.get(n - 1).cloned().unwrap_or_default();
                @let (select_id, date_id) = (row_id("transfer_mechanism", n), row_id("transfer_signed_on", n));
                div.mechanism-row {
                    div.field {
                        label for=(select_id) { "Mechanism " (n) }
                        select id=(select_id) name="transfer_mechanism"
                            aria-invalid=[invalid(errors, &select_id)] aria-describedby=[described_by(errors, &select_id)] {
                            option value="" { "None" }
                            @for m in rules.mechanisms() {
                                option value=(m.id()) selected[mechanism == m.id()] { (m.short) " (" (m.id()) ")" }
                            }
                        }
                        (field_error(errors, &select_id))
                    }
                    div.field {
                        label for=(date_id) { "Signed on (mechanism " (n) ")" }
                        input id=(date_id) type=(kept_type(errors, &date_id, "date")) name="transfer_signed_on" value=(signed_on)
                            aria-invalid=[invalid(errors, &date_id)] aria-describedby=[described_by(errors, &date_id)];
                        (field_error(errors, &date_id))
                    }
                }
            }
        }
        fieldset #transfer_outside_scope aria-describedby=[described_by(errors, "transfer_outside_scope")] {
            legend { "Importer outside an adequacy decision's scope (only if the source says so)" }
            @for e in ScopeExclusion::all() {
                div.check {
                    input type="checkbox" id={ "scope-" (e) } name="transfer_outside_scope" value=(e) checked[f.has("transfer_outside_scope", e.id())];
                    label for={ "scope-" (e) } {
                        @for (i, c) in e.countries().iter().enumerate() { @if i > 0 { ", " } (c.as_str()) }
                        ": " (e.label())
                    }
                }
            }
            (field_error(errors, "transfer_outside_scope"))
        }
        (input(f, errors, ("transfer_tia_on", "Transfer impact assessment done on"), "date", false))
        (textarea(f, errors, ("transfer_measures", "Supplementary measures")))
        (textarea(f, errors, ("transfer_notes", "Notes (not published)")))
    }
}

/// The page that adds a transfer to a vendor or edits one of its transfers.
pub struct TransferPage<'a> {
    pub session: &'a Session,
    pub action: String,
    pub title: String,
    pub vendor_href: String,
    pub vendor_name: &'a str,
}

impl TransferPage<'_> {
    pub fn render(
        &self,
        form: &Form,
        errors: &[FieldError],
        rules: &RuleSet,
        notice: Markup,
    ) -> Markup {
        FormPage {
            session: self.session,
            title: &self.title,
            back: Some((&self.vendor_href, self.vendor_name)),
            action: &self.action,
            what: "The transfer",
            submit: "Save transfer",
        }
        .render(
            Some(&form.get("version")),
            errors,
            notice,
            html! {
                (transfer_fields(form, errors, rules, "Not known"))
                (timing_fields(form, errors, Some("Takes effect on (blank: today, or after the notice period for a new country or data)"), true))
            },
        )
    }
}

/// The page of a new transfer of `vendor` (`id` is `None`) or of its transfer `id`.
pub fn transfer_page<'a>(
    session: &'a Session,
    slug: &str,
    vendor: &'a Vendor,
    id: Option<i32>,
) -> TransferPage<'a> {
    let vendor_href = format!("/workspace/{slug}/vendors/{}", vendor.key);
    let (action, title) = match id {
        Some(id) => (
            format!("{vendor_href}/transfers/{id}"),
            format!("Edit a transfer of {}", vendor.name),
        ),
        None => (
            format!("{vendor_href}/transfers/new"),
            format!("Add a transfer to {}", vendor.name),
        ),
    };
    TransferPage {
        session,
        action,
        title,
        vendor_href,
        vendor_name: &vendor.name,
    }
}

/// The form that ends transfer `id` of `vendor` from a date, with an explanation above it.
pub fn end_transfer_page(
    session: &Session,
    slug: &str,
    vendor: &Vendor,
    id: i32,
    (form, errors, notice): (&Form, &[FieldError], Markup),
) -> Markup {
    let place = vendor
        .transfers
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.place())
        .unwrap_or_default();
    let back = format!("/workspace/{slug}/vendors/{}", vendor.key);
    let action = format!("{back}/transfers/{id}/end");
    let title = format!("End the transfer of {} to {place}", vendor.name);
    FormPage {
        session,
        title: &title,
        back: Some((&back, &vendor.name)),
        action: &action,
        what: "The end of the transfer",
        submit: &format!("End the transfer to {place}"),
    }
    .render(
        Some(&form.get("version")),
        errors,
        html! {
            p {
                "Ending keeps the transfer in the history: lists dated before the end still show it. "
                "The change log announces it today; it takes effect on the day given (today when left blank)."
            }
            (notice)
        },
        timing_fields(form, errors, Some("No longer happens from"), false),
    )
}
