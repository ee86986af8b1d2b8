//! The audit trail's write overhead: 10,000-row inserts and updates on an audited
//! table beside the same writes on an identical table without auditing, in the
//! same database and run, as the client role under RLS (a user of one tenant).
//!
//! Each write is one statement of 10,000 rows in its own transaction; the order of
//! the two tables alternates between runs, and both tables and the log are
//! emptied before each run. Prints the medians and audited/plain ratios.
//!
//! Run: `cargo bench --bench trail` (or `bench/trail.sh`). Asserts only that the
//! audited writes were recorded (one entry per row) and the plain ones were not.

use std::time::{Duration, Instant};

use rlsctl::cluster::DevServer;
use rlsctl::{ddl, spec};

const ROWS: usize = 10_000;
const RUNS: usize = 5;
const TENANT: &str = "00000000-0000-0000-0000-00000000000a";

const PROJECT: &str = r#"[project]
schemas = ["app"]
[roles]
app_user = {}
[tenancy]
column = "tenant_id"
type = "uuid"
current = "(select app.current_tenant_id())"
roles = ["app_user"]
[tenancy.impersonate]
role = "app_user"
settings = { "app.tenant_id" = "{tenant}", "app.user_id" = "{user}" }
[audit_log]
table = "audit_trail"
"#;

const SCHEMA: &str = r#"[schemas.app]
grants = { app_user = ["usage"] }

[functions."app.current_tenant_id"]
returns = "uuid"
language = "sql"
volatility = "stable"
body = "select nullif(current_setting('app.tenant_id', true), '')::uuid"

[tables.audited]
tenant = true
audit = true
columns.id = { type = "bigint", identity = "always", primary_key = true }
columns.title = { type = "text" }
columns.amount = { type = "numeric(12, 2)", default = "0" }
columns.done = { type = "boolean", default = "false" }
grants = { app_user = ["select", "insert", "update", "delete"] }

[tables.plain]
tenant = true
columns.id = { type = "bigint", identity = "always", primary_key = true }
columns.title = { type = "text" }
columns.amount = { type = "numeric(12, 2)", default = "0" }
columns.done = { type = "boolean", default = "false" }
grants = { app_user = ["select", "insert", "update", "delete"] }
"#;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("rlsctl.toml"), PROJECT).expect("write");
    std::fs::create_dir_all(dir.path().join("schema")).expect("mkdir");
    std::fs::write(dir.path().join("schema/app.toml"), SCHEMA).expect("write");
    let loaded = spec::load(dir.path()).expect("load");
    let declaration = spec::validate(&loaded)
        .declaration
        .expect("the bench project validates");

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = DevServer::ephemeral().expect("an ephemeral PostgreSQL");
    runtime.block_on(async {
        let db = server
            .create_database("bench_trail")
            .await
            .expect("database");
        let client = db.connect().await.expect("connect");
        client
            .batch_execute(&format!(
                "BEGIN; {} COMMIT; BEGIN; {} COMMIT;",
                ddl::roles_script(&declaration),
                ddl::render(&declaration).to_sql()
            ))
            .await
            .expect("build");
        let become_user = format!(
            "SET LOCAL ROLE app_user; SELECT set_config('app.tenant_id', '{TENANT}', true), set_config('app.user_id', 'bench-user', true);"
        );
        let mut timings: [[Vec<Duration>; 2]; 2] = Default::default();
        for run in 0..RUNS {
            client
                .batch_execute("TRUNCATE app.audited, app.plain, app.audit_trail")
                .await
                .expect("empty");
            client
                .batch_execute("VACUUM ANALYZE app.audited, app.plain, app.audit_trail")
                .await
                .expect("vacuum");
            let order: [(usize, &str); 2] = if run % 2 == 0 {
                [(0, "app.plain"), (1, "app.audited")]
            } else {
                [(1, "app.audited"), (0, "app.plain")]
            };
            for (write, sql) in [
                (
                    0,
                    format!(
                        "INSERT INTO {{t}} (tenant_id, title, amount) SELECT '{TENANT}', 'row ' || g, g FROM generate_series(1, {ROWS}) g"
                    ),
                ),
                (
                    1,
                    "UPDATE {t} SET amount = amount + 1, done = not done".to_string(),
                ),
            ] {
                for (which, table) in order {
                    let statement = sql.replace("{t}", table);
                    let start = Instant::now();
                    client
                        .batch_execute(&format!("BEGIN; {become_user} {statement}; COMMIT;"))
                        .await
                        .unwrap_or_else(|e| panic!("{statement}: {e}"));
                    timings[write][which].push(start.elapsed());
                }
            }
            let counts = client
                .query_one(
                    "SELECT (SELECT count(*) FROM app.audit_trail WHERE table_name = 'app.audited'), (SELECT count(*) FROM app.audit_trail WHERE table_name = 'app.plain'), (SELECT count(*) FROM app.plain)",
                    &[],
                )
                .await
                .expect("counts");
            let (audited, plain, rows): (i64, i64, i64) =
                (counts.get(0), counts.get(1), counts.get(2));
            assert_eq!(audited, 2 * ROWS as i64, "one entry per inserted and updated row");
            assert_eq!(plain, 0, "the plain table is not audited");
            assert_eq!(rows, ROWS as i64);
        }
        println!(
            "audit trail write overhead, {ROWS} rows per statement, as app_user under RLS, median of {RUNS} runs"
        );
        println!(
            "{:>8} | {:>11} | {:>11} | {:>14}",
            "write", "plain ms", "audited ms", "audited/plain"
        );
        for (write, label) in [(0, "insert"), (1, "update")] {
            let plain = median(timings[write][0].clone());
            let audited = median(timings[write][1].clone());
            println!(
                "{label:>8} | {:>11.1} | {:>11.1} | {:>13.2}x",
                ms(plain),
                ms(audited),
                audited.as_secs_f64() / plain.as_secs_f64()
            );
        }
        let _ = db.drop().await;
    });
}
