//! What the statements read so far did, across files in migration order: tables
//! created (and in which file), their columns and policies, CHECK (col IS NOT
//! NULL) constraints and whether they are validated, functions and their
//! volatility. A table the migrations never create is an existing one whose
//! contents are unknown.

use std::collections::{BTreeMap, BTreeSet};

use pg_query::NodeEnum;
use pg_query::protobuf::{
    AlterTableCmd, AlterTableType, ConstrType, Constraint, NullTestType, ObjectType,
};

use super::names;
use crate::sql::QualifiedName;

/// What the migrations say of one table.
#[derive(Debug, Clone, Default)]
pub struct TableFacts {
    /// The file (index in migration order) that created it.
    pub created_in: usize,
    /// Its columns, when the migrations know all of them (`None`: created
    /// `PARTITION OF`, `LIKE`, `AS SELECT`, ...).
    pub columns: Option<BTreeSet<String>>,
    /// Whether it is partitioned (`PARTITION BY`).
    pub partitioned: bool,
    /// Its policies: name → the file (index) that created it.
    pub policies: BTreeMap<String, usize>,
    /// `CHECK (col IS NOT NULL)` constraints: name → (column, validated).
    pub not_null_checks: BTreeMap<String, (String, bool)>,
}

/// Everything learned from the statements before the current one.
#[derive(Debug, Default)]
pub struct History {
    tables: BTreeMap<QualifiedName, TableFacts>,
    /// Functions created by the migrations: (schema, name) → volatile.
    functions: BTreeMap<(String, String), bool>,
    file: usize,
}

impl History {
    /// Starts the file with this index (migration order).
    pub fn start_file(&mut self, index: usize) {
        self.file = index;
    }

    /// What the migrations created of this table, if they created it.
    pub fn table(&self, name: &QualifiedName) -> Option<&TableFacts> {
        self.tables.get(name)
    }

    /// Whether the table was created earlier in the current file (so that it is
    /// new, empty and unseen by any other session).
    pub fn created_in_this_file(&self, name: &QualifiedName) -> bool {
        self.tables
            .get(name)
            .is_some_and(|t| t.created_in == self.file)
    }

    /// Whether the table had policies before the current file.
    pub fn had_policies(&self, name: &QualifiedName) -> bool {
        self.tables
            .get(name)
            .is_some_and(|t| t.policies.values().any(|f| *f < self.file))
    }

    /// The tables the migrations created so far.
    pub fn tables(&self) -> impl Iterator<Item = (&QualifiedName, &TableFacts)> {
        self.tables.iter()
    }

    /// Whether a validated `CHECK (column IS NOT NULL)` proves the column has no
    /// NULL (PostgreSQL 12+ then skips the scan of `SET NOT NULL`).
    pub fn proves_not_null(&self, table: &QualifiedName, column: &str) -> bool {
        self.tables.get(table).is_some_and(|t| {
            t.not_null_checks
                .values()
                .any(|(c, valid)| c == column && *valid)
        })
    }

    /// Whether a function created by the migrations is volatile (`None`: not
    /// created by them).
    pub fn function_volatile(&self, schema: Option<&str>, name: &str) -> Option<bool> {
        self.functions
            .iter()
            .find(|((s, n), _)| n == name && schema.is_none_or(|want| want == s))
            .map(|(_, v)| *v)
    }

    /// Records what a statement did.
    pub fn apply(&mut self, node: &NodeEnum, search_path: &str) {
        match node {
            NodeEnum::CreateStmt(c) => {
                let Some(rel) = &c.relation else { return };
                if rel.relpersistence == "t" {
                    return;
                }
                let name = names::table(rel, search_path);
                // `IF NOT EXISTS` on a table an earlier file created does nothing.
                if c.if_not_exists && self.tables.contains_key(&name) {
                    return;
                }
                let inherited = c.partbound.is_some()
                    || !c.inh_relations.is_empty()
                    || c.of_typename.is_some()
                    || c.table_elts
                        .iter()
                        .any(|e| matches!(e.node, Some(NodeEnum::TableLikeClause(_))));
                let columns = (!inherited).then(|| {
                    c.table_elts
                        .iter()
                        .filter_map(|e| match &e.node {
                            Some(NodeEnum::ColumnDef(d)) => Some(d.colname.clone()),
                            _ => None,
                        })
                        .collect()
                });
                let mut facts = TableFacts {
                    created_in: self.file,
                    columns,
                    partitioned: c.partspec.is_some(),
                    ..TableFacts::default()
                };
                for e in &c.table_elts {
                    if let Some(NodeEnum::Constraint(k)) = &e.node {
                        record_not_null_check(&mut facts, k);
                    }
                }
                self.tables.insert(name, facts);
            }
            NodeEnum::CreateTableAsStmt(c) => {
                let Some(rel) = c.into.as_ref().and_then(|i| i.rel.as_ref()) else {
                    return;
                };
                if c.objtype == ObjectType::ObjectTable as i32 && rel.relpersistence != "t" {
                    self.tables.insert(
                        names::table(rel, search_path),
                        TableFacts {
                            created_in: self.file,
                            ..TableFacts::default()
                        },
                    );
                }
            }
            NodeEnum::AlterTableStmt(a) => {
                let Some(rel) = &a.relation else { return };
                let name = names::table(rel, search_path);
                for cmd in &a.cmds {
                    if let Some(NodeEnum::AlterTableCmd(cmd)) = &cmd.node {
                        self.alter(&name, cmd);
                    }
                }
            }
            NodeEnum::CreatePolicyStmt(p) => {
                let Some(rel) = &p.table else { return };
                if let Some(t) = self.tables.get_mut(&names::table(rel, search_path)) {
                    t.policies.insert(p.policy_name.clone(), self.file);
                }
            }
            NodeEnum::DropStmt(d) => {
                for object in &d.objects {
                    let Some(NodeEnum::List(list)) = &object.node else {
                        continue;
                    };
                    let parts = names::strings(&list.items);
                    if d.remove_type == ObjectType::ObjectTable as i32 {
                        if let Some(t) = names::from_parts(&parts, search_path) {
                            self.tables.remove(&t);
                        }
                    } else if d.remove_type == ObjectType::ObjectPolicy as i32
                        && let Some((policy, table)) = parts.split_last()
                        && let Some(t) = names::from_parts(table, search_path)
                        && let Some(facts) = self.tables.get_mut(&t)
                    {
                        facts.policies.remove(policy);
                    }
                }
            }
            NodeEnum::RenameStmt(r) if r.rename_type == ObjectType::ObjectTable as i32 => {
                let Some(rel) = &r.relation else { return };
                let old = names::table(rel, search_path);
                if let Some(facts) = self.tables.remove(&old) {
                    self.tables
                        .insert(QualifiedName::new(old.schema, r.newname.clone()), facts);
                }
            }
            NodeEnum::RenameStmt(r) if r.rename_type == ObjectType::ObjectColumn as i32 => {
                let Some(rel) = &r.relation else { return };
                if let Some(columns) = self
                    .tables
                    .get_mut(&names::table(rel, search_path))
                    .and_then(|t| t.columns.as_mut())
                    && columns.remove(&r.subname)
                {
                    columns.insert(r.newname.clone());
                }
            }
            NodeEnum::CreateFunctionStmt(f) => {
                let parts = names::strings(&f.funcname);
                let Some((name, schema)) = parts.split_last() else {
                    return;
                };
                let schema = schema.last().map_or(search_path, String::as_str);
                let volatile = !f.options.iter().any(|o| {
                    matches!(&o.node, Some(NodeEnum::DefElem(d)) if d.defname == "volatility"
                        && matches!(&d.arg, Some(a) if matches!(&a.node,
                            Some(NodeEnum::String(s)) if s.sval != "volatile")))
                });
                self.functions
                    .insert((schema.to_string(), name.clone()), volatile);
            }
            _ => {}
        }
    }

    fn alter(&mut self, table: &QualifiedName, cmd: &AlterTableCmd) {
        let Some(facts) = self.tables.get_mut(table) else {
            return;
        };
        let subtype = AlterTableType::try_from(cmd.subtype).unwrap_or(AlterTableType::Undefined);
        match subtype {
            AlterTableType::AtAddColumn => {
                if let (Some(columns), Some(NodeEnum::ColumnDef(d))) = (
                    facts.columns.as_mut(),
                    cmd.def.as_ref().and_then(|d| d.node.as_ref()),
                ) {
                    columns.insert(d.colname.clone());
                }
            }
            AlterTableType::AtDropColumn => {
                if let Some(columns) = facts.columns.as_mut() {
                    columns.remove(&cmd.name);
                }
            }
            AlterTableType::AtAddConstraint => {
                if let Some(NodeEnum::Constraint(k)) =
                    cmd.def.as_ref().and_then(|d| d.node.as_ref())
                {
                    record_not_null_check(facts, k);
                }
            }
            AlterTableType::AtValidateConstraint => {
                if let Some(check) = facts.not_null_checks.get_mut(&cmd.name) {
                    check.1 = true;
                }
            }
            AlterTableType::AtDropConstraint => {
                facts.not_null_checks.remove(&cmd.name);
            }
            _ => {}
        }
    }
}

/// Records `CHECK (col IS NOT NULL)` (named; PostgreSQL names unnamed ones in
/// ways we do not guess, and they cannot be validated later by name anyway).
fn record_not_null_check(facts: &mut TableFacts, k: &Constraint) {
    if k.contype != ConstrType::ConstrCheck as i32 {
        return;
    }
    let Some(NodeEnum::NullTest(test)) = k.raw_expr.as_ref().and_then(|e| e.node.as_ref()) else {
        return;
    };
    if test.nulltesttype != NullTestType::IsNotNull as i32 {
        return;
    }
    let Some(NodeEnum::ColumnRef(col)) = test.arg.as_ref().and_then(|a| a.node.as_ref()) else {
        return;
    };
    let fields = names::strings(&col.fields);
    let [column] = fields.as_slice() else {
        return;
    };
    let name = if k.conname.is_empty() {
        format!("{column} is not null")
    } else {
        k.conname.clone()
    };
    facts
        .not_null_checks
        .insert(name, (column.to_string(), !k.skip_validation));
}
