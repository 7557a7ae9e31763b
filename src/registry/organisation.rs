//! Organisations by name: the small lookups the workspace's audit log and intake review need to
//! name an organisation without loading its registry.

use diesel::prelude::*;

use crate::db::schema::organisations;
use crate::db::{DbConnection, DbError};

/// An organisation's id, slug and display name.
#[derive(Debug, Clone, Queryable)]
pub struct OrganisationName {
    pub id: i32,
    pub slug: String,
    pub name: String,
}

/// Every organisation's id, slug and name, in no particular order.
pub fn names(conn: &mut DbConnection) -> Result<Vec<OrganisationName>, DbError> {
    Ok(organisations::table
        .select((organisations::id, organisations::slug, organisations::name))
        .load(conn)?)
}
