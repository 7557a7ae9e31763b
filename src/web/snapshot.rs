//! One organisation's records at one revision, read once and shared (an `Arc`) by the public
//! renderings and every API read until the next write: today's list as published and as known,
//! which vendors are flagged today, and the indexes the API looks vendors up by.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};

use crate::registry::history::{History, end_of, everything};
use crate::registry::records::Records;
use crate::registry::{Registry, Vendor};
use crate::rules::RuleSet;

pub struct Snapshot {
    pub records: Records,
    /// The day it was built for: today's views are computed once.
    pub today: NaiveDate,
    /// Today's list as the public page reads it: recorded by the end of today.
    pub public: Arc<Registry>,
    /// Today's list with everything recorded (the API's default `known_at`).
    pub known: Arc<Registry>,
    /// For each vendor of `known`, by position: whether a transfer of it is flagged today.
    pub known_flagged: Vec<bool>,
    /// For each vendor as last edited (`records.current`): flagged today (the lookup's answer).
    pub current_flagged: Vec<bool>,
    /// Positions in `known.vendors`, by key.
    by_key: HashMap<String, usize>,
    /// Positions in `known.vendors` in the API's order, by name then key.
    pub order: Vec<usize>,
    lookup: Lookup,
    bytes: usize,
}

impl Snapshot {
    pub fn build(records: Records, today: NaiveDate, rules: &'static RuleSet) -> Snapshot {
        let exporter = records.organisation.country;
        let flagged = |v: &Vendor| {
            v.transfers
                .iter()
                .any(|t| v.assess(t, exporter, rules, today).flagged)
        };
        // The indexes over the vendors as last edited are built on a second thread meanwhile:
        // this runs after every write, and a large organisation makes it a tenth of a second.
        let (public, known, (lookup, current_flagged)) = std::thread::scope(|scope| {
            let current = scope.spawn(|| {
                let flags: Vec<bool> = records.current.iter().map(flagged).collect();
                (Lookup::new(&records.current), flags)
            });
            let public = Arc::new(records.published(today, end_of(today)));
            let known = if records.nothing_from(end_of(today)) {
                public.clone()
            } else {
                Arc::new(records.published(today, everything()))
            };
            let current = match current.join() {
                Ok(built) => built,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            (public, known, current)
        });
        let known_flagged = known.vendors.iter().map(flagged).collect();
        let by_key = (known.vendors.iter().enumerate())
            .map(|(i, v)| (v.key.clone(), i))
            .collect();
        let mut order: Vec<usize> = (0..known.vendors.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&known.vendors[a], &known.vendors[b]);
            (&a.name, &a.key).cmp(&(&b.name, &b.key))
        });
        let mut snapshot = Snapshot {
            records,
            today,
            public,
            known,
            known_flagged,
            current_flagged,
            by_key,
            order,
            lookup,
            bytes: 0,
        };
        snapshot.bytes = snapshot.weigh();
        snapshot
    }

    /// The registry as published on `as_of` as known before `known_before`: today's from
    /// memory, another day's computed from the records (the same computation as a fresh read).
    pub fn registry(&self, as_of: NaiveDate, known_before: NaiveDateTime) -> Arc<Registry> {
        match (as_of == self.today, known_before) {
            (true, k) if k == end_of(self.today) => self.public.clone(),
            (true, k) if k == everything() => self.known.clone(),
            _ => Arc::new(self.records.published(as_of, known_before)),
        }
    }

    /// Today's vendor (everything known) with this key, and its position.
    pub fn known_vendor(&self, key: &str) -> Option<(usize, &Vendor)> {
        let i = *self.by_key.get(key)?;
        Some((i, &self.known.vendors[i]))
    }

    /// Positions in `records.current` of the vendors whose website is on `domain` (or one of
    /// its subdomains) or whose name holds `name` (lowercase), in the records' order.
    pub fn lookup(&self, domain: Option<&str>, name: Option<&str>) -> Vec<usize> {
        self.lookup.find(domain, name)
    }

    /// The memory it holds, estimated.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    fn weigh(&self) -> usize {
        let vendors = |r: &Registry| {
            (r.vendors.iter())
                .map(|v| {
                    std::mem::size_of::<Vendor>()
                        + v.purpose.len()
                        + v.name.len() * 2
                        + (v.transfers.len() + v.ended_transfers.len()) * 512
                        + v.certifications.len() * 256
                })
                .sum::<usize>()
                + r.changes.len() * 512
        };
        // A version costs about 600 bytes in all (its parsed body, its place in the indexes; an
        // organisation's history keeps no stored text), as measured on the synthetic
        // organisations (tests/snapshot_weight.rs keeps this honest).
        // A registry shares the records' versions unless it read fewer of them.
        let versions = |h: &Arc<History>| {
            if Arc::ptr_eq(h, &self.records.history) {
                0
            } else {
                h.len() * 600
            }
        };
        let history = &self.records.history;
        let all_versions = history.len() * 600;
        let known = if Arc::ptr_eq(&self.public, &self.known) {
            0
        } else {
            vendors(&self.known) + versions(&self.known.history)
        };
        let current: usize = (self.records.current.iter())
            .map(|v| std::mem::size_of::<Vendor>() + v.purpose.len() + v.transfers.len() * 512)
            .sum();
        current
            + all_versions
            + vendors(&self.public)
            + versions(&self.public.history)
            + known
            + self.lookup.bytes()
    }
}

/// The lookup's indexes over the vendors as last edited.
struct Lookup {
    /// Each website host and every parent domain of it (`eu.stripe.com`, `stripe.com`, `com`),
    /// with the vendors on it.
    hosts: HashMap<String, Vec<usize>>,
    /// Each vendor's name in lowercase.
    names: Vec<String>,
    /// Each three-character piece of a lowercase name, with the vendors whose name holds it.
    trigrams: HashMap<[char; 3], Vec<usize>>,
}

impl Lookup {
    fn new(vendors: &[Vendor]) -> Lookup {
        let mut hosts: HashMap<String, Vec<usize>> = HashMap::new();
        let mut trigrams: HashMap<[char; 3], Vec<usize>> = HashMap::new();
        let mut names = Vec::with_capacity(vendors.len());
        for (i, v) in vendors.iter().enumerate() {
            if let Some(host) = v.website.as_deref().map(host) {
                let mut rest = host.as_str();
                loop {
                    hosts.entry(rest.to_string()).or_default().push(i);
                    match rest.split_once('.') {
                        Some((_, parent)) => rest = parent,
                        None => break,
                    }
                }
            }
            let name = v.name.to_lowercase();
            let chars: Vec<char> = name.chars().collect();
            for w in chars.windows(3) {
                let list = trigrams.entry([w[0], w[1], w[2]]).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
            names.push(name);
        }
        Lookup {
            hosts,
            names,
            trigrams,
        }
    }

    fn find(&self, domain: Option<&str>, name: Option<&str>) -> Vec<usize> {
        let mut found: Vec<usize> = domain
            .and_then(|d| self.hosts.get(d))
            .cloned()
            .unwrap_or_default();
        if let Some(name) = name {
            let chars: Vec<char> = name.chars().collect();
            // The vendors holding the query's rarest piece, then each checked whole; a query
            // shorter than a piece reads every name.
            let candidates: Vec<usize> = if chars.len() >= 3 {
                chars
                    .windows(3)
                    .map(|w| {
                        self.trigrams
                            .get(&[w[0], w[1], w[2]])
                            .map_or(&[][..], Vec::as_slice)
                    })
                    .min_by_key(|list| list.len())
                    .unwrap_or(&[])
                    .to_vec()
            } else {
                (0..self.names.len()).collect()
            };
            found.extend(
                candidates
                    .into_iter()
                    .filter(|&i| self.names[i].contains(name)),
            );
        }
        found.sort_unstable();
        found.dedup();
        found
    }

    fn bytes(&self) -> usize {
        let hosts: usize = (self.hosts.iter())
            .map(|(h, list)| h.len() + list.len() * 8 + 64)
            .sum();
        let names: usize = self.names.iter().map(|n| n.len() + 24).sum();
        hosts
            + names
            + self
                .trigrams
                .values()
                .map(|l| l.len() * 8 + 48)
                .sum::<usize>()
    }
}

/// A website's host, lowercase, without `www.`: what a lookup by domain compares.
pub fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest
        .split(['/', '?', '#', ':'])
        .next()
        .unwrap_or("")
        .to_lowercase();
    host.trim_start_matches("www.").to_string()
}
