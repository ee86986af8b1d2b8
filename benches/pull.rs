//! `rlsctl pull` time on a generated database of 1,000 tables (900 tenant tables
//! with the isolation policy, identity keys, foreign keys, checks, indexes and
//! grants; 100 public lookup tables), beside the baseline measured in the same
//! run on the same server and database: `pg_dump --schema-only`.
//!
//! Run: `bench/pull.sh` (or `cargo bench --bench pull`). Prints the end-to-end
//! time of the binary (connect, list schemas, inspect, write every file), the
//! library's two halves (`catalog::inspect`, `pull::pull`), pg_dump's, and the
//! ratios; asserts only that every table was written.

mod support;

use std::fmt::Write as _;
use std::process::Command;
use std::time::Instant;

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use rlsctl::cluster::{DevServer, ScratchDatabase};
use support::{median, ms, pg_dump_time};

const RUNS: usize = 5;
const TABLES: usize = 1000;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = DevServer::ephemeral().expect("ephemeral PostgreSQL");
    let pg_dump = support::pg_dump();
    let rlsctl = env!("CARGO_BIN_EXE_rlsctl");
    runtime.block_on(async {
        let db = server
            .create_database("bench_pull")
            .await
            .expect("database");
        let client = db.connect().await.expect("connect");
        client
            .batch_execute(&schema_sql())
            .await
            .expect("the generated schema loads");
        client.batch_execute("ANALYZE").await.expect("analyze");
        let url = url(&db);

        let schemas = vec!["app".to_string()];
        let catalog = rlsctl::catalog::inspect(&client, &schemas)
            .await
            .expect("inspect");
        let options = rlsctl::pull::Options {
            schemas: schemas.clone(),
            ..Default::default()
        };
        let mut inspect_times = Vec::new();
        let mut pull_times = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            rlsctl::catalog::inspect(&client, &schemas)
                .await
                .expect("inspect");
            inspect_times.push(start.elapsed());
            let start = Instant::now();
            let pulled = rlsctl::pull::pull(&catalog, &options);
            pull_times.push(start.elapsed());
            assert_eq!(pulled.tenant_tables + pulled.public_tables, TABLES);
        }

        let mut binary_times = Vec::new();
        for _ in 0..RUNS {
            let out = tempfile::tempdir().expect("temp dir");
            let start = Instant::now();
            let status = Command::new(rlsctl)
                .arg("-C")
                .arg(out.path())
                .args(["pull", "--database-url", &url])
                .stdout(std::process::Stdio::null())
                .status()
                .expect("run rlsctl pull");
            binary_times.push(start.elapsed());
            assert!(status.success(), "rlsctl pull failed");
            let written =
                std::fs::read_to_string(out.path().join("schema/app.toml")).expect("schema file");
            assert_eq!(
                written.matches("\n[tables.").count()
                    + usize::from(written.starts_with("[tables.")),
                TABLES
            );
        }
        let _ = pg_dump_time(&pg_dump, &db, 1);
        let dump = pg_dump_time(&pg_dump, &db, RUNS);
        let binary = median(binary_times);
        let inspect = median(inspect_times);
        let pull = median(pull_times);
        println!("PostgreSQL {}: {TABLES} tables", catalog.server_version_num);
        println!(
            "rlsctl pull (binary, end to end) {:>8.1} ms  (median of {RUNS})",
            ms(binary)
        );
        println!("  catalog::inspect               {:>8.1} ms", ms(inspect));
        println!("  pull::pull (TOML documents)    {:>8.1} ms", ms(pull));
        println!(
            "pg_dump --schema-only            {:>8.1} ms  (median of {RUNS})",
            ms(dump)
        );
        println!(
            "ratio pull / pg_dump             {:>8.2}",
            binary.as_secs_f64() / dump.as_secs_f64()
        );
        drop(client);
        db.drop().await.expect("drop");
    });
}

/// A libpq URL of the database (Unix socket), for the binary.
fn url(db: &ScratchDatabase) -> String {
    let config = db.config();
    let encode = |s: &str| utf8_percent_encode(s, NON_ALPHANUMERIC).to_string();
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Unix(dir)) => dir.display().to_string(),
        Some(tokio_postgres::config::Host::Tcp(name)) => name.clone(),
        None => "localhost".to_string(),
    };
    format!(
        "postgresql://{}@/{}?host={}&port={}&sslmode=disable",
        encode(config.get_user().unwrap_or("postgres")),
        encode(db.name()),
        encode(&host),
        config.get_ports().first().copied().unwrap_or(5432)
    )
}

fn schema_sql() -> String {
    let mut sql = String::from(
        "DO $$ BEGIN CREATE ROLE bench_user NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
         CREATE SCHEMA app; GRANT USAGE ON SCHEMA app TO bench_user;
         CREATE FUNCTION app.current_tenant_id() RETURNS uuid LANGUAGE sql STABLE
           AS $$select nullif(current_setting('app.tenant_id', true), '')::uuid$$;
         CREATE TABLE app.tenants (id uuid PRIMARY KEY, name text NOT NULL);\n",
    );
    for i in 1..TABLES {
        if i % 10 == 0 {
            let _ = writeln!(
                sql,
                "CREATE TABLE app.lookup_{i} (code text PRIMARY KEY, label text NOT NULL CHECK (length(label) > 0));
                 GRANT SELECT ON app.lookup_{i} TO bench_user;"
            );
            continue;
        }
        let _ = writeln!(
            sql,
            "CREATE TABLE app.t_{i} (tenant_id uuid NOT NULL REFERENCES app.tenants (id),
               id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL,
               amount numeric(12, 2) DEFAULT 0 CHECK (amount >= 0), created_at timestamptz NOT NULL DEFAULT now());
             CREATE INDEX ON app.t_{i} (tenant_id, created_at DESC);
             ALTER TABLE app.t_{i} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
             CREATE POLICY tenant_isolation ON app.t_{i} TO bench_user
               USING (tenant_id = (SELECT app.current_tenant_id()))
               WITH CHECK (tenant_id = (SELECT app.current_tenant_id()));
             GRANT SELECT, INSERT, UPDATE, DELETE ON app.t_{i} TO bench_user;"
        );
    }
    sql
}
