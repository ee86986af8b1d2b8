//! The audit trail: `[audit_log]` in rlsctl.toml and `audit = ...` on tables.
//!
//! Everything the trail needs is made explicit here as ordinary declared objects,
//! as the tenant isolation policy is: the log table (a tenant table with RLS
//! enabled and forced, readable by the declared readers within their tenant, with
//! no client write privilege), its index on (tenant, time), one SECURITY DEFINER
//! trigger function with a pinned `search_path` and no EXECUTE for PUBLIC, and
//! one trigger per audited table. `ddl`, `diff` and `plan` then need nothing of
//! their own for it.

use toml::Spanned;

use super::context::{Context, check_identifier};
use super::names::generated_name;
use super::project::EffectiveTenancy;
use crate::spec::declaration::{
    AUDIT_TRIGGER, AuditTrail, Check, Column, Command, Function, Grant, Index, IndexKey,
    IndexMethod, Key, Language, Policy, PolicyMode, RoutineKind, Security, Table, Tenant, Trigger,
    TriggerEvent, TriggerTiming, Volatility,
};
use crate::spec::diagnostic::FileId;
use crate::spec::load::Spec;
use crate::spec::model::{AuditDecl, AuditLogDecl, TenantDecl, Text};
use crate::sql::{QualifiedName, quote_ident, quote_literal};

/// The policy that lets only a trigger write the log: clients hold no INSERT
/// privilege, and the definer (the log's owner, under FORCE) writes through it.
pub const APPEND_POLICY: &str = "audit_log_append";
/// The restrictive policy of `readable_when`.
pub const READERS_POLICY: &str = "audit_log_readers";

/// One table's `audit = ...`, found in the schema files.
struct Audited<'a> {
    file: FileId,
    at: &'a Spanned<AuditDecl>,
    name: QualifiedName,
}

/// Validates the trail and appends its objects to the declaration's parts.
pub(super) fn resolve(
    cx: &mut Context,
    spec: &Spec,
    tenancy: Option<&EffectiveTenancy>,
    tables: &mut Vec<Table>,
    functions: &mut Vec<Function>,
    triggers: &mut Vec<Trigger>,
) -> Option<AuditTrail> {
    let audited = audited_tables(cx, spec);
    let project_file = spec.project.0;
    let Some(section) = spec.project.1.audit_log.as_ref() else {
        for a in &audited {
            cx.error_help(
                a.file,
                a.at.span(),
                format!(
                    "table {} is audited but the project has no [audit_log]",
                    a.name
                ),
                "declare the log in rlsctl.toml: [audit_log] table = \"audit_trail\"",
            );
        }
        return None;
    };
    let decl = section.get_ref();
    let log = log_name(cx, project_file, decl)?;
    check_identifier(cx, project_file, &decl.table, &log.name);
    if tables.iter().any(|t| t.name == log) {
        cx.error_help(
            project_file,
            decl.table.span(),
            format!("the audit log {log} collides with the declared table {log}"),
            "name another table in [audit_log] table = \"...\", or rename the declared one (an existing hand-written log is not the generated one)",
        );
        return None;
    }
    let Some(tenancy) = tenancy else {
        cx.error_help(
            project_file,
            section.span(),
            "[audit_log] needs [tenancy]: the log is tenant-scoped",
            "declare [tenancy] with column, type and current",
        );
        return None;
    };
    let Some(tenant_type) = tenancy.ty.as_ref().map(|t| t.get_ref().clone()) else {
        cx.error_help(
            project_file,
            section.span(),
            "[audit_log] needs the tenant column's type",
            "set type = \"uuid\" in [tenancy]",
        );
        return None;
    };
    let readers = readers(cx, project_file, decl, tenancy);
    if let Some(when) = &decl.readable_when {
        cx.expression(project_file, when, "[audit_log] readable_when");
    }
    let actor = actor(cx, spec, section)?;
    let function = QualifiedName::new(&log.schema, format!("{}_record", log.name));
    if functions.iter().any(|f| f.name == function) {
        cx.error_help(
            project_file,
            decl.table.span(),
            format!(
                "the audit log's trigger function {function} collides with a declared function"
            ),
            "rename the declared function, or name the log differently",
        );
        return None;
    }

    let mut recorded = Vec::new();
    for a in &audited {
        let Some(table) = tables.iter().find(|t| t.name == a.name) else {
            continue;
        };
        if let Some(columns) = audited_columns(cx, a, table) {
            if triggers
                .iter()
                .any(|t| t.table == a.name && t.name == AUDIT_TRIGGER)
            {
                cx.error_help(
                    a.file,
                    a.at.span(),
                    format!("table {} declares a trigger named {AUDIT_TRIGGER:?}, which auditing generates", a.name),
                    "rename the declared trigger",
                );
                continue;
            }
            recorded.push((table, columns, a));
        }
    }

    let origin = Some(cx.origin(project_file, section.span()));
    let tenant_span = Spanned::new(section.span(), TenantDecl::Flag(true));
    let predicate = super::tables::predicate(
        cx,
        project_file,
        &tenant_span,
        None,
        Some(tenancy),
        &tenancy.column,
        &log,
    )?;
    let mut new_triggers = Vec::new();
    let mut trail_tables = Vec::new();
    for (table, columns, a) in &recorded {
        // A tenant table has its tenant column; `audited_columns` checked the key.
        let (Some(tenant), Some(key)) = (&table.tenant, &table.primary_key) else {
            continue;
        };
        new_triggers.push(Trigger {
            table: table.name.clone(),
            name: AUDIT_TRIGGER.to_string(),
            timing: TriggerTiming::After,
            events: vec![
                TriggerEvent::Insert,
                TriggerEvent::Update,
                TriggerEvent::Delete,
            ],
            for_each_row: true,
            columns: Vec::new(),
            new_table: None,
            old_table: None,
            when: None,
            when_origin: None,
            function: function.clone(),
            args: vec![
                tenant.column.clone(),
                json_list(&key.columns),
                json_list(columns),
            ],
            enabled: true,
            origin: Some(cx.origin(a.file, a.at.span())),
        });
        trail_tables.push((table.name.clone(), columns.clone()));
    }
    tables.push(log_table(
        &log,
        &tenancy.column,
        &tenant_type,
        predicate,
        &tenancy.roles,
        &readers,
        decl,
        origin.clone(),
    ));
    functions.push(Function {
        name: function.clone(),
        args: Vec::new(),
        returns: "trigger".to_string(),
        language: Language::Plpgsql,
        volatility: Volatility::Volatile,
        security: Security::Definer,
        strict: false,
        settings: vec![("search_path".to_string(), String::new())],
        body: function_body(&log, &tenancy.column, &tenant_type, &actor),
        comment: Some(format!(
            "Writes the audit trail {log}: run by the audited tables' triggers only."
        )),
        // Declared without grants: EXECUTE is revoked from PUBLIC, so nobody
        // may attach it to a table of their own.
        grants: Vec::new(),
        grants_declared: true,
        origin,
        kind: RoutineKind::Function,
        atomic: false,
    });
    triggers.extend(new_triggers);
    Some(AuditTrail {
        log,
        function,
        audited: trail_tables,
        tenant_column: tenancy.column.clone(),
        readers,
        actor,
    })
}

/// Every table's `audit = ...` that asks for auditing.
fn audited_tables<'a>(cx: &Context, spec: &'a Spec) -> Vec<Audited<'a>> {
    let mut out = Vec::new();
    for (file, schema_file) in &spec.schema_files {
        for (key, decl) in &schema_file.tables {
            let Some(at) = decl.get_ref().audit.as_ref() else {
                continue;
            };
            if matches!(at.get_ref(), AuditDecl::Flag(false)) {
                continue;
            }
            // A bad table name is reported by `tables`.
            let Some(name) = quiet_qualify(cx, key.get_ref()) else {
                continue;
            };
            out.push(Audited {
                file: *file,
                at,
                name,
            });
        }
    }
    out
}

fn quiet_qualify(cx: &Context, raw: &str) -> Option<QualifiedName> {
    match raw.split('.').collect::<Vec<_>>().as_slice() {
        [name] if !name.is_empty() => Some(QualifiedName::new(&cx.default_schema, *name)),
        [schema, name] if !schema.is_empty() && !name.is_empty() => {
            Some(QualifiedName::new(*schema, *name))
        }
        _ => None,
    }
}

/// The log's qualified name from `table` and `schema`.
fn log_name(cx: &mut Context, file: FileId, decl: &AuditLogDecl) -> Option<QualifiedName> {
    match &decl.schema {
        Some(schema) if decl.table.get_ref().contains('.') => {
            cx.error_help(
                file,
                schema.span(),
                "[audit_log] names the schema twice: in table and in schema",
                "write table = \"name\" with schema = \"...\", or table = \"schema.name\" alone",
            );
            None
        }
        Some(schema) => {
            let text = Spanned::new(
                schema.span(),
                format!("{}.{}", schema.get_ref(), decl.table.get_ref()),
            );
            cx.qualify(file, &text, "audit log")
        }
        None => cx.qualify(file, &decl.table, "audit log"),
    }
}

/// The roles that may read the log: declared roles among `[tenancy] roles`.
fn readers(
    cx: &mut Context,
    file: FileId,
    decl: &AuditLogDecl,
    tenancy: &EffectiveTenancy,
) -> Vec<String> {
    let Some(listed) = &decl.readers else {
        return tenancy.roles.clone();
    };
    let mut out = Vec::new();
    for role in listed {
        cx.check_role(file, role);
        if !cx.roles.contains(role.get_ref()) {
            continue;
        }
        if !tenancy.roles.contains(role.get_ref()) {
            cx.error_help(
                file,
                role.span(),
                format!(
                    "audit log reader {:?} is not one of [tenancy] roles",
                    role.get_ref()
                ),
                format!(
                    "readers see their tenant's entries through the isolation policy, which applies to {:?}; name one of them",
                    tenancy.roles
                ),
            );
            continue;
        }
        out.push(role.get_ref().clone());
    }
    out
}

/// The SQL recorded as the actor: `actor`, else the setting or JWT claim that
/// `[tenancy.impersonate]` fills with `{user}`.
fn actor(cx: &mut Context, spec: &Spec, section: &Spanned<AuditLogDecl>) -> Option<String> {
    let file = spec.project.0;
    if let Some(actor) = &section.get_ref().actor {
        cx.expression(file, actor, "[audit_log] actor")?;
        return Some(actor.get_ref().clone());
    }
    let impersonate = spec
        .project
        .1
        .tenancy
        .as_ref()
        .and_then(|t| t.get_ref().impersonate.as_ref())
        .map(|i| i.get_ref());
    if let Some(imp) = impersonate {
        if let Some(jwt) = &imp.jwt
            && let Some((claim, _)) = jwt
                .get_ref()
                .iter()
                .find(|(_, v)| v.as_str() == Some("{user}"))
        {
            return Some(format!(
                "nullif(pg_catalog.current_setting('request.jwt.claims', true), '')::jsonb ->> {}",
                quote_literal(claim)
            ));
        }
        if let Some((setting, _)) = imp.settings.iter().find(|(_, v)| v.get_ref() == "{user}") {
            return Some(format!(
                "nullif(pg_catalog.current_setting({}, true), '')",
                quote_literal(setting.get_ref())
            ));
        }
    }
    cx.error_help(
        file,
        section.span(),
        "[audit_log] cannot tell who the actor is",
        "set actor = \"(select auth.uid())\" in [audit_log], or give [tenancy.impersonate] a setting or JWT claim of \"{user}\"",
    );
    None
}

/// The columns a table records, after checking its `audit = ...`.
fn audited_columns(cx: &mut Context, a: &Audited, table: &Table) -> Option<Vec<String>> {
    if table.tenant.is_none() {
        cx.error_help(
            a.file,
            a.at.span(),
            format!("table {} is audited but not tenant-scoped", a.name),
            "the audit log is tenant-scoped: audit tenant tables only",
        );
        return None;
    }
    if table.primary_key.is_none() {
        cx.error_help(
            a.file,
            a.at.span(),
            format!("table {} is audited but has no primary key", a.name),
            "an entry names the row by its primary key: declare primary_key",
        );
        return None;
    }
    let all: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    let (listed, exclude): (&[Text], &[Text]) = match a.at.get_ref() {
        AuditDecl::Columns(c) => (&c.columns, &c.exclude),
        AuditDecl::Flag(_) => (&[], &[]),
    };
    let mut ok = true;
    for c in listed.iter().chain(exclude) {
        if !all.contains(c.get_ref()) {
            cx.error_help(
                a.file,
                c.span(),
                format!("table {} has no column {:?}", a.name, c.get_ref()),
                format!("audit names the table's columns: {}", all.join(", ")),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    Some(
        all.into_iter()
            .filter(|c| listed.is_empty() || listed.iter().any(|l| l.get_ref() == c))
            .filter(|c| !exclude.iter().any(|e| e.get_ref() == c))
            .collect(),
    )
}

fn json_list(items: &[String]) -> String {
    serde_json::Value::from(items.to_vec()).to_string()
}

fn column(name: &str, ty: &str, not_null: bool, default: Option<&str>) -> Column {
    Column {
        name: name.to_string(),
        ty: ty.to_string(),
        not_null,
        default: default.map(str::to_string),
        identity: None,
        generated: None,
        comment: None,
        renamed_from: None,
        origin: None,
        default_origin: None,
    }
}

/// The log table: a tenant table whose clients may only read.
#[allow(clippy::too_many_arguments)]
fn log_table(
    log: &QualifiedName,
    tenant_column: &str,
    tenant_type: &str,
    predicate: String,
    client_roles: &[String],
    readers: &[String],
    decl: &AuditLogDecl,
    origin: Option<crate::spec::declaration::Origin>,
) -> Table {
    let mut id = column("id", "bigint", true, None);
    id.identity = Some(crate::spec::model::Identity::Always);
    let columns = vec![
        id,
        column(tenant_column, tenant_type, true, None),
        column("actor", "text", false, None),
        column("caller", "text", true, None),
        column("action", "text", true, None),
        column("table_name", "text", true, None),
        column("row_key", "jsonb", true, None),
        column("old_values", "jsonb", false, None),
        column("new_values", "jsonb", false, None),
        column("txid", "bigint", true, Some("txid_current()")),
        column("recorded_at", "timestamptz", true, Some("now()")),
    ];
    let mut policies = vec![Policy {
        name: crate::spec::declaration::ISOLATION_POLICY.to_string(),
        command: Command::All,
        mode: PolicyMode::Permissive,
        roles: client_roles.to_vec(),
        using: Some(predicate.clone()),
        check: Some(predicate.clone()),
        generated: true,
        origin: origin.clone(),
        using_origin: None,
        check_origin: None,
    }];
    if let Some(when) = &decl.readable_when {
        policies.push(Policy {
            name: READERS_POLICY.to_string(),
            command: Command::Select,
            mode: PolicyMode::Restrictive,
            roles: readers.to_vec(),
            using: Some(when.get_ref().clone()),
            check: None,
            generated: true,
            origin: origin.clone(),
            using_origin: None,
            check_origin: None,
        });
    }
    policies.push(Policy {
        name: APPEND_POLICY.to_string(),
        command: Command::Insert,
        mode: PolicyMode::Permissive,
        roles: Vec::new(),
        using: None,
        check: Some("pg_trigger_depth() > 0".to_string()),
        generated: true,
        origin: origin.clone(),
        using_origin: None,
        check_origin: None,
    });
    let taken: Vec<String> = Vec::new();
    let comment = match &decl.retention {
        Some(r) => format!(
            "Audit trail written by rlsctl's triggers; append-only. Retention: {}",
            r.get_ref()
        ),
        None => "Audit trail written by rlsctl's triggers; append-only.".to_string(),
    };
    let mut sample = serde_json::Map::new();
    sample.insert("caller".into(), "app_user".into());
    sample.insert("action".into(), "UPDATE".into());
    sample.insert("table_name".into(), "sample".into());
    sample.insert("row_key".into(), "{}".into());
    Table {
        name: log.clone(),
        tenant: Some(Tenant {
            column: tenant_column.to_string(),
            predicate,
        }),
        public_reason: None,
        columns,
        primary_key: Some(Key {
            name: generated_name(&log.name, &[], "pkey", &taken),
            columns: vec!["id".to_string()],
            nulls_not_distinct: false,
            deferral: Default::default(),
        }),
        uniques: Vec::new(),
        checks: vec![Check {
            name: generated_name(&log.name, &["action"], "check", &taken),
            expr: "action in ('INSERT', 'UPDATE', 'DELETE')".to_string(),
            origin: None,
        }],
        foreign_keys: Vec::new(),
        indexes: vec![Index {
            name: generated_name(&log.name, &[tenant_column, "recorded_at"], "idx", &taken),
            unique: false,
            method: IndexMethod::Btree,
            keys: vec![
                IndexKey::Column(tenant_column.to_string()),
                IndexKey::Column("recorded_at".to_string()),
            ],
            key_options: vec![String::new(), String::new()],
            nulls_not_distinct: false,
            include: Vec::new(),
            predicate: None,
            origin: None,
        }],
        exclusions: Vec::new(),
        rls_enabled: true,
        rls_forced: true,
        policies,
        grants: if readers.is_empty() {
            Vec::new()
        } else {
            readers
                .iter()
                .map(|r| Grant {
                    grantee: r.clone(),
                    privileges: vec!["SELECT".to_string()],
                })
                .collect()
        },
        column_grants: Vec::new(),
        comment: Some(comment),
        renamed_from: None,
        sample: Some(sample),
        force_reason: None,
        replica_identity: None,
        partition_by: None,
        partitions: Vec::new(),
        origin,
    }
}

/// The trigger function. Arguments: the audited table's tenant column, its
/// primary key columns and the recorded columns (JSON lists). It runs as its
/// owner, so `current_user` is the definer: the caller is the role the session
/// acts as (`SET ROLE`, as PostgREST and pooled applications do), else the login.
fn function_body(log: &QualifiedName, tenant: &str, tenant_type: &str, actor: &str) -> String {
    format!(
        "declare
  old_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then pg_catalog.to_jsonb(old) end;
  new_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then pg_catalog.to_jsonb(new) end;
  this_row jsonb := coalesce(new_row, old_row);
  key_columns text[] := array(select pg_catalog.jsonb_array_elements_text(tg_argv[1]::jsonb));
  recorded text[] := array(select pg_catalog.jsonb_array_elements_text(tg_argv[2]::jsonb));
  old_values jsonb;
  new_values jsonb;
begin
  if tg_op = 'UPDATE' then
    select coalesce(pg_catalog.jsonb_object_agg(c, old_row -> c), '{{}}'),
           coalesce(pg_catalog.jsonb_object_agg(c, new_row -> c), '{{}}')
      into old_values, new_values
      from pg_catalog.unnest(recorded) as c
     where (old_row -> c) is distinct from (new_row -> c);
  elsif tg_op = 'INSERT' then
    select coalesce(pg_catalog.jsonb_object_agg(c, new_row -> c), '{{}}') into new_values
      from pg_catalog.unnest(recorded) as c;
  else
    select coalesce(pg_catalog.jsonb_object_agg(c, old_row -> c), '{{}}') into old_values
      from pg_catalog.unnest(recorded) as c;
  end if;
  insert into {log} ({tenant}, actor, caller, action, table_name, row_key, old_values, new_values)
  values (
    (this_row ->> tg_argv[0])::{tenant_type},
    ({actor})::text,
    coalesce(nullif(pg_catalog.current_setting('role'), 'none'), session_user),
    tg_op,
    pg_catalog.format('%I.%I', tg_table_schema, tg_table_name),
    (select coalesce(pg_catalog.jsonb_object_agg(c, this_row -> c), '{{}}')
       from pg_catalog.unnest(key_columns) as c),
    old_values,
    new_values);
  return null;
end",
        tenant = quote_ident(tenant),
    )
}
