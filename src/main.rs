//! The `rlsctl` binary: parses arguments and hands them to the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    rlsctl::cli::run(rlsctl::cli::Cli::parse())
}
