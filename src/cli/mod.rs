//! The command line: argument definitions and one function per command. Commands
//! wire the pipeline stages together and print what `report` renders.

/// `print!` that never panics: when stdout is closed (`rlsctl plan | head`) the
/// rest of the output is dropped and the command still ends as it would have
/// (its cleanup runs, its exit code stands).
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}

/// `println!` that never panics; see `out!`.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod audit;
mod audit_trail;
mod decide;
mod failure;
mod init;
mod inspect;
mod interrupt;
mod lint;
mod logging;
mod migrate;
mod plan;
mod pull;
mod session;
mod test;
mod validate;
mod verify;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// rlsctl: PostgreSQL schema and row-level security as code.
#[derive(Debug, Parser)]
#[command(name = "rlsctl", version, about, long_about = None)]
pub struct Cli {
    /// The project directory (holding rlsctl.toml).
    #[arg(
        long,
        short = 'C',
        global = true,
        default_value = ".",
        value_name = "DIR"
    )]
    pub project: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scaffold a project that validates and tests on its first run (`--supabase`
    /// for the Supabase shape). Refuses a directory that is not empty without `--force`.
    Init(init::InitArgs),
    /// Check the declaration offline: parse every file, resolve every reference,
    /// parse every SQL expression with PostgreSQL's parser.
    Validate {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print the SQL script that builds the declaration in an empty database.
    Render,
    /// Build the declaration in a dev database (an ephemeral local PostgreSQL
    /// unless `[database] dev_url` is set) and show the catalog PostgreSQL made of it.
    Inspect {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Diff the declaration against the target database: the changes, their
    /// hazards and the SQL that would apply them. Changes nothing.
    Plan {
        #[command(flatten)]
        target: plan::TargetArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = plan::PlanFormat::Human)]
        format: plan::PlanFormat,
        /// Exit 0 when there are no changes, 2 when there are, 1 on error.
        #[arg(long)]
        detailed_exitcode: bool,
    },
    /// Apply the plan to the target in one transaction, under an advisory lock.
    Apply {
        #[command(flatten)]
        target: plan::TargetArgs,
        #[command(flatten)]
        options: plan::ApplyArgs,
    },
    /// Run the hand-written policy tests and the isolation proof: impersonate
    /// users of two tenants and probe every tenant relation. Nothing is committed.
    Test(test::TestArgs),
    /// Audit a database's row-level security and privileges from its catalog:
    /// every leak and slowdown, ranked, with the object, the reason and the fix.
    /// Reads only; needs no declaration.
    Audit(audit::AuditArgs),
    /// Lint migration files offline, on PostgreSQL's syntax trees: locks, table
    /// rewrites, data loss, RLS weakened. Silence a finding with
    /// `-- rlsctl:allow RULE reason` on the line before its statement.
    Lint(lint::LintArgs),
    /// Versioned migrations in migrations/: write the next one from the
    /// declaration, apply them with history, list their state.
    #[command(subcommand)]
    Migrate(migrate::MigrateCommand),
    /// The CI gate: replay migrations/ in a fresh database, require zero drift from
    /// the declaration, run the policy tests, the isolation proof and the audit.
    Verify(verify::VerifyArgs),
    /// Write rlsctl.toml, schema/*.toml and policies/*.toml from an existing
    /// database, so that `plan` against it is then empty.
    Pull(pull::PullArgs),
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Human,
    /// For programs.
    Json,
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    logging::install();
    interrupt::install();
    let outcome = match cli.command {
        Command::Init(args) => init::init(&cli.project, &args),
        Command::Validate { format } => validate::validate(&cli.project, format),
        Command::Render => validate::render(&cli.project),
        Command::Inspect { format } => inspect::inspect(&cli.project, format),
        Command::Plan {
            target,
            format,
            detailed_exitcode,
        } => plan::plan(&cli.project, &target, format, detailed_exitcode),
        Command::Apply { target, options } => plan::apply(&cli.project, &target, &options),
        Command::Test(args) => test::test(&cli.project, &args),
        Command::Audit(args) => audit::audit(&cli.project, &args),
        Command::Lint(args) => lint::lint(&cli.project, &args),
        Command::Migrate(command) => migrate::migrate(&cli.project, &command),
        Command::Verify(args) => verify::verify(&cli.project, &args),
        Command::Pull(args) => pull::pull(&cli.project, &args),
    };
    // A signal outside the async part (loading, printing) still ends the run as one.
    if interrupt::caught().is_some() {
        return interrupt::report();
    }
    outcome.unwrap_or_else(failure::Failure::report)
}

/// Whether to colour output on stdout.
fn color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}
