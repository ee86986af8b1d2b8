//! Tables, columns, constraints and indexes; RLS flags, policies, grants and
//! comments of tables are in `rls` and `grants`.

use std::collections::BTreeMap;

use super::grants::{self, Kind};
use super::render::{self, comment};
use super::{Action, Change, Hazard, Options, Phase, owned, rename, rls};
use crate::catalog::{Catalog, Column, Constraint, ConstraintKind, Identity, Index, QualifiedName, Table};
use crate::sql::quote_ident;

pub(super) fn diff(current: &Catalog, desired: &Catalog, options: &Options, changes: &mut Vec<Change>) {
    // Declared table renames that will run: old name → new name.
    let renamed_tables: BTreeMap<QualifiedName, QualifiedName> = options
        .table_renames
        .iter()
        .map(|(new, old)| (QualifiedName::new(&new.schema, old), new.clone()))
        .filter(|(old, new)| current.table(new).is_none() && current.table(old).is_some())
        .collect();
    let mut matched_old: Vec<QualifiedName> = Vec::new();
    for want in desired.tables.iter().filter(|t| owned(&t.name, options) && t.partition_of.is_none()) {
        let have = current.table(&want.name).or_else(|| {
            let old = options.table_renames.get(&want.name)?;
            let old_name = QualifiedName::new(&want.name.schema, old);
            let found = current.table(&old_name)?;
            changes.push(
                Change::new(Action::Rename, format!("table {old_name}"))
                    .detail(format!("renamed to {}", want.name))
                    .step(
                        Phase::Renames,
                        format!("ALTER TABLE {old_name} RENAME TO {}", quote_ident(&want.name.name)),
                    ),
            );
            Some(found)
        });
        match have {
            None => create(want, options, changes),
            Some(have) => {
                matched_old.push(have.name.clone());
                alter(have, want, options, &renamed_tables, changes);
            }
        }
    }
    for have in current.tables.iter().filter(|t| owned(&t.name, options) && t.partition_of.is_none()) {
        if desired.table(&have.name).is_some() || matched_old.contains(&have.name) {
            continue;
        }
        let mut change = Change::new(Action::Drop, format!("table {}", have.name))
            .hazard(Hazard::DataLoss(format!("table {} and all its rows are deleted", have.name)));
        // Its own foreign keys go first, so that tables dropped together drop in any order.
        for fk in have.constraints.iter().filter(|c| is_foreign_key(c) && !c.inherited) {
            change = change.step(Phase::DropForeignKeys, drop_constraint(&have.name, &fk.name));
        }
        changes.push(change.step(Phase::DropTables, format!("DROP TABLE {}", have.name)));
    }
}

fn create(want: &Table, options: &Options, changes: &mut Vec<Change>) {
    let name = &want.name;
    let mut lines: Vec<String> = want.columns.iter().filter(|c| !c.inherited).map(|c| format!("    {}", render::column(c))).collect();
    for c in want.constraints.iter().filter(|c| !c.inherited && !is_foreign_key(c)) {
        lines.push(format!("    CONSTRAINT {} {}", quote_ident(&c.name), c.definition));
    }
    let mut change = Change::new(Action::Create, format!("table {name}"))
        .step(Phase::CreateTables, format!("CREATE TABLE {name} (\n{}\n)", lines.join(",\n")));
    for fk in want.constraints.iter().filter(|c| !c.inherited && is_foreign_key(c)) {
        change = change.step(Phase::AddForeignKeys, add_constraint(name, fk, false));
    }
    for ix in want.indexes.iter().filter(|i| i.constraint.is_none() && i.parent.is_none()) {
        change = change.step(Phase::Indexes, ix.definition.clone());
    }
    if want.comment.is_some() {
        change = change.step(Phase::Comments, comment(&format!("TABLE {name}"), want.comment.as_deref()));
    }
    for c in want.columns.iter().filter(|c| c.comment.is_some()) {
        change = change.step(
            Phase::Comments,
            comment(&format!("COLUMN {name}.{}", quote_ident(&c.name)), c.comment.as_deref()),
        );
    }
    changes.push(change);
    rls::diff(None, want, options, false, changes);
    grants::diff(
        &format!("table {name}"),
        &format!("TABLE {name}"),
        &grants::Held::new(),
        &grants::effective(&want.acl, Kind::Table),
        false,
        changes,
    );
}

fn alter(have: &Table, want: &Table, options: &Options, tables: &BTreeMap<QualifiedName, QualifiedName>, changes: &mut Vec<Change>) {
    let name = &want.name;
    let renamed_columns = column_renames(have, want, options, changes);
    // Everything else is compared with the table as it is after the renames.
    let have = &rename::after(have, name, &renamed_columns, tables);
    let retyped = columns(have, want, changes);
    constraints(have, want, changes);
    indexes(have, want, options, changes);
    rls::diff(Some(have), want, options, !retyped.is_empty(), changes);
    grants::diff(
        &format!("table {name}"),
        &format!("TABLE {name}"),
        &grants::effective(&have.acl, Kind::Table),
        &grants::effective(&want.acl, Kind::Table),
        options.tenant_tables.contains(name),
        changes,
    );
    if have.comment != want.comment {
        changes.push(
            Change::new(Action::Alter, format!("comment on table {name}"))
                .step(Phase::Comments, comment(&format!("TABLE {name}"), want.comment.as_deref())),
        );
    }
}

/// Declared column renames that will run, as (old, new), each with its change.
fn column_renames(have: &Table, want: &Table, options: &Options, changes: &mut Vec<Change>) -> Vec<(String, String)> {
    let table = &want.name;
    let mut out = Vec::new();
    for col in want.columns.iter().filter(|c| !c.inherited && have.column(&c.name).is_none()) {
        let Some(old) = options.column_renames.get(&(table.clone(), col.name.clone())) else {
            continue;
        };
        if have.column(old).is_none() || want.column(old).is_some() {
            continue;
        }
        changes.push(
            Change::new(Action::Rename, format!("column {table}.{}", quote_ident(old)))
                .detail(format!("renamed to {}", col.name))
                .step(
                    Phase::Renames,
                    format!("ALTER TABLE {table} RENAME COLUMN {} TO {}", quote_ident(old), quote_ident(&col.name)),
                ),
        );
        out.push((old.clone(), col.name.clone()));
    }
    out
}

/// Column changes; returns the columns whose type changes.
fn columns(have: &Table, want: &Table, changes: &mut Vec<Change>) -> Vec<String> {
    let table = &want.name;
    let mut retyped = Vec::new();
    let mut matched: Vec<&str> = Vec::new();
    for col in want.columns.iter().filter(|c| !c.inherited) {
        let object = format!("column {table}.{}", quote_ident(&col.name));
        let existing = have.column(&col.name);
        let Some(existing) = existing else {
            let mut change = Change::new(Action::Create, object)
                .step(Phase::Columns, format!("ALTER TABLE {table} ADD COLUMN {}", render::column(col)));
            if col.not_null && col.default.is_none() && col.identity.is_none() && col.generated.is_none() {
                change = change.hazard(Hazard::MayFail(
                    "NOT NULL without a default: fails if the table has rows; add a default, or add the column nullable, backfill, then SET NOT NULL".to_string(),
                ));
            }
            if col.identity.is_some() || col.generated.is_some() {
                change = change.hazard(Hazard::TableRewrite("an identity or generated column fills every row".to_string()));
            }
            if let Some(c) = &col.comment {
                change = change.step(Phase::Comments, comment(&format!("COLUMN {table}.{}", quote_ident(&col.name)), Some(c)));
            }
            changes.push(change);
            continue;
        };
        matched.push(&existing.name);
        column(table, existing, col, changes, &mut retyped);
    }
    for old in have.columns.iter().filter(|c| !c.inherited && !matched.contains(&c.name.as_str())) {
        changes.push(
            Change::new(Action::Drop, format!("column {table}.{}", quote_ident(&old.name)))
                .hazard(Hazard::DataLoss(format!("column {} and its values are deleted", old.name)))
                .step(Phase::DropColumns, format!("ALTER TABLE {table} DROP COLUMN {}", quote_ident(&old.name))),
        );
    }
    retyped
}

fn column(table: &QualifiedName, have: &Column, want: &Column, changes: &mut Vec<Change>, retyped: &mut Vec<String>) {
    let col = quote_ident(&want.name);
    let object = format!("column {table}.{col}");
    let alter = |what: String| format!("ALTER TABLE {table} ALTER COLUMN {col} {what}");
    if have.data_type != want.data_type {
        retyped.push(want.name.clone());
        let mut change = Change::new(Action::Alter, object.clone())
            .detail(format!("type {} → {}", have.data_type, want.data_type))
            .step(Phase::Columns, alter(format!("TYPE {} USING {col}::{}", want.data_type, want.data_type)));
        if !is_binary_coercible(&have.data_type, &want.data_type) {
            change = change.hazard(Hazard::TableRewrite(format!(
                "{} → {} rewrites the table under an exclusive lock",
                have.data_type, want.data_type
            )));
        }
        if !is_widening(&have.data_type, &want.data_type) {
            change = change.hazard(Hazard::DataLoss(format!(
                "{} → {} may truncate or reject existing values",
                have.data_type, want.data_type
            )));
        }
        changes.push(change);
    }
    if have.not_null != want.not_null {
        let mut change = Change::new(Action::Alter, object.clone());
        if want.not_null {
            change = change
                .detail("NOT NULL")
                .step(Phase::Columns, alter("SET NOT NULL".into()))
                .hazard(Hazard::LongLock("SET NOT NULL scans the whole table under an exclusive lock".into()))
                .hazard(Hazard::MayFail("fails if the column holds NULLs".into()));
        } else {
            change = change.detail("nullable").step(Phase::Columns, alter("DROP NOT NULL".into()));
        }
        changes.push(change);
    }
    if have.default != want.default && want.identity.is_none() {
        let change = Change::new(Action::Alter, object.clone());
        changes.push(match &want.default {
            Some(d) => change.detail(format!("default {d}")).step(Phase::Columns, alter(format!("SET DEFAULT {d}"))),
            None => change.detail("no default").step(Phase::Columns, alter("DROP DEFAULT".into())),
        });
    }
    if have.identity != want.identity {
        let change = Change::new(Action::Alter, object.clone());
        let kind = |i: Identity| match i {
            Identity::Always => "ALWAYS",
            Identity::ByDefault => "BY DEFAULT",
        };
        changes.push(match (have.identity, want.identity) {
            (None, Some(i)) => {
                let mut c = change.detail("identity");
                if have.default.is_some() {
                    c = c.step(Phase::Columns, alter("DROP DEFAULT".into()));
                }
                c.step(Phase::Columns, alter(format!("ADD GENERATED {} AS IDENTITY", kind(i))))
            }
            (Some(_), None) => change.detail("no identity").step(Phase::Columns, alter("DROP IDENTITY".into())),
            (_, Some(i)) => change.detail("identity kind").step(Phase::Columns, alter(format!("SET GENERATED {}", kind(i)))),
            (None, None) => change,
        });
    }
    if have.generated != want.generated {
        changes.push(
            Change::new(Action::Alter, object.clone())
                .detail("generated expression")
                .hazard(Hazard::MayFail("PostgreSQL cannot change a generated expression in place; drop and add the column".into())),
        );
    }
    if have.comment != want.comment {
        changes.push(
            Change::new(Action::Alter, format!("comment on {object}"))
                .step(Phase::Comments, comment(&format!("COLUMN {table}.{col}"), want.comment.as_deref())),
        );
    }
}

fn constraints(have: &Table, want: &Table, changes: &mut Vec<Change>) {
    let table = &want.name;
    let renamed = renamed(
        &have.constraints.iter().filter(|c| !c.inherited).collect::<Vec<_>>(),
        &want.constraints.iter().filter(|c| !c.inherited).collect::<Vec<_>>(),
        |c| &c.name,
        |a, b| a.kind == b.kind && a.definition == b.definition && a.deferrable == b.deferrable,
    );
    for (old, new) in &renamed {
        changes.push(
            Change::new(Action::Rename, format!("constraint {} on {table}", quote_ident(old)))
                .detail(format!("renamed to {new}"))
                .step(
                    Phase::Renames,
                    format!("ALTER TABLE {table} RENAME CONSTRAINT {} TO {}", quote_ident(old), quote_ident(new)),
                ),
        );
    }
    for c in want.constraints.iter().filter(|c| !c.inherited) {
        let object = format!("constraint {} on {table}", quote_ident(&c.name));
        let existing = renamed.iter().find(|(_, new)| *new == c.name).map_or(c.name.as_str(), |(old, _)| old.as_str());
        match have.constraint(existing).filter(|h| !h.inherited) {
            Some(h) if h.definition == c.definition && h.deferrable == c.deferrable && h.initially_deferred == c.initially_deferred => {
                if !h.validated && c.validated {
                    changes.push(
                        Change::new(Action::Alter, object)
                            .detail("validate")
                            .step(Phase::Validate, validate(table, &c.name)),
                    );
                }
            }
            Some(h) => {
                let phase = if is_foreign_key(h) { Phase::DropForeignKeys } else { Phase::DropConstraints };
                changes.push(
                    added(table, c, Change::new(Action::Alter, object).detail(format!("{} → {}", h.definition, c.definition)))
                        .step(phase, drop_constraint(table, &c.name)),
                );
            }
            None => changes.push(added(table, c, Change::new(Action::Create, object))),
        }
    }
    let kept = |h: &Constraint| want.constraint(&h.name).is_some() || renamed.iter().any(|(old, _)| *old == h.name);
    for h in have.constraints.iter().filter(|c| !c.inherited && !kept(c)) {
        let phase = if is_foreign_key(h) { Phase::DropForeignKeys } else { Phase::DropConstraints };
        changes.push(
            Change::new(Action::Drop, format!("constraint {} on {table}", quote_ident(&h.name)))
                .step(phase, drop_constraint(table, &h.name)),
        );
    }
}

/// Adds a constraint to an existing table: checks and foreign keys NOT VALID,
/// then validated (a weaker lock while existing rows are scanned).
fn added(table: &QualifiedName, c: &Constraint, change: Change) -> Change {
    match &c.kind {
        ConstraintKind::Check | ConstraintKind::ForeignKey(_) => {
            let phase = if is_foreign_key(c) { Phase::AddForeignKeys } else { Phase::AddConstraints };
            change
                .step(phase, add_constraint(table, c, true))
                .step(Phase::Validate, validate(table, &c.name))
                .hazard(Hazard::MayFail("validation fails if existing rows violate it".into()))
        }
        _ => change
            .step(Phase::AddConstraints, add_constraint(table, c, false))
            .hazard(Hazard::LongLock(format!("{} builds an index while writes are blocked", c.name)))
            .hazard(Hazard::MayFail("fails if existing rows violate it".into())),
    }
}

fn indexes(have: &Table, want: &Table, options: &Options, changes: &mut Vec<Change>) {
    let table = &want.name;
    let own = |t: &Table| t.indexes.iter().filter(|i| i.constraint.is_none() && i.parent.is_none()).cloned().collect::<Vec<_>>();
    let (have_ix, want_ix) = (own(have), own(want));
    let renamed = renamed(&have_ix.iter().collect::<Vec<_>>(), &want_ix.iter().collect::<Vec<_>>(), |i| &i.name, same_index);
    for (old, new) in &renamed {
        changes.push(
            Change::new(Action::Rename, format!("index {}", QualifiedName::new(&table.schema, old)))
                .detail(format!("renamed to {new}"))
                .step(
                    Phase::Renames,
                    format!("ALTER INDEX {} RENAME TO {}", QualifiedName::new(&table.schema, old), quote_ident(new)),
                ),
        );
    }
    for ix in &want_ix {
        if renamed.iter().any(|(_, new)| *new == ix.name) {
            continue;
        }
        let object = format!("index {}", QualifiedName::new(&table.schema, &ix.name));
        let existing = have_ix.iter().find(|h| h.name == ix.name);
        // Compared by structure: the definition names the table, which a rename changes.
        if existing.is_some_and(|h| same_index(h, ix) && h.valid) {
            continue;
        }
        let mut change = match existing {
            Some(h) => Change::new(Action::Alter, object)
                .detail(format!("{} → {}", h.definition, ix.definition))
                .step(Phase::DropConstraints, drop_index(table, &ix.name)),
            None => Change::new(Action::Create, object),
        };
        if options.concurrent_indexes {
            let concurrent = ix.definition.replacen(" INDEX ", " INDEX CONCURRENTLY ", 1);
            change = change
                .step(Phase::Concurrently, concurrent)
                .hazard(Hazard::MayFail("built CONCURRENTLY after the transaction commits; a failure leaves an INVALID index to drop".into()));
        } else {
            change = change
                .step(Phase::Indexes, ix.definition.clone())
                .hazard(Hazard::LongLock("the index is built while writes to the table are blocked (use --concurrent-indexes)".into()));
        }
        changes.push(change);
    }
    for h in have_ix.iter().filter(|h| !want_ix.iter().any(|w| w.name == h.name) && !renamed.iter().any(|(old, _)| *old == h.name)) {
        changes.push(
            Change::new(Action::Drop, format!("index {}", QualifiedName::new(&table.schema, &h.name)))
                .step(Phase::DropConstraints, drop_index(table, &h.name)),
        );
    }
}

/// Objects that only changed name: (old, new) pairs of a `have` object no wanted
/// object is named after and a wanted one no `have` object is named after, equal
/// otherwise. PostgreSQL keeps constraint and index names when a table or column
/// is renamed, so the declared names of a renamed table arrive this way; renaming
/// keeps the index instead of rebuilding it.
fn renamed<T>(have: &[&T], want: &[&T], name: impl Fn(&T) -> &String, same: impl Fn(&T, &T) -> bool) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for w in want.iter().filter(|w| !have.iter().any(|h| name(h) == name(w))) {
        let candidate = have.iter().find(|h| {
            !want.iter().any(|o| name(o) == name(h)) && !pairs.iter().any(|(old, _)| old == name(h)) && same(h, w)
        });
        if let Some(h) = candidate {
            pairs.push((name(h).clone(), name(w).clone()));
        }
    }
    pairs
}

fn same_index(a: &Index, b: &Index) -> bool {
    a.method == b.method && a.unique == b.unique && a.keys == b.keys && a.include == b.include && a.predicate == b.predicate
}

fn add_constraint(table: &QualifiedName, c: &Constraint, not_valid: bool) -> String {
    format!(
        "ALTER TABLE {table} ADD CONSTRAINT {} {}{}",
        quote_ident(&c.name),
        c.definition,
        if not_valid { " NOT VALID" } else { "" }
    )
}

fn validate(table: &QualifiedName, name: &str) -> String {
    format!("ALTER TABLE {table} VALIDATE CONSTRAINT {}", quote_ident(name))
}

fn drop_constraint(table: &QualifiedName, name: &str) -> String {
    format!("ALTER TABLE {table} DROP CONSTRAINT {}", quote_ident(name))
}

fn drop_index(table: &QualifiedName, name: &str) -> String {
    format!("DROP INDEX {}", QualifiedName::new(&table.schema, name))
}

fn is_foreign_key(c: &Constraint) -> bool {
    matches!(c.kind, ConstraintKind::ForeignKey(_))
}

/// Type changes PostgreSQL makes without rewriting the table.
fn is_binary_coercible(from: &str, to: &str) -> bool {
    from.starts_with("character varying") && is_widening(from, to)
}

/// Type changes PostgreSQL makes without losing values (as `format_type` prints them).
fn is_widening(from: &str, to: &str) -> bool {
    let rank = |t: &str| match t {
        "smallint" => Some(1),
        "integer" => Some(2),
        "bigint" => Some(3),
        "numeric" => Some(4),
        _ => None,
    };
    if let (Some(a), Some(b)) = (rank(from), rank(to)) {
        return a < b;
    }
    let varchar = |t: &str| {
        t.strip_prefix("character varying(")
            .and_then(|r| r.strip_suffix(')'))
            .and_then(|n| n.parse::<u32>().ok())
    };
    match (varchar(from), varchar(to), to) {
        (Some(a), Some(b), _) => a <= b,
        (Some(_), None, "text" | "character varying") => true,
        _ => from == "character varying" && to == "text",
    }
}

#[cfg(test)]
mod tests {
    use super::is_widening;

    #[test]
    fn widening_types_are_recognised_and_narrowing_is_not() {
        assert!(is_widening("integer", "bigint"));
        assert!(is_widening("character varying(10)", "character varying(20)"));
        assert!(is_widening("character varying(10)", "text"));
        assert!(!is_widening("bigint", "integer"));
        assert!(!is_widening("text", "character varying(20)"));
        assert!(!is_widening("character varying(20)", "character varying(10)"));
        assert!(!is_widening("text", "uuid"));
    }
}
