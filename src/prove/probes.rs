//! The automatic proof: seed two tenants, then run the probe matrix for every
//! tenant relation as every principal, one savepoint per probe inside one
//! transaction that is rolled back.

use std::collections::HashMap;

use tokio_postgres::Client;

use super::discover::{RelationKind, TenantRelation};
use super::impersonate::{self, Context, Principal};
use super::matrix::{Matrix, Privileges};
use super::outcome::{NotProbed, Outcome, Report};
use super::rpc;
use super::seed::{self, Seeder};
use super::session;
use super::transaction::{self, BEGIN};
use super::truth;
use super::{Plan, ProveError};
use crate::catalog::Catalog;

/// Runs the matrix and appends its outcomes to `report`.
pub async fn prove(
    client: &Client,
    more: Option<&super::Connections<'_>>,
    catalog: &Catalog,
    plan: &Plan,
    relations: &[TenantRelation],
    report: &mut Report,
    progress: &dyn Fn(usize, usize),
) -> Result<(), ProveError> {
    if relations.is_empty() {
        report.warnings.push(format!(
            "no tenant relation found in schemas {:?} (no table has the column {:?} or a declared tenant): nothing was proven",
            plan.schemas, plan.tenant_column
        ));
        return Ok(());
    }
    let Some(role) = plan
        .impersonate
        .role
        .clone()
        .or_else(|| plan.roles.first().cloned())
    else {
        report
            .warnings
            .push("no client role: set [tenancy] roles or [tenancy.impersonate] role".into());
        return Ok(());
    };
    let profile = &plan.impersonate;
    if profile.settings.is_empty() && profile.jwt.is_none() && profile.setup.is_empty() {
        report.warnings.push(
            "[tenancy.impersonate] sets no settings, claims or setup: the user of A carries no tenant, so its probes show DENY-ALL or nothing".into(),
        );
    }
    let tenant_type = relations
        .iter()
        .filter_map(|r| {
            r.table
                .as_ref()?
                .column(&r.tenant_column)
                .map(|c| c.data_type.clone())
        })
        .next()
        .unwrap_or_else(|| "uuid".into());
    // A role that does not exist would abort the transaction at its first
    // privilege check: its principals are left out, said once per role.
    let mut roles: Vec<String> = Vec::new();
    for r in &plan.roles {
        if roles.contains(r) {
            continue;
        }
        if role_exists(client, r).await? {
            roles.push(r.clone());
        } else {
            report
                .warnings
                .push(format!("role {r} does not exist: its probes were skipped"));
        }
    }
    // A per-tenant role (`tenant_{tenant}`) may be created by the setup: checked when becoming it.
    let per_tenant = role.contains("{tenant}");
    let user_role_exists = if per_tenant {
        true
    } else if plan.roles.contains(&role) {
        roles.contains(&role)
    } else {
        role_exists(client, &role).await?
    };
    if !user_role_exists {
        report.warnings.push(format!(
            "the impersonation role {role} does not exist: no user can be probed, nothing was proven"
        ));
        return Ok(());
    }
    let tenant_columns: HashMap<_, _> = relations
        .iter()
        .filter(|r| r.is_table())
        .map(|r| (r.name.clone(), r.tenant_column.clone()))
        .collect();
    let shared = Shared {
        catalog,
        plan,
        tenant_type,
        role,
        roles,
        tenant_columns,
        all: relations,
    };
    // The tables are shared out among the connections; the first also proves the
    // views and functions, and after the others are done (their transactions
    // rolled back, so that no lock of theirs is in the way) the probes that need
    // every table: self-grants, cascades, removed members, functions.
    let table_count = relations.iter().filter(|r| r.is_table()).count();
    let mut others: Vec<Client> = Vec::new();
    if let Some(more) = more.filter(|_| table_count >= PARALLEL_FROM) {
        for _ in 1..more.jobs.min(table_count / (PARALLEL_FROM / 2)) {
            match (more.open)().await {
                Ok(c) => others.push(c),
                Err(why) => {
                    report.warnings.push(format!(
                        "proving on {} connection(s) only: another could not be opened: {why}",
                        1 + others.len()
                    ));
                    break;
                }
            }
        }
    }
    let jobs = 1 + others.len();
    // The first connection also seeds every table (about a third of a table's
    // probes in time): its share is smaller, so that all finish together.
    let (seed, probe) = (1, 3);
    let first_share = if jobs == 1 {
        table_count
    } else {
        table_count * (seed + probe - (jobs - 1) * seed).max(1) / (jobs * probe + seed)
    };
    let share = (table_count - first_share)
        .div_ceil((jobs - 1).max(1))
        .max(1);
    let mut chunks: Vec<Vec<TenantRelation>> = vec![Vec::new(); jobs];
    let mut t = 0;
    for r in relations {
        if !r.is_table() {
            chunks[0].push(r.clone());
            continue;
        }
        let at = if t < first_share {
            0
        } else {
            (1 + (t - first_share) / share).min(jobs - 1)
        };
        chunks[at].push(r.clone());
        t += 1;
    }
    let total = (3 * shared.roles.len() + 1) * relations.len();
    let done = std::cell::Cell::new(0);
    let step = |n: usize| {
        done.set(done.get() + n);
        progress(done.get(), total);
    };
    let others_done = tokio::sync::Notify::new();
    let first = chunk(client, &shared, &chunks[0], Some(&others_done), &step);
    let rest = async {
        let found = futures_util::future::join_all(
            others
                .iter()
                .zip(&chunks[1..])
                .map(|(c, relations)| chunk(c, &shared, relations, None, &step)),
        )
        .await;
        others_done.notify_one();
        found
    };
    let (first, rest) = futures_util::future::join(first, rest).await;
    let mut first = first?;
    report.scope.principals = std::mem::take(&mut first.principals);
    let mut parts = vec![first];
    for found in rest {
        parts.push(found?);
    }
    let mut extras = std::mem::take(&mut parts[0].extras);
    for part in &mut parts {
        report.outcomes.append(&mut part.outcomes);
        for w in part.warnings.drain(..) {
            if !report.warnings.contains(&w) {
                report.warnings.push(w);
            }
        }
        report.not_probed.append(&mut part.not_probed);
        report
            .functions_not_probed
            .append(&mut part.functions_not_probed);
    }
    report.outcomes.append(&mut extras);
    Ok(())
}

/// Tables below this count are proven on one connection.
const PARALLEL_FROM: usize = 40;

/// What the connections of one proof share.
struct Shared<'p> {
    catalog: &'p Catalog,
    plan: &'p Plan,
    tenant_type: String,
    /// The user's role (before `{tenant}` is filled).
    role: String,
    /// The client roles that exist.
    roles: Vec<String>,
    /// Every tenant table's tenant column (seeding needs the parents' too).
    tenant_columns: HashMap<crate::sql::QualifiedName, String>,
    /// Every tenant relation.
    all: &'p [TenantRelation],
}

/// What one connection found.
#[derive(Default)]
struct Found {
    principals: Vec<String>,
    outcomes: Vec<Outcome>,
    /// The first connection's probes that need every table.
    extras: Vec<Outcome>,
    warnings: Vec<String>,
    not_probed: Vec<NotProbed>,
    functions_not_probed: Vec<NotProbed>,
}

/// The proof of `relations` on one connection, in one transaction rolled back at
/// the end: its own tenants A and B and their users, seeded, then the matrix.
/// The first connection (`others_done` given) seeds every table, and after the
/// matrix waits for the other connections before the probes that need every table.
async fn chunk(
    client: &Client,
    shared: &Shared<'_>,
    relations: &[TenantRelation],
    others_done: Option<&tokio::sync::Notify>,
    step: &dyn Fn(usize),
) -> Result<Found, ProveError> {
    let (catalog, plan) = (shared.catalog, shared.plan);
    let first = others_done.is_some();
    let roles = &shared.roles;
    let role = shared.role.clone();
    let tenant_type = &shared.tenant_type;
    let a = impersonate::tenant_value(tenant_type, 'a');
    let b = impersonate::tenant_value(tenant_type, 'b');
    let (user_a, user_b) = (
        uuid::Uuid::new_v4().to_string(),
        uuid::Uuid::new_v4().to_string(),
    );
    let mut found = Found::default();
    let report = &mut found;
    let mut principals: Vec<Principal> = Vec::new();
    for context in [Context::None, Context::Stale, Context::Empty] {
        for r in roles {
            principals.push(Principal::synthetic(context.clone(), &plan.impersonate, r));
        }
    }
    let user = Principal::user("user of A", &plan.impersonate, Some(&role), &a, &user_a);
    let other = Principal::user("user of B", &plan.impersonate, Some(&role), &b, &user_b);
    let role = user.role.clone().unwrap_or(role);
    principals.push(user.clone());
    report.principals = principals.iter().map(|p| p.name.clone()).collect();

    session::run(client, BEGIN)
        .await
        .map_err(|f| database(&f))?;
    let seeded_relations: &[TenantRelation] = if first { shared.all } else { relations };
    let result = async {
        let mut setup: Vec<String> = user.setup.iter().chain(&other.setup).cloned().collect();
        let setup_sql = setup.iter().map(|s| format!("{s};")).collect::<Vec<_>>().join("\n");
        let tenant_columns = &shared.tenant_columns;
        let users = HashMap::from([(a.clone(), user_a.clone()), (b.clone(), user_b.clone())]);
        let mut seeder = Seeder::new(client, catalog, tenant_columns, &plan.samples, users)
            .with_caller(seed::CallerWords::new(&plan.impersonate, &catalog.functions), &[&user, &other])
            .with_declared(plan.declared_tables.iter().cloned());
        let tables: Vec<_> = seeded_relations.iter().filter(|r| r.is_table()).map(|r| r.name.clone()).collect();
        let tenants = [a.clone(), b.clone()];
        // The setup may need rows of tables it does not write (a tenant row for a
        // membership): then those are seeded first, the setup run, and the rest
        // seeded after it, so that the setup's rows are the ones the user owns.
        let mut script: Vec<String> = Vec::new();
        let first_setup = run_setup(client, &setup_sql).await;
        transaction::ensure_open(client, "the impersonation setup").await?;
        let mut seeds = match first_setup {
            Ok(()) => {
                script.extend(setup.iter().map(|s| format!("{s};")));
                seed::seed_all(&mut seeder, &tables, &tenants).await
            }
            Err(_) => {
                let (later, first): (Vec<_>, Vec<_>) =
                    tables.iter().cloned().partition(|t| setup_sql.contains(&t.name));
                let mut seeds = seed::seed_all(&mut seeder, &first, &tenants).await;
                script.append(&mut seeds.script);
                let second_setup = run_setup(client, &setup_sql).await;
                transaction::ensure_open(client, "the impersonation setup").await?;
                match second_setup {
                    Ok(()) => script.extend(setup.iter().map(|s| format!("{s};"))),
                    Err(why) => {
                        report.warnings.push(format!(
                            "the impersonation setup failed even after seeding: {why}; user probes may be UNRELIABLE"
                        ));
                        setup.clear();
                    }
                }
                let rest = seed::seed_all(&mut seeder, &later, &tenants).await;
                seeds.rows.extend(rest.rows);
                seeds.problems.extend(rest.problems);
                seeds.script = rest.script;
                seeds
            }
        };
        if !seeder.as_user.is_empty() {
            let tables: Vec<String> = seeder.as_user.iter().map(|t| t.to_string()).collect();
            report.warnings.push(format!(
                "seeded {} as the tenants' users (the triggers read the caller): the request settings now exist on this connection, so the no-context principal runs with them empty",
                tables.join(", ")
            ));
        }
        let mut problems: Vec<_> = seeds.problems.values().cloned().collect();
        problems.sort();
        report.warnings.extend(problems);
        script.append(&mut seeds.script);
        if plan.refresh_materialized_views {
            for r in seeded_relations.iter().filter(|r| r.kind == RelationKind::MaterializedView) {
                let sql = format!("refresh materialized view {}", r.name.sql());
                if let Err(f) = session::run(client, &sql).await {
                    report.warnings.push(format!("cannot refresh {}: {}", r.name, f.message));
                } else {
                    script.push(format!("{sql};"));
                }
            }
        }
        let mut before = HashMap::new();
        let personal = vec![user_a.clone(), user_b.clone()];
        let truth_tenants: Vec<String> = tenants.iter().chain(&personal).cloned().collect();
        let tables: Vec<&TenantRelation> = seeded_relations.iter().filter(|r| r.is_table()).collect();
        for group in tables.chunks(100) {
            // A hundred reads a round trip; after an error, one at a time.
            let sql: Vec<String> = group.iter().map(|r| truth::snapshot_sql(r, &truth_tenants)).collect();
            let batch = format!("savepoint before; {};\nrelease savepoint before", sql.join(";\n"));
            let (statements, error) = session::run_batch(client, &batch).await;
            if error.is_none() && statements.len() == group.len() + 2 {
                for (r, done) in group.iter().zip(&statements[1..]) {
                    before.insert(r.name.clone(), truth::snapshot_rows(done));
                }
                continue;
            }
            if error.is_some() {
                let _ = session::run(client, "rollback to savepoint before; release savepoint before").await;
            }
            for (r, sql) in group.iter().zip(&sql) {
                if let Ok(s) = truth::snapshot(client, sql).await {
                    before.insert(r.name.clone(), s);
                }
            }
        }
        let privileges = Privileges::read(client, seeded_relations, roles, &role).await?;
        let mut client_roles: Vec<&str> = roles.iter().map(String::as_str).collect();
        if !client_roles.contains(&role.as_str()) {
            client_roles.push(&role);
        }
        for r in relations {
            if !client_roles.iter().any(|c| privileges.any(&r.name, c)) {
                report.not_probed.push(NotProbed {
                    relation: format!("{} {}", r.kind.word(), r.name),
                    reason: format!(
                        "no client role ({}) has a privilege on it, so no principal can reach it",
                        client_roles.join(", ")
                    ),
                });
            }
        }
        let mut matrix = Matrix {
            client,
            catalog,
            seeds: &seeds,
            seeder,
            script,
            a: a.clone(),
            b: b.clone(),
            other: &other,
            before,
            privileges,
            relations: seeded_relations,
            outcomes: Vec::new(),
            personal,
            lookups: Default::default(),
        };
        let mut unbecomable: Vec<String> = Vec::new();
        for principal in &principals {
            if principal.context == Context::Stale {
                make_stale(client, &user).await;
            }
            // A refused SET ROLE would read as "denied" everywhere: a silent all-clear.
            if let Some(role) = &principal.role
                && !can_become(client, principal.login.as_deref(), role).await
            {
                if !unbecomable.contains(role) {
                    report.warnings.push(match &principal.login {
                        None => format!(
                            "the connecting role cannot SET ROLE {role} (grant it membership, or connect as a superuser): the probes of {role} are UNRELIABLE"
                        ),
                        Some(login) => format!(
                            "cannot become {role} through the login {login} (connect as a superuser, so that SET SESSION AUTHORIZATION {login} works, and grant {role} to {login}): the probes of {role} are UNRELIABLE"
                        ),
                    });
                    unbecomable.push(role.clone());
                }
                for relation in relations {
                    matrix.unreliable(principal, relation, format!("cannot SET ROLE {role}"));
                }
                step(relations.len());
                continue;
            }
            for relation in relations {
                matrix.probe_all(principal, relation).await;
                step(1);
            }
        }
        report.outcomes.append(&mut matrix.outcomes);
        if let Some(others_done) = others_done {
            // Waiting idle in its transaction: a statement now and then keeps the
            // session under `idle_in_transaction_session_timeout`.
            let mut done = std::pin::pin!(others_done.notified());
            loop {
                tokio::select! {
                    () = &mut done => break,
                    () = tokio::time::sleep(std::time::Duration::from_secs(10)) => {
                        let _ = session::run(client, "select 1").await;
                    }
                }
            }
        }
        if first && !unbecomable.iter().any(|r| Some(r) == user.role.as_ref()) {
            matrix.membership_self_grant(&user).await;
            matrix.global_cascades(&user).await;
            let removed: Vec<String> = plan.impersonate.removed.iter().map(|v| user.fill(v)).collect();
            let mut warnings = matrix.removed_member(&user, &removed).await?;
            report.warnings.append(&mut warnings);
            let c = impersonate::tenant_value(tenant_type, 'c');
            let mut warnings = matrix.member_of_two(&user, &plan.impersonate.setup, &c).await?;
            report.warnings.append(&mut warnings);
            // A plan-time proof (`Plan::only`) decides the relations a change
            // widens; the functions are `rlsctl test`'s.
            if plan.only.is_none() {
                let functions = rpc::callable(client, &plan.schemas, &role, shared.all).await?;
                matrix
                    .call_functions(&user, &functions, &mut report.functions_not_probed)
                    .await;
            }
        }
        report.extras.append(&mut matrix.outcomes);
        Ok::<_, ProveError>(())
    }
    .await;
    let rolled_back = session::run(client, "rollback").await;
    result?;
    rolled_back.map_err(|f| database(&f))?;
    Ok(found)
}

async fn run_setup(client: &Client, sql: &str) -> Result<(), String> {
    if sql.is_empty() {
        return Ok(());
    }
    match session::run(
        client,
        &format!("savepoint setup; {sql}\nrelease savepoint setup"),
    )
    .await
    {
        Ok(_) => Ok(()),
        Err(f) => {
            let _ = session::run(
                client,
                "rollback to savepoint setup; release savepoint setup",
            )
            .await;
            Err(format!("{} (SQLSTATE {})", f.message, f.code))
        }
    }
}

/// Sets the user's context in a subtransaction that is rolled back, which
/// leaves the settings defined but empty: a pooled connection after a request.
async fn make_stale(client: &Client, user: &Principal) {
    let sql = format!(
        "savepoint stale; {} rollback to savepoint stale; release savepoint stale",
        user.become_sql()
    );
    let _ = session::run(client, &sql).await;
}

fn database(f: &session::Failure) -> ProveError {
    ProveError::Failed(format!("{} (SQLSTATE {})", f.message, f.code))
}

async fn role_exists(client: &Client, role: &str) -> Result<bool, tokio_postgres::Error> {
    let row = client
        .query_one(
            "select exists (select 1 from pg_catalog.pg_roles where rolname = $1)",
            &[&role],
        )
        .await?;
    Ok(row.get(0))
}

/// Whether the connecting role may `SET ROLE` to `role` (superusers may); with a
/// `login`, whether it may become the login and the login may `SET ROLE` to `role`.
async fn can_become(client: &Client, login: Option<&str>, role: &str) -> bool {
    let result = match login {
        None => {
            client
                .query_one(
                    "select exists (select 1 from pg_catalog.pg_roles where rolname = $1) \
                     and pg_catalog.pg_has_role(current_user, $1, 'MEMBER')",
                    &[&role],
                )
                .await
        }
        Some(login) => {
            client
                .query_one(
                    "select exists (select 1 from pg_catalog.pg_roles where rolname = $1) \
                     and exists (select 1 from pg_catalog.pg_roles where rolname = $2) \
                     and (select rolsuper from pg_catalog.pg_roles where rolname = session_user) \
                     and pg_catalog.pg_has_role($2, $1, 'MEMBER')",
                    &[&role, &login],
                )
                .await
        }
    };
    result.map(|r| r.get::<_, bool>(0)).unwrap_or(false)
}
