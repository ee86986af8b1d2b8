//! Load + validate + render time for a generated spec of N tenant tables, beside
//! a baseline measured in the same run: plain `toml` parsing of the same files
//! into untyped values (what any TOML tool pays before doing anything).
//!
//! Run: `cargo bench --bench spec` (or `bench/spec.sh`). Prints figures; asserts nothing.

use std::path::Path;
use support::{ms, timed};

mod support;

const RUNS: usize = 5;

fn main() {
    for tables in [10, 100, 1000] {
        let dir = tempfile::tempdir().expect("temp dir");
        support::write_project(dir.path(), tables, 0);
        let files = files(dir.path());

        let baseline = timed(RUNS, || {
            for text in &files {
                let _: toml::Table = toml::from_str(text).expect("toml");
            }
        });
        let load = timed(RUNS, || {
            rlsctl::spec::load(dir.path()).expect("load");
        });
        let spec = rlsctl::spec::load(dir.path()).expect("load");
        let validate = timed(RUNS, || {
            let v = rlsctl::spec::validate(&spec);
            assert!(v.declaration.is_some(), "generated spec is valid");
        });
        let declaration = rlsctl::spec::validate(&spec).declaration.expect("valid");
        let render = timed(RUNS, || {
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

fn files(root: &Path) -> Vec<String> {
    let mut out = vec![std::fs::read_to_string(root.join("rlsctl.toml")).expect("read")];
    for dir in ["schema", "policies"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("dir") {
            out.push(std::fs::read_to_string(entry.expect("entry").path()).expect("read"));
        }
    }
    out
}
