//! The plan-time proof (`cli::decide`), as users run `plan` and `apply`: a
//! widening of a tenant table's RLS or grants is decided by the isolation proof
//! on a dev database holding the declaration. Proven isolated: applied with no
//! flag, shown as "access widened within the tenant: proven"; a leak: refused
//! with its witness (the LEAK, its repro, the policies) unless
//! `--allow-rls-weakening`. Obvious narrowings need no proof at all.

mod support;

use std::path::Path;

use support::cli::{app_user_role, exists, rlsctl};

/// The declared tenant table: the generated isolation policy, a restrictive
/// policy, and the client role's grants.
const DOCS: &str = r#"
[schemas.app]
grants = { app_user = ["usage"] }

[tables.docs]
tenant = true
columns.id = { type = "uuid", primary_key = true, default = "gen_random_uuid()" }
columns.owner_id = { type = "uuid", nullable = true }
columns.title = { type = "text" }
grants = { app_user = ["select", "insert", "update", "delete"] }
"#;

const OWNED: &str = r#"
[[policy]]
table = "docs"
name = "owned"
mode = "restrictive"
roles = ["app_user"]
using = "owner_id is not null"
"#;

/// The target as the declaration of [`DOCS`] + [`OWNED`] builds it.
const DECLARED: &str = "
create schema app;
grant usage on schema app to app_user;
create table app.docs (tenant_id uuid not null, id uuid not null default gen_random_uuid() primary key, owner_id uuid, title text not null);
create index docs_tenant_id_idx on app.docs (tenant_id);
alter table app.docs enable row level security;
alter table app.docs force row level security;
create policy tenant_isolation on app.docs to app_user
  using (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid))
  with check (tenant_id = (select nullif(current_setting('app.tenant_id', true), '')::uuid));
create policy owned on app.docs as restrictive to app_user using (owner_id is not null);
grant select, insert, update, delete on app.docs to app_user;
";

/// A project with plain tenancy over `schema` and `policies`; its dev databases
/// (and the proof's) go to the test server.
fn project(db: &support::TestDatabase, schema: &str, policies: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "rlsctl.toml",
        &format!(
            r#"[project]
schemas = ["app"]
[database]
dev_url = "{}"
[roles]
app_user = {{}}
[tenancy]
column = "tenant_id"
type = "uuid"
current = "(select nullif(current_setting('app.tenant_id', true), '')::uuid)"
roles = ["app_user"]
[tenancy.impersonate]
role = "app_user"
settings = {{ "app.tenant_id" = "{{tenant}}", "app.user_id" = "{{user}}" }}
"#,
            db.url()
        ),
    );
    write("schema/app.toml", schema);
    write("policies/p.toml", policies);
    dir
}

async fn target(db: &support::TestDatabase, sql: &str) {
    app_user_role(db).await;
    db.client().batch_execute(sql).await.unwrap();
}

fn output(assert: &assert_cmd::assert::Assert) -> (String, String) {
    let out = assert.get_output();
    (
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn plan_json(dir: &Path, db: &support::TestDatabase) -> serde_json::Value {
    let out = rlsctl(dir, db, &["plan", "--format", "json"]).code(0);
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

/// Every hazard of a JSON plan, as (kind, proof verdict).
fn hazards(plan: &serde_json::Value) -> Vec<(String, Option<String>)> {
    plan["plan"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["hazards"].as_array().unwrap().iter())
        .map(|h| {
            (
                h["kind"].as_str().unwrap().to_string(),
                h["reason"]["proof"]["verdict"].as_str().map(str::to_string),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_drifted_database_converges_with_no_flag() {
    // The issue's drift: the restrictive policy was loosened to `using (true)`,
    // and the tenant_isolation policy and the grants are missing.
    let db = support::database().await;
    let drifted = DECLARED
        .replace("using (owner_id is not null)", "using (true)")
        .replace(
            "grant select, insert, update, delete on app.docs to app_user;",
            "",
        );
    let drifted = drifted
        .split_once("create policy tenant_isolation")
        .map(|(head, tail)| format!("{head}{}", tail.split_once(";\n").unwrap().1))
        .unwrap();
    target(&db, &drifted).await;
    let dir = project(&db, DOCS, OWNED);

    let plan = plan_json(dir.path(), &db);
    let found = hazards(&plan);
    assert!(!found.is_empty(), "{plan:#}");
    assert!(
        found
            .iter()
            .all(|(kind, verdict)| kind == "rls_widened" && verdict.as_deref() == Some("isolated")),
        "every hazard is a widening proven isolated: {found:?}"
    );
    let narrowed = plan["plan"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["object"] == "policy owned on app.docs")
        .expect("the restrictive policy changes");
    assert!(
        narrowed["hazards"].as_array().unwrap().is_empty(),
        "narrowing a restrictive policy is no hazard: {narrowed:#}"
    );

    let applied = rlsctl(dir.path(), &db, &["apply", "--yes"]).code(0);
    let (stdout, _) = output(&applied);
    assert!(
        stdout.contains("access widened within the tenant: proven"),
        "{stdout}"
    );
    assert!(stdout.contains("The target now matches"), "{stdout}");
    assert!(
        exists(
            &db,
            "select from pg_policies where tablename = 'docs' and policyname = 'tenant_isolation'"
        )
        .await
    );
}

#[tokio::test]
async fn a_declared_cross_tenant_read_is_refused_with_its_witness() {
    let db = support::database().await;
    target(&db, DECLARED).await;
    let opened = format!(
        "{OWNED}
[[policy]]
table = \"docs\"
name = \"everyone_reads\"
command = \"select\"
roles = [\"app_user\"]
using = \"true\"
"
    );
    let dir = project(&db, DOCS, &opened);

    let plan = plan_json(dir.path(), &db);
    assert_eq!(
        hazards(&plan),
        [("rls_widened".to_string(), Some("leaks".to_string()))],
        "{plan:#}"
    );
    let witness = &plan["plan"]["changes"][0]["hazards"][0]["reason"]["proof"]["witnesses"][0];
    assert!(
        witness["repro"].as_str().unwrap().contains("rollback;") && witness["probe"] == "read",
        "{witness:#}"
    );
    let refused = rlsctl(dir.path(), &db, &["apply", "--yes"]).code(1);
    let (stdout, stderr) = output(&refused);
    assert!(stdout.contains("! RLS leak:"), "{stdout}");
    assert!(
        stdout.contains("LEAK read on app.docs as user of A"),
        "{stdout}"
    );
    assert!(
        stdout.contains("repro of read as user of A (psql; rolls back):"),
        "{stdout}"
    );
    assert!(
        stdout.contains("everyone_reads"),
        "the policies are shown: {stdout}"
    );
    assert!(stderr.contains("found a leak"), "{stderr}");
    assert!(
        !exists(
            &db,
            "select from pg_policies where policyname = 'everyone_reads'"
        )
        .await,
        "nothing was applied"
    );
    // After review the flag still overrides the refusal.
    rlsctl(
        dir.path(),
        &db,
        &["apply", "--yes", "--allow-rls-weakening"],
    )
    .code(0);
    assert!(
        exists(
            &db,
            "select from pg_policies where policyname = 'everyone_reads'"
        )
        .await
    );
}

#[tokio::test]
async fn a_widening_within_the_tenant_passes_as_proven() {
    // The target limits each user to the rows they own; the declaration drops
    // that restriction: wider, but still within the tenant.
    let db = support::database().await;
    target(
        &db,
        &format!(
            "{DECLARED}
create policy own_rows on app.docs as restrictive to app_user
  using (owner_id = (select nullif(current_setting('app.user_id', true), '')::uuid));"
        ),
    )
    .await;
    let dir = project(&db, DOCS, OWNED);
    let plan = plan_json(dir.path(), &db);
    assert_eq!(
        hazards(&plan),
        [("rls_widened".to_string(), Some("isolated".to_string()))],
        "{plan:#}"
    );
    let human = rlsctl(dir.path(), &db, &["plan"]).code(0);
    let (stdout, _) = output(&human);
    assert!(
        stdout.contains("- policy own_rows on app.docs")
            && stdout.contains("! access widened within the tenant: proven:"),
        "{stdout}"
    );
    rlsctl(dir.path(), &db, &["apply", "--yes"]).code(0);
    assert!(!exists(&db, "select from pg_policies where policyname = 'own_rows'").await);
}

#[tokio::test]
async fn a_widening_of_a_table_without_tenancy_is_not_proven_and_needs_the_flag() {
    // Clean twin of the proof: a public table is no tenant relation, so a new
    // permissive policy there stays an RLS weakening the flag must allow.
    let db = support::database().await;
    target(
        &db,
        "create schema app; grant usage on schema app to app_user; create table app.notes (id int primary key, body text not null);
         alter table app.notes enable row level security; alter table app.notes force row level security;",
    )
    .await;
    let schema = r#"
[schemas.app]
grants = { app_user = ["usage"] }

[tables.notes]
public = "shared notes"
rls = true
columns.id = { type = "integer", primary_key = true }
columns.body = { type = "text" }
"#;
    let policies = r#"
[[policy]]
table = "notes"
name = "read_all"
command = "select"
roles = ["app_user"]
using = "true"
"#;
    let dir = project(&db, schema, policies);
    let plan = plan_json(dir.path(), &db);
    assert_eq!(
        hazards(&plan),
        [("rls_weakened".to_string(), None)],
        "{plan:#}"
    );
    rlsctl(dir.path(), &db, &["apply", "--yes"]).code(1);
    rlsctl(
        dir.path(),
        &db,
        &["apply", "--yes", "--allow-rls-weakening"],
    )
    .code(0);
}

#[tokio::test]
async fn a_vacuous_proof_proves_nothing_and_needs_the_flag() {
    // Twin of the widening within the tenant: without USAGE on the schema the
    // user of A cannot reach even its own rows (DENY-ALL), so the proof shows
    // nothing and the widening stays a weakening.
    let db = support::database().await;
    let declared = DECLARED.replace("grant usage on schema app to app_user;\n", "");
    target(
        &db,
        &format!(
            "{declared}
create policy own_rows on app.docs as restrictive to app_user
  using (owner_id = (select nullif(current_setting('app.user_id', true), '')::uuid));"
        ),
    )
    .await;
    let schema = DOCS.replace("[schemas.app]\ngrants = { app_user = [\"usage\"] }\n", "");
    let dir = project(&db, &schema, OWNED);
    let plan = plan_json(dir.path(), &db);
    assert_eq!(
        hazards(&plan),
        [("rls_widened".to_string(), Some("needed".to_string()))],
        "{plan:#}"
    );
    let refused = rlsctl(dir.path(), &db, &["apply", "--yes"]).code(1);
    let (stdout, _) = output(&refused);
    assert!(
        stdout.contains("! RLS widened:")
            && stdout.contains("not proven:")
            && stdout.contains("DENY-ALL"),
        "{stdout}"
    );
    assert!(exists(&db, "select from pg_policies where policyname = 'own_rows'").await);
}
