//! Signing in to the workspace as a browser does (the login form with its CSRF cookie and
//! field, the session cookie), and pages fetched and forms posted as the signed-in account.

use super::{TestApp, hidden};

/// The password of the accounts tests create.
pub const PASSWORD: &str = "correct horse battery staple";

/// The value of a cookie set by a response.
pub fn cookie(response: &reqwest::Response, name: &str) -> Option<(String, String)> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .find_map(|v| {
            let v = v.to_str().ok()?;
            let (pair, _) = v.split_once(';').unwrap_or((v, ""));
            let (k, value) = pair.split_once('=')?;
            (k == name).then(|| (value.to_string(), v.to_string()))
        })
}

/// Opens the login form: its CSRF cookie and field.
pub async fn login_form(app: &TestApp) -> (String, String) {
    let response = app.get("/workspace/login").await;
    assert_eq!(response.status(), 200);
    let (cookie, _) = cookie(&response, "cb_login_csrf").expect("a CSRF cookie");
    let html = response.text().await.unwrap();
    (cookie, hidden(&html, "csrf"))
}

pub async fn post_login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    let (cookie, csrf) = login_form(app).await;
    app.client
        .post(format!("{}/workspace/login", app.address))
        .header("Cookie", format!("cb_login_csrf={cookie}"))
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf", &csrf),
            ("next", "/workspace"),
        ])
        .send()
        .await
        .unwrap()
}

pub fn create_user(app: &TestApp, email: &str, role: crossborder::auth::users::Role) {
    crossborder::auth::users::create(&mut app.conn(), email, PASSWORD, role, "test")
        .expect("account created");
}

/// A signed-in browser: its session cookie and the session's CSRF token.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// Creates an account with the role and signs it in.
pub async fn sign_in(app: &TestApp, email: &str, role: crossborder::auth::users::Role) -> Session {
    create_user(app, email, role);
    log_in(app, email, PASSWORD).await
}

pub async fn log_in(app: &TestApp, email: &str, password: &str) -> Session {
    let response = post_login(app, email, password).await;
    assert_eq!(response.status(), 303, "{email} signed in");
    let (cookie, _) = cookie(&response, "cb_session").expect("a session cookie");
    let mut session = Session {
        cookie,
        csrf: String::new(),
    };
    let (status, html) = get_as(app, &session, "/workspace").await;
    assert_eq!(status, 200);
    session.csrf = hidden(&html, "csrf");
    session
}

pub async fn get_response(app: &TestApp, session: &Session, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .header("Cookie", format!("cb_session={}", session.cookie))
        .send()
        .await
        .unwrap()
}

pub async fn get_as(app: &TestApp, session: &Session, path: &str) -> (u16, String) {
    let response = get_response(app, session, path).await;
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

pub async fn post_as(
    app: &TestApp,
    session: &Session,
    path: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    app.client
        .post(format!("{}{path}", app.address))
        .header("Cookie", format!("cb_session={}", session.cookie))
        .form(form)
        .send()
        .await
        .unwrap()
}
