//! Extractors that carry the checks, so that no handler makes them by hand: the workspace's
//! signed-in editor or admin, a form posted with its CSRF token checked first, the version an
//! API update was made on (`If-Match`), and the API caller with the scope its route needs.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use super::AppState;
use super::error::{ApiError, AppError, PageError};
use crate::auth::users::Role;
use crate::auth::{AuthError, Principal, Scope};
use crate::values::FieldError;

pub use super::workspace::SignedIn;
pub use super::workspace::forms::Form;

type Extracted<T, E> = Pin<Box<dyn Future<Output = Result<T, E>>>>;

fn require_editor(signed_in: &SignedIn) -> Result<(), AppError> {
    if signed_in.0.user.role >= Role::Editor {
        Ok(())
    } else {
        Err(AppError::ForbiddenPage(format!(
            "Editing needs the editor or admin role; {} is a viewer.",
            signed_in.0.user.email
        )))
    }
}

fn require_admin(signed_in: &SignedIn) -> Result<(), AppError> {
    let user = &signed_in.0.user;
    if user.role == Role::Admin && user.all_organisations() {
        Ok(())
    } else {
        Err(AppError::ForbiddenPage(format!(
            "The admin pages (accounts, API clients, organisation settings) need the admin role; {} is {} {}.",
            user.email,
            if user.role == Role::Editor { "an" } else { "a" },
            user.role.as_str()
        )))
    }
}

/// A signed-in editor or admin (viewers get 403).
pub struct Editor(pub SignedIn);

impl FromRequest for Editor {
    type Error = actix_web::Error;
    type Future = Extracted<Self, actix_web::Error>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed_in = SignedIn::from_request(req, payload);
        Box::pin(async move {
            let signed_in = signed_in.await?;
            require_editor(&signed_in).map_err(PageError)?;
            Ok(Editor(signed_in))
        })
    }
}

/// A signed-in admin (editors and viewers get 403).
pub struct Admin(pub SignedIn);

impl FromRequest for Admin {
    type Error = actix_web::Error;
    type Future = Extracted<Self, actix_web::Error>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed_in = SignedIn::from_request(req, payload);
        Box::pin(async move {
            let signed_in = signed_in.await?;
            require_admin(&signed_in).map_err(PageError)?;
            Ok(Admin(signed_in))
        })
    }
}

/// Who may post a form: editors (and admins), or admins only.
pub trait Poster {
    fn check(signed_in: &SignedIn) -> Result<(), AppError>;

    /// The form in a body: one that cannot be read is a 400 naming the problem.
    fn read(body: &[u8]) -> Result<Form, AppError> {
        Form::parse(body)
    }
}

/// Any signed-in account (its own settings).
pub struct Member;

impl Poster for Member {
    fn check(_: &SignedIn) -> Result<(), AppError> {
        Ok(())
    }
}

impl Poster for Editor {
    fn check(signed_in: &SignedIn) -> Result<(), AppError> {
        require_editor(signed_in)
    }
}

impl Poster for Admin {
    fn check(signed_in: &SignedIn) -> Result<(), AppError> {
        require_admin(signed_in)
    }

    /// An admin form that cannot be read is an empty one, so that it is refused by the CSRF
    /// check (403) before anything about it is told.
    fn read(body: &[u8]) -> Result<Form, AppError> {
        Ok(Form::parse(body).unwrap_or(Form(Vec::new())))
    }
}

/// A form posted by a signed-in user whose role `R` may post it: the CSRF token is checked
/// first (a forged request learns nothing about roles), then the role.
pub struct PostedForm<R> {
    pub signed_in: SignedIn,
    pub form: Form,
    role: PhantomData<R>,
}

impl<R: Poster + 'static> FromRequest for PostedForm<R> {
    type Error = actix_web::Error;
    type Future = Extracted<Self, actix_web::Error>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let signed_in = SignedIn::from_request(req, payload);
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let signed_in = signed_in.await?;
            let form = R::read(&body.await?).map_err(PageError)?;
            signed_in.check_csrf(&form.get("csrf")).map_err(PageError)?;
            R::check(&signed_in).map_err(PageError)?;
            form.check_texts().map_err(PageError)?;
            Ok(PostedForm {
                signed_in,
                form,
                role: PhantomData,
            })
        })
    }
}

/// The version an API update was made on, from `If-Match: "3"` (428 without, 412 when
/// unreadable).
pub struct IfMatch(pub i32);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(if_match(req).map(IfMatch).map_err(ApiError))
    }
}

fn if_match(req: &HttpRequest) -> Result<i32, AppError> {
    let value = req
        .headers()
        .get(header::IF_MATCH)
        .ok_or(AppError::PreconditionRequired)?
        .to_str()
        .unwrap_or("")
        .trim();
    // `*` matches any version: it would turn optimistic concurrency off, so it counts as none.
    if value == "*" {
        return Err(AppError::PreconditionRequired);
    }
    // If-Match compares strongly (RFC 9110 §13.1.1): a weak tag never matches.
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value)
        .parse()
        .map_err(|_| AppError::PreconditionFailed {
            detail: format!(
                "If-Match {value} is not a version this API gave (its ETag, like \"3\")"
            ),
        })
}

/// What an API route needs of its caller's scopes.
pub trait Needs {
    fn check(principal: &Principal) -> Result<(), AppError>;
}

fn needs(principal: &Principal, scope: Scope) -> Result<(), AppError> {
    if principal.has(scope) {
        Ok(())
    } else {
        Err(AppError::Forbidden {
            scope: scope.to_string(),
        })
    }
}

/// `registry:read`.
pub struct ReadRegistry;
/// `registry:write`.
pub struct WriteRegistry;
/// `intake:write`.
pub struct FileIntake;
/// An intake request's status: its requester (`intake:write`) or a reader (`registry:read`).
pub struct ReadIntake;
/// `objections:write`.
pub struct FileObjection;
/// `webhooks:manage`.
pub struct ManageWebhooks;
/// `accounts:manage`, held by a caller of every organisation.
pub struct ManageAccounts;

impl Needs for ManageAccounts {
    fn check(principal: &Principal) -> Result<(), AppError> {
        needs(principal, Scope::AccountsManage)?;
        // A token bound to some organisations could grant an account the others.
        let bound = principal.organisations.as_deref();
        crate::auth::check_grant(&[Scope::AccountsManage], bound).map_err(|_| AppError::Forbidden {
            scope: "accounts:manage (with every organisation)".into(),
        })
    }
}

/// `organisations:manage`.
pub struct ManageOrganisations;

impl Needs for ManageOrganisations {
    fn check(principal: &Principal) -> Result<(), AppError> {
        needs(principal, Scope::OrganisationsManage)
    }
}

impl Needs for FileObjection {
    fn check(principal: &Principal) -> Result<(), AppError> {
        needs(principal, Scope::ObjectionsWrite)
    }
}

impl Needs for ManageWebhooks {
    fn check(principal: &Principal) -> Result<(), AppError> {
        needs(principal, Scope::WebhooksManage)
    }
}

impl Needs for ReadRegistry {
    fn check(principal: &Principal) -> Result<(), AppError> {
        needs(principal, Scope::RegistryRead)
    }
}

impl Needs for WriteRegistry {
    fn check(principal: &Principal) -> Result<(), AppError> {
        needs(principal, Scope::RegistryWrite)
    }
}

impl Needs for FileIntake {
    fn check(principal: &Principal) -> Result<(), AppError> {
        needs(principal, Scope::IntakeWrite)
    }
}

impl Needs for ReadIntake {
    fn check(principal: &Principal) -> Result<(), AppError> {
        needs(principal, Scope::IntakeWrite).or_else(|_| needs(principal, Scope::RegistryRead))
    }
}

/// The verified caller of an API route, holding the scope `S` needs: 401 without a valid token,
/// 403 without the scope, before the body is read.
pub struct Caller<S> {
    pub principal: Principal,
    /// The revision of the organisation the path names, read with the revocation counter
    /// (`None`: no organisation in the path, or no such organisation).
    pub revision: Option<i32>,
    scope: PhantomData<S>,
}

impl<S> Caller<S> {
    /// Who the audit trail names for this caller's writes.
    pub fn actor(&self) -> String {
        self.principal.actor()
    }
}

impl<S: Needs + 'static> FromRequest for Caller<S> {
    type Error = ApiError;
    type Future = Extracted<Self, ApiError>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let authorization = req
            .headers()
            .get(header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap_or("").to_string());
        let organisation = req.match_info().get("org").map(str::to_string);
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("no app state"))?;
            let (principal, check) = if state.api_auth_disabled {
                let principal = Principal {
                    subject: "anonymous (API auth disabled)".into(),
                    scopes: Scope::ALL.to_vec(),
                    organisations: None,
                };
                (principal, false)
            } else {
                (verified(&state, authorization.as_deref()).await?, true)
            };
            // One statement: the revocation counter and the organisation's revision. A revoked
            // client's tokens stop at its next request, not at their expiry.
            let (subject, shared, slug) = (
                principal.subject.clone(),
                state.clone(),
                organisation.clone(),
            );
            let (revoked, revision) = crate::web::db(&state, move |conn| {
                let (counter, revision) = crate::auth::clients::standing(conn, slug.as_deref())?;
                let revoked = check && shared.revocations.is_revoked(conn, counter, &subject)?;
                Ok::<_, crate::db::DbError>((revoked, revision))
            })
            .await
            .map_err(AppError::db)?;
            if revoked {
                return Err(AppError::Unauthorized {
                    description: Some("the client of this token is revoked".into()),
                }
                .into());
            }
            // Outside its organisations, nothing exists for the caller: 404, as for a slug
            // that names no organisation.
            if let Some(slug) = organisation
                && !principal.may_see(&slug)
            {
                return Err(AppError::NotFound {
                    what: format!("organisation '{slug}'"),
                }
                .into());
            }
            S::check(&principal)?;
            Ok(Caller {
                principal,
                revision,
                scope: PhantomData,
            })
        })
    }
}

async fn verified(state: &AppState, authorization: Option<&str>) -> Result<Principal, AppError> {
    let token = match authorization {
        None => return Err(AppError::Unauthorized { description: None }),
        Some(value) => match value.split_once(' ') {
            Some((scheme, token))
                if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
            {
                token.trim().to_string()
            }
            // RFC 6750 §3.1: another scheme gets the challenge, without an error code.
            _ => return Err(AppError::Unauthorized { description: None }),
        },
    };
    match state.verifier.verify(&token).await {
        Ok(principal) => Ok(principal),
        Err(AuthError::Missing) => Err(AppError::Unauthorized { description: None }),
        Err(e) => Err(AppError::Unauthorized {
            description: Some(e.to_string()),
        }),
    }
}

/// A JSON body, read once the caller and its scope were checked: the handler asks for it with
/// [`JsonBody::read`] after its other extractors passed, so a caller without the scope is told
/// so (403), never to fix its body. Reading refuses, each as problem+json naming the field:
/// another content type (415), a body over the limit (413), malformed JSON (400, `body` with
/// the line and column), a control character in any text (422), an unknown field (422), a
/// missing one or a value of the wrong type (400), each by its path (`transfers[0].country`).
pub struct JsonBody<T> {
    read: Result<T, AppError>,
}

impl<T> JsonBody<T> {
    pub fn read(self) -> Result<T, AppError> {
        self.read
    }
}

fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .is_some_and(|v| v == "application/json" || v.ends_with("+json"))
}

/// The serde error of a body, as the field it is about and what is wrong.
pub fn body_error(path: &str, message: &str) -> FieldError {
    // serde names the field in backticks for these two; the path is the object's.
    for (prefix, what) in [
        ("unknown field `", "unknown"),
        ("missing field `", "missing"),
    ] {
        if let Some(rest) = message.strip_prefix(prefix)
            && let Some((name, tail)) = rest.split_once('`')
        {
            // An unknown field's path ends with it; a missing field's is its object's.
            let field = if path.is_empty() || path == "." {
                name.to_string()
            } else if path == name || path.ends_with(&format!(".{name}")) {
                path.to_string()
            } else {
                format!("{path}.{name}")
            };
            let message = match what {
                "unknown" => format!(
                    "is not a field of this body (it cannot be set here){}",
                    tail.trim_start_matches(',')
                        .trim_end()
                        .strip_prefix(" expected")
                        .map(|t| format!("; expected{t}"))
                        .unwrap_or_default()
                ),
                _ => "is required".to_string(),
            };
            return FieldError::new(field, message);
        }
    }
    let field = if path.is_empty() || path == "." {
        "body"
    } else {
        path
    };
    FieldError::new(field, message)
}

/// Parses a JSON body into `T` (see [`JsonBody`]).
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| AppError::BadParameter {
            name: "body".into(),
            problem: format!(
                "not valid JSON at line {}, column {}: {}",
                e.line(),
                e.column(),
                e.to_string().split(" at line ").next().unwrap_or_default()
            ),
        })?;
    let errors = crate::values::check_texts(&value);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        let error = body_error(&path, &message);
        // A field the body may not hold is invalid input (422); a value that cannot be read
        // as its type, or a missing one, leaves a body that cannot be read (400).
        if message.starts_with("unknown field") {
            AppError::Invalid(vec![error])
        } else {
            AppError::BadParameter {
                name: error.field,
                problem: error.message,
            }
        }
    })
}

impl<T: serde::de::DeserializeOwned + 'static> FromRequest for JsonBody<T> {
    type Error = ApiError;
    type Future = Extracted<Self, ApiError>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let read = match bytes.await {
                _ if !json => Err(AppError::UnsupportedMediaType(
                    "send the body as application/json".into(),
                )),
                Err(e) => Err(match e.as_response_error().status_code() {
                    actix_web::http::StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge(
                        format!("the body is over {} bytes", super::api::BODY_LIMIT),
                    ),
                    _ => AppError::BadRequest(format!("the body cannot be read: {e}")),
                }),
                Ok(bytes) => parse_json(&bytes),
            };
            Ok(JsonBody { read })
        })
    }
}
