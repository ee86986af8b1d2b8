//! `rlsctl test` as users run it: exit codes, human, JSON and JUnit output,
//! `--database-url` with only `[tenancy]`, `--fail-on side-channel`,
//! `--allow-unreliable`, grouped findings, and the examples against a target
//! that already holds their rows.

mod support;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn case(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases/prove")
        .join(name)
}

/// A database holding the case's schema, and its URL.
async fn target(name: &str) -> (support::TestDatabase, String) {
    let db = support::database().await;
    let schema = std::fs::read_to_string(case(name).join("schema.sql")).unwrap();
    db.client().batch_execute(&schema).await.unwrap();
    let url = db.url();
    (db, url)
}

fn rlsctl(project: &Path, url: &str) -> Command {
    let mut cmd = Command::cargo_bin("rlsctl").unwrap();
    cmd.arg("-C")
        .arg(project)
        .arg("test")
        .arg("--database-url")
        .arg(url);
    cmd
}

#[tokio::test]
async fn a_leak_exits_1_with_scope_matrix_and_repro() {
    let (_db, url) = target("L10_truncate_granted").await;
    let junit = tempfile::NamedTempFile::new().unwrap();
    let out = rlsctl(&case("L10_truncate_granted"), &url)
        .arg("--junit")
        .arg(junit.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let scope = stdout.find("Scope").expect("scope printed");
    let leak = stdout
        .find("LEAK  table app.docs as user of A: truncate")
        .expect("the leak");
    assert!(scope < leak, "the scope comes first");
    assert!(stdout.contains("Access matrix"));
    assert!(stdout.contains("repro (psql; rolls back):"));
    assert!(stdout.contains("revoke truncate on app.docs from app_user"));
    let xml = std::fs::read_to_string(junit.path()).unwrap();
    assert!(xml.contains("<testsuite name=\"isolation proof\""));
    assert!(xml.contains("<failure message=\"LEAK"));
}

/// A checksum of every row of every table in `app`.
async fn checksum(client: &tokio_postgres::Client) -> String {
    let tables = client
        .query(
            "select format('%I.%I', schemaname, tablename) from pg_tables where schemaname = 'app' order by 1",
            &[],
        )
        .await
        .unwrap();
    let mut sums = Vec::new();
    for t in tables {
        let name: String = t.get(0);
        let sql = format!(
            "select '{name}' || md5(coalesce(string_agg(r::text, ',' order by r::text), '')) from {name} r"
        );
        sums.push(
            client
                .query_one(&sql, &[])
                .await
                .unwrap()
                .get::<_, String>(0),
        );
    }
    sums.join("\n")
}

#[tokio::test]
async fn the_target_is_byte_identical_after_a_leaking_run() {
    let (db, url) = target("L18_cascade_across_tenants").await;
    db.client()
        .batch_execute(
            "insert into app.docs (tenant_id, title) values (gen_random_uuid(), 'existing');
             insert into app.comments (tenant_id, doc_id, body) select tenant_id, id, 'c' from app.docs;",
        )
        .await
        .unwrap();
    let before = checksum(db.client()).await;
    let out = rlsctl(&case("L18_cascade_across_tenants"), &url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the case leaks");
    assert_eq!(checksum(db.client()).await, before);
}

#[tokio::test]
async fn a_clean_database_exits_0_and_json_lists_every_probe() {
    let (_db, url) = target("L10_truncate_granted_clean").await;
    let out = rlsctl(&case("L10_truncate_granted_clean"), &url)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let outcomes = json["outcomes"].as_array().unwrap();
    assert!(outcomes.len() > 10);
    assert!(outcomes.iter().all(|o| o["verdict"] == "PASS"));
    assert_eq!(json["scope"]["relations"][0], "table app.docs (tenant_id)");
    let summary = &json["summary"];
    assert_eq!(summary["passed"], true);
    assert_eq!(
        (&summary["proven"], &summary["relations"]),
        (&1.into(), &1.into())
    );
    assert_eq!(summary["probes"], outcomes.len());
    assert_eq!(summary["verdicts"]["PASS"], outcomes.len());
    assert_eq!(json["not_probed"], serde_json::json!([]));
}

#[tokio::test]
async fn side_channels_fail_only_when_asked() {
    let (_db, url) = target("L16_unique_oracle").await;
    let project = case("L16_unique_oracle");
    let out = rlsctl(&project, &url).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("SIDE-CHANNEL"));
    let out = rlsctl(&project, &url)
        .args(["--fail-on", "side-channel"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_root_project_passes_in_a_fresh_dev_database() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::cargo_bin("rlsctl")
        .unwrap()
        .arg("-C")
        .arg(root)
        .arg("test")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Policy tests: 15/15 passed"), "{stdout}");
    assert!(stdout.contains("table app.projects (tenant_id)"));
}

#[test]
fn the_supabase_example_passes_in_a_fresh_dev_database() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/supabase");
    let out = Command::cargo_bin("rlsctl")
        .unwrap()
        .arg("-C")
        .arg(project)
        .arg("test")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("user of A"));
}

#[tokio::test]
async fn unreliable_exits_1_unless_allowed() {
    let db = support::database().await;
    db.client()
        .batch_execute(
            "do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
             create schema app; grant usage on schema app to app_user;
             create table app.codes (id uuid primary key default gen_random_uuid(), tenant_id uuid not null,
                 code text not null check (md5(code) = '900150983cd24fb0d6963f7d28e17f72'));
             alter table app.codes enable row level security;
             create policy codes_tenant on app.codes to app_user
                 using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
             grant select, insert, update, delete on app.codes to app_user;",
        )
        .await
        .unwrap();
    let project = case("L01_rls_disabled");
    let out = rlsctl(&project, &db.url()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("UNRELIABLE verdict(s)"), "{stdout}");
    // Probes that proved nothing never read as a pass.
    assert!(
        stdout.contains("\nFAILED (") && !stdout.contains("\nok"),
        "{stdout}"
    );
    assert!(
        stdout.contains("0 of 1 tenant relations proven"),
        "{stdout}"
    );
    let out = rlsctl(&project, &db.url())
        .arg("--allow-unreliable")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("\nok: 0 of 1 tenant relations proven"),
        "{stdout}"
    );
}

#[tokio::test]
async fn leaks_of_one_cause_are_one_finding_with_one_seed_script_and_no_colour_in_a_pipe() {
    let (_db, url) = target("L01_rls_disabled").await;
    let out = rlsctl(&case("L01_rls_disabled"), &url)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let leaks = json["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["verdict"] == "LEAK")
        .count();
    assert!(leaks >= 10, "{leaks} leaks");
    assert_eq!(json["summary"]["passed"], false);
    assert_eq!(json["summary"]["verdicts"]["LEAK"], leaks);

    let out = rlsctl(&case("L01_rls_disabled"), &url).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stdout.contains('\u{1b}'), "no colour when not a terminal");
    let lines = stdout.lines().count();
    let seeds = stdout
        .matches("-- seed two tenants (as the connecting role)")
        .count();
    let findings = stdout.matches("\nLEAK  table app.docs").count();
    assert_eq!(findings, 1, "one finding for one cause:\n{stdout}");
    assert_eq!(seeds, 1, "the seed script once:\n{stdout}");
    assert!(
        stdout.contains("fix: alter table app.docs enable row level security"),
        "{stdout}"
    );
    assert!(
        lines < 40 + 2 * leaks,
        "{lines} lines for {leaks} leaks:\n{stdout}"
    );
}

/// The example project's declaration built into a fresh database, as a staging target.
async fn staging(project: &Path, data: &str) -> support::TestDatabase {
    let db = support::database().await;
    let loaded = rlsctl::spec::load(project).expect("load");
    let declaration = rlsctl::spec::validate(&loaded)
        .declaration
        .expect("the example validates");
    rlsctl::desired::build(db.client(), &declaration)
        .await
        .expect("build the example");
    db.client().batch_execute(data).await.expect("staging data");
    db
}

/// The example's tests pass twice in a row against a target already holding their rows.
/// `tests` counts the audit trail's generated tests, which `--tests-only` (no
/// proof) does not run; `hand_written` is the rest.
fn passes_twice(project: &Path, url: &str, tests: usize, hand_written: usize) {
    for (args, tests) in [(&[][..], tests), (&["--tests-only"][..], hand_written)] {
        let out = rlsctl(project, url).args(args).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains(&format!("Policy tests: {tests}/{tests} passed")),
            "{stdout}"
        );
    }
}

#[tokio::test]
async fn the_root_project_tests_pass_on_a_target_that_holds_their_rows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let db = staging(
        root,
        "insert into app.plans (id, name, monthly_price_cents) values ('free', 'Free', 0), ('team', 'Team', 900);
         insert into app.tenants (id, name) values ('00000000-0000-0000-0000-00000000000a', 'A'), ('00000000-0000-0000-0000-00000000000b', 'B');
         insert into app.users (id, email) values ('00000000-0000-0000-0000-0000000000a1', 'alice@a.test');",
    )
    .await;
    passes_twice(root, &db.url(), 15, 8);
}

#[tokio::test]
async fn the_supabase_example_tests_pass_on_a_target_that_holds_their_rows() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/supabase");
    let db = staging(
        &project,
        "insert into public.plans values ('free', 'Free', 0), ('pro', 'Pro', 2900), ('team', 'Team', 900);
         insert into public.organizations (id, name) values ('00000000-0000-0000-0000-0000000000c1', 'O1');",
    )
    .await;
    passes_twice(&project, &db.url(), 14, 7);
}
