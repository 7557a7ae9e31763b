//! `crossborder serve` (also what runs without a command): the web service.

use crate::config::{DEFAULT_BIND, PublicUrl, Settings};
use crate::web::startup::Application;

use super::CliError;
use super::database::DatabaseArgs;
use super::jwt::JwtArgs;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// The address to listen on.
    #[arg(long, env = "BIND", default_value = DEFAULT_BIND, value_name = "ADDR")]
    bind: String,

    #[command(flatten)]
    database: DatabaseArgs,

    #[command(flatten)]
    jwt: JwtArgs,

    /// The identity provider's JSON Web Key Set (RS256, ES256, EdDSA keys), fetched at start and
    /// again for an unknown key id at most once a minute.
    #[arg(long, env = "JWKS_URL", value_name = "URL")]
    jwks_url: Option<String>,

    /// The site's public address (https://privacy.example.com): the Atom feed's links and other
    /// absolute addresses start with it, whatever Host the request names.
    #[arg(long, env = "PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,

    /// Behind a reverse proxy that sets them: honour the Forwarded, X-Forwarded-Host and
    /// X-Forwarded-Proto headers (ignored otherwise, since any client can send them).
    #[arg(long, env = "TRUST_PROXY")]
    trust_proxy: bool,

    /// The SMTP server notices are sent through: smtp://host:port, smtps://user:pass@host:465,
    /// smtp://host:587?tls=required (STARTTLS). Unset: no mail is sent, nobody can subscribe.
    #[arg(long, env = "SMTP_URL", value_name = "URL", hide_env_values = true)]
    smtp_url: Option<String>,

    /// The address mail is sent from ("Privacy <privacy@example.com>"); needed with --smtp-url.
    #[arg(long, env = "MAIL_FROM", value_name = "ADDRESS")]
    mail_from: Option<String>,

    /// SQLite: how long a write waits for another writer (this instance's or another's) before
    /// its request is answered 503 with Retry-After (1s, 500ms).
    #[arg(long, env = "BUSY_TIMEOUT", default_value = "5s", value_parser = humantime::parse_duration, value_name = "DURATION")]
    busy_timeout: std::time::Duration,
    /// The memory kept for the organisations' snapshots and the rendered pages and API answers
    /// (least recently used dropped first): bytes, or with a unit (512MiB, 1G).
    #[arg(long, env = "CACHE_BYTES", default_value = "256MiB", value_name = "BYTES",
        value_parser = crate::config::parse_bytes)]
    cache_bytes: u64,
    /// How long a public page is served at the organisation's revision last read before the
    /// revision is read again (250ms, 1s; 0s reads it on every request). Writes through this
    /// instance are seen at once; another instance's or the CLI's within this time.
    #[arg(long, env = "CACHE_RECHECK", default_value = "250ms", value_parser = humantime::parse_duration, value_name = "DURATION")]
    cache_recheck: std::time::Duration,

    /// Start with no organisation: the example organisations are not loaded into an empty
    /// database (create yours with `crossborder org create` or in the workspace).
    #[arg(long, env = "NO_EXAMPLES")]
    no_examples: bool,

    /// For benchmarks only: let every API call through without a token.
    #[arg(long, hide = true)]
    insecure_disable_api_auth: bool,
}

pub fn run(args: ServeArgs) -> Result<(), CliError> {
    init_logs();
    let mut settings =
        Settings::new(&args.bind, &args.database.database_url).map_err(CliError::usage)?;
    settings.auth = args.jwt.auth_config(args.jwks_url.clone())?;
    settings.api_auth_disabled = args.insecure_disable_api_auth;
    settings.public_url = args
        .public_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .map(PublicUrl::parse)
        .transpose()
        .map_err(CliError::usage)?;
    settings.trust_proxy = args.trust_proxy;
    settings.busy_timeout = args.busy_timeout;
    settings.cache_bytes = args.cache_bytes;
    settings.cache_recheck = args.cache_recheck;
    settings.seed_when_empty = !args.no_examples;
    settings.mail = args
        .smtp_url
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .map(|url| crate::notify::MailConfig::parse(url, args.mail_from.as_deref()))
        .transpose()
        .map_err(CliError::usage)?;
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(&settings)
            .await
            .map_err(CliError::failure)?;
        let host = crate::web::startup::local_host(settings.bind.ip());
        println!("crossborder is serving on http://{host}:{}/", app.port());
        app.run_until_stopped().await.map_err(CliError::failure)
    })
}

fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Logs go to stderr, so stdout carries only the answer (the URL served).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
