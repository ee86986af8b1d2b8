//! What the proof found: verdicts per relation × principal × probe, and the
//! results of the hand-written tests.

use serde::Serialize;

/// The verdict of one probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "verdict",
    content = "sqlstate",
    rename_all = "SCREAMING-KEBAB-CASE"
)]
pub enum Verdict {
    /// Isolation held.
    Pass,
    /// The principal reached rows of another tenant.
    Leak,
    /// The principal learned that another tenant's value exists.
    SideChannel,
    /// The own-tenant control failed: isolation holds only vacuously.
    DenyAll,
    /// The probe failed with this SQLSTATE where it must not (availability).
    Error(String),
    /// A precondition failed; the probe proves nothing.
    Unreliable,
}

impl Verdict {
    /// Rank for "worst of": higher is worse.
    pub fn severity(&self) -> u8 {
        match self {
            Verdict::Pass => 0,
            Verdict::Unreliable => 1,
            Verdict::SideChannel => 2,
            Verdict::DenyAll => 3,
            Verdict::Error(_) => 4,
            Verdict::Leak => 5,
        }
    }

    /// The label printed in reports.
    pub fn label(&self) -> String {
        match self {
            Verdict::Pass => "PASS".into(),
            Verdict::Leak => "LEAK".into(),
            Verdict::SideChannel => "SIDE-CHANNEL".into(),
            Verdict::DenyAll => "DENY-ALL".into(),
            Verdict::Error(code) => format!("ERROR {code}"),
            Verdict::Unreliable => "UNRELIABLE".into(),
        }
    }

    /// Whether this verdict fails the run (`side_channel`: `--fail-on side-channel`).
    pub fn fails(&self, side_channel: bool) -> bool {
        match self {
            Verdict::Leak | Verdict::DenyAll | Verdict::Error(_) => true,
            Verdict::SideChannel => side_channel,
            Verdict::Pass | Verdict::Unreliable => false,
        }
    }
}

/// One probe of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Probe {
    /// `SELECT` every visible row; also the own-tenant read control.
    Read,
    /// Insert a copy of an own row as the principal's tenant (control).
    OwnInsert,
    /// Insert a row of tenant B without RETURNING.
    ForeignInsert,
    /// Insert a row of tenant B with RETURNING (PostgREST style).
    ForeignInsertReturning,
    /// `UPDATE ... WHERE key = <B's row>`.
    UpdateTargeted,
    /// `UPDATE r SET c = c` without WHERE.
    UpdateAll,
    /// Move an own row to tenant B by key.
    MoveRow,
    /// Move every row to tenant B (no WHERE).
    MoveAll,
    /// `DELETE ... WHERE key = <B's row>`.
    DeleteTargeted,
    /// `DELETE FROM r` without WHERE.
    DeleteAll,
    /// `TRUNCATE r`.
    Truncate,
    /// Insert with B's unique key: does the error tell B's key exists?
    UniqueOracle,
    /// `INSERT ... ON CONFLICT DO NOTHING` with B's unique key vs a fresh key.
    UniqueOracleOnConflictNothing,
    /// `INSERT ... ON CONFLICT (key) DO UPDATE` with B's unique key vs a fresh key.
    UniqueOracleOnConflictUpdate,
    /// Insert an own row referencing B's parent row.
    ForeignKeyLink,
    /// B deletes its parent: does A's linked row change?
    Cascade,
    /// Write oneself into a table the policies read, then read again.
    MembershipSelfGrant,
}

impl Probe {
    /// The name printed in reports.
    pub fn name(self) -> &'static str {
        match self {
            Probe::Read => "read",
            Probe::OwnInsert => "own-insert",
            Probe::ForeignInsert => "foreign-insert",
            Probe::ForeignInsertReturning => "foreign-insert-returning",
            Probe::UpdateTargeted => "update-targeted",
            Probe::UpdateAll => "update-all",
            Probe::MoveRow => "move-row",
            Probe::MoveAll => "move-all",
            Probe::DeleteTargeted => "delete-targeted",
            Probe::DeleteAll => "delete-all",
            Probe::Truncate => "truncate",
            Probe::UniqueOracle => "unique-oracle",
            Probe::UniqueOracleOnConflictNothing => "unique-oracle-on-conflict-nothing",
            Probe::UniqueOracleOnConflictUpdate => "unique-oracle-on-conflict-update",
            Probe::ForeignKeyLink => "fk-link",
            Probe::Cascade => "cascade",
            Probe::MembershipSelfGrant => "membership-self-grant",
        }
    }
}

/// The verdict of one probe of one relation as one principal.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The relation, as SQL.
    pub relation: String,
    /// The principal's name.
    pub principal: String,
    /// The probe.
    pub probe: Probe,
    /// Its verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// What happened, in a sentence.
    pub detail: String,
    /// For a LEAK or SIDE-CHANNEL: a script that shows it (rolled back).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repro: Option<String>,
    /// Rows of the other tenant the probe reached, as JSON text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reached: Vec<String>,
    /// The policies on the relation (name, command, mode, using, with check).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub policies: Vec<String>,
    /// How to fix it, where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

/// The result of one hand-written test.
#[derive(Debug, Clone, Serialize)]
pub struct TestResult {
    /// The test's name.
    pub name: String,
    /// `file:line`.
    pub location: String,
    /// Whether it passed.
    pub passed: bool,
    /// What was expected.
    pub expected: String,
    /// What happened.
    pub got: String,
}

/// What the run covered, printed before any verdict.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scope {
    /// Schemas searched.
    pub schemas: Vec<String>,
    /// Client roles.
    pub roles: Vec<String>,
    /// Tenant relations found (`kind name (tenant column)`).
    pub relations: Vec<String>,
    /// Principals probed.
    pub principals: Vec<String>,
    /// The role that read ground truth, and whether it bypasses RLS.
    pub connected_as: String,
}

/// Everything `rlsctl test` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Scope of the run.
    pub scope: Scope,
    /// Probe verdicts, relation by relation.
    pub outcomes: Vec<Outcome>,
    /// Hand-written test results.
    pub tests: Vec<TestResult>,
    /// Seeding gaps and other things that weaken the proof.
    pub warnings: Vec<String>,
    /// Seconds the run took.
    pub seconds: f64,
}

impl Report {
    /// Whether the run fails (exit 1).
    pub fn failed(&self, side_channel: bool) -> bool {
        self.outcomes.iter().any(|o| o.verdict.fails(side_channel))
            || self.tests.iter().any(|t| !t.passed)
            || (self.outcomes.is_empty()
                && self.scope.relations.is_empty()
                && self.tests.is_empty())
    }
}
