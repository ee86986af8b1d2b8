//! Times ephemeral cluster starts, for `bench/cluster.sh`.
//!
//! Usage: `cluster_timing [WARM_RUNS]` with `RLSCTL_CACHE_DIR` set to an empty
//! directory, so that the first start has to build the template. Prints one
//! `cold_ms` line and `WARM_RUNS` `warm_ms` lines.

use std::time::Instant;

use rlsctl::cluster::{Cluster, ServerBinaries};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let warm_runs: usize = match std::env::args().nth(1) {
        Some(arg) => arg.parse()?,
        None => 5,
    };
    // Finding the binaries is not part of either figure.
    let binaries = ServerBinaries::find()?;

    let started = Instant::now();
    Cluster::start_with(&binaries)?.stop()?;
    println!("cold_ms {:.1}", started.elapsed().as_secs_f64() * 1000.0);

    for _ in 0..warm_runs {
        let started = Instant::now();
        let cluster = Cluster::start_with(&binaries)?;
        let elapsed = started.elapsed();
        cluster.stop()?;
        println!("warm_ms {:.1}", elapsed.as_secs_f64() * 1000.0);
    }
    Ok(())
}
