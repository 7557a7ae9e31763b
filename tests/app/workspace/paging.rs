//! The workspace's other long lists by pages (issue 17, point 5), as the vendor list: 50 rows a
//! page, previous and next links, no parameter the first page, a page past the end the last.
//! The pending intake requests, the webhooks, subscribers and deliveries of the notice page, the
//! accounts, the API clients and the organisations of the admin pages.

use crate::support::{
    Session, TestApp, file_intake, get_as, location, post_as, sign_in, spawn_app, spawn_empty_app,
};
use crossborder::auth::users::Role;
use crossborder::date::now;
use crossborder::db::schema::{
    api_clients, deliveries, organisations, subscribers, users, webhooks,
};
use crossborder::registry::seed;
use diesel::prelude::*;

const PER_PAGE: usize = 50;

/// The pages of one list of `total` rows (more than one page), whose page is in `param` of
/// `base`, named `what` (its navigation's "Pages of the {what}"), its rows on a page counted by
/// `rows`: no parameter shows the first 50 and links to the second; the last page shows the
/// rest; a page past the end, the last; a page that is no number, the first.
async fn assert_paged(
    app: &TestApp,
    session: &Session,
    (base, param): (&str, &str),
    what: &str,
    total: usize,
    rows: impl Fn(&str) -> usize,
) {
    assert!(total > PER_PAGE, "{what}: more rows than a page");
    let last = total.div_ceil(PER_PAGE);
    let page = |query: String| async move {
        let (status, html) = get_as(app, session, &format!("{base}{query}")).await;
        assert_eq!(status, 200, "{base}{query}");
        html
    };
    let nav = format!("aria-label=\"Pages of the {what}\"");

    let first = page(String::new()).await;
    assert_eq!(rows(&first), PER_PAGE, "{what}: the first page");
    assert!(first.contains(&nav), "{what}: {first}");
    assert!(
        first.contains(&format!("href=\"{base}?{param}=2\" rel=\"next\"")),
        "{what}: the next page's link"
    );
    assert!(first.contains(&format!("Page 1 of {last} ({what} 1–50 of {total})")));
    assert_eq!(
        rows(&page(format!("?{param}=1")).await),
        PER_PAGE,
        "{what}: page 1"
    );
    assert_eq!(rows(&page(format!("?{param}=x")).await), PER_PAGE);

    let rest = total - (last - 1) * PER_PAGE;
    for query in [format!("?{param}={last}"), format!("?{param}=999")] {
        let html = page(query.clone()).await;
        assert_eq!(rows(&html), rest, "{what}: {query}");
        assert!(
            html.contains(&format!("Page {last} of {last}")),
            "{what}: {query}"
        );
        let previous = match last - 1 {
            1 => format!("href=\"{base}\" rel=\"prev\""),
            n => format!("href=\"{base}?{param}={n}\" rel=\"prev\""),
        };
        assert!(html.contains(&previous), "{what}: {query}: {html}");
    }
}

fn arturia(app: &TestApp) -> i32 {
    organisations::table
        .filter(organisations::slug.eq("arturia"))
        .select(organisations::id)
        .first(&mut app.conn())
        .unwrap()
}

#[actix_web::test]
async fn the_pending_intake_requests_come_by_pages_apart_from_the_decided_ones() {
    let app = spawn_app().await;
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let mut ids = Vec::new();
    for n in 0..55 {
        ids.push(file_intake(&app, &format!("Tool {n:02}"), &["US"], &["contact"]).await);
    }
    let articles = |html: &str| html.matches("<article class=\"intake-request\"").count();
    assert_paged(
        &app,
        &editor,
        ("/workspace/intake", "pending_page"),
        "pending requests",
        55,
        articles,
    )
    .await;

    // Oldest first: the 51st request opens the second page.
    let (_, second) = get_as(&app, &editor, "/workspace/intake?pending_page=2").await;
    assert!(second.contains(&format!("id=\"request-{}\"", ids[50])));
    assert!(!second.contains(&format!("id=\"request-{}\"", ids[49])));

    // Each list keeps the other where it is: 55 decided requests make a second list of pages.
    for n in 0..55 {
        let id = file_intake(&app, &format!("Old {n:02}"), &["US"], &["contact"]).await;
        crossborder::registry::intake::reject(&mut app.conn(), id as i32, None, "No", "test")
            .unwrap();
    }
    let (_, both) = get_as(&app, &editor, "/workspace/intake?page=2").await;
    assert!(both.contains("aria-label=\"Pages of the decided requests\""));
    assert!(both.contains("aria-label=\"Pages of the pending requests\""));
    assert!(both.contains("href=\"/workspace/intake?page=2&amp;pending_page=2\" rel=\"next\""));
    assert!(
        both.contains("href=\"/workspace/intake\" rel=\"prev\""),
        "{both}"
    );
    let (_, other) = get_as(&app, &editor, "/workspace/intake?pending_page=2&page=2").await;
    assert!(other.contains("href=\"/workspace/intake?page=2\" rel=\"prev\""));
    assert!(other.contains("href=\"/workspace/intake?pending_page=2\" rel=\"prev\""));

    // The dashboard links each pending request to the page that holds it.
    let (_, dashboard) = get_as(&app, &editor, "/workspace").await;
    assert!(dashboard.contains(&format!(
        "href=\"/workspace/intake?pending_page=2#request-{}\"",
        ids[50]
    )));
    assert!(dashboard.contains(&format!("href=\"/workspace/intake#request-{}\"", ids[49])));

    // A refused rejection of a request on the second page shows that page, with its form.
    let last = ids[54].to_string();
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{last}/reject"),
        &[("csrf", editor.csrf.as_str()), ("reason", "  ")],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(&format!("id=\"reject-{last}-error\"")),
        "{html}"
    );
    assert!(html.contains("Page 2 of 2 (pending requests"));

    // A decision posted from the second pages comes back to them: the forms carry the pages.
    let (_, page) = get_as(&app, &editor, "/workspace/intake?pending_page=2&page=2").await;
    let action = format!("/workspace/intake/{last}/reject?pending_page=2&amp;page=2");
    assert!(page.contains(&format!("action=\"{action}\"")), "{page}");
    let response = post_as(
        &app,
        &editor,
        &action.replace("&amp;", "&"),
        &[("csrf", editor.csrf.as_str()), ("reason", "Not needed")],
    )
    .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        "/workspace/intake?pending_page=2&page=2"
    );
    // From the first pages, back to the list as it was.
    let first = ids[0].to_string();
    let response = post_as(
        &app,
        &editor,
        &format!("/workspace/intake/{first}/reject"),
        &[("csrf", editor.csrf.as_str()), ("reason", "Not needed")],
    )
    .await;
    assert_eq!(location(&response), "/workspace/intake");
}

#[actix_web::test]
async fn the_webhooks_subscribers_and_deliveries_come_by_pages_each_kept_by_the_others() {
    let app = spawn_app().await;
    let admin = sign_in(&app, "admin@example.com", Role::Admin).await;
    let org = arturia(&app);
    let at = now();
    for n in 0..120 {
        diesel::insert_into(deliveries::table)
            .values((
                deliveries::organisation_id.eq(org),
                deliveries::channel.eq("email"),
                deliveries::recipient.eq(format!("d{n:03}@deliveries.example")),
                deliveries::kind.eq("change.announced"),
                deliveries::payload.eq("{}"),
                deliveries::created_at.eq(at),
                deliveries::next_attempt_at.eq(at),
                // Sent already: the worker leaves them alone.
                deliveries::delivered_at.eq(Some(at)),
            ))
            .execute(&mut app.conn())
            .unwrap();
    }
    for n in 0..51 {
        diesel::insert_into(webhooks::table)
            .values((
                webhooks::organisation_id.eq(org),
                webhooks::url.eq(format!("https://hooks.example/{n}")),
                webhooks::events.eq("change.announced"),
                webhooks::secret.eq("whsec_test"),
                webhooks::created_at.eq(at),
                webhooks::created_by.eq("test"),
            ))
            .execute(&mut app.conn())
            .unwrap();
    }
    for n in 0..75 {
        diesel::insert_into(subscribers::table)
            .values((
                subscribers::organisation_id.eq(org),
                subscribers::email.eq(format!("s{n:03}@subscribers.example")),
                subscribers::created_at.eq(at),
                subscribers::confirmed_at.eq((n % 3 == 0).then_some(at)),
            ))
            .execute(&mut app.conn())
            .unwrap();
    }
    let count = |table: &str| -> usize {
        let mut conn = app.conn();
        let n: i64 = match table {
            "deliveries" => deliveries::table.count().get_result(&mut conn),
            "webhooks" => webhooks::table.count().get_result(&mut conn),
            _ => subscribers::table.count().get_result(&mut conn),
        }
        .unwrap();
        n as usize
    };
    let base = "/workspace/admin/notices";
    assert_paged(
        &app,
        &admin,
        (base, "deliveries_page"),
        "deliveries",
        count("deliveries"),
        |html| html.matches("@deliveries.example").count(),
    )
    .await;
    assert_paged(
        &app,
        &admin,
        (base, "webhooks_page"),
        "webhooks",
        count("webhooks"),
        |html| html.matches("https://hooks.example/").count(),
    )
    .await;
    assert_paged(
        &app,
        &admin,
        (base, "subscribers_page"),
        "subscribers",
        count("subscribers"),
        |html| html.matches("@subscribers.example").count(),
    )
    .await;

    // Newest delivery first; the confirmed subscribers counted over every page.
    let (_, first) = get_as(&app, &admin, base).await;
    assert!(first.contains("d119@deliveries.example") && !first.contains("d069@"));
    assert!(first.contains("(arturia): 25 confirmed"), "{first}");
    // Each list's links keep the others where they are.
    let (_, moved) = get_as(
        &app,
        &admin,
        &format!("{base}?deliveries_page=3&subscribers_page=2"),
    )
    .await;
    assert!(moved.contains("d019@deliveries.example") && !moved.contains("d020@"));
    assert!(moved.contains(&format!(
        "href=\"{base}?subscribers_page=2&amp;deliveries_page=3&amp;webhooks_page=2\" rel=\"next\""
    )));
    assert!(moved.contains(&format!(
        "href=\"{base}?subscribers_page=2&amp;deliveries_page=2\" rel=\"prev\""
    )));
    assert!(moved.contains(&format!("href=\"{base}?deliveries_page=3\" rel=\"prev\"")));
}

#[actix_web::test]
async fn the_accounts_come_by_pages_and_a_change_shows_the_page_of_its_account() {
    let app = spawn_app().await;
    let admin = sign_in(&app, "admin@example.com", Role::Admin).await;
    for n in 0..60 {
        diesel::insert_into(users::table)
            .values((
                users::email.eq(format!("user-{n:03}@accounts.example")),
                users::password_hash.eq("not a hash: never signs in"),
                users::role.eq("viewer"),
                users::created_at.eq(now()),
            ))
            .execute(&mut app.conn())
            .unwrap();
    }
    let total: i64 = users::table.count().get_result(&mut app.conn()).unwrap();
    let rows = |html: &str| html.matches("<tr id=\"user-").count();
    let base = "/workspace/admin/users";
    assert_paged(
        &app,
        &admin,
        (base, "page"),
        "accounts",
        total as usize,
        rows,
    )
    .await;
    let (_, first) = get_as(&app, &admin, base).await;
    assert!(first.contains(&format!("Accounts ({total}), by e-mail, page 1 of 2")));

    // By e-mail: admin@ first, user-059 on the second page; changing its role comes back there.
    let id = super::admin::user_id(&app, "user-059@accounts.example");
    let response = post_as(
        &app,
        &admin,
        &format!("{base}/{id}/role"),
        &[("csrf", admin.csrf.as_str()), ("role", "editor")],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, back) = get_as(&app, &admin, &location(&response)).await;
    assert!(
        back.contains("user-059@accounts.example is now editor."),
        "{back}"
    );
    assert!(back.contains(&format!("<tr id=\"user-{id}\"")));
    assert!(back.contains("Page 2 of 2"));

    // A refused change shows the account's row too.
    let response = post_as(
        &app,
        &admin,
        &format!("{base}/{id}/role"),
        &[("csrf", admin.csrf.as_str()), ("role", "owner")],
    )
    .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains(&format!("id=\"role-{id}-error\"")), "{html}");
}

#[actix_web::test]
async fn the_api_clients_come_by_pages_and_a_revocation_shows_the_page_of_its_client() {
    let app = spawn_app().await;
    let admin = sign_in(&app, "admin@example.com", Role::Admin).await;
    // All created at the same instant: the id keeps the order whole.
    let at = now();
    for n in 0..70 {
        diesel::insert_into(api_clients::table)
            .values((
                api_clients::client_id.eq(format!("paging-client-{n:03}")),
                api_clients::name.eq(format!("Tool {n:03}")),
                api_clients::secret_hash.eq("not a hash"),
                api_clients::scopes.eq("registry:read"),
                api_clients::created_at.eq(at),
            ))
            .execute(&mut app.conn())
            .unwrap();
    }
    let total: i64 = api_clients::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    let rows = |html: &str| html.matches("<tr id=\"client-").count();
    let base = "/workspace/admin/clients";
    assert_paged(
        &app,
        &admin,
        (base, "page"),
        "API clients",
        total as usize,
        rows,
    )
    .await;
    let (_, second) = get_as(&app, &admin, &format!("{base}?page=2")).await;
    assert!(second.contains("paging-client-069") && !second.contains("paging-client-000<"));

    let response = post_as(
        &app,
        &admin,
        &format!("{base}/paging-client-069/revoke"),
        &[("csrf", admin.csrf.as_str())],
    )
    .await;
    assert_eq!(response.status(), 303);
    let (_, back) = get_as(&app, &admin, &location(&response)).await;
    assert!(
        back.contains("Tool 069 (paging-client-069) is revoked"),
        "{back}"
    );
    assert!(back.contains("Page 2 of 2"));
    // An unknown client is still a 404.
    let response = post_as(
        &app,
        &admin,
        &format!("{base}/no-such-client/revoke"),
        &[("csrf", admin.csrf.as_str())],
    )
    .await;
    assert_eq!(response.status(), 404);
}

#[actix_web::test]
async fn the_organisations_of_the_admin_home_come_by_pages() {
    let app = spawn_empty_app().await;
    // The same name each: the slug keeps the order whole.
    for n in 0..52 {
        app.load(&seed::synthetic(&format!("org-{n:02}"), 0));
    }
    let admin = sign_in(&app, "admin@example.com", Role::Admin).await;
    let rows = |html: &str| html.matches(">Settings of ").count();
    assert_paged(
        &app,
        &admin,
        ("/workspace/admin", "page"),
        "organisations",
        52,
        rows,
    )
    .await;
    let (_, second) = get_as(&app, &admin, "/workspace/admin?page=2").await;
    assert!(second.contains("(org-50)") && second.contains("(org-51)"));
    assert!(!second.contains("(org-49)"));
}
