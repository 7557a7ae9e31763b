//! The site's own address, as absolute links and cookies need it: the configured public URL when
//! there is one; otherwise the request's `Host` and the connection's scheme; the forwarded
//! headers (`Forwarded`, `X-Forwarded-Host`, `X-Forwarded-Proto`) only with `--trust-proxy`,
//! since any client can send them. The one place that reads them: nothing else calls
//! actix's `connection_info()`.

use actix_web::HttpRequest;
use actix_web::http::header;

use crate::config::{PublicUrl, Settings};

/// How a request's site address is found; held in `AppState`.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    public_url: Option<PublicUrl>,
    trust_proxy: bool,
}

impl Origin {
    pub fn new(settings: &Settings) -> Self {
        Origin {
            public_url: settings.public_url.clone(),
            trust_proxy: settings.trust_proxy,
        }
    }

    /// The address absolute links start with, without a trailing slash:
    /// `https://privacy.example.com`, or `http://127.0.0.1:8080` from the request.
    pub fn base(&self, req: &HttpRequest) -> String {
        match &self.public_url {
            Some(url) => url.as_str().to_string(),
            None => format!("{}://{}", self.request_scheme(req), self.request_host(req)),
        }
    }

    /// Whether readers reach the site over TLS: the public URL's scheme when it is set, else
    /// the connection's (or, trusted, the proxy's). Cookies are `Secure` then.
    pub fn is_https(&self, req: &HttpRequest) -> bool {
        match &self.public_url {
            Some(url) => url.is_https(),
            None => self.request_scheme(req) == "https",
        }
    }

    /// The request headers a response built with [`Origin::base`] depends on, for `Vary`:
    /// none with a public URL.
    pub fn vary(&self) -> Option<&'static str> {
        match (&self.public_url, self.trust_proxy) {
            (Some(_), _) => None,
            (None, false) => Some("Host"),
            (None, true) => Some("Host, Forwarded, X-Forwarded-Host, X-Forwarded-Proto"),
        }
    }

    fn request_scheme(&self, req: &HttpRequest) -> &'static str {
        let https = if self.trust_proxy {
            req.connection_info().scheme().eq_ignore_ascii_case("https")
        } else {
            // The connection's own: TLS served by this process. Not the request target's
            // scheme, which the client writes.
            req.app_config().secure()
        };
        if https { "https" } else { "http" }
    }

    fn request_host(&self, req: &HttpRequest) -> String {
        let forwarded = self
            .trust_proxy
            .then(|| req.connection_info().host().to_string());
        forwarded
            .filter(|h| is_authority(h))
            .or_else(|| {
                req.headers()
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .or_else(|| req.uri().authority().map(|a| a.as_str()))
                    .filter(|h| is_authority(h))
                    .map(str::to_string)
            })
            .unwrap_or_else(|| req.app_config().host().to_string())
    }
}

/// A host name or address with an optional port, nothing else (no path, user or spaces): what a
/// `Host` header may hold (RFC 9110 §7.2).
fn is_authority(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._:[]".contains(&b))
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn origin(public_url: Option<&str>, trust_proxy: bool) -> Origin {
        Origin {
            public_url: public_url.map(|u| PublicUrl::parse(u).unwrap()),
            trust_proxy,
        }
    }

    fn forged() -> HttpRequest {
        TestRequest::default()
            .insert_header(("Host", "lists.example.org"))
            .insert_header(("X-Forwarded-Host", "evil.example"))
            .insert_header(("X-Forwarded-Proto", "https"))
            .insert_header(("Forwarded", "host=evil.example;proto=https"))
            .to_http_request()
    }

    #[test]
    fn forwarded_headers_count_only_when_trusted() {
        let req = forged();
        assert_eq!(origin(None, false).base(&req), "http://lists.example.org");
        assert!(!origin(None, false).is_https(&req));
        assert_eq!(origin(None, true).base(&req), "https://evil.example");
        assert!(origin(None, true).is_https(&req));
    }

    #[test]
    fn a_public_url_wins_over_every_header() {
        let req = forged();
        for trust in [false, true] {
            let o = origin(Some("https://privacy.example.com/"), trust);
            assert_eq!(o.base(&req), "https://privacy.example.com");
            assert!(o.is_https(&req));
            assert_eq!(o.vary(), None);
        }
        assert!(!origin(Some("http://127.0.0.1:8080"), false).is_https(&req));
    }

    #[test]
    fn the_scheme_of_an_absolute_request_target_is_not_the_connections() {
        let req = TestRequest::with_uri("https://evil.example/arturia/subprocessors.atom")
            .insert_header(("Host", "lists.example.org"))
            .to_http_request();
        assert_eq!(origin(None, false).base(&req), "http://lists.example.org");
        assert!(!origin(None, false).is_https(&req));
    }

    #[test]
    fn a_host_that_is_not_an_authority_is_not_used() {
        let req = TestRequest::default()
            .insert_header(("Host", "evil.example/x y"))
            .to_http_request();
        assert_eq!(origin(None, false).base(&req), "http://localhost:8080");
    }
}
