//! The `rlsctl` binary: parses arguments and hands them to the library.

use clap::Parser;

/// mimalloc: the audit and the proof allocate and free many small parse trees
/// and rows; glibc's malloc made freeing them a tenth of an audit (benches/audit).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    rlsctl::cli::run(rlsctl::cli::Cli::parse())
}
