//! Several instances on one database: a write through one is seen by the other, its cached
//! public page refreshed, within a second. Two real `crossborder serve` processes; on
//! PostgreSQL when CROSSBORDER_TEST_POSTGRES_URL is set, else on one shared SQLite file.

use crate::support::TestDatabase;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SECRET: &str = "two-instances-share-this-secret-of-40-bytes";

struct Instance {
    child: Child,
    url: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(database_url: &str) -> Instance {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("crossborder"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            database_url,
        ])
        .env("JWT_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("crossborder starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut line)
        .expect("the URL line");
    let url = line
        .trim()
        .rsplit(' ')
        .next()
        .expect("a URL")
        .trim_end_matches('/')
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    Instance { child, url }
}

fn token() -> String {
    let claims = serde_json::json!({
        "iss": "crossborder", "aud": "crossborder-api", "sub": "instance-test",
        "exp": chrono::Utc::now().timestamp() + 600, "scope": "registry:read registry:write"
    });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .unwrap()
}

#[actix_web::test]
async fn a_write_through_one_instance_shows_on_the_other_within_a_second() {
    let database = TestDatabase::new();
    let a = start(&database.url);
    let b = start(&database.url);
    let client = reqwest::Client::new();
    let list = |base: &str| format!("{base}/arturia/subprocessors.json");
    let names = |json: &serde_json::Value| -> Vec<String> {
        json["vendors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["name"].as_str().unwrap().to_string())
            .collect()
    };

    // B renders and caches the page.
    let before: serde_json::Value = client
        .get(list(&b.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!names(&before).contains(&"Stripe".to_string()));
    let html_before = client
        .get(format!("{}/arturia/subprocessors", b.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html_before.contains("Stripe"));

    // A writes.
    let created = client
        .post(format!("{}/api/v1/organisations/arturia/vendors", a.url))
        .bearer_auth(token())
        .json(&serde_json::json!({
            "key": "stripe", "name": "Stripe", "website": "https://stripe.com", "headquarters": "US",
            "role": "processor", "categories": ["payments"], "purpose": "Card payments",
            "status": "active", "active_from": crate::support::today().to_string(),
            "urgent_reason": "payments move today",
            "transfers": [{"country": "US", "data_categories": ["payment"], "mechanisms": [{"id": "dpf"}]}]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    let written = Instant::now();

    // B sees it within a second, in the JSON and in its cached page.
    loop {
        let now: serde_json::Value = client
            .get(list(&b.url))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let html = client
            .get(format!("{}/arturia/subprocessors", b.url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if names(&now).contains(&"Stripe".to_string()) && html.contains("Stripe") {
            break;
        }
        assert!(
            written.elapsed() < Duration::from_secs(1),
            "instance B did not see the write within a second"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(written.elapsed() < Duration::from_secs(1));
}

#[actix_web::test]
async fn write_only_load_on_two_instances_answers_no_500() {
    let database = TestDatabase::new();
    let (a, b) = (start(&database.url), start(&database.url));
    let client = reqwest::Client::new();
    let token = token();
    let create = |base: String, n: usize| {
        let (client, token) = (client.clone(), token.clone());
        async move {
            let body = serde_json::json!({
                "key": format!("load-{n}"), "name": format!("Load {n}"), "headquarters": "US",
                "role": "processor", "categories": ["hosting"], "purpose": "Load test",
                "status": "proposed",
                "transfers": [{"country": "US", "data_categories": ["usage"], "mechanisms": []}]
            });
            let response = client
                .post(format!("{base}/api/v1/organisations/arturia/vendors"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            if status == 503 {
                assert!(response.headers().contains_key("retry-after"));
            }
            (n, status)
        }
    };
    let writes = (0..40).map(|n| create(if n % 2 == 0 { &a } else { &b }.url.clone(), n));
    let answers = futures_util::future::join_all(writes).await;
    let unexpected: Vec<_> = answers
        .iter()
        .filter(|(_, s)| *s != 201 && *s != 503)
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:?}");
    // What was refused as busy was not written: its retry creates it.
    for (n, _) in answers.iter().filter(|(_, s)| *s == 503) {
        assert_eq!(create(a.url.clone(), *n).await.1, 201);
    }
    let list: serde_json::Value = client
        .get(format!(
            "{}/api/v1/organisations/arturia/vendors?limit=200&q=Load",
            b.url
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 40, "{list:#}");
}

#[actix_web::test]
async fn a_write_through_one_instance_shows_in_the_others_api_reads_at_once() {
    let database = TestDatabase::new();
    let a = start(&database.url);
    let b = start(&database.url);
    let client = reqwest::Client::new();
    let get = |url: String| {
        let client = client.clone();
        async move {
            let response = client.get(url).bearer_auth(token()).send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.json::<serde_json::Value>().await.unwrap()
        }
    };
    let api = |base: &str, rest: &str| format!("{base}/api/v1/organisations/arturia{rest}");
    let reads = [
        "/vendors?limit=200",
        "/lookup?domain=stripe.com",
        "/transfers",
    ];
    // B reads (and keeps) its snapshot and answers, twice.
    for _ in 0..2 {
        for read in reads {
            assert!(!get(api(&b.url, read)).await.to_string().contains("Stripe"));
        }
    }
    let created = client
        .post(api(&a.url, "/vendors"))
        .bearer_auth(token())
        .json(&serde_json::json!({
            "key": "stripe", "name": "Stripe", "website": "https://stripe.com", "headquarters": "US",
            "role": "processor", "categories": ["payments"], "purpose": "Card payments",
            "status": "active", "active_from": crate::support::today().to_string(),
            "urgent_reason": "payments move today",
            "transfers": [{"country": "US", "data_categories": ["payment"], "mechanisms": [{"id": "dpf"}]}]
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201, "{}", created.text().await.unwrap());
    // B's next reads see it: the revision read with each request names a new snapshot.
    for read in reads {
        let body = get(api(&b.url, read)).await.to_string();
        assert!(
            body.contains("Stripe"),
            "{read} on B after A's write: {body}"
        );
    }
    let one = get(api(&b.url, "/vendors/stripe")).await;
    assert_eq!(one["name"], "Stripe");
    let page = client
        .get(format!("{}/arturia/subprocessors", b.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Stripe"));
}
