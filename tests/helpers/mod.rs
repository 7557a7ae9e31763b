//! One helper for every integration test: the real server on a random port, with a database of
//! its own in a temporary directory.
#![allow(dead_code)]

use actix_web::web;
use crossborder::config::Settings;
use crossborder::db::Conn;
use crossborder::registry::seed::OrganisationSeed;
use crossborder::registry::store;
use crossborder::web::AppState;
use crossborder::web::startup::Application;
use tempfile::TempDir;

pub struct TestApp {
    pub address: String,
    pub state: web::Data<AppState>,
    pub client: reqwest::Client,
    _dir: TempDir,
}

/// The app with the example organisations, as `crossborder serve` starts on an empty database.
pub async fn spawn_app() -> TestApp {
    spawn(true).await
}

/// The app on an empty database.
pub async fn spawn_empty_app() -> TestApp {
    spawn(false).await
}

async fn spawn(seed: bool) -> TestApp {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let mut settings = Settings::new("127.0.0.1:0", &url).expect("valid settings");
    settings.seed_when_empty = seed;
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
        _dir: dir,
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
        store::apply_seed(&mut self.conn(), seed, "test").expect("the seed loads");
    }

    /// SQL statements executed so far by the app's pool.
    pub fn statements(&self) -> u64 {
        self.state.db.statements()
    }
}
