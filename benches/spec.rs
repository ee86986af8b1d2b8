//! Load + validate + render time for a generated spec of N tenant tables, beside
//! a baseline measured in the same run: plain `toml` parsing of the same files
//! into untyped values (what any TOML tool pays before doing anything).
//!
//! Run: `cargo bench --bench spec` (or `bench/run.sh`). Prints figures; asserts nothing.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

const RUNS: usize = 5;

fn main() {
    for tables in [10, 100, 1000] {
        let dir = tempfile::tempdir().expect("temp dir");
        generate(dir.path(), tables);
        let files = files(dir.path());

        let baseline = median(|| {
            for text in &files {
                let _: toml::Table = toml::from_str(text).expect("toml");
            }
        });
        let load = median(|| {
            rlsctl::spec::load(dir.path()).expect("load");
        });
        let spec = rlsctl::spec::load(dir.path()).expect("load");
        let validate = median(|| {
            let v = rlsctl::spec::validate(&spec);
            assert!(v.declaration.is_some(), "generated spec is valid");
        });
        let declaration = rlsctl::spec::validate(&spec).declaration.expect("valid");
        let render = median(|| {
            rlsctl::ddl::render(&declaration).to_sql();
        });
        let total = load + validate + render;
        println!(
            "{tables:>5} tables: load {:>8.2} ms  validate {:>8.2} ms  render {:>7.2} ms  total {:>8.2} ms \
             ({:>6.1} µs/table)  baseline toml-only {:>7.2} ms  ratio total/baseline {:>5.1}x",
            ms(load),
            ms(validate),
            ms(render),
            ms(total),
            total.as_secs_f64() * 1e6 / tables as f64,
            ms(baseline),
            total.as_secs_f64() / baseline.as_secs_f64()
        );
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn files(root: &Path) -> Vec<String> {
    let mut out = vec![std::fs::read_to_string(root.join("rlsctl.toml")).expect("read")];
    for dir in ["schema", "policies"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("dir") {
            out.push(std::fs::read_to_string(entry.expect("entry").path()).expect("read"));
        }
    }
    out
}

/// A project shaped like the root example: a tenants table and N tenant tables,
/// each with a foreign key, a unique index, a check and a restrictive policy.
fn generate(root: &Path, tables: usize) {
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
        let _ = write!(
            schema,
            r#"
[tables.t{i}]
tenant = true
columns.id = {{ type = "uuid", primary_key = true, default = "gen_random_uuid()" }}
columns.name = {{ type = "text", check = "length(name) > 0" }}
columns.amount = {{ type = "numeric(12, 2)", default = "0" }}
columns.created_at = {{ type = "timestamptz", default = "now()" }}
indexes = [{{ columns = ["tenant_id", "lower(name)"], unique = true }}]
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
