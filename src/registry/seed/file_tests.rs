//! The seed files' reader: the embedded examples parse, and each kind of mistake is refused
//! naming the file, the record and the field.

use super::*;

fn rules() -> &'static RuleSet {
    RuleSet::embedded()
}

#[test]
fn the_embedded_seeds_parse() {
    let seeds = embedded(rules()).unwrap_or_else(|e| panic!("{e}"));
    let slugs: Vec<&str> = seeds.iter().map(|s| s.organisation.slug.as_str()).collect();
    assert_eq!(slugs, ["arturia", "jamendo", "qobuz", "qtrax", "spotify"]);
    assert!(seeds.iter().all(|s| !s.vendors.is_empty()));
}

const MINIMAL: &str = r#"
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
  mechanisms = [{ id = "scc_2021", signed = "2022-01-01" }]
"#;

fn error(text: &str) -> String {
    parse("acme.toml", text, rules()).unwrap_err().to_string()
}

#[test]
fn a_minimal_file_parses() {
    let seed = parse("acme.toml", MINIMAL, rules()).unwrap();
    assert_eq!(seed.vendors[0].transfers[0].mechanisms[0].id, "scc_2021");
}

#[test]
fn errors_name_the_file_the_record_and_the_field() {
    let e = error(&MINIMAL.replace("\"scc_2021\"", "\"scc_2099\""));
    assert!(e.starts_with("acme.toml: vendor 'host' transfer 1 field mechanisms[0].id: unknown mechanism 'scc_2099'"), "{e}");
    let e = error(&MINIMAL.replace("country = \"US\"", "country = \"XX\""));
    assert!(
        e.starts_with("acme.toml: ")
            && e.contains("unknown country code 'XX'")
            && e.contains("line"),
        "{e}"
    );
    let e = error(&MINIMAL.replace("\"hosting\"", "\"hostng\""));
    assert!(
        e.contains("unknown variant `hostng`") && e.contains("line"),
        "{e}"
    );
    let e = error(&MINIMAL.replace("slug = \"acme\"", "slug = \"Acme Corp\""));
    assert!(
        e.contains("organisation field slug: 'Acme Corp' is not a slug"),
        "{e}"
    );
    let e = error(&MINIMAL.replace("  country = \"US\"\n", ""));
    assert!(
        e.contains("vendor 'host' transfer 1 field country: give the country"),
        "{e}"
    );
    let e = error(&MINIMAL.replace(
        "purpose = \"Hosting\"",
        "purpose = \"Hosting\"\ncolour = \"blue\"",
    ));
    assert!(e.contains("unknown field `colour`"), "{e}");
}

#[test]
fn control_characters_are_refused_by_record_and_field() {
    let e = error(&MINIMAL.replace("name = \"Host\"", "name = \"Ho\\u001Bst\""));
    assert!(
        e.starts_with("acme.toml: vendor 'host' field name: contains the control character U+001B at position 3"),
        "{e}"
    );
    let e = error(&MINIMAL.replace(
        "  country = \"US\"",
        "  country = \"US\"\n  notes = \"a\\u0007b\"",
    ));
    assert!(
        e.contains("vendor 'host' transfer 1 field notes: contains the control character U+0007"),
        "{e}"
    );
    let e = error(&MINIMAL.replace("legal_name = \"Acme SA\"", "legal_name = \"Acme\\nSA\""));
    assert!(
        e.contains("organisation field legal_name: contains the control character U+000A")
            && e.contains("(this field is one line)"),
        "{e}"
    );
    // Lines are allowed where a field holds lines.
    let ok = MINIMAL.replace(
        "purpose = \"Hosting\"",
        "purpose = \"Hosting\\nand backups\"",
    );
    parse("acme.toml", &ok, rules()).unwrap();
}
