//! The declared audit trail on real PostgreSQL (`tests/cases/audit_trail/project`):
//! an update by a user of tenant A is recorded with A's actor, the caller's role and
//! A's tenant; users read only their tenant's entries, and only as the declared
//! readers; clients can neither forge, alter nor erase entries, nor attach the
//! trigger function to a table of their own; entries outlive the audited row; and the
//! SECURITY DEFINER function records the caller, never its owner, also when its owner
//! is an ordinary role under FORCE ROW LEVEL SECURITY.

mod support;

use std::path::Path;

use rlsctl::spec::Declaration;
use rlsctl::{ddl, spec};
use serde_json::json;
use tokio_postgres::Client;

const A: &str = "00000000-0000-0000-0000-00000000000a";
const B: &str = "00000000-0000-0000-0000-00000000000b";
const PROJECT_A: &str = "00000000-0000-0000-0000-0000000000a1";
const PROJECT_B: &str = "00000000-0000-0000-0000-0000000000b1";

fn project_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/audit_trail/project")
}

fn declaration() -> Declaration {
    let loaded = spec::load(&project_dir()).unwrap_or_else(|f| panic!("load: {:?}", f.diagnostics));
    spec::validate(&loaded)
        .declaration
        .expect("the project validates")
}

/// A database holding the declaration and one project per tenant (inserted by the
/// owner, so already audited once each).
async fn database() -> support::TestDatabase {
    let declaration = declaration();
    let db = support::database().await;
    let roles = ddl::roles_script(&declaration);
    let script = ddl::render(&declaration).to_sql();
    db.client()
        .batch_execute(&format!("BEGIN; {roles} COMMIT; BEGIN; {script} COMMIT;"))
        .await
        .unwrap_or_else(|e| panic!("build: {}", rlsctl::error::error_chain(&e)));
    db.client()
        .batch_execute(&format!(
            "insert into app.projects (id, tenant_id, name, secret) values
               ('{PROJECT_A}', '{A}', 'a', 'sa'), ('{PROJECT_B}', '{B}', 'b', 'sb');"
        ))
        .await
        .unwrap();
    db
}

/// Begins a transaction acting as user `user` of `tenant` with membership `role`.
async fn become_user(client: &Client, tenant: &str, user: &str, role: &str) {
    client
        .batch_execute(&format!(
            "BEGIN; SET LOCAL ROLE app_user;
             select set_config('app.tenant_id', '{tenant}', true),
                    set_config('app.user_id', '{user}', true),
                    set_config('app.member_role', '{role}', true);"
        ))
        .await
        .unwrap();
}

/// The SQLSTATE of running `sql` as a user of A (in a transaction rolled back).
async fn sqlstate_as_a(client: &Client, sql: &str) -> Option<String> {
    become_user(client, A, "alice", "owner").await;
    let result = client.batch_execute(sql).await;
    client.batch_execute("ROLLBACK").await.unwrap();
    result
        .err()
        .and_then(|e| e.code().map(|c| c.code().to_string()))
}

/// Every entry, read by the owner: (tenant, actor, caller, action, table, key, old, new).
async fn entries(client: &Client) -> Vec<serde_json::Value> {
    client
        .query(
            "select json_build_object('tenant', tenant_id, 'actor', actor, 'caller', caller,
                    'action', action, 'table', table_name, 'key', row_key,
                    'old', old_values, 'new', new_values, 'txid', txid)
               from app.audit_trail order by id",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test]
async fn an_update_by_a_user_of_a_is_recorded_with_a_s_actor_caller_and_tenant() {
    let db = database().await;
    let client = db.client();
    become_user(client, A, "alice", "member").await;
    let updated = client
        .execute(
            "update app.projects set name = 'renamed', secret = 'changed' where true",
            &[],
        )
        .await
        .unwrap();
    assert_eq!(updated, 1, "the user of A updates A's project only");
    let txid: i64 = client
        .query_one("select txid_current()", &[])
        .await
        .unwrap()
        .get(0);
    client.batch_execute("COMMIT").await.unwrap();

    let all = entries(client).await;
    let updates: Vec<&serde_json::Value> = all.iter().filter(|e| e["action"] == "UPDATE").collect();
    assert_eq!(updates.len(), 1, "one update entry: {all:#?}");
    let entry = updates[0];
    assert_eq!(entry["tenant"], A);
    assert_eq!(entry["actor"], "alice");
    assert_eq!(
        entry["caller"], "app_user",
        "the caller's role, not the definer"
    );
    assert_eq!(entry["table"], "app.projects");
    assert_eq!(entry["key"], json!({ "id": PROJECT_A }));
    // The excluded column is never recorded, only what changed is.
    assert_eq!(entry["old"], json!({ "name": "a" }));
    assert_eq!(entry["new"], json!({ "name": "renamed" }));
    assert_eq!(entry["txid"], txid);
    let inserts = all.iter().filter(|e| e["action"] == "INSERT").count();
    assert_eq!(inserts, 2, "the owner's seeding is audited too: {all:#?}");
}

#[tokio::test]
async fn only_recorded_columns_are_kept_and_an_unrecorded_change_leaves_empty_values() {
    let db = database().await;
    let client = db.client();
    become_user(client, A, "alice", "member").await;
    client
        .batch_execute(&format!(
            "insert into app.notes (tenant_id, body, pinned) values ('{A}', 'hello', false);
             update app.notes set pinned = true;"
        ))
        .await
        .unwrap();
    client.batch_execute("COMMIT").await.unwrap();
    let notes: Vec<serde_json::Value> = entries(client)
        .await
        .into_iter()
        .filter(|e| e["table"] == "app.notes")
        .collect();
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert_eq!(notes[0]["new"], json!({ "body": "hello" }));
    assert_eq!(notes[1]["action"], "UPDATE");
    assert_eq!(notes[1]["old"], json!({}));
    assert_eq!(notes[1]["new"], json!({}));
}

#[tokio::test]
async fn a_user_of_a_reads_only_a_s_entries_and_only_as_a_declared_reader() {
    let db = database().await;
    let client = db.client();
    become_user(client, A, "alice", "admin").await;
    let tenants: Vec<String> = client
        .query("select tenant_id::text from app.audit_trail", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    client.batch_execute("ROLLBACK").await.unwrap();
    assert_eq!(
        tenants,
        vec![A.to_string()],
        "an admin of A sees A's entries only"
    );

    become_user(client, A, "alice", "member").await;
    let seen: i64 = client
        .query_one("select count(*) from app.audit_trail", &[])
        .await
        .unwrap()
        .get(0);
    client.batch_execute("ROLLBACK").await.unwrap();
    assert_eq!(
        seen, 0,
        "a member who is not an owner or admin reads nothing"
    );

    become_user(client, A, "alice", "owner").await;
    let of_b: i64 = client
        .query_one(
            &format!("select count(*) from app.audit_trail where tenant_id = '{B}'"),
            &[],
        )
        .await
        .unwrap()
        .get(0);
    client.batch_execute("ROLLBACK").await.unwrap();
    assert_eq!(of_b, 0, "B's entries stay hidden from A's owner");
}

#[tokio::test]
async fn clients_cannot_forge_alter_or_erase_entries() {
    let db = database().await;
    let client = db.client();
    let denied = Some("42501".to_string());
    for tenant in [A, B] {
        let forged = format!(
            "insert into app.audit_trail (tenant_id, actor, caller, action, table_name, row_key)
             values ('{tenant}', 'mallory', 'app_user', 'DELETE', 'app.projects', '{{}}')"
        );
        assert_eq!(
            sqlstate_as_a(client, &forged).await,
            denied,
            "a forged entry for {tenant}"
        );
    }
    for sql in [
        "update app.audit_trail set actor = 'mallory'",
        "delete from app.audit_trail",
        "truncate app.audit_trail",
    ] {
        assert_eq!(sqlstate_as_a(client, sql).await, denied, "{sql}");
    }
    // Nor can a client attach the definer function to a table of its own, whose
    // rows would then be written to the log as any tenant's.
    let attach = format!(
        "create temporary table mine (id uuid primary key, tenant_id uuid);
         create trigger forge after insert on mine for each row
           execute function app.audit_trail_record('tenant_id', '[\"id\"]', '[\"id\"]');
         insert into mine values (gen_random_uuid(), '{B}');"
    );
    assert_eq!(sqlstate_as_a(client, &attach).await, denied, "{attach}");
    assert_eq!(
        entries(client).await.len(),
        2,
        "only the seeding's two entries exist"
    );
}

#[tokio::test]
async fn entries_survive_the_deletion_of_the_audited_row() {
    let db = database().await;
    let client = db.client();
    become_user(client, A, "alice", "member").await;
    assert_eq!(
        client
            .execute("delete from app.projects", &[])
            .await
            .unwrap(),
        1
    );
    client.batch_execute("COMMIT").await.unwrap();
    let left: i64 = client
        .query_one(
            &format!("select count(*) from app.projects where id = '{PROJECT_A}'"),
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
    let of_row: Vec<serde_json::Value> = entries(client)
        .await
        .into_iter()
        .filter(|e| e["key"] == json!({ "id": PROJECT_A }))
        .collect();
    let actions: Vec<&str> = of_row.iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["INSERT", "DELETE"], "{of_row:#?}");
    assert_eq!(of_row[1]["old"]["name"], "a");
    assert_eq!(of_row[1]["actor"], "alice");
}

#[tokio::test]
async fn the_definer_records_the_caller_also_when_it_is_an_ordinary_role_under_force() {
    let db = database().await;
    let client = db.client();
    // The log and its function owned by a role without superuser or BYPASSRLS: the
    // definer's insert then goes through FORCE ROW LEVEL SECURITY and the append
    // policy, and `current_user` inside the function is that owner.
    let owner = format!(
        "trail_owner_{}",
        db.name().replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    );
    client
        .batch_execute(&format!(
            "create role {owner} nologin nosuperuser nobypassrls;
             grant usage on schema app to {owner};
             alter table app.audit_trail owner to {owner};
             alter function app.audit_trail_record() owner to {owner};"
        ))
        .await
        .unwrap();
    become_user(client, A, "alice", "member").await;
    client
        .batch_execute("update app.projects set name = 'by alice'")
        .await
        .unwrap();
    client.batch_execute("COMMIT").await.unwrap();
    let update: Vec<serde_json::Value> = entries(client)
        .await
        .into_iter()
        .filter(|e| e["action"] == "UPDATE")
        .collect();
    assert_eq!(update.len(), 1, "{update:#?}");
    assert_eq!(update[0]["caller"], "app_user");
    assert_ne!(update[0]["caller"], owner.as_str());
    assert_eq!(update[0]["actor"], "alice");
    // Outside a trigger, even the owner cannot append under FORCE.
    let direct = client
        .batch_execute(&format!(
            "BEGIN; SET LOCAL ROLE {owner};
             insert into app.audit_trail (tenant_id, caller, action, table_name, row_key)
             values ('{A}', 'x', 'UPDATE', 'app.projects', '{{}}');"
        ))
        .await;
    client.batch_execute("ROLLBACK").await.unwrap();
    let code = direct
        .err()
        .and_then(|e| e.code().map(|c| c.code().to_string()));
    assert_eq!(
        code.as_deref(),
        Some("42501"),
        "the append policy admits triggers only"
    );
    client
        .batch_execute(&format!(
            "alter table app.audit_trail owner to current_user;
             alter function app.audit_trail_record() owner to current_user;
             revoke usage on schema app from {owner}; drop role {owner};"
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_isolation_proof_covers_the_log_and_proves_it() {
    let db = database().await;
    let assert = support::cli::rlsctl(&project_dir(), &db, &["test"]).success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    let row = stdout
        .lines()
        .find(|l| l.contains("table app.audit_trail") && l.contains('│'))
        .unwrap_or_else(|| panic!("the log is not in the access matrix:\n{stdout}"));
    assert_eq!(
        row.matches("PASS").count(),
        4,
        "every principal passes: {row}"
    );
    assert!(
        stdout.contains("3 of 3 tenant relations proven"),
        "{stdout}"
    );
}

/// The integrity probes' lines of `rlsctl test`, after the run on `db`.
fn probe_lines(db: &support::TestDatabase, success: bool) -> (Vec<String>, String) {
    let assert = support::cli::rlsctl(&project_dir(), db, &["test"]);
    let assert = if success {
        assert.success()
    } else {
        assert.failure()
    };
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    let lines = stdout
        .lines()
        .filter(|l| l.contains("audit trail app.audit_trail: "))
        .map(str::to_string)
        .collect();
    (lines, stdout)
}

#[tokio::test]
async fn rlsctl_test_runs_the_integrity_probes_and_they_pass_on_the_declared_trail() {
    let db = database().await;
    let (lines, stdout) = probe_lines(&db, true);
    for probe in [
        "a user of A cannot read B's entries",
        "a user of A cannot forge an entry for A",
        "a user of A cannot forge an entry for B",
        "a user of A cannot update any entry",
        "a user of A cannot delete any entry",
        "a user of A cannot truncate any entry",
        "an update by A is recorded with A's actor and tenant",
    ] {
        assert!(
            lines.iter().any(|l| l.contains(probe) && l.contains("ok")),
            "{probe} did not pass:\n{stdout}"
        );
    }
    // Nothing the probes did was committed.
    assert_eq!(entries(db.client()).await.len(), 2, "{stdout}");
}

/// A broken twin: the declared trail altered on the database, then `rlsctl test`.
async fn tampered(sql: &str) -> (Vec<String>, String) {
    let db = database().await;
    db.client()
        .batch_execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{}: {sql}", rlsctl::error::error_chain(&e)));
    probe_lines(&db, false)
}

fn failed<'a>(lines: &'a [String], probe: &str) -> Option<&'a String> {
    lines
        .iter()
        .find(|l| l.contains(probe) && l.contains("FAIL"))
}

#[tokio::test]
async fn a_log_readable_across_tenants_fails_the_read_probe() {
    let (lines, stdout) = tampered(
        "create policy everyone_reads on app.audit_trail for select to app_user using (true);",
    )
    .await;
    assert!(
        failed(&lines, "cannot read B's entries").is_some(),
        "{stdout}"
    );
    assert!(
        failed(&lines, "cannot forge an entry for B").is_none(),
        "{stdout}"
    );
}

#[tokio::test]
async fn a_log_clients_can_write_fails_the_forge_update_and_delete_probes() {
    let (lines, stdout) = tampered(
        "grant insert, update, delete, truncate on app.audit_trail to app_user;
         create policy anything on app.audit_trail for all to app_user using (true) with check (true);",
    )
    .await;
    for probe in [
        "cannot forge an entry for A",
        "cannot forge an entry for B",
        "cannot update any entry",
        "cannot delete any entry",
        "cannot truncate any entry",
    ] {
        assert!(failed(&lines, probe).is_some(), "{probe}:\n{stdout}");
    }
}

#[tokio::test]
async fn a_definer_recording_current_user_fails_the_actor_probe() {
    // The hand-written mistake: the definer's own current_user as the caller,
    // and no actor.
    let (lines, stdout) = tampered(
        r#"create or replace function app.audit_trail_record() returns trigger
             language plpgsql security definer set search_path = '' as $$
           begin
             insert into app.audit_trail (tenant_id, actor, caller, action, table_name, row_key)
             values ((pg_catalog.to_jsonb(coalesce(new, old)) ->> tg_argv[0])::uuid, null, current_user, tg_op,
                     pg_catalog.format('%I.%I', tg_table_schema, tg_table_name),
                     pg_catalog.jsonb_build_object('id', pg_catalog.to_jsonb(coalesce(new, old)) -> 'id'));
             return null;
           end $$;"#,
    )
    .await;
    let line = failed(&lines, "an update by A is recorded").unwrap_or_else(|| panic!("{stdout}"));
    assert!(line.contains("audit trail"), "{stdout}");
    assert!(stdout.contains("not A's actor"), "{stdout}");
    assert!(stdout.contains("the caller is the definer"), "{stdout}");
}

fn rlsctl_in(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("rlsctl"))
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("RLSCTL_NO_CACHE", "1")
        .env_remove("DATABASE_URL")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn shown(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn auditing_on_and_off_through_migrate_new_is_hazard_flagged_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("schema")).unwrap();
    for file in ["rlsctl.toml", "schema/app.toml"] {
        std::fs::copy(project_dir().join(file), dir.path().join(file)).unwrap();
    }
    let schema = std::fs::read_to_string(dir.path().join("schema/app.toml")).unwrap();
    let init = rlsctl_in(dir.path(), &["migrate", "new", "init"]);
    assert!(init.status.success(), "{}", shown(&init));
    let v1 = std::fs::read_to_string(dir.path().join("migrations/V1__init.sql")).unwrap();
    assert!(v1.contains("SECURITY DEFINER"), "{v1}");
    assert!(v1.contains("CREATE TRIGGER audit_trail"), "{v1}");

    // Off for notes: the trail of notes stops, refused without the flag.
    std::fs::write(
        dir.path().join("schema/app.toml"),
        schema.replace("audit = { columns = [\"body\"] }", "audit = false"),
    )
    .unwrap();
    let refused = rlsctl_in(dir.path(), &["migrate", "new", "stop_notes"]);
    assert_eq!(refused.status.code(), Some(1), "{}", shown(&refused));
    assert!(
        shown(&refused).contains("--allow-destructive"),
        "{}",
        shown(&refused)
    );
    assert!(!dir.path().join("migrations/V2__stop_notes.sql").exists());
    let allowed = rlsctl_in(
        dir.path(),
        &["migrate", "new", "stop_notes", "--allow-destructive"],
    );
    assert!(allowed.status.success(), "{}", shown(&allowed));
    let v2 = std::fs::read_to_string(dir.path().join("migrations/V2__stop_notes.sql")).unwrap();
    assert!(v2.contains("DROP TRIGGER audit_trail ON app.notes"), "{v2}");
    assert!(v2.contains("-- rlsctl:reviewed destructive"), "{v2}");
    assert!(
        !v2.contains("ON app.projects"),
        "projects stays audited: {v2}"
    );

    // On again: an ordinary change, no hazard.
    std::fs::write(dir.path().join("schema/app.toml"), &schema).unwrap();
    let on = rlsctl_in(dir.path(), &["migrate", "new", "audit_notes"]);
    assert!(on.status.success(), "{}", shown(&on));
    let v3 = std::fs::read_to_string(dir.path().join("migrations/V3__audit_notes.sql")).unwrap();
    assert!(v3.contains("CREATE TRIGGER audit_trail"), "{v3}");
    assert!(v3.contains("-- hazards: none"), "{v3}");

    // The history replays to the declaration, and its proof and audit pass.
    let verify = rlsctl_in(dir.path(), &["verify"]);
    assert!(verify.status.success(), "{}", shown(&verify));
}
