//! The dashboard and the audit log (issue 17, point 6): every card leads to its section, overdue
//! reviews say so, retired vendors and dead frameworks produce no review, only processors need a
//! DPA, changes name their vendor with a link, and sign-ins are left out unless asked for.

use crate::support::{create_vendor, get_as, new_vendor, send, sign_in, spawn_app, vendors_path};
use crossborder::auth::users::Role;
use crossborder::registry::seed;
use reqwest::Method;
use serde_json::json;

/// The number a dashboard card shows.
fn card(html: &str, label: &str) -> usize {
    let at = html
        .find(&format!(">{label}</a></dt>"))
        .unwrap_or_else(|| panic!("{label}"));
    let dd = &html[at..];
    let start = dd.find("<dd>").unwrap() + 4;
    dd[start..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("id=\"{id}\"")).unwrap();
    let rest = &html[start..];
    &rest[..rest.find("</section>").unwrap()]
}

#[actix_web::test]
async fn the_dashboard_links_its_cards_and_reviews_only_what_is_alive() {
    let app = spawn_app().await;
    // Eight vendors, the first certified under the DPF and last verified on 2024-01-01.
    app.load(&seed::synthetic("acme", 8));
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let (_, html) = get_as(&app, &editor, "/workspace").await;
    for target in [
        "flagged-title",
        "tia-title",
        "dpa-title",
        "reviews-title",
        "intake-title",
        "objections-title",
        "recent-title",
    ] {
        assert!(
            html.contains(&format!("<a href=\"#{target}\">")),
            "{target}"
        );
        assert!(html.contains(&format!("id=\"{target}\"")), "{target}");
    }
    let reviews = section(&html, "reviews-title");
    // Overdue, and said so.
    assert!(
        reviews.contains("Overdue since")
            && reviews
                .contains("re-check Vendor 00000's EU-US Data Privacy Framework certification"),
        "{reviews}"
    );
    // Arturia's Privacy Shield certifications (verified in 2019) are not to be verified again:
    // that framework died on 2020-07-16.
    assert!(!reviews.contains("Google Analytics"), "{reviews}");
    assert!(!reviews.contains("Privacy Shield"), "{reviews}");

    // A retired vendor has no review.
    let token = app.token("tool", "registry:write");
    let path = format!("{}/vendor-00000/retire", vendors_path("acme"));
    let tomorrow = (crate::support::today() + chrono::Duration::days(40)).to_string();
    send(
        app.api(Method::POST, &path, &token)
            .header("If-Match", "\"1\"")
            .json(&json!({"effective_on": tomorrow})),
    )
    .await
    .ok(200);
    let (_, html) = get_as(&app, &editor, "/workspace").await;
    assert!(!section(&html, "reviews-title").contains("Vendor 00000"));

    // Only a processor or a sub-processor needs a DPA.
    let without = card(&html, "Processors without a DPA");
    let mut controller = new_vendor("ads-network", "Ads Network");
    controller["role"] = json!("independent_controller");
    create_vendor(&app, &token, "arturia", &controller)
        .await
        .ok(201);
    let (_, html) = get_as(&app, &editor, "/workspace").await;
    assert_eq!(card(&html, "Processors without a DPA"), without);
    create_vendor(&app, &token, "arturia", &new_vendor("tracker", "Tracker"))
        .await
        .ok(201);
    let (_, html) = get_as(&app, &editor, "/workspace").await;
    assert_eq!(card(&html, "Processors without a DPA"), without + 1);

    // The recent changes name the vendor and link to it.
    let recent = section(&html, "recent-title");
    assert!(
        recent
            .contains("create vendor: <a href=\"/workspace/arturia/vendors/tracker\">Tracker</a>"),
        "{recent}"
    );
}

#[actix_web::test]
async fn the_audit_log_names_vendors_and_leaves_sign_ins_out_unless_asked() {
    let app = spawn_app().await;
    let admin = sign_in(&app, "admin@example.com", Role::Admin).await;
    let token = app.token("tool", "registry:write");
    create_vendor(&app, &token, "arturia", &new_vendor("tracker", "Tracker"))
        .await
        .ok(201);

    let (status, html) = get_as(&app, &admin, "/workspace/audit").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(": <a href=\"/workspace/arturia/vendors/tracker\">Tracker</a>"),
        "the vendor is named and linked"
    );
    assert!(
        !html.contains("data-label=\"Action\">login<"),
        "sign-ins left out"
    );
    assert!(html.contains("name=\"sign_ins\" value=\"show\""));

    let (_, shown) = get_as(&app, &admin, "/workspace/audit?sign_ins=show").await;
    assert!(shown.contains("data-label=\"Action\">login<"));
    assert!(shown.contains("value=\"show\" checked"));
    // Choosing the action shows them too, and the CSV follows the page.
    let (_, chosen) = get_as(&app, &admin, "/workspace/audit?action=login").await;
    assert!(chosen.contains("data-label=\"Action\">login<"));
    let (_, csv) = get_as(&app, &admin, "/workspace/audit.csv").await;
    assert!(!csv.contains(",login,"));
    let (_, csv) = get_as(&app, &admin, "/workspace/audit.csv?sign_ins=show").await;
    assert!(csv.contains(",login,"));
}
