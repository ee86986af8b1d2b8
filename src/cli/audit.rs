//! `rlsctl audit`: audit the target database (or, with none configured, the
//! declaration built in an ephemeral dev database) and print the findings.
//! Exit 0 clean, 1 at or above `--fail-on`, 2 when the audit could not run.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::failure::{Failure, fail};
use super::session;
use super::validate::load_declaration;
use crate::audit::{self, AuditConfig, AuditReport, Level, Suppression};
use crate::conn::Target;
use crate::report::{audit as audit_report, audit_sarif};
use crate::spec::model::AuditSection;

/// `rlsctl audit` arguments.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The database to audit (else `[database] url_env`, else the PG* environment;
    /// with none, the declaration built in an ephemeral dev database).
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AuditFormat::Human)]
    format: AuditFormat,
    /// Exit 1 when a finding is at or above this level.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// A previous `--format json` report: only findings not in it are reported and fail.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// A client role (repeatable); overrides `[audit] client_roles` and detection.
    #[arg(long = "client-role", value_name = "ROLE")]
    client_roles: Vec<String>,
    /// A schema to scan (repeatable); overrides `[audit] schemas`, `[project] schemas`
    /// and detection.
    #[arg(long = "schema", value_name = "SCHEMA")]
    schemas: Vec<String>,
    /// Human format: detail every finding, not only the first few of each check
    /// (JSON and SARIF always list every one).
    #[arg(long)]
    all: bool,
    /// Connections the catalog is read on, in one snapshot (default 2, the most
    /// it uses; 1 reads everything on one connection).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=2))]
    jobs: Option<u16>,
}

/// Audit output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// For people: a summary per check, then the first findings of each.
    Human,
    /// Stable JSON.
    Json,
    /// SARIF 2.1.0.
    Sarif,
}

/// The `--fail-on` threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Errors only.
    Error,
    /// Warnings and errors.
    Warn,
    /// Any finding.
    Info,
    /// Never fail on findings.
    Never,
}

const CANNOT_RUN: u8 = 2;

/// What `rlsctl.toml` says that the audit uses; every part optional.
#[derive(Debug, Default)]
struct ProjectSettings {
    url_env: Option<String>,
    tenant_column: Option<String>,
    tenancy_roles: Vec<String>,
    tenancy_current: Option<String>,
    /// `[project] schemas`: the schemas the project owns.
    project_schemas: Vec<String>,
    audit: AuditSection,
    /// Tables the declaration marks public, when it validates (an invalid
    /// declaration only means the audit knows less).
    public_tables: Vec<(crate::catalog::QualifiedName, String)>,
    /// Findings the declaration itself accounts for (the audit trail's definer triggers).
    declared: Vec<Suppression>,
}

/// Runs `rlsctl audit`.
pub(super) fn audit(project: &Path, args: &AuditArgs) -> Result<ExitCode, Failure> {
    audit_or_fail(project, args).map_err(|f| f.within("the audit could not run", CANNOT_RUN))
}

fn audit_or_fail(project: &Path, args: &AuditArgs) -> Result<ExitCode, Failure> {
    let settings = settings(project).map_err(fail)?;
    let baseline = match &args.baseline {
        None => BTreeSet::new(),
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|text| audit::baseline::keys(&text))
            .map_err(|e| fail(format!("baseline {}: {e}", path.display())))?,
    };
    let target =
        Target::resolve(args.database_url.as_deref(), settings.url_env.as_deref()).map_err(fail)?;
    let mut config = config(&settings, args);
    let jobs = args.jobs.map_or(2, usize::from);
    let report = match target {
        Some(target) => session::block_on(async {
            eprintln!("auditing {target} ...");
            let client = session::connect(&target).await.map_err(fail)?;
            let more = crate::conn::Connections {
                jobs,
                open: Box::new(|| Box::pin(async { session::connect_more(&target).await })),
            };
            audit::run_with(&client, Some(&more), &config)
                .await
                .map_err(fail)
        }),
        None => {
            let Ok(declaration) = load_declaration(project) else {
                return Err(fail(
                    "no target database configured and the declaration is invalid",
                ));
            };
            if config.schemas.is_empty() {
                config.schemas = declaration.schemas.iter().map(|s| s.name.clone()).collect();
                config.schemas_source = "the declaration".to_string();
            }
            eprintln!(
                "no target database configured: auditing the declaration built in a dev database"
            );
            session::block_on(async {
                let server = session::dev_server(&declaration)?;
                let database = server.create_database("rlsctl_audit").await.map_err(fail)?;
                let result = async {
                    let client = database.connect().await.map_err(fail)?;
                    crate::desired::build(&client, &declaration)
                        .await
                        .map_err(fail)?;
                    let more = crate::conn::Connections {
                        jobs,
                        open: Box::new(|| {
                            Box::pin(async { database.connect().await.map_err(|e| e.to_string()) })
                        }),
                    };
                    audit::run_with(&client, Some(&more), &config)
                        .await
                        .map_err(fail)
                }
                .await;
                let _ = database.drop().await;
                result
            })
        }
    }?;
    Ok(print(report, &baseline, args))
}

fn print(report: AuditReport, baseline: &BTreeSet<String>, args: &AuditArgs) -> ExitCode {
    let mut report = report;
    let (new, known) = audit::baseline::split(std::mem::take(&mut report.findings), baseline);
    report.findings = new;
    let rendered = match args.format {
        AuditFormat::Human => audit_report::human(
            &report,
            known.len(),
            audit_report::HumanOptions {
                all: args.all,
                color: super::color(),
            },
        ),
        AuditFormat::Json => pretty(&audit_report::json(&report, known.len())),
        AuditFormat::Sarif => pretty(&audit_sarif::sarif(&report)),
    };
    out!("{rendered}");
    if fails(&report, args.fail_on) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Whether `report` has a finding at or above `fail_on` (the exit-code rule of
/// `audit`, and of `verify`'s audit stage).
pub(super) fn fails(report: &AuditReport, fail_on: FailOn) -> bool {
    let threshold = match fail_on {
        FailOn::Error => Some(Level::Error),
        FailOn::Warn => Some(Level::Warn),
        FailOn::Info => Some(Level::Info),
        FailOn::Never => None,
    };
    threshold.is_some_and(|t| report.findings.iter().any(|f| f.level.at_least(t)))
}

/// The audit configuration of a project's files alone, its schemas defaulting to
/// the declared ones (`verify` audits the replayed declaration).
pub(super) fn project_config(
    project: &Path,
    declared_schemas: &[String],
) -> Result<AuditConfig, String> {
    let settings = settings(project)?;
    let args = AuditArgs {
        database_url: None,
        format: AuditFormat::Human,
        fail_on: FailOn::Error,
        baseline: None,
        client_roles: Vec::new(),
        schemas: Vec::new(),
        all: false,
        jobs: None,
    };
    let mut config = config(&settings, &args);
    if config.schemas.is_empty() {
        config.schemas = declared_schemas.to_vec();
        config.schemas_source = "the declaration".to_string();
    }
    Ok(config)
}

fn pretty(value: &serde_json::Value) -> String {
    // Serialising a Value built from plain data cannot fail.
    serde_json::to_string_pretty(value)
        .map_or_else(|e| format!("{{\"error\": \"{e}\"}}"), |s| s + "\n")
}

fn config(settings: &ProjectSettings, args: &AuditArgs) -> AuditConfig {
    let a = &settings.audit;
    let (client_roles, client_roles_source) = first_set(&[
        (Some(&args.client_roles), "--client-role"),
        (a.client_roles.as_ref(), "[audit] client_roles"),
        (Some(&settings.tenancy_roles), "[tenancy] roles"),
    ]);
    let (schemas, schemas_source) = first_set(&[
        (Some(&args.schemas), "--schema"),
        (a.schemas.as_ref(), "[audit] schemas"),
        (Some(&settings.project_schemas), "[project] schemas"),
    ]);
    let mut context_helpers = a.context_helpers.clone().unwrap_or_default();
    // Functions named in `[tenancy] current` read the context by definition.
    if let Some(expr) = settings
        .tenancy_current
        .as_deref()
        .and_then(audit::expr::parse)
    {
        for name in audit::expr::all_calls(&expr) {
            if name.len() == 2 && !context_helpers.contains(&name.join(".")) {
                context_helpers.push(name.join("."));
            }
        }
    }
    AuditConfig {
        client_roles,
        client_roles_source,
        schemas,
        schemas_source,
        tenant_column: settings.tenant_column.clone(),
        context_helpers,
        public_tables: settings.public_tables.clone(),
        ignore: a
            .ignore
            .iter()
            .map(|i| Suppression {
                key: i.key.clone(),
                reason: i.reason.clone(),
            })
            .chain(settings.declared.iter().cloned())
            .collect(),
    }
}

/// The first non-empty list and where it came from (empty and `""`: detect).
fn first_set(sources: &[(Option<&Vec<String>>, &str)]) -> (Vec<String>, String) {
    sources
        .iter()
        .find_map(|(list, source)| {
            list.filter(|l| !l.is_empty())
                .map(|l| (l.clone(), (*source).to_string()))
        })
        .unwrap_or_default()
}

/// The project settings audit uses, read with the spec loader: a project is
/// optional (a DBA may audit a database nobody declared), but a present
/// `rlsctl.toml` must parse, with the usual file:line:col errors.
fn settings(project: &Path) -> Result<ProjectSettings, String> {
    if !project.join(crate::spec::load::PROJECT_FILE).is_file() {
        return Ok(ProjectSettings::default());
    }
    let spec = crate::spec::load(project).map_err(|failure| {
        let findings: Vec<String> = failure
            .diagnostics
            .iter()
            .map(|d| crate::spec::Finding::new(d, &failure.sources).one_line())
            .collect();
        findings.join("\n")
    })?;
    let file = &spec.project.1;
    let tenancy = file.tenancy.as_ref().map(|t| t.get_ref());
    let declaration = crate::spec::validate(&spec).declaration;
    Ok(ProjectSettings {
        url_env: file.database.url_env.as_ref().map(|u| u.get_ref().clone()),
        tenant_column: tenancy.and_then(|t| t.column.as_ref().map(|c| c.get_ref().clone())),
        tenancy_roles: tenancy
            .map(|t| t.roles.iter().map(|r| r.get_ref().clone()).collect())
            .unwrap_or_default(),
        tenancy_current: tenancy.and_then(|t| t.current.as_ref().map(|c| c.get_ref().clone())),
        project_schemas: file
            .project
            .get_ref()
            .schemas
            .get_ref()
            .iter()
            .map(|s| s.get_ref().clone())
            .collect(),
        audit: file.audit.clone().unwrap_or_default(),
        declared: declaration
            .as_ref()
            .map(super::audit_trail::declared_suppressions)
            .unwrap_or_default(),
        public_tables: declaration
            .map(|d| {
                d.tables
                    .into_iter()
                    .filter_map(|t| t.public_reason.map(|reason| (t.name, reason)))
                    .collect()
            })
            .unwrap_or_default(),
    })
}
