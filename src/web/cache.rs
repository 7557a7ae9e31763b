//! What the service keeps in memory between requests: one [`Snapshot`] per organisation
//! revision, and the responses rendered from it (public pages and feeds, repeated API reads),
//! each with its compressed variants. Every key holds the organisation's revision, which every
//! write bumps (in this process, a CLI run or another instance), so the next request after a
//! write builds afresh; what an old revision left is never asked for again and goes first.
//!
//! Bounded by bytes (`--cache-bytes`): the least recently used entries are dropped past the cap.
//! One build per key at a time: requests that find a key being built wait for that build.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;
use moka::future::Cache;
use moka::ops::compute::{CompResult, Op};
use moka::policy::EvictionPolicy;

use super::AppState;
use super::error::AppError;
use super::representation::Rendered;
use super::snapshot::Snapshot;
use super::unfolding::{Body, STREAM_AFTER, Streamed, Unfolding, Writer};
use crate::registry::listing::Filters;

/// Which rendering of which public list.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub slug: String,
    pub format: &'static str,
    pub filters: Filters,
    /// The site's own address, for formats that print absolute links (Atom).
    pub base: Option<String>,
    /// The page of the HTML list (from 1), or the feed's archive (0: the newest entries).
    pub part: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Snapshot {
        slug: String,
        revision: i32,
        today: NaiveDate,
    },
    Page {
        page: PageKey,
        revision: i32,
    },
    Api {
        slug: String,
        revision: i32,
        today: NaiveDate,
        route: &'static str,
        query: String,
    },
}

impl Key {
    /// Whether the key belongs to `slug` at a revision (or for a day) before `revision` and
    /// `today`: once a newer snapshot exists, nobody asks for it again.
    fn superseded(&self, slug: &str, revision: i32, today: NaiveDate) -> bool {
        let (s, r, t) = match self {
            Key::Snapshot {
                slug,
                revision,
                today,
            }
            | Key::Api {
                slug,
                revision,
                today,
                ..
            } => (slug, *revision, Some(*today)),
            Key::Page { page, revision } => (&page.slug, *revision, None),
        };
        s == slug && (r < revision || t.is_some_and(|t| t < today))
    }
}

#[derive(Clone)]
enum Entry {
    Snapshot(Arc<Snapshot>),
    Rendered(Arc<Rendered>),
    /// A body still being written; replaced by its whole rendering once done.
    Unfolding(Arc<Unfolding>),
}

impl Entry {
    fn bytes(&self) -> usize {
        match self {
            Entry::Snapshot(s) => s.bytes(),
            Entry::Rendered(r) => r.bytes(),
            // What it held when kept; its whole is weighed when it takes its place.
            Entry::Unfolding(_) => STREAM_AFTER,
        }
    }
}

/// The memory the responses and snapshots share.
#[derive(Clone)]
pub struct ResponseCache {
    entries: Cache<Key, Entry>,
    counts: Arc<Counts>,
}

#[derive(Default)]
struct Counts {
    renders: AtomicU64,
    snapshots: AtomicU64,
}

impl ResponseCache {
    pub fn new(max_bytes: u64) -> Self {
        // A snapshot dropped from the cache is freed on a thread of its own: tens of thousands
        // of allocations, which would otherwise be freed by whichever request's cache call ran
        // the eviction (often the first request after a write).
        let (janitor, dropped) = std::sync::mpsc::channel::<Arc<Snapshot>>();
        let freeing = std::thread::Builder::new()
            .name("snapshot-janitor".into())
            .spawn(move || dropped.into_iter().for_each(drop));
        if let Err(e) = freeing {
            tracing::warn!("old snapshots are freed by the requests that evict them: {e}");
        }
        ResponseCache {
            entries: Cache::builder()
                .max_capacity(max_bytes)
                .eviction_listener(move |_, entry: Entry, _| {
                    if let Entry::Snapshot(snapshot) = entry {
                        // A closed channel (no janitor) frees it here, as before.
                        let _ = janitor.send(snapshot);
                    }
                })
                .weigher(|_, entry: &Entry| {
                    u32::try_from(entry.bytes().saturating_add(256)).unwrap_or(u32::MAX)
                })
                .eviction_policy(EvictionPolicy::lru())
                .support_invalidation_closures()
                .build(),
            counts: Arc::default(),
        }
    }

    /// The organisation's snapshot at `revision` (read and built once, whoever asks).
    pub async fn snapshot(
        &self,
        state: &AppState,
        slug: &str,
        revision: i32,
    ) -> Result<Arc<Snapshot>, AppError> {
        let today = crate::date::today();
        let key = Key::Snapshot {
            slug: slug.to_string(),
            revision,
            today,
        };
        let build = async {
            let wanted = slug.to_string();
            let started = std::time::Instant::now();
            let records = super::db_two(state, move |first, second| match second {
                Some(second) => crate::registry::records::load_on_two(first, second, &wanted),
                None => crate::registry::records::load(first, &wanted),
            })
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: format!("organisation '{slug}'"),
            })?;
            let read = started.elapsed();
            self.counts.snapshots.fetch_add(1, Ordering::Relaxed);
            let rules = state.rules;
            let snapshot = super::cpu(move || Snapshot::build(records, today, rules))
                .await
                .ok_or_else(|| AppError::internal("building the snapshot panicked"))?;
            tracing::debug!(
                organisation = slug,
                revision,
                read_ms = read.as_millis() as u64,
                built_ms = (started.elapsed() - read).as_millis() as u64,
                "snapshot"
            );
            // What older revisions left is dropped now rather than when the cap is reached: a
            // 10,000-vendor snapshot is tens of megabytes, and each write makes a new one.
            let (slug, entries) = (slug.to_string(), self.entries.clone());
            let superseded = move |k: &Key, _: &Entry| k.superseded(&slug, revision, today);
            if let Err(e) = entries.invalidate_entries_if(superseded) {
                tracing::warn!("older snapshots kept until evicted: {e}");
            }
            Ok::<_, AppError>(Entry::Snapshot(Arc::new(snapshot)))
        };
        match self.entries.try_get_with(key, build).await {
            Ok(Entry::Snapshot(s)) => Ok(s),
            Ok(_) => Err(AppError::internal("a rendering under a snapshot key")),
            Err(e) => Err(AppError::shared(&e)),
        }
    }

    /// A public page's rendering at `revision`, rendered by `render` from the snapshot when
    /// no copy is kept.
    pub async fn page(
        &self,
        state: &AppState,
        page: PageKey,
        revision: i32,
        render: impl FnOnce(&Snapshot) -> Result<Rendered, AppError> + Send + 'static,
    ) -> Result<Arc<Rendered>, AppError> {
        let slug = page.slug.clone();
        self.rendered(state, Key::Page { page, revision }, &slug, revision, render)
            .await
    }

    /// An API read's JSON at `revision` for the route and its query.
    pub async fn api(
        &self,
        state: &AppState,
        (slug, revision): (&str, i32),
        route: &'static str,
        query: &str,
        render: impl FnOnce(&Snapshot) -> Result<Rendered, AppError> + Send + 'static,
    ) -> Result<Arc<Rendered>, AppError> {
        let key = Key::Api {
            slug: slug.to_string(),
            revision,
            today: crate::date::today(),
            route,
            query: query.to_string(),
        };
        self.rendered(state, key, slug, revision, render).await
    }

    async fn rendered(
        &self,
        state: &AppState,
        key: Key,
        slug: &str,
        revision: i32,
        render: impl FnOnce(&Snapshot) -> Result<Rendered, AppError> + Send + 'static,
    ) -> Result<Arc<Rendered>, AppError> {
        if let Some(Entry::Rendered(hit)) = self.entries.get(&key).await {
            return Ok(hit);
        }
        let build = async {
            let snapshot = self.snapshot(state, slug, revision).await?;
            self.counts.renders.fetch_add(1, Ordering::Relaxed);
            let rendered = super::cpu(move || {
                let rendered = render(&snapshot)?;
                rendered.compress_if_small();
                Ok::<_, AppError>(rendered)
            })
            .await
            .ok_or_else(|| AppError::internal("rendering panicked"))??;
            Ok::<_, AppError>(Arc::new(rendered))
        };
        let rendered = match self
            .entries
            .try_get_with(key.clone(), async { build.await.map(Entry::Rendered) })
            .await
        {
            Ok(Entry::Rendered(r)) => r,
            Ok(_) => return Err(AppError::internal("not a whole rendering under its key")),
            Err(e) => return Err(AppError::shared(&e)),
        };
        if rendered.needs_variants() {
            self.compress_later(key, rendered.clone());
        }
        Ok(rendered)
    }

    /// A public list written by `render` onto a [`Writer`]: a long one is sent while it is
    /// written, to every request that asks meanwhile, then kept whole (see [`super::unfolding`]).
    pub async fn streamed(
        &self,
        state: &AppState,
        page: PageKey,
        revision: i32,
        render: impl FnOnce(&Snapshot, &mut Writer) -> Result<(), AppError> + Send + 'static,
    ) -> Result<Body, AppError> {
        let slug = page.slug.clone();
        let key = Key::Page { page, revision };
        let opening = async {
            let snapshot = self.snapshot(state, &slug, revision).await?;
            self.counts.renders.fetch_add(1, Ordering::Relaxed);
            let (opened, opening) = tokio::sync::oneshot::channel();
            let (cache, key) = (self.clone(), key.clone());
            actix_web::rt::spawn(async move {
                let written = super::cpu(move || {
                    let mut writer = Writer::new(opened);
                    let result = render(&snapshot, &mut writer);
                    writer.finish(result)
                })
                .await;
                if let Some(Some(streamed)) = written {
                    cache.keep_whole(key, streamed).await;
                }
            });
            match opening.await {
                Ok(Ok(Body::Whole(rendered))) => Ok(Entry::Rendered(rendered)),
                Ok(Ok(Body::Unfolding(unfolding))) => Ok(Entry::Unfolding(unfolding)),
                Ok(Err(e)) => Err(e),
                Err(_) => Err(AppError::internal("rendering panicked")),
            }
        };
        match self.entries.try_get_with(key.clone(), opening).await {
            Ok(Entry::Rendered(rendered)) => {
                if rendered.needs_variants() {
                    self.compress_later(key, rendered.clone());
                }
                Ok(Body::Whole(rendered))
            }
            Ok(Entry::Unfolding(unfolding)) => Ok(Body::Unfolding(unfolding)),
            Ok(Entry::Snapshot(_)) => Err(AppError::internal("a snapshot under a rendering key")),
            Err(e) => Err(AppError::shared(&e)),
        }
    }

    /// Puts a streamed body's whole rendering in its place, if that body is still the entry
    /// under its key (no newer revision dropped it meanwhile); a failed one is dropped, so
    /// that the next request renders again.
    async fn keep_whole(&self, key: Key, streamed: Streamed) {
        let Streamed { unfolding, whole } = streamed;
        let whole = whole.map(Arc::new);
        let kept = whole.clone();
        let result = self
            .entries
            .entry(key.clone())
            .and_compute_with(|entry| {
                let current = entry.map(|e| e.into_value());
                let op = match (current, kept) {
                    (Some(Entry::Unfolding(u)), Some(whole)) if Arc::ptr_eq(&u, &unfolding) => {
                        Op::Put(Entry::Rendered(whole))
                    }
                    (Some(Entry::Unfolding(u)), None) if Arc::ptr_eq(&u, &unfolding) => Op::Remove,
                    _ => Op::Nop,
                };
                std::future::ready(op)
            })
            .await;
        if let (CompResult::ReplacedWith(_), Some(whole)) = (result, whole) {
            self.compress_later(key, whole);
        }
    }

    /// Makes a large rendering's compressed variants on the blocking pool, off the request path,
    /// then weighs the entry again with them. Requests until then get the identity body.
    fn compress_later(&self, key: Key, rendered: Arc<Rendered>) {
        if !rendered.claim_compression() {
            return;
        }
        let entries = self.entries.clone();
        actix_web::rt::spawn(async move {
            let work = rendered.clone();
            if super::cpu(move || work.compress()).await.is_none() {
                return;
            }
            // Weighed again only if still the entry kept under its key.
            if let Some(Entry::Rendered(kept)) = entries.get(&key).await
                && Arc::ptr_eq(&kept, &rendered)
            {
                entries.insert(key, Entry::Rendered(rendered)).await;
            }
        });
    }

    /// How many renderings were made (tests: concurrent requests share one).
    pub fn renders(&self) -> u64 {
        self.counts.renders.load(Ordering::Relaxed)
    }

    /// How many snapshots were read from the database.
    pub fn snapshots(&self) -> u64 {
        self.counts.snapshots.load(Ordering::Relaxed)
    }

    /// The entries kept and their weight in bytes, once pending evictions are done.
    pub async fn usage(&self) -> (u64, u64) {
        self.entries.run_pending_tasks().await;
        (self.entries.entry_count(), self.entries.weighted_size())
    }
}
