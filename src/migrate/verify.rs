//! The verdict of `rlsctl verify`, the CI gate: its stages in order, each passed,
//! failed or skipped (a stage whose input an earlier failure took away), with its
//! figures. `VerifyReport::passed` is the one rule the exit code follows.

use serde::Serialize;

/// How a stage ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// It ran and found nothing wrong.
    Passed,
    /// It ran and found something wrong (or could not run).
    Failed,
    /// It did not run: an earlier stage failed, or it does not apply.
    Skipped,
}

impl Status {
    /// The word shown to people.
    pub fn word(self) -> &'static str {
        match self {
            Status::Passed => "ok",
            Status::Failed => "FAILED",
            Status::Skipped => "skipped",
        }
    }
}

/// One stage of the gate.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    /// Its name (`validate`, `replay`, `drift`, `tests`, `audit`, ...).
    pub name: &'static str,
    /// How it ended.
    pub status: Status,
    /// What it counted ("7 migrations, 96 statements"), or why it failed.
    pub figures: String,
    /// Seconds it took.
    pub seconds: f64,
}

/// Every stage of one `verify` run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct VerifyReport {
    /// The stages, in the order they ran.
    pub stages: Vec<Stage>,
}

impl VerifyReport {
    /// Records a stage.
    pub fn push(
        &mut self,
        name: &'static str,
        status: Status,
        figures: impl Into<String>,
        seconds: f64,
    ) {
        self.stages.push(Stage {
            name,
            status,
            figures: figures.into(),
            seconds,
        });
    }

    /// Whether the gate passes: every stage that ran passed, and one ran.
    pub fn passed(&self) -> bool {
        self.stages.iter().any(|s| s.status == Status::Passed)
            && self.stages.iter().all(|s| s.status != Status::Failed)
    }

    /// The failed stages.
    pub fn failed(&self) -> impl Iterator<Item = &Stage> {
        self.stages.iter().filter(|s| s.status == Status::Failed)
    }
}
