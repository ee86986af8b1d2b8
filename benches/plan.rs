//! `plan` time for generated schemas of N tenant tables, beside `pg_dump
//! --schema-only` of the same target database measured in the same run.
//!
//! For each N: the target is built from the declaration (so the plan is empty),
//! then planned against the same declaration (no changes) and against one where
//! ~5% of the tables gained a column and an index (changes). A plan is the desired
//! side (the declaration built in a dev database and read back) plus the target
//! side (inspect the target, diff); both are shown, and each ratio is to pg_dump.
//!
//! Run: `cargo bench --bench plan` (or `bench/plan.sh`). Prints figures; asserts
//! only that the plans have the expected shape.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use rlsctl::cluster::{DevServer, ScratchDatabase, ServerBinaries};
use rlsctl::spec::Declaration;
use rlsctl::{desired, plan, spec};
use tokio_postgres::config::Host;

const RUNS: usize = 3;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = DevServer::ephemeral().expect("an ephemeral PostgreSQL");
    let pg_dump =
        ServerBinaries::find().map_or_else(|_| "pg_dump".into(), |b| b.bindir().join("pg_dump"));
    let cache_dir = tempfile::tempdir().expect("cache dir");
    let cache = desired::Cache::at(cache_dir.path().to_path_buf());
    println!(
        "{:>5} {:>10} | {:>9} {:>9} {:>9} | {:>11} | {:>8} | {:>12} {:>12} {:>13}",
        "N",
        "case",
        "plan ms",
        "desired",
        "target",
        "cached plan",
        "pg_dump",
        "plan/dump",
        "target/dump",
        "cached/dump"
    );
    for tables in [10, 100, 1000] {
        runtime.block_on(async {
            let base = project(tables, 0);
            let target = server.create_database("bench_target").await.expect("target database");
            let client = target.connect().await.expect("connect");
            desired::build(&client, &base).await.expect("build the target");
            let dump = median(|| {
                let status = dump_command(&pg_dump, &target).status().expect("run pg_dump");
                assert!(status.success(), "pg_dump failed");
            });
            let changed_tables = (tables / 20).max(1);
            for (label, declaration, changes) in [("no change", base.clone(), 0), ("~5% chg", project(tables, changed_tables), changed_tables * 2)] {
                let (mut desired_t, mut target_t, mut cached_t) = (Vec::new(), Vec::new(), Vec::new());
                let key = desired::Cache::key(&declaration, "bench");
                for _ in 0..RUNS {
                    let start = Instant::now();
                    let wanted = desired::catalog(&server, &declaration).await.expect("desired catalog");
                    let middle = Instant::now();
                    let (plan, _) = plan::prepare(&declaration, &wanted, &client, false).await.expect("plan");
                    target_t.push(middle.elapsed());
                    desired_t.push(middle - start);
                    // An unchanged declaration: the desired catalog comes from the cache.
                    cache.put(&key, &wanted);
                    let start = Instant::now();
                    let hit = cache.get(&key).expect("cache hit");
                    let (cached_plan, _) = plan::prepare(&declaration, &hit, &client, false).await.expect("plan");
                    cached_t.push(start.elapsed());
                    assert_eq!(cached_plan.changes.len(), changes);
                    assert_eq!(plan.changes.len(), changes, "{label}: unexpected plan:\n{}", plan.to_sql());
                }
                let (d, t, c) = (mid(desired_t), mid(target_t), mid(cached_t));
                println!(
                    "{tables:>5} {label:>10} | {:>9.1} {:>9.1} {:>9.1} | {:>11.1} | {:>8.1} | {:>11.1}x {:>11.2}x {:>12.2}x",
                    ms(d + t),
                    ms(d),
                    ms(t),
                    ms(c),
                    ms(dump),
                    (d + t).as_secs_f64() / dump.as_secs_f64(),
                    t.as_secs_f64() / dump.as_secs_f64(),
                    c.as_secs_f64() / dump.as_secs_f64()
                );
            }
            drop(client);
            target.drop().await.expect("drop target");
        });
    }
}

fn dump_command(pg_dump: &Path, db: &ScratchDatabase) -> Command {
    let config = db.config();
    let mut cmd = Command::new(pg_dump);
    if let Some(Host::Unix(dir)) = config.get_hosts().first() {
        cmd.arg("-h").arg(dir);
    } else if let Some(Host::Tcp(host)) = config.get_hosts().first() {
        cmd.arg("-h").arg(host);
    }
    if let Some(port) = config.get_ports().first() {
        cmd.arg("-p").arg(port.to_string());
    }
    if let Some(user) = config.get_user() {
        cmd.arg("-U").arg(user);
    }
    cmd.args(["--schema-only", "-f", "/dev/null", db.name()]);
    cmd
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn mid(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn median(mut f: impl FnMut()) -> Duration {
    mid((0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect())
}

/// A project of `tables` tenant tables; the first `changed` of them gain a
/// column and an index (two changes each).
fn project(tables: usize, changed: usize) -> Declaration {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(
        root.join("rlsctl.toml"),
        r#"[project]
schemas = ["app"]
[roles]
app_user = {}
[tenancy]
column = "tenant_id"
type = "uuid"
references = "tenants.id"
current = "(select app.current_tenant_id())"
roles = ["app_user"]
"#,
    )
    .expect("write");
    std::fs::create_dir_all(root.join("schema")).expect("mkdir");
    std::fs::create_dir_all(root.join("policies")).expect("mkdir");
    let mut schema = String::from(
        r#"[functions."app.current_tenant_id"]
returns = "uuid"
language = "sql"
volatility = "stable"
body = "select nullif(current_setting('app.tenant_id', true), '')::uuid"

[tables.tenants]
tenant = "id"
columns.id = { type = "uuid", primary_key = true, default = "gen_random_uuid()" }
columns.name = { type = "text" }
"#,
    );
    let mut policies = String::new();
    for i in 0..tables {
        let (extra, index) = if i < changed {
            (
                "columns.note = { type = \"text\", nullable = true }\n",
                ", { columns = [\"tenant_id\", \"created_at\"] }",
            )
        } else {
            ("", "")
        };
        let _ = write!(
            schema,
            r#"
[tables.t{i}]
tenant = true
columns.id = {{ type = "uuid", primary_key = true, default = "gen_random_uuid()" }}
columns.name = {{ type = "text", check = "length(name) > 0" }}
columns.amount = {{ type = "numeric(12, 2)", default = "0" }}
columns.created_at = {{ type = "timestamptz", default = "now()" }}
{extra}indexes = [{{ columns = ["tenant_id", "lower(name)"], unique = true }}{index}]
grants = {{ app_user = ["select", "insert", "update", "delete"] }}
"#
        );
        let _ = write!(
            policies,
            r#"
[[policy]]
table = "t{i}"
name = "t{i}_positive"
command = "update"
mode = "restrictive"
roles = ["app_user"]
using = "amount >= 0"
"#
        );
    }
    std::fs::write(root.join("schema/app.toml"), schema).expect("write");
    std::fs::write(root.join("policies/app.toml"), policies).expect("write");
    let loaded = spec::load(root).expect("load");
    spec::validate(&loaded)
        .declaration
        .expect("the generated project validates")
}
