//! The forms of a vendor's own record: add a vendor (with its first transfer), edit it, retire
//! it. Everything typed is kept, each error next to its field.

use chrono::NaiveDate;
use maud::{Markup, html};
use strum::VariantArray;

use super::form::{
    FormPage, described_by, field_error, input, input_with_help, invalid, kept_type, textarea,
    timing_fields,
};
use super::transfers::{countries_by_name, transfer_fields};
use crate::auth::sessions::Session;
use crate::registry::{Organisation, Vendor, VendorCategory, VendorStatus};
use crate::rules::RuleSet;
use crate::web::error::FieldError;
use crate::web::workspace::forms::Form;

/// Add (`editing` is `None`) or edit a vendor. `announced_from` is the first day a change
/// announced today may take effect.
pub struct VendorPage<'a> {
    pub session: &'a Session,
    pub organisation: &'a Organisation,
    pub editing: Option<&'a Vendor>,
    pub announced_from: NaiveDate,
}

impl VendorPage<'_> {
    fn title(&self) -> String {
        match self.editing {
            Some(v) => format!("Edit {}", v.name),
            None => format!("Add a vendor to {}", self.organisation.name),
        }
    }

    fn action(&self) -> String {
        let slug = &self.organisation.slug;
        match self.editing {
            Some(v) => format!("/workspace/{slug}/vendors/{}/edit", v.key),
            None => format!("/workspace/{slug}/vendors/new"),
        }
    }

    pub fn render(
        &self,
        f: &Form,
        errors: &[FieldError],
        rules: &RuleSet,
        notice: Markup,
    ) -> Markup {
        let title = self.title();
        let notice_days = self.organisation.announce_days;
        let status = self.editing.map(|v| v.status);
        let select = |name: &str, label: &str, options: Markup| {
            html! {
                div.field {
                    label for=(name) { (label) }
                    select id=(name) name=(name) aria-invalid=[invalid(errors, name)] aria-describedby=[described_by(errors, name)] { (options) }
                    (field_error(errors, name))
                }
            }
        };
        let back = self.editing.map(|v| {
            (
                format!("/workspace/{}/vendors/{}", self.organisation.slug, v.key),
                v.name.as_str(),
            )
        });
        let action = self.action();
        FormPage {
            session: self.session,
            title: &title,
            back: back.as_ref().map(|(href, name)| (href.as_str(), *name)),
            action: &action,
            what: "The vendor",
            submit: "Save vendor",
        }
        .render(
            self.editing.map(|_| f.get("version")).as_deref(),
            errors,
            notice,
            html! {
                    (input(f, errors, ("name", "Name"), "text", true))
                    @match self.editing {
                        None => (input_with_help(f, errors, ("key", "Key"), "text",
                            "Lowercase letters, digits and -. It cannot change later. Left empty, it is made from the name: \"Stripe, Inc.\" becomes stripe-inc, or stripe-inc-2 when taken.")),
                        Some(v) => p { "Key: " code { (v.key) } },
                    }
                    (input(f, errors, ("legal_entity", "Legal entity"), "text", false))
                    (input(f, errors, ("website", "Website (https://...)"), "url", false))
                    (select("headquarters", "Headquarters", html! {
                        option value="" { "Not known" }
                        @for c in countries_by_name() { option value=(c) selected[f.get("headquarters") == c.as_str()] { (c.name()) } }
                    }))
                    (select("role", "Role", html! {
                        @for r in crate::registry::Role::VARIANTS { option value=(r) selected[f.get("role") == r.to_string()] { (r.label()) } }
                    }))
                    fieldset #categories aria-describedby=[described_by(errors, "categories")] {
                        legend { "Categories (at least one)" }
                        @for c in VendorCategory::VARIANTS {
                            div.check {
                                input type="checkbox" id={ "cat-" (c) } name="categories" value=(c) checked[f.has("categories", &c.to_string())];
                                label for={ "cat-" (c) } { (c.label()) }
                            }
                        }
                        (field_error(errors, "categories"))
                    }
                    (textarea(f, errors, ("purpose", "Purpose (required)")))
                    @match status {
                        None | Some(VendorStatus::Proposed) => {
                            (select("status", "Status", html! {
                                option value="active" selected[f.get("status") != "proposed"] { "Active: announced now, takes effect on the date below" }
                                option value="proposed" selected[f.get("status") == "proposed"] { "Proposed: not announced yet" }
                            }))
                        }
                        Some(s) => {
                            p #status { "Status: " (s.to_string()) " (retire the vendor from its page)" }
                            (field_error(errors, "status"))
                        }
                    }
                    div.field {
                        label for="active_from" { "Takes effect on" }
                        input #active_from type=(kept_type(errors, "active_from", "date")) name="active_from" value=(f.get("active_from"))
                            aria-invalid=[invalid(errors, "active_from")]
                            aria-describedby={ "active_from-hint" @if let Some(id) = described_by(errors, "active_from") { " " (id) } };
                        p.hint #active_from-hint { "The notice period of " (self.organisation.name) " is " (notice_days) " days: a change announced today should take effect on " (self.announced_from) " or later." }
                        (field_error(errors, "active_from"))
                    }
                    (input(f, errors, ("dpa_signed_on", "Data processing agreement signed on"), "date", false))
                    (input(f, errors, ("dpa_url", "Data processing agreement link (https://...)"), "url", false))
                    (textarea(f, errors, ("notes", "Notes (not published)")))
                    (timing_fields(f, errors, self.editing.map(|_| "A change of the fields above takes effect on (blank: today, or after the notice period for a new role or category)"), true))
                    @if self.editing.is_none() {
                        fieldset {
                            legend { "First transfer (more can be added on the vendor's page)" }
                            (transfer_fields(f, errors, rules, "No transfer yet"))
                        }
                    }
            },
        )
    }
}

/// The form that retires `vendor` from a date, with an explanation above it.
pub fn retire_page(
    session: &Session,
    organisation: &Organisation,
    vendor: &Vendor,
    form: &Form,
    errors: &[FieldError],
    notice: Markup,
) -> Markup {
    let slug = &organisation.slug;
    let title = format!("Retire {}", vendor.name);
    let back = format!("/workspace/{slug}/vendors/{}", vendor.key);
    let action = format!("{back}/retire");
    let submit = format!("Retire {}", vendor.name);
    FormPage {
        session,
        title: &title,
        back: Some((&back, &vendor.name)),
        action: &action,
        what: "The retirement",
        submit: &submit,
    }
    .render(
        Some(&form.get("version")),
        errors,
        html! {
            p {
                "Retiring keeps the vendor and its history: it stays on lists dated before the retirement date "
                "and leaves the list from that date. The change log announces it today."
            }
            (notice)
        },
        html! {
            (input(form, errors, ("effective_on", "No longer used from"), "date", true))
            (timing_fields(form, errors, None, false))
        },
    )
}

/// The form that withdraws a proposed `vendor`: it was never listed, so nothing is announced.
pub fn withdraw_page(
    session: &Session,
    organisation: &Organisation,
    vendor: &Vendor,
    form: &Form,
    errors: &[FieldError],
    notice: Markup,
) -> Markup {
    let slug = &organisation.slug;
    let title = format!("Withdraw {}", vendor.name);
    let back = format!("/workspace/{slug}/vendors/{}", vendor.key);
    let action = format!("{back}/withdraw");
    let submit = format!("Withdraw {}", vendor.name);
    FormPage {
        session,
        title: &title,
        back: Some((&back, &vendor.name)),
        action: &action,
        what: "The withdrawal",
        submit: &submit,
    }
    .render(
        Some(&form.get("version")),
        errors,
        html! {
            p {
                (vendor.name) " is only proposed: it was never on the public list. Withdrawing it keeps "
                "the record and its audit trail in the workspace, marked withdrawn from today; the public "
                "list, its feeds and its change log never mention it."
            }
            (notice)
        },
        html! {
            (textarea(form, errors, ("reason", "Why it is withdrawn (optional, added to its notes)")))
        },
    )
}
