//! Tenancy inference: which tables are tenant tables, by which column, and the
//! `[tenancy]` section they share.
//!
//! A table is declared `tenant = ...` only when the declaration then generates
//! exactly what the database holds: row-level security enabled, and a policy
//! `tenant_isolation` for every command, permissive, for the shared roles,
//! whose USING and WITH CHECK are the same comparison of one NOT NULL column
//! with the caller. That policy then collapses into `tenant = ...`; every
//! other table keeps its policies as they are and is written `public = "TODO"`.

use std::collections::BTreeMap;

use toml_edit::{InlineTable, Value};

use super::layout::string;
use super::text::{compared_column, predicate_template};
use crate::catalog::{Grantee, Policy, PolicyCommand, PolicyMode, Table};
use crate::spec::declaration::ISOLATION_POLICY;
use crate::sql::QualifiedName;

/// How a table is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableTenancy {
    /// A tenant table.
    Tenant(TenantForm),
    /// Not tenant-scoped: `public = "TODO: ..."`.
    Public,
}

/// The `tenant` key of a tenant table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TenantForm {
    /// `tenant = true`: `[tenancy]`'s column and predicate.
    Default,
    /// `tenant = "col"`: its own column, `[tenancy]`'s predicate.
    Column(String),
    /// `tenant = { column, predicate }`: its own predicate (membership style).
    Detailed {
        /// The tenant column.
        column: String,
        /// The predicate with `{column}`.
        predicate: String,
    },
}

impl TenantForm {
    /// The TOML value.
    pub fn value(&self) -> Value {
        match self {
            TenantForm::Default => true.into(),
            TenantForm::Column(c) => string(c),
            TenantForm::Detailed { column, predicate } => {
                let mut t = InlineTable::new();
                t.insert("column", string(column));
                t.insert("predicate", string(predicate));
                Value::InlineTable(t)
            }
        }
    }
}

/// `[tenancy]` as inferred.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenancy {
    /// The tenant column most tenant tables use.
    pub column: String,
    /// Its type.
    pub ty: Option<String>,
    /// The isolation predicate, with `{column}`.
    pub predicate: String,
    /// The roles the isolation policies apply to.
    pub roles: Vec<String>,
}

/// What inference found.
#[derive(Debug, Default)]
pub struct Inference {
    /// `[tenancy]`, when some table is a tenant table.
    pub tenancy: Option<Tenancy>,
    /// Per table; a table absent is `Public`.
    pub tables: BTreeMap<QualifiedName, TableTenancy>,
    /// Tables that have the tenant column but are not declared tenant tables, with why.
    pub not_collapsed: Vec<(QualifiedName, String)>,
}

impl Inference {
    /// How `table` is declared.
    pub fn of(&self, table: &QualifiedName) -> TableTenancy {
        self.tables
            .get(table)
            .cloned()
            .unwrap_or(TableTenancy::Public)
    }

    /// Whether `policy` of `table` is the one `tenant = ...` generates.
    pub fn collapsed(&self, table: &QualifiedName, policy: &str) -> bool {
        policy == ISOLATION_POLICY
            && matches!(self.tables.get(table), Some(TableTenancy::Tenant(_)))
    }
}

/// A table's isolation candidate: its column, the predicate template and the roles.
struct Candidate {
    table: QualifiedName,
    column: String,
    template: String,
    roles: Vec<String>,
}

fn candidate(t: &Table, wanted: Option<&str>) -> Result<Candidate, String> {
    let p = t
        .policy(ISOLATION_POLICY)
        .ok_or_else(|| format!("no policy named {ISOLATION_POLICY}"))?;
    shape(p)?;
    if !t.rls_enabled {
        return Err("row-level security is disabled".into());
    }
    let using = p.using.as_deref().unwrap_or_default();
    let column =
        compared_column(using).ok_or("its isolation policy does not compare a column first")?;
    if let Some(wanted) = wanted
        && t.column(wanted).is_some()
        && column != wanted
    {
        return Err(format!(
            "its isolation policy compares {column}, not the tenant column {wanted}"
        ));
    }
    let c = t
        .column(&column)
        .ok_or_else(|| format!("no column {column}"))?;
    if !c.not_null {
        return Err(format!("tenant column {column} is nullable"));
    }
    let template = predicate_template(using, &column).ok_or("no bare column reference")?;
    let roles = p
        .roles
        .iter()
        .map(|r| match r {
            Grantee::Public => None,
            Grantee::Role(name) => Some(name.clone()),
        })
        .collect::<Option<Vec<_>>>()
        .ok_or("its isolation policy applies to PUBLIC")?;
    Ok(Candidate {
        table: t.name.clone(),
        column,
        template,
        roles,
    })
}

fn shape(p: &Policy) -> Result<(), String> {
    if p.command != PolicyCommand::All || p.mode != PolicyMode::Permissive {
        return Err(format!(
            "policy {ISOLATION_POLICY} is not a permissive policy for all commands"
        ));
    }
    if p.using.is_none() || p.using != p.with_check {
        return Err(format!(
            "policy {ISOLATION_POLICY} has different USING and WITH CHECK"
        ));
    }
    if p.comment.is_some() {
        return Err(format!("policy {ISOLATION_POLICY} has a comment"));
    }
    Ok(())
}

/// Infers the tenancy of `tables` (the owned schemas' tables, partitions left out).
pub fn infer(tables: &[&Table], tenant_column: Option<&str>) -> Inference {
    let mut out = Inference::default();
    let mut candidates = Vec::new();
    for t in tables {
        match candidate(t, tenant_column) {
            Ok(c) => candidates.push(c),
            Err(why) => {
                let has_column = tenant_column.is_some_and(|c| t.column(c).is_some())
                    || t.policy(ISOLATION_POLICY).is_some();
                if has_column {
                    out.not_collapsed.push((t.name.clone(), why));
                }
            }
        }
    }
    if candidates.is_empty() {
        return out;
    }
    // The shared section: the most common column, then the most common
    // (predicate, roles) among the tables using it.
    let column = tenant_column.map(str::to_string).unwrap_or_else(|| {
        most_common(candidates.iter().map(|c| c.column.clone())).unwrap_or_default()
    });
    let pool: Vec<&Candidate> = candidates.iter().filter(|c| c.column == column).collect();
    let pool = if pool.is_empty() {
        candidates.iter().collect()
    } else {
        pool
    };
    let Some((template, roles)) =
        most_common(pool.iter().map(|c| (c.template.clone(), c.roles.clone())))
    else {
        return out;
    };
    let ty = tables
        .iter()
        .find_map(|t| t.column(&column))
        .map(|c| c.data_type.clone());
    for c in &candidates {
        if c.roles != roles {
            out.not_collapsed.push((
                c.table.clone(),
                format!(
                    "its isolation policy applies to {:?}, the others' to {:?}",
                    c.roles, roles
                ),
            ));
            continue;
        }
        let form = match (c.column == column, c.template == template) {
            (true, true) => TenantForm::Default,
            (false, true) => TenantForm::Column(c.column.clone()),
            (_, false) => TenantForm::Detailed {
                column: c.column.clone(),
                predicate: c.template.clone(),
            },
        };
        out.tables
            .insert(c.table.clone(), TableTenancy::Tenant(form));
    }
    out.tenancy = Some(Tenancy {
        column,
        ty,
        predicate: template,
        roles,
    });
    out
}

fn most_common<T: Ord + Clone>(items: impl Iterator<Item = T>) -> Option<T> {
    let mut counts: BTreeMap<T, usize> = BTreeMap::new();
    let mut order = Vec::new();
    for item in items {
        let n = counts.entry(item.clone()).or_insert(0);
        if *n == 0 {
            order.push(item);
        }
        *n += 1;
    }
    // The first seen among the most frequent: deterministic for a sorted catalog.
    let best = counts.values().copied().max()?;
    order.into_iter().find(|i| counts[i] == best)
}
