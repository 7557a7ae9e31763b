//! What the server's tests share: the real server on a random port, with a database of its own in
//! a temporary directory, and the verbs the tests speak to it with. Both the `app` and the
//! `browser` binaries include it (`#[path]`); the browser tests use only a few of its verbs.
#![allow(dead_code)]

use actix_web::web;
use crossborder::config::Settings;
use crossborder::db::Conn;
use crossborder::registry::seed;
use crossborder::registry::seed::OrganisationSeed;
use crossborder::web::AppState;
use crossborder::web::startup::Application;
use tempfile::TempDir;

pub struct TestApp {
    pub address: String,
    pub state: web::Data<AppState>,
    pub client: reqwest::Client,
    pub database: TestDatabase,
}

/// A database of the test's own: an SQLite file in a temporary directory, or, when
/// CROSSBORDER_TEST_POSTGRES_URL is set, a PostgreSQL database created for the test and dropped
/// after it.
pub struct TestDatabase {
    pub url: String,
    postgres: Option<(String, String)>,
    _dir: TempDir,
}

impl TestDatabase {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        match std::env::var("CROSSBORDER_TEST_POSTGRES_URL") {
            Ok(base) if !base.is_empty() => {
                use diesel::{Connection, RunQueryDsl};
                let name = format!("cb_test_{:016x}", rand::random::<u64>());
                let mut admin = diesel::PgConnection::establish(&base).unwrap_or_else(|e| {
                    panic!("CROSSBORDER_TEST_POSTGRES_URL is set but unreachable: {e}")
                });
                diesel::sql_query(format!("CREATE DATABASE {name}"))
                    .execute(&mut admin)
                    .expect("CREATE DATABASE");
                let (head, _) = base.split_once('?').unwrap_or((&base, ""));
                let server = head.rsplit_once('/').map_or(head, |(server, _)| server);
                TestDatabase {
                    url: format!("{server}/{name}"),
                    postgres: Some((base, name)),
                    _dir: dir,
                }
            }
            _ => TestDatabase {
                url: format!("sqlite://{}", dir.path().join("test.db").display()),
                postgres: None,
                _dir: dir,
            },
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }
}

impl Default for TestDatabase {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((base, name)) = &self.postgres {
            use diesel::{Connection, RunQueryDsl};
            if let Ok(mut admin) = diesel::PgConnection::establish(base) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin);
            }
        }
    }
}

/// The HS256 secret of test apps (tokens signed with it are accepted).
pub const TEST_SECRET: &[u8] = b"test-secret-of-at-least-thirty-two-bytes!";

/// The app with the example organisations, as `crossborder serve` starts on an empty database,
/// accepting tokens signed with [`TEST_SECRET`].
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The app on an empty database.
pub async fn spawn_empty_app() -> TestApp {
    spawn_app_with(|s| s.seed_when_empty = false).await
}

/// The app with settings adjusted by `configure` (auth keys, JWKS URL, ...).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let database = TestDatabase::new();
    let mut settings = Settings::new("127.0.0.1:0", &database.url).expect("valid settings");
    settings.auth.hs256_secret = Some(TEST_SECRET.to_vec().into());
    configure(&mut settings);
    let app = Application::build(&settings).await.expect("the app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let state = app.state();
    actix_web::rt::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client");
    TestApp {
        address,
        state,
        client,
        database,
    }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("the request completes")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("a body"))
    }

    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("JSON")
    }

    pub fn conn(&self) -> Conn {
        self.state.db.get().expect("a connection")
    }

    /// Loads a seed through the same code as `crossborder seed`.
    pub fn load(&self, seed: &OrganisationSeed) {
        seed::apply(&mut self.conn(), seed, "test").expect("the seed loads");
    }

    /// A token signed by the app itself (HS256), for `sub` with these space-separated scopes.
    pub fn token(&self, sub: &str, scopes: &str) -> String {
        let scopes = crossborder::auth::parse_scopes(scopes).expect("known scopes");
        self.state
            .verifier
            .issue(sub, &scopes, None)
            .expect("the test app can sign")
            .0
    }

    /// A request to the API with a bearer token.
    pub fn api(&self, method: reqwest::Method, path: &str, token: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.address))
            .bearer_auth(token)
    }

    /// SQL statements executed so far by the app's pool.
    pub fn statements(&self) -> u64 {
        self.state.db.statements()
    }
}

// --- Signing in to the workspace, as a browser does ---

/// The password of the accounts tests create.
pub const PASSWORD: &str = "correct horse battery staple";

/// The value of a cookie set by a response.
pub fn cookie(response: &reqwest::Response, name: &str) -> Option<(String, String)> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .find_map(|v| {
            let v = v.to_str().ok()?;
            let (pair, _) = v.split_once(';').unwrap_or((v, ""));
            let (k, value) = pair.split_once('=')?;
            (k == name).then(|| (value.to_string(), v.to_string()))
        })
}

pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden {name}"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// Opens the login form: its CSRF cookie and field.
pub async fn login_form(app: &TestApp) -> (String, String) {
    let response = app.get("/workspace/login").await;
    assert_eq!(response.status(), 200);
    let (cookie, _) = cookie(&response, "cb_login_csrf").expect("a CSRF cookie");
    let html = response.text().await.unwrap();
    (cookie, hidden(&html, "csrf"))
}

pub async fn post_login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    let (cookie, csrf) = login_form(app).await;
    app.client
        .post(format!("{}/workspace/login", app.address))
        .header("Cookie", format!("cb_login_csrf={cookie}"))
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf", &csrf),
            ("next", "/workspace"),
        ])
        .send()
        .await
        .unwrap()
}

pub fn create_user(app: &TestApp, email: &str, role: crossborder::auth::users::Role) {
    crossborder::auth::users::create(&mut app.conn(), email, PASSWORD, role, "test")
        .expect("account created");
}

/// A signed-in browser: its session cookie and the session's CSRF token.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// Creates an account with the role and signs it in.
pub async fn sign_in(app: &TestApp, email: &str, role: crossborder::auth::users::Role) -> Session {
    create_user(app, email, role);
    log_in(app, email, PASSWORD).await
}

pub async fn log_in(app: &TestApp, email: &str, password: &str) -> Session {
    let response = post_login(app, email, password).await;
    assert_eq!(response.status(), 303, "{email} signed in");
    let (cookie, _) = cookie(&response, "cb_session").expect("a session cookie");
    let mut session = Session {
        cookie,
        csrf: String::new(),
    };
    let (status, html) = get_as(app, &session, "/workspace").await;
    assert_eq!(status, 200);
    session.csrf = hidden(&html, "csrf");
    session
}

pub async fn get_response(app: &TestApp, session: &Session, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .header("Cookie", format!("cb_session={}", session.cookie))
        .send()
        .await
        .unwrap()
}

pub async fn get_as(app: &TestApp, session: &Session, path: &str) -> (u16, String) {
    let response = get_response(app, session, path).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

pub async fn post_as(
    app: &TestApp,
    session: &Session,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.address))
        .header("Cookie", format!("cb_session={}", session.cookie))
        .form(form)
        .send()
        .await
        .unwrap()
}

/// What a browser would submit for the form posting to `action` on a page, untouched: its
/// inputs (checked boxes only), selected options and textareas, in document order.
pub fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    use scraper::{Html, Selector};
    let page = Html::parse_document(html);
    let form_selector = Selector::parse(&format!("form[action=\"{action}\"]")).unwrap();
    let form = page
        .select(&form_selector)
        .next()
        .unwrap_or_else(|| panic!("no form posting to {action}"));
    let controls = Selector::parse("input, select, textarea").unwrap();
    let selected = Selector::parse("option[selected]").unwrap();
    let first = Selector::parse("option").unwrap();
    let mut fields = Vec::new();
    for control in form.select(&controls) {
        let el = control.value();
        let Some(name) = el.attr("name") else {
            continue;
        };
        let value = match el.name() {
            "select" => control
                .select(&selected)
                .next()
                .or_else(|| control.select(&first).next())
                .and_then(|o| o.value().attr("value"))
                .unwrap_or("")
                .to_string(),
            "textarea" => control.text().collect(),
            _ => match el.attr("type") {
                Some("checkbox" | "radio") if el.attr("checked").is_none() => continue,
                Some("submit" | "button") => continue,
                _ => el.attr("value").unwrap_or("").to_string(),
            },
        };
        fields.push((name.to_string(), value));
    }
    fields
}
