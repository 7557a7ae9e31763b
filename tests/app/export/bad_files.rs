//! Bad files are refused whole: nothing is imported from them.

use super::{assert_same, export, ok, refused, seeded, sqlite, tables};
use serde_json::Value;

#[test]
fn bad_files_are_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let source = sqlite(&dir, "source.db");
    seeded(&source);
    let good = export(&source);
    let target = sqlite(&dir, "target.db");
    ok(&["migrate", "--database-url", &target]);
    let empty = export(&target);
    assert!(
        tables(&empty)
            .values()
            .all(|r| r.as_array().unwrap().is_empty())
    );

    let file = dir.path().join("bad.json");
    let file_arg = file.to_str().unwrap().to_string();
    let check = |content: &str, needles: &[&str]| {
        std::fs::write(&file, content).unwrap();
        refused(&["import", &file_arg, "--database-url", &target], needles);
        assert_same(
            &empty,
            &export(&target),
            "the target after a refused import",
        );
    };
    let edited = |edit: &dyn Fn(&mut Value)| {
        let mut v: Value = serde_json::from_str(&good).unwrap();
        edit(&mut v);
        serde_json::to_string_pretty(&v).unwrap()
    };

    // Truncated: serde_json's message with the line and the column.
    check(
        &good[..good.len() / 2],
        &["EOF while parsing", "line", "column"],
    );
    // A field no table has: the table, the row, the field, the line and the column.
    check(
        &edited(&|v| v["tables"]["vendors"][2]["colour"] = "red".into()),
        &[
            "table `vendors`, row 3 (id 3)",
            "unknown field `colour`",
            "line",
            "column",
        ],
    );
    // A value of the wrong type.
    check(
        &edited(&|v| v["tables"]["organisations"][1]["policy_date"] = "2013-13-13".into()),
        &[
            "table `organisations`, row 2 (id 2), field `policy_date`",
            "line",
            "column",
        ],
    );
    check(
        &edited(&|v| v["tables"]["transfers"][0]["version"] = "one".into()),
        &[
            "table `transfers`, row 1 (id 1), field `version`",
            "line",
            "column",
        ],
    );
    // A table this version does not know.
    check(
        &edited(&|v| v["tables"]["vendorz"] = Value::Array(vec![])),
        &["unknown field `vendorz`", "line"],
    );
    // Another version or format.
    check(
        &edited(&|v| v["version"] = 3.into()),
        &["version 3 is not supported"],
    );
    check(
        &edited(&|v| {
            v["version"] = 3.into();
            v["tables"]["vendors"][0]["colour"] = "red".into();
        }),
        &["version 3 is not supported"],
    );
    check(
        &edited(&|v| v["format"] = "something-else".into()),
        &["field `format`", "not a crossborder export"],
    );
    // A row whose parent does not exist: the table, the row's id, the field.
    check(
        &edited(&|v| v["tables"]["vendors"][0]["organisation_id"] = 999.into()),
        &[
            "table `vendors`, row id 1, field `organisation_id`",
            "no `organisations` row with id 999",
        ],
    );
    check(
        &edited(&|v| v["tables"]["evidence"][0]["transfer_id"] = 12345.into()),
        &["table `evidence`, row id 1, field `transfer_id`", "12345"],
    );
    // A primary key or a unique column twice.
    check(
        &edited(&|v| {
            let first = v["tables"]["organisations"][0].clone();
            v["tables"]["organisations"]
                .as_array_mut()
                .unwrap()
                .push(first);
        }),
        &["table `organisations`, row id 1: the primary key appears twice"],
    );
    check(
        &edited(&|v| v["tables"]["organisations"][1]["slug"] = "arturia".into()),
        &["table `organisations`, row id 2, field `slug`"],
    );
    // Not JSON at all, and no file.
    check("registry", &["expected value", "line 1 column 1"]);
    refused(
        &[
            "import",
            "/nonexistent/registry.json",
            "--database-url",
            &target,
        ],
        &["/nonexistent/registry.json"],
    );
    assert_same(&empty, &export(&target), "the target at the end");
}
