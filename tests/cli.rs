//! The `crossborder` binary as users run it: `assess` and `rules`, their output and their errors.

use assert_cmd::Command;
use serde_json::Value;

#[path = "cli/import_vendors.rs"]
mod import_vendors;

fn crossborder(args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("crossborder")
        .unwrap()
        .args(args)
        .assert()
}

fn json(args: &[&str]) -> Value {
    let out = crossborder(args).success().get_output().stdout.clone();
    serde_json::from_slice(&out).expect("stdout is one JSON document")
}

/// Bad input: exit 2, a message on stderr naming the problem, nothing on stdout.
fn refused(args: &[&str], expected: &[&str]) {
    let assert = crossborder(args).code(2);
    let output = assert.get_output();
    assert!(
        output.stdout.is_empty(),
        "stdout should be empty: {:?}",
        String::from_utf8_lossy(&output.stdout)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    for needle in expected {
        assert!(
            stderr.contains(needle),
            "stderr lacks {needle:?}:\n{stderr}"
        );
    }
}

#[test]
fn assess_json_is_one_object_with_the_contract_keys() {
    let v = json(&[
        "assess",
        "--exporter",
        "fr",
        "--importer",
        "us",
        "--mechanism",
        "privacy_shield",
        "--as-of",
        "2021-01-01",
        "--json",
    ]);
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "flagged",
            "hints",
            "mechanism",
            "reason",
            "references",
            "regime",
            "severity",
            "verdict"
        ]
    );
    assert_eq!(v["regime"], "eu");
    assert_eq!(v["verdict"], "unsafeguarded");
    assert_eq!(v["flagged"], true);
    assert_eq!(v["severity"], "critical");
    assert_eq!(
        v["reason"],
        "[EU/EEA law] The EU-US Privacy Shield was invalidated on 2020-07-16 (CJEU C-311/18)."
    );
    assert_eq!(v["mechanism"], Value::Null);
    assert!(
        v["references"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["rule"] == "privacy_shield")
    );
}

#[test]
fn assess_certified_privacy_shield_in_2019_is_adequate() {
    let v = json(&[
        "assess",
        "--exporter",
        "FR",
        "--importer",
        "US",
        "--mechanism",
        "privacy_shield",
        "--certified",
        "privacy_shield",
        "--as-of",
        "2019-05-23",
        "--json",
    ]);
    assert_eq!(v["verdict"], "adequate");
    assert_eq!(v["flagged"], false);
    assert_eq!(v["mechanism"], "privacy_shield");
}

#[test]
fn dpf_claimed_without_certification_is_unsafeguarded_and_says_why() {
    let v = json(&[
        "assess",
        "--exporter",
        "DE",
        "--importer",
        "US",
        "--mechanism",
        "dpf",
        "--as-of",
        "2024-03-01",
        "--json",
    ]);
    assert_eq!(v["verdict"], "unsafeguarded");
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("not recorded as certified"),
        "{}",
        v["reason"]
    );

    let v = json(&[
        "assess",
        "--exporter",
        "DE",
        "--importer",
        "US",
        "--dpf-certified",
        "--as-of",
        "2024-03-01",
        "--json",
    ]);
    assert_eq!(v["verdict"], "adequate");
}

#[test]
fn signing_dates_and_tia_reach_the_engine() {
    let args = [
        "assess",
        "--exporter",
        "DE",
        "--importer",
        "IN",
        "--mechanism",
        "scc_2010:2021-09-26",
        "--as-of",
        "2022-01-01",
        "--json",
    ];
    let v = json(&args);
    assert_eq!(v["verdict"], "safeguarded");
    assert_eq!(v["severity"], "warning");

    let mut with_tia = args.to_vec();
    with_tia.push("--tia");
    assert_eq!(json(&with_tia)["severity"], "ok");

    let mut changed = with_tia.clone();
    changed.push("--processing-changed");
    assert_eq!(json(&changed)["verdict"], "unsafeguarded");

    let late = [
        "assess",
        "--exporter",
        "DE",
        "--importer",
        "IN",
        "--mechanism",
        "scc_2010:2021-09-27",
        "--as-of",
        "2022-01-01",
        "--json",
    ];
    assert_eq!(json(&late)["verdict"], "unsafeguarded");
}

#[test]
fn assess_without_json_prints_a_short_human_answer() {
    let out = crossborder(&[
        "assess",
        "--exporter",
        "FR",
        "--importer",
        "IN",
        "--mechanism",
        "consent",
        "--as-of",
        "2024-01-01",
    ])
    .success()
    .get_output()
    .stdout
    .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with(
            "Regime:     eu\nVerdict:    derogation only (derogation) — FLAGGED, warning\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("Reason:     [EU/EEA law] Only a derogation is claimed"),
        "{text}"
    );
    assert!(text.contains("GDPR Art. 49(1)(a)"), "{text}");
}

#[test]
fn as_of_defaults_to_today() {
    let v = json(&["assess", "--exporter", "FR", "--importer", "DE", "--json"]);
    assert_eq!(v["verdict"], "intra_eea");
    let today = chrono::Local::now().date_naive().to_string();
    assert!(
        v["reason"].as_str().unwrap().contains(&today),
        "{}",
        v["reason"]
    );
}

#[test]
fn unknown_countries_are_refused() {
    refused(
        &["assess", "--exporter", "FR", "--importer", "XX", "--json"],
        &["--importer", "unknown country code 'XX'"],
    );
    refused(
        &["assess", "--exporter", "UK", "--importer", "US"],
        &["--exporter", "unknown country code 'UK'"],
    );
}

#[test]
fn unknown_mechanisms_are_refused_with_the_valid_ids() {
    refused(
        &[
            "assess",
            "--exporter",
            "FR",
            "--importer",
            "US",
            "--mechanism",
            "sccs",
            "--json",
        ],
        &[
            "--mechanism",
            "unknown mechanism 'sccs'",
            "valid ids:",
            "scc_2021",
            "consent",
            "dpf",
        ],
    );
    refused(
        &[
            "assess",
            "--exporter",
            "FR",
            "--importer",
            "US",
            "--certified",
            "scc_2021",
        ],
        &[
            "--certified",
            "unknown mechanism 'scc_2021'",
            "valid ids: safe_harbour, privacy_shield, dpf",
        ],
    );
}

#[test]
fn malformed_dates_are_refused() {
    refused(
        &[
            "assess",
            "--exporter",
            "FR",
            "--importer",
            "US",
            "--as-of",
            "2024-13-01",
        ],
        &["--as-of", "'2024-13-01' is not a date"],
    );
    refused(
        &[
            "assess",
            "--exporter",
            "FR",
            "--importer",
            "US",
            "--as-of",
            "1/2/2024",
        ],
        &["'1/2/2024' is not a date"],
    );
    refused(
        &[
            "assess",
            "--exporter",
            "FR",
            "--importer",
            "US",
            "--mechanism",
            "scc_2010:2019-02-30",
        ],
        &["--mechanism", "signing date", "'2019-02-30' is not a date"],
    );
    refused(
        &["rules", "--as-of", "tomorrow"],
        &["--as-of", "'tomorrow' is not a date"],
    );
}

#[test]
fn missing_required_flags_are_refused() {
    refused(&["assess", "--exporter", "FR"], &["--importer"]);
    refused(&["assess", "--importer", "US", "--json"], &["--exporter"]);
    refused(
        &["assess", "--exporter", "FR", "--importer", "US", "--as-of"],
        &["--as-of"],
    );
}

#[test]
fn help_explains_every_flag() {
    let out = crossborder(&["assess", "--help"])
        .success()
        .get_output()
        .stdout
        .clone();
    let help = String::from_utf8(out).unwrap();
    for flag in [
        "--exporter",
        "--importer",
        "--mechanism",
        "--certified",
        "--tia",
        "--as-of",
        "--json",
        "--processing-changed",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
    assert!(
        help.contains("compelling_legitimate_interests"),
        "--help lists the mechanism ids"
    );
}

#[test]
fn rules_prints_what_is_in_force_on_the_date() {
    let v = json(&["rules", "--as-of", "2019-05-23", "--json"]);
    assert_eq!(v["as_of"], "2019-05-23");
    let ids = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("frameworks"), ["privacy_shield"]);
    assert!(ids("safeguards").contains(&"scc_2010".to_string()));
    assert!(!ids("safeguards").contains(&"scc_2021".to_string()));
    let adequacy: Vec<&str> = v["adequacy"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["country"].as_str().unwrap())
        .collect();
    assert!(
        adequacy.contains(&"JP") && !adequacy.contains(&"KR"),
        "{adequacy:?}"
    );

    let text = String::from_utf8(
        crossborder(&["rules", "--as-of", "2024-01-01"])
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(text.contains("EU-US Data Privacy Framework"), "{text}");
    assert!(
        text.contains(
            "Commission Implementing Decision (EU) 2023/1795, OJ 2023 L 231, p. 118 [OJ]"
        ),
        "{text}"
    );
}

// --- seed, migrate and serve ----------------------------------------------------------------

fn run(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("crossborder")
        .unwrap()
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn seed_loads_the_examples_once_and_twice_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("seed.db").display());
    let first = run(&["seed", "--database-url", &url]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let first = String::from_utf8(first.stdout).unwrap();
    assert!(first.contains("arturia: created with 9 vendors"), "{first}");
    let second = String::from_utf8(run(&["seed", "--database-url", &url]).stdout).unwrap();
    assert_eq!(
        second
            .lines()
            .filter(|l| l.ends_with(": unchanged"))
            .count(),
        5,
        "{second}"
    );
}

#[test]
fn seed_refuses_a_bad_file_naming_the_file_and_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir(&seeds).unwrap();
    std::fs::write(
        seeds.join("acme.toml"),
        "[organisation]\nslug = \"acme\"\nname = \"Acme\"\nlegal_name = \"Acme SA\"\ncountry = \"FR\"\n\n\
         [[vendor]]\nkey = \"host\"\nname = \"Host\"\nrole = \"processor\"\ncategories = [\"hosting\"]\n\
         purpose = \"Hosting\"\nstatus = \"active\"\n\n  [[vendor.transfer]]\n  country = \"US\"\n  \
         mechanisms = [{ id = \"sccs\" }]\n",
    )
    .unwrap();
    let url = format!("sqlite://{}", dir.path().join("seed.db").display());
    let out = run(&[
        "seed",
        "--dir",
        seeds.to_str().unwrap(),
        "--database-url",
        &url,
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "acme.toml: vendor 'host' transfer 1 field mechanisms[0].id: unknown mechanism 'sccs'"
        ),
        "{stderr}"
    );
}

#[test]
fn a_bad_database_url_or_bind_address_is_refused() {
    let out = run(&[
        "serve",
        "--bind",
        "localhost:eighty",
        "--database-url",
        "sqlite://x.db",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bind / BIND: 'localhost:eighty'"));
    let out = run(&["migrate", "--database-url", "mysql://db/crossborder"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--database-url"));
}

#[test]
fn a_bad_public_url_is_refused_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("x.db").display());
    for (flag, env, shown) in [
        (Some("example.com"), None, "example.com"),
        (
            Some("https://example.com/?a=b"),
            None,
            "https://example.com/?a=b",
        ),
        (None, Some("ftp://example.com"), "ftp://example.com"),
    ] {
        let mut command = Command::cargo_bin("crossborder").unwrap();
        command
            .args(["serve", "--bind", "127.0.0.1:0", "--database-url", &db])
            .env_remove("PUBLIC_URL");
        if let Some(url) = flag {
            command.args(["--public-url", url]);
        }
        if let Some(url) = env {
            command.env("PUBLIC_URL", url);
        }
        let out = command.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{shown}");
        assert!(out.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.starts_with(&format!(
                "crossborder: --public-url / PUBLIC_URL: '{shown}' is not the site's public address ("
            )) && stderr.ends_with("give one such as https://privacy.example.com\n"),
            "{stderr}"
        );
    }
    assert!(
        !dir.path().join("x.db").exists(),
        "refused before the database"
    );
}

/// The binary as an operator runs it: serves on the printed URL, stops cleanly on SIGTERM.
#[test]
fn serve_prints_its_url_answers_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader, Read, Write};

    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("crossborder"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", dir.path().join("serve.db"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    let host = url.trim_start_matches("http://").trim_end_matches('/');

    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET /qtrax/subprocessors.json HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"slug\": \"qtrax\""));

    let pid = child.id().to_string();
    assert!(
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful stop exits 0, got {status:?}");
}

// --- tokens and exit statuses: 2 for bad input, 1 for a failure ------------------------------

fn token_issue(args: &[&str], jwt_secret: Option<&str>) -> std::process::Output {
    let mut command = Command::cargo_bin("crossborder").unwrap();
    command
        .args(["token", "issue", "--sub", "ci", "--scope", "registry:read"])
        .args(args)
        .env_remove("JWT_SECRET")
        .env_remove("JWT_SECRET_FILE");
    if let Some(secret) = jwt_secret {
        command.env("JWT_SECRET", secret);
    }
    command.output().unwrap()
}

#[test]
fn token_issue_needs_a_secret_of_at_least_32_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let short = dir.path().join("short");
    std::fs::write(&short, "short\n").unwrap();
    let good = dir.path().join("good");
    std::fs::write(&good, format!("{}\n", "s".repeat(40))).unwrap();
    let too_short = "crossborder: the JWT secret is 5 bytes long; it must be at least 32 \
                     (generate one with: openssl rand -base64 48)\n";

    for (out, stderr) in [
        (
            token_issue(&[], None),
            "crossborder: set JWT_SECRET or --jwt-secret-file to sign tokens\n",
        ),
        (
            token_issue(&["--jwt-secret-file", short.to_str().unwrap()], None),
            too_short,
        ),
        (token_issue(&[], Some("short")), too_short),
    ] {
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        assert_eq!(String::from_utf8_lossy(&out.stderr), stderr);
    }

    let out = token_issue(&["--jwt-secret-file", good.to_str().unwrap()], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap();
    assert_eq!(token.trim_end().split('.').count(), 3, "{token}");
    assert!(token.ends_with('\n'));
}

#[test]
fn accounts_manage_is_refused_to_a_client_or_token_bound_to_organisations() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("c.db");
    let database = database.to_str().unwrap();
    crossborder(&["seed", "--database-url", database]).success();
    let scope = ["--scope", "accounts:manage", "--org", "arturia"];
    let create = [&["client", "create", "--name", "hr"][..], &scope[..]].concat();
    let create = [&create[..], &["--database-url", database][..]].concat();
    refused(
        &create,
        &["accounts:manage is only for a client of every organisation"],
    );
    let out = Command::cargo_bin("crossborder")
        .unwrap()
        .args(["token", "issue", "--sub", "hr"])
        .args(scope)
        .env("JWT_SECRET", "s".repeat(40))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("every organisation"));
}

#[test]
fn a_failure_exits_1_and_a_missing_database_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let nowhere = dir.path().join("nowhere");
    let url = format!("sqlite://{}", nowhere.join("x.db").display());
    let out = run(&["seed", "--database-url", &url]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "crossborder: directory {} of the database does not exist\n",
            nowhere.display()
        )
    );

    let missing = dir.path().join("missing.db");
    let url = format!("sqlite://{}", missing.display());
    for args in [vec!["export"], vec!["backup", "copy.db"]] {
        let out = run(&[&args[..], &["--database-url", &url]].concat());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("crossborder: no database at {}\n", missing.display())
        );
    }
}

#[test]
fn verify_checks_the_chain_and_names_the_entry_changed_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chain.db");
    let url = format!("sqlite://{}", path.display());
    assert!(run(&["seed", "--database-url", &url]).status.success());
    let ok = run(&["verify", "--database-url", &url]);
    assert!(ok.status.success(), "{ok:?}");
    let said = String::from_utf8_lossy(&ok.stdout).to_string();
    assert!(
        said.contains("arturia: ") && said.contains("chain intact"),
        "{said}"
    );

    // One version edited behind the service's back: a transfer said to go to China.
    use diesel::{Connection, RunQueryDsl, sqlite::SqliteConnection};
    let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    let edited = diesel::sql_query(
        "UPDATE versions SET body = replace(body, '\"US\"', '\"CN\"') \
         WHERE id = (SELECT MIN(id) FROM versions WHERE body LIKE '%\"US\"%')",
    )
    .execute(&mut conn)
    .unwrap();
    assert_eq!(edited, 1);
    let broken = run(&["verify", "--database-url", &url]);
    assert_eq!(broken.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.contains("chain broken at entry") && stderr.contains("changed after it was written"),
        "{stderr}"
    );

    // A downloaded history is checked the same way; a file that is not one is refused.
    let bad = dir.path().join("history.json");
    std::fs::write(&bad, "{\"organisation\": \"x\"}").unwrap();
    assert_eq!(
        run(&["verify", bad.to_str().unwrap()]).status.code(),
        Some(2)
    );
}

// --- regimes (issue 14): dated scenarios beyond the references' own examples ------------------

fn verdict(args: &[&str]) -> (String, String, String) {
    let mut all = vec!["assess"];
    all.extend_from_slice(args);
    all.push("--json");
    let v = json(&all);
    (
        v["regime"].as_str().unwrap_or("none").to_string(),
        v["verdict"].as_str().unwrap().to_string(),
        v["reason"].as_str().unwrap().to_string(),
    )
}

#[test]
fn exporters_in_the_eu_the_eea_the_uk_and_switzerland_are_assessed_under_their_own_law() {
    // An Irish exporter to the US on the DPF's first anniversary, certified for the EU part.
    let (r, v, _) = verdict(&[
        "--exporter",
        "IE",
        "--importer",
        "US",
        "--certified",
        "dpf:eu",
        "--as-of",
        "2024-07-10",
    ]);
    assert_eq!((r.as_str(), v.as_str()), ("eu", "adequate"));
    // An Icelandic exporter to Brazil: the decision does not bind the EEA EFTA states yet.
    let (r, v, _) = verdict(&[
        "--exporter",
        "IS",
        "--importer",
        "BR",
        "--as-of",
        "2026-11-30",
    ]);
    assert_eq!((r.as_str(), v.as_str()), ("eu", "unsafeguarded"));
    // A UK exporter to the same certified importer, EU part only: not covered in the UK.
    let (r, v, reason) = verdict(&[
        "--exporter",
        "GB",
        "--importer",
        "US",
        "--certified",
        "dpf:eu",
        "--as-of",
        "2024-07-10",
    ]);
    assert_eq!((r.as_str(), v.as_str()), ("uk", "unsafeguarded"));
    assert!(reason.contains("UK Extension"), "{reason}");
    // The same UK exporter a year before Brexit: EU law, the bridge does not matter (exporter side).
    let (r, v, _) = verdict(&[
        "--exporter",
        "GB",
        "--importer",
        "FR",
        "--as-of",
        "2020-01-15",
    ]);
    assert_eq!((r.as_str(), v.as_str()), ("eu", "intra_eea"));
    // ... and after: France is adequate for UK law.
    let (r, v, _) = verdict(&[
        "--exporter",
        "GB",
        "--importer",
        "FR",
        "--as-of",
        "2021-01-15",
    ]);
    assert_eq!((r.as_str(), v.as_str()), ("uk", "adequate"));
    let (r, v, _) = verdict(&["--exporter", "gb", "--importer", "gb"]);
    assert_eq!((r.as_str(), v.as_str()), ("uk", "domestic"));
    // A Swiss exporter on old SCCs, one day after the EU's grace and one day after its own.
    let (r, v, _) = verdict(&[
        "--exporter",
        "CH",
        "--importer",
        "IN",
        "--mechanism",
        "scc_2010:2020-03-01",
        "--tia",
        "--as-of",
        "2022-12-28",
    ]);
    assert_eq!((r.as_str(), v.as_str()), ("ch", "safeguarded"));
    let (_, v, _) = verdict(&[
        "--exporter",
        "CH",
        "--importer",
        "IN",
        "--mechanism",
        "scc_2010:2020-03-01",
        "--tia",
        "--as-of",
        "2023-01-01",
    ]);
    assert_eq!(v, "unsafeguarded");
    // A Swiss exporter to the US in the gap between the Privacy Shield and the Swiss-U.S. DPF.
    let (_, v, _) = verdict(&[
        "--exporter",
        "CH",
        "--importer",
        "US",
        "--certified",
        "privacy_shield",
        "--certified",
        "dpf",
        "--as-of",
        "2022-05-01",
    ]);
    assert_eq!(v, "unsafeguarded");
    // A Korean religious organisation: outside the EU decision, safeguarded by the SCCs.
    let (_, v, _) = verdict(&[
        "--exporter",
        "FR",
        "--importer",
        "KR",
        "--outside-scope",
        "kr_religious",
        "--mechanism",
        "scc_2021",
        "--tia",
    ]);
    assert_eq!(v, "safeguarded");
    // A safeguard claimed but not named.
    let (_, v, reason) = verdict(&[
        "--exporter",
        "SE",
        "--importer",
        "US",
        "--mechanism",
        "unnamed_safeguard",
        "--as-of",
        "2024-01-01",
    ]);
    assert_eq!(v, "unverified");
    assert!(reason.contains("claimed but not named"), "{reason}");
    // Nobody governs a US exporter.
    let (r, v, _) = verdict(&["--exporter", "US", "--importer", "FR"]);
    assert_eq!((r.as_str(), v.as_str()), ("none", "out_of_scope"));
}

#[test]
fn invalid_combinations_are_bad_input() {
    refused(
        &["assess", "--exporter", "IO-EPO", "--importer", "US"],
        &[
            "exporter",
            "international organisation",
            "never an exporter",
        ],
    );
    refused(
        &[
            "assess",
            "--exporter",
            "CH",
            "--importer",
            "IN",
            "--mechanism",
            "idta",
        ],
        &["mechanisms", "'idta'", "Swiss law"],
    );
    refused(
        &[
            "assess",
            "--exporter",
            "FR",
            "--importer",
            "JP",
            "--outside-scope",
            "kr_religious",
        ],
        &["outside_scope", "South Korea"],
    );
    refused(
        &[
            "assess",
            "--exporter",
            "FR",
            "--importer",
            "KR",
            "--outside-scope",
            "kr_atheist",
        ],
        &["--outside-scope", "unknown scope condition 'kr_atheist'"],
    );
    refused(
        &[
            "assess",
            "--exporter",
            "GB",
            "--importer",
            "US",
            "--certified",
            "dpf:us",
        ],
        &["--certified", "unknown part 'us'", "eu, uk, ch"],
    );
    refused(
        &["rules", "--regime", "fr"],
        &["--regime", "unknown regime 'fr'", "eu, uk, ch"],
    );
}

#[test]
fn rules_shows_each_regime_and_its_open_points() {
    let uk = json(&["rules", "--regime", "uk", "--as-of", "2024-01-01", "--json"]);
    assert_eq!(uk["regime"], "uk");
    let safeguards: Vec<&str> = uk["safeguards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(
        safeguards.contains(&"idta") && !safeguards.contains(&"scc_2021"),
        "{safeguards:?}"
    );
    assert!(!uk["open_points"].as_array().unwrap().is_empty());
    let ch = json(&["rules", "--regime", "ch", "--as-of", "2024-10-01", "--json"]);
    assert!(
        ch["frameworks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["name"] == "Swiss-U.S. Data Privacy Framework"),
        "{ch}"
    );
    let text = String::from_utf8(
        crossborder(&["rules", "--as-of", "2024-01-01"])
            .success()
            .get_output()
            .stdout
            .clone(),
    )
    .unwrap();
    assert!(text.contains("Open points"), "{text}");
    assert!(text.contains("unnamed_safeguard"), "{text}");
}

// --- organisations ---------------------------------------------------------------------------

#[test]
fn org_create_edit_and_list_with_errors_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("org.db").display());
    let db = ["--database-url", url.as_str()];
    let with_db = |args: &[&'static str]| -> Vec<String> {
        args.iter()
            .map(|s| s.to_string())
            .chain(db.iter().map(|s| s.to_string()))
            .collect()
    };
    let run_args = |args: Vec<String>| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&refs)
    };
    let refused_args = |args: Vec<String>, expected: &[&str]| {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&refs, expected)
    };

    // Every bad field named by its flag, nothing written.
    refused_args(
        with_db(&[
            "org",
            "create",
            "--slug",
            "Acme!",
            "--name",
            "",
            "--country",
            "XX",
            "--website",
            "acme.example",
        ]),
        &[
            "--slug",
            "--name",
            "--legal-name",
            "--country",
            "--website",
            "did you mean https://acme.example?",
        ],
    );
    let out = run_args(with_db(&["org", "list"]));
    assert!(out.status.success());
    assert!(out.stdout.is_empty(), "nothing was created");

    let out = run_args(with_db(&[
        "org",
        "create",
        "--slug",
        "acme",
        "--name",
        "Acme",
        "--legal-name",
        "Acme SAS",
        "--country",
        "fr",
        "--privacy-contact",
        "dpo@acme.example",
    ]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("created\nslug: acme\n"), "{text}");
    assert!(text.contains("country: FR (France)"), "{text}");
    refused_args(
        with_db(&[
            "org",
            "create",
            "--slug",
            "acme",
            "--name",
            "A",
            "--legal-name",
            "A",
            "--country",
            "FR",
        ]),
        &["exists already"],
    );

    let out = run_args(with_db(&[
        "org",
        "edit",
        "acme",
        "--notice-days",
        "14",
        "--website",
        "https://acme.example",
    ]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("saved\n") && text.contains("version: 2"),
        "{text}"
    );
    refused_args(
        with_db(&["org", "edit", "acme", "--notice-days", "400"]),
        &["--notice-days", "between 0 and 365"],
    );
    refused_args(
        with_db(&["org", "edit", "nowhere", "--name", "X"]),
        &["no organisation 'nowhere'"],
    );
    // The publication settings: verdicts and reasons public by default, hints not.
    assert!(
        text.contains("verdicts: public\nreasons: public\nhints: not public\n"),
        "{text}"
    );
    let out = run_args(with_db(&["org", "edit", "acme", "--publish-hints", "yes"]));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("hints: public\n"), "{text}");
    refused_args(
        with_db(&["org", "edit", "acme", "--publish-hints", "maybe"]),
        &["--publish-hints"],
    );
    // Reasons and hints go with the verdicts they explain.
    refused_args(
        with_db(&["org", "edit", "acme", "--publish-verdicts", "no"]),
        &["--publish-reasons", "--publish-hints"],
    );
    let out = run_args(with_db(&["org", "list"]));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "acme\tAcme\tFR\t14 days\tversion 3\n"
    );
    let out = run_args(with_db(&["org", "remove-examples"]));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "no example organisation to retire\n"
    );
}

#[test]
fn serve_no_examples_starts_with_no_organisation() {
    use std::io::{BufRead, BufReader};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("crossborder"))
        .args(["serve", "--bind", "127.0.0.1:0", "--no-examples"])
        .env("DATABASE_URL", &path)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("serving on"), "{line}");
    let pid = child.id().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    child.wait().unwrap();
    let url = format!("sqlite://{}", path.display());
    let out = run(&["org", "list", "--database-url", &url]);
    assert!(out.status.success());
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
