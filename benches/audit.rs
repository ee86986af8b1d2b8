//! `rlsctl audit` time on a generated database of N tenant tables (10, 100,
//! 1,000), beside a baseline measured in the same run on the same database:
//! `pg_dump --schema-only` (what any schema tool pays to read the catalog),
//! and `catalog::inspect` alone (the audit's reading, without its checks).
//!
//! Each table has a tenant column, an index, FORCEd RLS, two policies (one
//! with a context call not under a sub-select, so checks have work to do),
//! grants to a client role and a foreign key to `tenants`, and two PL/pgSQL
//! SECURITY DEFINER functions the client may call (one guarded by a membership
//! check, one reading every tenant's rows), so BYP004 reads 2N bodies as code.
//! Run: `bench/audit.sh` (or `cargo bench --bench audit`). Prints figures; asserts nothing.
//!
//! Prints, per size, where the audit's own time goes: the checks' context
//! (policy parses, helper detection), every check, and dropping the context.
//!
//! Figures (2026-12-01, 2 cores shared with another engineer's builds, load
//! 1.6-3.3; medians of 5; ratio = audit / pg_dump --schema-only), after
//! `body::Trees` (each body, statement and expression text parsed once per
//! audit) and the index query's lateral key parts (opclasses and collations by
//! OID; it was ~380 ms of inspect's ~900 ms server time, now ~120 ms):
//! - dev profile: 0.50x at 10 tables, 0.91x at 100, 2.33x at 1,000 (2.08 s vs
//!   0.89 s; inspect 0.76 s, context 0.21 s, checks 0.71 s of which BYP004
//!   0.51 s, dropping the context's trees 0.14 s). Before: 0.62x, 1.93x, 3.40x
//!   (3.54 s vs 1.04 s; inspect 1.42 s, BYP004 2.38 s).
//! - release: 0.54-0.73x at 10, 0.67-0.80x at 100, 1.16-1.36x at 1,000 (two
//!   runs: 1.39 s vs 1.19 s, 1.32 s vs 0.97 s; inspect 0.62-0.72 s, BYP004
//!   0.23-0.26 s). Before (load 4-5): 0.99x, 1.18x, 1.74x (2.11 s vs 1.21 s;
//!   inspect 1.29 s, BYP004 0.97 s).
//!
//! Figures (2026-12-02, release, 2 cores, machine otherwise idle, medians of
//! 5), after mimalloc, the catalog read on two connections in one snapshot
//! (`catalog::inspect_on`, as `rlsctl audit`), bodies parsed on both cores
//! (`Trees::prefill`) and the trees freed on a thread of their own: 0.77x at
//! 10 tables (92 ms vs 120 ms), 0.61x at 100 (159 vs 260 ms), 0.84x at 1,000
//! in two runs (1,004 ms vs 1,192 ms; 898 ms vs 1,074 ms; inspect 420-443 ms,
//! context with the prefill 247 ms, checks 221 ms of which BYP004 120 ms). One
//! connection (`JOBS=1`), same binary: 1.06x at 1,000 (1,097 ms vs 1,036 ms,
//! inspect 693 ms). The 1.0x at 1,000 tables is met with two
//! connections; on cores busy with other work the gain of the second
//! connection and the prefill shrinks (load 4: 1.25x).

mod support;

use std::time::{Duration, Instant};

use rlsctl::audit::{self, AuditConfig};
use rlsctl::cluster::DevServer;
use support::{median, ms, pg_dump_time, tenant_schema_sql};

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
    // As `rlsctl audit`: two connections (JOBS=1: one).
    let jobs: usize = std::env::var("JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or(2);
    println!("connections: {jobs}");
    println!(
        "tables  audit_ms  (inspect_ms)  (inspect_client_cpu_ms)  pg_dump_schema_only_ms  ratio  findings"
    );
    // `cargo bench --bench audit -- 1000` runs one size.
    let sizes = support::sizes();
    for tables in sizes {
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
            client
                .batch_execute(&functions_sql(tables))
                .await
                .expect("functions");
            client.batch_execute("ANALYZE").await.expect("analyze");
            let mut inspect_times = Vec::new();
            let mut inspect_cpu = Vec::new();
            let helper = db.connect().await.expect("connect");
            let helper = (jobs > 1).then_some(&helper);
            for _ in 0..RUNS {
                let start = Instant::now();
                let cpu = support::cpu_time(std::process::id());
                rlsctl::catalog::inspect_on(&client, helper, &config.schemas)
                    .await
                    .expect("inspect");
                inspect_times.push(start.elapsed());
                inspect_cpu.push(support::cpu_time(std::process::id()).saturating_sub(cpu));
            }
            // Where the audit's own time goes (in-memory, after reading): the
            // context (policy parses, helper detection), every check, the slowest.
            let catalog = rlsctl::catalog::inspect(&client, &config.schemas)
                .await
                .expect("inspect");
            let scope = audit::scope::resolve(&client, &config)
                .await
                .expect("scope");
            let facts = audit::facts::Facts::default();
            let start = Instant::now();
            let context = audit::checks::Context::new(&catalog, &facts, &scope, &config);
            let context_time = start.elapsed();
            let mut slowest: Vec<(Duration, &str)> = audit::checks::REGISTRY
                .iter()
                .map(|check| {
                    let start = Instant::now();
                    let _ = (check.run)(&context);
                    (start.elapsed(), check.id)
                })
                .collect();
            let checks_time: Duration = slowest.iter().map(|(d, _)| *d).sum();
            let start = Instant::now();
            drop(context);
            let drop_time = start.elapsed();
            slowest.sort_by(|a, b| b.cmp(a));
            let slowest: Vec<String> = slowest
                .iter()
                .take(3)
                .map(|(d, id)| format!("{id} {:.1}ms", ms(*d)))
                .collect();
            eprintln!(
                "{tables} tables: context {:.1}ms, checks {:.1}ms (slowest {}), dropping the context {:.1}ms",
                ms(context_time),
                ms(checks_time),
                slowest.join(", "),
                ms(drop_time)
            );
            let mut findings = 0;
            let mut audit_times = Vec::new();
            for _ in 0..RUNS {
                let start = Instant::now();
                // As `rlsctl audit`: a second connection opened per run reads
                // half the catalog in the first one's snapshot.
                let more = rlsctl::conn::Connections {
                    jobs,
                    open: Box::new(|| Box::pin(async { db.connect().await.map_err(|e| e.to_string()) })),
                };
                let report = audit::run_with(&client, Some(&more), &config)
                    .await
                    .expect("audit");
                audit_times.push(start.elapsed());
                findings = report.findings.len();
            }
            let dump = pg_dump_time(&pg_dump, &db, RUNS);
            let (a, d) = (median(audit_times), dump);
            println!(
                "{tables:>6}  {:>8.1}  {:>12.1}  {:>23.0}  {:>22.1}  {:>5.2}  {findings}",
                a.as_secs_f64() * 1000.0,
                median(inspect_times).as_secs_f64() * 1000.0,
                median(inspect_cpu).as_secs_f64() * 1000.0,
                d.as_secs_f64() * 1000.0,
                a.as_secs_f64() / d.as_secs_f64()
            );
            drop(client);
            db.drop().await.expect("drop");
        });
    }
}

/// Two PL/pgSQL SECURITY DEFINER functions per table: a guarded rename and an
/// unscoped count (plus the membership table the guard reads).
fn functions_sql(tables: usize) -> String {
    use std::fmt::Write as _;
    let mut sql = String::from(
        "CREATE TABLE app.members (tenant_id uuid NOT NULL, user_id uuid NOT NULL, PRIMARY KEY (tenant_id, user_id));
         ALTER TABLE app.members ENABLE ROW LEVEL SECURITY;
         CREATE POLICY own ON app.members TO bench_user
           USING (user_id = (SELECT nullif(current_setting('app.user_id', true), '')::uuid));
         GRANT SELECT ON app.members TO bench_user;\n",
    );
    for i in 0..tables {
        let _ = writeln!(
            sql,
            "CREATE FUNCTION app.t{i}_rename(p_tenant uuid, p_id bigint, p_name text) RETURNS void
               LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
             DECLARE me uuid := nullif(current_setting('app.user_id', true), '')::uuid;
             BEGIN
               PERFORM 1 FROM app.members m WHERE m.tenant_id = p_tenant AND m.user_id = me;
               IF NOT FOUND THEN RAISE EXCEPTION 'not a member'; END IF;
               UPDATE app.t{i} SET name = p_name WHERE tenant_id = p_tenant AND id = p_id;
             END $$;
             CREATE FUNCTION app.t{i}_count() RETURNS bigint LANGUAGE plpgsql STABLE SECURITY DEFINER
               SET search_path = '' AS $$
             DECLARE n bigint;
             BEGIN
               SELECT count(*) INTO n FROM app.t{i};
               RETURN n;
             END $$;"
        );
    }
    sql
}
