//! The audit checks: one file per check, each with a stable id and name, a
//! default level, and a doc comment citing `RLS-SEMANTICS.md` ("Audit checks").
//! [`REGISTRY`] lists them in id order.

mod aud001;
mod aud002;
mod aud003;
mod aud004;
mod byp001;
mod byp002;
mod byp003;
mod byp004;
mod byp005;
mod byp006;
mod byp007;
mod byp008;
mod byp009;
mod byp010;
mod byp011;
mod pol001;
mod pol002;
mod pol003;
mod pol004;
mod pol005;
mod pol006;
mod pol007;
mod pol008;
mod pol009;
mod pol010;
mod pol011;
mod pol012;
mod pol013;
mod pol014;
mod pol015;
mod pol016;
mod pol017;
mod pol018;
mod pol019;
mod pol020;
mod pol021;
mod pol022;
mod pol023;
mod pol024;
mod prf001;
mod prf002;
mod prf003;
mod prf004;
mod prf005;
mod prv001;
mod prv002;
mod prv003;
mod prv004;
mod prv005;
mod prv006;
mod prv007;
mod prv008;
mod prv009;
mod prv010;
mod prv011;
mod rls001;
mod rls002;
mod rls003;
mod rls004;
mod rls005;
mod rls006;
mod rls007;
mod sb001;
mod sb002;
mod sb003;
mod sb004;
mod sb005;
mod sb006;
mod sb007;
mod sid001;
mod sid002;
mod sid003;
mod trail;
mod ver001;

use std::collections::BTreeMap;
use std::fmt::Display;

use super::access::Access;
use super::body::Trees;
use super::expr::Expr;
use super::facts::Facts;
use super::finding::{Finding, Level};
use super::policies::{self, EffectiveSet, ParsedPolicy, Parses};
use super::{AuditConfig, Scope};
use crate::catalog::{Catalog, PolicyCommand, Privilege, QualifiedName, Table};

/// One audit check.
pub struct Check {
    /// Stable id (`RLS001`).
    pub id: &'static str,
    /// Stable name (`rls_disabled_on_client_relation`).
    pub name: &'static str,
    /// The level of its findings unless the check says otherwise.
    pub level: Level,
    /// One line: what it detects.
    pub summary: &'static str,
    /// Runs the check.
    pub run: fn(&Context<'_>) -> Vec<Finding>,
}

impl Check {
    /// A finding of this check on `object` (`detail` distinguishes several on one object).
    pub fn finding(
        &self,
        level: Level,
        object: &dyn Display,
        detail: Option<&str>,
        reason: String,
        remediation: Option<String>,
    ) -> Finding {
        let object = object.to_string();
        let key = match detail {
            Some(d) => format!("{}:{object}:{d}", self.id),
            None => format!("{}:{object}", self.id),
        };
        let shown = match detail {
            Some(d) => format!("{object} ({d})"),
            None => object,
        };
        Finding {
            key,
            check: self.id.to_string(),
            name: self.name.to_string(),
            level,
            object: shown,
            reason,
            remediation,
            reach: super::finding::Reach::default(),
            consequences: Vec::new(),
            merged: Vec::new(),
            root: None,
            reach_fixed: false,
        }
    }
}

/// Every check, by id.
pub const REGISTRY: &[Check] = &[
    aud001::CHECK,
    aud002::CHECK,
    aud003::CHECK,
    aud004::CHECK,
    byp001::CHECK,
    byp002::CHECK,
    byp003::CHECK,
    byp004::CHECK,
    byp005::CHECK,
    byp006::CHECK,
    byp007::CHECK,
    byp008::CHECK,
    byp009::CHECK,
    byp010::CHECK,
    byp011::CHECK,
    pol001::CHECK,
    pol002::CHECK,
    pol003::CHECK,
    pol004::CHECK,
    pol005::CHECK,
    pol006::CHECK,
    pol007::CHECK,
    pol008::CHECK,
    pol009::CHECK,
    pol010::CHECK,
    pol011::CHECK,
    pol012::CHECK,
    pol013::CHECK,
    pol014::CHECK,
    pol015::CHECK,
    pol016::CHECK,
    pol017::CHECK,
    pol018::CHECK,
    pol019::CHECK,
    pol020::CHECK,
    pol021::CHECK,
    pol022::CHECK,
    pol023::CHECK,
    pol024::CHECK,
    prf001::CHECK,
    prf002::CHECK,
    prf003::CHECK,
    prf004::CHECK,
    prf005::CHECK,
    prv001::CHECK,
    prv002::CHECK,
    prv003::CHECK,
    prv004::CHECK,
    prv005::CHECK,
    prv006::CHECK,
    prv007::CHECK,
    prv008::CHECK,
    prv009::CHECK,
    prv010::CHECK,
    prv011::CHECK,
    rls001::CHECK,
    rls002::CHECK,
    rls003::CHECK,
    rls004::CHECK,
    rls005::CHECK,
    rls006::CHECK,
    rls007::CHECK,
    sb001::CHECK,
    sb002::CHECK,
    sb003::CHECK,
    sb004::CHECK,
    sb005::CHECK,
    sb006::CHECK,
    sb007::CHECK,
    sid001::CHECK,
    sid002::CHECK,
    sid003::CHECK,
    ver001::CHECK,
];

/// What every check reads.
pub struct Context<'c> {
    /// The catalog of the scanned schemas.
    pub catalog: &'c Catalog,
    /// Client roles and schemas.
    pub scope: &'c Scope,
    /// What the Supabase pack reads outside the scanned schemas.
    pub facts: &'c Facts,
    /// Who can do what.
    pub access: Access<'c>,
    /// Context-reading helper functions (qualified names).
    pub helpers: Vec<String>,
    /// What the audit was told.
    pub config: &'c AuditConfig,
    /// Function bodies' parse trees, each text parsed once for every check.
    pub trees: Trees,
    tenant_column: Option<String>,
    policies: BTreeMap<QualifiedName, Vec<ParsedPolicy<'c>>>,
}

/// The commands a client privilege maps to.
pub const COMMANDS: [(PolicyCommand, Privilege); 4] = [
    (PolicyCommand::Select, Privilege::Select),
    (PolicyCommand::Insert, Privilege::Insert),
    (PolicyCommand::Update, Privilege::Update),
    (PolicyCommand::Delete, Privilege::Delete),
];

impl<'c> Context<'c> {
    /// Parses every policy once and computes role closures.
    pub fn new(
        catalog: &'c Catalog,
        facts: &'c Facts,
        scope: &'c Scope,
        config: &'c AuditConfig,
    ) -> Self {
        let mut parses = Parses::default();
        let policies = catalog
            .tables
            .iter()
            .map(|t| {
                let parsed = t
                    .policies
                    .iter()
                    .map(|p| ParsedPolicy::new_cached(p, &mut parses))
                    .collect();
                (t.name.clone(), parsed)
            })
            .collect();
        let trees = Trees::default();
        trees.prefill(&catalog.functions);
        let mut helpers = config.context_helpers.clone();
        helpers.extend(detected_helpers(catalog, &trees));
        helpers.sort();
        helpers.dedup();
        Self {
            catalog,
            facts,
            scope,
            access: Access::new(catalog),
            helpers,
            config,
            trees,
            tenant_column: config.tenant_column.clone(),
            policies,
        }
    }

    /// The client roles.
    pub fn clients(&self) -> &[String] {
        &self.scope.client_roles
    }

    /// A table's policies, parsed.
    pub fn policies(&self, table: &Table) -> &[ParsedPolicy<'c>] {
        self.policies.get(&table.name).map_or(&[], Vec::as_slice)
    }

    /// A finding of `check` on every policy whose USING or WITH CHECK satisfies
    /// `test`, with the same reason and remediation for each.
    pub fn policies_where(
        &self,
        check: &Check,
        test: impl Fn(&Expr) -> bool,
        reason: &str,
        remediation: &str,
    ) -> Vec<Finding> {
        let mut out = Vec::new();
        for t in &self.catalog.tables {
            for p in self.policies(t) {
                if [&p.using, &p.with_check].into_iter().flatten().any(&test) {
                    out.push(check.finding(
                        check.level,
                        &PolicyRef(t, &p.policy.name),
                        None,
                        reason.to_string(),
                        Some(remediation.to_string()),
                    ));
                }
            }
        }
        out
    }

    /// Client roles holding any of `privileges` on the table.
    pub fn clients_with(&self, table: &Table, privileges: &[Privilege]) -> Vec<String> {
        self.clients()
            .iter()
            .filter(|r| {
                privileges
                    .iter()
                    .any(|p| self.access.on_table(r, table, *p))
            })
            .cloned()
            .collect()
    }

    /// Client roles that can read or write rows of the table.
    pub fn row_clients(&self, table: &Table) -> Vec<String> {
        self.clients_with(table, &COMMANDS.map(|(_, p)| p))
    }

    /// The effective set of `command` for `role` on the table.
    pub fn effective(
        &self,
        table: &Table,
        role: &str,
        command: PolicyCommand,
    ) -> EffectiveSet<'_, 'c> {
        policies::effective(self.policies(table), role, command, &self.access)
    }

    /// The policies a command runs under for `role`, rendered: `(p1 OR p2) AND r1`,
    /// and for UPDATE/DELETE (which read rows in WHERE and RETURNING) the SELECT
    /// set they also apply: `(u1) AND r1, reading rows also (s1)`.
    pub fn render_command(&self, table: &Table, role: &str, command: PolicyCommand) -> String {
        let own = self.effective(table, role, command).render();
        match command {
            PolicyCommand::Update | PolicyCommand::Delete => format!(
                "{own}, reading rows also {}",
                self.effective(table, role, PolicyCommand::Select).render()
            ),
            _ => own,
        }
    }

    /// Client roles a policy applies to.
    pub fn clients_of(&self, policy: &ParsedPolicy<'_>) -> Vec<String> {
        self.clients()
            .iter()
            .filter(|r| policy.applies_to(r, &self.access))
            .cloned()
            .collect()
    }

    /// The table's tenant key column, configured or inferred from its policies.
    pub fn tenant_key(&self, table: &Table) -> Option<String> {
        policies::tenant_key(
            table,
            self.policies(table),
            self.tenant_column.as_deref(),
            &self.helpers,
        )
    }

    /// The policies on other tables whose sub-selects read `table`, and the
    /// client roles whose queries evaluate them (a policy reads as the querying
    /// role, so those roles must keep SELECT on it and see its rows): a fix for
    /// `table` must not take that away.
    pub fn policy_readers(&self, table: &Table) -> PolicyUse {
        self.policy_use(|t, p| {
            t.name != table.name
                && [&p.using, &p.with_check]
                    .into_iter()
                    .flatten()
                    .flat_map(|e| e.sub_selects())
                    .flat_map(super::expr::relations)
                    .any(|r| super::expr::names_table(&r, &table.name))
        })
    }

    /// The policies (on tables under RLS) for which `uses` holds, and the client
    /// roles whose queries evaluate them.
    pub fn policy_use(&self, uses: impl Fn(&Table, &ParsedPolicy<'_>) -> bool) -> PolicyUse {
        let mut used = PolicyUse::default();
        for t in self.rls_tables() {
            // Evaluated only for tables with a policy that uses the object: a
            // check asking this of every function must not pay it per table.
            let mut evaluating_roles = None;
            for p in self.policies(t) {
                if !uses(t, p) {
                    continue;
                }
                let evaluating_roles = evaluating_roles.get_or_insert_with(|| self.row_clients(t));
                let roles: Vec<String> = self
                    .clients_of(p)
                    .into_iter()
                    .filter(|r| evaluating_roles.contains(r))
                    .collect();
                if !roles.is_empty() {
                    used.policies.push(PolicyRef(t, &p.policy.name).to_string());
                    used.roles.extend(roles);
                }
            }
        }
        used.policies.sort();
        used.roles.sort();
        used.roles.dedup();
        used
    }

    /// The configured tenant column (`[tenancy] column`).
    pub fn tenant_column(&self) -> Option<&str> {
        self.tenant_column.as_deref()
    }

    /// Tables of the scanned schemas with RLS enabled.
    pub fn rls_tables(&self) -> impl Iterator<Item = &'c Table> {
        self.catalog.tables.iter().filter(|t| t.rls_enabled)
    }
}

/// Policies that use an object, and the client roles whose queries evaluate them.
#[derive(Debug, Default)]
pub struct PolicyUse {
    /// `app.docs.member`, sorted.
    pub policies: Vec<String>,
    /// Client roles, sorted.
    pub roles: Vec<String>,
}

impl PolicyUse {
    /// `; policies p1, p2 read it as r1` for a reason, or nothing.
    pub fn note(&self, verb: &str) -> String {
        if self.roles.is_empty() {
            String::new()
        } else {
            format!(
                "; policies {} {verb} it as {}",
                self.policies.join(", "),
                list(&self.roles)
            )
        }
    }
}

/// Zero-argument functions whose body reads the session context
/// (`current_setting`, `auth.uid()`, `auth.jwt()`, read from the body's trees,
/// so `auth.uid ()` counts too): `app.current_tenant_id()`.
fn detected_helpers(catalog: &Catalog, trees: &Trees) -> Vec<String> {
    catalog
        .functions
        .iter()
        .filter(|f| f.identity_arguments.is_empty())
        .filter(|f| {
            super::body::called_functions(f, trees)
                .into_iter()
                .any(|name| Expr::Call(name, Vec::new()).is_context_call(&[]))
        })
        .map(|f| format!("{}.{}", f.name.schema, f.name.name))
        .collect()
}

/// `a, b, c`.
pub fn list(items: &[String]) -> String {
    items.join(", ")
}

/// Quoted role names for SQL: `anon, authenticated`.
pub fn roles_sql(roles: &[String]) -> String {
    roles
        .iter()
        .map(|r| crate::sql::quote_ident(r))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `policy p on app.t`, for an object.
pub struct PolicyRef<'a>(pub &'a Table, pub &'a str);

impl Display for PolicyRef<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0.name, crate::sql::quote_ident(self.1))
    }
}
