//! Every page people use, as served by the real app, passes the Nu HTML Checker and axe-core:
//! the public list, its legend, the subscribe and objection forms; the workspace's dashboard,
//! vendor list and page, the vendor, transfer and certification forms (blank and refused with
//! errors), organisation settings, import (with a dry run), exports, the account and password
//! pages and the admin pages. One server, one browser, one run of vnu.jar over all saved pages.

use std::path::Path;
use std::time::{Duration, Instant};

use fantoccini::Client;
use serde_json::json;

use crate::checkers::{Checkers, checkers_or_skip};
use crate::chromium::{ChromeDriver, chromedriver_or_skip, connect};
use crate::support::{
    ALL_SCOPES, Session, SmtpServer, TestApp, create_vendor, form_fields, new_vendor, send,
    sign_in, spawn_app_with_mail,
};
use crossborder::auth::users::Role;
use reqwest::Method;

/// A page written with a fault, that vnu must report.
const KNOWN_BAD: &str = "known-bad.html";

/// How a page is reached: opened, or a form on a page filled in and submitted.
enum Visit {
    Get(String),
    /// The page with the form, the form's action, and the fields set before submitting
    /// (`""` empties one).
    Submit {
        page: String,
        action: String,
        set: Vec<(&'static str, String)>,
    },
}

struct Page {
    name: &'static str,
    visit: Visit,
}

fn get(name: &'static str, path: impl Into<String>) -> Page {
    Page {
        name,
        visit: Visit::Get(path.into()),
    }
}

fn submit(
    name: &'static str,
    page: impl Into<String>,
    action: impl Into<String>,
    set: &[(&'static str, &str)],
) -> Page {
    Page {
        name,
        visit: Visit::Submit {
            page: page.into(),
            action: action.into(),
            set: set.iter().map(|(k, v)| (*k, v.to_string())).collect(),
        },
    }
}

/// The ids the pages need: a vendor with a transfer and a certification, an announced change
/// open to objections, an objection, an account to reset.
struct Fixture {
    vendor: String,
    transfer: i32,
    certified: String,
    certification: i32,
    change: i32,
    objection: i32,
    account: i32,
}

async fn fixture(app: &TestApp) -> Fixture {
    use crossborder::db::schema::{changes, objections, users};
    use diesel::prelude::*;
    let registry = crossborder::registry::organisation::registry(&mut app.conn(), "arturia")
        .unwrap()
        .unwrap();
    let with_transfer = registry
        .vendors
        .iter()
        .find(|v| !v.transfers.is_empty())
        .expect("a vendor with a transfer");
    let certified = registry
        .vendors
        .iter()
        .find(|v| !v.certifications.is_empty())
        .expect("a certified vendor");
    // An announced vendor: its change is open to objections, and one is filed.
    let token = app.token("procurement-tool", ALL_SCOPES);
    let mut vendor = new_vendor("checked-cdn", "Checked CDN");
    vendor["status"] = json!("active");
    vendor["transfers"] = json!([{"country": "CN", "data_categories": ["usage"]}]);
    create_vendor(app, &token, "arturia", &vendor).await.ok(201);
    let change: i32 = changes::table
        .select(diesel::dsl::max(changes::id))
        .first::<Option<i32>>(&mut *app.conn())
        .unwrap()
        .unwrap();
    let path = format!("/api/v1/organisations/arturia/changes/{change}/objections");
    let objection = json!({"name": "Ana Lima", "company": "Customer SA",
        "email": "ana@customer.example", "reason": "Our data may not go to China."});
    send(app.api(Method::POST, &path, &token).json(&objection))
        .await
        .ok(201);
    let objection = objections::table
        .select(objections::id)
        .first(&mut *app.conn())
        .unwrap();
    crate::support::create_user(app, "reader@example.com", Role::Viewer);
    let account = users::table
        .filter(users::email.eq("reader@example.com"))
        .select(users::id)
        .first(&mut *app.conn())
        .unwrap();
    Fixture {
        vendor: with_transfer.key.clone(),
        transfer: with_transfer.transfers[0].id,
        certified: certified.key.clone(),
        certification: certified.certifications[0].id,
        change,
        objection,
        account,
    }
}

fn pages(f: &Fixture) -> Vec<Page> {
    let ws = "/workspace/arturia/vendors";
    let vendor = format!("{ws}/{}", f.vendor);
    let certified = format!("{ws}/{}", f.certified);
    let object = format!("/arturia/changes/{}/object", f.change);
    vec![
        get("index", "/"),
        get("public-list", "/arturia/subprocessors"),
        get(
            "public-list-dated",
            "/arturia/subprocessors?as_of=2019-05-23",
        ),
        get(
            "public-list-filtered",
            "/jamendo/subprocessors?flagged=true",
        ),
        submit(
            "subscribe-errors",
            "/arturia/subprocessors",
            "/arturia/subscribe",
            &[("email", "not an address")],
        ),
        get("object", object.clone()),
        submit(
            "object-errors",
            object.clone(),
            object,
            &[("name", ""), ("reason", "")],
        ),
        get("not-found", "/nobody/subprocessors"),
        get("dashboard", "/workspace"),
        get("vendors", "/workspace/vendors"),
        get("vendors-search", "/workspace/vendors?q=google"),
        get("vendor", vendor.clone()),
        get("vendor-new", format!("{ws}/new")),
        submit(
            "vendor-new-errors",
            format!("{ws}/new"),
            format!("{ws}/new"),
            &[
                ("website", "mixpanel.com"),
                ("dpa_signed_on", "2999-01-01"),
                ("transfer_country", "US"),
                ("transfer_tia_on", "2999-01-01"),
            ],
        ),
        get("vendor-edit", format!("{vendor}/edit")),
        submit(
            "vendor-edit-errors",
            format!("{vendor}/edit"),
            format!("{vendor}/edit"),
            &[("name", ""), ("purpose", "")],
        ),
        get("vendor-retire", format!("{vendor}/retire")),
        get("transfer-new", format!("{vendor}/transfers/new")),
        submit(
            "transfer-new-errors",
            format!("{vendor}/transfers/new"),
            format!("{vendor}/transfers/new"),
            &[("transfer_country", ""), ("transfer_tia_on", "2999-01-01")],
        ),
        get(
            "transfer-edit",
            format!("{vendor}/transfers/{}", f.transfer),
        ),
        get("certification-new", format!("{vendor}/certifications/new")),
        submit(
            "certification-new-errors",
            format!("{vendor}/certifications/new"),
            format!("{vendor}/certifications/new"),
            &[("from", ""), ("verified_on", "2999-01-01")],
        ),
        get(
            "certification-edit",
            format!("{certified}/certifications/{}", f.certification),
        ),
        get("evidence-new", format!("{vendor}/evidence/new")),
        submit(
            "evidence-new-errors",
            format!("{vendor}/evidence/new"),
            format!("{vendor}/evidence/new"),
            &[("document", ""), ("quote", "")],
        ),
        get("intake", "/workspace/intake"),
        get(
            "objection",
            format!("/workspace/arturia/objections/{}", f.objection),
        ),
        get("audit", "/workspace/audit"),
        get("reminders", "/workspace/reminders"),
        get("import", "/workspace/arturia/import"),
        submit(
            "import-dry-run",
            "/workspace/arturia/import",
            "/workspace/arturia/import",
            &[(
                "pasted",
                "Name\tPurpose\tLocation\nNew Mail\tNewsletters\tUnited States\nBroken\t\tAtlantis",
            )],
        ),
        get("exports", "/workspace/arturia/exports"),
        get("password", "/workspace/account/password"),
        submit(
            "password-errors",
            "/workspace/account/password",
            "/workspace/account/password",
            &[("current_password", "wrong"), ("new_password", "short")],
        ),
        get("admin", "/workspace/admin"),
        get("admin-users", "/workspace/admin/users"),
        submit(
            "admin-users-errors",
            "/workspace/admin/users",
            "/workspace/admin/users",
            &[("email", "not an address")],
        ),
        submit(
            "admin-reset-link",
            "/workspace/admin/users",
            format!("/workspace/admin/users/{}/reset", f.account),
            &[],
        ),
        get("admin-clients", "/workspace/admin/clients"),
        submit(
            "admin-clients-errors",
            "/workspace/admin/clients",
            "/workspace/admin/clients",
            &[("name", "")],
        ),
        get("admin-notices", "/workspace/admin/notices"),
        get(
            "admin-organisation-new",
            "/workspace/admin/organisations/new",
        ),
        submit(
            "admin-organisation-new-errors",
            "/workspace/admin/organisations/new",
            "/workspace/admin/organisations",
            &[("slug", "Not A Slug"), ("website", "acme.example")],
        ),
        get(
            "admin-organisation",
            "/workspace/admin/organisations/arturia",
        ),
    ]
}

/// A `multipart/form-data` body of text fields, as a browser sends a form with a file input
/// left empty.
fn multipart(fields: &[(String, String)]) -> (String, String) {
    let boundary = "----crossborder-checker-boundary".to_string();
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The page as the server sends it (what vnu must read: not the browser's DOM, which hides
/// parse errors).
async fn served(app: &TestApp, session: &Session, visit: &Visit) -> (u16, String) {
    let cookie = format!("cb_session={}", session.cookie);
    let fetch = |path: &str| {
        app.client
            .get(format!("{}{path}", app.address))
            .header("Cookie", &cookie)
            .send()
    };
    let response = match visit {
        Visit::Get(path) => fetch(path).await.unwrap(),
        Visit::Submit { page, action, set } => {
            let html = fetch(page).await.unwrap().text().await.unwrap();
            let mut fields = form_fields(&html, action);
            for (name, value) in set {
                match fields.iter_mut().find(|(k, _)| k == name) {
                    Some(field) => field.1 = value.clone(),
                    None => fields.push((name.to_string(), value.clone())),
                }
            }
            let multipart_form = html.contains(&format!(
                "enctype=\"multipart/form-data\" action=\"{action}\""
            ));
            let request = app
                .client
                .post(format!("{}{action}", app.address))
                .header("Cookie", &cookie);
            let request = if multipart_form {
                let (content_type, body) = multipart(&fields);
                request.header("Content-Type", content_type).body(body)
            } else {
                request.form(&fields)
            };
            request.send().await.unwrap()
        }
    };
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// Shows the page in the browser: opens it, or fills in and submits its form and waits for
/// the answer.
async fn show(client: &Client, address: &str, visit: &Visit) {
    match visit {
        Visit::Get(path) => client.goto(&format!("{address}{path}")).await.unwrap(),
        Visit::Submit { page, action, set } => {
            client.goto(&format!("{address}{page}")).await.unwrap();
            let set: Vec<_> = set.iter().map(|(k, v)| json!([k, v])).collect();
            client
                .execute(
                    r#"const [action, set] = arguments;
                    const form = [...document.forms].find(f => f.getAttribute('action') === action);
                    if (!form) throw new Error('no form posting to ' + action);
                    for (const [name, value] of set) {
                        const control = form.elements[name];
                        if (control) { (control.length !== undefined && !control.options ? control[0] : control).value = value; }
                    }
                    window.checkerSubmitted = true;
                    HTMLFormElement.prototype.submit.call(form);"#,
                    vec![json!(action), json!(set)],
                )
                .await
                .unwrap_or_else(|e| panic!("the form posting to {action} on {page}: {e}"));
            // The answer replaces the page: the flag is gone once it has loaded.
            let deadline = Instant::now() + Duration::from_secs(15);
            loop {
                let done = client
                    .execute(
                        "return window.checkerSubmitted === undefined && document.readyState === 'complete';",
                        vec![],
                    )
                    .await
                    .unwrap_or(json!(false));
                if done == json!(true) {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "no answer to the form posting to {action}"
                );
                actix_web::rt::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

async fn check_in_browser(
    checkers: &Checkers,
    client: &Client,
    app: &TestApp,
    pages: &[Page],
) -> Vec<String> {
    let mut failures = Vec::new();
    for page in pages {
        show(client, &app.address, &page.visit).await;
        let url = client.current_url().await.unwrap();
        assert_ne!(
            url.path(),
            "/workspace/login",
            "{}: the browser is signed in",
            page.name
        );
        if page.name.ends_with("-errors") {
            let summary = client
                .execute(
                    "return document.getElementById('error-summary') !== null;",
                    vec![],
                )
                .await
                .unwrap();
            assert_eq!(
                summary,
                json!(true),
                "{}: the refused form shows its errors",
                page.name
            );
        }
        for violation in checkers.axe_violations(client).await {
            failures.push(format!("{}: {violation}", page.name));
        }
    }
    failures
}

fn save(dir: &Path, index: usize, name: &str, html: &str) {
    std::fs::write(dir.join(format!("{index:02}-{name}.html")), html).expect("the page is saved");
}

#[actix_web::test]
async fn every_page_passes_the_nu_html_checker_and_axe_core() {
    let Some(binary) = chromedriver_or_skip() else {
        return;
    };
    let Some(checkers) = checkers_or_skip() else {
        return;
    };
    // With mail, so that the subscribe and objection forms are offered.
    let smtp = SmtpServer::start();
    let app = spawn_app_with_mail(&smtp).await;
    let fixture = fixture(&app).await;
    let pages = pages(&fixture);
    // Kept after the run, for a look at what the checkers read.
    let saved = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/checked-pages");
    let _ = std::fs::remove_dir_all(&saved);
    std::fs::create_dir_all(&saved).expect("target/checked-pages can be created");

    // The sign-in page, as a stranger sees it; then an admin's session for everything else.
    let (status, login) = served_anonymous(&app, "/workspace/login").await;
    assert_eq!(status, 200);
    save(&saved, 0, "login", &login);
    let session = sign_in(&app, "admin@example.com", Role::Admin).await;
    for (i, page) in pages.iter().enumerate() {
        let (status, html) = served(&app, &session, &page.visit).await;
        assert!(
            status < 500 && (status != 404 || page.name == "not-found"),
            "{}: {status}\n{html}",
            page.name
        );
        if page.name.ends_with("-errors") {
            assert!(
                html.contains("id=\"error-summary\""),
                "{}: no error summary\n{html}",
                page.name
            );
        }
        save(&saved, i + 1, page.name, &html);
    }

    let profile = tempfile::tempdir().expect("a temporary Chromium profile");
    let driver = ChromeDriver::start(&binary);
    let client = connect(&driver, profile.path()).await;
    client
        .goto(&format!("{}/workspace/login", app.address))
        .await
        .unwrap();
    checkers.axe_catches_a_known_fault(&client).await;
    let mut failures: Vec<String> = checkers
        .axe_violations(&client)
        .await
        .into_iter()
        .map(|v| format!("login: {v}"))
        .collect();
    // The admin's session in the browser too: its cookie, set on the app's address.
    client
        .execute(
            "document.cookie = `cb_session=${arguments[0]}; path=/`;",
            vec![json!(session.cookie)],
        )
        .await
        .expect("the session cookie is set");
    failures.extend(check_in_browser(&checkers, &client, &app, &pages).await);
    let _ = client.close().await;

    // A page with known faults, to show vnu reads the pages: its messages are checked, then
    // left out.
    std::fs::write(
        saved.join(KNOWN_BAD),
        "<!DOCTYPE html><title>x</title><p>a</span>",
    )
    .expect("the known-bad page is saved");
    let (known, nu): (Vec<_>, Vec<_>) = checkers
        .nu_messages(&saved)
        .into_iter()
        .partition(|m| m.file == KNOWN_BAD);
    assert!(
        known.iter().any(|m| m.message.contains("Stray end tag")),
        "vnu reports the known fault: {known:?}"
    );
    failures.extend(nu.iter().map(|m| format!("Nu: {m}")));
    assert!(
        failures.is_empty(),
        "{} problem(s) on {} pages:\n{}",
        failures.len(),
        pages.len() + 1,
        failures.join("\n")
    );
}

async fn served_anonymous(app: &TestApp, path: &str) -> (u16, String) {
    app.get_text(path).await
}
