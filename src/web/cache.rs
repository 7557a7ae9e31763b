//! Rendered public responses kept in memory, dropped on any write to their organisation.

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
    pub fn get(&self, key: &CacheKey) -> Option<Rendered> {
        self.entries.read().ok()?.get(key).cloned()
    }

    pub fn put(&self, key: CacheKey, value: Rendered) {
        if let Ok(mut entries) = self.entries.write() {
            if entries.len() >= CAPACITY {
                entries.clear();
            }
            entries.insert(key, value);
        }
    }

    /// Drops every rendering of one organisation's list: call after any write to it.
    pub fn invalidate(&self, slug: &str) {
        if let Ok(mut entries) = self.entries.write() {
            entries.retain(|k, _| k.slug != slug);
        }
    }

    /// Drops everything (the organisation list on `/` depends on all of them).
    pub fn clear(&self) {
        if let Ok(mut entries) = self.entries.write() {
            entries.clear();
        }
    }

    pub fn len(&self) -> usize {
        self.entries.read().map(|e| e.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
