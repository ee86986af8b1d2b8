//! The audit trail's integrity probes (issue 15): with a row of an audited
//! table seeded for tenants A and B (so the trigger wrote an entry for each),
//! a user of A must not read B's entries, nor insert an entry for A or for B,
//! nor update, delete or truncate any entry; and an update by A must be
//! recorded with A's tenant, A's actor and the role A acts as, never the
//! definer. Every verdict is read as the connecting role after `RESET ROLE`,
//! inside one transaction that is rolled back. The results are reported as
//! generated policy tests (`audit trail: ...`).

use std::collections::HashMap;

use tokio_postgres::Client;

use super::impersonate::{self, Principal};
use super::outcome::TestResult;
use super::seed::{Row, Seeder};
use super::session::{self, Failure};
use super::transaction::{self, BEGIN};
use super::{Plan, ProveError};
use crate::catalog::{Catalog, ConstraintKind, Table};
use crate::spec::Declaration;
use crate::sql::{QualifiedName, quote_ident, quote_literal};

/// The declared audit trail, as the probes need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrailPlan {
    /// The log table.
    pub log: QualifiedName,
    /// Its tenant column.
    pub tenant_column: String,
    /// The audited tables.
    pub audited: Vec<QualifiedName>,
    /// The SQL recorded as the actor.
    pub actor: String,
    /// `file:line` of `[audit_log]`.
    pub location: String,
}

impl TrailPlan {
    /// The trail of a declared project, if it declares one.
    pub fn from_declaration(declaration: &Declaration) -> Option<TrailPlan> {
        let trail = declaration.audit_trail.as_ref()?;
        let location = declaration
            .tables
            .iter()
            .find(|t| t.name == trail.log)
            .and_then(|t| t.origin.as_ref())
            .map(|o| format!("{}:{}", o.file, o.line))
            .unwrap_or_else(|| "rlsctl.toml".to_string());
        Some(TrailPlan {
            log: trail.log.clone(),
            tenant_column: trail.tenant_column.clone(),
            audited: trail.audited.iter().map(|(t, _)| t.clone()).collect(),
            actor: trail.actor.clone(),
            location,
        })
    }
}

/// The marker a forged or altered entry carries.
const FORGED: &str = "rlsctl-forged";

/// Runs the probes when the plan declares a trail and proves.
pub async fn run(
    client: &Client,
    catalog: &Catalog,
    plan: &Plan,
    warnings: &mut Vec<String>,
) -> Result<Vec<TestResult>, ProveError> {
    let Some(trail) = plan.trail.as_ref().filter(|_| plan.prove) else {
        return Ok(Vec::new());
    };
    let Some(role) = plan
        .impersonate
        .role
        .clone()
        .or_else(|| plan.roles.first().cloned())
    else {
        return Ok(Vec::new());
    };
    let Some(log) = catalog.tables.iter().find(|t| t.name == trail.log) else {
        return Ok(vec![result(
            trail,
            "the log exists",
            "the table",
            false,
            format!("no table {} in the database", trail.log),
        )]);
    };
    let tenant_type = log
        .column(&trail.tenant_column)
        .map_or_else(|| "uuid".to_string(), |c| c.data_type.clone());
    let a = impersonate::tenant_value(&tenant_type, 'a');
    let b = impersonate::tenant_value(&tenant_type, 'b');
    let user_a = uuid::Uuid::new_v4().to_string();
    let user_b = uuid::Uuid::new_v4().to_string();
    let alice = Principal::user("user of A", &plan.impersonate, Some(&role), &a, &user_a);
    let bob = Principal::user("user of B", &plan.impersonate, Some(&role), &b, &user_b);

    session::run(client, BEGIN)
        .await
        .map_err(|f| ProveError::Failed(f.message))?;
    let probes = Probes {
        client,
        trail,
        log,
        alice: &alice,
        a: &a,
        b: &b,
    };
    let outcome = async {
        let tenant_columns: HashMap<QualifiedName, String> = catalog
            .tables
            .iter()
            .filter_map(|t| {
                let column = plan
                    .tenant_columns
                    .get(&t.name)
                    .cloned()
                    .unwrap_or_else(|| plan.tenant_column.clone());
                t.column(&column).map(|_| (t.name.clone(), column))
            })
            .collect();
        let users = HashMap::from([(a.clone(), user_a.clone()), (b.clone(), user_b.clone())]);
        let mut seeder = Seeder::new(client, catalog, &tenant_columns, &plan.samples, users);
        let mut seeded: Vec<(&Table, Row)> = Vec::new();
        let mut problems = Vec::new();
        for name in &trail.audited {
            let Some(table) = catalog.tables.iter().find(|t| t.name == *name) else {
                continue;
            };
            match (
                seeder.tenant_row(name, &a).await,
                seeder.tenant_row(name, &b).await,
            ) {
                (Ok(row), Ok(_)) => seeded.push((table, row)),
                (Err(why), _) | (_, Err(why)) => problems.push(format!("{name}: {why}")),
            }
        }
        transaction::ensure_open(client, "the audit trail's seeding").await?;
        let setup: String = alice
            .setup
            .iter()
            .chain(&bob.setup)
            .map(|s| format!("{s};\n"))
            .collect();
        if !setup.is_empty()
            && let Err(f) = session::run_all(
                client,
                &format!("savepoint trail_setup; {setup} release savepoint trail_setup"),
            )
            .await
        {
            let _ = session::run_all(
                client,
                "rollback to savepoint trail_setup; release savepoint trail_setup",
            )
            .await;
            warnings.push(format!(
                "the impersonation setup failed for the audit trail's probes: {} (SQLSTATE {})",
                f.message, f.code
            ));
        }
        if seeded.is_empty() {
            let why = format!(
                "no audited table could be seeded for tenants A and B ({})",
                problems.join("; ")
            );
            if plan.rules.allow_unreliable {
                warnings.push(format!("the audit trail's probes did not run: {why}"));
                return Ok(Vec::new());
            }
            return Ok(vec![result(
                trail,
                "seeding",
                "a row of an audited table per tenant",
                false,
                why,
            )]);
        }
        probes.all(&seeded, warnings).await
    }
    .await;
    let rolled_back = session::run(client, "rollback").await;
    let results = outcome?;
    rolled_back.map_err(|f| ProveError::Failed(f.message))?;
    Ok(results)
}

fn result(trail: &TrailPlan, name: &str, expected: &str, passed: bool, got: String) -> TestResult {
    TestResult {
        name: format!("audit trail {}: {name}", trail.log),
        location: trail.location.clone(),
        passed,
        expected: expected.to_string(),
        got,
    }
}

struct Probes<'p> {
    client: &'p Client,
    trail: &'p TrailPlan,
    log: &'p Table,
    alice: &'p Principal,
    a: &'p str,
    b: &'p str,
}

impl Probes<'_> {
    async fn all(
        &self,
        seeded: &[(&Table, Row)],
        warnings: &mut Vec<String>,
    ) -> Result<Vec<TestResult>, ProveError> {
        let log = self.trail.log.sql();
        let tenant = quote_ident(&self.trail.tenant_column);
        let mut out = Vec::new();
        let of_b = self
            .truth(&format!(
                "select count(*) from {log} where {tenant}::text = {}",
                quote_literal(self.b)
            ))
            .await?;
        if of_b == 0 {
            out.push(self.result(
                "B's row is recorded",
                "an entry for B's seeded row",
                false,
                "seeding B's rows wrote no entry: the audit trigger is missing, disabled or writes elsewhere (or the connecting role cannot read the log past RLS)".into(),
            ));
            return Ok(out);
        }

        // A user of A reads no entry of another tenant.
        let read = format!(
            "select count(*) from {log} where {tenant}::text <> {}",
            quote_literal(self.a)
        );
        let got = match self.as_alice(&read).await? {
            Err(f) if f.is_denial() => (true, format!("denied ({}): not a reader", f.code)),
            Err(f) => (false, format!("error {} ({})", f.code, f.message)),
            Ok((done, _)) => {
                let n = done
                    .rows
                    .first()
                    .and_then(|r| r.get(0))
                    .unwrap_or("0")
                    .to_string();
                (
                    n == "0",
                    format!("{n} entr(ies) of other tenants read ({of_b} of B exist)"),
                )
            }
        };
        out.push(self.result(
            "a user of A cannot read B's entries",
            "no entry of another tenant",
            got.0,
            got.1,
        ));

        // A user of A forges no entry, for A or for B.
        for (who, value) in [("A", self.a), ("B", self.b)] {
            let forge = format!(
                "insert into {log} ({tenant}, actor, caller, action, table_name, row_key) values ({}, {}, {}, 'UPDATE', {}, '{{}}')",
                quote_literal(value),
                quote_literal(FORGED),
                quote_literal(FORGED),
                quote_literal(FORGED),
            );
            let count = format!(
                "select count(*) from {log} where actor = {}",
                quote_literal(FORGED)
            );
            let (passed, got) = self.unchanged(&forge, &count).await?;
            out.push(self.result(
                &format!("a user of A cannot forge an entry for {who}"),
                "refused, no entry written",
                passed,
                got,
            ));
        }

        // Nor alters, erases or truncates any.
        let forged = format!(
            "select count(*) from {log} where actor = {}",
            quote_literal(FORGED)
        );
        let all = format!("select count(*) from {log}");
        for (what, sql, truth) in [
            (
                "update",
                format!("update {log} set actor = {}", quote_literal(FORGED)),
                &forged,
            ),
            ("delete", format!("delete from {log}"), &all),
            ("truncate", format!("truncate {log}"), &all),
        ] {
            let (passed, got) = self.unchanged(&sql, truth).await?;
            out.push(self.result(
                &format!("a user of A cannot {what} any entry"),
                "refused or no entry changed",
                passed,
                got,
            ));
        }

        // An update by A is recorded with A's tenant, actor and role.
        match self.recorded_update(seeded).await? {
            Some((passed, got)) => out.push(self.result(
                "an update by A is recorded with A's actor and tenant",
                &format!(
                    "an UPDATE entry with tenant A, the actor {} evaluates to for A, and caller {}",
                    self.trail.actor,
                    self.alice.role.as_deref().unwrap_or("the login")
                ),
                passed,
                got,
            )),
            None => warnings.push(format!(
                "the audit trail's actor probe did not run: the user of A updates no seeded row of {}",
                self.trail
                    .audited
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
        Ok(out)
    }

    fn result(&self, name: &str, expected: &str, passed: bool, got: String) -> TestResult {
        result(self.trail, name, expected, passed, got)
    }

    /// Runs `sql` as the user of A in a savepoint. On success the ground truth
    /// `truth` (a count) is read as the connecting role before the savepoint is
    /// rolled back; the outcome is `Err` when the statement failed.
    async fn as_alice(
        &self,
        sql: &str,
    ) -> Result<Result<(session::Done, Option<i64>), Failure>, ProveError> {
        self.as_alice_then(sql, None).await
    }

    async fn as_alice_then(
        &self,
        sql: &str,
        truth: Option<&str>,
    ) -> Result<Result<(session::Done, Option<i64>), Failure>, ProveError> {
        session::run(self.client, "savepoint trail_probe")
            .await
            .map_err(database)?;
        let outcome = match session::run(self.client, &self.alice.become_sql()).await {
            Err(f) => Err(f),
            Ok(_) => match session::run(self.client, sql).await {
                Err(f) => Err(f),
                Ok(done) => {
                    session::run(self.client, "reset role")
                        .await
                        .map_err(database)?;
                    let after = match truth {
                        Some(t) => Some(self.truth(t).await?),
                        None => None,
                    };
                    Ok((done, after))
                }
            },
        };
        session::run_all(
            self.client,
            "rollback to savepoint trail_probe; release savepoint trail_probe",
        )
        .await
        .map_err(database)?;
        transaction::ensure_open(self.client, "an audit trail probe").await?;
        Ok(outcome)
    }

    /// Whether `sql` as A leaves the count `truth` as it was.
    async fn unchanged(&self, sql: &str, truth: &str) -> Result<(bool, String), ProveError> {
        let before = self.truth(truth).await?;
        Ok(match self.as_alice_then(sql, Some(truth)).await? {
            Err(f) if f.is_denial() => (true, format!("denied ({})", f.code)),
            Err(f) => (
                false,
                format!(
                    "error {} ({}): not a refusal, so nothing is proven",
                    f.code, f.message
                ),
            ),
            Ok((done, after)) => {
                let after = after.unwrap_or(before);
                if after == before {
                    (true, format!("accepted, but {} row(s) changed", done.count))
                } else {
                    (
                        false,
                        format!("accepted: the count went from {before} to {after}"),
                    )
                }
            }
        })
    }

    /// Updates A's seeded row of the first audited table A can update and reads
    /// the entry it wrote; `None` when A updates none.
    async fn recorded_update(
        &self,
        seeded: &[(&Table, Row)],
    ) -> Result<Option<(bool, String)>, ProveError> {
        let log = self.trail.log.sql();
        let tenant = quote_ident(&self.trail.tenant_column);
        for (table, row) in seeded {
            let Some(key) = table
                .constraints
                .iter()
                .find(|c| matches!(c.kind, ConstraintKind::PrimaryKey))
            else {
                continue;
            };
            let mut key_values = serde_json::Map::new();
            for c in &key.columns {
                key_values.insert(
                    c.clone(),
                    row.get(c).cloned().unwrap_or(serde_json::Value::Null),
                );
            }
            let key_json = serde_json::Value::Object(key_values).to_string();
            let first = quote_ident(&key.columns[0]);
            let update = format!(
                "update {} as t set {first} = t.{first} where to_jsonb(t) @> {}::jsonb",
                table.name.sql(),
                quote_literal(&key_json)
            );
            // The actor A carries, read in A's context, then the update.
            session::run(self.client, "savepoint trail_probe")
                .await
                .map_err(database)?;
            let become_sql = self.alice.become_sql();
            let ran = async {
                session::run(self.client, &become_sql).await?;
                let actor =
                    session::run_all(self.client, &format!("select ({})::text", self.trail.actor))
                        .await?;
                let done = session::run(self.client, &update).await?;
                Ok::<_, Failure>((
                    actor
                        .rows
                        .first()
                        .and_then(|r| r.get(0))
                        .map(str::to_string),
                    done.count,
                ))
            }
            .await;
            let verdict = match ran {
                Ok((actor, 1)) => {
                    session::run(self.client, "reset role")
                        .await
                        .map_err(database)?;
                    let rows = session::run(
                        self.client,
                        &format!(
                            "select {tenant}::text, actor, caller from {log} where action = 'UPDATE' and table_name = {} and row_key = {}::jsonb order by id desc limit 1",
                            quote_literal(&format!(
                                "{}.{}",
                                quote_ident(&table.name.schema),
                                quote_ident(&table.name.name)
                            )),
                            quote_literal(&key_json)
                        ),
                    )
                    .await;
                    Some(self.judge_entry(table, actor, rows))
                }
                _ => None,
            };
            session::run_all(
                self.client,
                "rollback to savepoint trail_probe; release savepoint trail_probe",
            )
            .await
            .map_err(database)?;
            transaction::ensure_open(self.client, "the audit trail's actor probe").await?;
            if verdict.is_some() {
                return Ok(verdict);
            }
        }
        Ok(None)
    }

    fn judge_entry(
        &self,
        table: &Table,
        actor: Option<String>,
        rows: Result<session::Done, Failure>,
    ) -> (bool, String) {
        let done = match rows {
            Err(f) => {
                return (
                    false,
                    format!("cannot read the log: {} ({})", f.message, f.code),
                );
            }
            Ok(done) => done,
        };
        let Some(row) = done.rows.first() else {
            return (
                false,
                format!(
                    "A updated its row of {} and no entry was written",
                    table.name
                ),
            );
        };
        let got_tenant = row.get(0).map(str::to_string);
        let got_actor = row.get(1).map(str::to_string);
        let got_caller = row.get(2).map(str::to_string);
        let caller = self.alice.role.clone();
        let shown = format!(
            "tenant {}, actor {}, caller {}",
            got_tenant.as_deref().unwrap_or("NULL"),
            got_actor.as_deref().unwrap_or("NULL"),
            got_caller.as_deref().unwrap_or("NULL")
        );
        let mut wrong = Vec::new();
        if got_tenant.as_deref() != Some(self.a) {
            wrong.push("not A's tenant".to_string());
        }
        if actor.is_none() {
            wrong.push(format!("the actor {} is NULL for A", self.trail.actor));
        } else if got_actor != actor {
            wrong.push(format!(
                "not A's actor {}",
                actor.as_deref().unwrap_or("NULL")
            ));
        }
        if let Some(role) = &caller
            && got_caller.as_deref() != Some(role.as_str())
        {
            let owner = self.log.owner.as_str();
            wrong.push(if got_caller.as_deref() == Some(owner) {
                format!("the caller is the definer {owner}, not {role}")
            } else {
                format!("the caller is not {role}")
            });
        }
        if wrong.is_empty() {
            (true, shown)
        } else {
            (false, format!("{shown}: {}", wrong.join("; ")))
        }
    }

    /// A count read as the connecting role.
    async fn truth(&self, sql: &str) -> Result<i64, ProveError> {
        let done = session::run(self.client, sql).await.map_err(database)?;
        Ok(done
            .rows
            .first()
            .and_then(|r| r.get(0))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }
}

fn database(f: Failure) -> ProveError {
    ProveError::Failed(format!("{} (SQLSTATE {})", f.message, f.code))
}
