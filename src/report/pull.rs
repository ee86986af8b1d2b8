//! `rlsctl pull`'s summary: how many tables became tenant tables, and what
//! the declaration cannot say (kind, name, why), one line each.

use std::fmt::Write as _;

use crate::pull::Pulled;

/// The human summary printed after the files.
pub fn human(pulled: &Pulled) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} tenant table(s), {} other table(s) (each with a TODO reason to fill in)",
        pulled.tenant_tables, pulled.public_tables
    );
    if pulled.report.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\nnot declared as the database has it ({}), left unmanaged or to change by hand:",
        pulled.report.len()
    );
    for item in &pulled.report {
        let _ = writeln!(out, "  {} {}: {}", item.kind, item.name, item.why);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pull::Unexpressed;

    #[test]
    fn every_unexpressed_object_is_one_line_with_kind_name_and_why() {
        let pulled = Pulled {
            files: Vec::new(),
            report: vec![Unexpressed {
                kind: "rule".into(),
                name: "r on app.t".into(),
                why: "rewrite rules are not declared".into(),
            }],
            tenant_tables: 2,
            public_tables: 1,
        };
        let text = human(&pulled);
        assert!(
            text.starts_with("2 tenant table(s), 1 other table(s)"),
            "{text}"
        );
        assert!(
            text.contains("\n  rule r on app.t: rewrite rules are not declared\n"),
            "{text}"
        );
    }
}
