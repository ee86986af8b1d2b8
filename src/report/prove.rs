//! `rlsctl test` for people: the scope first, the hand-written tests, the
//! access matrix (worst verdict per relation × principal), then every finding
//! with its repro script, and a summary that never reads as a silent all-clear.

use std::collections::BTreeMap;
use std::fmt::Write;

use comfy_table::{ContentArrangement, Table as TextTable, presets::UTF8_BORDERS_ONLY};

use crate::prove::{Report, Verdict};

/// The whole report as text; `side_channel` makes SIDE-CHANNEL a failure.
pub fn human(report: &Report, side_channel: bool) -> String {
    let mut out = String::new();
    let s = &report.scope;
    let _ = writeln!(out, "Scope");
    let _ = writeln!(out, "  ground truth read as: {}", s.connected_as);
    let _ = writeln!(out, "  schemas: {}", s.schemas.join(", "));
    let _ = writeln!(out, "  client roles: {}", s.roles.join(", "));
    if !s.principals.is_empty() {
        let _ = writeln!(out, "  principals: {}", s.principals.join(", "));
    }
    let _ = writeln!(out, "  tenant relations ({}):", s.relations.len());
    for r in &s.relations {
        let _ = writeln!(out, "    {r}");
    }
    for w in &report.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    if !report.tests.is_empty() {
        let passed = report.tests.iter().filter(|t| t.passed).count();
        let _ = writeln!(
            out,
            "\nPolicy tests: {passed}/{} passed",
            report.tests.len()
        );
        for t in &report.tests {
            if t.passed {
                let _ = writeln!(out, "  ok    {}", t.name);
            } else {
                let _ = writeln!(out, "  FAIL  {} ({})", t.name, t.location);
                let _ = writeln!(out, "          expected: {}", t.expected);
                let _ = writeln!(out, "          got:      {}", t.got);
            }
        }
    }
    if !report.outcomes.is_empty() {
        let _ = writeln!(
            out,
            "\nAccess matrix (worst verdict of every probe per relation and principal)"
        );
        let _ = writeln!(out, "{}", matrix(report));
    }
    let findings: Vec<_> = report
        .outcomes
        .iter()
        .filter(|o| o.verdict != Verdict::Pass)
        .collect();
    if !findings.is_empty() {
        let _ = writeln!(out, "\nFindings");
    }
    for o in &findings {
        let _ = writeln!(
            out,
            "\n{}  {} as {}: {}",
            o.verdict.label(),
            o.relation,
            o.principal,
            o.probe.name()
        );
        let _ = writeln!(out, "  {}", o.detail);
        if !o.reached.is_empty() {
            let _ = writeln!(out, "  rows of the other tenant reached:");
            for r in o.reached.iter().take(5) {
                let _ = writeln!(out, "    {r}");
            }
        }
        if !o.policies.is_empty() {
            let _ = writeln!(out, "  policies:");
            for p in &o.policies {
                let _ = writeln!(out, "    {p}");
            }
        }
        if let Some(fix) = &o.fix {
            let _ = writeln!(out, "  fix: {fix}");
        }
        if let Some(repro) = &o.repro {
            let _ = writeln!(out, "  repro (psql; rolls back):");
            for line in repro.lines() {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    let _ = writeln!(out, "\n{}", summary(report, side_channel));
    out
}

/// One line: counts per verdict, tests, time, and the result.
pub fn summary(report: &Report, side_channel: bool) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for o in &report.outcomes {
        let label = match &o.verdict {
            Verdict::Error(_) => "ERROR".to_string(),
            v => v.label(),
        };
        *counts.entry(label).or_default() += 1;
    }
    let verdicts: Vec<String> = counts.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let failed_tests = report.tests.iter().filter(|t| !t.passed).count();
    let result = if report.scope.relations.is_empty() {
        "FAILED: no tenant relation found, nothing was proven"
    } else if report.failed(side_channel) {
        "FAILED"
    } else if report
        .outcomes
        .iter()
        .any(|o| o.verdict == Verdict::Unreliable)
    {
        "ok, but not proven where UNRELIABLE"
    } else {
        "ok"
    };
    format!(
        "{result}: {} probes of {} relations ({}), {} of {} policy tests failed, in {:.2}s",
        report.outcomes.len(),
        report.scope.relations.len(),
        if verdicts.is_empty() {
            "none".to_string()
        } else {
            verdicts.join(", ")
        },
        failed_tests,
        report.tests.len(),
        report.seconds
    )
}

fn matrix(report: &Report) -> String {
    let principals = &report.scope.principals;
    let mut cells: BTreeMap<(String, String), Verdict> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    for o in &report.outcomes {
        if !order.contains(&o.relation) {
            order.push(o.relation.clone());
        }
        let cell = cells
            .entry((o.relation.clone(), o.principal.clone()))
            .or_insert(Verdict::Pass);
        if o.verdict.severity() > cell.severity() {
            *cell = o.verdict.clone();
        }
    }
    let mut table = TextTable::new();
    table
        .load_style(UTF8_BORDERS_ONLY)
        .set_content_arrangement(ContentArrangement::Dynamic);
    let mut header = vec!["relation".to_string()];
    header.extend(principals.iter().cloned());
    table.set_header(header);
    for relation in &order {
        let mut row = vec![relation.clone()];
        for p in principals {
            row.push(
                cells
                    .get(&(relation.clone(), p.clone()))
                    .map_or("-".to_string(), Verdict::label),
            );
        }
        table.add_row(row);
    }
    table.to_string()
}

/// The report as JSON.
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The report as JUnit XML: one suite for the policy tests, one for the proof.
pub fn junit(report: &Report, side_channel: bool) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"rlsctl test\">\n",
    );
    let failures = report.tests.iter().filter(|t| !t.passed).count();
    let _ = writeln!(
        out,
        "  <testsuite name=\"policy tests\" tests=\"{}\" failures=\"{failures}\">",
        report.tests.len()
    );
    for t in &report.tests {
        let _ = write!(
            out,
            "    <testcase classname=\"{}\" name=\"{}\"",
            xml(&t.location),
            xml(&t.name)
        );
        if t.passed {
            out.push_str("/>\n");
        } else {
            let _ = writeln!(
                out,
                "><failure message=\"expected {} got {}\"/></testcase>",
                xml(&t.expected),
                xml(&t.got)
            );
        }
    }
    out.push_str("  </testsuite>\n");
    let failures = report
        .outcomes
        .iter()
        .filter(|o| o.verdict.fails(side_channel))
        .count();
    let _ = writeln!(
        out,
        "  <testsuite name=\"isolation proof\" tests=\"{}\" failures=\"{failures}\">",
        report.outcomes.len()
    );
    for o in &report.outcomes {
        let _ = write!(
            out,
            "    <testcase classname=\"{}\" name=\"{} {}\"",
            xml(&o.relation),
            xml(&o.principal),
            o.probe.name()
        );
        if o.verdict.fails(side_channel) {
            let body = o.repro.as_deref().unwrap_or("");
            let _ = writeln!(
                out,
                "><failure message=\"{}: {}\">{}</failure></testcase>",
                xml(&o.verdict.label()),
                xml(&o.detail),
                xml(body)
            );
        } else if o.verdict == Verdict::Unreliable {
            let _ = writeln!(out, "><skipped message=\"{}\"/></testcase>", xml(&o.detail));
        } else {
            out.push_str("/>\n");
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
