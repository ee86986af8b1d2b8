//! The connection discipline: statements whose failure is data (a SQLSTATE),
//! and who reads ground truth.

use tokio_postgres::{Client, SimpleQueryMessage, SimpleQueryRow};

/// A statement PostgreSQL refused.
#[derive(Debug, Clone)]
pub struct Failure {
    /// SQLSTATE (`42501`), or `08000` when the connection failed.
    pub code: String,
    /// The message.
    pub message: String,
}

impl Failure {
    /// Whether it is a row-level security or privilege refusal.
    pub fn is_denial(&self) -> bool {
        self.code == "42501"
    }

    /// Whether it breaks legitimate requests too (a policy that raises, a
    /// timeout), rather than refusing this one: `''::uuid` (22xxx), recursion
    /// in a policy (42P17), a setting never set (42704), a scalar sub-select of
    /// several rows (21000), timeouts, internal errors.
    pub fn is_availability(&self) -> bool {
        self.code.starts_with("22")
            || self.code.starts_with("XX")
            || matches!(
                self.code.as_str(),
                "42P17" | "42704" | "57014" | "55P03" | "21000"
            )
    }
}

/// Rows and the affected count of the last statement of a simple-protocol query.
#[derive(Default)]
pub struct Done {
    /// Rows returned (text values).
    pub rows: Vec<SimpleQueryRow>,
    /// The count of the last command (rows affected or returned).
    pub count: u64,
}

/// Runs `sql` (one or more statements) and turns an error into a [`Failure`].
pub async fn run(client: &Client, sql: &str) -> Result<Done, Failure> {
    match client.simple_query(sql).await {
        Ok(messages) => {
            // Rows and count of the last statement: a probe may be preceded by
            // the statements that impersonate.
            let mut done = Done::default();
            let mut rows = Vec::new();
            for m in messages {
                match m {
                    SimpleQueryMessage::Row(r) => rows.push(r),
                    SimpleQueryMessage::CommandComplete(n) => {
                        done.count = n;
                        done.rows = std::mem::take(&mut rows);
                    }
                    _ => {}
                }
            }
            Ok(done)
        }
        Err(e) => Err(failure(&e)),
    }
}

/// Like [`run`], keeping the rows of every statement (for `savepoint; select; release`).
pub async fn run_all(client: &Client, sql: &str) -> Result<Done, Failure> {
    match client.simple_query(sql).await {
        Ok(messages) => {
            let mut done = Done::default();
            for m in messages {
                match m {
                    SimpleQueryMessage::Row(r) => done.rows.push(r),
                    SimpleQueryMessage::CommandComplete(n) => done.count = n,
                    _ => {}
                }
            }
            Ok(done)
        }
        Err(e) => Err(failure(&e)),
    }
}

/// The SQLSTATE and message of an error.
pub fn failure(e: &tokio_postgres::Error) -> Failure {
    match e.as_db_error() {
        Some(db) => Failure {
            code: db.code().code().to_string(),
            message: db.message().to_string(),
        },
        None => Failure {
            code: "08000".into(),
            message: e.to_string(),
        },
    }
}

/// The first column of every row.
pub fn column(done: &Done) -> Vec<String> {
    done.rows
        .iter()
        .filter_map(|r| r.get(0).map(str::to_string))
        .collect()
}

/// Who reads ground truth, and a warning when that role is subject to RLS.
pub async fn ground_truth_role(
    client: &Client,
    warnings: &mut Vec<String>,
) -> Result<String, tokio_postgres::Error> {
    let row = client
        .query_one(
            "select current_user::text, rolsuper, rolbypassrls from pg_catalog.pg_roles where rolname = current_user",
            &[],
        )
        .await?;
    let name: String = row.get(0);
    let superuser: bool = row.get(1);
    let bypass: bool = row.get(2);
    Ok(if superuser {
        format!("{name} (superuser: reads ground truth past RLS)")
    } else if bypass {
        format!("{name} (BYPASSRLS: reads ground truth past RLS)")
    } else {
        warnings.push(format!(
            "{name} is neither superuser nor BYPASSRLS: ground truth is exact only on tables it owns that do not FORCE row level security; other verdicts may be UNRELIABLE"
        ));
        format!("{name} (subject to RLS on tables it does not own)")
    })
}

/// Runs `sql` (several statements) and returns the result of each statement
/// that completed, in order, and the error that stopped the batch, if any: one
/// round trip that still tells which statement failed.
pub async fn run_batch(client: &Client, sql: &str) -> (Vec<Done>, Option<Failure>) {
    use futures_util::StreamExt;
    let mut statements = Vec::new();
    let stream = match client.simple_query_raw(sql).await {
        Ok(stream) => stream,
        Err(e) => return (statements, Some(failure(&e))),
    };
    let mut stream = std::pin::pin!(stream);
    let mut rows = Vec::new();
    while let Some(message) = stream.next().await {
        match message {
            Ok(SimpleQueryMessage::Row(r)) => rows.push(r),
            Ok(SimpleQueryMessage::CommandComplete(n)) => statements.push(Done {
                rows: std::mem::take(&mut rows),
                count: n,
            }),
            Ok(_) => {}
            Err(e) => return (statements, Some(failure(&e))),
        }
    }
    (statements, None)
}
