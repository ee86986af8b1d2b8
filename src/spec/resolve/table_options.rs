//! Table keys beyond columns and keys: `force = false` (with its reason),
//! `replica_identity`, `partition_by` and `partitions`.

use toml::Spanned;

use super::context::{Context, check_identifier};
use crate::spec::declaration::{Partition, ReplicaIdentity, Table};
use crate::spec::diagnostic::FileId;
use crate::spec::model::{ReplicaIdentityDecl, TableDecl};
use crate::sql::{QualifiedName, parse};

/// Applies the keys to `table`, whose RLS flags are already resolved.
pub(super) fn resolve(cx: &mut Context, file: FileId, decl: &TableDecl, table: &mut Table) {
    force(cx, file, decl, table);
    if let Some(ri) = &decl.replica_identity {
        table.replica_identity = replica_identity(cx, file, ri);
    }
    partitions(cx, file, decl, table);
}

fn force(cx: &mut Context, file: FileId, decl: &TableDecl, table: &mut Table) {
    match (&decl.force, &decl.force_reason) {
        (None, None) => {}
        (Some(force), reason) if *force.get_ref() => {
            if let Some(reason) = reason {
                cx.error_help(
                    file,
                    reason.span(),
                    "force_reason is given but row-level security is forced",
                    "force_reason explains force = false; remove it, or write force = false",
                );
            }
        }
        (Some(force), None) => cx.error_help(
            file,
            force.span(),
            format!("force = false on {} without a force_reason", table.name),
            "say why the owner may bypass the policies: force_reason = \"...\" (e.g. \"adopted from Supabase; the owner is never a client\")",
        ),
        (None, Some(reason)) => cx.error_help(
            file,
            reason.span(),
            "force_reason without force = false",
            "write force = false next to it, or remove force_reason",
        ),
        (Some(force), Some(reason)) => {
            if !table.rls_enabled {
                cx.error_help(
                    file,
                    force.span(),
                    format!("force = false on {}, which has no row-level security", table.name),
                    "force only applies to tables with row-level security (tenant tables, or rls = true)",
                );
            } else if reason.get_ref().trim().is_empty() {
                cx.error_help(
                    file,
                    reason.span(),
                    "force_reason is empty",
                    "say why the owner may bypass the policies",
                );
            } else {
                cx.placeholder_reason(file, reason, &format!("the force_reason of {}", table.name));
                table.rls_forced = false;
                table.force_reason = Some(reason.get_ref().clone());
            }
        }
    }
}

fn replica_identity(
    cx: &mut Context,
    file: FileId,
    decl: &Spanned<ReplicaIdentityDecl>,
) -> Option<ReplicaIdentity> {
    match decl.get_ref() {
        ReplicaIdentityDecl::Keyword(k) => match k.as_str() {
            "default" => Some(ReplicaIdentity::Default),
            "full" => Some(ReplicaIdentity::Full),
            "nothing" => Some(ReplicaIdentity::Nothing),
            other => {
                cx.error_help(
                    file,
                    decl.span(),
                    format!("unknown replica_identity {other:?}"),
                    "write \"default\", \"full\", \"nothing\" or { index = \"a unique index of the table\" }",
                );
                None
            }
        },
        ReplicaIdentityDecl::Index(name) if name.is_empty() => {
            cx.error(file, decl.span(), "replica_identity index name is empty");
            None
        }
        ReplicaIdentityDecl::Index(name) => Some(ReplicaIdentity::Index(name.clone())),
    }
}

fn partitions(cx: &mut Context, file: FileId, decl: &TableDecl, table: &mut Table) {
    if let Some(by) = &decl.partition_by {
        let probe = format!("CREATE TABLE t () PARTITION BY {}", by.get_ref());
        match parse::parse_statements(&probe) {
            Ok(_) => table.partition_by = Some(by.get_ref().clone()),
            Err(e) => cx.error_help(
                file,
                by.span(),
                format!("invalid partition_by {:?}: {}", by.get_ref(), e.message),
                "write the method and key: \"range (created_at)\", \"list (region)\" or \"hash (id)\"",
            ),
        }
    } else if let Some((first, _)) = decl.partitions.first() {
        cx.error_help(
            file,
            first.span(),
            format!("{} declares partitions but no partition_by", table.name),
            "add partition_by = \"range (column)\" (or list / hash) to the table",
        );
        return;
    }
    for (name, bound) in &decl.partitions {
        check_identifier(cx, file, name, name.get_ref());
        let partition = QualifiedName::new(&table.name.schema, name.get_ref());
        if partition == table.name {
            cx.error(
                file,
                name.span(),
                "a partition cannot have its table's name",
            );
            continue;
        }
        let text = bound.get_ref().trim();
        let lower = text.to_ascii_lowercase();
        if lower != "default" && !lower.starts_with("for values") {
            cx.error_help(
                file,
                bound.span(),
                format!("invalid bound {text:?} of partition {partition}"),
                "write \"for values from (...) to (...)\", \"for values in (...)\", \"for values with (modulus N, remainder R)\" or \"default\"",
            );
            continue;
        }
        let probe = format!("CREATE TABLE p PARTITION OF t {text}");
        if let Err(e) = parse::parse_statements(&probe) {
            cx.error_help(
                file,
                bound.span(),
                format!("invalid bound of partition {partition}: {}", e.message),
                "the bound must be valid PostgreSQL: \"for values from ('2025-01-01') to ('2026-01-01')\"",
            );
            continue;
        }
        table.partitions.push(Partition {
            name: partition,
            bound: text.to_string(),
            origin: Some(cx.value_origin(file, bound)),
        });
    }
}
