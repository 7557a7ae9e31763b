//! A vendor's small forms: add a certification (a framework list it is on), verify or end one,
//! add evidence behind its records.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::form::{FormPage, described_by, field_error, input, invalid, textarea};
use crate::auth::sessions::Session;
use crate::date::today;
use crate::registry::{Certification, Organisation, Vendor};
use crate::rules::{Mechanism, MechanismKind, RuleSet};
use crate::web::error::FieldError;
use crate::web::views::mechanism_name;
use crate::web::workspace::forms::Form;

/// One of a vendor's small forms: its title, where it posts, and what it saves.
pub struct SmallForm<'a> {
    pub session: &'a Session,
    pub vendor_href: String,
    pub vendor_name: &'a str,
    pub vendor_id: i32,
    pub title: String,
    pub action: String,
    pub what: &'static str,
}

impl SmallForm<'_> {
    fn new<'a>(
        session: &'a Session,
        organisation: &Organisation,
        vendor: &'a Vendor,
        title: String,
        tail: &str,
        what: &'static str,
    ) -> SmallForm<'a> {
        let vendor_href = format!("/workspace/{}/vendors/{}", organisation.slug, vendor.key);
        SmallForm {
            session,
            action: format!("{vendor_href}/{tail}"),
            vendor_href,
            vendor_name: &vendor.name,
            vendor_id: vendor.id,
            title,
            what,
        }
    }

    pub fn certification<'a>(
        session: &'a Session,
        organisation: &Organisation,
        vendor: &'a Vendor,
    ) -> SmallForm<'a> {
        let title = format!("Add a certification of {}", vendor.name);
        SmallForm::new(
            session,
            organisation,
            vendor,
            title,
            "certifications/new",
            "The certification",
        )
    }

    pub fn verification<'a>(
        session: &'a Session,
        organisation: &Organisation,
        vendor: &'a Vendor,
        id: i32,
    ) -> SmallForm<'a> {
        let title = format!("Verify or end a certification of {}", vendor.name);
        let tail = format!("certifications/{id}");
        SmallForm::new(
            session,
            organisation,
            vendor,
            title,
            &tail,
            "The certification",
        )
    }

    pub fn evidence<'a>(
        session: &'a Session,
        organisation: &Organisation,
        vendor: &'a Vendor,
    ) -> SmallForm<'a> {
        let title = format!("Add evidence about {}", vendor.name);
        SmallForm::new(
            session,
            organisation,
            vendor,
            title,
            "evidence/new",
            "The evidence",
        )
    }

    pub fn render(&self, form: &Form, errors: &[FieldError], fields: Markup) -> Markup {
        self.render_with(form, errors, fields, html! {})
    }

    pub fn render_with(
        &self,
        form: &Form,
        errors: &[FieldError],
        fields: Markup,
        notice: Markup,
    ) -> Markup {
        FormPage {
            session: self.session,
            title: &self.title,
            back: Some((&self.vendor_href, self.vendor_name)),
            action: &self.action,
            what: self.what,
            submit: "Save",
        }
        .render(Some(&form.get("version")), errors, notice, fields)
    }
}

/// The frameworks a vendor can be listed under (the Data Privacy Framework, say): the choices
/// of the certification form.
pub fn frameworks(rules: &RuleSet) -> impl Iterator<Item = &Mechanism> {
    rules
        .mechanisms()
        .filter(|m| matches!(m.kind, MechanismKind::Framework { .. }))
}

/// The framework in force on `day` according to the rules data (the Data Privacy Framework
/// since 2023-07-10): what a new certification most likely is.
pub fn framework_in_force(rules: &RuleSet, day: NaiveDate) -> Option<&str> {
    frameworks(rules)
        .find(|m| m.period.contains(day))
        .map(|m| m.id())
}

/// A framework as the form offers it: its name, and when it is not in force, since or until when.
fn framework_option(m: &Mechanism, day: NaiveDate) -> String {
    match (m.period.valid_from, m.period.valid_until) {
        (_, Some(until)) if m.period.ended(day) => format!("{} (ended {until})", m.name),
        (Some(from), _) if !m.period.started(day) => format!("{} (from {from})", m.name),
        _ => format!("{} (in force)", m.name),
    }
}

pub fn certification_fields(f: &Form, errors: &[FieldError], rules: &RuleSet) -> Markup {
    let day = today();
    html! {
        div.field {
            label for="framework" { "Framework (required)" }
            select #framework name="framework" aria-invalid=[invalid(errors, "framework")] aria-describedby=[described_by(errors, "framework")] {
                @for m in frameworks(rules) { option value=(m.id()) selected[f.get("framework") == m.id()] { (framework_option(m, day)) } }
            }
            (field_error(errors, "framework"))
        }
        fieldset #parts aria-invalid=[invalid(errors, "parts")] aria-describedby=[described_by(errors, "parts")] {
            legend { "Parts of the list the vendor is on (each regime reads its own part)" }
            @for r in &rules.regimes {
                @let checked = f.has("parts", &r.regime) || (f.all("parts").is_empty() && r.regime == "eu");
                div.check {
                    input type="checkbox" id={ "part-" (r.regime) } name="parts" value=(r.regime) checked[checked];
                    label for={ "part-" (r.regime) } { (r.label) " (" (r.regime) ")" }
                }
            }
            (field_error(errors, "parts"))
        }
        (input(f, errors, ("from", "On the list from"), "date", true))
        (input(f, errors, ("until", "Off the list from (leave empty while it holds)"), "date", false))
        (input(f, errors, ("verified_on", "Last verified on the framework's list"), "date", true))
        (evidence_fields(f, errors, false))
    }
}

fn evidence_fields(f: &Form, errors: &[FieldError], required: bool) -> Markup {
    let label = |text: &str| {
        if required {
            format!("{text} (required)")
        } else {
            format!("{text} (optional)")
        }
    };
    html! {
        fieldset {
            legend { "Evidence: the document and a verbatim quote" }
            (input(f, errors, ("document", &label("Document")), "text", false))
            (textarea(f, errors, ("quote", &label("Quote"))))
            (input(f, errors, ("url", "Link to the document (https://...)"), "url", false))
        }
    }
}

pub fn verify_fields(
    f: &Form,
    errors: &[FieldError],
    c: &Certification,
    rules: &RuleSet,
) -> Markup {
    html! {
        p { (mechanism_name(rules, &c.framework)) ", on the list from " (c.from) "." }
        (input(f, errors, ("verified_on", "Last verified on the framework's list"), "date", true))
        (input(f, errors, ("until", "Off the list from (leave empty while it holds)"), "date", false))
    }
}

/// What a piece of evidence can be about, as (form value, label).
pub fn evidence_targets(vendor: &Vendor, rules: &RuleSet) -> Vec<(String, String)> {
    let mut targets = vec![("vendor".to_string(), format!("{} itself", vendor.name))];
    for t in &vendor.transfers {
        let place = t
            .country
            .map(|c| c.name().to_string())
            .or_else(|| t.location.clone())
            .unwrap_or_default();
        targets.push((
            format!("transfer-{}", t.id),
            format!("The transfer to {place}"),
        ));
    }
    for c in &vendor.certifications {
        targets.push((
            format!("certification-{}", c.id),
            format!(
                "The {} certification from {}",
                mechanism_name(rules, &c.framework),
                c.from
            ),
        ));
    }
    targets
}

pub fn evidence_form_fields(
    f: &Form,
    errors: &[FieldError],
    targets: &[(String, String)],
) -> Markup {
    html! {
        div.field {
            label for="about" { "About" }
            select #about name="about" aria-invalid=[invalid(errors, "about")] aria-describedby=[described_by(errors, "about")] {
                @for (value, label) in targets { option value=(value) selected[f.get("about") == *value] { (label) } }
            }
            (field_error(errors, "about"))
        }
        (evidence_fields(f, errors, true))
    }
}
