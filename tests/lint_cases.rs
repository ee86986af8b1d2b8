//! Migration lint, table-driven and offline: every folder under
//! `tests/cases/lint/` holds one or more `V*.sql` migrations (linted in migration
//! order), optionally a `project/` whose declaration the lint uses, and an
//! `expected.txt` listing every finding, `RULE file:line:col` per line (file
//! relative to the case folder), and every silenced one as `allowed RULE
//! file:line:col`; `#` starts a comment. Adding a case is adding a folder.
//!
//! Every rule has a case named `mig0NN_*` that must report it and a clean twin
//! `mig0NN_clean_*` that must not.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use pretty_assertions::assert_eq;
use rlsctl::lint::{self, LintReport, RULES};

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/lint");

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(CASES)
        .unwrap_or_else(|e| panic!("cannot read {CASES}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().to_string()
}

fn run(dir: &Path) -> LintReport {
    let project = dir.join("project");
    let declaration = project.is_dir().then(|| {
        let checked = rlsctl::spec::check(&project);
        checked.declaration.unwrap_or_else(|| {
            panic!(
                "{}: the case's project does not validate: {:?}",
                name(dir),
                checked.diagnostics
            )
        })
    });
    lint::lint_dir(dir, declaration.as_ref()).unwrap()
}

/// The report as the lines of `expected.txt`, sorted.
fn lines(dir: &Path, report: &LintReport) -> Vec<String> {
    let rel = |f: &Path| f.strip_prefix(dir).unwrap_or(f).display().to_string();
    let mut out: Vec<String> = report
        .findings
        .iter()
        .map(|f| format!("{} {}:{}:{}", f.rule, rel(&f.file), f.line, f.col))
        .chain(report.allowed.iter().map(|a| {
            let f = &a.finding;
            format!("allowed {} {}:{}:{}", f.rule, rel(&f.file), f.line, f.col)
        }))
        .collect();
    out.sort();
    out
}

fn expected(dir: &Path) -> Vec<String> {
    let path = dir.join("expected.txt");
    let text = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: cannot read expected.txt: {e}", name(dir)));
    let mut out: Vec<String> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    out.sort();
    out
}

#[test]
fn every_case_reports_exactly_its_expected_findings() {
    let mut failures = Vec::new();
    for dir in cases() {
        let report = run(&dir);
        let got = lines(&dir, &report);
        let want = expected(&dir);
        if got != want {
            let messages: Vec<String> = report
                .findings
                .iter()
                .map(|f| format!("    {} {}: {}", f.rule, f.place(), f.message))
                .collect();
            failures.push(format!(
                "{}:\n  expected {want:?}\n  got      {got:?}\n{}",
                name(&dir),
                messages.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_case_that_catches_it_and_a_clean_twin() {
    let dirs = cases();
    assert!(dirs.len() >= 40, "only {} lint cases", dirs.len());
    let mut missing = Vec::new();
    for rule in RULES {
        let prefix = format!("{}_", rule.id.to_lowercase());
        let clean = format!("{prefix}clean");
        let fires = dirs.iter().any(|d| {
            let n = name(d);
            n.starts_with(&prefix)
                && !n.starts_with(&clean)
                && expected(d)
                    .iter()
                    .any(|l| l.starts_with(&format!("{} ", rule.id)))
        });
        let twin = dirs.iter().any(|d| {
            name(d).starts_with(&clean)
                && !expected(d)
                    .iter()
                    .any(|l| l.starts_with(&format!("{} ", rule.id)))
        });
        if !fires {
            missing.push(format!("{}: no case {prefix}* expecting it", rule.id));
        }
        if !twin {
            missing.push(format!("{}: no clean twin {clean}*", rule.id));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_rule_is_documented_in_the_readme() {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let undocumented: Vec<&str> = RULES
        .iter()
        .filter(|r| !readme.contains(&format!("| `{}` |", r.id)))
        .map(|r| r.id)
        .collect();
    assert!(
        undocumented.is_empty(),
        "not in README's rule table: {undocumented:?}"
    );
}

fn rlsctl(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("rlsctl")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn the_command_exits_1_on_an_error_and_0_on_warnings_or_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let migrations = tmp.path().join("migrations");
    fs::create_dir(&migrations).unwrap();
    fs::write(
        migrations.join("V1__t.sql"),
        "create table t (tenant_id uuid not null, x int);\nalter table t enable row level security;\n",
    )
    .unwrap();
    let (code, out) = rlsctl(tmp.path(), &["lint"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("lint: 1 file, 0 errors, 0 warnings, 0 allowed"),
        "{out}"
    );

    fs::write(migrations.join("V2__i.sql"), "create index on t (x);\n").unwrap();
    let (code, out) = rlsctl(tmp.path(), &["lint"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("migrations/V2__i.sql:1:1: error MIG001"),
        "{out}"
    );

    let (code, out) = rlsctl(tmp.path(), &["lint", "--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["summary"]["errors"], 1);
    assert_eq!(json["findings"][0]["rule"], "MIG001");
    assert_eq!(json["findings"][0]["line"], 1);
    assert!(
        json["findings"][0]["fix"]
            .as_str()
            .unwrap()
            .contains("CONCURRENTLY")
    );

    let sarif = tmp.path().join("lint.sarif");
    let (code, _) = rlsctl(tmp.path(), &["lint", "--sarif", sarif.to_str().unwrap()]);
    assert_eq!(code, 1);
    let sarif: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&sarif).unwrap()).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "MIG001");
    assert_eq!(result["level"], "error");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "migrations/V2__i.sql");
    assert_eq!(location["region"]["startLine"], 1);

    // One file alone: its tables are existing ones (nothing says otherwise).
    let (code, out) = rlsctl(tmp.path(), &["lint", "migrations/V1__t.sql"]);
    assert_eq!(code, 0, "{out}");

    let (code, _) = rlsctl(tmp.path(), &["lint", "nowhere"]);
    assert_eq!(code, 1);
}

#[test]
fn a_file_that_does_not_parse_is_one_located_error() {
    let report = lint::lint_sources(
        vec![(
            "V1__x.sql".into(),
            "create table t (x int);\nalter tabel t add y int;\n".into(),
        )],
        None,
    );
    assert_eq!(report.findings.len(), 1, "{:?}", report.findings);
    let f = &report.findings[0];
    assert_eq!((f.rule, f.line, f.col), ("MIG000", 2, 7));
    assert!(
        f.message.contains("syntax error at or near \"tabel\""),
        "{}",
        f.message
    );
}

#[test]
fn a_missing_tenant_column_is_an_error_only_when_a_declaration_could_have_said_public() {
    let level = |case: &str| {
        let report = run(&Path::new(CASES).join(case));
        let f = report.findings.iter().find(|f| f.rule == "MIG015").unwrap();
        f.level
    };
    assert_eq!(level("mig015_no_tenant_column"), lint::Level::Warning);
    assert_eq!(
        level("mig015_declared_own_tenant_column_missing"),
        lint::Level::Error
    );
}

#[test]
fn warnings_and_silenced_errors_do_not_fail_the_run() {
    let report = run(&Path::new(CASES).join("mig012_permissive_policy_added"));
    assert_eq!(report.count(lint::Level::Warning), 1);
    assert!(!report.failed());
    let report = run(&Path::new(CASES).join("mig006_clean_allowed_with_reason"));
    assert!(report.findings.is_empty() && !report.failed());
    assert_eq!(report.allowed[0].reason, "nothing reads x since release 42");
    assert_eq!(report.allowed[0].comment_line, 1);
    assert!(run(&Path::new(CASES).join("mig006_drop_column")).failed());
}

#[test]
fn truncated_and_garbled_migrations_are_findings_never_panics() {
    let mut runs = 0;
    for dir in cases() {
        for path in lint::migration_files(&dir).unwrap() {
            let text = fs::read_to_string(&path).unwrap();
            let cuts = (0..text.len())
                .step_by(7)
                .filter(|i| text.is_char_boundary(*i));
            for cut in cuts {
                let mut garbled = text[..cut].to_string();
                garbled.push_str(if cut % 2 == 0 { "(" } else { "'$$ --" });
                for variant in [text[..cut].to_string(), garbled] {
                    let report = lint::lint_sources(vec![("V1__x.sql".into(), variant)], None);
                    for f in &report.findings {
                        assert!(f.line >= 1 && f.col >= 1 && !f.message.is_empty());
                    }
                    runs += 1;
                }
            }
        }
    }
    assert!(runs > 1000, "{runs}");
}

/// The DDL rlsctl renders for a whole project is what a first migration holds:
/// with the project's declaration, not one finding (no false alarm).
#[test]
fn the_rendered_ddl_of_both_bundled_projects_lints_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for project in [root.to_path_buf(), root.join("examples/supabase")] {
        let checked = rlsctl::spec::check(&project);
        let declaration = checked.declaration.expect("the bundled project validates");
        let sql = rlsctl::ddl::render(&declaration).to_sql();
        let report = lint::lint_sources(vec![("V1__init.sql".into(), sql)], Some(&declaration));
        assert!(
            report.findings.is_empty() && report.allowed.is_empty(),
            "{}: {:#?}",
            project.display(),
            report.findings
        );
    }
}

/// The renderings of a case that fires every rule, reviewed as snapshots.
#[test]
fn the_human_and_json_reports_of_every_rule_read_well() {
    let dir = Path::new(CASES).join("showcase_every_rule");
    let sources = lint::migration_files(&dir)
        .unwrap()
        .into_iter()
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            (PathBuf::from(p.file_name().unwrap()), text)
        })
        .collect();
    let report = lint::lint_sources(sources, None);
    let fired: std::collections::BTreeSet<&str> = report
        .findings
        .iter()
        .chain(report.allowed.iter().map(|a| &a.finding))
        .map(|f| f.rule)
        .collect();
    let all: std::collections::BTreeSet<&str> = RULES.iter().map(|r| r.id).collect();
    assert_eq!(fired, all);
    insta::assert_snapshot!("lint_human", rlsctl::report::lint::human(&report, false));
    insta::assert_json_snapshot!("lint_json", rlsctl::report::lint::json(&report));
    let sarif = rlsctl::report::lint::sarif(&report);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), report.findings.len() + report.allowed.len());
    let suppressed: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(
        suppressed[0]["suppressions"][0]["justification"],
        "tiny table"
    );
}
