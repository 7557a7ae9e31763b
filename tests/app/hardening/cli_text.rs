//! Control characters in what the command line stores: a seed file's text or an argument that
//! becomes stored text is refused with exit status 2 and a message naming the file, the record
//! and the field, or the argument, before the database is touched.

use std::process::{Command, Output};

fn crossborder(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_crossborder"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Exit status 2, nothing on stdout, and each of `expected` on stderr.
fn refused(output: Output, expected: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(output.stdout.is_empty(), "{stderr}");
    for needle in expected {
        assert!(stderr.contains(needle), "{needle:?} in {stderr}");
    }
}

const SEED: &str = r#"
[organisation]
slug = "acme"
name = "Acme"
legal_name = "Acme SA"
country = "FR"

[[vendor]]
key = "host"
name = "Host"
role = "processor"
categories = ["hosting"]
purpose = "Hosting"
status = "active"

  [[vendor.transfer]]
  country = "US"
  notes = "ring \u0007 the bell"
  mechanisms = [{ id = "scc_2021", signed = "2022-01-01" }]
"#;

#[test]
fn a_seed_file_with_a_control_character_is_refused_naming_file_record_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = dir.path().join("seeds");
    std::fs::create_dir(&seeds).unwrap();
    std::fs::write(seeds.join("acme.toml"), SEED).unwrap();
    let url = format!("sqlite://{}", dir.path().join("seed.db").display());
    refused(
        crossborder(&[
            "seed",
            "--dir",
            seeds.to_str().unwrap(),
            "--database-url",
            &url,
        ]),
        &[
            "acme.toml",
            "vendor 'host' transfer 1 field notes: contains the control character U+0007 at position 6",
        ],
    );
    assert!(!dir.path().join("seed.db").exists(), "nothing was written");
}

#[test]
fn arguments_that_become_stored_text_refuse_control_characters() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "user",
                "create",
                "--email",
                "eve\u{1b}@example.com",
                "--role",
                "viewer",
            ],
            "--email: contains the control character U+001B at position 4",
        ),
        (
            &[
                "user",
                "create",
                "--email",
                "eve@example.com",
                "--role",
                "viewer",
                "--org",
                "arturia\u{7}:editor",
            ],
            "--org: contains the control character U+0007",
        ),
        (
            &[
                "user",
                "memberships",
                "--email",
                "eve@example.com",
                "--org",
                "arturia:editor\u{8}",
            ],
            "--org: contains the control character U+0008",
        ),
        (
            &[
                "client",
                "create",
                "--name",
                "Tool\u{7f}",
                "--scope",
                "registry:read",
            ],
            "--name: contains the control character U+007F at position 5",
        ),
        (
            &["client", "revoke", "cb_\u{1b}"],
            "CLIENT_ID: contains the control character U+001B",
        ),
        (
            &[
                "token",
                "issue",
                "--sub",
                "tool\nline",
                "--scope",
                "registry:read",
            ],
            "--sub: contains the control character U+000A at position 5 (this field is one line)",
        ),
    ];
    for (args, expected) in cases {
        let mut args = args.to_vec();
        if args[0] != "token" {
            args.extend(["--database-url", &url]);
        }
        refused(crossborder(&args), &[expected]);
    }
    assert!(!dir.path().join("cli.db").exists(), "nothing was written");
}
