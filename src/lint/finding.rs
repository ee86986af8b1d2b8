//! What a lint run returns: findings (each with its rule, level, place, message
//! and fix), the findings silenced by a reasoned `-- rlsctl:allow` comment, and
//! the one rule of whether the run fails.

use std::path::PathBuf;

use serde::Serialize;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Worth a look; never fails the run.
    Warning,
    /// Fails the run (`rlsctl lint` exits 1, `verify` fails) unless silenced.
    Error,
}

impl Level {
    /// The level as a word (`error`, `warning`).
    pub fn word(self) -> &'static str {
        match self {
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// One finding of one rule on one statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintFinding {
    /// The rule's id (`MIG001`).
    pub rule: &'static str,
    /// The rule's short name (`index-not-concurrent`).
    pub name: &'static str,
    /// Its level.
    pub level: Level,
    /// The migration file.
    pub file: PathBuf,
    /// 1-based line of the statement (or comment) it is about.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// What is wrong, naming the object.
    pub message: String,
    /// What to do instead.
    pub fix: String,
}

impl LintFinding {
    /// `file:line:col`.
    pub fn place(&self) -> String {
        format!("{}:{}:{}", self.file.display(), self.line, self.col)
    }
}

/// A finding silenced by an allow comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Allowed {
    /// The finding that would have been reported.
    pub finding: LintFinding,
    /// The reason the comment gives.
    pub reason: String,
    /// 1-based line of the allow comment.
    pub comment_line: usize,
}

/// The result of linting a set of migration files.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LintReport {
    /// The files linted, in the order they were read (migration order).
    pub files: Vec<PathBuf>,
    /// Findings not silenced, in file order, then line and column.
    pub findings: Vec<LintFinding>,
    /// Findings silenced by `-- rlsctl:allow RULE reason`.
    pub allowed: Vec<Allowed>,
}

impl LintReport {
    /// Unsilenced findings of `level`.
    pub fn count(&self, level: Level) -> usize {
        self.findings.iter().filter(|f| f.level == level).count()
    }

    /// The one pass/fail rule: the run fails on any unsilenced error.
    pub fn failed(&self) -> bool {
        self.count(Level::Error) > 0
    }
}

/// Why a lint run could not run (a finding is never an error: a file that does not
/// parse is a finding).
#[derive(Debug, thiserror::Error)]
pub enum LintError {
    /// A file or directory could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// What was being read.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A path given is neither a file nor a directory.
    #[error("{}: no such file or directory (give migration files or a directory of them)", .0.display())]
    Missing(PathBuf),
}
