//! Putting the rows of every query together into one sorted [`Catalog`].

use std::collections::BTreeMap;
use std::fmt::Display;

use super::grants::Target;
use super::views::Dependency;
use crate::catalog::{
    Acl, Catalog, CatalogError, Column, ColumnGrant, Constraint, Database, DefaultPrivilege,
    Extension, ForeignTable, Function, Grant, Index, Membership, Policy, QualifiedName, Role,
    RoleSetting, RoutineRef, Rule, Schema, Sequence, Table, UserType, View,
};

/// What each query returned.
pub(super) struct Parts {
    pub server_version_num: i32,
    pub schemas: Vec<Schema>,
    pub tables: Vec<Table>,
    pub columns: Vec<(QualifiedName, i16, Column)>,
    pub constraints: Vec<(QualifiedName, Constraint)>,
    pub indexes: Vec<(QualifiedName, Index)>,
    pub policies: Vec<(QualifiedName, Policy)>,
    pub triggers: super::triggers::Triggers,
    pub views: Vec<View>,
    pub dependencies: Vec<(QualifiedName, Dependency)>,
    pub sequences: Vec<Sequence>,
    pub functions: Vec<Function>,
    pub roles: Vec<Role>,
    pub memberships: Vec<(String, Membership)>,
    pub extensions: Vec<Extension>,
    pub grants: Vec<(Target, Grant)>,
    pub database: Database,
    pub role_settings: Vec<RoleSetting>,
    pub default_privileges: Vec<DefaultPrivilege>,
    pub foreign_tables: Vec<ForeignTable>,
    pub rules: Vec<Rule>,
    pub types: Vec<UserType>,
    pub publications: Vec<crate::catalog::Publication>,
    pub relation_dependencies: Vec<crate::catalog::Dependency>,
}

/// The catalog, every list sorted; an error if a row belongs to no object read.
///
/// Maps are keyed by the names the model sorts by, so that their values come
/// out in the catalog's order whatever order (or collation) the server used.
pub(super) fn catalog(mut parts: Parts) -> Result<Catalog, CatalogError> {
    let mut schemas = keyed(parts.schemas, |s| s.name.clone());
    let mut tables = keyed(parts.tables, |t| t.name.clone());
    let mut views = keyed(parts.views, |v| v.name.clone());
    let mut sequences = keyed(parts.sequences, |s| s.name.clone());
    let mut functions = keyed(parts.functions, |f| RoutineRef {
        name: f.name.clone(),
        identity_arguments: f.identity_arguments.clone(),
    });
    let mut roles = keyed(parts.roles, |r| r.name.clone());
    let mut foreign_tables = keyed(parts.foreign_tables, |f| f.name.clone());

    parts.columns.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    for (table, _, column) in parts.columns {
        owner(&mut tables, &table, "columns")?.columns.push(column);
    }
    for (table, constraint) in parts.constraints {
        owner(&mut tables, &table, "constraints")?
            .constraints
            .push(constraint);
    }
    for (table, policy) in parts.policies {
        owner(&mut tables, &table, "policies")?
            .policies
            .push(policy);
    }
    for (relation, index) in parts.indexes {
        match (tables.get_mut(&relation), views.get_mut(&relation)) {
            (Some(table), _) => table.indexes.push(index),
            (None, Some(view)) => view.indexes.push(index),
            (None, None) => return Err(inconsistent("indexes", &relation)),
        }
    }
    for (relation, trigger) in parts.triggers.of_relations {
        match (tables.get_mut(&relation), views.get_mut(&relation)) {
            (Some(table), _) => table.triggers.push(trigger),
            (None, Some(view)) => view.triggers.push(trigger),
            (None, None) => return Err(inconsistent("triggers", &relation)),
        }
    }
    for (name, dependency) in parts.dependencies {
        let view = owner(&mut views, &name, "view dependencies")?;
        match dependency {
            Dependency::Relation(relation) => view.depends_on.push(relation),
            Dependency::Routine(routine) => view.calls.push(routine),
        }
    }
    for (member, membership) in parts.memberships {
        owner(&mut roles, &member, "memberships")?
            .member_of
            .push(membership);
    }
    for (target, grant) in parts.grants {
        let acl = match &target {
            Target::Schema(name) => &mut owner(&mut schemas, name, "grants")?.acl,
            Target::Relation(name) => {
                match (
                    tables.get_mut(name),
                    views.get_mut(name),
                    sequences.get_mut(name),
                ) {
                    (Some(table), _, _) => &mut table.acl,
                    (None, Some(view), _) => &mut view.acl,
                    (None, None, Some(sequence)) => &mut sequence.acl,
                    (None, None, None) => match foreign_tables.get_mut(name) {
                        Some(foreign) => &mut foreign.acl,
                        None => return Err(inconsistent("grants", name)),
                    },
                }
            }
            Target::Routine(routine) => &mut owner(&mut functions, routine, "grants")?.acl,
            Target::Column(relation, column) => {
                let grants = match (tables.get_mut(relation), views.get_mut(relation)) {
                    (Some(table), _) => &mut table.column_grants,
                    (None, Some(view)) => &mut view.column_grants,
                    (None, None) => return Err(inconsistent("grants", relation)),
                };
                grants.push(ColumnGrant {
                    column: column.clone(),
                    grant,
                });
                continue;
            }
        };
        match acl {
            Acl::Explicit(grants) => grants.push(grant),
            // A NULL ACL explodes to no rows: a grant here means the queries disagree.
            Acl::Default => return Err(inconsistent("grants", &target_name(&target))),
        }
    }

    let mut extensions = parts.extensions;
    extensions.sort_by(|a, b| a.name.cmp(&b.name));
    parts.types.sort_by(|a, b| a.name.cmp(&b.name));
    parts.relation_dependencies.sort();
    parts.relation_dependencies.dedup();
    Ok(Catalog {
        external_triggers: parts.triggers.external,
        event_triggers: parts.triggers.event,
        types: parts.types,
        server_version_num: parts.server_version_num,
        schemas: schemas.into_values().map(sorted_schema).collect(),
        tables: tables.into_values().map(sorted_table).collect(),
        views: views.into_values().map(sorted_view).collect(),
        sequences: sequences.into_values().map(sorted_sequence).collect(),
        functions: functions.into_values().map(sorted_function).collect(),
        roles: roles.into_values().map(sorted_role).collect(),
        extensions,
        database: parts.database,
        role_settings: parts.role_settings,
        default_privileges: parts.default_privileges,
        foreign_tables: foreign_tables
            .into_values()
            .map(|mut f| {
                sort_acl(&mut f.acl);
                f
            })
            .collect(),
        rules: parts.rules,
        publications: parts.publications,
        dependencies: parts.relation_dependencies,
    })
}

fn keyed<K: Ord, V>(items: Vec<V>, key: impl Fn(&V) -> K) -> BTreeMap<K, V> {
    items.into_iter().map(|item| (key(&item), item)).collect()
}

fn owner<'m, K: Ord + Display, V>(
    map: &'m mut BTreeMap<K, V>,
    key: &K,
    query: &'static str,
) -> Result<&'m mut V, CatalogError> {
    map.get_mut(key).ok_or_else(|| inconsistent(query, key))
}

fn inconsistent(query: &'static str, object: &dyn Display) -> CatalogError {
    CatalogError::Inconsistent {
        query,
        object: object.to_string(),
    }
}

fn target_name(target: &Target) -> String {
    match target {
        Target::Schema(name) => name.clone(),
        Target::Relation(name) => name.to_string(),
        Target::Column(relation, column) => format!("{relation} column {column}"),
        Target::Routine(routine) => routine.to_string(),
    }
}

fn sorted_schema(mut schema: Schema) -> Schema {
    sort_acl(&mut schema.acl);
    schema
}

fn sorted_table(mut table: Table) -> Table {
    table.constraints.sort_by(|a, b| a.name.cmp(&b.name));
    table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    table.policies.sort_by(|a, b| a.name.cmp(&b.name));
    table.triggers.sort_by(|a, b| a.name.cmp(&b.name));
    table.column_grants.sort();
    sort_acl(&mut table.acl);
    table
}

fn sorted_view(mut view: View) -> View {
    view.depends_on.sort();
    view.depends_on.dedup();
    view.calls.sort();
    view.calls.dedup();
    view.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    view.triggers.sort_by(|a, b| a.name.cmp(&b.name));
    view.column_grants.sort();
    sort_acl(&mut view.acl);
    view
}

fn sorted_sequence(mut sequence: Sequence) -> Sequence {
    sort_acl(&mut sequence.acl);
    sequence
}

fn sorted_function(mut function: Function) -> Function {
    sort_acl(&mut function.acl);
    function
}

fn sorted_role(mut role: Role) -> Role {
    role.member_of.sort();
    role
}

fn sort_acl(acl: &mut Acl) {
    if let Acl::Explicit(grants) = acl {
        grants.sort();
    }
}
