//! The `--scope` value of `client create` and `token issue`: a space-separated list.

use crate::auth::{self, Scope};

#[derive(Clone)]
pub struct ScopeList(pub Vec<Scope>);

pub fn parse_scope_list(s: &str) -> Result<ScopeList, String> {
    let scopes = auth::parse_scopes(s).map_err(|e| e.to_string())?;
    if scopes.is_empty() {
        return Err("name at least one scope".into());
    }
    Ok(ScopeList(scopes))
}
