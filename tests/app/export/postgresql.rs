//! Between SQLite and PostgreSQL, both ways, without loss; microseconds kept and said.

use super::{assert_same, export, ok, populated, postgres, refused, run, sqlite, tables};
use diesel::prelude::*;

#[test]
fn sqlite_to_postgresql_and_back_is_lossless() {
    let Some(pg) = postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir, "source.db");
    ok(&["seed", "--database-url", &source]);
    let a = export(&source);
    let file = dir.path().join("registry.json");
    std::fs::write(&file, &a).unwrap();
    let file = file.to_str().unwrap();

    let summary = ok(&["import", file, "--database-url", &pg.url]);
    assert!(
        summary.contains("into the postgresql database"),
        "{summary}"
    );
    assert_same(&a, &export(&pg.url), "SQLite → PostgreSQL");

    // The registry reads back as the seeds say...
    let seeded = ok(&["seed", "--database-url", &pg.url]);
    assert_eq!(
        seeded
            .lines()
            .filter(|l| l.ends_with(": unchanged"))
            .count(),
        5,
        "{seeded}"
    );
    // ...and the sequences are past the ids imported: new rows get fresh ids.
    let extra = ok(&[
        "seed",
        "--synthetic",
        "3",
        "--slug",
        "extra",
        "--database-url",
        &pg.url,
    ]);
    assert!(extra.contains("extra: created with 3 vendors"), "{extra}");
    let p = export(&pg.url);
    let t = tables(&p);
    assert_eq!(t["organisations"].as_array().unwrap().len(), 6);
    assert_eq!(t["organisations"][5]["id"], 6);

    // And back to SQLite, byte for byte.
    let back = dir.path().join("back.json");
    std::fs::write(&back, &p).unwrap();
    let sqlite_again = sqlite(&dir, "again.db");
    ok(&[
        "import",
        back.to_str().unwrap(),
        "--database-url",
        &sqlite_again,
    ]);
    assert_same(&p, &export(&sqlite_again), "PostgreSQL → SQLite");

    // Refused on PostgreSQL too when not empty; --replace works in one transaction.
    refused(
        &["import", file, "--database-url", &pg.url],
        &["6 organisations", "--replace"],
    );
    ok(&["import", file, "--replace", "--database-url", &pg.url]);
    assert_same(&a, &export(&pg.url), "import --replace on PostgreSQL");
    let extra = ok(&[
        "seed",
        "--synthetic",
        "1",
        "--slug",
        "extra",
        "--database-url",
        &pg.url,
    ]);
    assert!(extra.contains("extra: created with 1 vendors"), "{extra}");
}

#[test]
fn postgresql_keeps_microseconds_and_says_so() {
    let Some(pg) = postgres() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir, "source.db");
    populated(&source);
    // crossborder stores whole seconds; a timestamp with nanoseconds (written by hand or by an
    // older version) is what PostgreSQL cannot keep.
    {
        let path = source.trim_start_matches("sqlite://");
        let mut conn = diesel::SqliteConnection::establish(path).unwrap();
        diesel::sql_query("UPDATE api_clients SET created_at = '2026-11-23 05:46:39.123456789'")
            .execute(&mut conn)
            .unwrap();
    }
    let a = export(&source);
    let file = dir.path().join("registry.json");
    std::fs::write(&file, &a).unwrap();
    let out = run(&["import", file.to_str().unwrap(), "--database-url", &pg.url]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let p = export(&pg.url);
    // Only those timestamps differ, cut to microseconds, and each is named on stderr.
    let (ta, tp) = (tables(&a), tables(&p));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tp.keys().collect::<Vec<_>>());
    let mut cut = 0;
    for (name, rows) in &ta {
        for (ra, rp) in rows
            .as_array()
            .unwrap()
            .iter()
            .zip(tp[name].as_array().unwrap())
        {
            for (field, va) in ra.as_object().unwrap() {
                let vp = &rp[field];
                if va != vp {
                    let (sa, sp) = (va.as_str().unwrap(), vp.as_str().unwrap());
                    let at = |s: &str| s.parse::<chrono::NaiveDateTime>().unwrap();
                    let lost = at(sa) - at(sp);
                    assert!(
                        lost > chrono::Duration::zero() && lost < chrono::Duration::microseconds(1),
                        "{name}.{field}: {sa} vs {sp}"
                    );
                    assert!(
                        stderr.contains(&format!("table `{name}`")) && stderr.contains(sa),
                        "{stderr}"
                    );
                    cut += 1;
                }
            }
        }
    }
    assert!(cut > 0, "the fixture has nanosecond timestamps");
    assert!(stderr.contains("PostgreSQL keeps microseconds"), "{stderr}");
}
