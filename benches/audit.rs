//! `rlsctl audit` time on a generated database of N tenant tables (10, 100,
//! 1,000), beside a baseline measured in the same run on the same database:
//! `pg_dump --schema-only` (what any schema tool pays to read the catalog),
//! and `catalog::inspect` alone (the audit's reading, without its checks).
//!
//! Each table has a tenant column, an index, FORCEd RLS, two policies (one
//! with a context call not under a sub-select, so checks have work to do),
//! grants to a client role and a foreign key to `tenants`.
//! Run: `bench/audit.sh` (or `cargo bench --bench audit`). Prints figures; asserts nothing.

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use rlsctl::audit::{self, AuditConfig};
use rlsctl::cluster::{DevServer, ServerBinaries};
use tokio_postgres::config::Host;

const RUNS: usize = 5;

fn schema(tables: usize) -> String {
    let mut sql = String::from(
        "DO $$ BEGIN CREATE ROLE bench_user NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
         CREATE SCHEMA app; GRANT USAGE ON SCHEMA app TO bench_user;
         CREATE TABLE app.tenants (id uuid PRIMARY KEY, name text NOT NULL);\n",
    );
    for i in 0..tables {
        let _ = writeln!(
            sql,
            "CREATE TABLE app.t{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
               tenant_id uuid NOT NULL REFERENCES app.tenants (id), name text NOT NULL, body text);
             CREATE INDEX ON app.t{i} (tenant_id);
             ALTER TABLE app.t{i} ENABLE ROW LEVEL SECURITY; ALTER TABLE app.t{i} FORCE ROW LEVEL SECURITY;
             CREATE POLICY iso ON app.t{i} TO bench_user
               USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
             CREATE POLICY upd ON app.t{i} FOR UPDATE TO bench_user
               USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
             GRANT SELECT, INSERT, UPDATE, DELETE ON app.t{i} TO bench_user;"
        );
    }
    sql
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = DevServer::ephemeral().expect("ephemeral PostgreSQL");
    let pg_dump = ServerBinaries::find()
        .expect("server binaries")
        .bindir()
        .join("pg_dump");
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
            client.batch_execute(&schema(tables)).await.expect("schema");
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
            let pg = db.config();
            let host = match pg.get_hosts().first() {
                Some(Host::Unix(path)) => path.display().to_string(),
                Some(Host::Tcp(name)) => name.clone(),
                None => "localhost".to_string(),
            };
            let mut dump_times = Vec::new();
            for _ in 0..RUNS {
                let start = Instant::now();
                let status = Command::new(&pg_dump)
                    .args(["--schema-only", "--no-password", "-f", "/dev/null"])
                    .arg(format!("--host={host}"))
                    .arg(format!(
                        "--port={}",
                        pg.get_ports().first().copied().unwrap_or(5432)
                    ))
                    .arg(format!(
                        "--username={}",
                        pg.get_user().unwrap_or("postgres")
                    ))
                    .arg(db.name())
                    .status()
                    .expect("pg_dump runs");
                assert!(status.success(), "pg_dump failed");
                dump_times.push(start.elapsed());
            }
            let (a, d) = (median(audit_times), median(dump_times));
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
