//! A rendered response kept in memory with its compressed variants (gzip, Brotli, zstd, each
//! made once), and how one is chosen for a request: `Accept-Encoding` negotiation (RFC 9110
//! §12.5.3), a strong ETag per variant (§8.8.3: `"tag"`, `"tag-gz"`, `"tag-br"`, `"tag-zst"`),
//! `Vary: Accept-Encoding`, and `304` when the client's copy of that variant is current.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use actix_web::http::Version;
use actix_web::http::header::{
    self, AcceptEncoding, ContentEncoding, Encoding, EntityTag, HeaderValue, HttpDate,
    IfModifiedSince, IfNoneMatch,
};
use actix_web::web::Bytes;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, HttpResponseBuilder};

use super::unfolding::Unfolding;

/// Bodies up to this size are compressed as they are rendered; larger ones on the blocking
/// pool after the first response (which goes out uncompressed).
const COMPRESS_NOW: usize = 64 * 1024;

/// The levels: each variant is made once per revision, so the smallest output is worth the
/// time (a 1.5 MB page: see the README's notes on compression).
const GZIP_LEVEL: u32 = 9;
const BROTLI_QUALITY: i32 = 7;
const ZSTD_LEVEL: i32 = 12;

/// The variants, in the server's order of preference for equal q-values.
static SUPPORTED: [Encoding; 4] = [
    Encoding::brotli(),
    Encoding::zstd(),
    Encoding::gzip(),
    Encoding::identity(),
];

/// The compressed bodies of one rendering.
#[derive(Debug)]
pub struct Variants {
    gzip: Bytes,
    brotli: Bytes,
    zstd: Bytes,
}

/// One rendered response with its validators.
#[derive(Debug)]
pub struct Rendered {
    pub body: Bytes,
    pub content_type: &'static str,
    /// The identity body's strong tag (without quotes).
    pub etag: String,
    pub last_modified: SystemTime,
    /// The record's version, for an answer about one record (its `ETag` for `If-Match`).
    pub version: Option<i32>,
    variants: OnceLock<Variants>,
    compressing: AtomicBool,
}

impl Rendered {
    pub fn new(
        body: impl Into<Bytes>,
        content_type: &'static str,
        last_modified: SystemTime,
    ) -> Self {
        let body = body.into();
        let mut hasher = DefaultHasher::new();
        body.hash(&mut hasher);
        Rendered {
            etag: format!("{:016x}{:08x}", hasher.finish(), body.len()),
            body,
            content_type,
            last_modified,
            version: None,
            variants: OnceLock::new(),
            compressing: AtomicBool::new(false),
        }
    }

    pub fn with_version(mut self, version: i32) -> Self {
        self.version = Some(version);
        self
    }

    /// Compresses a small body now (on the thread that rendered it); a large one is left to
    /// [`Rendered::compress`] off the request path.
    pub fn compress_if_small(&self) {
        if self.body.len() <= COMPRESS_NOW {
            self.compress();
        }
    }

    /// Makes the compressed variants (once).
    pub fn compress(&self) {
        self.variants.get_or_init(|| Variants {
            gzip: gzip(&self.body),
            brotli: brotli(&self.body),
            zstd: zstd(&self.body),
        });
    }

    /// Whether the variants are still to be made.
    pub fn needs_variants(&self) -> bool {
        self.variants.get().is_none()
    }

    /// Takes the job of compressing: true for the first caller only.
    pub fn claim_compression(&self) -> bool {
        !self.compressing.swap(true, Ordering::AcqRel)
    }

    /// The memory it holds.
    pub fn bytes(&self) -> usize {
        let variants = self
            .variants
            .get()
            .map_or(0, |v| v.gzip.len() + v.brotli.len() + v.zstd.len());
        self.body.len() + variants + self.etag.len() + 128
    }

    /// The body and tag for a content coding, if that variant is made.
    fn variant(&self, coding: ContentEncoding) -> Option<(Bytes, String)> {
        let variants = self.variants.get();
        let (body, suffix) = match coding {
            ContentEncoding::Gzip => (&variants?.gzip, "-gz"),
            ContentEncoding::Brotli => (&variants?.brotli, "-br"),
            ContentEncoding::Zstd => (&variants?.zstd, "-zst"),
            _ => (&self.body, ""),
        };
        Some((body.clone(), format!("{}{suffix}", self.etag)))
    }

    /// The variant the request accepts best among those made: `None` when it refuses them all
    /// (`identity;q=0` with no coding it accepts), which is a `406`.
    fn chosen(&self, req: &HttpRequest) -> Option<(ContentEncoding, Bytes, String)> {
        let Some(accepted) = req.get_header::<AcceptEncoding>() else {
            return self.identity();
        };
        let only_identity = [Encoding::identity()];
        if self.variants.get().is_none() && accepted.negotiate(only_identity.iter()).is_none() {
            // Identity refused before the variants are made (rare: `identity;q=0`): make them.
            self.compress();
        }
        let ready = self.variants.get().is_some();
        let offered = SUPPORTED
            .iter()
            .filter(|e| ready || **e == Encoding::identity());
        match accepted.negotiate(offered) {
            Some(Encoding::Known(coding)) => {
                let (body, tag) = self.variant(coding)?;
                Some((coding, body, tag))
            }
            _ => None,
        }
    }

    fn identity(&self) -> Option<(ContentEncoding, Bytes, String)> {
        Some((
            ContentEncoding::Identity,
            self.body.clone(),
            self.etag.clone(),
        ))
    }
}

fn gzip(body: &[u8]) -> Bytes {
    let mut encoder =
        flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(GZIP_LEVEL));
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(body);
    encoder.finish().unwrap_or_default().into()
}

fn brotli(body: &[u8]) -> Bytes {
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = Vec::new();
    let _ = brotli::BrotliCompress(&mut &body[..], &mut out, &params);
    out.into()
}

fn zstd(body: &[u8]) -> Bytes {
    zstd::bulk::compress(body, ZSTD_LEVEL)
        .unwrap_or_default()
        .into()
}

/// Marks a response whose body must go out as it is: the `Compress` middleware leaves a
/// response with a `Content-Encoding` alone, and [`unmark_identity`] removes the mark after it.
fn mark_identity(response: &mut HttpResponseBuilder) {
    response.insert_header((header::CONTENT_ENCODING, "identity"));
}

/// Removes the mark of [`mark_identity`] (RFC 9110 §8.4.1: `identity` is not sent as a coding).
pub fn unmark_identity(headers: &mut header::HeaderMap) {
    if headers.get(header::CONTENT_ENCODING) == Some(&HeaderValue::from_static("identity")) {
        headers.remove(header::CONTENT_ENCODING);
    }
}

/// The chosen variant of `rendered` with its coding and `Vary`, its own body and length: for
/// responses without validators (API reads).
pub fn encoded(req: &HttpRequest, rendered: &Rendered) -> HttpResponse {
    let Some((coding, body, _)) = rendered.chosen(req) else {
        return not_acceptable();
    };
    let mut response = HttpResponse::Ok();
    with_coding(&mut response, coding);
    response.content_type(rendered.content_type).body(body)
}

/// `200` with the chosen variant, or `304` when the client's copy of it is current (RFC 9110
/// §13). `vary` names the other request headers the body depends on, if any.
pub fn conditional(
    req: &HttpRequest,
    rendered: &Rendered,
    cache_control: &str,
    vary: Option<&'static str>,
) -> HttpResponse {
    let Some((coding, body, tag)) = rendered.chosen(req) else {
        return not_acceptable();
    };
    let etag = EntityTag::new_strong(tag);
    let not_modified = not_modified(req, Some(&etag), rendered.last_modified);
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header(header::ETag(etag))
        .insert_header(header::LastModified(HttpDate::from(rendered.last_modified)))
        .insert_header((header::CACHE_CONTROL, cache_control.to_string()));
    if let Some(vary) = vary {
        response.append_header((header::VARY, vary));
    }
    with_coding(&mut response, coding);
    if not_modified {
        response.finish()
    } else {
        response.content_type(rendered.content_type).body(body)
    }
}

/// A body still being written, sent as it comes (chunked): no length and no ETag yet (the
/// tag is the whole body's), compressed on the way by the `Compress` middleware if the client
/// asks. An HTTP/1.0 client, which cannot take chunks (RFC 9112 §6.1), gets it once written,
/// with its length. `304` when `If-Modified-Since` says the client's copy is current.
pub async fn unfolding(
    req: &HttpRequest,
    body: Arc<Unfolding>,
    cache_control: &str,
) -> HttpResponse {
    let current = not_modified(req, None, body.last_modified);
    let mut response = if current {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header(header::LastModified(HttpDate::from(body.last_modified)))
        .insert_header((header::CACHE_CONTROL, cache_control.to_string()))
        .append_header((header::VARY, "Accept-Encoding"));
    if current {
        return response.finish();
    }
    response.content_type(body.content_type);
    if req.version() >= Version::HTTP_11 {
        return response.streaming(body.body());
    }
    match body.when_written().await {
        Some(whole) => response.body(whole),
        None => HttpResponse::InternalServerError()
            .content_type("text/plain; charset=utf-8")
            .body("the list could not be written to its end\n"),
    }
}

/// Whether the client's copy is current (RFC 9110 §13.1): `If-None-Match` against the
/// representation's tag (none known: only `*` matches), otherwise `If-Modified-Since`.
fn not_modified(req: &HttpRequest, etag: Option<&EntityTag>, last_modified: SystemTime) -> bool {
    let unix_seconds = |t: SystemTime| {
        t.duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    };
    match req.get_header::<IfNoneMatch>() {
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(tags)) => {
            etag.is_some_and(|etag| tags.iter().any(|t| t.weak_eq(etag)))
        }
        None => req
            .get_header::<IfModifiedSince>()
            .is_some_and(|since| unix_seconds(last_modified) <= unix_seconds(since.0.into())),
    }
}

fn with_coding(response: &mut HttpResponseBuilder, coding: ContentEncoding) {
    response.append_header((header::VARY, "Accept-Encoding"));
    match coding {
        ContentEncoding::Identity => mark_identity(response),
        coding => {
            response.insert_header((header::CONTENT_ENCODING, coding.as_str()));
        }
    }
}

/// `406`: the request refuses every coding offered, identity included.
fn not_acceptable() -> HttpResponse {
    HttpResponse::NotAcceptable()
        .append_header((header::VARY, "Accept-Encoding"))
        .content_type("text/plain; charset=utf-8")
        .body("this response is available as br, zstd, gzip or identity\n")
}
