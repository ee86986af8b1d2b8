//! What the benches share: generated schemas, medians, and the `pg_dump
//! --schema-only` baseline measured on the same database in the same run.
// Each bench uses only some of these.
#![allow(dead_code)]

/// The allocator the `rlsctl` binary ships with (src/main.rs), so that the
/// figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use rlsctl::cluster::{ScratchDatabase, ServerBinaries};
use rlsctl::spec::{self, Declaration};
use tokio_postgres::config::Host;

/// The median of some samples.
pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The median time of `runs` calls of `f`.
pub fn timed(runs: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

/// Milliseconds.
/// CPU time (user + system) process `pid` has used so far, from /proc (Linux):
/// a load-independent figure beside the wall clock on a shared machine.
#[allow(dead_code)]
pub fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at field 3.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15, i.e. 12 and 13 after the name; 100 ticks a second.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// The table counts named on the command line (`cargo bench --bench audit -- 1000`),
/// else 10, 100 and 1,000.
pub fn sizes() -> Vec<usize> {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    if sizes.is_empty() {
        vec![10, 100, 1000]
    } else {
        sizes
    }
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The `pg_dump` beside the server binaries rlsctl uses.
pub fn pg_dump() -> PathBuf {
    ServerBinaries::find().map_or_else(|_| "pg_dump".into(), |b| b.bindir().join("pg_dump"))
}

/// Median time of `pg_dump --schema-only` of `db`: the baseline.
pub fn pg_dump_time(pg_dump: &Path, db: &ScratchDatabase, runs: usize) -> Duration {
    let config = db.config();
    timed(runs, || {
        let mut cmd = Command::new(pg_dump);
        match config.get_hosts().first() {
            Some(Host::Unix(dir)) => {
                cmd.arg("-h").arg(dir);
            }
            Some(Host::Tcp(host)) => {
                cmd.arg("-h").arg(host);
            }
            None => {}
        }
        if let Some(port) = config.get_ports().first() {
            cmd.arg("-p").arg(port.to_string());
        }
        if let Some(user) = config.get_user() {
            cmd.arg("-U").arg(user);
        }
        let status = cmd
            .args([
                "--schema-only",
                "--no-password",
                "-f",
                "/dev/null",
                db.name(),
            ])
            .status()
            .expect("run pg_dump");
        assert!(status.success(), "pg_dump failed");
    })
}

/// SQL for `tables` tenant tables (tenant FK, index, FORCEd RLS, a tenant policy,
/// grants to `bench_user`); `per_row_update_policy` adds an UPDATE policy whose
/// context call is not under a sub-select, so that audit checks have work to do.
pub fn tenant_schema_sql(tables: usize, per_row_update_policy: bool) -> String {
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
        if per_row_update_policy {
            let _ = writeln!(
                sql,
                "CREATE POLICY upd ON app.t{i} FOR UPDATE TO bench_user
                   USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);"
            );
        }
    }
    sql
}

/// A project of `tables` tenant tables; the first `changed` of them gain a
/// column and an index (two changes each).
pub fn project(tables: usize, changed: usize) -> Declaration {
    let dir = tempfile::tempdir().expect("temp dir");
    write_project(dir.path(), tables, changed);
    let loaded = spec::load(dir.path()).expect("load");
    spec::validate(&loaded)
        .declaration
        .expect("the generated project validates")
}

/// Writes the project of [`project`] into `root`.
pub fn write_project(root: &Path, tables: usize, changed: usize) {
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
}
