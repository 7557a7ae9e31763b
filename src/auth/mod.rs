//! Authentication. For the API: JSON Web Tokens (verification and issuance), scopes, and the
//! machine clients that obtain tokens with their credentials. For the workspace: accounts
//! (`users`), their sessions, and the throttling of sign-in.

mod accounts;
pub mod clients;
mod jwks;
pub mod passwords;
pub mod reminders;
mod secrets;
pub mod sessions;
pub mod throttle;
pub mod users;
mod verifier;

pub use jwks::JwksSource;
pub use verifier::{AuthConfig, AuthError, Secret, Verifier};

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a token lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    RegistryRead,
    RegistryWrite,
    IntakeWrite,
    /// Object to an announced change on a customer's behalf.
    ObjectionsWrite,
    /// Register and remove an organisation's webhooks.
    WebhooksManage,
    /// List workspace accounts and set the organisations each is a member of. Only for a caller
    /// of every organisation: one bound to some could grant itself (through an account) the rest.
    AccountsManage,
    /// Create organisations (a token bound to no organisation only) and edit the settings of
    /// the organisations a token may see: an operator's act, never implied by another scope.
    OrganisationsManage,
}

impl Scope {
    pub const ALL: [Scope; 7] = [
        Scope::RegistryRead,
        Scope::RegistryWrite,
        Scope::IntakeWrite,
        Scope::ObjectionsWrite,
        Scope::WebhooksManage,
        Scope::AccountsManage,
        Scope::OrganisationsManage,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::RegistryRead => "registry:read",
            Scope::RegistryWrite => "registry:write",
            Scope::IntakeWrite => "intake:write",
            Scope::ObjectionsWrite => "objections:write",
            Scope::WebhooksManage => "webhooks:manage",
            Scope::AccountsManage => "accounts:manage",
            Scope::OrganisationsManage => "organisations:manage",
        }
    }
}

/// Refuses a grant of `scopes` to a caller bound to `organisations` that would let it reach
/// beyond them (`accounts:manage` needs every organisation); the message says what to do.
pub fn check_grant(scopes: &[Scope], organisations: Option<&[String]>) -> Result<(), String> {
    if organisations.is_some() && scopes.contains(&Scope::AccountsManage) {
        return Err("accounts:manage is only for a client of every organisation: a client bound to some could give an account the others. Leave the organisations out, or the scope.".into());
    }
    Ok(())
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown scope '{0}' (registry:read, registry:write, intake:write, objections:write, webhooks:manage, accounts:manage, organisations:manage)"
)]
pub struct UnknownScope(pub String);

impl FromStr for Scope {
    type Err = UnknownScope;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s)
            .ok_or_else(|| UnknownScope(s.to_string()))
    }
}

/// Parses a space-separated scope list ("registry:read intake:write"), refusing unknown ones.
pub fn parse_scopes(list: &str) -> Result<Vec<Scope>, UnknownScope> {
    let mut scopes = list
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<Vec<Scope>, _>>()?;
    scopes.sort();
    scopes.dedup();
    Ok(scopes)
}

pub fn format_scopes(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The claims crossborder reads and writes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// Space-separated (RFC 8693 §4.2).
    #[serde(default)]
    pub scope: String,
}

/// Who is calling, after the token was verified.
#[derive(Debug, Clone)]
pub struct Principal {
    pub subject: String,
    pub scopes: Vec<Scope>,
    /// The organisations (slugs) the caller may read and write, from the token's `orgs` claim;
    /// `None`: all of them.
    pub organisations: Option<Vec<String>>,
}

impl Principal {
    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    /// Whether the caller may see organisation `slug` at all: outside its organisations, every
    /// record is as if it did not exist.
    pub fn may_see(&self, slug: &str) -> bool {
        self.organisations
            .as_ref()
            .is_none_or(|list| list.iter().any(|s| s == slug))
    }

    /// The actor written into the audit trail.
    pub fn actor(&self) -> String {
        format!("api:{}", self.subject)
    }
}
