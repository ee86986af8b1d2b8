//! `rlsctl audit`: every way a database's row-level security and privileges
//! can leak or slow down, read from the catalog alone.
//!
//! [`run`] resolves the scope (client roles and schemas, never empty), reads
//! the catalog in one read-only snapshot (`catalog::inspect`), and runs every
//! check of the registry ([`checks::REGISTRY`]) over them. Checks only read; nothing is
//! printed here (rendering lives in `report::audit`).

pub mod access;
pub mod baseline;
pub mod body;
pub mod checks;
pub mod eval;
pub mod expr;
pub mod facts;
pub mod finding;
pub mod policies;
pub mod reach;
pub mod scope;

use tokio_postgres::Client;

use crate::catalog::{self, Catalog, CatalogError};
pub use finding::{Finding, Level, Reach};
pub use scope::Scope;

/// What the audit is told (from `rlsctl.toml` and flags); everything optional.
#[derive(Debug, Clone, Default)]
pub struct AuditConfig {
    /// Client roles; empty: detected.
    pub client_roles: Vec<String>,
    /// Where the client roles were configured (`--client-role`, `[audit] client_roles`,
    /// `[tenancy] roles`); empty: `configured`.
    pub client_roles_source: String,
    /// Schemas to scan; empty: detected.
    pub schemas: Vec<String>,
    /// Where the schemas were configured (`--schema`, `[audit] schemas`,
    /// `[project] schemas`); empty: `configured`.
    pub schemas_source: String,
    /// The tenant column (`[tenancy] column`), if known.
    pub tenant_column: Option<String>,
    /// Functions that read the session context (`app.current_tenant_id`), qualified.
    pub context_helpers: Vec<String>,
    /// Suppressed findings by key, with the reason.
    pub ignore: Vec<Suppression>,
    /// Tables the declaration marks public (`public = "reason"`), with the reason.
    pub public_tables: Vec<(crate::catalog::QualifiedName, String)>,
}

/// A finding the project accepted: `[audit] ignore = [{ key, reason }]`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suppression {
    /// The finding's stable key (`RLS001:app.projects`).
    pub key: String,
    /// Why it is accepted.
    pub reason: String,
}

/// The audit's result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditReport {
    /// What was audited.
    pub scope: Scope,
    /// How many checks ran.
    pub checks: usize,
    /// How many tables were read.
    pub tables: usize,
    /// Findings, most severe first, then by key.
    pub findings: Vec<Finding>,
    /// Findings suppressed by `[audit] ignore`, with the reason.
    pub suppressed: Vec<(Finding, String)>,
}

impl AuditReport {
    /// How many findings have each level (error, warn, info).
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = |l| self.findings.iter().filter(|f| f.level == l).count();
        (n(Level::Error), n(Level::Warn), n(Level::Info))
    }
}

/// Why the audit could not run.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// No client role, no schema or no table could be resolved: an empty
    /// scope is never "clean".
    #[error("RC000 scope_unresolved: {0}")]
    ScopeUnresolved(String),
    /// Reading the catalog failed.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    /// A query of the audit's own (scope, facts) failed.
    #[error("audit query `{query}` failed")]
    Query {
        /// Which query.
        query: &'static str,
        /// The database error.
        #[source]
        source: tokio_postgres::Error,
    },
}

/// Audits the database `client` is connected to. The client must be idle.
pub async fn run(client: &Client, config: &AuditConfig) -> Result<AuditReport, AuditError> {
    run_with(client, None, config).await
}

/// [`run`], with one more connection (when `more` allows two or more jobs) that
/// reads half of the catalog in the same snapshot (`catalog::inspect_on`). It
/// is opened while the scope is resolved; when it cannot be, `client` reads alone.
pub async fn run_with(
    client: &Client,
    more: Option<&crate::conn::Connections<'_>>,
    config: &AuditConfig,
) -> Result<AuditReport, AuditError> {
    let helper = async {
        match more.filter(|m| m.jobs > 1) {
            Some(more) => (more.open)().await.ok(),
            None => None,
        }
    };
    let (scope, helper) = tokio::join!(scope::resolve(client, config), helper);
    let scope = scope?;
    let catalog = catalog::inspect_on(client, helper.as_ref(), &scope.schemas).await?;
    drop(helper);
    if catalog.tables.is_empty() {
        return Err(scope::no_tables(&scope));
    }
    let facts = facts::read(client, &scope.client_roles).await?;
    Ok(audit(&catalog, &facts, scope, config))
}

/// Runs every check over what was read.
pub fn audit(
    catalog: &Catalog,
    facts: &facts::Facts,
    scope: Scope,
    config: &AuditConfig,
) -> AuditReport {
    let mut context = checks::Context::new(catalog, facts, &scope, config);
    let mut findings: Vec<Finding> = checks::REGISTRY
        .iter()
        .flat_map(|check| (check.run)(&context))
        .collect();
    reach::assign(&context, &mut findings);
    // Freeing the parse trees (a tenth of an audit at 1,000 functions) is
    // nobody's wait: a thread of its own does it while the report is made.
    let trees = std::mem::take(&mut context.trees);
    let _ = std::thread::Builder::new()
        .name("rlsctl-free".into())
        .spawn(move || drop(trees));
    let mut findings = reach::merge(findings);
    findings.sort_by(|a, b| (a.level, &a.key).cmp(&(b.level, &b.key)));
    findings.dedup_by(|a, b| a.key == b.key);
    let (suppressed, findings): (Vec<_>, Vec<_>) = findings
        .into_iter()
        .partition(|f| config.ignore.iter().any(|s| f.answers_to(&s.key)));
    let suppressed = suppressed
        .into_iter()
        .map(|f| {
            let reason = config
                .ignore
                .iter()
                .find(|s| f.answers_to(&s.key))
                .map(|s| s.reason.clone())
                .unwrap_or_default();
            (f, reason)
        })
        .collect();
    AuditReport {
        scope,
        checks: checks::REGISTRY.len(),
        tables: catalog.tables.len(),
        findings,
        suppressed,
    }
}
