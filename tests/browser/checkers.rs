//! The two outside checkers every page people use must pass: the Nu HTML Checker (vnu.jar, run
//! once over all saved pages in one JVM) and axe-core (injected into the page in headless
//! Chromium). Both come from the npm registry (`vnu-jar`, `axe-core`); `.ci/run` installs them
//! under `target/checkers/`. Without them (or without Java) the test says so and passes, unless
//! `CROSSBORDER_REQUIRE_BROWSER=1` (CI), where a missing checker fails it.

use std::path::{Path, PathBuf};
use std::process::Command;

use fantoccini::Client;
use serde_json::{Value, json};

use crate::chromium::browser_required;

/// Where `.ci/run` installs the npm packages.
fn installed(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/checkers/node_modules")
        .join(relative)
}

/// A file named by an environment variable, or the installed one; `None` when neither exists.
fn tool_file(variable: &str, relative: &str) -> Option<PathBuf> {
    let path = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| installed(relative));
    path.is_file().then_some(path)
}

/// The checkers' files and the Java that runs vnu.jar.
pub struct Checkers {
    pub vnu_jar: PathBuf,
    pub axe_source: String,
    java: PathBuf,
}

fn java() -> Option<PathBuf> {
    if let Some(home) = std::env::var_os("JAVA_HOME") {
        let java = Path::new(&home).join("bin/java");
        if java.is_file() {
            return Some(java);
        }
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("java"))
        .find(|candidate| candidate.is_file())
}

/// The checkers, or `None` after saying what is missing. Panics when the browser tests are
/// required (CI) and a checker is missing.
pub fn checkers_or_skip() -> Option<Checkers> {
    let vnu = tool_file("CROSSBORDER_VNU_JAR", "vnu-jar/build/dist/vnu.jar");
    let axe = tool_file("CROSSBORDER_AXE_JS", "axe-core/axe.min.js");
    let java = java();
    let mut missing = Vec::new();
    if vnu.is_none() {
        missing.push("vnu.jar (npm package vnu-jar, or CROSSBORDER_VNU_JAR)");
    }
    if axe.is_none() {
        missing.push("axe.min.js (npm package axe-core, or CROSSBORDER_AXE_JS)");
    }
    if java.is_none() {
        missing.push("java (a Java 11+ runtime for vnu.jar)");
    }
    if !missing.is_empty() {
        let message = format!(
            "skipped: {} not found; install them with \
             `npm install --prefix target/checkers vnu-jar axe-core` (as .ci/run does)",
            missing.join(", ")
        );
        assert!(
            !browser_required(),
            "CROSSBORDER_REQUIRE_BROWSER=1 but {message}"
        );
        println!("{message}");
        return None;
    }
    let axe = axe.expect("checked above");
    Some(Checkers {
        vnu_jar: vnu.expect("checked above"),
        axe_source: std::fs::read_to_string(&axe)
            .unwrap_or_else(|e| panic!("{} cannot be read: {e}", axe.display())),
        java: java.expect("checked above"),
    })
}

/// One message of the Nu checker about a saved page.
#[derive(Debug)]
pub struct NuMessage {
    pub file: String,
    pub kind: String,
    pub line: Option<u64>,
    pub message: String,
    pub extract: String,
}

impl std::fmt::Display for NuMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{} {}: {} [{}]",
            self.file,
            self.line.map(|l| l.to_string()).unwrap_or_default(),
            self.kind,
            self.message,
            self.extract.trim()
        )
    }
}

impl Checkers {
    /// Runs vnu.jar once over every `.html` file in `dir`: its errors and warnings (info
    /// messages are left out).
    pub fn nu_messages(&self, dir: &Path) -> Vec<NuMessage> {
        let output = Command::new(&self.java)
            // Long pages need a deeper stack than vnu's documented minimum of 512k.
            .args(["-Xss16m", "-jar"])
            .arg(&self.vnu_jar)
            .args(["--format", "json", "--also-check-css", "--skip-non-html"])
            .arg(dir)
            .output()
            .unwrap_or_else(|e| panic!("cannot run java -jar {}: {e}", self.vnu_jar.display()));
        // vnu writes its report to stderr, and exits 1 when it found errors.
        let report: Value = serde_json::from_slice(&output.stderr).unwrap_or_else(|e| {
            panic!(
                "vnu.jar did not report JSON ({e}; {}): {}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        });
        report["messages"]
            .as_array()
            .expect("vnu's messages")
            .iter()
            .filter_map(|m| {
                let kind = match (m["type"].as_str(), m["subType"].as_str()) {
                    (Some("error"), _) => "error",
                    (Some("non-document-error"), _) => "error",
                    (Some("info"), Some("warning")) => "warning",
                    _ => return None,
                };
                let file = m["url"]
                    .as_str()
                    .and_then(|u| u.rsplit('/').next())
                    .unwrap_or("?")
                    .to_string();
                Some(NuMessage {
                    file,
                    kind: kind.to_string(),
                    line: m["lastLine"].as_u64(),
                    message: m["message"].as_str().unwrap_or("").to_string(),
                    extract: m["extract"].as_str().unwrap_or("").to_string(),
                })
            })
            .collect()
    }

    /// Shows axe-core finds what it should: an image without a text alternative added to the
    /// page is reported, then removed.
    pub async fn axe_catches_a_known_fault(&self, client: &Client) {
        client
            .execute(
                "const i = document.createElement('img'); i.id = 'known-fault'; \
                 i.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; document.body.append(i);",
                vec![],
            )
            .await
            .expect("the known fault is added");
        let found = self.axe_violations(client).await;
        assert!(
            found.iter().any(|v| v.starts_with("image-alt")),
            "axe-core reports an image without alt: {found:?}"
        );
        client
            .execute("document.getElementById('known-fault').remove();", vec![])
            .await
            .expect("the known fault is removed");
    }

    /// Runs axe-core on the page the browser shows: its violations, one line each, with the
    /// first elements concerned. Rules: WCAG 2.1 A and AA, and axe's best practices (landmarks,
    /// headings).
    pub async fn axe_violations(&self, client: &Client) -> Vec<String> {
        let loaded = client
            .execute(&format!("{}\n;return typeof axe;", self.axe_source), vec![])
            .await
            .expect("axe-core is injected");
        assert_eq!(loaded, json!("object"), "axe-core loaded in the page");
        let result = client
            .execute_async(
                r#"const done = arguments[arguments.length - 1];
                axe.run(document, {
                    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
                    resultTypes: ['violations'],
                }).then(r => done(r.violations.map(v =>
                    `${v.id} (${v.impact}): ${v.help}: ` +
                    v.nodes.slice(0, 4).map(n => n.target.join(' ')).join(' | ') +
                    (v.nodes.length > 4 ? ` and ${v.nodes.length - 4} more` : '')
                )), e => done(['axe failed: ' + e]));"#,
                vec![],
            )
            .await
            .expect("axe-core runs");
        result
            .as_array()
            .expect("a list of violations")
            .iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect()
    }
}
