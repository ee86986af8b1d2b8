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
    /// Who can exploit it: through the HTTP API, only with a direct SQL
    /// session, or no client at all; the level follows it (`reach`).
    #[serde(default)]
    pub reach: Reach,
    /// Findings of other checks with the same root cause, merged into this one:
    /// `SID002 fk_without_tenant_key: ...`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consequences: Vec<String>,
    /// The keys of the merged findings (an `[audit] ignore` or baseline entry
    /// naming one of them still matches).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merged: Vec<String>,
    /// The root cause findings of several checks share (`fk:app.t.c_fk`); merged
    /// into one finding by `reach::merge`.
    #[serde(skip)]
    pub root: Option<String>,
    /// Set by the check itself (`with_reach`): not derived from the object.
    #[serde(skip)]
    pub reach_fixed: bool,
}

/// Who can exploit a finding.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Reach {
    /// A client through the HTTP API (PostgREST exposes the object's schema and
    /// the client roles hold what it needs).
    Api,
    /// Only a client with a direct SQL session (privileges PostgREST cannot use,
    /// schemas it does not expose, or no API at all).
    #[default]
    DirectSql,
    /// No client holds what it needs (hygiene).
    None,
}

impl Reach {
    /// The reach's name (`api`, `direct-sql`, `none`).
    pub fn as_str(self) -> &'static str {
        match self {
            Reach::Api => "api",
            Reach::DirectSql => "direct-sql",
            Reach::None => "none",
        }
    }
}

impl Finding {
    /// The finding with a reach its check decided.
    pub fn with_reach(mut self, reach: Reach) -> Self {
        self.reach = reach;
        self.reach_fixed = true;
        self
    }

    /// The finding marked with its root cause, shared by other checks' findings.
    pub fn with_root(mut self, root: String) -> Self {
        self.root = Some(root);
        self
    }

    /// Whether `key` names this finding or one merged into it.
    pub fn answers_to(&self, key: &str) -> bool {
        self.key == key || self.merged.iter().any(|k| k == key)
    }
}
