//! The vendor list, searched and filtered.

use crate::support::{get_as, sign_in, spawn_app};
use crossborder::auth::users::Role;

#[actix_web::test]
async fn the_vendor_list_is_searched_and_filtered() {
    let app = spawn_app().await;
    let viewer = sign_in(&app, "viewer@example.com", Role::Viewer).await;
    let list = |query: &'static str| {
        let (app, viewer) = (&app, &viewer);
        async move {
            let (status, html) = get_as(app, viewer, &format!("/workspace/vendors{query}")).await;
            assert_eq!(status, 200, "{query}");
            html
        }
    };
    let all = list("").await;
    for org in ["Arturia", "Jamendo", "Qobuz", "Spotify", "QTRAX"] {
        assert!(all.contains(&format!("Vendors of {org}")), "{org}");
    }
    assert!(
        !all.contains("Add a vendor to"),
        "viewers are not offered the form"
    );

    let arturia = list("?organisation=arturia").await;
    assert!(arturia.contains("Vendors of Arturia") && !arturia.contains("Vendors of Jamendo"));
    assert!(arturia.contains("Google Analytics"));

    let analytics = list("?organisation=arturia&category=analytics").await;
    assert!(analytics.contains("Google Analytics"));
    assert!(
        !analytics.contains("Payment service provider"),
        "{analytics}"
    );
    assert!(all.contains("Payment service provider"));

    // Arturia's Privacy Shield claims are flagged today.
    let flagged = list("?organisation=arturia&flagged=true").await;
    assert!(flagged.contains("Google Analytics") && flagged.contains("flagged"));

    let searched = list("?q=google").await;
    assert!(searched.contains("Google Analytics"));
    assert!(!searched.contains("Facebook"));
    let none = list("?q=no-such-vendor-anywhere").await;
    assert!(none.contains("0 vendor(s) found"));

    let retired = list("?status=retired&organisation=arturia").await;
    assert!(retired.contains("No vendor matches"));
}
