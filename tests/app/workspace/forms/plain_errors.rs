//! Forms speak plainly (issue 17, point 7): a refused form lists its errors at the top in the
//! order of its fields, each linking to its control and saying what to do; "(required)" is said
//! once; the certification form starts on the framework in force; a day something was done
//! cannot be in the future, in the forms and the API; countries are listed as people read them.

use reqwest::Method;
use serde_json::json;

use super::{GA, editor, vendor};
use crate::support::{
    ALL_SCOPES, audit_count, create_vendor, field_error, form_fields, get_as, new_vendor, post_as,
    send, spawn_app, today,
};

/// The error summary's links, in order: (target id, message).
fn summary(html: &str) -> Vec<(String, String)> {
    use scraper::{Html, Selector};
    let page = Html::parse_document(html);
    let links = Selector::parse("#error-summary li a").unwrap();
    page.select(&links)
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.text().collect(),
            )
        })
        .collect()
}

fn with(fields: &[(String, String)], changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields = fields.to_vec();
    for (name, value) in changes {
        fields.retain(|(k, _)| k != name);
        fields.push((name.to_string(), value.to_string()));
    }
    fields
}

#[actix_web::test]
async fn a_refused_vendor_form_lists_its_errors_in_form_order_each_linking_to_its_field() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let new = "/workspace/arturia/vendors/new";
    let (_, html) = get_as(&app, &s, new).await;
    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    // Typed in the reverse of the form's order: the summary follows the form, not the post.
    let posted = with(
        &form_fields(&html, new),
        &[
            ("transfer_country", "US"),
            ("transfer_tia_on", &tomorrow),
            ("dpa_signed_on", &tomorrow),
            ("website", "mixpanel.com"),
            ("name", ""),
        ],
    );
    let audited = audit_count(&app);
    let pairs: Vec<(&str, &str)> = posted
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = post_as(&app, &s, new, &pairs).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert_eq!(audit_count(&app), audited, "nothing saved");

    let errors = summary(&html);
    let targets: Vec<&str> = errors.iter().map(|(href, _)| href.as_str()).collect();
    assert_eq!(
        targets,
        [
            "#name",
            "#key",
            "#website",
            "#categories",
            "#purpose",
            "#dpa_signed_on",
            "#transfer_tia_on"
        ],
        "{html}"
    );
    for (href, _) in &errors {
        let id = &href[1..];
        assert!(
            html.contains(&format!(" id=\"{id}\"")),
            "no #{id} to link to"
        );
    }
    assert_eq!(errors[0].1, "Enter a name");
    assert_eq!(
        errors[2].1,
        "Start the address with https:// — did you mean https://mixpanel.com?"
    );
    assert_eq!(errors[3].1, "Choose at least one category");
    assert!(
        errors[5].1.starts_with(&format!(
            "The DPA was signed on {tomorrow}, which is in the future"
        )),
        "{errors:?}"
    );
    // Next to the field too, with the same words.
    assert_eq!(field_error(&html, "name").as_deref(), Some("Enter a name"));
    assert!(field_error(&html, "transfer_tia_on").is_some_and(|e| e.contains("in the future")));
}

#[actix_web::test]
async fn required_is_said_once_and_countries_are_listed_as_people_read_them() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let admin = crate::support::sign_in(
        &app,
        "admin@example.com",
        crossborder::auth::users::Role::Admin,
    )
    .await;
    for (session, path) in [
        (&s, "/workspace/arturia/vendors/new".to_string()),
        (&s, format!("{GA}/certifications/new")),
        (&s, format!("{GA}/evidence/new")),
        (&admin, "/workspace/admin/organisations/new".to_string()),
    ] {
        let (status, html) = get_as(&app, session, &path).await;
        assert_eq!(status, 200, "{path}");
        let page = scraper::Html::parse_document(&html);
        for label in page.select(&scraper::Selector::parse("label").unwrap()) {
            let text: String = label.text().collect();
            assert!(
                text.matches("(required)").count() <= 1,
                "{path}: label {text:?}"
            );
        }
    }

    let (_, html) = get_as(&app, &s, "/workspace/arturia/vendors/new").await;
    let at = |name: &str| {
        html.find(&format!(">{name}</option>"))
            .unwrap_or_else(|| panic!("{name} is offered"))
    };
    assert!(at("Afghanistan") < at("Åland Islands"));
    assert!(at("Åland Islands") < at("Albania"));
    assert!(at("Côte d'Ivoire") < at("Croatia"));
}

#[actix_web::test]
async fn the_certification_form_starts_on_the_framework_in_force() {
    let app = spawn_app().await;
    let s = editor(&app).await;
    let (_, html) = get_as(&app, &s, &format!("{GA}/certifications/new")).await;
    let fields = form_fields(&html, &format!("{GA}/certifications/new"));
    let framework = fields.iter().find(|(k, _)| k == "framework").unwrap();
    // The Data Privacy Framework is the one in force since 2023-07-10 (seeds/rules); the
    // Privacy Shield, listed first by the rules, ended on 2020-07-16.
    assert_eq!(framework.1, "dpf");
    assert!(
        html.contains("EU-US Privacy Shield (ended 2020-07-16)"),
        "{html}"
    );

    // A list checked tomorrow is refused; today is fine.
    let v = vendor(&app, "arturia", "google-analytics");
    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    let posted = with(
        &fields,
        &[("from", "2023-07-10"), ("verified_on", &tomorrow)],
    );
    let pairs: Vec<(&str, &str)> = posted
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let response = post_as(&app, &s, &format!("{GA}/certifications/new"), &pairs).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        field_error(&html, "verified_on").is_some_and(|e| e.contains("in the future")),
        "{html}"
    );
    assert_eq!(
        vendor(&app, "arturia", "google-analytics").version,
        v.version
    );
}

#[actix_web::test]
async fn the_api_refuses_a_day_done_in_the_future_naming_the_field() {
    let app = spawn_app().await;
    let token = app.token("procurement-tool", ALL_SCOPES);
    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    let fields = |reply: &crate::support::Reply| -> Vec<(String, String)> {
        reply.problem(422)["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["field"].as_str().unwrap().to_string(),
                    e["message"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };

    let mut body = new_vendor("future-mail", "Future Mail");
    body["dpa_signed_on"] = json!(tomorrow);
    body["transfers"] = json!([{"country": "US", "tia_on": tomorrow,
        "mechanisms": [{"id": "scc_2021", "signed_on": tomorrow}]}]);
    let refused = fields(&create_vendor(&app, &token, "arturia", &body).await);
    let named: Vec<&str> = refused.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        named,
        [
            "dpa_signed_on",
            "transfers[0].mechanisms",
            "transfers[0].tia_on"
        ],
        "{refused:?}"
    );
    assert!(
        refused.iter().all(|(_, m)| m.contains("in the future")),
        "{refused:?}"
    );

    // Today is a day that was.
    let today = today().to_string();
    body["dpa_signed_on"] = json!(today);
    body["transfers"] = json!([{"country": "US", "tia_on": today,
        "mechanisms": [{"id": "scc_2021", "signed_on": today}]}]);
    let created = create_vendor(&app, &token, "arturia", &body).await;
    let version = created.etag.clone().expect("an ETag");
    created.ok(201);

    let path = "/api/v1/organisations/arturia/vendors/future-mail/certifications";
    let certification = json!({"framework": "dpf", "from": "2023-07-10", "verified_on": tomorrow});
    let reply = send(
        app.api(Method::POST, path, &token)
            .header("If-Match", &version)
            .json(&certification),
    )
    .await;
    assert_eq!(fields(&reply)[0].0, "verified_on");
}
