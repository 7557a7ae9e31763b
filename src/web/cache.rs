//! Rendered public responses kept in memory. Each remembers the organisation's revision it was
//! rendered from; a write anywhere (this process, a CLI run, another instance) bumps the
//! revision, so the next request renders afresh and replaces the entry.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::RwLock;
use std::time::SystemTime;

use actix_web::web::Bytes;

use crate::registry::listing::Filters;

/// Which rendering of which list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    pub slug: String,
    pub format: &'static str,
    pub filters: Filters,
    /// The site's own address, for formats that print absolute links (Atom).
    pub base: Option<String>,
}

/// One rendered response with its validators.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub body: Bytes,
    pub content_type: &'static str,
    pub etag: String,
    pub last_modified: SystemTime,
    /// The organisation's revision this was rendered from; 0 for static files.
    pub revision: i32,
}

impl Rendered {
    pub fn new(
        body: impl Into<Bytes>,
        content_type: &'static str,
        last_modified: SystemTime,
        revision: i32,
    ) -> Self {
        let body = body.into();
        let mut hasher = DefaultHasher::new();
        body.hash(&mut hasher);
        Rendered {
            etag: format!("{:016x}{:08x}", hasher.finish(), body.len()),
            body,
            content_type,
            last_modified,
            revision,
        }
    }
}

/// Bounded: past this many entries the cache starts over (any date can be asked for).
const CAPACITY: usize = 1024;

#[derive(Default)]
pub struct PageCache {
    entries: RwLock<HashMap<CacheKey, Rendered>>,
}

impl PageCache {
    /// The entry for `key` if it was rendered from `revision`.
    pub fn get(&self, key: &CacheKey, revision: i32) -> Option<Rendered> {
        self.entries
            .read()
            .ok()?
            .get(key)
            .filter(|r| r.revision == revision)
            .cloned()
    }

    pub fn put(&self, key: CacheKey, value: Rendered) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= CAPACITY {
                entries.clear();
            }
            entries.insert(key, value);
        }
    }

    pub fn len(&self) -> usize {
        self.entries.read().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
