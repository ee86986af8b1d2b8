//! Audit reports for people (a summary per check, then the first findings of
//! each, coloured on a terminal) and programs (JSON with a
//! stable schema and ordering). SARIF is in `audit_sarif`.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use serde_json::{Value, json};

use crate::audit::{AuditReport, Finding, Level};

/// The JSON schema version of [`json`]'s output.
pub const JSON_SCHEMA_VERSION: u32 = 1;

/// How the human report is shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOptions {
    /// Every finding, not only the first few of each check.
    pub all: bool,
    /// ANSI colours (a terminal without `NO_COLOR`).
    pub color: bool,
}

/// How many findings of each check (and level) the human report details
/// unless `--all`; the summary table counts every one.
pub const SHOWN_PER_CHECK: usize = 3;

/// The summary table's width: the objects column gets what the others leave.
const TABLE_WIDTH: usize = 100;

/// The objects column's width when the other columns leave less.
const MIN_OBJECTS_WIDTH: usize = 24;

/// The human report: the scope, a summary table (one row per check and level:
/// id, name, level, count, first objects), then the findings by level, at most
/// [`SHOWN_PER_CHECK`] per check unless `options.all`, then the counts.
pub fn human(report: &AuditReport, baseline_known: usize, options: HumanOptions) -> String {
    let paint = Painter(options.color);
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
    let groups = groups(&report.findings);
    if !groups.is_empty() {
        out.push('\n');
        out.push_str(&summary_table(&groups, paint));
    }
    let mut hidden = 0;
    for level in [Level::Error, Level::Warn, Level::Info] {
        let of_level: Vec<&Group<'_>> = groups.iter().filter(|g| g.level == level).collect();
        if of_level.is_empty() {
            continue;
        }
        let count: usize = of_level.iter().map(|g| g.findings.len()).sum();
        let _ = writeln!(
            out,
            "\n{} ({count})",
            paint.level(level, &level.as_str().to_uppercase())
        );
        for group in of_level {
            let shown = if options.all {
                group.findings.len()
            } else {
                group.findings.len().min(SHOWN_PER_CHECK)
            };
            for f in &group.findings[..shown] {
                let _ = writeln!(out, "  {} {} {}", paint.bold(&f.check), f.name, f.object);
                let _ = writeln!(out, "      why: {}", f.reason);
                let _ = writeln!(out, "      reach: {}", f.reach.as_str());
                for c in &f.consequences {
                    let _ = writeln!(out, "      also: {c}");
                }
                if let Some(fix) = &f.remediation {
                    let _ = writeln!(out, "      fix: {fix}");
                }
                let _ = writeln!(out, "      key: {}", f.key);
            }
            let more = group.findings.len() - shown;
            if more > 0 {
                hidden += more;
                let _ = writeln!(
                    out,
                    "  ... {more} more {} finding(s) (--all shows every one)",
                    group.check
                );
            }
        }
    }
    let (e, w, i) = report.counts();
    let _ = writeln!(
        out,
        "\n{}, {}, {}",
        paint.level_if(Level::Error, e > 0, &format!("{e} errors")),
        paint.level_if(Level::Warn, w > 0, &format!("{w} warnings")),
        format_args!("{i} infos")
    );
    if hidden > 0 {
        let _ = writeln!(
            out,
            "{hidden} finding(s) not detailed above: --all shows them, --format json or sarif lists every one"
        );
    }
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
        let _ = writeln!(out, "{}", paint.green("no findings for this scope"));
    }
    out
}

/// The findings of one check at one level, in report order.
struct Group<'r> {
    check: &'r str,
    name: &'r str,
    level: Level,
    findings: Vec<&'r Finding>,
}

/// Findings grouped by (level, check), most severe first, then by id.
fn groups(findings: &[Finding]) -> Vec<Group<'_>> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    for f in findings {
        match groups
            .iter_mut()
            .find(|g| g.level == f.level && g.check == f.check)
        {
            Some(g) => g.findings.push(f),
            None => groups.push(Group {
                check: &f.check,
                name: &f.name,
                level: f.level,
                findings: vec![f],
            }),
        }
    }
    groups.sort_by(|a, b| (a.level, a.check).cmp(&(b.level, b.check)));
    groups
}

/// One row per group: id, name, level, count, the first objects (as many as
/// fit in [`TABLE_WIDTH`] columns, at least one, then `+N`).
fn summary_table(groups: &[Group<'_>], paint: Painter) -> String {
    let header = ["check", "name", "level", "count", "objects"];
    let width = |i: usize, cell: &dyn Fn(&Group<'_>) -> usize| {
        groups
            .iter()
            .map(cell)
            .chain([header[i].len()])
            .max()
            .unwrap_or(0)
    };
    let widths = [
        width(0, &|g| g.check.chars().count()),
        width(1, &|g| g.name.chars().count()),
        width(2, &|g| g.level.as_str().len()),
        width(3, &|g| g.findings.len().to_string().len()),
    ];
    // Two spaces before each column.
    let used: usize = widths.iter().map(|w| w + 2).sum::<usize>() + 2;
    let budget = TABLE_WIDTH.saturating_sub(used).max(MIN_OBJECTS_WIDTH);
    let rows: Vec<[String; 5]> = groups
        .iter()
        .map(|g| {
            [
                g.check.to_string(),
                g.name.to_string(),
                g.level.as_str().to_string(),
                g.findings.len().to_string(),
                first_objects(&g.findings, budget),
            ]
        })
        .collect();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "  {:<w0$}  {:<w1$}  {:<w2$}  {:>w3$}  {}",
        header[0],
        header[1],
        header[2],
        header[3],
        header[4],
        w0 = widths[0],
        w1 = widths[1],
        w2 = widths[2],
        w3 = widths[3]
    );
    for (row, g) in rows.iter().zip(groups) {
        // Pad before painting: escape codes have no width.
        let level = format!("{:<w$}", row[2], w = widths[2]);
        let _ = writeln!(
            out,
            "  {}  {:<w1$}  {}  {:>w3$}  {}",
            paint.bold(&format!("{:<w$}", row[0], w = widths[0])),
            row[1],
            paint.level(g.level, &level),
            row[3],
            row[4],
            w1 = widths[1],
            w3 = widths[3]
        );
    }
    out
}

/// As many objects as fit in `width` with room for `, +N`; at least one.
fn first_objects(findings: &[&Finding], width: usize) -> String {
    let more_width = 3 + findings.len().to_string().len();
    let mut shown: Vec<&str> = Vec::new();
    let mut used = 0;
    for (i, f) in findings.iter().enumerate() {
        let cost = f.object.chars().count() + if shown.is_empty() { 0 } else { 2 };
        let reserve = if i + 1 < findings.len() {
            more_width
        } else {
            0
        };
        if !shown.is_empty() && used + cost + reserve > width {
            break;
        }
        used += cost;
        shown.push(&f.object);
    }
    let mut text = shown.join(", ");
    if findings.len() > shown.len() {
        let _ = write!(text, ", +{}", findings.len() - shown.len());
    }
    text
}

/// ANSI styles, or plain text.
#[derive(Debug, Clone, Copy)]
struct Painter(bool);

impl Painter {
    fn paint(self, style: Style, text: &str) -> String {
        if self.0 {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    fn level(self, level: Level, text: &str) -> String {
        let color = match level {
            Level::Error => AnsiColor::Red,
            Level::Warn => AnsiColor::Yellow,
            Level::Info => AnsiColor::Cyan,
        };
        self.paint(Style::new().fg_color(Some(color.into())).bold(), text)
    }

    fn level_if(self, level: Level, when: bool, text: &str) -> String {
        if when {
            self.level(level, text)
        } else {
            text.to_string()
        }
    }

    fn bold(self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    fn green(self, text: &str) -> String {
        self.paint(Style::new().fg_color(Some(AnsiColor::Green.into())), text)
    }
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
