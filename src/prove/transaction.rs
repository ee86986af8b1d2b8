//! The run stays inside the transaction it rolls back. User SQL (test setup and
//! query, impersonation setup) that would end or escape it is refused before
//! anything runs, and after each piece of user SQL the transaction is checked
//! still open: if it is not, the run stops. Samples are values, quoted as
//! literals, so they cannot hold a statement.

use tokio_postgres::Client;

use super::session;
use super::{Plan, ProveError};
use crate::sql::transaction::transaction_control;

/// Opens the run's transaction: timeouts, and a transaction-local mark that
/// disappears when anything ends the transaction.
pub const BEGIN: &str = "begin; set local statement_timeout = '10s'; set local lock_timeout = '2s'; set local idle_in_transaction_session_timeout = '60s'; select pg_catalog.set_config('rlsctl.transaction', 'open', true);";

/// Refuses the plan when any SQL it would run as written by the user controls
/// the transaction (`COMMIT`, `SAVEPOINT`, ...) or cannot run inside one (`VACUUM`).
pub fn refuse_transaction_control(plan: &Plan) -> Result<(), ProveError> {
    let mut sql: Vec<(String, &str)> = plan
        .impersonate
        .setup
        .iter()
        .map(|s| ("[tenancy.impersonate] setup".to_string(), s.as_str()))
        .collect();
    for s in &plan.impersonate.removed {
        sql.push(("[tenancy.impersonate] removed".to_string(), s.as_str()));
    }
    for identity in &plan.identities {
        for s in &identity.impersonation.setup {
            sql.push((format!("the setup of identity {:?}", identity.name), s));
        }
    }
    for test in &plan.tests {
        let name = format!("test {:?} ({})", test.name, test.location);
        for s in &test.setup {
            sql.push((format!("the setup of {name}"), s));
        }
        sql.push((format!("the query of {name}"), &test.query));
    }
    for (what, text) in sql {
        // A syntax error is the server's to report, in the test's result.
        let Ok(found) = transaction_control(text) else {
            continue;
        };
        if let Some(control) = found.first() {
            return Err(ProveError::TransactionControl {
                what,
                statement: control.statement,
            });
        }
    }
    Ok(())
}

/// Fails when the run's transaction is no longer open after `what` ran.
pub async fn ensure_open(client: &Client, what: &str) -> Result<(), ProveError> {
    match session::run(
        client,
        "select pg_catalog.current_setting('rlsctl.transaction', true)",
    )
    .await
    {
        Ok(done) if session::column(&done).first().map(String::as_str) == Some("open") => Ok(()),
        // 25P02: a failed statement aborted the transaction, which is still ours.
        Err(f) if f.code == "25P02" => Ok(()),
        _ => {
            let _ = session::run(client, "rollback").await;
            Err(ProveError::TransactionEnded {
                what: what.to_string(),
            })
        }
    }
}
