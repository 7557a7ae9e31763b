//! The whole JSON and CSV of a long list are sent while they are written (issue 17, point 10):
//! the first request after a change gets a chunked body with no length and no ETag yet, every
//! request meanwhile gets the same bytes from the same rendering, and later ones the kept copy
//! with its length, its ETag and its compressed variants.

use std::io::Read;

use crossborder::registry::seed;
use futures_util::future::join_all;

use super::compression::{get as conditional_get, header};
use crate::support::{TestApp, spawn_empty_app};

/// Above the size past which a body is streamed (256 KiB) in both formats.
const VENDORS: usize = 1_500;

/// A `200` for `path`, in `coding` if given.
async fn get(app: &TestApp, path: &str, coding: Option<&str>) -> reqwest::Response {
    let accept = coding.map(|c| ("Accept-Encoding", c));
    let response = super::compression::get(app, path, accept.as_slice()).await;
    assert_eq!(response.status(), 200, "{path}");
    response
}

/// The vendors' keys in a CSV (third column) or a JSON list.
fn vendors_in(path: &str, body: &[u8]) -> usize {
    let text = std::str::from_utf8(body).unwrap();
    if path.contains(".json") {
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        return json["vendors"].as_array().unwrap().len();
    }
    let mut reader = csv::Reader::from_reader(body);
    let keys: std::collections::HashSet<String> = reader
        .records()
        .map(|r| r.unwrap()[2].to_string())
        .collect();
    keys.len()
}

#[actix_web::test]
async fn a_long_list_is_sent_as_it_is_written_then_kept_whole() {
    let app = spawn_empty_app().await;
    app.load(&seed::synthetic("long", VENDORS));

    for path in ["/long/subprocessors.json", "/long/subprocessors.csv"] {
        let renders = app.state.cache.renders();
        let first = get(&app, path, None).await;
        assert_eq!(header(&first, "content-length"), None, "{path}");
        assert_eq!(
            header(&first, "transfer-encoding").as_deref(),
            Some("chunked")
        );
        assert_eq!(header(&first, "etag"), None, "the tag is the whole body's");
        let modified = header(&first, "last-modified").expect("a date to revalidate with");
        assert_eq!(
            header(&first, "cache-control").as_deref(),
            Some("public, max-age=60")
        );
        let streamed = first.bytes().await.unwrap();
        assert!(
            streamed.len() > 256 * 1024,
            "{path}: {} bytes",
            streamed.len()
        );
        assert_eq!(vendors_in(path, &streamed), VENDORS, "{path}: complete");

        // Kept whole once written: the same bytes with a length and a tag.
        let kept = get(&app, path, None).await;
        let length = header(&kept, "content-length").expect("a length once whole");
        assert_eq!(length, streamed.len().to_string());
        let etag = header(&kept, "etag").expect("a tag once whole");
        assert_eq!(kept.bytes().await.unwrap(), streamed, "{path}");
        assert_eq!(
            app.state.cache.renders() - renders,
            1,
            "{path}: one rendering"
        );

        let again = conditional_get(&app, path, &[("If-None-Match", &etag)]).await;
        assert_eq!(again.status(), 304);
        let filtered = format!("{path}?country=US");
        let since = conditional_get(&app, &filtered, &[("If-Modified-Since", &modified)]).await;
        assert_eq!(
            since.status(),
            304,
            "{path}: unchanged since, even while written"
        );
    }
}

#[actix_web::test]
async fn requests_while_a_list_is_written_share_its_rendering_and_may_compress_it() {
    let app = spawn_empty_app().await;
    app.load(&seed::synthetic("long", VENDORS));
    // Each query is a rendering of its own, asked by eight requests at once.
    for (n, path) in [
        "/long/subprocessors.csv?bom=true",
        "/long/subprocessors.json",
    ]
    .into_iter()
    .enumerate()
    {
        let renders = app.state.cache.renders();
        let codings = [None, Some("gzip"), Some("br"), Some("zstd")];
        // The Compress middleware encodes a body sent as it is written.
        let requests = (0..8).map(|i| get(&app, path, codings[i % 4]));
        let responses = join_all(requests).await;
        let mut bodies = Vec::new();
        for (i, response) in responses.into_iter().enumerate() {
            let coding = header(&response, "content-encoding");
            assert_eq!(coding.as_deref(), codings[i % 4], "{path} as {coding:?}");
            let body = response.bytes().await.unwrap().to_vec();
            bodies.push(decompress(coding.as_deref(), body));
        }
        assert!(bodies.iter().all(|b| *b == bodies[0]), "{path}");
        assert_eq!(app.state.cache.renders() - renders, 1, "{path}");
        if n == 0 {
            assert!(bodies[0].starts_with(b"\xEF\xBB\xBForganisation,"));
            assert_eq!(vendors_in(path, &bodies[0][3..]), VENDORS);
        } else {
            assert_eq!(vendors_in(path, &bodies[0]), VENDORS);
        }
    }
}

#[actix_web::test]
async fn an_http_1_0_client_gets_the_long_list_whole_with_its_length() {
    let app = spawn_empty_app().await;
    app.load(&seed::synthetic("long", VENDORS));
    let authority = app.address.trim_start_matches("http://").to_string();
    // HTTP/1.0 has no chunks (RFC 9112 §6.1): the body once written, then the connection closed.
    let raw = actix_web::rt::task::spawn_blocking(move || {
        use std::io::Write;
        let mut stream = std::net::TcpStream::connect(&authority).unwrap();
        let request = format!("GET /long/subprocessors.csv HTTP/1.0\r\nHost: {authority}\r\n\r\n");
        stream.write_all(request.as_bytes()).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap();
        raw
    })
    .await
    .unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_lowercase();
    let body = &raw[split + 4..];
    assert!(head.starts_with("http/1.0 200"), "{head}");
    assert!(!head.contains("transfer-encoding"), "{head}");
    assert!(
        head.contains(&format!("content-length: {}", body.len())),
        "{head}"
    );
    assert_eq!(vendors_in(".csv", body), VENDORS);
}

/// The body as sent, decoded.
fn decompress(coding: Option<&str>, body: Vec<u8>) -> Vec<u8> {
    coding.map_or(body.clone(), |coding| {
        super::compression::decompress(coding, &body)
    })
}
