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

    /// Whether this verdict fails the run under `rules`.
    pub fn fails(&self, rules: Rules) -> bool {
        match self {
            Verdict::Leak | Verdict::DenyAll | Verdict::Error(_) => true,
            Verdict::SideChannel => rules.side_channel_fails,
            Verdict::Unreliable => !rules.allow_unreliable,
            Verdict::Pass => false,
        }
    }

    /// The label counted in the summary (`ERROR` without its SQLSTATE).
    pub fn kind(&self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Leak => "LEAK",
            Verdict::SideChannel => "SIDE-CHANNEL",
            Verdict::DenyAll => "DENY-ALL",
            Verdict::Error(_) => "ERROR",
            Verdict::Unreliable => "UNRELIABLE",
        }
    }
}

/// What fails a run besides LEAK, DENY-ALL, ERROR and failed policy tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Rules {
    /// SIDE-CHANNEL fails the run (`--fail-on side-channel`).
    pub side_channel_fails: bool,
    /// UNRELIABLE does not fail the run (`--allow-unreliable`).
    pub allow_unreliable: bool,
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
    /// Call a client-callable function with B's values as arguments.
    Call,
    /// Delete the global row (no tenant column) B's row references with a cascading key.
    GlobalCascade,
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
            Probe::Call => "call",
            Probe::GlobalCascade => "global-cascade",
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
    pub repro: Option<Repro>,
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

/// A runnable script that shows a finding (it rolls back): the seeding head,
/// which the findings of one relation share, then this probe's steps.
/// Serialized as the whole script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repro {
    /// `begin;` and the rows seeded for both tenants.
    pub seed: String,
    /// Becoming the principal, the statement, ground truth, `rollback;`.
    pub steps: String,
    /// The probe statement alone.
    pub statement: String,
}

impl Repro {
    /// The whole script.
    pub fn script(&self) -> String {
        format!("{}{}", self.seed, self.steps)
    }
}

impl Serialize for Repro {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.script())
    }
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

/// A tenant relation in scope that the matrix left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotProbed {
    /// The relation, as SQL.
    pub relation: String,
    /// Why no probe ran on it.
    pub reason: String,
}

/// The one pass/fail rule of `rlsctl test`: `report` renders it, `cli` maps
/// `passed` to the exit code.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Whether the run passed (exit 0).
    pub passed: bool,
    /// Why it failed, one sentence each; empty when it passed.
    pub failures: Vec<String>,
    /// Whether the automatic proof ran (not `--tests-only`).
    pub proof_ran: bool,
    /// Probes run.
    pub probes: usize,
    /// Probe count per verdict kind (`PASS`, `LEAK`, `ERROR`, ...).
    pub verdicts: std::collections::BTreeMap<String, usize>,
    /// Tenant relations in scope.
    pub relations: usize,
    /// Relations probed with no UNRELIABLE verdict: the ones actually proven.
    pub proven: usize,
    /// Relations no client role can access, left out of the matrix.
    pub not_probed: usize,
    /// Relations probed with an UNRELIABLE verdict (a probe could not run:
    /// not seeded, the role could not be become): probed but not proven.
    pub unreliable: usize,
    /// Client-callable functions called with B's values (`call` probes).
    pub functions: usize,
    /// Of those, the ones whose call ran and was judged (no ERROR, no UNRELIABLE).
    pub functions_proven: usize,
    /// Client-callable functions not called (arguments matched nothing).
    pub functions_not_probed: usize,
    /// Hand-written tests run.
    pub tests: usize,
    /// Hand-written tests that failed.
    pub tests_failed: usize,
}

/// Everything `rlsctl test` found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// The verdict of the run.
    pub summary: Summary,
    /// Scope of the run.
    pub scope: Scope,
    /// Probe verdicts, relation by relation.
    pub outcomes: Vec<Outcome>,
    /// Tenant relations in scope that no probe ran on, with the reason.
    pub not_probed: Vec<NotProbed>,
    /// Client-callable functions that were not called, with the reason.
    pub functions_not_probed: Vec<NotProbed>,
    /// Hand-written test results.
    pub tests: Vec<TestResult>,
    /// Seeding gaps and other things that weaken the proof.
    pub warnings: Vec<String>,
    /// The rules the summary was decided by.
    pub rules: Rules,
    /// Seconds the run took.
    pub seconds: f64,
}

impl Report {
    /// Decides the run under `rules`; `proof_ran` is false for `--tests-only`.
    pub fn summarize(&self, rules: Rules, proof_ran: bool) -> Summary {
        let mut verdicts = std::collections::BTreeMap::new();
        for o in &self.outcomes {
            *verdicts.entry(o.verdict.kind().to_string()).or_insert(0) += 1;
        }
        // Function calls are counted apart from relations.
        let calls: std::collections::BTreeSet<&str> = self
            .outcomes
            .iter()
            .filter(|o| o.probe == Probe::Call)
            .map(|o| o.relation.as_str())
            .collect();
        let calls_unproven = self
            .outcomes
            .iter()
            .filter(|o| o.probe == Probe::Call)
            .filter(|o| matches!(o.verdict, Verdict::Unreliable | Verdict::Error(_)))
            .map(|o| o.relation.as_str())
            .collect::<std::collections::BTreeSet<&str>>()
            .len();
        let probed: std::collections::BTreeSet<&str> = self
            .outcomes
            .iter()
            .filter(|o| o.probe != Probe::Call)
            .map(|o| o.relation.as_str())
            .collect();
        // Views, partitions and functions that reach a tenant table are probed
        // too: they count among the relations, so "N of M proven" never has N > M.
        let relations = self
            .scope
            .relations
            .iter()
            // `kind name (tenant column)`: the outcomes name `kind name`.
            .map(|r| r.split(" (").next().unwrap_or(r))
            .chain(probed.iter().copied())
            .collect::<std::collections::BTreeSet<&str>>()
            .len();
        let unreliable: std::collections::BTreeSet<&str> = self
            .outcomes
            .iter()
            .filter(|o| o.verdict == Verdict::Unreliable && o.probe != Probe::Call)
            .map(|o| o.relation.as_str())
            .collect();
        let proven = probed.difference(&unreliable).count();
        let tests_failed = self.tests.iter().filter(|t| !t.passed).count();
        let count = |kind: &str| verdicts.get(kind).copied().unwrap_or(0);
        let mut failures = Vec::new();
        for kind in ["LEAK", "DENY-ALL", "ERROR"] {
            if count(kind) > 0 {
                failures.push(format!("{} {kind} verdict(s)", count(kind)));
            }
        }
        if rules.side_channel_fails && count("SIDE-CHANNEL") > 0 {
            failures.push(format!(
                "{} SIDE-CHANNEL verdict(s) (--fail-on side-channel)",
                count("SIDE-CHANNEL")
            ));
        }
        if !rules.allow_unreliable && count("UNRELIABLE") > 0 {
            failures.push(format!(
                "{} UNRELIABLE verdict(s) on {} relation(s): those probes proved nothing (--allow-unreliable accepts them)",
                count("UNRELIABLE"),
                unreliable.len()
            ));
        }
        if tests_failed > 0 {
            failures.push(format!(
                "{tests_failed} of {} policy test(s) failed",
                self.tests.len()
            ));
        }
        if proof_ran && relations == 0 {
            failures.push("no tenant relation found: nothing was proven".into());
        } else if proof_ran && probed.is_empty() {
            failures.push("no tenant relation was probed: nothing was proven".into());
        }
        if !proof_ran && self.tests.is_empty() {
            failures.push("--tests-only, and there is no policy test: nothing ran".into());
        }
        Summary {
            passed: failures.is_empty(),
            failures,
            proof_ran,
            probes: self.outcomes.len(),
            verdicts,
            relations,
            proven,
            not_probed: self.not_probed.len(),
            unreliable: unreliable.len(),
            functions: calls.len(),
            functions_proven: calls.len() - calls_unproven,
            functions_not_probed: self.functions_not_probed.len(),
            tests: self.tests.len(),
            tests_failed,
        }
    }
}
