//! The organisations' revisions as the public pages last read them. Every write bumps its
//! organisation's revision, and a cached page is only served at the revision it was rendered
//! at; reading the revision on every request would cost a trip to the database pool for each
//! page that is already in memory. A revision read here is used again while nothing was
//! committed through this instance since (so its own writes are seen at once) and for at most
//! `--cache-recheck` (so another instance's or the CLI's writes are seen within that time).

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use super::AppState;
use super::error::AppError;
use crate::registry::organisation;

pub struct Revisions {
    recheck: Duration,
    /// Known organisations only: an unknown slug is read every time, so that requests for made-up
    /// names cannot fill this map.
    seen: RwLock<HashMap<String, Seen>>,
}

#[derive(Clone, Copy)]
struct Seen {
    revision: i32,
    at: Instant,
    /// The pool's commit count before the revision was read.
    commits: u64,
}

impl Revisions {
    pub fn new(recheck: Duration) -> Self {
        Revisions {
            recheck,
            seen: RwLock::default(),
        }
    }

    /// The organisation's current revision; a 404 for an unknown (or retired) slug.
    pub async fn of(&self, state: &AppState, slug: &str) -> Result<i32, AppError> {
        // Read before the revision: a commit after this point makes the next request read again.
        let commits = state.db.commits();
        if let Some(seen) = self.seen.read().ok().and_then(|m| m.get(slug).copied())
            && seen.commits == commits
            && seen.at.elapsed() < self.recheck
        {
            return Ok(seen.revision);
        }
        let at = Instant::now();
        let wanted = slug.to_string();
        let revision =
            super::blocking(state, move |conn| organisation::revision(conn, &wanted)).await?;
        if let Ok(mut seen) = self.seen.write() {
            match revision {
                Some(revision) => {
                    seen.insert(
                        slug.to_string(),
                        Seen {
                            revision,
                            at,
                            commits,
                        },
                    );
                }
                None => {
                    seen.remove(slug);
                }
            }
        }
        revision.ok_or_else(|| AppError::NotFound {
            what: format!("organisation '{slug}'"),
        })
    }
}
