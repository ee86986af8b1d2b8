//! Bad input for `rlsctl validate`, table-driven: every folder under
//! `tests/cases/validate/` is a small project with the one defect its name says,
//! and an `expected.txt` listing the findings in the order they are reported, one
//! `file:line:col: message` per line (file relative to the case folder; a finding
//! about the project as a whole is its message alone, with the case folder's path
//! written `<case>`). Adding a case is adding a folder.
//!
//! Every case must report at least one error, except `warn_*` cases, which must
//! report warnings only and still validate.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use pretty_assertions::{Comparison, assert_eq};
use rlsctl::spec::{self, Finding, Severity};

const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cases/validate");

/// Every case folder, by name.
fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(CASES)
        .unwrap_or_else(|e| panic!("cannot read {CASES}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no cases in {CASES}");
    dirs
}

/// Names of the cases for which `pred` holds.
fn cases_where(pred: impl Fn(&Path) -> bool) -> Vec<String> {
    cases()
        .iter()
        .filter(|dir| pred(dir))
        .map(|dir| name(dir))
        .collect()
}

fn case(name: &str) -> PathBuf {
    Path::new(CASES).join(name)
}

fn name(dir: &Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

/// Loads and validates a project through the library, as `rlsctl validate` does.
fn findings(dir: &Path) -> Vec<Finding> {
    let checked = spec::check(dir);
    checked
        .diagnostics
        .iter()
        .map(|d| Finding::new(d, &checked.sources))
        .collect()
}

/// Findings in the form of `expected.txt`.
fn one_lines(dir: &Path, findings: &[Finding]) -> Vec<String> {
    let path = dir.display().to_string();
    findings
        .iter()
        .map(|f| f.one_line().replace(&path, "<case>"))
        .collect()
}

fn expected(dir: &Path) -> Option<Vec<String>> {
    let text = fs::read_to_string(dir.join("expected.txt")).ok()?;
    Some(text.lines().map(str::to_string).collect())
}

fn errors(findings: &[Finding]) -> usize {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count()
}

#[test]
fn every_case_reports_exactly_its_expected_findings() {
    let cases = cases();
    let mut failures = Vec::new();
    for dir in &cases {
        let Some(expected) = expected(dir) else {
            continue; // reported by every_case_has_expected_findings
        };
        let actual = one_lines(dir, &findings(dir));
        if actual != expected {
            failures.push(format!(
                "{} (left: expected.txt, right: reported)\n{}",
                name(dir),
                Comparison::new(&expected, &actual)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_case_has_expected_findings() {
    let missing = cases_where(|dir| !dir.join("expected.txt").is_file());
    assert!(
        missing.is_empty(),
        "cases without expected.txt: {missing:?}"
    );
}

#[test]
fn every_case_but_warn_cases_reports_an_error() {
    let silent = cases_where(|dir| !name(dir).starts_with("warn_") && errors(&findings(dir)) == 0);
    assert!(
        silent.is_empty(),
        "cases reporting no error (a case named warn_* may report warnings only): {silent:?}"
    );
}

#[test]
fn warn_cases_report_warnings_and_still_validate() {
    let warn_cases: Vec<PathBuf> = cases()
        .into_iter()
        .filter(|dir| name(dir).starts_with("warn_"))
        .collect();
    assert!(!warn_cases.is_empty(), "no warn_* case");
    let mut failures = Vec::new();
    for dir in &warn_cases {
        let validated = match spec::load(dir) {
            Ok(loaded) => spec::validate(&loaded),
            Err(failure) => {
                failures.push(format!(
                    "{}: does not load: {:?}",
                    name(dir),
                    failure.diagnostics
                ));
                continue;
            }
        };
        let warnings_only = !validated.diagnostics.is_empty()
            && validated.diagnostics.iter().all(|d| !d.is_error());
        if validated.declaration.is_none() || !warnings_only {
            failures.push(format!(
                "{}: must validate with warnings and no error, reported {:?}",
                name(dir),
                validated.diagnostics
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn errors_in_different_files_are_all_reported_in_one_run() {
    let files = |case_name: &str| -> Vec<String> {
        let mut files: Vec<String> = findings(&case(case_name))
            .into_iter()
            .filter(|f| f.severity == Severity::Error)
            .filter_map(|f| f.file)
            .collect();
        files.dedup();
        files
    };
    // Resolution: one wrong reference in each file.
    assert_eq!(
        files("errors_in_several_files"),
        [
            "rlsctl.toml",
            "schema/tables.toml",
            "policies/access.toml",
            "policies/tests.toml"
        ]
    );
    // Parsing: each file is parsed on its own, so a syntax error hides no other file's.
    assert_eq!(
        files("toml_errors_in_several_files"),
        ["rlsctl.toml", "schema/tables.toml", "policies/access.toml"]
    );
}

/// Runs the built binary's `validate --format json` on a project, checks its exit
/// code, and returns the report.
fn validate_json(dir: &Path, exit_code: i32) -> serde_json::Value {
    let output = Command::cargo_bin("rlsctl")
        .unwrap()
        .arg("-C")
        .arg(dir)
        .args(["validate", "--format", "json"])
        .assert()
        .code(exit_code)
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&output).unwrap()
}

#[test]
fn validate_json_gives_file_line_column_and_message_and_exits_1() {
    let dir = case("errors_in_several_files");
    let report = validate_json(&dir, 1);
    assert_eq!(report["ok"], false);
    assert_eq!(report["errors"], 4);
    let first = &report["findings"][0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "rlsctl.toml");
    assert_eq!(first["line"], 11);
    assert_eq!(first["column"], 22);
    assert_eq!(first["message"], "role \"authenticated\" is not declared");
    // Every finding, rendered from the JSON fields, is the expected one.
    let rendered: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}: {}",
                f["file"].as_str().unwrap(),
                f["line"],
                f["column"],
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(rendered, expected(&dir).unwrap());
}

#[test]
fn validate_accepts_the_example_projects_without_a_warning_and_exits_0() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for project in [root.to_path_buf(), root.join("examples/supabase")] {
        let report = validate_json(&project, 0);
        assert_eq!(report["ok"], true, "{}", project.display());
        assert_eq!(report["errors"], 0, "{}", project.display());
        // No cross-tenant foreign key or other warning either.
        assert_eq!(
            report["findings"],
            serde_json::json!([]),
            "{}",
            project.display()
        );
    }
}

#[test]
fn a_cross_tenant_foreign_key_warns_with_the_composite_key_fix_and_exits_0() {
    let report = validate_json(&case("warn_cross_tenant_foreign_key"), 0);
    assert_eq!(report["warnings"], 1, "{report}");
    let finding = &report["findings"][0];
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["snippet"], "\"tasks.id\"");
    let help = finding["help"].as_str().unwrap();
    assert!(
        help.contains("(tenant_id, task_id) onto UNIQUE (tenant_id, id) of app.tasks"),
        "{help}"
    );
}

#[test]
fn an_unfinished_sql_value_points_at_the_whole_value_with_its_text_as_snippet() {
    let report = validate_json(&case("tenancy_current_invalid_sql"), 1);
    let finding = &report["findings"][0];
    assert_eq!(finding["column"], 11, "{finding}");
    assert_eq!(finding["snippet"], "\"(select app.current_tenant_id()\"");
    let help = finding["help"].as_str().unwrap();
    assert!(help.contains("ends before it is complete"), "{help}");
}
