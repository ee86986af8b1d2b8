//! The isolation proof and the hand-written policy tests (`rlsctl test`).
//!
//! `run` impersonates users on one connection and decides every verdict from
//! ground truth read as the connecting role after `RESET ROLE` inside the same
//! transaction, never from the probe statement's own result. Everything runs in
//! one transaction per principal pass that is rolled back: nothing is committed.
//! The module returns data; `report::prove` renders it.

mod cascade;
mod conflict;
mod discover;
mod evidence;
mod fix;
mod handwritten;
mod impersonate;
mod judge;
mod matrix;
mod oracles;
mod outcome;
mod principals;
mod probes;
mod row_sql;
mod rpc;
mod seed;
mod selfgrant;
mod session;
mod trail;
mod transaction;
mod truth;
mod writes;

use std::collections::HashMap;

use tokio_postgres::Client;

use crate::catalog::{self, CatalogError};
use crate::spec::Declaration;
use crate::spec::declaration::{Identity, Impersonation, PolicyTest};
use crate::sql::QualifiedName;

pub use discover::{RelationKind, TenantRelation};
pub use impersonate::Principal;
pub use outcome::{
    NotProbed, Outcome, Probe, Report, Repro, Rules, Scope, Summary, TestResult, Verdict,
};
pub use trail::TrailPlan;

/// What to prove: the tenancy, the principals and the hand-written tests.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Schemas whose relations are in scope.
    pub schemas: Vec<String>,
    /// The default tenant column (`[tenancy] column`).
    pub tenant_column: String,
    /// Declared tenant columns per table, overriding the default.
    pub tenant_columns: HashMap<QualifiedName, String>,
    /// Client roles (`[tenancy] roles`).
    pub roles: Vec<String>,
    /// How to become a user of a tenant.
    pub impersonate: Impersonation,
    /// Named identities for hand-written tests.
    pub identities: Vec<Identity>,
    /// Hand-written tests.
    pub tests: Vec<PolicyTest>,
    /// `sample = {...}` rows per table.
    pub samples: HashMap<QualifiedName, serde_json::Map<String, serde_json::Value>>,
    /// Run the automatic proof (hand-written tests always run).
    pub prove: bool,
    /// Refresh materialized views after seeding (a dev database: the lock is harmless).
    pub refresh_materialized_views: bool,
    /// What fails the run besides leaks, deny-all, errors and failed tests.
    pub rules: Rules,
    /// Tables the project declares: a sample for them goes in their TOML, for
    /// others in rlsctl.toml's `[samples."schema.table"]`.
    pub declared_tables: Vec<QualifiedName>,
    /// When set, only these tenant relations are probed (and seeded, with their
    /// parents): `plan` proves the relations a change touches.
    pub only: Option<std::collections::BTreeSet<QualifiedName>>,
    /// The declared audit trail, whose integrity probes run with the proof.
    pub trail: Option<TrailPlan>,
}

impl Plan {
    /// The plan for a declared project: its tenancy, tenant tables, samples and tests.
    pub fn from_declaration(declaration: &Declaration) -> Result<Plan, ProveError> {
        let tenancy = declaration.tenancy.as_ref().ok_or(ProveError::NoTenancy)?;
        let mut tenant_columns = HashMap::new();
        let mut samples = HashMap::new();
        for table in &declaration.tables {
            if let Some(tenant) = &table.tenant {
                tenant_columns.insert(table.name.clone(), tenant.column.clone());
            }
            if let Some(sample) = &table.sample {
                samples.insert(table.name.clone(), sample.clone());
            }
        }
        for (name, sample) in &declaration.samples {
            samples
                .entry(name.clone())
                .or_insert_with(|| sample.clone());
        }
        Ok(Plan {
            schemas: declaration.schemas.iter().map(|s| s.name.clone()).collect(),
            tenant_column: tenancy.column.clone(),
            tenant_columns,
            roles: tenancy.roles.clone(),
            impersonate: tenancy.impersonate.clone().unwrap_or_default(),
            identities: declaration.identities.clone(),
            tests: declaration.tests.clone(),
            samples,
            prove: true,
            refresh_materialized_views: false,
            rules: Rules::default(),
            declared_tables: declaration.tables.iter().map(|t| t.name.clone()).collect(),
            only: None,
            trail: trail::TrailPlan::from_declaration(declaration),
        })
    }
}

/// Why the proof could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum ProveError {
    /// The project has no `[tenancy]`.
    #[error("no [tenancy] in rlsctl.toml: rlsctl test needs the tenant column and client roles")]
    NoTenancy,
    /// The catalog could not be read.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// Talking to the database failed outside a probe.
    #[error("database: {0}")]
    Database(#[from] tokio_postgres::Error),
    /// A statement of the proof's own bookkeeping failed.
    #[error("database: {0}")]
    Failed(String),
    /// User SQL would end or escape the run's transaction; nothing was run.
    #[error(
        "{what} uses {statement}: rlsctl test runs every test and probe inside one transaction that it rolls back, so it refuses transaction control and statements that cannot run in a transaction block; nothing was run (remove the statement)"
    )]
    TransactionControl {
        /// Which SQL of the plan.
        what: String,
        /// The statement, in SQL words.
        statement: &'static str,
    },
    /// The run's transaction ended after user SQL ran.
    #[error(
        "the transaction of the run was no longer open after {what}: the run stopped and rolled back what was still open; statements before the one that ended it may have been committed"
    )]
    TransactionEnded {
        /// The SQL after which it was found ended.
        what: String,
    },
}

/// Runs the hand-written tests and the isolation proof over `client`, and
/// decides the run (`Report::summary`).
/// `progress` is called with (done, total) relation passes.
pub async fn run(
    client: &Client,
    plan: &Plan,
    progress: &dyn Fn(usize, usize),
) -> Result<Report, ProveError> {
    run_with(client, None, plan, progress).await
}

pub use crate::conn::Connections;

/// [`run`], the proof's tables shared out among `client` and up to
/// `more.jobs - 1` more connections to the same database, each proving its
/// share in its own rolled-back transaction at the same time: on a database of
/// many tables the server's work then runs on as many cores. The hand-written
/// tests and the probes that need every table run on `client`.
pub async fn run_with(
    client: &Client,
    more: Option<&Connections<'_>>,
    plan: &Plan,
    progress: &dyn Fn(usize, usize),
) -> Result<Report, ProveError> {
    transaction::refuse_transaction_control(plan)?;
    let catalog = catalog::inspect(client, &plan.schemas).await?;
    let mut relations = discover::tenant_relations(client, &catalog, plan).await?;
    if let Some(only) = &plan.only {
        relations.retain(|r| only.contains(&r.name));
    }
    let mut report = Report {
        scope: Scope {
            schemas: plan.schemas.clone(),
            roles: plan.roles.clone(),
            relations: relations.iter().map(|r| r.describe()).collect(),
            principals: Vec::new(),
            connected_as: String::new(),
        },
        ..Report::default()
    };
    report.scope.connected_as = session::ground_truth_role(client, &mut report.warnings).await?;
    // The proof first: its no-context principal needs a connection on which no
    // setting was ever set, and the hand-written tests set them.
    if plan.prove {
        probes::prove(
            client,
            more,
            &catalog,
            plan,
            &relations,
            &mut report,
            progress,
        )
        .await?;
    }
    report.tests = handwritten::run_all(client, plan).await?;
    report
        .tests
        .extend(trail::run(client, &catalog, plan, &mut report.warnings).await?);
    report.rules = plan.rules;
    report.summary = report.summarize(plan.rules, plan.prove);
    Ok(report)
}
