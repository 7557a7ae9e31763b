//! Builds the server: migrations, seeds for an empty database, the app, the listener.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::dev::Service;
use actix_web::middleware::{Compress, DefaultHeaders, Logger, NormalizePath, TrailingSlash};
use actix_web::{App, HttpServer, web};

use super::origin::Origin;
use super::{AppState, api, objections, public, subscriptions, workspace};
use crate::auth::{AuthError, Verifier};
use crate::config::Settings;
use crate::db::{Database, DbError};
use crate::notify::{MailConfigError, Mailer, Worker};
use crate::registry::{link, organisation, seed};
use crate::rules::RuleSet;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: String,
        source: std::io::Error,
    },
    #[error("the embedded seed files are invalid: {0}")]
    Seed(#[from] seed::SeedError),
    #[error("API authentication: {0}")]
    Auth(#[from] AuthError),
    #[error(transparent)]
    Mail(#[from] MailConfigError),
}

/// The host part of a local address, as a URL writes it (an unspecified address: 127.0.0.1).
pub fn local_host(ip: std::net::IpAddr) -> String {
    match ip {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        ip if ip.is_ipv6() => format!("[{ip}]"),
        ip => ip.to_string(),
    }
}

/// A built server, not yet running: tests read its port and state, then run it.
pub struct Application {
    port: u16,
    server: Server,
    state: web::Data<AppState>,
}

impl Application {
    pub async fn build(settings: &Settings) -> Result<Self, StartError> {
        let rules = RuleSet::embedded();
        let verifier = Verifier::new(&settings.auth)?;
        verifier.start().await;
        if settings.api_auth_disabled {
            tracing::warn!(
                "API authentication is DISABLED: every /api/v1 call is allowed (benchmarks only)"
            );
        }
        let db = Database::connect_with(&settings.database_url, settings.busy_timeout)?;
        db.migrate()?;
        if settings.seed_when_empty {
            let mut conn = db.get()?;
            if organisation::is_empty(&mut conn)? {
                for s in seed::embedded(rules)? {
                    seed::apply(&mut conn, &s, "seed")?;
                }
                tracing::info!("loaded the example organisations into the empty database");
            }
        }
        let link_key = link::key(&mut *db.get()?)?;
        let listener = TcpListener::bind(settings.bind).map_err(|source| StartError::Listen {
            addr: settings.bind.to_string(),
            source,
        })?;
        let port = listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or(settings.bind.port());
        let state = web::Data::new(AppState {
            db,
            rules,
            cache: super::cache::ResponseCache::new(settings.cache_bytes),
            revisions: super::revisions::Revisions::new(settings.cache_recheck),
            verifier,
            api_auth_disabled: settings.api_auth_disabled,
            origin: Origin::new(settings),
            mail_enabled: settings.mail.is_some(),
            link_key,
            revocations: Default::default(),
            token_throttle: Default::default(),
        });
        // The revoked clients, known before the first request (which then costs one query).
        state
            .revocations
            .load(&mut *state.db.get()?)
            .map_err(StartError::Database)?;
        let mailer = settings.mail.as_ref().map(Mailer::new).transpose()?;
        if mailer.is_none() {
            tracing::warn!(
                "mail is not configured (--smtp-url and --mail-from): nobody can subscribe, and no notice is sent by e-mail"
            );
        }
        Worker {
            db: state.db.clone(),
            rules,
            mailer,
            base_url: match &settings.public_url {
                Some(url) => url.as_str().to_string(),
                None => format!("http://{}:{port}", local_host(settings.bind.ip())),
            },
            interval: settings.outbox_interval,
            http: crate::notify::webhooks::client(),
        }
        .spawn();
        let app_state = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(actix_web::middleware::from_fn(super::guard::guard))
                .wrap(Logger::new("%a \"%r\" %s %b %Dms"))
                .wrap(Compress::default())
                .wrap(NormalizePath::new(TrailingSlash::Trim))
                .wrap(security_headers())
                .wrap_fn(|req, srv| {
                    let workspace = req.path().starts_with("/workspace");
                    let response = srv.call(req);
                    async move {
                        let mut response = response.await?;
                        super::representation::unmark_identity(response.headers_mut());
                        if workspace {
                            no_framing(response.headers_mut());
                        }
                        Ok(response)
                    }
                })
                .app_data(app_state.clone())
                .configure(public::routes)
                .configure(api::routes)
                .configure(workspace::routes)
                .configure(subscriptions::routes)
                .configure(objections::routes)
                .configure(public::redirects)
                .default_service(web::to(public::not_found))
        })
        // Nagle's algorithm would hold a response's last segment until the client's delayed ACK
        // (~40 ms on keep-alive connections): every response goes out at once.
        .tcp_nodelay(true)
        .listen(listener)
        .map_err(|source| StartError::Listen {
            addr: settings.bind.to_string(),
            source,
        })?
        .run();
        Ok(Application {
            port,
            server,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Headers every answer carries. The pages load nothing but their own stylesheet, so the policy
/// allows only that; the workspace's forms may not be framed by another site (clickjacking),
/// while the public list may be embedded in an organisation's own pages.
fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add((
            "Content-Security-Policy",
            "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'",
        ))
}

/// The workspace may not be framed: a second policy (browsers enforce both) and the older
/// header for browsers without `frame-ancestors`.
fn no_framing(headers: &mut actix_web::http::header::HeaderMap) {
    use actix_web::http::header::{CONTENT_SECURITY_POLICY, HeaderValue, X_FRAME_OPTIONS};
    headers.append(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("frame-ancestors 'none'"),
    );
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
}
