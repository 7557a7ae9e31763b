//! Viewers and forged posts cannot use the forms.

use super::{GA, editor, vendor};
use crate::support::{audit_count, get_as, post_as, sign_in, spawn_app};
use crossborder::auth::users::Role;

#[actix_web::test]
async fn viewers_and_forged_posts_cannot_use_the_forms() {
    let app = spawn_app().await;
    let viewer = sign_in(&app, "viewer@example.com", Role::Viewer).await;
    let s = editor(&app).await;
    let v = vendor(&app, "arturia", "google-analytics");
    let t = v.transfers[0].id;
    let c = v.certifications[0].id;
    let forms = [
        format!("{GA}/edit"),
        format!("{GA}/retire"),
        format!("{GA}/transfers/new"),
        format!("{GA}/transfers/{t}"),
        format!("{GA}/certifications/new"),
        format!("{GA}/certifications/{c}"),
        format!("{GA}/evidence/new"),
    ];
    let audited = audit_count(&app);
    for path in &forms {
        assert_eq!(get_as(&app, &viewer, path).await.0, 403, "GET {path}");
        let posted = post_as(&app, &viewer, path, &[("csrf", &viewer.csrf)]).await;
        assert_eq!(posted.status(), 403, "POST {path} as a viewer");
        let forged = post_as(&app, &s, path, &[("csrf", "forged")]).await;
        assert_eq!(forged.status(), 403, "POST {path} without the token");
        assert_eq!(
            get_as(&app, &s, path).await.0,
            200,
            "GET {path} as an editor"
        );
    }
    assert_eq!(audit_count(&app), audited, "nothing was written");
    assert_eq!(vendor(&app, "arturia", "google-analytics"), v);
    let (_, page) = get_as(&app, &viewer, GA).await;
    assert!(
        !page.contains("Edit the vendor"),
        "viewers are not offered the forms"
    );
}
