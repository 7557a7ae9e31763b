//! The Atom feed as a good citizen (issue 12, item 8): entry ids are `tag:` URIs that depend on
//! the organisation and the change only; links use the configured public URL, or the request's
//! own Host, never a forwarded host unless the proxy is trusted; the list's filters apply to
//! the feed, or are refused with a 400. The cookies' `Secure` flag follows the same rule.

use chrono::Duration;
use crossborder::config::PublicUrl;
use crossborder::registry::seed;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{
    ALL_SCOPES, TestApp, create_vendor, new_vendor, send, spawn_app, spawn_app_with,
    spawn_empty_app, today,
};

/// Headers any client can send to pass for a proxy.
const FORGED: [(&str, &str); 3] = [
    ("X-Forwarded-Host", "evil.example"),
    ("X-Forwarded-Proto", "https"),
    ("Forwarded", "host=evil.example;proto=https"),
];

/// One feed: its body and its `Vary` header.
struct Feed {
    body: String,
    vary: String,
}

impl Feed {
    fn doc(&self) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(&self.body).expect("well-formed XML")
    }

    /// The feed's own id, then each entry's.
    fn ids(&self) -> (String, Vec<String>) {
        let doc = self.doc();
        let root = doc.root_element();
        let id = |n: roxmltree::Node| {
            n.children()
                .find(|c| c.has_tag_name("id"))
                .and_then(|c| c.text())
                .expect("an id")
                .to_string()
        };
        let entries = root
            .children()
            .filter(|n| n.has_tag_name("entry"))
            .map(id)
            .collect();
        (id(root), entries)
    }

    /// Every link's href, the feed's and the entries'.
    fn links(&self) -> Vec<String> {
        self.doc()
            .descendants()
            .filter(|n| n.has_tag_name("link"))
            .map(|n| n.attribute("href").expect("an href").to_string())
            .collect()
    }

    fn titles(&self) -> Vec<String> {
        self.doc()
            .descendants()
            .filter(|n| n.has_tag_name("entry"))
            .filter_map(|e| e.children().find(|c| c.has_tag_name("title")))
            .filter_map(|t| t.text().map(str::to_string))
            .collect()
    }
}

async fn feed(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Feed {
    let mut request = app.client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the request completes");
    assert_eq!(response.status(), 200, "GET {path} {headers:?}");
    let vary = response
        .headers()
        .get_all("vary")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    Feed {
        body: response.text().await.expect("a body"),
        vary,
    }
}

fn public_url(url: &str) -> Option<PublicUrl> {
    Some(PublicUrl::parse(url).expect("a valid public URL"))
}

const ARTURIA_ENTRY: &str = "tag:www.arturia.com,2018-05-25:arturia/changes/";

#[actix_web::test]
async fn a_forged_forwarded_host_changes_no_id_or_link() {
    let app = spawn_app().await;
    // Forged first, so that the feed is rendered from the forged request, not from the cache.
    let forged = feed(&app, "/arturia/subprocessors.atom", &FORGED).await;
    let plain = feed(&app, "/arturia/subprocessors.atom", &[]).await;
    assert!(!forged.body.contains("evil.example"), "{}", forged.body);
    assert!(!forged.body.contains("https://"), "{}", forged.body);
    assert_eq!(forged.body, plain.body);
    let links = forged.links();
    assert!(!links.is_empty());
    for link in links {
        assert!(
            link.starts_with(&format!("{}/arturia/", app.address)),
            "{link}"
        );
    }
    let (feed_id, entries) = forged.ids();
    assert_eq!(feed_id, "tag:www.arturia.com,2026:arturia/subprocessors");
    assert!(
        entries.iter().all(|id| id.starts_with(ARTURIA_ENTRY)),
        "{entries:?}"
    );
    // Without a public URL the links follow the request's Host, and caches are told so.
    assert!(forged.vary.contains("Host"), "{}", forged.vary);
    assert!(!forged.vary.contains("X-Forwarded"), "{}", forged.vary);
}

#[actix_web::test]
async fn with_a_public_url_the_feed_depends_on_no_request_header() {
    for trust_proxy in [false, true] {
        let app = spawn_app_with(|s| {
            s.public_url = public_url("https://privacy.example.org/lists/");
            s.trust_proxy = trust_proxy;
        })
        .await;
        let path = "/arturia/subprocessors.atom?as_of=2021-01-01";
        let mut forged_host = FORGED.to_vec();
        forged_host.push(("Host", "other.example"));
        let forged = feed(&app, path, &forged_host).await;
        let plain = feed(&app, path, &[]).await;
        assert_eq!(forged.body, plain.body, "trust_proxy {trust_proxy}");
        assert!(!forged.body.contains("evil.example"));
        assert!(!forged.body.contains("other.example"));
        assert!(!forged.body.contains("127.0.0.1"));
        let links = forged.links();
        assert!(
            links.contains(
                &"https://privacy.example.org/lists/arturia/subprocessors.atom?as_of=2021-01-01"
                    .to_string()
            )
        );
        for link in links {
            assert!(
                link.starts_with("https://privacy.example.org/lists/arturia/"),
                "{link}"
            );
        }
        assert!(
            !forged.vary.to_lowercase().contains("host"),
            "{}",
            forged.vary
        );
    }
}

#[actix_web::test]
async fn with_trust_proxy_the_forwarded_host_is_used_for_links_not_ids() {
    let app = spawn_app_with(|s| s.trust_proxy = true).await;
    let proxied = feed(
        &app,
        "/arturia/subprocessors.atom",
        &[
            ("X-Forwarded-Host", "lists.example.org"),
            ("X-Forwarded-Proto", "https"),
        ],
    )
    .await;
    let direct = feed(&app, "/arturia/subprocessors.atom", &[]).await;
    for link in proxied.links() {
        assert!(
            link.starts_with("https://lists.example.org/arturia/"),
            "{link}"
        );
    }
    for link in direct.links() {
        assert!(link.starts_with(&app.address), "{link}");
    }
    assert_eq!(proxied.ids(), direct.ids());
    assert!(
        proxied.vary.contains("X-Forwarded-Host"),
        "{}",
        proxied.vary
    );

    // RFC 7239's header too.
    let forwarded = feed(
        &app,
        "/arturia/subprocessors.atom",
        &[(
            "Forwarded",
            "for=192.0.2.1;host=lists.example.net;proto=https",
        )],
    )
    .await;
    assert!(
        forwarded
            .links()
            .iter()
            .all(|l| l.starts_with("https://lists.example.net/")),
        "{:?}",
        forwarded.links()
    );
}

#[actix_web::test]
async fn entry_ids_are_tag_uris_stable_across_hosts_and_dates() {
    let app = spawn_app().await;
    let port = app.address.rsplit(':').next().unwrap().to_string();
    let by_address = feed(&app, "/arturia/subprocessors.atom", &[]).await;
    let localhost = format!("localhost:{port}");
    let by_name = feed(
        &app,
        "/arturia/subprocessors.atom",
        &[("Host", localhost.as_str())],
    )
    .await;
    assert_ne!(by_address.body, by_name.body, "the links follow the Host");
    assert!(
        by_name
            .links()
            .iter()
            .all(|l| l.starts_with("http://localhost:"))
    );
    let (feed_id, entries) = by_address.ids();
    assert_eq!(by_name.ids(), (feed_id.clone(), entries.clone()));
    assert!(!entries.is_empty());
    for id in &entries {
        let number = id.strip_prefix(ARTURIA_ENTRY).expect("a tag: URI");
        assert!(number.parse::<u32>().is_ok(), "{id}");
    }
    // The same change keeps its id in the feed as it stood on another date.
    let (old_feed_id, old_entries) =
        feed(&app, "/arturia/subprocessors.atom?as_of=2019-05-23", &[])
            .await
            .ids();
    assert_eq!(old_feed_id, feed_id);
    assert!(old_entries.iter().all(|id| entries.contains(id)));

    // An organisation without a website: the documented fallback authority.
    let app = spawn_empty_app().await;
    app.load(&seed::synthetic("acme", 2));
    let (feed_id, entries) = feed(&app, "/acme/subprocessors.atom", &[]).await.ids();
    assert_eq!(feed_id, "tag:crossborder.invalid,2026:acme/subprocessors");
    assert_eq!(entries.len(), 2);
    assert!(
        entries.contains(&"tag:crossborder.invalid,2019-01-01:acme/changes/1".to_string()),
        "{entries:?}"
    );
}

/// Acme as it will stand in 90 days: vendor 0 (hosting, to the US) retired in 30 days,
/// vendor 1 (payments, to Ireland and the US) and vendor 2 (analytics, to the UK, Ireland and
/// the US) listed, and an analytics vendor to Japan announced today, taking effect in 120 days.
async fn acme() -> TestApp {
    let app = spawn_empty_app().await;
    app.load(&seed::synthetic("acme", 3));
    let token = app.token("officer", ALL_SCOPES);
    let retired = app
        .api(
            Method::POST,
            "/api/v1/organisations/acme/vendors/vendor-00000/retire",
            &token,
        )
        .header("If-Match", "\"1\"")
        .json(&json!({"effective_on": (today() + Duration::days(30)).to_string()}));
    send(retired).await.ok(200);
    let mut upcoming = new_vendor("upcoming-analytics", "Upcoming Analytics");
    upcoming["status"] = json!("active");
    upcoming["active_from"] = json!((today() + Duration::days(120)).to_string());
    upcoming["transfers"][0]["country"] = json!("JP");
    create_vendor(&app, &token, "acme", &upcoming).await.ok(201);
    app
}

/// The vendors named by the entry titles of Acme's feed in 90 days ("Vendor 00001 (payments)
/// added (...)"), each once.
async fn vendors_in(app: &TestApp, query: &str) -> Vec<String> {
    let later = today() + Duration::days(90);
    let path = match query {
        q if q.contains("as_of") => format!("/acme/subprocessors.atom?{q}"),
        q => format!("/acme/subprocessors.atom?as_of={later}&{q}"),
    };
    let mut names: Vec<String> = feed(app, &path, &[])
        .await
        .titles()
        .iter()
        .map(|t| t.split(" (").next().unwrap().to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[actix_web::test]
async fn the_feed_applies_the_category_and_country_filters() {
    let app = acme().await;
    let all = [
        "Upcoming Analytics",
        "Vendor 00000",
        "Vendor 00001",
        "Vendor 00002",
    ];
    assert_eq!(vendors_in(&app, "").await, all);
    // Listed vendors as the filtered list shows them; the retired and the upcoming one, not
    // listed that day, by their record.
    assert_eq!(
        vendors_in(&app, "category=analytics").await,
        ["Upcoming Analytics", "Vendor 00002"]
    );
    assert_eq!(vendors_in(&app, "category=hosting").await, ["Vendor 00000"]);
    assert_eq!(
        vendors_in(&app, "category=payments").await,
        ["Vendor 00001"]
    );
    assert_eq!(
        vendors_in(&app, "country=IE").await,
        ["Vendor 00001", "Vendor 00002"]
    );
    assert_eq!(vendors_in(&app, "country=JP").await, ["Upcoming Analytics"]);
    assert_eq!(
        vendors_in(&app, "country=us").await,
        ["Vendor 00000", "Vendor 00001", "Vendor 00002"]
    );
    assert_eq!(
        vendors_in(&app, "category=analytics&country=GB").await,
        ["Vendor 00002"]
    );
    assert!(vendors_in(&app, "category=email").await.is_empty());
    // Before the upcoming vendor was announced, the filtered list of that day decides.
    assert_eq!(
        vendors_in(&app, "category=analytics&as_of=2019-06-01").await,
        ["Vendor 00002"]
    );

    // A narrowed feed is another feed: its id and its links say by what.
    let narrowed = feed(&app, "/acme/subprocessors.atom?category=analytics", &[]).await;
    assert_eq!(
        narrowed.ids().0,
        "tag:crossborder.invalid,2026:acme/subprocessors?category=analytics"
    );
    assert!(
        narrowed.links().contains(&format!(
            "{}/acme/subprocessors.atom?category=analytics",
            app.address
        )),
        "{:?}",
        narrowed.links()
    );
    // Each filter is rendered and cached apart.
    let everything = feed(&app, "/acme/subprocessors.atom", &[]).await;
    assert_ne!(everything.body, narrowed.body);
}

#[actix_web::test]
async fn the_flagged_filter_is_refused_on_the_feed_naming_the_parameter() {
    let app = spawn_app().await;
    for query in [
        "flagged=true",
        "flagged=false",
        "category=analytics&flagged=1",
    ] {
        let response = app
            .get(&format!("/arturia/subprocessors.atom?{query}"))
            .await;
        assert_eq!(response.status(), 400, "{query}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["errors"][0]["field"], "flagged", "{problem}");
        assert!(
            problem["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("the feed cannot be filtered by verdict"),
            "{problem}"
        );
    }
    // The list itself still takes it.
    let response = app.get("/arturia/subprocessors.json?flagged=true").await;
    assert_eq!(response.status(), 200);
}

/// The login form's cookie, as `Set-Cookie` gives it.
async fn login_cookie(app: &TestApp, headers: &[(&str, &str)]) -> String {
    let mut request = app.client.get(format!("{}/workspace/login", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string()
}

#[actix_web::test]
async fn cookies_are_secure_by_the_same_rule() {
    let app = spawn_app().await;
    assert!(!login_cookie(&app, &FORGED).await.contains("Secure"));

    let app = spawn_app_with(|s| s.trust_proxy = true).await;
    assert!(
        login_cookie(&app, &[("X-Forwarded-Proto", "https")])
            .await
            .contains("Secure")
    );
    assert!(!login_cookie(&app, &[]).await.contains("Secure"));

    let app = spawn_app_with(|s| s.public_url = public_url("https://privacy.example.org")).await;
    assert!(login_cookie(&app, &[]).await.contains("Secure"));
    let app = spawn_app_with(|s| s.public_url = public_url("http://127.0.0.1:8080")).await;
    assert!(!login_cookie(&app, &FORGED).await.contains("Secure"));
}
