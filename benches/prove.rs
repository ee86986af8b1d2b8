//! `rlsctl test` (the isolation proof) on a generated database of N tenant
//! tables (10, 100, 1,000), beside `pg_dump --schema-only` of the same
//! database measured in the same run (what any schema tool pays to read it).
//!
//! Each table has a tenant column with a foreign key to `tenants`, an index,
//! FORCEd RLS, a tenant policy and grants to a client role, so every probe of
//! the matrix runs. Run: `bench/prove.sh` (or `cargo bench --bench prove`).
//! Prints figures; asserts nothing.

mod support;

use std::time::Instant;

use rlsctl::cluster::DevServer;
use rlsctl::prove::{self, Plan};
use rlsctl::spec::declaration::Impersonation;
use support::{median, pg_dump_time, tenant_schema_sql};

const RUNS: usize = 3;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = DevServer::ephemeral().expect("ephemeral PostgreSQL");
    let pg_dump = support::pg_dump();
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
            client
                .batch_execute(&tenant_schema_sql(tables, false))
                .await
                .expect("schema");
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
                assert!(report.summary.passed, "the generated schema is isolated");
            }
            let dump = pg_dump_time(&pg_dump, &db, RUNS);
            let (p, d) = (median(times), dump);
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
