//! Migration lint: every statement of every migration file, read as PostgreSQL's
//! own syntax tree (never as text), against the rules of `rules` (one file per
//! rule, each with a stable id). Offline: no database. Files are read in
//! migration order, so that a table created by an earlier file is an existing
//! table in a later one. A finding is silenced on its statement by
//! `-- rlsctl:allow RULE reason` (see `allow`).

mod allow;
mod context;
mod finding;
mod names;
pub mod rules;
mod scope;
mod source;
mod state;

use std::path::{Path, PathBuf};

use pg_query::NodeEnum;
use pg_query::protobuf::VariableSetKind;

pub use finding::{Allowed, Level, LintError, LintFinding, LintReport};
pub use rules::{RULES, Rule};

use crate::spec::Declaration;
use context::{Cx, Hit};
use scope::Scope;
use source::Source;
use state::History;

/// Lints every `.sql` file of a migrations directory, in migration order.
pub fn lint_dir(dir: &Path, decl: Option<&Declaration>) -> Result<LintReport, LintError> {
    let files = migration_files(dir)?;
    lint_files(&files, decl)
}

/// The `.sql` files of a directory, in migration order (see [`migration_order`]).
pub fn migration_files(dir: &Path) -> Result<Vec<PathBuf>, LintError> {
    if !dir.is_dir() {
        return Err(LintError::Missing(dir.to_path_buf()));
    }
    let read = |source| LintError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read)? {
        let path = entry.map_err(read)?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "sql") {
            files.push(path);
        }
    }
    migration_order(&mut files);
    Ok(files)
}

/// Sorts files as migrations run: `V{n}__name.sql` by `n`, then any other file by name.
pub fn migration_order(files: &mut [PathBuf]) {
    files.sort_by_cached_key(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let version = name
            .strip_prefix('V')
            .and_then(|rest| rest.split_once("__"))
            .and_then(|(n, _)| n.parse::<u64>().ok());
        (version.is_none(), version.unwrap_or(0), name)
    });
}

/// Lints files in the order given (migration order: see [`migration_order`]).
pub fn lint_files(files: &[PathBuf], decl: Option<&Declaration>) -> Result<LintReport, LintError> {
    let mut sources = Vec::new();
    for path in files {
        let text = std::fs::read(path).map_err(|source| LintError::Read {
            path: path.clone(),
            source,
        })?;
        sources.push((path.clone(), String::from_utf8_lossy(&text).into_owned()));
    }
    Ok(lint_sources(sources, decl))
}

/// Lints the texts of files, in migration order.
pub fn lint_sources(sources: Vec<(PathBuf, String)>, decl: Option<&Declaration>) -> LintReport {
    let scope = Scope::new(decl);
    let mut history = History::default();
    let mut report = LintReport::default();
    for (index, (path, text)) in sources.into_iter().enumerate() {
        history.start_file(index);
        report.files.push(path.clone());
        let first = report.findings.len();
        match Source::parse(path.clone(), text.clone()) {
            Err(e) => {
                let (line, col) = source::line_col(&text, e.offset.unwrap_or(0));
                report.findings.push(LintFinding {
                    rule: rules::SYNTAX.id,
                    name: rules::SYNTAX.name,
                    level: rules::SYNTAX.level,
                    file: path,
                    line,
                    col,
                    message: format!(
                        "the file does not parse: {}; nothing in it was linted",
                        e.message
                    ),
                    fix: "fix the SQL (PostgreSQL's own parser read it)".into(),
                });
            }
            Ok(source) => lint_file(&source, scope, &mut history, &mut report),
        }
        report.findings[first..]
            .sort_by(|a, b| (a.line, a.col, a.rule).cmp(&(b.line, b.col, b.rule)));
    }
    report
}

fn lint_file(source: &Source, scope: Scope, history: &mut History, report: &mut LintReport) {
    let allows = allow::allows(source);
    let mut used = vec![false; allows.len()];
    let mut search_path = names::DEFAULT_SCHEMA.to_string();
    for index in 0..source.statements.len() {
        let cx = Cx {
            source,
            index,
            history,
            scope,
            search_path: &search_path,
        };
        for rule in RULES {
            let Some(check) = rule.check else { continue };
            for hit in check(&cx) {
                let finding = finding(source, rule, hit);
                let silencer = allows.iter().position(|a| {
                    a.statement == Some(index) && a.rule == rule.id && !a.reason.is_empty()
                });
                match silencer {
                    Some(j) => {
                        used[j] = true;
                        report.allowed.push(Allowed {
                            finding,
                            reason: allows[j].reason.clone(),
                            comment_line: source.line(allows[j].at),
                        });
                    }
                    None => report.findings.push(finding),
                }
            }
        }
        let node = &source.statements[index].node;
        history.apply(node, &search_path);
        if let Some(path) = set_search_path(node) {
            search_path = path;
        }
    }
    for (a, used) in allows.iter().zip(used) {
        let known = rules::rule(&a.rule).is_some_and(|r| r.check.is_some());
        let (rule, message, fix) = if !known {
            (
                &rules::ALLOW_MALFORMED,
                format!(
                    "`-- rlsctl:allow {}` names no rule that can be allowed",
                    a.rule
                ),
                "name a rule id (MIG001 ... MIG016) and say why: `-- rlsctl:allow MIG001 <reason>`",
            )
        } else if a.reason.is_empty() {
            (
                &rules::ALLOW_MALFORMED,
                format!(
                    "`-- rlsctl:allow {}` gives no reason, so it silences nothing",
                    a.rule
                ),
                "say why the finding is safe here: `-- rlsctl:allow RULE <reason>`",
            )
        } else if !used {
            (
                &rules::ALLOW_UNUSED,
                format!(
                    "`-- rlsctl:allow {}` silences nothing: no {} finding on the statement it covers",
                    a.rule, a.rule
                ),
                "remove the comment, or put it on the line just before the statement it is about",
            )
        } else {
            continue;
        };
        report.findings.push(finding(
            source,
            rule,
            Hit {
                at: a.at,
                message,
                fix: fix.to_string(),
                level: None,
            },
        ));
    }
}

fn finding(source: &Source, rule: &Rule, hit: Hit) -> LintFinding {
    let (line, col) = source.line_col(hit.at);
    LintFinding {
        rule: rule.id,
        name: rule.name,
        level: hit.level.unwrap_or(rule.level),
        file: source.path.clone(),
        line,
        col,
        message: hit.message,
        fix: hit.fix,
    }
}

/// The schema a `SET [LOCAL] search_path` makes unqualified names resolve to.
fn set_search_path(node: &NodeEnum) -> Option<String> {
    let NodeEnum::VariableSetStmt(v) = node else {
        return None;
    };
    if !v.name.eq_ignore_ascii_case("search_path") {
        return None;
    }
    if v.kind == VariableSetKind::VarSetDefault as i32 || v.kind == VariableSetKind::VarReset as i32
    {
        return Some(names::DEFAULT_SCHEMA.to_string());
    }
    v.args.iter().find_map(|a| match &a.node {
        Some(NodeEnum::AConst(c)) => match &c.val {
            Some(pg_query::protobuf::a_const::Val::Sval(s)) if !s.sval.starts_with('$') => {
                Some(s.sval.clone())
            }
            _ => None,
        },
        _ => None,
    })
}
