//! The public list explains itself (issue 17, point 8): a legend of the verdicts, "flagged" and
//! the severities, every badge a link to its entry; the vendor's headquarters; a privacy contact
//! that is an address is a link; `/{org}` and `/{org}/` lead to the list. And the stylesheet's
//! rules for paper (point 11).

use super::ORGANISATIONS;
use crate::support::spawn_app;
use crossborder::db::schema::organisations;
use diesel::prelude::*;
use scraper::{Html, Selector};

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

#[actix_web::test]
async fn the_legend_explains_every_verdict_flagged_and_every_severity() {
    let app = spawn_app().await;
    let (status, html) = app.get_text("/arturia/subprocessors").await;
    assert_eq!(status, 200);
    let doc = Html::parse_document(&html);
    let heading = select(&doc, "section.legend h2#legend-title");
    assert_eq!(heading.len(), 1, "the legend has a heading");
    for verdict in [
        "out_of_scope",
        "intra_eea",
        "adequate",
        "safeguarded",
        "domestic",
        "unverified",
        "derogation",
        "unsafeguarded",
    ] {
        let entry = select(&doc, &format!("dl.legend > div#legend-verdict-{verdict}"));
        assert_eq!(entry.len(), 1, "{verdict} explained");
        assert_eq!(
            select(&doc, &format!("#legend-verdict-{verdict} dt")).len(),
            1
        );
        assert_eq!(
            select(&doc, &format!("#legend-verdict-{verdict} dd")).len(),
            1
        );
    }
    for id in [
        "legend-flagged",
        "legend-severity-info",
        "legend-severity-ok",
        "legend-severity-warning",
        "legend-severity-critical",
    ] {
        assert_eq!(
            select(&doc, &format!("dl.legend > div#{id}")).len(),
            1,
            "{id}"
        );
    }
    // A flagged verdict says so, and links to what flagged means.
    assert_eq!(
        select(
            &doc,
            "#legend-verdict-unsafeguarded dd a[href='#legend-flagged']"
        )
        .len(),
        1
    );
}

#[actix_web::test]
async fn every_badge_links_to_an_entry_of_the_legend() {
    let app = spawn_app().await;
    for slug in ORGANISATIONS {
        let (_, html) = app.get_text(&format!("/{slug}/subprocessors")).await;
        let doc = Html::parse_document(&html);
        assert!(
            select(&doc, "span.verdict").is_empty(),
            "{slug}: a badge that is no link"
        );
        let badges = select(&doc, "table.vendors a.verdict");
        for badge in badges {
            let href = badge.value().attr("href").expect("a badge has a target");
            let id = href.strip_prefix('#').expect("a target on the page");
            assert!(id.starts_with("legend-verdict-"), "{slug}: {href}");
            assert_eq!(
                select(&doc, &format!("[id='{id}']")).len(),
                1,
                "{slug}: {href} is one entry of the legend"
            );
        }
    }
    // The examples have badges at all.
    let (_, html) = app.get_text("/arturia/subprocessors").await;
    assert!(!select(&Html::parse_document(&html), "table.vendors a.verdict").is_empty());
}

#[actix_web::test]
async fn a_vendor_shows_its_legal_entity_and_headquarters() {
    let app = spawn_app().await;
    let (_, html) = app.get_text("/arturia/subprocessors").await;
    let doc = Html::parse_document(&html);
    let google = select(&doc, "table.vendors tbody th")
        .into_iter()
        .find(|th| th.text().any(|t| t == "Google LLC"))
        .expect("Google's entity is shown");
    let text: String = google.text().collect();
    assert!(text.contains("Headquarters: United States (US)"), "{text}");
}

fn set_contact(app: &crate::support::TestApp, slug: &str, contact: &str) {
    diesel::update(organisations::table.filter(organisations::slug.eq(slug)))
        .set(organisations::privacy_contact.eq(contact))
        .execute(&mut app.conn())
        .unwrap();
}

fn contact_cell(html: &str) -> (String, Vec<(String, Option<String>)>) {
    let doc = Html::parse_document(html);
    let dd = select(&doc, "dl.organisation div")
        .into_iter()
        .find(|d| d.text().any(|t| t == "Privacy contact"))
        .expect("the privacy contact")
        .select(&Selector::parse("dd").unwrap())
        .next()
        .unwrap();
    let links = dd
        .select(&Selector::parse("a").unwrap())
        .map(|a| {
            (
                a.value().attr("href").unwrap().to_string(),
                a.value().attr("rel").map(str::to_string),
            )
        })
        .collect();
    (dd.text().collect(), links)
}

#[actix_web::test]
async fn a_privacy_contact_that_is_an_address_is_a_link() {
    let app = spawn_app().await;
    set_contact(
        &app,
        "jamendo",
        "https://www.jamendo.com/legal/privacy-contact",
    );
    set_contact(&app, "qobuz", "Qobuz, DPO, 41 rue de Paris, 75000 Paris");
    set_contact(&app, "qtrax", "javascript:alert(1)");

    let (_, html) = app.get_text("/jamendo/subprocessors").await;
    let (text, links) = contact_cell(&html);
    assert_eq!(text, "https://www.jamendo.com/legal/privacy-contact");
    assert_eq!(
        links,
        [(
            "https://www.jamendo.com/legal/privacy-contact".to_string(),
            Some("noopener".to_string())
        )]
    );

    // A postal address, or an address of another scheme, is text.
    for (slug, shown) in [
        ("qobuz", "Qobuz, DPO, 41 rue de Paris, 75000 Paris"),
        ("qtrax", "javascript:alert(1)"),
    ] {
        let (_, html) = app.get_text(&format!("/{slug}/subprocessors")).await;
        let (text, links) = contact_cell(&html);
        assert_eq!(text, shown);
        assert!(links.is_empty(), "{slug}: {links:?}");
    }

    // An e-mail address is still a mailto: link.
    let (_, html) = app.get_text("/arturia/subprocessors").await;
    let (_, links) = contact_cell(&html);
    assert_eq!(
        links,
        [("mailto:privacy-inquiries@arturia.com".to_string(), None)]
    );
}

#[actix_web::test]
async fn an_organisation_address_leads_to_its_list() {
    let app = spawn_app().await;
    for path in ["/arturia", "/arturia/"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 308, "{path}");
        assert_eq!(response.headers()["location"], "/arturia/subprocessors");
    }
    let response = app.get("/arturia/?as_of=2020-01-01").await;
    assert_eq!(response.status(), 308);
    assert_eq!(
        response.headers()["location"],
        "/arturia/subprocessors?as_of=2020-01-01"
    );
    for path in ["/nobody", "/nobody/"] {
        let (status, html) = app.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("Not found"), "{path}: {html}");
    }
    // Other methods are not redirected.
    let response = reqwest::Client::new()
        .post(format!("{}/arturia", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

#[actix_web::test]
async fn the_stylesheet_has_rules_for_paper() {
    let app = spawn_app().await;
    let (status, css) = app.get_text("/static/style.css").await;
    assert_eq!(status, 200);
    let print = &css[css.find("@media print").expect("rules for paper")..];
    for rule in [
        "thead { display: table-header-group; }",
        "break-inside: avoid",
        "details::details-content { content-visibility: visible",
        "a[href^=\"http\"]:not(.bare)::after { content: \" (\" attr(href) \")\"",
        "nav, form, button",
    ] {
        assert!(print.contains(rule), "print: {rule}");
    }
    // The phone cards are for screens: paper gets the table.
    assert!(css.contains("@media screen and (max-width: 48rem)"));
}
