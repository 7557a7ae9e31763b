//! The real server on a random port, as `crossborder serve` starts it, with a database of its
//! own; the few requests every test makes (a page, a JSON document, a token, an API call).

use actix_web::web;
use crossborder::config::Settings;
use crossborder::db::Conn;
use crossborder::registry::seed;
use crossborder::registry::seed::OrganisationSeed;
use crossborder::web::AppState;
use crossborder::web::startup::Application;

use super::TestDatabase;

pub struct TestApp {
    pub address: String,
    pub state: web::Data<AppState>,
    pub client: reqwest::Client,
    pub database: TestDatabase,
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

/// The app with mail sent to `smtp` and the outbox worker running every 50 ms.
pub async fn spawn_app_with_mail(smtp: &super::SmtpServer) -> TestApp {
    let url = smtp.url();
    spawn_app_with(move |s| {
        s.mail = Some(
            crossborder::notify::MailConfig::parse(
                &url,
                Some("Privacy <privacy@crossborder.test>"),
            )
            .expect("a mail configuration"),
        );
        s.outbox_interval = std::time::Duration::from_millis(50);
    })
    .await
}

/// The app with settings adjusted by `configure` (auth keys, JWKS URL, ...).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let database = TestDatabase::new();
    let mut settings = Settings::new("127.0.0.1:0", &database.url).expect("valid settings");
    settings.auth.hs256_secret = Some(TEST_SECRET.to_vec().into());
    // The outbox worker stays idle unless a test turns it on (it would add statements to the
    // counted ones): see `spawn_app_with_mail`.
    settings.outbox_interval = std::time::Duration::from_secs(24 * 3600);
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
            .issue(sub, &scopes, None, None)
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

/// Where a redirect points.
pub fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_string()
}

/// The server's today: its local date, which the workspace's forms count from.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}
