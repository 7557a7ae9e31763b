//! Snapshots of what users and clients see today: each example organisation's public list (HTML,
//! JSON, CSV, Atom) on fixed dates, the OpenAPI document, and the command line's help and rules.
//! They pin the output so a restructuring cannot change it unnoticed (issue 11, "Nets first").
//! A changed output fails the test; review it with `cargo insta review` and commit the `.snap`
//! only if the change is wanted.
//!
//! Only what depends on the run is filtered: the random port and the instants the rows were
//! written at (Atom `updated`), never the content. For reading, compact JSON is laid out one
//! value per line (keys kept in the server's order) and HTML and Atom get a line break between
//! adjacent tags.

use crate::support::{TestApp, spawn_app};
use assert_cmd::Command;
use chrono::{DateTime, TimeDelta, Utc};

const DATES: [&str; 3] = ["2019-05-23", "2021-01-01", "2026-06-01"];

/// The formats of the public list: (path suffix, snapshot suffix).
const FORMATS: [(&str, &str); 4] = [
    ("", "html"),
    (".json", "json"),
    (".csv", "csv"),
    (".atom", "atom"),
];

/// The test server listens on a random port, which the Atom feed's links name.
const PORT: (&str, &str) = (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]");

/// How every snapshot here is named and stored: by its own name alone (no module prefix, no
/// expression), in `tests/snapshots/`, where they were before the tests became one binary.
fn pinned() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.set_snapshot_path("../snapshots");
    settings
}

/// The Atom `updated` instants that fall within the run: the seed writes the rows when the app
/// starts, so they are the time of the test, not of the data. Any other instant (an announced
/// date, midnight) is kept.
fn redact_run_instants(atom: &str, run: (DateTime<Utc>, DateTime<Utc>)) -> String {
    let mut out = String::with_capacity(atom.len());
    let mut rest = atom;
    while let Some(start) = rest.find("<updated>") {
        let value_start = start + "<updated>".len();
        let end = value_start + rest[value_start..].find("</updated>").expect("closed");
        let value = &rest[value_start..end];
        let at = DateTime::parse_from_rfc3339(value).expect("an RFC 3339 instant");
        out.push_str(&rest[..value_start]);
        if (run.0..=run.1).contains(&at.with_timezone(&Utc)) {
            out.push_str("[written during the run]");
        } else {
            out.push_str(value);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Compact JSON laid out one value per line, keys in the order the server wrote them (parsing
/// into `serde_json::Value` would sort them and hide a change of order).
fn pretty_json(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut chars = compact.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                // An empty object or list stays on its line.
                if matches!(chars.peek(), Some('}' | ']')) {
                    out.push(chars.next().expect("peeked"));
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

/// HTML with a line break between adjacent tags, so a change shows as a changed line rather
/// than one changed line of the whole page (the server writes no whitespace between tags).
fn html_lines(html: &str) -> String {
    html.replace("><", ">\n<")
}

/// The status, content type and body of one answer, laid out for reading.
async fn answer(app: &TestApp, path: &str, kind: &str) -> String {
    let response = app.get(path).await;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().expect("ASCII").to_string())
        .unwrap_or_default();
    let cache_control = response
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().expect("ASCII").to_string())
        .unwrap_or_default();
    let body = response.text().await.expect("a body");
    assert_eq!(status, 200, "GET {path}");
    let body = match kind {
        "json" => pretty_json(&body),
        "html" | "atom" => html_lines(&body),
        _ => body,
    };
    format!(
        "GET {path}\nstatus: {status}\ncontent-type: {content_type}\ncache-control: {cache_control}\n\n{body}"
    )
}

/// Every format of one organisation's public list on each date.
async fn public_lists(slug: &str) {
    // Whole seconds: the feed drops the fraction.
    let started = Utc::now() - TimeDelta::seconds(1);
    let app = spawn_app().await;
    let mut settings = pinned();
    settings.add_filter(PORT.0, PORT.1);
    // The chain's hashes cover the moment each entry was recorded: this run's.
    settings.add_filter(r"\b[0-9a-f]{64}\b", "[sha256]");
    for date in DATES {
        for (suffix, kind) in FORMATS {
            let path = format!("/{slug}/subprocessors{suffix}?as_of={date}");
            let mut text = answer(&app, &path, kind).await;
            if kind == "atom" {
                text = redact_run_instants(&text, (started, Utc::now()));
            }
            settings.bind(|| {
                insta::assert_snapshot!(format!("public__{slug}__{date}__{kind}"), text);
            });
        }
    }
}

#[actix_web::test]
async fn arturia_public_lists() {
    public_lists("arturia").await;
}

#[actix_web::test]
async fn jamendo_public_lists() {
    public_lists("jamendo").await;
}

#[actix_web::test]
async fn qobuz_public_lists() {
    public_lists("qobuz").await;
}

#[actix_web::test]
async fn qtrax_public_lists() {
    public_lists("qtrax").await;
}

#[actix_web::test]
async fn spotify_public_lists() {
    public_lists("spotify").await;
}

#[actix_web::test]
async fn openapi_document() {
    let app = spawn_app().await;
    let response = app.get("/api/openapi.json").await;
    assert_eq!(response.status(), 200);
    let body = response.text().await.expect("a body");
    pinned().bind(|| {
        insta::assert_snapshot!("api__openapi", pretty_json(&body));
    });
}

// --- The command line ---

/// The binary's stdout for these arguments, which must succeed. The environment is emptied:
/// clap shows the value of a set variable (DATABASE_URL, BIND, ...) in the help.
fn stdout(args: &[&str]) -> String {
    let output = Command::cargo_bin("crossborder")
        .expect("the binary is built")
        .env_clear()
        .args(args)
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "crossborder {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

/// Snapshots the binary's stdout for these arguments, and returns it.
fn cli_snapshot(name: &str, args: &[&str]) -> String {
    let out = stdout(args);
    let text = format!("$ crossborder {}\n\n{out}", args.join(" "));
    pinned().bind(|| {
        insta::assert_snapshot!(format!("cli__{name}"), text);
    });
    out
}

#[test]
fn cli_rules_as_json() {
    for date in ["2024-01-01", "2020-01-01"] {
        let out = stdout(&["rules", "--json", "--as-of", date]);
        let text = format!(
            "$ crossborder rules --json --as-of {date}\n\n{}",
            pretty_json(&out)
        );
        pinned().bind(|| {
            insta::assert_snapshot!(format!("cli__rules_json__{date}"), text);
        });
    }
}

#[test]
fn cli_rules_as_text() {
    cli_snapshot(
        "rules_text__2024-01-01",
        &["rules", "--as-of", "2024-01-01"],
    );
}

/// The subcommands a help text lists under "Commands:" (`help` aside).
fn subcommands(help: &str) -> Vec<String> {
    let Some(list) = help.split("Commands:\n").nth(1) else {
        return Vec::new();
    };
    list.split("\n\n")
        .next()
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// `--help` of the binary and of every subcommand, nested ones included, found by walking the
/// help itself: a new subcommand gets a snapshot of its own (and fails until it is accepted).
#[test]
fn cli_help() {
    let mut pending = vec![Vec::<String>::new()];
    let mut walked = Vec::new();
    while let Some(path) = pending.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let name = std::iter::once("help")
            .chain(path.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join("__");
        let help = cli_snapshot(&name, &args);
        for sub in subcommands(&help) {
            let mut next = path.clone();
            next.push(sub);
            pending.push(next);
        }
        walked.push(path.join(" "));
    }
    // The walk itself is pinned too, so a help that no longer parses cannot pass as empty.
    walked.sort();
    assert_eq!(walked.len(), 30, "{walked:?}");
}
