//! The cache's cap holds only if a snapshot weighs what it takes: the memory allocated to read
//! an organisation and build its snapshot, counted by this test's allocator, against the
//! snapshot's own estimate (`Snapshot::bytes`, the cache's weigher).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

use crossborder::db::{Database, DatabaseUrl};
use crossborder::registry::{records, seed};
use crossborder::rules::RuleSet;
use crossborder::web::snapshot::Snapshot;

/// The system allocator, counting the bytes held.
struct Counting;

static HELD: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; only the sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        HELD.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        HELD.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        HELD.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn a_snapshot_weighs_about_what_it_holds() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("weight.db").display());
    let db = Database::connect(&DatabaseUrl::parse(&url).unwrap()).unwrap();
    db.migrate().unwrap();
    let mut conn = db.get().unwrap();
    seed::apply(&mut conn, &seed::synthetic("weighed", 300), "test").unwrap();
    let rules = RuleSet::embedded();
    let today = crossborder::date::today();

    // Once to warm what is read once per process (the rules, statement caches).
    drop(Snapshot::build(
        records::load(&mut conn, "weighed").unwrap().unwrap(),
        today,
        rules,
    ));
    let before = HELD.load(Ordering::SeqCst);
    let records = records::load(&mut conn, "weighed").unwrap().unwrap();
    let snapshot = Snapshot::build(records, today, rules);
    let held = (HELD.load(Ordering::SeqCst) - before) as f64;
    let weighed = snapshot.bytes() as f64;
    let ratio = weighed / held;
    assert!(
        (0.8..=1.25).contains(&ratio),
        "the snapshot holds {held} bytes and weighs itself at {weighed} ({ratio:.2})"
    );
}
