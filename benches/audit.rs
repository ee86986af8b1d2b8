//! `rlsctl audit` time on a generated database of N tenant tables (10, 100,
//! 1,000), beside a baseline measured in the same run on the same database:
//! `pg_dump --schema-only` (what any schema tool pays to read the catalog),
//! and `catalog::inspect` alone (the audit's reading, without its checks).
//!
//! Each table has a tenant column, an index, FORCEd RLS, two policies (one
//! with a context call not under a sub-select, so checks have work to do),
//! grants to a client role and a foreign key to `tenants`.
//! Run: `bench/audit.sh` (or `cargo bench --bench audit`). Prints figures; asserts nothing.

mod support;

use std::time::{Duration, Instant};

use rlsctl::audit::{self, AuditConfig};
use rlsctl::cluster::DevServer;
use support::{median, pg_dump_time, tenant_schema_sql};

const RUNS: usize = 5;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = DevServer::ephemeral().expect("ephemeral PostgreSQL");
    let pg_dump = support::pg_dump();
    let config = AuditConfig {
        client_roles: vec!["bench_user".to_string()],
        schemas: vec!["app".to_string()],
        ..AuditConfig::default()
    };
    println!("tables  audit_ms  (inspect_ms)  pg_dump_schema_only_ms  ratio  findings");
    for tables in [10, 100, 1000] {
        runtime.block_on(async {
            let db = server
                .create_database("bench_audit")
                .await
                .expect("database");
            let client = db.connect().await.expect("connect");
            client
                .batch_execute(&tenant_schema_sql(tables, true))
                .await
                .expect("schema");
            client.batch_execute("ANALYZE").await.expect("analyze");
            let mut inspect_times = Vec::new();
            for _ in 0..RUNS {
                let start = Instant::now();
                rlsctl::catalog::inspect(&client, &config.schemas)
                    .await
                    .expect("inspect");
                inspect_times.push(start.elapsed());
            }
            // The slowest checks on this database (in-memory, after reading).
            let catalog = rlsctl::catalog::inspect(&client, &config.schemas)
                .await
                .expect("inspect");
            let scope = audit::scope::resolve(&client, &config)
                .await
                .expect("scope");
            let facts = audit::facts::Facts::default();
            let context = audit::checks::Context::new(&catalog, &facts, &scope, &config);
            let mut slowest: Vec<(Duration, &str)> = audit::checks::REGISTRY
                .iter()
                .map(|check| {
                    let start = Instant::now();
                    let _ = (check.run)(&context);
                    (start.elapsed(), check.id)
                })
                .collect();
            slowest.sort_by(|a, b| b.cmp(a));
            let slowest: Vec<String> = slowest
                .iter()
                .take(3)
                .map(|(d, id)| format!("{id} {:.1}ms", d.as_secs_f64() * 1000.0))
                .collect();
            eprintln!("{tables} tables, slowest checks: {}", slowest.join(", "));
            let mut findings = 0;
            let mut audit_times = Vec::new();
            for _ in 0..RUNS {
                let start = Instant::now();
                let report = audit::run(&client, &config).await.expect("audit");
                audit_times.push(start.elapsed());
                findings = report.findings.len();
            }
            let dump = pg_dump_time(&pg_dump, &db, RUNS);
            let (a, d) = (median(audit_times), dump);
            println!(
                "{tables:>6}  {:>8.1}  {:>12.1}  {:>22.1}  {:>5.2}  {findings}",
                a.as_secs_f64() * 1000.0,
                median(inspect_times).as_secs_f64() * 1000.0,
                d.as_secs_f64() * 1000.0,
                a.as_secs_f64() / d.as_secs_f64()
            );
            drop(client);
            db.drop().await.expect("drop");
        });
    }
}
