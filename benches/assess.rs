//! Assessing a batch of one million mixed transfers for exporters under the three regimes
//! (EU/EEA, UK, Swiss) and outside them: the regime is chosen inside the loop. Each assessment
//! can write its reason and hints when asked (they are not kept as text); a second run writes
//! every one of them. Goal (issue 16): under 0.25 s on one core. Run: `cargo bench --bench assess`.

use std::hint::black_box;

use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

use crossborder::rules::{
    Assessment, Certified, Claim, CountryCode, Facts, Parts, RuleSet, ScopeExclusion, assess,
};

const BATCH: usize = 1_000_000;

/// A small deterministic generator, so every run assesses the same batch.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

fn batch(rules: &RuleSet) -> Vec<(Facts, NaiveDate)> {
    let exporters = [
        "FR", "DE", "SE", "LU", "IE", "NO", "GB", "HR", "PL", "US", "CH", "GB", "CH", "LI",
    ];
    let importers = [
        "US", "IN", "JP", "GB", "CH", "BR", "DE", "CA", "KR", "CN", "IO-EPO", "NO", "AU",
    ];
    let mechanisms: Vec<_> = rules
        .mechanisms()
        .map(|m| rules.mechanism_id(m.id()).unwrap())
        .collect();
    let exclusions: Vec<ScopeExclusion> = ScopeExclusion::all().collect();
    let frameworks: Vec<_> = ["safe_harbour", "privacy_shield", "dpf"]
        .iter()
        .map(|f| rules.framework_id(f).unwrap())
        .collect();
    let start = NaiveDate::from_ymd_opt(1996, 1, 1).unwrap();
    let mut rng = Lcg(42);
    (0..BATCH)
        .map(|_| {
            let mut facts = Facts::new(
                CountryCode::parse(exporters[rng.next(exporters.len())]).unwrap(),
                CountryCode::parse(importers[rng.next(importers.len())]).unwrap(),
            );
            for _ in 0..rng.next(3) {
                let signed = (rng.next(2) == 0)
                    .then(|| start + chrono::Duration::days(rng.next(11_000) as i64));
                facts.claims.push(Claim {
                    mechanism: mechanisms[rng.next(mechanisms.len())],
                    signed,
                });
            }
            if rng.next(3) == 0 {
                let parts = match rng.next(3) {
                    0 => Parts::ALL,
                    n => Parts::of(n),
                };
                facts.certified.push(Certified {
                    framework: frameworks[rng.next(frameworks.len())],
                    parts,
                });
            }
            if rng.next(8) == 0 {
                facts
                    .outside_scope
                    .push(exclusions[rng.next(exclusions.len())]);
            }
            facts.tia = rng.next(2) == 0;
            facts.processing_changed = rng.next(10) == 0;
            (
                facts,
                start + chrono::Duration::days(rng.next(11_300) as i64),
            )
        })
        .collect()
}

/// Assesses every transfer and reads what `read` takes of each (so nothing is optimised away).
fn run(
    transfers: &[(Facts, NaiveDate)],
    rules: &RuleSet,
    read: impl Fn(&Assessment<'_>) -> usize,
) -> usize {
    let mut total = 0usize;
    for (facts, as_of) in transfers {
        let a = assess(black_box(facts), rules, *as_of);
        total += a.flagged as usize + read(&a);
        black_box(&a);
    }
    total
}

/// The verdict and its references: the reasons and hints stay unwritten.
fn verdicts(a: &Assessment<'_>) -> usize {
    a.references.len() % 2
}

/// Every reason and hint written out, as a full export would.
fn written(a: &Assessment<'_>) -> usize {
    let (reason, hints) = a.words();
    reason.len() % 2 + hints.len() % 2
}

/// CPU time of this thread: on a shared machine, wall time counts the other processes too.
fn thread_cpu_time() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `t` is a valid timespec for the call to write into.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

fn one_million(c: &mut Criterion) {
    let rules = RuleSet::embedded();
    let transfers = batch(rules);
    let mut group = c.benchmark_group("assess");
    group.sample_size(10);
    group.bench_function("1M mixed transfers", |b| {
        b.iter(|| run(&transfers, rules, verdicts))
    });
    for (name, read) in [
        (
            "1M mixed transfers, thread CPU time",
            verdicts as fn(&Assessment<'_>) -> usize,
        ),
        ("1M mixed transfers, every reason and hint written", written),
    ] {
        group.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                let start = thread_cpu_time();
                for _ in 0..iterations {
                    black_box(run(&transfers, rules, read));
                }
                thread_cpu_time() - start
            })
        });
    }
    group.finish();
}

criterion_group!(benches, one_million);
criterion_main!(benches);
