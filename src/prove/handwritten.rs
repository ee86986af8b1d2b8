//! Hand-written `[[test]]` cases: setup as the connecting role, the query as
//! the identity, the expectation checked, everything rolled back.

use tokio_postgres::Client;

use super::impersonate::Principal;
use super::outcome::TestResult;
use super::session;
use super::transaction::{BEGIN, ensure_open};
use super::{Plan, ProveError};
use crate::spec::declaration::{Expectation, PolicyTest};

/// Runs every hand-written test of the plan; stops when one ends the transaction.
pub async fn run_all(client: &Client, plan: &Plan) -> Result<Vec<TestResult>, ProveError> {
    let mut results = Vec::new();
    for test in &plan.tests {
        results.push(run_one(client, plan, test).await?);
    }
    Ok(results)
}

async fn run_one(
    client: &Client,
    plan: &Plan,
    test: &PolicyTest,
) -> Result<TestResult, ProveError> {
    let expected = describe(&test.expect);
    let mut result = TestResult {
        name: test.name.clone(),
        location: test.location.clone(),
        passed: false,
        expected,
        got: String::new(),
    };
    let Some(identity) = plan.identities.iter().find(|i| i.name == test.identity) else {
        result.got = format!("no identity named {:?}", test.identity);
        return Ok(result);
    };
    let principal = Principal::identity(&identity.name, &identity.impersonation);
    let mut setup = String::new();
    for s in test.setup.iter().chain(&principal.setup) {
        setup.push_str(s);
        setup.push_str(";\n");
    }
    let what = |part: &str| format!("the {part} of test {:?} ({})", test.name, test.location);
    session::run(client, BEGIN)
        .await
        .map_err(|f| ProveError::Failed(format!("{} (SQLSTATE {})", f.message, f.code)))?;
    let ran = session::run(client, &setup).await;
    ensure_open(client, &what("setup")).await?;
    let got = match ran {
        Err(f) => Err(format!("setup failed: {} (SQLSTATE {})", f.message, f.code)),
        Ok(_) => match session::run(client, &principal.become_sql()).await {
            Err(f) => Err(format!(
                "cannot become {}: {} (SQLSTATE {})",
                principal.name, f.message, f.code
            )),
            Ok(_) => {
                let outcome = session::run(client, &test.query).await;
                ensure_open(client, &what("query")).await?;
                Ok(outcome)
            }
        },
    };
    let _ = session::run(client, "rollback").await;
    match got {
        Err(why) => result.got = why,
        Ok(outcome) => {
            let (passed, got) = judge(&test.expect, &outcome);
            result.passed = passed;
            result.got = got;
        }
    }
    Ok(result)
}

fn describe(expect: &Expectation) -> String {
    match expect {
        Expectation::Rows(rows) => format!("rows {}", serde_json::Value::from(rows.clone())),
        Expectation::Count(n) => format!("{n} row(s)"),
        Expectation::Affected(n) => format!("{n} row(s) affected"),
        Expectation::Error(code) => format!("error {code}"),
    }
}

fn judge(
    expect: &Expectation,
    outcome: &Result<session::Done, session::Failure>,
) -> (bool, String) {
    let done = match outcome {
        Err(f) => {
            let got = format!("error {} ({})", f.code, f.message);
            return (
                matches!(expect, Expectation::Error(code) if *code == f.code),
                got,
            );
        }
        Ok(done) => done,
    };
    match expect {
        Expectation::Error(_) => (false, format!("success, {} row(s)", done.count)),
        Expectation::Count(n) => (
            done.rows.len() as i64 == *n,
            format!("{} row(s)", done.rows.len()),
        ),
        Expectation::Affected(n) => (
            done.count as i64 == *n,
            format!("{} row(s) affected", done.count),
        ),
        Expectation::Rows(rows) => {
            let got: Vec<Vec<Option<String>>> = done
                .rows
                .iter()
                .map(|r| (0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
                .collect();
            let want: Vec<Vec<Option<String>>> = rows
                .iter()
                .map(|r| r.iter().map(as_text).collect())
                .collect();
            let shown: Vec<serde_json::Value> = got
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|v| {
                            v.clone()
                                .map_or(serde_json::Value::Null, serde_json::Value::String)
                        })
                        .collect()
                })
                .collect();
            (
                got == want,
                format!("rows {}", serde_json::Value::from(shown)),
            )
        }
    }
}

/// An expected JSON value as PostgreSQL's text output prints it.
fn as_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Null => None,
        serde_json::Value::Bool(b) => Some(if *b { "t" } else { "f" }.into()),
        serde_json::Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}
