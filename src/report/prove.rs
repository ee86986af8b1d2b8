//! `rlsctl test` for people: the scope first (with the relations left out and
//! why), the hand-written tests, the access matrix (worst verdict per relation
//! × principal), the findings grouped by relation and cause with one repro
//! script per group, and the summary the core decided. Coloured on a terminal.

use std::collections::BTreeMap;
use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use comfy_table::{ContentArrangement, Table as TextTable, presets::UTF8_BORDERS_ONLY};

use crate::prove::{Outcome, Report, Verdict};

/// Paints text when colour is on.
struct Paint(bool);

impl Paint {
    fn paint(&self, color: AnsiColor, text: &str) -> String {
        if self.0 {
            let style = Style::new().fg_color(Some(color.into()));
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    fn verdict(&self, verdict: &Verdict) -> String {
        let color = match verdict {
            Verdict::Pass => AnsiColor::Green,
            Verdict::SideChannel | Verdict::Unreliable => AnsiColor::Yellow,
            Verdict::Leak | Verdict::DenyAll | Verdict::Error(_) => AnsiColor::Red,
        };
        self.paint(color, &verdict.label())
    }
}

/// The whole report as text; `color` adds ANSI colours (a terminal without NO_COLOR).
pub fn human(report: &Report, color: bool) -> String {
    let paint = Paint(color);
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
    if !report.not_probed.is_empty() {
        let _ = writeln!(
            out,
            "  not probed, so not in the matrix ({}):",
            report.not_probed.len()
        );
        for n in &report.not_probed {
            let _ = writeln!(out, "    {}: {}", n.relation, n.reason);
        }
    }
    if !report.functions_not_probed.is_empty() {
        let _ = writeln!(
            out,
            "  client-callable functions not called ({}):",
            report.functions_not_probed.len()
        );
        for n in &report.functions_not_probed {
            let _ = writeln!(out, "    {}: {}", n.relation, n.reason);
        }
    }
    for w in &report.warnings {
        let _ = writeln!(out, "{} {w}", paint.paint(AnsiColor::Yellow, "warning:"));
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
                let _ = writeln!(
                    out,
                    "  {}    {}",
                    paint.paint(AnsiColor::Green, "ok"),
                    t.name
                );
            } else {
                let _ = writeln!(
                    out,
                    "  {}  {} ({})",
                    paint.paint(AnsiColor::Red, "FAIL"),
                    t.name,
                    t.location
                );
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
    let groups = findings(report);
    if !groups.is_empty() {
        let _ = writeln!(out, "\nFindings");
    }
    let mut seeds_shown: Vec<&str> = Vec::new();
    for group in &groups {
        finding(&mut out, &paint, group, &mut seeds_shown);
    }
    let line = summary(report);
    let line = if report.summary.passed {
        line
    } else {
        // Colour only the verdict word, so the counts stay readable.
        line.replacen("FAILED", &paint.paint(AnsiColor::Red, "FAILED"), 1)
    };
    let _ = writeln!(out, "\n{line}");
    out
}

/// Non-PASS outcomes of one relation with one verdict kind and one cause (the fix,
/// else the detail): 18 LEAKs of a table without RLS are one finding.
fn findings(report: &Report) -> Vec<Vec<&Outcome>> {
    let mut groups: Vec<Vec<&Outcome>> = Vec::new();
    let mut index: BTreeMap<(String, &str, String), usize> = BTreeMap::new();
    for o in report
        .outcomes
        .iter()
        .filter(|o| o.verdict != Verdict::Pass)
    {
        let cause = o.fix.clone().unwrap_or_else(|| o.detail.clone());
        let key = (o.relation.clone(), o.verdict.kind(), cause);
        match index.get(&key) {
            Some(&i) => groups[i].push(o),
            None => {
                index.insert(key, groups.len());
                groups.push(vec![o]);
            }
        }
    }
    groups
}

fn finding<'r>(
    out: &mut String,
    paint: &Paint,
    group: &[&'r Outcome],
    seeds_shown: &mut Vec<&'r str>,
) {
    let Some(first) = group.first() else { return };
    // The probe whose whole repro is printed; the others show their statement.
    let shown = group.iter().find(|o| o.repro.is_some());
    let principals: Vec<&str> = group.iter().fold(Vec::new(), |mut acc, o| {
        if !acc.contains(&o.principal.as_str()) {
            acc.push(&o.principal);
        }
        acc
    });
    if group.len() == 1 {
        let _ = writeln!(
            out,
            "\n{}  {} as {}: {}",
            paint.verdict(&first.verdict),
            first.relation,
            first.principal,
            first.probe.name()
        );
        let _ = writeln!(out, "  {}", first.detail);
    } else {
        let _ = writeln!(
            out,
            "\n{}  {}: {} probes as {}",
            paint.verdict(&first.verdict),
            first.relation,
            group.len(),
            principals.join(", ")
        );
        for o in group {
            let _ = writeln!(
                out,
                "  - {} as {}: {}",
                o.probe.name(),
                o.principal,
                o.detail
            );
            if let Some(repro) = &o.repro
                && !shown.is_some_and(|s| std::ptr::eq(*s, *o))
            {
                let _ = writeln!(out, "      {}", repro.statement);
            }
        }
    }
    if let Some(o) = group.iter().find(|o| !o.reached.is_empty()) {
        let _ = writeln!(
            out,
            "  rows of the other tenant reached ({} as {}):",
            o.probe.name(),
            o.principal
        );
        for r in o.reached.iter().take(5) {
            let _ = writeln!(out, "    {r}");
        }
    }
    if !first.policies.is_empty() {
        let _ = writeln!(out, "  policies:");
        for p in &first.policies {
            let _ = writeln!(out, "    {p}");
        }
    }
    if let Some(fix) = &first.fix {
        let _ = writeln!(out, "  fix: {fix}");
    }
    if let Some(o) = shown
        && let Some(repro) = &o.repro
    {
        let _ = writeln!(
            out,
            "  repro (psql; rolls back){}:",
            if group.len() > 1 {
                format!(
                    " of {} as {}; for another probe, run its statement instead",
                    o.probe.name(),
                    o.principal
                )
            } else {
                String::new()
            }
        );
        if seeds_shown.contains(&repro.seed.as_str()) {
            let _ = writeln!(
                out,
                "    begin;\n    -- seed two tenants: the same statements as in the repro above"
            );
        } else {
            for line in repro.seed.lines() {
                let _ = writeln!(out, "    {line}");
            }
            seeds_shown.push(&repro.seed);
        }
        for line in repro.steps.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
}

/// One line: the result the core decided, what was proven, verdict counts, tests, time.
pub fn summary(report: &Report) -> String {
    let s = &report.summary;
    let result = if s.passed {
        "ok".to_string()
    } else {
        format!("FAILED ({})", s.failures.join("; "))
    };
    let proof = if s.proof_ran {
        let verdicts: Vec<String> = s.verdicts.iter().map(|(k, n)| format!("{n} {k}")).collect();
        format!(
            "{} of {} tenant relations proven{}{}{}, {} probes ({})",
            s.proven,
            s.relations,
            if s.unreliable > 0 {
                format!(
                    ", {} not proven (UNRELIABLE: a probe could not run, see the findings)",
                    s.unreliable
                )
            } else {
                String::new()
            },
            if s.not_probed > 0 {
                format!(
                    ", {} not probed (no client role can access it)",
                    s.not_probed
                )
            } else {
                String::new()
            },
            if s.functions + s.functions_not_probed > 0 {
                let failed = s.functions - s.functions_proven;
                format!(
                    ", {} of {} client-callable functions proven{}{}",
                    s.functions_proven,
                    s.functions + s.functions_not_probed,
                    if failed > 0 {
                        format!(" ({failed} called but not proven: the call could not run)")
                    } else {
                        String::new()
                    },
                    if s.functions_not_probed > 0 {
                        format!(
                            " ({} not called: no value of B's rows for an argument)",
                            s.functions_not_probed
                        )
                    } else {
                        String::new()
                    }
                )
            } else {
                String::new()
            },
            s.probes,
            if verdicts.is_empty() {
                "none".to_string()
            } else {
                verdicts.join(", ")
            },
        )
    } else {
        "isolation proof not run (--tests-only)".to_string()
    };
    format!(
        "{result}: {proof}, {} of {} policy tests failed, in {:.2}s",
        s.tests_failed, s.tests, report.seconds
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
pub fn junit(report: &Report) -> String {
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
        .filter(|o| o.verdict.fails(report.rules))
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
        if o.verdict.fails(report.rules) {
            let body = o.repro.as_ref().map(|r| r.script()).unwrap_or_default();
            let _ = writeln!(
                out,
                "><failure message=\"{}: {}\">{}</failure></testcase>",
                xml(&o.verdict.label()),
                xml(&o.detail),
                xml(&body)
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
