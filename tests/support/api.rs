//! The JSON API as a client sees it: one response read whole and checked (status, content type,
//! problem details), a token with every scope, and the vendor the tests create.

use reqwest::Method;
use serde_json::{Value, json};

use super::TestApp;

/// Every scope: what a procurement tool with full access holds.
pub const ALL_SCOPES: &str =
    "registry:read registry:write intake:write objections:write webhooks:manage";
pub const PROBLEM: &str = "application/problem+json";
pub const JSON: &str = "application/json";

/// One response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub etag: Option<String>,
    pub location: Option<String>,
    pub www_authenticate: Option<String>,
    pub body: Value,
}

pub async fn send(request: reqwest::RequestBuilder) -> Reply {
    let response = request.send().await.expect("the request completes");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().expect("an ASCII header").to_string())
    };
    let status = response.status().as_u16();
    let content_type = header("content-type").unwrap_or_default();
    let etag = header("etag");
    let location = header("location");
    let www_authenticate = header("www-authenticate");
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("status {status}: the body is not JSON ({e}): {text:?}"));
    Reply {
        status,
        content_type,
        etag,
        location,
        www_authenticate,
        body,
    }
}

impl Reply {
    /// A JSON success with this status.
    #[track_caller]
    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {:#}",
            self.body
        );
        assert_eq!(self.content_type, JSON, "content type of a {status}");
        &self.body
    }

    /// A problem+json error (RFC 9457) with this status.
    #[track_caller]
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {:#}",
            self.body
        );
        assert_eq!(self.content_type, PROBLEM, "content type of a {status}");
        assert_eq!(self.body["status"], status, "{:#}", self.body);
        assert!(self.body["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(self.body["detail"].as_str().is_some_and(|d| !d.is_empty()));
        &self.body
    }

    /// The fields named in a problem's `errors`, in order.
    pub fn fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .unwrap_or_else(|| panic!("no errors in {:#}", self.body))
            .iter()
            .map(|e| {
                assert!(
                    e["message"].as_str().is_some_and(|m| !m.is_empty()),
                    "an error without a message: {e}"
                );
                e["field"].as_str().expect("a field name").to_string()
            })
            .collect()
    }
}

/// A valid new vendor, with one transfer to the US.
pub fn new_vendor(key: &str, name: &str) -> Value {
    json!({
        "key": key,
        "name": name,
        "legal_entity": "Example Analytics Inc.",
        "website": "https://www.example-analytics.com",
        "headquarters": "US",
        "role": "sub_processor",
        "categories": ["analytics"],
        "purpose": "Product analytics for the Arturia website.",
        "status": "proposed",
        "transfers": [{
            "country": "US",
            "data_categories": ["usage", "device_and_network"],
            "mechanisms": [],
            "evidence": [{"document": "dpa.pdf", "quote": "Data is processed in the United States."}]
        }]
    })
}

/// The API path of an organisation's vendors.
pub fn vendors_path(slug: &str) -> String {
    format!("/api/v1/organisations/{slug}/vendors")
}

/// Creates a vendor in an organisation through the API.
pub async fn create_vendor(app: &TestApp, token: &str, slug: &str, vendor: &Value) -> Reply {
    send(
        app.api(Method::POST, &vendors_path(slug), token)
            .json(vendor),
    )
    .await
}

/// Files an intake request for a vendor to Arturia through the API; its id.
pub async fn file_intake(
    app: &TestApp,
    name: &str,
    countries: &[&str],
    categories: &[&str],
) -> i64 {
    let token = app.token("tool", "intake:write");
    let request = app
        .api(Method::POST, "/api/v1/intake", &token)
        .json(&json!({
            "organisation": "arturia",
            "vendor_name": name,
            "website": "https://example.com",
            "purpose": "Card payments",
            "countries": countries,
            "data_categories": categories,
            "requester": "finance",
        }));
    send(request).await.ok(201)["id"].as_i64().unwrap()
}
