//! Audit reports for people (grouped by level) and programs (JSON with a
//! stable schema and ordering). SARIF is in `audit_sarif`.

use std::fmt::Write;

use serde_json::{Value, json};

use crate::audit::{AuditReport, Finding, Level};

/// The JSON schema version of [`json`]'s output.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// The human report: the scope, then findings grouped by level, then counts.
pub fn human(report: &AuditReport, baseline_known: usize) -> String {
    let mut out = String::new();
    let s = &report.scope;
    let _ = writeln!(out, "Scope (login {}):", s.login);
    let _ = writeln!(
        out,
        "  client roles ({}): {}",
        s.roles_source,
        s.client_roles.join(", ")
    );
    let _ = writeln!(
        out,
        "  schemas ({}): {}",
        s.schemas_source,
        s.schemas.join(", ")
    );
    if s.supabase {
        let _ = writeln!(
            out,
            "  Supabase-shaped database (auth schema, anon/authenticated roles)"
        );
    }
    let _ = writeln!(
        out,
        "  {} checks over {} tables",
        report.checks, report.tables
    );
    for level in [Level::Error, Level::Warn, Level::Info] {
        let group: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.level == level)
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} ({})", level.as_str().to_uppercase(), group.len());
        for f in group {
            let _ = writeln!(out, "  {} {} {}", f.check, f.name, f.object);
            let _ = writeln!(out, "      why: {}", f.reason);
            if let Some(fix) = &f.remediation {
                let _ = writeln!(out, "      fix: {fix}");
            }
            let _ = writeln!(out, "      key: {}", f.key);
        }
    }
    let (e, w, i) = report.counts();
    let _ = writeln!(out, "\n{e} errors, {w} warnings, {i} infos");
    if !report.suppressed.is_empty() {
        let _ = writeln!(
            out,
            "{} suppressed by [audit] ignore",
            report.suppressed.len()
        );
    }
    if baseline_known > 0 {
        let _ = writeln!(out, "{baseline_known} already in the baseline (not shown)");
    }
    if report.findings.is_empty() {
        let _ = writeln!(out, "no findings for this scope");
    }
    out
}

/// The JSON report. Keys and ordering are stable: findings by level then key.
pub fn json(report: &AuditReport, baseline_known: usize) -> Value {
    let (e, w, i) = report.counts();
    json!({
        "schema_version": JSON_SCHEMA_VERSION,
        "scope": report.scope,
        "checks": report.checks,
        "tables": report.tables,
        "summary": { "error": e, "warn": w, "info": i,
                     "suppressed": report.suppressed.len(), "baseline": baseline_known },
        "findings": report.findings,
        "suppressed": report.suppressed.iter().map(|(f, reason)| json!({
            "key": f.key, "check": f.check, "level": f.level, "reason": reason,
        })).collect::<Vec<_>>(),
    })
}
