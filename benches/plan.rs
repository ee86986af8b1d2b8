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

mod support;

use std::time::Instant;

use rlsctl::cluster::DevServer;
use rlsctl::{desired, plan};
use support::{median as mid, ms, pg_dump_time, project};

const RUNS: usize = 3;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let server = DevServer::ephemeral().expect("an ephemeral PostgreSQL");
    let pg_dump = support::pg_dump();
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
            let dump = pg_dump_time(&pg_dump, &target, RUNS);
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
