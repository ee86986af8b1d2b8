//! A finding: one check's verdict on one object.

use serde::{Deserialize, Serialize};

/// How bad a finding is. Ordered most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Exploitable by a client role as configured.
    Error,
    /// A likely leak, or depends on intent.
    Warn,
    /// Hygiene, availability, performance.
    Info,
}

impl Level {
    /// The level's name (`error`, `warn`, `info`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
        }
    }

    /// Whether this level is at or above `threshold` in severity.
    pub fn at_least(self, threshold: Level) -> bool {
        self <= threshold
    }
}

/// One check's verdict on one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The stable key for suppressions and baselines: `<id>:<object>`.
    pub key: String,
    /// The check's id (`RLS001`).
    pub check: String,
    /// The check's name (`rls_disabled_on_client_relation`).
    pub name: String,
    /// The level.
    pub level: Level,
    /// The object (`app.projects`, `policy p on app.projects`, `role anon`).
    pub object: String,
    /// Why: what was seen, e.g. the effective policy set.
    pub reason: String,
    /// The fix, as SQL when there is one.
    pub remediation: Option<String>,
}
