//! Large lists (issue 17, point 10): the HTML list is paged (previous and next links, no script),
//! the feed is bounded with RFC 5005 archives, the JSON and the CSV stay whole; and a
//! 20,000-vendor organisation's first page is under a megabyte.

use std::time::Instant;

use crate::support::spawn_empty_app;
use crossborder::registry::seed;

/// Entries in the feed and in each of its archives.
const PER_DOCUMENT: usize = 50;

/// The `href` of the first `<link>` or `<a>` with this `rel`, whatever the attributes' order.
fn rel<'a>(text: &'a str, rel: &str) -> Option<&'a str> {
    let at = text.find(&format!("rel=\"{rel}\""))?;
    let tag = &text[text[..at].rfind('<')?..at + text[at..].find('>')?];
    let start = tag.find("href=\"")? + "href=\"".len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

#[actix_web::test]
async fn the_html_list_pages_keeping_the_filters_and_refuses_pages_it_has_not() {
    let app = spawn_empty_app().await;
    app.load(&seed::synthetic("mid", 250));

    let (status, first) = app.get_text("/mid/subprocessors").await;
    assert_eq!(status, 200);
    assert_eq!(rel(&first, "canonical"), Some("/mid/subprocessors"));
    assert_eq!(rel(&first, "next"), Some("/mid/subprocessors?page=2"));
    assert_eq!(rel(&first, "prev"), None);
    assert!(first.contains("Page 1 of 3"), "{first}");
    assert!(first.contains("1 to 100 shown"));
    assert_eq!(first.matches("class=\"vendor-name\"").count(), 100);

    let (status, last) = app.get_text("/mid/subprocessors?page=3").await;
    assert_eq!(status, 200);
    assert_eq!(last.matches("class=\"vendor-name\"").count(), 50);
    assert_eq!(rel(&last, "prev"), Some("/mid/subprocessors?page=2"));
    assert_eq!(rel(&last, "next"), None);
    assert_eq!(rel(&last, "canonical"), Some("/mid/subprocessors?page=3"));

    // Pages follow the filters and the date, and their links keep them.
    let (status, filtered) = app
        .get_text("/mid/subprocessors?as_of=2025-01-01&country=US&page=1")
        .await;
    assert_eq!(status, 200);
    if let Some(next) = rel(&filtered, "next") {
        assert_eq!(
            next,
            "/mid/subprocessors?as_of=2025-01-01&amp;country=US&amp;page=2"
        );
    }
    let (status, _) = app
        .get_text("/mid/subprocessors?as_of=2019-01-05&page=2")
        .await;
    assert_eq!(status, 404, "few vendors were active then: one page");

    for (query, status, needle) in [
        ("page=4", 404, "it has 3 pages"),
        ("page=0", 400, "is not a page number"),
        ("page=two", 400, "is not a page number"),
        ("page=-1", 400, "is not a page number"),
    ] {
        let (got, body) = app.get_text(&format!("/mid/subprocessors?{query}")).await;
        assert_eq!(got, status, "{query}");
        assert!(body.contains(needle), "{query}: {body}");
    }

    // The JSON and the CSV hold every vendor, whatever `page` says.
    let json = app.get_json("/mid/subprocessors.json?page=2").await;
    assert_eq!(json["vendors"].as_array().unwrap().len(), 250);
    let (_, csv) = app.get_text("/mid/subprocessors.csv?page=3").await;
    let vendors: std::collections::HashSet<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(2))
        .collect();
    assert_eq!(vendors.len(), 250);
}

#[actix_web::test]
async fn the_feed_holds_the_newest_entries_and_archives_the_rest() {
    let app = spawn_empty_app().await;
    app.load(&seed::synthetic("mid", 250));
    let per = PER_DOCUMENT;
    let full = 250 / per;

    let response = app.get("/mid/subprocessors.atom").await;
    assert_eq!(response.status(), 200);
    let feed = response.text().await.unwrap();
    assert_eq!(feed.matches("<entry>").count(), per);
    assert!(!feed.contains("fh:archive"));
    let prev = rel(&feed, "prev-archive").expect("a link to the newest archive");
    assert!(
        prev.ends_with(&format!("/mid/subprocessors.atom?archive={full}")),
        "{prev}"
    );

    // Each archive: its entries, marked as an archive, linked to the current feed and its
    // neighbours, cacheable for long; all of them together hold every entry once.
    let mut seen = std::collections::HashSet::new();
    for n in 1..=full {
        let response = app
            .get(&format!("/mid/subprocessors.atom?archive={n}"))
            .await;
        assert_eq!(response.status(), 200, "archive {n}");
        assert_eq!(response.headers()["cache-control"], "public, max-age=86400");
        let archive = response.text().await.unwrap();
        assert!(archive.contains("xmlns:fh=\"http://purl.org/syndication/history/1.0\""));
        assert!(archive.contains("<fh:archive"), "{archive}");
        assert!(
            rel(&archive, "current")
                .unwrap()
                .ends_with("/mid/subprocessors.atom")
        );
        assert_eq!(
            rel(&archive, "prev-archive").is_some(),
            n > 1,
            "archive {n}"
        );
        assert_eq!(
            rel(&archive, "next-archive").is_some(),
            n < full,
            "archive {n}"
        );
        assert_eq!(archive.matches("<entry>").count(), per);
        for id in archive.split("<id>").skip(2) {
            assert!(seen.insert(id.split('<').next().unwrap().to_string()));
        }
        // The same bytes again: nothing in an archive moves between requests.
        let (_, again) = app
            .get_text(&format!("/mid/subprocessors.atom?archive={n}"))
            .await;
        assert_eq!(again, archive);
    }
    assert_eq!(seen.len(), 250);

    let (status, body) = app
        .get_text(&format!("/mid/subprocessors.atom?archive={}", full + 1))
        .await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = app.get_text("/mid/subprocessors.atom?archive=first").await;
    assert_eq!(status, 400);
    assert!(body.contains("archive"), "{body}");
}

// Loading 20,000 vendors through the seed loader (each vendor audited, versioned and announced)
// takes about 20 s in a debug build on two cores.
#[actix_web::test]
async fn a_20000_vendor_organisations_first_page_is_under_a_megabyte() {
    let app = spawn_empty_app().await;
    let loading = Instant::now();
    app.load(&seed::synthetic("large", 20_000));
    eprintln!("20,000 vendors loaded in {:?}", loading.elapsed());

    let rendering = Instant::now();
    let response = app.get("/large/subprocessors").await;
    assert_eq!(response.status(), 200);
    let page = response.bytes().await.unwrap();
    eprintln!(
        "first page: {} bytes, rendered in {:?}",
        page.len(),
        rendering.elapsed()
    );
    assert!(page.len() < 1_000_000, "{} bytes", page.len());
    let page = String::from_utf8(page.to_vec()).unwrap();
    assert!(page.contains("Page 1 of 200"));
    assert!(page.contains("20000 vendors"));
    // The last page is there too.
    let (status, _) = app.get_text("/large/subprocessors?page=200").await;
    assert_eq!(status, 200);

    // The feed is bounded; the CSV is whole.
    let (_, feed) = app.get_text("/large/subprocessors.atom").await;
    assert_eq!(feed.matches("<entry>").count(), PER_DOCUMENT);
    let (_, csv) = app.get_text("/large/subprocessors.csv").await;
    let vendors: std::collections::HashSet<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(2))
        .collect();
    assert_eq!(vendors.len(), 20_000);
}
