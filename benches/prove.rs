//! `rlsctl test` (the isolation proof) on a generated database of N tenant
//! tables (10, 100, 1,000), beside `pg_dump --schema-only` of the same
//! database measured in the same run (what any schema tool pays to read it).
//!
//! Each table has a tenant column with a foreign key to `tenants`, an index,
//! FORCEd RLS, a tenant policy and grants to a client role, so every probe of
//! the matrix runs. Run: `bench/prove.sh` (or `cargo bench --bench prove`).
//! Prints figures; asserts nothing.

use std::fmt::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use rlsctl::cluster::{DevServer, ServerBinaries};
use rlsctl::prove::{self, Plan};
use rlsctl::spec::declaration::Impersonation;
use tokio_postgres::config::Host;

const RUNS: usize = 3;

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
    let plan = Plan {
        schemas: vec!["app".into()],
        tenant_column: "tenant_id".into(),
        roles: vec!["bench_user".into()],
        impersonate: Impersonation {
            role: Some("bench_user".into()),
            settings: vec![("app.tenant_id".into(), "{tenant}".into())],
            ..Impersonation::default()
        },
        prove: true,
        ..Plan::default()
    };
    println!("tables  prove_ms  per_table_ms  pg_dump_schema_only_ms  ratio  probes");
    for tables in [10, 100, 1000] {
        runtime.block_on(async {
            let db = server
                .create_database("bench_prove")
                .await
                .expect("database");
            let client = db.connect().await.expect("connect");
            client.batch_execute(&schema(tables)).await.expect("schema");
            client.batch_execute("ANALYZE").await.expect("analyze");
            let mut probes = 0;
            let mut times = Vec::new();
            for _ in 0..RUNS {
                // A fresh connection per run: the no-context principal needs one.
                let client = db.connect().await.expect("connect");
                let start = Instant::now();
                let report = prove::run(&client, &plan, &|_, _| {}).await.expect("prove");
                times.push(start.elapsed());
                probes = report.outcomes.len();
                assert!(!report.failed(false), "the generated schema is isolated");
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
            let (p, d) = (median(times), median(dump_times));
            println!(
                "{tables:>6}  {:>8.0}  {:>12.2}  {:>22.0}  {:>5.1}  {probes}",
                p.as_secs_f64() * 1000.0,
                p.as_secs_f64() * 1000.0 / tables as f64,
                d.as_secs_f64() * 1000.0,
                p.as_secs_f64() / d.as_secs_f64()
            );
            drop(client);
            db.drop().await.expect("drop");
        });
    }
}
