//! `rlsctl test`: the hand-written policy tests and the isolation proof, against
//! `--database-url` (or `[database] url_env`) or, without a target, a fresh dev
//! database built from the declaration.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use tokio_postgres::Client;

use super::Format;
use super::failure::{Failure, fail};
use super::session::{self, block_on, dev_server};
use super::validate::load_declaration;
use crate::conn::Target;
use crate::desired;
use crate::prove::{self, Plan, Report, Rules};
use crate::report;

/// Verdicts that fail the run besides LEAK, DENY-ALL, ERROR and failed tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Also fail on SIDE-CHANNEL (unique-key and other existence oracles).
    SideChannel,
}

/// Options of `rlsctl test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Probe this database instead of a fresh dev database (rolled back; nothing is committed).
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also write JUnit XML to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Make SIDE-CHANNEL verdicts fail the run.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Run only the hand-written tests, not the automatic proof.
    #[arg(long)]
    pub tests_only: bool,
    /// Do not fail the run on UNRELIABLE verdicts (probes whose precondition failed).
    #[arg(long)]
    pub allow_unreliable: bool,
    /// Connections the proof runs on at once, each proving a share of the tables
    /// in its own rolled-back transaction (default: one more than the machine's cores, at most 4;
    /// 1 proves everything on one connection). Used from 40 tenant tables up.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub jobs: Option<u16>,
}

/// Runs the tests and the proof; the exit code is the core's verdict
/// (`Report::summary`): 1 on a leak, deny-all, error, unreliable probe, failed
/// test, or when nothing was proven.
pub(super) fn test(project: &Path, args: &TestArgs) -> Result<ExitCode, Failure> {
    let declaration = load_declaration(project)?;
    let mut plan = Plan::from_declaration(&declaration).map_err(fail)?;
    plan.prove = !args.tests_only;
    plan.rules = Rules {
        side_channel_fails: args.fail_on == Some(FailOn::SideChannel),
        allow_unreliable: args.allow_unreliable,
    };
    let url = args.database_url.clone().or_else(|| {
        declaration
            .url_env
            .as_deref()
            .and_then(|v| std::env::var(v).ok())
            .filter(|u| !u.is_empty())
    });
    let jobs = args.jobs.map_or_else(default_jobs, usize::from);
    let started = Instant::now();
    let result = block_on(async {
        match url {
            Some(url) => {
                let target = Target::from_url(&url).map_err(fail)?;
                eprintln!("probing {target} (every probe is rolled back)");
                let client = session::connect(&target).await.map_err(fail)?;
                let more = prove::Connections {
                    jobs,
                    open: Box::new(|| Box::pin(async { session::connect_more(&target).await })),
                };
                run(&client, &more, &plan).await
            }
            None => {
                let server = dev_server(&declaration)?;
                let database = server.create_database("rlsctl_test").await.map_err(fail)?;
                let result = async {
                    let client = database.connect().await.map_err(fail)?;
                    desired::build(&client, &declaration).await.map_err(fail)?;
                    let plan = Plan {
                        refresh_materialized_views: true,
                        ..plan.clone()
                    };
                    let more = prove::Connections {
                        jobs,
                        open: Box::new(|| {
                            Box::pin(async { database.connect().await.map_err(|e| e.to_string()) })
                        }),
                    };
                    run(&client, &more, &plan).await
                }
                .await;
                let _ = database.drop().await;
                result
            }
        }
    });
    let mut report = result?;
    report.seconds = started.elapsed().as_secs_f64();
    match args.format {
        Format::Human => out!("{}", report::prove::human(&report, super::color())),
        Format::Json => outln!("{}", report::prove::json(&report)),
    }
    if let Some(path) = &args.junit
        && let Err(e) = std::fs::write(path, report::prove::junit(&report))
    {
        return Err(fail(format!("cannot write {}: {e}", path.display())));
    }
    Ok(if report.summary.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// One more than the machine's cores, at most 4: a connection waits on each round
/// trip (its backend or the client idle), so one connection more than cores keeps
/// them busy (1,000 tables on 2 cores: 3 connections 8.2 s, 2 connections 8.65 s; on
/// cores shared with other work 10.4-11.8 s against 11.8 s; benches/prove.rs).
fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| (n.get() + 1).min(4))
}

async fn run(
    client: &Client,
    more: &prove::Connections<'_>,
    plan: &Plan,
) -> Result<Report, Failure> {
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30} {pos}/{len} relation × principal passes")
        {
            bar.set_style(style);
        }
        bar
    });
    let progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    };
    let report = prove::run_with(client, Some(more), plan, &progress)
        .await
        .map_err(fail);
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    report
}
