//! Settings from flags and the environment, checked once at start. Secrets are held in
//! [`Secret`], whose `Debug` never shows them, so the settings can be logged whole.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use crate::auth::{AuthConfig, Secret};
use crate::db::{DatabaseUrl, DbError};
use crate::values::WebUrl;

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://crossborder.db";
/// The memory kept for snapshots and rendered responses unless `--cache-bytes` says otherwise.
pub const DEFAULT_CACHE_BYTES: u64 = 256 * 1024 * 1024;
/// How long a revision read for the public pages is used again unless `--cache-recheck` says
/// otherwise.
pub const DEFAULT_CACHE_RECHECK: std::time::Duration = std::time::Duration::from_millis(250);

/// The shortest HS256 secret accepted: RFC 7518 §3.2 wants a key as long as the hash (256 bits).
const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub database_url: DatabaseUrl,
    /// Load the embedded example organisations into an empty database.
    pub seed_when_empty: bool,
    pub auth: AuthConfig,
    /// Benchmarks only: the API lets every call through.
    pub api_auth_disabled: bool,
    /// The site's public address (--public-url / PUBLIC_URL): absolute links (the Atom feed's,
    /// the example command of a new API client) start with it, whatever the request says.
    pub public_url: Option<PublicUrl>,
    /// Honour `Forwarded`, `X-Forwarded-Host` and `X-Forwarded-Proto` (--trust-proxy /
    /// TRUST_PROXY): only behind a proxy that sets them, since any client can send them.
    pub trust_proxy: bool,
    /// The mail server and sender (--smtp-url, --mail-from); `None`: no mail is sent.
    pub mail: Option<crate::notify::MailConfig>,
    /// The time between two rounds of the outbox worker.
    pub outbox_interval: std::time::Duration,
    /// SQLite: how long a write waits for the lock before its request gets a 503.
    pub busy_timeout: std::time::Duration,
    /// The memory kept for snapshots and rendered responses (--cache-bytes / CACHE_BYTES).
    pub cache_bytes: u64,
    /// How long a public page is served at the revision last read before reading it again, when
    /// nothing was committed through this instance meanwhile (--cache-recheck / CACHE_RECHECK).
    pub cache_recheck: std::time::Duration,
}

/// A number of bytes as `--cache-bytes` takes it: `268435456`, `256MiB`, `512k`, `1G` (the
/// suffixes are binary: k = KiB = 1024).
pub fn parse_bytes(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("'{s}' is not a number of bytes such as 268435456 or 256MiB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => {
            return Err(format!(
                "'{other}' is not a unit: use k, M or G (KiB, MiB, GiB)"
            ));
        }
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("'{s}' is too large"))
}

/// The site's public address: an http(s) URL without query, fragment or credentials, kept
/// without its trailing slash so that `{public_url}/{slug}/subprocessors` is one address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    pub fn parse(s: &str) -> Result<Self, ConfigError> {
        let bad = |why: &str| ConfigError::PublicUrl(s.to_string(), why.to_string());
        let checked = WebUrl::parse(s.trim()).map_err(|e| bad(&e))?;
        let url = url::Url::parse(&checked.into_string()).map_err(|e| bad(&e.to_string()))?;
        if url.host_str().is_none_or(str::is_empty) {
            return Err(bad("it names no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("it may not hold a user name or password"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad("it may not have a query (?...) or a fragment (#...)"));
        }
        // The url crate writes the scheme and host in lowercase and an empty path as "/".
        let mut text = url.to_string();
        while text.ends_with('/') {
            text.pop();
        }
        Ok(PublicUrl(text))
    }

    /// The address without a trailing slash: `https://example.com` or `https://example.com/privacy`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("--bind / BIND: '{0}' is not an address such as 127.0.0.1:8080")]
    Bind(String),
    #[error(
        "--public-url / PUBLIC_URL: '{0}' is not the site's public address ({1}); give one such as https://privacy.example.com"
    )]
    PublicUrl(String, String),
    #[error("--database-url / DATABASE_URL: {0}")]
    Database(#[from] DbError),
    #[error("--jwt-secret-file {}: {source}", path.display())]
    SecretFile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the JWT secret is {0} bytes long; it must be at least 32 (generate one with: openssl rand -base64 48)"
    )]
    ShortSecret(usize),
}

impl Settings {
    pub fn new(bind: &str, database_url: &str) -> Result<Self, ConfigError> {
        Ok(Settings {
            bind: bind
                .parse()
                .map_err(|_| ConfigError::Bind(bind.to_string()))?,
            database_url: DatabaseUrl::parse(database_url)?,
            seed_when_empty: true,
            auth: AuthConfig::default(),
            api_auth_disabled: false,
            public_url: None,
            trust_proxy: false,
            mail: None,
            outbox_interval: std::time::Duration::from_secs(2),
            busy_timeout: crate::db::DEFAULT_BUSY_TIMEOUT,
            cache_bytes: DEFAULT_CACHE_BYTES,
            cache_recheck: DEFAULT_CACHE_RECHECK,
        })
    }
}

/// The HS256 secret, read once: from `file` (--jwt-secret-file / JWT_SECRET_FILE, its trailing
/// newline dropped), else from JWT_SECRET; `None` when neither is given.
pub fn jwt_secret(file: Option<&Path>) -> Result<Option<Secret>, ConfigError> {
    let bytes = match file {
        Some(path) => std::fs::read(path)
            .map_err(|source| ConfigError::SecretFile {
                path: path.to_path_buf(),
                source,
            })?
            .trim_ascii_end()
            .to_vec(),
        None => match std::env::var("JWT_SECRET") {
            Ok(value) if !value.is_empty() => value.into_bytes(),
            _ => return Ok(None),
        },
    };
    if bytes.len() < MIN_SECRET_BYTES {
        return Err(ConfigError::ShortSecret(bytes.len()));
    }
    Ok(Some(Secret::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "do-not-print-me-0123456789abcdef-0123456789";

    #[test]
    fn cache_sizes_read_with_binary_units() {
        assert_eq!(parse_bytes("1024"), Ok(1024));
        assert_eq!(parse_bytes("256MiB"), Ok(256 << 20));
        assert_eq!(parse_bytes("512k"), Ok(512 << 10));
        assert_eq!(parse_bytes(" 1 G "), Ok(1 << 30));
        assert!(parse_bytes("lots").unwrap_err().contains("not a number"));
        assert!(
            parse_bytes("12 parsecs")
                .unwrap_err()
                .contains("not a unit")
        );
        assert!(parse_bytes("99999999999999999999G").is_err());
    }

    #[test]
    fn the_settings_debug_never_shows_the_secret() {
        let mut settings = Settings::new(DEFAULT_BIND, DEFAULT_DATABASE_URL).unwrap();
        settings.auth.hs256_secret = Some(Secret::from(SECRET.as_bytes().to_vec()));
        let printed = format!("{settings:?} {settings:#?}");
        assert!(!printed.contains(SECRET), "{printed}");
        // Nor as the list of byte values a derived Debug of Vec<u8> would print.
        let bytes = format!("{:?}", &SECRET.as_bytes()[..6]);
        assert!(!printed.contains(bytes.trim_end_matches(']')), "{printed}");
        assert!(printed.contains("Secret([redacted])"), "{printed}");
    }

    #[test]
    fn a_public_url_is_http_or_https_without_query_and_loses_its_trailing_slash() {
        for (given, kept) in [
            ("https://privacy.example.com", "https://privacy.example.com"),
            (
                "https://privacy.example.com/",
                "https://privacy.example.com",
            ),
            (
                "https://Privacy.Example.com:8443/",
                "https://privacy.example.com:8443",
            ),
            (
                "http://127.0.0.1:8080/lists/",
                "http://127.0.0.1:8080/lists",
            ),
            ("https://example.com/a//", "https://example.com/a"),
        ] {
            assert_eq!(PublicUrl::parse(given).unwrap().as_str(), kept, "{given}");
        }
        assert!(PublicUrl::parse("https://example.com").unwrap().is_https());
        for bad in [
            "example.com",
            "ftp://example.com",
            "https://",
            "https://example.com/?a=b",
            "https://example.com/#top",
            "https://user:pw@example.com",
            "javascript:alert(1)",
        ] {
            let error = PublicUrl::parse(bad).unwrap_err().to_string();
            assert!(
                error.starts_with(&format!("--public-url / PUBLIC_URL: '{bad}'")),
                "{error}"
            );
        }
    }

    #[test]
    fn a_secret_file_loses_its_trailing_newline_and_must_hold_32_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("good");
        std::fs::write(&good, format!("{SECRET}\n")).unwrap();
        let secret = jwt_secret(Some(&good)).unwrap().expect("a secret");
        assert_eq!(secret.expose(), SECRET.as_bytes());

        let short = dir.path().join("short");
        std::fs::write(&short, "short\n").unwrap();
        let error = jwt_secret(Some(&short)).unwrap_err().to_string();
        assert!(
            error.starts_with("the JWT secret is 5 bytes long;"),
            "{error}"
        );

        let missing = dir.path().join("missing");
        let error = jwt_secret(Some(&missing)).unwrap_err().to_string();
        assert!(error.starts_with("--jwt-secret-file "), "{error}");
    }
}
