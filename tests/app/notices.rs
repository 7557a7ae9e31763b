//! Notice that reaches people (issue 13), delivered to a real SMTP server on 127.0.0.1: sign-up
//! with double opt-in, an announcement with the vendor's details and how to object, one-click
//! unsubscribe, and nothing sent to an address that did not confirm.

use std::time::Duration;

use serde_json::json;

use crossborder::auth::users::Role;
use reqwest::Method;

use crate::support::{
    ALL_SCOPES, Received, Receiver, SmtpServer, TestApp, create_vendor, get_as, new_vendor,
    post_as, send, sign_in, spawn_app, spawn_app_with, spawn_app_with_mail,
};

async fn post_form(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let response = app
        .client
        .post(format!("{}{path}", app.address))
        .form(form)
        .send()
        .await
        .expect("the request completes");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

/// The first link of a message to a path that starts with `prefix`, as a path on the app.
fn link(mail: &Received, app: &TestApp, prefix: &str) -> String {
    mail.link(&app.address, prefix)
        .trim_start_matches(&app.address)
        .to_string()
}

/// Subscribes `email` to Arturia and follows the confirmation link it receives.
async fn subscribe_and_confirm(app: &TestApp, smtp: &SmtpServer, email: &str) {
    let before = smtp.messages().len();
    post_form(app, "/arturia/subscribe", &[("email", email)]).await;
    let mail = smtp.wait_for(before + 1).await;
    let confirm = link(&mail[before], app, "/arturia/subscriptions/confirm?token=");
    let (status, _) = app.get_text(&confirm).await;
    assert_eq!(status, 200);
}

/// Adds an active vendor through the API: announced now, in effect after the notice period.
async fn announce_vendor(app: &TestApp, key: &str, name: &str) {
    let token = app.token("procurement-tool", ALL_SCOPES);
    let mut vendor = new_vendor(key, name);
    vendor["status"] = json!("active");
    vendor["transfers"] =
        json!([{"country": "CN", "data_categories": ["usage"], "mechanisms": []}]);
    create_vendor(app, &token, "arturia", &vendor).await.ok(201);
}

#[actix_web::test]
async fn a_subscriber_confirms_then_gets_each_announcement_and_can_leave_in_one_click() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with_mail(&smtp).await;
    let (_, page) = app.get_text("/arturia/subprocessors").await;
    assert!(page.contains("action=\"/arturia/subscribe\""), "{page}");

    let (status, html) =
        post_form(&app, "/arturia/subscribe", &[("email", "not an address")]).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("Enter an e-mail address such as name@example.com"),
        "{html}"
    );

    let (status, html) = post_form(
        &app,
        "/arturia/subscribe",
        &[("email", "Reader@Example.com")],
    )
    .await;
    assert_eq!(status, 200, "{html}");
    let mail = smtp.wait_for(1).await;
    assert_eq!(mail.len(), 1);
    let confirmation = &mail[0];
    assert_eq!(confirmation.to, ["reader@example.com"]);
    assert!(
        confirmation
            .header("Subject")
            .unwrap()
            .starts_with("Confirm")
    );
    assert!(
        confirmation
            .header("Message-ID")
            .unwrap()
            .starts_with("<delivery-")
    );
    assert!(confirmation.raw.contains("Content-Type: text/html"));
    assert_eq!(
        confirmation.header("List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );

    // Not confirmed yet: an announcement goes to no one.
    announce_vendor(&app, "first-cdn", "First CDN").await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.messages().len(), 1, "nothing before the confirmation");

    let confirm = link(confirmation, &app, "/arturia/subscriptions/confirm?token=");
    let (status, html) = app.get_text(&confirm).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("You are subscribed"));
    let (status, _) = app.get_text(&format!("{confirm}x")).await;
    assert_eq!(status, 400, "a changed token is refused");

    announce_vendor(&app, "second-cdn", "Second Analytics").await;
    let mail = smtp.wait_for(2).await;
    assert_eq!(mail.len(), 2, "{mail:#?}");
    let announcement: &Received = &mail[1];
    assert_eq!(announcement.to, ["reader@example.com"]);
    let subject = announcement.header("Subject").unwrap();
    assert!(subject.contains("Second Analytics"), "{subject}");
    let text = announcement.text();
    let notice_end = (crossborder::date::today() + chrono::Duration::days(30)).to_string();
    for expected in [
        "Second Analytics",
        "Product analytics for the Arturia website.",
        "China",
        "none claimed",
        "flagged",
        &notice_end,
        "/arturia/changes/",
        "(or write to privacy-inquiries@arturia.com)",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from:\n{text}"
        );
    }

    // Proof of notice: the subscriber, and when the SMTP server accepted the message.
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let proof = format!(
        "/workspace/arturia/changes/{}/notice.csv",
        last_change(&app)
    );
    let (status, csv) = get_as(&app, &editor, &proof).await;
    assert_eq!(status, 200);
    let row = csv
        .lines()
        .find(|l| l.contains("reader@example.com"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(
        row.contains(",email,") && row.contains("change.announced,"),
        "{row}"
    );
    assert_eq!(
        row.split(',').nth(5).map(|d| d.len()),
        Some(20),
        "delivered at: {row}"
    );

    // One click, as a mail client does it (RFC 8058): no more messages.
    let unsubscribe = announcement.header("List-Unsubscribe").unwrap();
    let url = unsubscribe.trim_start_matches('<').trim_end_matches('>');
    let response = app
        .client
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    announce_vendor(&app, "third-cdn", "Third CDN").await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.messages().len(), 2, "nothing after unsubscribing");
}

#[actix_web::test]
async fn without_a_mail_server_nobody_can_subscribe_and_the_page_says_so() {
    let app = spawn_app().await;
    let (_, page) = app.get_text("/arturia/subprocessors").await;
    assert!(page.contains("subscriptions are not available"), "{page}");
    let (status, html) = post_form(
        &app,
        "/arturia/subscribe",
        &[("email", "reader@example.com")],
    )
    .await;
    assert_eq!(status, 503);
    assert!(html.contains("subscriptions are not available"));
    let (status, _) = post_form(
        &app,
        "/nobody/subscribe",
        &[("email", "reader@example.com")],
    )
    .await;
    assert_eq!(status, 404);
}

/// The Standard Webhooks signature, computed here apart from the service's own code.
fn verifies(secret: &str, hook: &crate::support::Hook) -> bool {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use hmac::{KeyInit, Mac};
    let key = STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .unwrap();
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{}.{}.{}", hook.id, hook.timestamp, hook.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    hook.signature.split(' ').any(|s| s == expected)
}

/// The newest change of Arturia (the one just announced).
fn last_change(app: &TestApp) -> i32 {
    use crossborder::db::schema::changes;
    use diesel::prelude::*;
    changes::table
        .select(diesel::dsl::max(changes::id))
        .first::<Option<i32>>(&mut *app.conn())
        .unwrap()
        .unwrap()
}

#[actix_web::test]
async fn a_webhook_gets_each_event_signed_and_retried_with_the_same_id_until_it_answers() {
    let receiver = Receiver::start(1);
    let app = spawn_app_with(|s| s.outbox_interval = Duration::from_millis(50)).await;
    let token = app.token("procurement-tool", ALL_SCOPES);
    let hooks = "/api/v1/organisations/arturia/webhooks";
    let bad = json!({"url": "ftp://example.com", "events": ["change.announced", "change.nothing"]});
    let problem = send(app.api(Method::POST, hooks, &token).json(&bad)).await;
    let fields: Vec<String> = problem.problem(422)["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, ["url", "events"]);
    let body = json!({"url": receiver.url, "events": ["change.announced", "objection.received"]});
    let created = send(app.api(Method::POST, hooks, &token).json(&body)).await;
    let created = created.ok(201).clone();
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_"));
    let listed = send(app.api(Method::GET, hooks, &token)).await;
    assert!(listed.ok(200).to_string().contains(&receiver.url));
    assert!(
        !listed.ok(200).to_string().contains(&secret),
        "the secret is shown once"
    );

    announce_vendor(&app, "hooked-cdn", "Hooked CDN").await;
    // The receiver is down for the first attempt: the delivery waits, then is sent again.
    let first = receiver.wait_for(1).await;
    assert_eq!(first.len(), 1);
    {
        use crossborder::db::schema::deliveries;
        use diesel::prelude::*;
        let mut conn = app.conn();
        let start = std::time::Instant::now();
        loop {
            let attempts: i32 = deliveries::table
                .filter(deliveries::channel.eq("webhook"))
                .select(deliveries::attempts)
                .first(&mut *conn)
                .unwrap();
            if attempts == 1 || start.elapsed() > Duration::from_secs(10) {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
        let (error, next): (Option<String>, chrono::NaiveDateTime) = deliveries::table
            .filter(deliveries::channel.eq("webhook"))
            .select((deliveries::last_error, deliveries::next_attempt_at))
            .first(&mut *conn)
            .unwrap();
        assert!(error.unwrap().contains("500"));
        assert!(
            next > crossborder::date::now(),
            "retried later, not at once"
        );
        // Time passes: the retry is due.
        diesel::update(deliveries::table.filter(deliveries::channel.eq("webhook")))
            .set(deliveries::next_attempt_at.eq(crossborder::date::now()))
            .execute(&mut *conn)
            .unwrap();
    }
    let both = receiver.wait_for(2).await;
    assert_eq!(both.len(), 2);
    assert_eq!(both[0].id, both[1].id, "a retry is the same message");
    assert_eq!(both[0].body, both[1].body);
    for hook in &both {
        assert!(verifies(&secret, hook), "{hook:?}");
    }
    let event: serde_json::Value = serde_json::from_str(&both[1].body).unwrap();
    assert_eq!(event["type"], "change.announced");
    assert_eq!(event["data"]["vendor"]["name"], "Hooked CDN");
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        receiver.received().len(),
        2,
        "delivered once it answered 2xx"
    );

    // An objection filed by a procurement tool counts at once and is posted too.
    let change = last_change(&app);
    let path = format!("/api/v1/organisations/arturia/changes/{change}/objections");
    let objection = json!({"name": "Ana Lima", "company": "Customer SA",
        "email": "ana@customer.example", "reason": "Our data may not go to China."});
    let filed = send(app.api(Method::POST, &path, &token).json(&objection)).await;
    assert_eq!(filed.ok(201)["company"], "Customer SA");
    let all = receiver.wait_for(3).await;
    let event: serde_json::Value = serde_json::from_str(&all[2].body).unwrap();
    assert_eq!(event["type"], "objection.received");
    assert_eq!(
        event["data"]["objection"]["reason"],
        "Our data may not go to China."
    );
    assert!(verifies(&secret, &all[2]));

    // Removed: nothing more is sent to it.
    let id = created["webhook"]["id"].as_i64().unwrap();
    let removed = send(app.api(Method::DELETE, &format!("{hooks}/{id}"), &token)).await;
    assert!(!removed.ok(200)["removed_at"].is_null());
    announce_vendor(&app, "unhooked-cdn", "Unhooked CDN").await;
    actix_web::rt::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 3);
}

#[actix_web::test]
async fn an_objection_is_confirmed_by_email_seen_by_officers_and_answered() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with_mail(&smtp).await;
    announce_vendor(&app, "objected-cdn", "Objected CDN").await;
    let change = last_change(&app);
    let path = format!("/arturia/changes/{change}/object");
    let (status, html) = app.get_text(&path).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Objected CDN"), "{html}");

    let (status, html) = post_form(
        &app,
        &path,
        &[
            ("name", "Ana Lima"),
            ("company", "Customer SA"),
            ("email", "ana@customer.example"),
            ("reason", ""),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        crate::support::field_error(&html, "reason").is_some_and(|e| e == "Say why you object"),
        "{html}"
    );
    let form = [
        ("name", "Ana Lima"),
        ("company", "Customer SA"),
        ("email", "ana@customer.example"),
        ("reason", "Our data may not go to China."),
    ];
    let (status, _) = post_form(&app, &path, &form).await;
    assert_eq!(status, 200);
    let mail = smtp.wait_for(1).await;
    assert_eq!(mail[0].to, ["ana@customer.example"]);
    let confirm = link(&mail[0], &app, "/arturia/objections/confirm?token=");

    // Not confirmed: officers do not see it yet.
    let s = sign_in(&app, "editor@example.com", Role::Editor).await;
    let (_, dashboard) = get_as(&app, &s, "/workspace").await;
    assert!(!dashboard.contains("Ana Lima"));
    let (status, html) = app.get_text(&confirm).await;
    assert_eq!(status, 200, "{html}");
    let (_, dashboard) = get_as(&app, &s, "/workspace").await;
    assert!(
        dashboard.contains("Ana Lima") && dashboard.contains("days left"),
        "{dashboard}"
    );

    // The outcome, with a note: the objector is told.
    let id: i32 = {
        use crossborder::db::schema::objections;
        use diesel::prelude::*;
        objections::table
            .select(objections::id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let page = format!("/workspace/arturia/objections/{id}");
    let note = "We will keep your data in the EU: the vendor is not used for your account.";
    let response = post_as(
        &app,
        &s,
        &page,
        &[
            ("csrf", s.csrf.as_str()),
            ("outcome", "resolved"),
            ("note", note),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let mail = smtp.wait_for(2).await;
    assert_eq!(mail[1].to, ["ana@customer.example"]);
    assert!(mail[1].text().contains(note), "{}", mail[1].text());
    let (_, dashboard) = get_as(&app, &s, "/workspace").await;
    assert!(!dashboard.contains("Ana Lima"), "no longer open");

    // Proof of notice: who was told of the change, linked from the vendor's page.
    let (_, vendor_page) = get_as(&app, &s, "/workspace/arturia/vendors/objected-cdn").await;
    assert!(vendor_page.contains(&format!("/workspace/arturia/changes/{change}/notice.csv")));
    let (status, csv) = get_as(
        &app,
        &s,
        &format!("/workspace/arturia/changes/{change}/notice.csv"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(csv.starts_with("change,channel,recipient"), "{csv}");

    // A change already in effect takes no objection.
    let (status, html) = app.get_text("/arturia/changes/1/object").await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("took effect on 2018-05-25"), "{html}");
}

#[actix_web::test]
async fn subscribers_get_a_note_when_an_announced_change_takes_effect() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with_mail(&smtp).await;
    subscribe_and_confirm(&app, &smtp, "reader@example.com").await;
    announce_vendor(&app, "soon-cdn", "Soon CDN").await;
    let mail = smtp.wait_for(2).await;
    assert_eq!(mail.len(), 2);
    assert_eq!(smtp.messages().len(), 2, "nothing more before the day");

    // Its day comes (the announcement moved back in time, as if 30 days had passed).
    {
        use crossborder::db::schema::changes;
        use diesel::prelude::*;
        let today = crossborder::date::today();
        diesel::update(changes::table.filter(changes::id.eq(last_change(&app))))
            .set((
                changes::announced_on.eq(today - chrono::Duration::days(30)),
                changes::effective_on.eq(today),
            ))
            .execute(&mut *app.conn())
            .unwrap();
    }
    let mail = smtp.wait_for(3).await;
    assert_eq!(mail.len(), 3);
    let subject = mail[2].header("Subject").unwrap();
    assert!(subject.starts_with("In effect today"), "{subject}");
    actix_web::rt::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(smtp.messages().len(), 3, "the note is sent once");
}

/// A worker of its own on the app's database (another instance, or the same one after a
/// restart), sending mail to `smtp`.
fn worker(app: &TestApp, smtp: &SmtpServer) -> crossborder::notify::Worker {
    use crossborder::db::{Database, DatabaseUrl};
    let config =
        crossborder::notify::MailConfig::parse(&smtp.url(), Some("p@crossborder.test")).unwrap();
    crossborder::notify::Worker {
        db: Database::connect(&DatabaseUrl::parse(&app.database.url).unwrap()).unwrap(),
        rules: crossborder::rules::RuleSet::embedded(),
        mailer: Some(crossborder::notify::Mailer::new(&config).unwrap()),
        base_url: app.address.clone(),
        interval: Duration::from_secs(3600),
        http: crossborder::notify::webhooks::client(),
    }
}

/// Queues `n` confirmations (subscriptions of n addresses), as the site does.
fn subscribe_many(app: &TestApp, n: usize) {
    use crossborder::registry::{link, subscriber};
    let mut conn = app.conn();
    let key = link::key(&mut conn).unwrap();
    for i in 0..n {
        let email = crossborder::values::EmailAddress::parse(&format!("r{i}@example.com")).unwrap();
        subscriber::subscribe(&mut conn, "arturia", &email, &key).unwrap();
    }
}

#[actix_web::test]
async fn a_message_claimed_by_a_worker_that_died_is_sent_after_its_hold_once() {
    use crossborder::db::schema::deliveries;
    use crossborder::registry::outbox::{self, Channel};
    use diesel::prelude::*;
    let smtp = SmtpServer::start();
    let app = spawn_app().await;
    subscribe_many(&app, 1);
    // A worker claims it and dies before sending (kill -9 between the commit and the send).
    let claimed = outbox::claim(
        &mut app.conn(),
        &[Channel::Email],
        10,
        crossborder::date::now(),
    )
    .unwrap();
    assert_eq!(claimed.len(), 1);
    let restarted = worker(&app, &smtp);
    assert_eq!(
        restarted.round().await.unwrap(),
        0,
        "held by the dead worker for a while"
    );
    diesel::update(deliveries::table)
        .set(deliveries::claimed_until.eq(Some(
            crossborder::date::now() - chrono::Duration::seconds(1),
        )))
        .execute(&mut *app.conn())
        .unwrap();
    assert_eq!(restarted.round().await.unwrap(), 1);
    assert_eq!(restarted.round().await.unwrap(), 0);
    let mail = smtp.wait_for(1).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(
        mail[0].header("Message-ID").unwrap(),
        format!("<delivery-{}@127.0.0.1>", claimed[0].id)
    );
}

#[actix_web::test]
async fn two_instances_sharing_the_outbox_send_each_message_once() {
    let smtp = SmtpServer::start();
    let app = spawn_app().await;
    subscribe_many(&app, 30);
    let (a, b) = (worker(&app, &smtp), worker(&app, &smtp));
    let mut sent = 0;
    for _ in 0..5 {
        let (x, y) = futures_util::join!(a.round(), b.round());
        sent += x.unwrap() + y.unwrap();
    }
    assert_eq!(sent, 30);
    let mail = smtp.wait_for(30).await;
    let mut to: Vec<String> = mail.iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    to.dedup();
    assert_eq!((mail.len(), to.len()), (30, 30), "each address once");
}

#[actix_web::test]
async fn admins_register_a_webhook_see_subscribers_and_send_a_delivery_again() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with_mail(&smtp).await;
    post_form(
        &app,
        "/arturia/subscribe",
        &[("email", "reader@example.com")],
    )
    .await;
    smtp.wait_for(1).await;
    let admin = sign_in(&app, "admin@example.com", Role::Admin).await;
    let (status, page) = get_as(&app, &admin, "/workspace/admin/notices").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("reader@example.com") && page.contains("not confirmed"),
        "{page}"
    );
    assert!(
        page.contains("subscription.confirm"),
        "the delivery is listed"
    );
    // Subscribers' addresses stay private: not on the public list.
    let (_, list) = app.get_text("/arturia/subprocessors").await;
    assert!(!list.contains("reader@example.com"));

    let receiver = Receiver::start(0);
    let bad = [
        ("csrf", admin.csrf.as_str()),
        ("organisation", "arturia"),
        ("url", "not a url"),
    ];
    let response = post_as(&app, &admin, "/workspace/admin/webhooks", &bad).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(
        crate::support::field_error(&html, "url").is_some(),
        "{html}"
    );
    assert!(
        crate::support::field_error(&html, "events").is_some(),
        "{html}"
    );
    let form = [
        ("csrf", admin.csrf.as_str()),
        ("organisation", "arturia"),
        ("url", receiver.url.as_str()),
        ("events", "change.announced"),
    ];
    let response = post_as(&app, &admin, "/workspace/admin/webhooks", &form).await;
    assert_eq!(response.status(), 201);
    let html = response.text().await.unwrap();
    assert!(html.contains("whsec_"), "the secret, once");
    let (_, page) = get_as(&app, &admin, "/workspace/admin/notices").await;
    assert!(!page.contains("whsec_"), "never again");

    // An editor cannot.
    let editor = sign_in(&app, "editor@example.com", Role::Editor).await;
    let (status, _) = get_as(&app, &editor, "/workspace/admin/notices").await;
    assert_eq!(status, 403);

    // Sending the confirmation again: same Message-ID.
    let id: i32 = {
        use crossborder::db::schema::deliveries;
        use diesel::prelude::*;
        deliveries::table
            .select(deliveries::id)
            .first(&mut *app.conn())
            .unwrap()
    };
    let path = format!("/workspace/admin/deliveries/{id}/replay");
    let response = post_as(&app, &admin, &path, &[("csrf", admin.csrf.as_str())]).await;
    assert_eq!(response.status(), 303);
    let mail = smtp.wait_for(2).await;
    assert_eq!(mail.len(), 2);
    assert_eq!(mail[0].header("Message-ID"), mail[1].header("Message-ID"));
}

#[actix_web::test]
async fn a_moved_change_is_told_again_with_its_new_day_and_objections_follow_it() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with_mail(&smtp).await;
    subscribe_and_confirm(&app, &smtp, "reader@example.com").await;
    let token = app.token("procurement-tool", ALL_SCOPES);
    let mut vendor = new_vendor("moved-cdn", "Moved CDN");
    vendor["status"] = json!("active");
    create_vendor(&app, &token, "arturia", &vendor)
        .await
        .ok(201);
    let announced = last_change(&app);
    smtp.wait_for(2).await;

    // Moved ten days later: told again, with the new day and the same objection page.
    let later = (crossborder::date::today() + chrono::Duration::days(40)).to_string();
    vendor.as_object_mut().unwrap().remove("transfers");
    vendor["active_from"] = json!(later);
    let path = "/api/v1/organisations/arturia/vendors/moved-cdn";
    let current = send(app.api(Method::GET, path, &token)).await;
    let version = current.ok(200)["version"].as_i64().unwrap();
    let request = app
        .api(Method::PUT, path, &token)
        .header("If-Match", format!("\"{version}\""))
        .json(&vendor);
    send(request).await.ok(200);
    let mail = smtp.wait_for(3).await;
    assert_eq!(mail.len(), 3);
    let text = mail[2].text();
    assert!(text.contains(&later), "{text}");
    let object = format!("/arturia/changes/{announced}/object");
    assert!(text.contains(&object), "{text}");
    let (status, page) = app.get_text(&object).await;
    assert_eq!(status, 200);
    assert!(page.contains(&later), "{page}");
}

#[actix_web::test]
async fn an_officer_gets_a_weekly_email_of_what_falls_due_and_a_calendar_feed() {
    let smtp = SmtpServer::start();
    let app = spawn_app_with_mail(&smtp).await;
    // A vendor still on the 2010 SCCs, whose contracts stopped counting on 2022-12-27.
    let token = app.token("procurement-tool", ALL_SCOPES);
    let mut vendor = new_vendor("old-scc-cdn", "Old SCC CDN");
    vendor["status"] = json!("active");
    vendor["transfers"] = json!([{"country": "US", "data_categories": ["usage"],
        "mechanisms": [{"id": "scc_2010", "signed_on": "2015-03-01"}]}]);
    create_vendor(&app, &token, "arturia", &vendor)
        .await
        .ok(201);
    // A Data Privacy Framework certification last verified years ago (the examples' are under
    // the Privacy Shield, dead since 2020: those are replaced, not verified again).
    let certification = json!({"framework": "dpf", "from": "2023-07-17", "verified_on": "2024-01-15",
        "evidence": [{"document": "Data Privacy Framework List", "quote": "Old SCC CDN: active"}]});
    let path = "/api/v1/organisations/arturia/vendors/old-scc-cdn/certifications";
    send(
        app.api(Method::POST, path, &token)
            .header("If-Match", "\"1\"")
            .json(&certification),
    )
    .await
    .ok(201);
    let s = sign_in(&app, "officer@example.com", Role::Viewer).await;
    let (status, page) = get_as(&app, &s, "/workspace/reminders").await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("Privacy Shield certification again"),
        "{page}"
    );
    assert!(
        page.contains("Overdue: ") && page.contains("certification again"),
        "{page}"
    );
    assert!(
        page.contains("replace the 2010 SCCs of Old SCC CDN to United States"),
        "{page}"
    );
    assert!(page.contains("until 2022-12-27"), "{page}");
    assert!(page.contains("takes effect: Old SCC CDN"), "{page}");

    let on = [("csrf", s.csrf.as_str()), ("weekly", "on")];
    assert_eq!(
        post_as(&app, &s, "/workspace/reminders", &on)
            .await
            .status(),
        200
    );
    let mail = smtp.wait_for(1).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].to, ["officer@example.com"]);
    assert!(
        mail[0]
            .header("Subject")
            .unwrap()
            .starts_with("What falls due")
    );
    assert!(mail[0].text().contains("OVERDUE"), "{}", mail[0].text());
    actix_web::rt::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(smtp.messages().len(), 1, "once a week");

    let calendar_path = |html: &str| {
        let start = html.find("/calendar/").unwrap_or_else(|| panic!("{html}"));
        html[start..].split('<').next().unwrap().to_string()
    };
    let make = [("csrf", s.csrf.as_str())];
    let response = post_as(&app, &s, "/workspace/reminders/calendar", &make).await;
    let old = calendar_path(&response.text().await.unwrap());
    let feed = app.get(&old).await;
    assert_eq!(feed.status(), 200);
    assert!(
        feed.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = feed.text().await.unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert!(
        ics.contains("BEGIN:VEVENT") && ics.contains("OVERDUE"),
        "{ics}"
    );

    // A new address ends the old one.
    let response = post_as(&app, &s, "/workspace/reminders/calendar", &make).await;
    let new = calendar_path(&response.text().await.unwrap());
    assert_ne!(new, old);
    assert_eq!(app.get(&old).await.status(), 404);
    assert_eq!(app.get(&new).await.status(), 200);
    assert_eq!(app.get("/calendar/not-a-secret").await.status(), 404);
}
