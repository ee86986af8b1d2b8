//! The pipeline order of ARCHITECTURE.md, checked on the source: a module
//! imports only from the stages before it (or beside it), and the files of one
//! module do not import each other in a cycle. Reads every `crate::` path in
//! `src/` (in `use` lines and inline), comments left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The stages in pipeline order; modules of one stage may use each other.
const STAGES: &[&[&str]] = &[
    &["error"],
    &["init"],
    &["sql"],
    &["spec"],
    &["lint"],
    &["ddl"],
    &["cluster", "conn"],
    &["catalog"],
    &["desired"],
    &["diff"],
    &["plan"],
    &["prove", "audit", "migrate"],
    &["report"],
    &["cli"],
];

/// Sibling files allowed to import each other for now, each with the issue that
/// removes it: (directory under src/, file, file). An entry whose cycle is gone
/// fails the test, so the list only shrinks.
const CYCLES_ALLOWED: &[(&str, &str, &str)] = &[];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source without comments (line comments and doc comments; rlsctl has no
/// block comments in code), so that a doc link is not an import.
fn code(path: &Path) -> String {
    without_comments(&std::fs::read_to_string(path).unwrap())
}

fn without_comments(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            // `//` inside a string literal ("postgres://") is rare in paths that matter.
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first segment after each `prefix` (`crate::diff::x` → `diff`), and every
/// top-level name of a group (`crate::{diff::x, plan}` → `diff`, `plan`).
fn first_segments(code: &str, prefix: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (i, _) in code.match_indices(prefix) {
        // `super::super::x` and `self::crate` never occur; a `crate::` inside an
        // identifier (`xcrate::`) would.
        if code[..i]
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
        {
            continue;
        }
        let rest = &code[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(ident(item.trim()));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 || c != '{' {
                    item.push(c);
                }
            }
            out.push(ident(item.trim()));
        } else {
            out.push(ident(rest));
        }
    }
    out.retain(|s| !s.is_empty() && s != "self");
    out
}

/// The top-level module a file belongs to: `src/diff/rls.rs` → `diff`.
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix(src()).ok()?;
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_string_lossy().to_string();
    if parts.next().is_some() {
        Some(first)
    } else {
        first.strip_suffix(".rs").map(str::to_string)
    }
}

fn stage(module: &str) -> Option<usize> {
    STAGES.iter().position(|s| s.contains(&module))
}

/// Every import of a later stage, as `file: module → later module`.
fn back_edges() -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut out = Vec::new();
    for file in files {
        let Some(module) = module_of(&file) else {
            continue;
        };
        if module == "lib" || module == "main" {
            continue;
        }
        let Some(from) = stage(&module) else {
            out.push(format!(
                "{}: module {module} is not in the pipeline order",
                file.display()
            ));
            continue;
        };
        let shown = file.strip_prefix(src()).unwrap().display().to_string();
        out.extend(
            wrong_imports(from, &code(&file))
                .into_iter()
                .map(|e| format!("{shown}: {module} {e}")),
        );
    }
    out
}

/// What is wrong with the `crate::` imports of code in stage `from`.
fn wrong_imports(from: usize, code: &str) -> Vec<String> {
    let used: BTreeSet<String> = first_segments(code, "crate::").into_iter().collect();
    used.into_iter()
        .filter_map(|target| match stage(&target) {
            Some(to) if to > from => Some(format!("imports {target}, a later stage")),
            Some(_) => None,
            None => Some(format!(
                "uses crate::{target}, which is not in the pipeline order"
            )),
        })
        .collect()
}

#[test]
fn no_module_imports_a_later_stage_of_the_pipeline() {
    let found = back_edges();
    assert!(
        found.is_empty(),
        "back-edges in the pipeline (ARCHITECTURE.md: sql → spec → ddl → cluster/conn → catalog → desired → diff → plan → prove/audit → report → cli):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_reader_of_imports_sees_grouped_and_inline_paths() {
    let code = "use crate::{diff::{Change, Phase}, plan};\nfn f() { crate::report::plan::human(); }\nuse crate::sql::quote_ident;";
    assert_eq!(
        first_segments(code, "crate::"),
        ["diff", "plan", "report", "sql"]
    );
}

#[test]
fn an_import_of_a_later_stage_is_found_and_of_an_earlier_or_same_one_is_not() {
    let diff = stage("diff").unwrap();
    assert_eq!(
        wrong_imports(diff, "use crate::plan::Plan;\nuse crate::catalog::Catalog;"),
        ["imports plan, a later stage"]
    );
    assert!(wrong_imports(diff, "use crate::{catalog::Table, diff::Change, sql};").is_empty());
    let prove = stage("prove").unwrap();
    assert!(wrong_imports(prove, "use crate::audit::access;").is_empty());
    assert_eq!(
        wrong_imports(
            prove,
            &without_comments("/// see [`crate::cli::run`]\nfn f() { crate::report::x(); }")
        ),
        ["imports report, a later stage"]
    );
}

/// Imports between sibling files of one directory (`super::x`, `crate::dir::x`),
/// leaving out the directory's `mod.rs`, which declares and re-exports them.
fn sibling_imports() -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut graph: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let Some(dir) = file.parent() else { continue };
        let Ok(rel_dir) = dir.strip_prefix(src()) else {
            continue;
        };
        if rel_dir.as_os_str().is_empty() {
            continue;
        }
        let stem = file.file_stem().unwrap().to_string_lossy().to_string();
        if stem == "mod" {
            continue;
        }
        let siblings: BTreeSet<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                p.file_stem().unwrap().to_string_lossy().to_string()
            })
            .filter(|s| s != "mod" && *s != stem)
            .collect();
        let dir_path = rel_dir
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect::<Vec<_>>()
            .join("::");
        let code = code(&file);
        let mut used = first_segments(&code, "super::");
        used.extend(first_segments(&code, &format!("crate::{dir_path}::")));
        let entry = graph
            .entry((rel_dir.display().to_string(), stem))
            .or_default();
        entry.extend(used.into_iter().filter(|u| siblings.contains(u)));
    }
    graph
}

#[test]
fn files_of_one_module_do_not_import_each_other_in_a_cycle() {
    let graph = sibling_imports();
    let mut cycles = Vec::new();
    for ((dir, a), uses) in &graph {
        for b in uses {
            let back = graph
                .get(&(dir.clone(), b.clone()))
                .is_some_and(|u| u.contains(a));
            let allowed = CYCLES_ALLOWED
                .iter()
                .any(|(d, x, y)| d == dir && ((x == a && y == b) || (x == b && y == a)));
            if back && a < b && !allowed {
                cycles.push(format!("src/{dir}: {a} ↔ {b}"));
            }
        }
    }
    let stale: Vec<String> = CYCLES_ALLOWED
        .iter()
        .filter(|(d, x, y)| {
            let uses = |a: &str, b: &str| {
                graph
                    .get(&(d.to_string(), a.to_string()))
                    .is_some_and(|u| u.contains(b))
            };
            !(uses(x, y) && uses(y, x))
        })
        .map(|(d, x, y)| format!("src/{d}: {x} ↔ {y}"))
        .collect();
    assert!(
        stale.is_empty(),
        "CYCLES_ALLOWED lists cycles that are gone; remove the entries:\n{}",
        stale.join("\n")
    );
    assert!(
        cycles.is_empty(),
        "sibling files importing each other (move what both need into a file of its own):\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_policy_command_keywords_are_spelled_in_one_place() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let spelled: Vec<String> = files
        .iter()
        .filter(|f| {
            let code = code(f);
            code.contains("Command::Select => \"SELECT\"")
                || code.contains("Command::Select => \"select\"")
        })
        .map(|f| f.strip_prefix(src()).unwrap().display().to_string())
        .collect();
    assert_eq!(
        spelled,
        ["sql/policy.rs"],
        "use PolicyCommand::keyword() instead of another copy of the mapping"
    );
}
