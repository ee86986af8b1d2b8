//! `rlsctl init`: scaffold a project.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::failure::{Failure, fail};
use crate::init::{self, Shape};

/// Options of `rlsctl init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The directory to scaffold (created when missing), relative to the project
    /// directory (`-C`, as git's); default: the project directory.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The Supabase shape: roles anon and authenticated, JWT impersonation,
    /// membership rows joined on auth.uid(), an auth stand-in for dev databases.
    #[arg(long)]
    pub supabase: bool,
    /// Write into a directory that is not empty, overwriting the scaffold's files.
    #[arg(long)]
    pub force: bool,
}

/// Writes the scaffold and lists what it wrote and what to run next.
pub(super) fn init(project: &Path, args: &InitArgs) -> Result<ExitCode, Failure> {
    let dir = match &args.dir {
        Some(dir) => project.join(dir),
        None => project.to_path_buf(),
    };
    let dir = dir.as_path();
    let shape = if args.supabase {
        Shape::Supabase
    } else {
        Shape::Plain
    };
    let written = init::scaffold(dir, shape, args.force).map_err(fail)?;
    for path in &written {
        outln!("wrote {}", path.display());
    }
    let c = if dir == Path::new(".") {
        String::new()
    } else {
        format!(" -C {}", dir.display())
    };
    outln!();
    outln!("next:");
    outln!("  rlsctl{c} validate   check the files offline");
    outln!("  rlsctl{c} test       policy tests and the isolation proof on a fresh database");
    outln!("  rlsctl{c} plan       what DATABASE_URL lacks (set it first)");
    Ok(ExitCode::SUCCESS)
}
