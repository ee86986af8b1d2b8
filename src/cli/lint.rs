//! `rlsctl lint [FILES|DIR]`: the migration lint, offline. Uses the project's
//! declaration (tenant tables, public tables, RLS switches) when the project has
//! an `rlsctl.toml`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::failure::{Failure, fail};
use super::validate::load_declaration;
use super::{Format, color};
use crate::lint;
use crate::report;

/// Options of `rlsctl lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Migration files, or directories of them (default: the project's `migrations/`).
    #[arg(value_name = "FILES|DIR")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also write the findings as SARIF 2.1.0 to FILE (for code-scanning UIs).
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
}

/// Lints the migrations; exit 1 on any error finding not silenced.
pub(super) fn lint(project: &Path, args: &LintArgs) -> Result<ExitCode, Failure> {
    let declaration = if project.join("rlsctl.toml").is_file() {
        Some(load_declaration(project)?)
    } else {
        None
    };
    let paths = if args.paths.is_empty() {
        vec![if project == Path::new(".") {
            PathBuf::from("migrations")
        } else {
            project.join("migrations")
        }]
    } else {
        args.paths.clone()
    };
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            files.extend(lint::migration_files(&path).map_err(fail)?);
        } else if path.is_file() {
            files.push(path);
        } else {
            return Err(fail(lint::LintError::Missing(path)));
        }
    }
    lint::migration_order(&mut files);
    let report = lint::lint_files(&files, declaration.as_ref()).map_err(fail)?;
    if let Some(path) = &args.sarif {
        let text = serde_json::to_string_pretty(&report::lint::sarif(&report)).map_err(fail)?;
        std::fs::write(path, text + "\n")
            .map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
    }
    match args.format {
        Format::Human => out!("{}", report::lint::human(&report, color())),
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&report::lint::json(&report)).map_err(fail)?
        ),
    }
    Ok(if report.failed() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
