//! Compressed variants from the cache: `Accept-Encoding` negotiation with q-values, a strong
//! ETag per coding, `Vary`, `304` per coding, the length of what is sent, the same bytes once
//! decompressed; and no Nagle stall on a keep-alive connection.

use std::io::Read;
use std::time::{Duration, Instant};

use crossborder::registry::seed;

use crate::support::{TestApp, spawn_app, spawn_empty_app};

const PAGE: &str = "/arturia/subprocessors";

pub(super) async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("the request completes")
}

pub(super) fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

/// Every `Vary` header, joined.
fn vary(response: &reqwest::Response) -> String {
    let all: Vec<&str> = (response.headers().get_all("vary").iter())
        .map(|v| v.to_str().unwrap())
        .collect();
    all.join(", ")
}

pub(super) fn decompress(coding: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match coding {
        "gzip" => {
            flate2::read::GzDecoder::new(body)
                .read_to_end(&mut out)
                .unwrap();
        }
        "br" => {
            brotli::Decompressor::new(body, 4096)
                .read_to_end(&mut out)
                .unwrap();
        }
        "zstd" => out = zstd::decode_all(body).unwrap(),
        other => panic!("unexpected coding {other}"),
    }
    out
}

/// The identity body and its ETag.
async fn identity(app: &TestApp, path: &str) -> (Vec<u8>, String) {
    let response = get(app, path, &[]).await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-encoding"), None);
    assert!(vary(&response).contains("Accept-Encoding"), "{path}");
    let etag = header(&response, "etag").unwrap();
    (response.bytes().await.unwrap().to_vec(), etag)
}

#[actix_web::test]
async fn each_coding_is_served_from_the_cache_with_its_own_etag_and_length() {
    let app = spawn_app().await;
    for path in [
        PAGE,
        "/arturia/subprocessors.json",
        "/arturia/subprocessors.csv",
        "/arturia/subprocessors.atom",
        "/static/style.css",
    ] {
        let (plain, plain_tag) = identity(&app, path).await;
        for (accept, coding, suffix) in [
            ("gzip", "gzip", "-gz"),
            ("br", "br", "-br"),
            ("zstd", "zstd", "-zst"),
        ] {
            let response = get(&app, path, &[("Accept-Encoding", accept)]).await;
            assert_eq!(response.status(), 200, "{path} {accept}");
            assert_eq!(
                header(&response, "content-encoding").as_deref(),
                Some(coding)
            );
            assert!(vary(&response).contains("Accept-Encoding"), "{path}");
            let etag = header(&response, "etag").unwrap();
            assert_eq!(
                etag,
                format!("{}{suffix}\"", plain_tag.trim_end_matches('"')),
                "{path}"
            );
            let length: usize = header(&response, "content-length")
                .unwrap()
                .parse()
                .unwrap();
            let body = response.bytes().await.unwrap();
            assert_eq!(body.len(), length, "{path} {coding}");
            assert!(body.len() < plain.len(), "{path} {coding} is smaller");
            assert_eq!(decompress(coding, &body), plain, "{path} {coding}");

            // 304 for this coding's tag; the identity tag is another representation's.
            let again = get(
                &app,
                path,
                &[("Accept-Encoding", accept), ("If-None-Match", &etag)],
            )
            .await;
            assert_eq!(again.status(), 304, "{path} {coding}");
            assert_eq!(header(&again, "etag").as_ref(), Some(&etag));
            let other = get(
                &app,
                path,
                &[("Accept-Encoding", accept), ("If-None-Match", &plain_tag)],
            )
            .await;
            assert_eq!(other.status(), 200, "{path} {coding} with the identity tag");
        }
        let same = get(&app, path, &[("If-None-Match", &plain_tag)]).await;
        assert_eq!(same.status(), 304, "{path} identity");
    }
}

#[actix_web::test]
async fn q_values_identity_and_refusals_are_honoured() {
    let app = spawn_app().await;
    let (plain, _) = identity(&app, PAGE).await;
    let coding = |accept: &'static str| {
        let app = &app;
        async move {
            let response = get(app, PAGE, &[("Accept-Encoding", accept)]).await;
            let status = response.status().as_u16();
            (status, header(&response, "content-encoding"))
        }
    };
    assert_eq!(
        coding("gzip;q=0.5, br;q=0.9").await,
        (200, Some("br".into()))
    );
    assert_eq!(
        coding("gzip;q=1, br;q=0.2, zstd;q=0.5").await,
        (200, Some("gzip".into()))
    );
    assert_eq!(coding("zstd, gzip;q=0.1").await, (200, Some("zstd".into())));
    assert_eq!(coding("br;q=0, gzip").await, (200, Some("gzip".into())));
    assert_eq!(coding("identity").await, (200, None));
    assert_eq!(coding("gzip;q=0, identity").await, (200, None));
    assert_eq!(
        coding("deflate").await,
        (200, None),
        "unknown codings: identity"
    );
    assert_eq!(coding("*").await.0, 200);
    assert_eq!(coding("*;q=0, gzip").await, (200, Some("gzip".into())));
    assert_eq!(coding("identity;q=0, *;q=0").await.0, 406);
    // A browser's header: Brotli first.
    let browser = get(
        &app,
        PAGE,
        &[("Accept-Encoding", "gzip, deflate, br, zstd")],
    )
    .await;
    assert!(header(&browser, "content-encoding").is_some());
    let coding_used = header(&browser, "content-encoding").unwrap();
    let body = browser.bytes().await.unwrap();
    assert_eq!(decompress(&coding_used, &body), plain);
}

#[actix_web::test]
async fn a_large_page_is_compressed_once_off_the_request_path() {
    let app = spawn_empty_app().await;
    app.load(&seed::synthetic("large", 300));
    let path = "/large/subprocessors";
    let (plain, _) = identity(&app, path).await;
    assert!(
        plain.len() > 64 * 1024,
        "the page is large: {}",
        plain.len()
    );
    let renders = app.state.cache.renders();
    // The variants are made in the background; meanwhile the page goes out as it is, never
    // compressed per request.
    let started = Instant::now();
    let body = loop {
        let response = get(&app, path, &[("Accept-Encoding", "gzip")]).await;
        match header(&response, "content-encoding") {
            Some(coding) => {
                assert_eq!(coding, "gzip");
                break response.bytes().await.unwrap();
            }
            None => assert_eq!(response.bytes().await.unwrap(), plain),
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "never compressed"
        );
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(decompress("gzip", &body), plain);
    assert_eq!(app.state.cache.renders(), renders, "no render again");
}

#[actix_web::test]
async fn compressed_responses_over_keep_alive_are_not_delayed() {
    let app = spawn_empty_app().await;
    app.load(&seed::synthetic("large", 300));
    let path = "/large/subprocessors";
    // Warm: rendered and compressed.
    let started = Instant::now();
    while header(
        &get(&app, path, &[("Accept-Encoding", "gzip")]).await,
        "content-encoding",
    )
    .is_none()
    {
        assert!(started.elapsed() < Duration::from_secs(60));
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    // One client, one connection (reqwest keeps it alive), requests one after the other.
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .unwrap();
    let mut times = Vec::new();
    for _ in 0..11 {
        let started = Instant::now();
        let response = client
            .get(format!("{}{path}", app.address))
            .header("Accept-Encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(
            header(&response, "content-encoding").as_deref(),
            Some("gzip")
        );
        response.bytes().await.unwrap();
        times.push(started.elapsed());
    }
    // The first opened the connection.
    let mut times = times.split_off(1);
    times.sort();
    let median = times[times.len() / 2];
    assert!(
        median < Duration::from_millis(25),
        "median {median:?} over keep-alive: {times:?} (a Nagle stall is ~40 ms)"
    );
}
