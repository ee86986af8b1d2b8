//! `rlsctl verify`, the CI gate: validate; replay migrations/ in a fresh
//! database; zero drift between the replayed database and the declaration; the
//! policy tests and the isolation proof, and the audit, on the replayed database;
//! with `--database-url`, the target's history is a prefix of migrations/ and its
//! schema is what its applied migrations make. One summary table; exit 1 on any
//! failure.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use serde_json::{Value, json};
use tokio_postgres::Client;

use super::Format;
use super::audit::{self, FailOn};
use super::failure::{Failure, fail};
use super::migrate::{drift, files, replay, replay_steps};
use super::session::{self, block_on, dev_server};
use super::validate::load_declaration;
use crate::audit::AuditReport;
use crate::catalog;
use crate::cluster::DevServer;
use crate::migrate::verify::{Status, VerifyReport};
use crate::migrate::{self, MigrationFile};
use crate::plan::{self, Plan};
use crate::prove::{self, Rules};
use crate::report;
use crate::spec::Declaration;

/// Options of `rlsctl verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Also check this database: its migration history is a prefix of
    /// migrations/ and its schema has not drifted from what they make.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// Replay on this server instead of an ephemeral one (overrides `[database] dev_url`).
    #[arg(long, value_name = "URL")]
    pub dev_url: Option<String>,
    /// Fail the audit stage on a finding at or above this level.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Do not fail on UNRELIABLE verdicts (probes whose precondition failed).
    #[arg(long)]
    pub allow_unreliable: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Also write JUnit XML (one test case per stage) to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Also write the audit's findings as SARIF to FILE.
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,
}

/// What the stages found, for the details printed after them.
#[derive(Default)]
struct Details {
    drift: Option<Plan>,
    prove: Option<prove::Report>,
    audit: Option<AuditReport>,
    target_drift: Option<Plan>,
    errors: Vec<(&'static str, String)>,
}

/// Runs the gate.
pub(super) fn verify(project: &Path, args: &VerifyArgs) -> Result<ExitCode, Failure> {
    let mut report = VerifyReport::default();
    let mut details = Details::default();
    let started = Instant::now();
    let declaration = match load_declaration(project) {
        Ok(d) => d,
        Err(Failure::Shown(_)) => {
            report.push(
                "validate",
                Status::Failed,
                "the declaration has errors (listed above)",
                seconds(started),
            );
            skip(
                &mut report,
                &["replay", "hazards", "drift", "tests", "audit"],
                "validate failed",
            );
            return finish(&report, &details, args);
        }
        Err(e) => return Err(e),
    };
    let tenant = declaration
        .tables
        .iter()
        .filter(|t| t.tenant.is_some())
        .count();
    report.push(
        "validate",
        Status::Passed,
        format!(
            "{} tables ({tenant} tenant), {} policies, {} tests",
            declaration.tables.len(),
            declaration
                .tables
                .iter()
                .map(|t| t.policies.len())
                .sum::<usize>(),
            declaration.tests.len()
        ),
        seconds(started),
    );
    let mut declaration = declaration;
    if let Some(url) = &args.dev_url {
        declaration.dev_url = Some(url.clone());
    }
    let started = Instant::now();
    let files = match files(project) {
        Ok(files) => files,
        Err(e) => {
            stage_error(&mut report, &mut details, "replay", e, started);
            skip(
                &mut report,
                &["hazards", "drift", "tests", "audit"],
                "the replay failed",
            );
            return finish(&report, &details, args);
        }
    };
    block_on(stages(
        project,
        &declaration,
        &files,
        args,
        &mut report,
        &mut details,
    ))?;
    finish(&report, &details, args)
}

async fn stages(
    project: &Path,
    declaration: &Declaration,
    files: &[MigrationFile],
    args: &VerifyArgs,
    report: &mut VerifyReport,
    details: &mut Details,
) -> Result<(), Failure> {
    let started = Instant::now();
    let server = dev_server(declaration)?;
    let schemas: Vec<String> = declaration.schemas.iter().map(|s| s.name.clone()).collect();
    let (database, client, replayed, steps) =
        match replay_steps(&server, declaration, files, Some(&schemas)).await {
            Ok(r) => r,
            Err(e) => {
                stage_error(report, details, "replay", e, started);
                skip(
                    report,
                    &["hazards", "drift", "tests", "audit"],
                    "the replay failed",
                );
                return Ok(());
            }
        };
    let statements: usize = files.iter().map(statement_count).sum();
    let outside: usize = files.iter().map(|f| f.outside.len()).sum();
    report.push(
        "replay",
        Status::Passed,
        format!(
            "{} migration(s), {statements} statement(s){}",
            replayed.applied.len(),
            if outside > 0 {
                format!(" ({outside} outside a transaction)")
            } else {
                String::new()
            }
        ),
        seconds(started),
    );
    hazards(declaration, files, &steps, report);
    // A connection of its own for the stages that read the replayed database: the
    // proof needs one on which no setting was ever set, and migrations may set some.
    drop(client);
    let client = match database.connect().await {
        Ok(client) => client,
        Err(e) => {
            let _ = database.drop().await;
            return Err(fail(e));
        }
    };
    let outcome = replayed_stages(
        project,
        declaration,
        files,
        args,
        &server,
        &client,
        report,
        details,
    )
    .await;
    drop(client);
    let _ = database.drop().await;
    outcome
}

#[allow(clippy::too_many_arguments)]
async fn replayed_stages(
    project: &Path,
    declaration: &Declaration,
    files: &[MigrationFile],
    args: &VerifyArgs,
    server: &DevServer,
    replayed: &Client,
    report: &mut VerifyReport,
    details: &mut Details,
) -> Result<(), Failure> {
    let started = Instant::now();
    match drift(declaration, server, replayed, false).await {
        Ok(plan) if plan.is_empty() => {
            report.push(
                "drift",
                Status::Passed,
                "0 changes: migrations/ builds the declaration",
                seconds(started),
            );
        }
        Ok(plan) => {
            report.push(
                "drift",
                Status::Failed,
                format!(
                    "{} change(s) not in migrations/: run `rlsctl migrate new NAME`",
                    plan.changes.len()
                ),
                seconds(started),
            );
            details.drift = Some(plan);
        }
        Err(e) => stage_error(report, details, "drift", e, started),
    }

    // Lint stage: the lead wires `crate::lint` (issue 11 item 3) here, over `files`.

    let started = Instant::now();
    match tests(declaration, replayed, args).await {
        Ok(result) => {
            let s = &result.summary;
            let leaks = s.verdicts.get("LEAK").copied().unwrap_or(0);
            report.push(
                "tests",
                if s.passed { Status::Passed } else { Status::Failed },
                format!(
                    "{} of {} test(s) passed; {} of {} relation(s) proven, {leaks} leak(s), {} probe(s)",
                    s.tests - s.tests_failed,
                    s.tests,
                    s.proven,
                    s.relations,
                    s.probes
                ),
                seconds(started),
            );
            details.prove = Some(result);
        }
        Err(e) => stage_error(report, details, "tests", e, started),
    }

    let started = Instant::now();
    match audit_stage(project, declaration, replayed).await {
        Ok(result) => {
            let (errors, warnings, infos) = result.counts();
            let failing = audit::fails(&result, args.fail_on);
            report.push(
                "audit",
                if failing {
                    Status::Failed
                } else {
                    Status::Passed
                },
                format!(
                    "{errors} error(s), {warnings} warning(s), {infos} info (--fail-on {})",
                    fail_on_word(args.fail_on)
                ),
                seconds(started),
            );
            details.audit = Some(result);
        }
        Err(e) => stage_error(report, details, "audit", e, started),
    }

    if let Some(url) = &args.database_url {
        target_stages(declaration, files, url, server, replayed, report, details).await;
    }
    Ok(())
}

/// The hazards each migration carries (the diff of the catalogs before and after
/// it) that its file does not record as reviewed.
fn hazards(
    declaration: &Declaration,
    files: &[MigrationFile],
    steps: &[catalog::Catalog],
    report: &mut VerifyReport,
) {
    let started = Instant::now();
    let options = plan::options(declaration, false);
    let mut found = Vec::new();
    let mut total = 0;
    for (f, pair) in files.iter().zip(steps.windows(2)) {
        let effect = Plan::new(crate::diff::diff(&pair[0], &pair[1], &options));
        total += effect.hazards().count();
        for (change, hazard) in migrate::review::unreviewed(&effect, f) {
            found.push(format!(
                "{}: {} {}: {}",
                f.stem(),
                change.object,
                hazard.label(),
                hazard.reason()
            ));
        }
    }
    if found.is_empty() {
        report.push(
            "hazards",
            Status::Passed,
            format!(
                "{total} hazard(s) in {} migration(s), none unreviewed",
                files.len()
            ),
            seconds(started),
        );
    } else {
        for line in &found {
            eprintln!("unreviewed hazard: {line}");
        }
        report.push(
            "hazards",
            Status::Failed,
            format!(
                "{} unreviewed: {} (review, then add `{}` or `{}` to the file)",
                found.len(),
                found[0],
                migrate::review::REVIEWED_DESTRUCTIVE,
                migrate::review::REVIEWED_RLS_WEAKENING
            ),
            seconds(started),
        );
    }
}

fn fail_on_word(fail_on: FailOn) -> &'static str {
    match fail_on {
        FailOn::Error => "error",
        FailOn::Warn => "warn",
        FailOn::Info => "info",
        FailOn::Never => "never",
    }
}

async fn tests(
    declaration: &Declaration,
    replayed: &Client,
    args: &VerifyArgs,
) -> Result<prove::Report, Failure> {
    let mut plan = prove::Plan::from_declaration(declaration).map_err(fail)?;
    plan.refresh_materialized_views = true;
    plan.rules = Rules {
        side_channel_fails: false,
        allow_unreliable: args.allow_unreliable,
    };
    let started = Instant::now();
    let mut result = prove::run(replayed, &plan, &|_, _| {})
        .await
        .map_err(fail)?;
    result.seconds = started.elapsed().as_secs_f64();
    Ok(result)
}

async fn audit_stage(
    project: &Path,
    declaration: &Declaration,
    replayed: &Client,
) -> Result<AuditReport, Failure> {
    let schemas: Vec<String> = declaration.schemas.iter().map(|s| s.name.clone()).collect();
    let config = audit::project_config(project, &schemas).map_err(fail)?;
    crate::audit::run(replayed, &config).await.map_err(fail)
}

/// The target's history is a prefix of migrations/, and its schema is what the
/// applied migrations make (no hand-made change).
async fn target_stages(
    declaration: &Declaration,
    files: &[MigrationFile],
    url: &str,
    server: &DevServer,
    replayed: &Client,
    report: &mut VerifyReport,
    details: &mut Details,
) {
    let started = Instant::now();
    let connected = async {
        let target = session::target(Some(url), declaration)?
            .ok_or_else(|| fail("--database-url is empty"))?;
        let client = session::connect(&target).await.map_err(fail)?;
        let applied = migrate::history::read(&client).await.map_err(fail)?;
        Ok::<_, Failure>((client, applied))
    }
    .await;
    let (target, applied) = match connected {
        Ok(c) => c,
        Err(e) => {
            stage_error(report, details, "target history", e, started);
            return;
        }
    };
    let entries = migrate::history::status(files, &applied);
    let blocking: Vec<String> = entries
        .iter()
        .filter(|e| e.state.blocks())
        .map(|e| format!("V{}__{} {}", e.version, e.name, e.state.word()))
        .collect();
    let count = |s: migrate::State| entries.iter().filter(|e| e.state == s).count();
    if !blocking.is_empty() {
        report.push(
            "target history",
            Status::Failed,
            format!("not a prefix of migrations/: {}", blocking.join(", ")),
            seconds(started),
        );
        report.push(
            "target drift",
            Status::Skipped,
            "the history does not match",
            0.0,
        );
        return;
    }
    report.push(
        "target history",
        Status::Passed,
        format!(
            "a prefix of migrations/: {} applied, {} pending",
            count(migrate::State::Applied),
            count(migrate::State::Pending)
        ),
        seconds(started),
    );
    let started = Instant::now();
    let last = applied.last().map(|a| a.version);
    let prefix: Vec<MigrationFile> = files
        .iter()
        .filter(|f| last.is_some_and(|l| f.version <= l))
        .cloned()
        .collect();
    match target_drift(declaration, &prefix, files.len(), server, replayed, &target).await {
        Ok(plan) if plan.is_empty() => report.push(
            "target drift",
            Status::Passed,
            format!("0 changes from its {} applied migration(s)", prefix.len()),
            seconds(started),
        ),
        Ok(plan) => {
            report.push(
                "target drift",
                Status::Failed,
                format!(
                    "{} change(s) from what its applied migrations make: changed outside migrations",
                    plan.changes.len()
                ),
                seconds(started),
            );
            details.target_drift = Some(plan);
        }
        Err(e) => stage_error(report, details, "target drift", e, started),
    }
}

/// The plan from the target to the schema its applied migrations make.
async fn target_drift(
    declaration: &Declaration,
    prefix: &[MigrationFile],
    all: usize,
    server: &DevServer,
    replayed: &Client,
    target: &Client,
) -> Result<Plan, Failure> {
    let schemas: Vec<String> = declaration.schemas.iter().map(|s| s.name.clone()).collect();
    let expected = if prefix.len() == all {
        catalog::inspect(replayed, &schemas).await.map_err(fail)?
    } else {
        let (database, client, _) = replay(server, declaration, prefix).await?;
        let expected = catalog::inspect(&client, &schemas).await.map_err(fail);
        drop(client);
        let _ = database.drop().await;
        expected?
    };
    let (plan, _) = plan::prepare(declaration, &expected, target, false)
        .await
        .map_err(fail)?;
    Ok(plan)
}

fn statement_count(file: &MigrationFile) -> usize {
    crate::sql::parse::parse_statements(&file.transactional).unwrap_or(0) + file.outside.len()
}

/// Records stages that did not run because an earlier one failed.
fn skip(report: &mut VerifyReport, stages: &[&'static str], why: &str) {
    for stage in stages {
        report.push(stage, Status::Skipped, why, 0.0);
    }
}

fn seconds(started: Instant) -> f64 {
    started.elapsed().as_secs_f64()
}

/// Records a stage that could not run, keeping its message for the details.
fn stage_error(
    report: &mut VerifyReport,
    details: &mut Details,
    stage: &'static str,
    failure: Failure,
    started: Instant,
) {
    let message = match failure {
        Failure::Shown(_) => "failed (see above)".to_string(),
        Failure::Error { context, error, .. } => {
            let chain = crate::error::error_chain(error.as_ref());
            match context {
                Some(context) => format!("{context}: {chain}"),
                None => chain,
            }
        }
    };
    let short = message.lines().next().unwrap_or_default().to_string();
    report.push(stage, Status::Failed, short, seconds(started));
    details.errors.push((stage, message));
}

fn finish(
    report: &VerifyReport,
    details: &Details,
    args: &VerifyArgs,
) -> Result<ExitCode, Failure> {
    match args.format {
        Format::Human => {
            for (stage, message) in &details.errors {
                eprintln!("error: {stage}: {message}");
            }
            if let Some(plan) = &details.drift {
                out!(
                    "{}",
                    report::plan::human(plan, "the replayed migrations", super::color())
                );
                outln!(
                    "the declaration has changes that migrations/ does not make: run `rlsctl migrate new NAME` to write them as the next migration\n"
                );
            }
            if let Some(result) = details.prove.as_ref().filter(|r| !r.summary.passed) {
                out!("{}", report::prove::human(result, super::color()));
            }
            if let Some(result) = details
                .audit
                .as_ref()
                .filter(|r| audit::fails(r, args.fail_on))
            {
                out!(
                    "{}",
                    report::audit::human(
                        result,
                        0,
                        report::audit::HumanOptions {
                            all: false,
                            color: super::color()
                        }
                    )
                );
            }
            if let Some(plan) = &details.target_drift {
                out!(
                    "{}",
                    report::plan::human(plan, "the target", super::color())
                );
                outln!(
                    "the target differs from what its applied migrations make: someone changed it outside migrations\n"
                );
            }
            out!("{}", report::verify::human(report));
        }
        Format::Json => outln!("{}", report::verify::json(report, json_details(details))),
    }
    if let Some(path) = &args.junit {
        let body = |stage: &str| failure_body(details, stage);
        std::fs::write(path, report::verify::junit(report, &body))
            .map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
    }
    if let Some(path) = &args.sarif {
        match &details.audit {
            Some(result) => {
                let sarif = report::audit_sarif::sarif(result);
                let text = serde_json::to_string_pretty(&sarif).unwrap_or_default() + "\n";
                std::fs::write(path, text)
                    .map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
            }
            None => eprintln!(
                "note: the audit did not run; {} was not written",
                path.display()
            ),
        }
    }
    Ok(if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn failure_body(details: &Details, stage: &str) -> String {
    if let Some((_, message)) = details.errors.iter().find(|(s, _)| *s == stage) {
        return message.clone();
    }
    match stage {
        "drift" => details.drift.as_ref().map(Plan::to_sql).unwrap_or_default(),
        "target drift" => details
            .target_drift
            .as_ref()
            .map(Plan::to_sql)
            .unwrap_or_default(),
        "tests" => details
            .prove
            .as_ref()
            .map(report::prove::summary)
            .unwrap_or_default(),
        "audit" => details
            .audit
            .as_ref()
            .map(|a| {
                a.findings
                    .iter()
                    .map(|f| format!("{} {}", f.key, f.reason))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default(),
        _ => String::new(),
    }
}

fn json_details(details: &Details) -> Value {
    let changes = |plan: &Option<Plan>| {
        plan.as_ref().map(|p| {
            p.changes
                .iter()
                .map(|c| format!("{} {}", c.action.sign(), c.object))
                .collect::<Vec<_>>()
        })
    };
    json!({
        "drift": changes(&details.drift),
        "target_drift": changes(&details.target_drift),
        "tests": details.prove.as_ref().map(|r| &r.summary),
        "audit": details.audit.as_ref().map(|a| {
            let (errors, warnings, infos) = a.counts();
            json!({"errors": errors, "warnings": warnings, "info": infos,
                   "findings": a.findings.iter().map(|f| f.key.clone()).collect::<Vec<_>>()})
        }),
        "errors": details.errors.iter().map(|(s, m)| json!({"stage": s, "message": m})).collect::<Vec<_>>(),
    })
}
