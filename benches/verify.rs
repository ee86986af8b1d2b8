//! `rlsctl verify` stage by stage on the bundled example and on generated
//! projects of 100 and 1,000 tenant tables, beside two baselines measured on the
//! same server in the same run: `pg_dump --schema-only` of the replayed database,
//! and the raw `psql` replay of the same migration files.
//!
//! Each project gets its migrations from `rlsctl migrate new init` (not timed);
//! `verify --format json` reports each stage's seconds, with a cold desired-catalog
//! cache (as in CI). Run: `cargo bench --bench verify` (or `bench/verify.sh`).
//! Prints figures; asserts only that verify passes.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rlsctl::cluster::{DevServer, ScratchDatabase};
use std::fmt::Write as _;

use support::{median, ms, pg_dump, pg_dump_time};
use tokio_postgres::config::Host;

const STAGES: &[&str] = &["validate", "replay", "hazards", "drift", "tests", "audit"];

fn rlsctl() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rlsctl"))
}

/// libpq arguments for `db` (host, port, user).
fn connection_args(db: &ScratchDatabase) -> Vec<String> {
    let config = db.config();
    let mut args = Vec::new();
    match config.get_hosts().first() {
        Some(Host::Unix(dir)) => args.extend(["-h".to_string(), dir.display().to_string()]),
        Some(Host::Tcp(host)) => args.extend(["-h".to_string(), host.clone()]),
        None => {}
    }
    if let Some(port) = config.get_ports().first() {
        args.extend(["-p".to_string(), port.to_string()]);
    }
    if let Some(user) = config.get_user() {
        args.extend(["-U".to_string(), user.to_string()]);
    }
    args
}

fn url(db: &ScratchDatabase) -> String {
    let config = db.config();
    let host = match config.get_hosts().first() {
        Some(Host::Unix(dir)) => dir.display().to_string(),
        Some(Host::Tcp(name)) => name.clone(),
        None => "localhost".to_string(),
    };
    format!(
        "postgresql://{}@/{}?host={}&port={}&sslmode=disable",
        config.get_user().unwrap_or("postgres"),
        db.name(),
        host,
        config.get_ports().first().copied().unwrap_or(5432)
    )
}

/// The stage seconds of one `verify --format json` run.
fn verify(project: &Path, dev_url: &str) -> Vec<f64> {
    let cache = tempfile::tempdir().expect("cache dir");
    let out = Command::new(rlsctl())
        .arg("-C")
        .arg(project)
        .args(["verify", "--format", "json", "--dev-url", dev_url])
        .env("RLSCTL_CACHE_DIR", cache.path())
        .env_remove("DATABASE_URL")
        .output()
        .expect("run rlsctl verify");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!(json["passed"], true, "verify failed: {json}");
    STAGES
        .iter()
        .map(|name| {
            json["stages"]
                .as_array()
                .and_then(|s| s.iter().find(|s| s["name"] == *name))
                .and_then(|s| s["seconds"].as_f64())
                .unwrap_or(0.0)
        })
        .collect()
}

/// Median time of replaying `migrations/` with plain psql into fresh databases
/// (each run in one transaction, as `psql -1`), and `pg_dump --schema-only` of
/// the last one.
async fn baselines(server: &DevServer, project: &Path, runs: usize) -> (Duration, Duration) {
    let psql = pg_dump().with_file_name("psql");
    let mut files: Vec<PathBuf> = std::fs::read_dir(project.join("migrations"))
        .expect("migrations/")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    let mut samples = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        let db = server
            .create_database("bench_psql")
            .await
            .expect("database");
        let start = Instant::now();
        for file in &files {
            let status = Command::new(&psql)
                .args(connection_args(&db))
                .args([
                    "-X",
                    "-q",
                    "-1",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-o",
                    "/dev/null",
                    "-d",
                    db.name(),
                    "-f",
                ])
                .arg(file)
                .status()
                .expect("run psql");
            assert!(status.success(), "psql replay of {} failed", file.display());
        }
        samples.push(start.elapsed());
        if let Some(previous) = last.replace(db) {
            let previous: ScratchDatabase = previous;
            previous.drop().await.expect("drop");
        }
    }
    let db = last.expect("one run");
    let dump = pg_dump_time(&pg_dump(), &db, runs);
    db.drop().await.expect("drop");
    (median(samples), dump)
}

/// A project of `tables` tenant tables that passes verify: tenant column, index,
/// forced RLS and isolation policy per table, a check, an index, grants,
/// and the impersonation the proof needs.
fn write_verifiable_project(root: &Path, tables: usize) {
    std::fs::write(
        root.join("rlsctl.toml"),
        r#"[project]
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
settings = { "app.tenant_id" = "{tenant}" }
"#,
    )
    .expect("write");
    let mut schema = String::from(
        r#"[schemas.app]
grants = { app_user = ["usage"] }

[functions."app.current_tenant_id"]
returns = "uuid"
language = "sql"
volatility = "stable"
body = "select nullif(current_setting('app.tenant_id', true), '')::uuid"
"#,
    );
    for i in 0..tables {
        let _ = write!(
            schema,
            r#"
[tables.t{i}]
tenant = true
columns.id = {{ type = "uuid", primary_key = true, default = "gen_random_uuid()" }}
columns.name = {{ type = "text", check = "length(name) > 0" }}
columns.amount = {{ type = "numeric(12, 2)", default = "0" }}
columns.created_at = {{ type = "timestamptz", default = "now()" }}
indexes = [{{ columns = ["tenant_id", "created_at"] }}]
grants = {{ app_user = ["select", "insert", "update", "delete"] }}
"#
        );
    }
    std::fs::create_dir_all(root.join("schema")).expect("mkdir");
    std::fs::write(root.join("schema/app.toml"), schema).expect("write");
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = DevServer::ephemeral().expect("an ephemeral PostgreSQL");
    let home = runtime
        .block_on(server.create_database("bench_verify"))
        .expect("a database for the dev URL");
    let dev_url = url(&home);
    println!(
        "{:>8} | {} | {:>8} | {:>8} {:>8} | {:>9} {:>9}",
        "project",
        STAGES
            .iter()
            .map(|s| format!("{s:>8}"))
            .collect::<Vec<_>>()
            .join(" "),
        "verify s",
        "psql s",
        "dump s",
        "/psql",
        "/dump"
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    let generated: Vec<(String, tempfile::TempDir)> = [100, 1000]
        .iter()
        .map(|&n| {
            let dir = tempfile::tempdir().expect("temp dir");
            write_verifiable_project(dir.path(), n);
            let init = Command::new(rlsctl())
                .arg("-C")
                .arg(dir.path())
                .args(["migrate", "new", "init"])
                .env("RLSCTL_NO_CACHE", "1")
                .output()
                .expect("migrate new");
            assert!(
                init.status.success(),
                "{}",
                String::from_utf8_lossy(&init.stderr)
            );
            (format!("{n} tbl"), dir)
        })
        .collect();
    let mut projects: Vec<(String, PathBuf, usize)> = vec![("example".to_string(), root, 3)];
    for (label, dir) in &generated {
        let runs = if label.starts_with("1000") { 1 } else { 3 };
        projects.push((label.clone(), dir.path().to_path_buf(), runs));
    }
    for (label, dir, runs) in projects {
        let samples: Vec<Vec<f64>> = (0..runs).map(|_| verify(&dir, &dev_url)).collect();
        let stage: Vec<f64> = (0..STAGES.len())
            .map(|i| {
                let mut column: Vec<f64> = samples.iter().map(|s| s[i]).collect();
                column.sort_by(f64::total_cmp);
                column[column.len() / 2]
            })
            .collect();
        let total: f64 = stage.iter().sum();
        let (psql, dump) = runtime.block_on(baselines(&server, &dir, runs));
        println!(
            "{label:>8} | {} | {total:>8.2} | {:>8.3} {:>8.3} | {:>8.1}x {:>8.1}x",
            stage
                .iter()
                .map(|s| format!("{s:>8.2}"))
                .collect::<Vec<_>>()
                .join(" "),
            ms(psql) / 1e3,
            ms(dump) / 1e3,
            total / psql.as_secs_f64(),
            total / dump.as_secs_f64()
        );
        let replay = stage[1];
        println!(
            "{:>8}   replay/psql {:.1}x, tests/dump {:.1}x, drift/dump {:.1}x",
            "",
            replay / psql.as_secs_f64(),
            stage[4] / dump.as_secs_f64(),
            stage[3] / dump.as_secs_f64()
        );
    }
    runtime.block_on(home.drop()).expect("drop");
}
