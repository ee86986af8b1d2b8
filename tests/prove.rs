//! The isolation proof and the hand-written tests through the library, on real
//! PostgreSQL: expectations, failure output, scope refusal, and that nothing
//! is ever committed.

mod support;

use rlsctl::prove::{self, Plan, Verdict};
use rlsctl::spec::declaration::{Expectation, Identity, Impersonation, PolicyTest};

const SCHEMA: &str = "
do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create table app.docs (id bigint generated always as identity primary key, tenant_id uuid not null, title text not null);
alter table app.docs enable row level security;
create policy docs_tenant on app.docs to app_user
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
create policy docs_delete_any on app.docs for delete to app_user using (true);
grant select, insert, update, delete on app.docs to app_user;
insert into app.docs (tenant_id, title) values
    ('00000000-0000-0000-0000-00000000000a', 'a1'), ('00000000-0000-0000-0000-00000000000b', 'b1');
";

fn plan() -> Plan {
    let alice = Impersonation {
        role: Some("app_user".into()),
        settings: vec![(
            "app.tenant_id".into(),
            "00000000-0000-0000-0000-00000000000a".into(),
        )],
        ..Impersonation::default()
    };
    let test = |name: &str, query: &str, expect: Expectation| PolicyTest {
        name: name.into(),
        identity: "alice".into(),
        setup: vec![],
        query: query.into(),
        expect,
        location: "policies/tests.toml:1".into(),
    };
    Plan {
        schemas: vec!["app".into()],
        tenant_column: "tenant_id".into(),
        roles: vec!["app_user".into()],
        impersonate: Impersonation {
            role: Some("app_user".into()),
            settings: vec![("app.tenant_id".into(), "{tenant}".into())],
            ..Impersonation::default()
        },
        identities: vec![Identity {
            name: "alice".into(),
            impersonation: alice,
        }],
        tests: vec![
            test(
                "rows",
                "select title from app.docs",
                Expectation::Rows(vec![vec!["a1".into()]]),
            ),
            test("count", "select * from app.docs", Expectation::Count(1)),
            test(
                "affected",
                "update app.docs set title = title",
                Expectation::Affected(1),
            ),
            test(
                "error",
                "insert into app.docs (tenant_id, title) values ('00000000-0000-0000-0000-00000000000b', 'x')",
                Expectation::Error("42501".into()),
            ),
            test(
                "wrong count",
                "select * from app.docs",
                Expectation::Count(2),
            ),
        ],
        prove: true,
        ..Plan::default()
    }
}

/// A tenant table whose CHECK the seeder cannot satisfy without a sample.
const UNSEEDABLE: &str = "
do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app; grant usage on schema app to app_user;
create table app.codes (id uuid primary key default gen_random_uuid(), tenant_id uuid not null,
    code text not null check (md5(code) = '900150983cd24fb0d6963f7d28e17f72'));
alter table app.codes enable row level security;
create policy codes_tenant on app.codes to app_user
    using (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
grant select, insert, update, delete on app.codes to app_user;
";

/// Every row of every table in `app`, as text, in a stable order.
async fn data(client: &tokio_postgres::Client) -> String {
    let row = client
        .query_one(
            "select string_agg(t, E'\\n' order by t) from (select to_jsonb(d)::text t from app.docs d) s",
            &[],
        )
        .await
        .expect("read data");
    row.get(0)
}

#[tokio::test]
async fn hand_written_tests_check_rows_count_affected_and_sqlstate() {
    let db = support::database().await;
    db.client().batch_execute(SCHEMA).await.unwrap();
    let report = prove::run(db.client(), &plan(), &|_, _| {}).await.unwrap();
    let by_name = |n: &str| report.tests.iter().find(|t| t.name == n).unwrap();
    for name in ["rows", "count", "affected", "error"] {
        assert!(by_name(name).passed, "{name}: {:?}", by_name(name));
    }
    let wrong = by_name("wrong count");
    assert!(!wrong.passed);
    assert_eq!(wrong.expected, "2 row(s)");
    assert_eq!(wrong.got, "1 row(s)");
    assert!(!report.summary.passed, "a failed test fails the run");
}

#[tokio::test]
async fn unqualified_delete_using_true_is_a_leak_and_nothing_is_committed() {
    let db = support::database().await;
    db.client().batch_execute(SCHEMA).await.unwrap();
    let before = data(db.client()).await;
    let report = prove::run(db.client(), &plan(), &|_, _| {}).await.unwrap();
    let leak = report
        .outcomes
        .iter()
        .find(|o| o.verdict == Verdict::Leak && o.probe.name() == "delete-all")
        .expect("DELETE FROM docs reaches tenant B");
    assert!(
        leak.repro
            .as_ref()
            .unwrap()
            .script()
            .contains("delete from app.docs")
    );
    assert!(
        leak.repro
            .as_ref()
            .unwrap()
            .script()
            .trim_end()
            .ends_with("rollback;")
    );
    assert!(
        !leak.reached.is_empty(),
        "the rows of B it reached are shown"
    );
    assert!(leak.fix.is_some());
    let plain = rlsctl::report::prove::human(&report, false);
    let coloured = rlsctl::report::prove::human(&report, true);
    assert!(!plain.contains('\u{1b}'), "no colour unless asked");
    assert!(
        coloured.contains("\u{1b}[31mLEAK"),
        "LEAK in red on a terminal"
    );
    let targeted = report
        .outcomes
        .iter()
        .find(|o| o.probe.name() == "delete-targeted")
        .unwrap();
    assert_eq!(
        targeted.verdict,
        Verdict::Pass,
        "a targeted delete of B's row deletes nothing"
    );
    // Another session sees exactly the data it saw before.
    let other = db.connect().await;
    assert_eq!(data(&other).await, before);
    assert_eq!(data(db.client()).await, before);
}

#[tokio::test]
async fn no_tenant_relation_is_never_an_all_clear() {
    let db = support::database().await;
    db.client()
        .batch_execute("create schema app; create table app.plain (id int)")
        .await
        .unwrap();
    let mut plan = plan();
    plan.tests.clear();
    let report = prove::run(db.client(), &plan, &|_, _| {}).await.unwrap();
    assert!(report.scope.relations.is_empty());
    assert!(!report.summary.passed, "an empty scope fails");
    let text = rlsctl::report::prove::human(&report, false);
    assert!(text.contains("no tenant relation found"), "{text}");
}

#[tokio::test]
async fn stale_context_reads_as_empty_string_on_the_same_connection() {
    let db = support::database().await;
    let client = db.client();
    let fresh: bool = client
        .query_one("select current_setting('app.tenant_id', true) is null", &[])
        .await
        .unwrap()
        .get(0);
    assert!(fresh, "never set on a fresh connection");
    client
        .batch_execute("begin; savepoint s; select set_config('app.tenant_id', 'x', true); rollback to savepoint s; commit")
        .await
        .unwrap();
    let stale: Option<String> = client
        .query_one("select current_setting('app.tenant_id', true)", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(
        stale.as_deref(),
        Some(""),
        "the stale-context principal relies on this"
    );
}

#[tokio::test]
async fn a_role_the_login_cannot_become_is_unreliable_not_pass() {
    let db = support::database().await;
    db.client().batch_execute(SCHEMA).await.unwrap();
    db.client()
        .batch_execute(
            "do $$ begin create role prove_outsider login; exception when duplicate_object or unique_violation then null; end $$;
             grant usage on schema app to prove_outsider; grant select on app.docs to prove_outsider;",
        )
        .await
        .unwrap();
    let mut config = db.config();
    config.user("prove_outsider");
    let (client, connection) = config
        .connect(tokio_postgres::NoTls)
        .await
        .expect("connect as outsider");
    tokio::spawn(connection);
    let mut plan = plan();
    plan.tests.clear();
    let report = prove::run(&client, &plan, &|_, _| {}).await.unwrap();
    assert!(
        report
            .outcomes
            .iter()
            .all(|o| o.verdict == Verdict::Unreliable),
        "{:?}",
        report.outcomes
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("cannot SET ROLE app_user"))
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("neither superuser nor BYPASSRLS"))
    );
}

#[tokio::test]
async fn an_unsatisfiable_check_asks_for_a_sample_and_the_sample_is_used() {
    let db = support::database().await;
    db.client().batch_execute(UNSEEDABLE).await.unwrap();
    let mut plan = plan();
    plan.tests.clear();
    let report = prove::run(db.client(), &plan, &|_, _| {}).await.unwrap();
    let warning = report
        .warnings
        .iter()
        .find(|w| w.starts_with("cannot seed app.codes"))
        .expect("a seeding warning");
    assert!(
        warning.contains("codes_code_check") && warning.contains("sample"),
        "{warning}"
    );
    // An undeclared table: the row goes in rlsctl.toml; a declared one: in its TOML.
    assert!(
        warning.contains(r#"rlsctl.toml as `[samples."app.codes"]`"#),
        "{warning}"
    );
    let declared = Plan {
        declared_tables: vec![rlsctl::sql::QualifiedName::new("app", "codes")],
        ..plan.clone()
    };
    let report = prove::run(&db.connect().await, &declared, &|_, _| {})
        .await
        .unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.starts_with("cannot seed app.codes") && w.contains("to its table's TOML")),
        "{:?}",
        report.warnings
    );
    assert!(
        report
            .outcomes
            .iter()
            .any(|o| o.verdict == Verdict::Unreliable),
        "an unseeded table is UNRELIABLE, not PASS"
    );

    let other = db.connect().await;
    let mut sample = serde_json::Map::new();
    sample.insert("code".into(), "abc".into());
    plan.samples
        .insert(rlsctl::sql::QualifiedName::new("app", "codes"), sample);
    let report = prove::run(&other, &plan, &|_, _| {}).await.unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(
        report.outcomes.iter().all(|o| o.verdict == Verdict::Pass),
        "{:?}",
        report.outcomes
    );
}

/// Whether `public.left_behind` exists, seen from a fresh session.
async fn left_behind(db: &support::TestDatabase) -> bool {
    db.connect()
        .await
        .query_one("select to_regclass('public.left_behind') is not null", &[])
        .await
        .unwrap()
        .get(0)
}

#[tokio::test]
async fn a_test_setup_that_commits_stops_the_run_before_anything_runs() {
    let db = support::database().await;
    db.client().batch_execute(SCHEMA).await.unwrap();
    let mut plan = plan();
    plan.tests[0].setup = vec![
        "create table public.left_behind (x int)".into(),
        "commit".into(),
    ];
    let error = prove::run(db.client(), &plan, &|_, _| {})
        .await
        .expect_err("a COMMIT in a test setup stops the run");
    assert!(
        matches!(
            error,
            prove::ProveError::TransactionControl {
                statement: "COMMIT",
                ..
            }
        ),
        "{error}"
    );
    let message = error.to_string();
    assert!(message.contains("the setup of test \"rows\""), "{message}");
    assert!(!left_behind(&db).await, "nothing is left on the target");

    // The clean twin: the same setup without the COMMIT runs and leaves nothing.
    plan.tests[0].setup.pop();
    let report = prove::run(db.client(), &plan, &|_, _| {}).await.unwrap();
    assert!(report.tests[0].passed, "{:?}", report.tests[0]);
    assert!(!left_behind(&db).await);
}

#[tokio::test]
async fn an_impersonation_setup_or_query_that_ends_the_transaction_is_refused() {
    let db = support::database().await;
    db.client().batch_execute(SCHEMA).await.unwrap();
    let mut plan = plan();
    plan.impersonate.setup = vec!["create table public.left_behind (x int); end".into()];
    let error = prove::run(db.client(), &plan, &|_, _| {})
        .await
        .expect_err("END in the impersonation setup");
    assert!(
        error
            .to_string()
            .contains("[tenancy.impersonate] setup uses COMMIT"),
        "{error}"
    );
    let mut plan = self::plan();
    plan.tests[1].query = "vacuum app.docs".into();
    let error = prove::run(db.client(), &plan, &|_, _| {})
        .await
        .expect_err("VACUUM cannot run in the transaction");
    assert!(error.to_string().contains("uses VACUUM"), "{error}");
    assert!(!left_behind(&db).await, "nothing is left on the target");
}

#[tokio::test]
async fn a_test_whose_setup_ends_the_transaction_at_run_time_stops_the_run() {
    let db = support::database().await;
    db.client().batch_execute(SCHEMA).await.unwrap();
    let mut plan = plan();
    plan.prove = false;
    // No transaction control the parser could refuse: the session itself ends.
    plan.tests[0].setup = vec!["select pg_terminate_backend(pg_backend_pid())".into()];
    let client = db.connect().await;
    let error = prove::run(&client, &plan, &|_, _| {})
        .await
        .expect_err("the run stops instead of running the other tests");
    assert!(
        matches!(error, prove::ProveError::TransactionEnded { .. }),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("after the setup of test \"rows\""),
        "{error}"
    );
}

#[tokio::test]
async fn unreliable_verdicts_fail_the_run_unless_allowed_and_count_as_unproven() {
    let db = support::database().await;
    db.client().batch_execute(UNSEEDABLE).await.unwrap();
    let mut plan = plan();
    plan.tests.clear();
    let report = prove::run(db.client(), &plan, &|_, _| {}).await.unwrap();
    assert!(
        report
            .outcomes
            .iter()
            .any(|o| o.verdict == Verdict::Unreliable)
    );
    assert!(
        report
            .outcomes
            .iter()
            .all(|o| matches!(o.verdict, Verdict::Pass | Verdict::Unreliable)),
        "{:?}",
        report.outcomes
    );
    let summary = &report.summary;
    assert!(!summary.passed, "UNRELIABLE is not a pass");
    assert!(
        summary.failures.iter().any(|f| f.contains("UNRELIABLE")),
        "{:?}",
        summary.failures
    );
    assert_eq!((summary.proven, summary.relations), (0, 1));
    let text = rlsctl::report::prove::summary(&report);
    assert!(
        text.starts_with("FAILED") && text.contains("0 of 1 tenant relations proven"),
        "{text}"
    );

    plan.rules.allow_unreliable = true;
    let report = prove::run(&db.connect().await, &plan, &|_, _| {})
        .await
        .unwrap();
    assert!(report.summary.passed, "{:?}", report.summary);
    let text = rlsctl::report::prove::summary(&report);
    assert!(
        text.starts_with(
            "ok: 0 of 1 tenant relations proven, 1 not proven (UNRELIABLE: a probe could not run"
        ),
        "{text}"
    );
    assert_eq!(report.summary.unreliable, 1);
}

#[tokio::test]
async fn tests_only_without_a_tenant_relation_passes_and_says_ok() {
    let db = support::database().await;
    db.client()
        .batch_execute(
            "do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
             create schema app; create table app.plain (id int); grant usage on schema app to app_user;",
        )
        .await
        .unwrap();
    let mut plan = plan();
    plan.prove = false;
    plan.tests = vec![PolicyTest {
        name: "select works".into(),
        identity: "alice".into(),
        setup: vec![],
        query: "select 1".into(),
        expect: Expectation::Count(1),
        location: "policies/tests.toml:1".into(),
    }];
    let report = prove::run(db.client(), &plan, &|_, _| {}).await.unwrap();
    assert!(report.scope.relations.is_empty());
    assert!(report.summary.passed, "{:?}", report.summary);
    let text = rlsctl::report::prove::human(&report, false);
    assert!(!text.contains("FAILED"), "{text}");
    assert!(
        text.contains("ok: isolation proof not run (--tests-only)"),
        "{text}"
    );

    // The same with a failing test fails.
    plan.tests[0].expect = Expectation::Count(2);
    let report = prove::run(db.client(), &plan, &|_, _| {}).await.unwrap();
    assert!(!report.summary.passed);
}

#[tokio::test]
async fn a_tenant_table_no_client_role_can_access_is_named_with_the_reason() {
    let db = support::database().await;
    db.client().batch_execute(SCHEMA).await.unwrap();
    db.client()
        .batch_execute(
            "create table app.secrets (id bigint generated always as identity primary key, tenant_id uuid not null, body text not null);",
        )
        .await
        .unwrap();
    let mut plan = plan();
    plan.tests.clear();
    let report = prove::run(db.client(), &plan, &|_, _| {}).await.unwrap();
    let names: Vec<&str> = report
        .not_probed
        .iter()
        .map(|n| n.relation.as_str())
        .collect();
    assert_eq!(
        names,
        ["table app.secrets"],
        "app.docs is granted, so probed"
    );
    assert!(
        report.not_probed[0]
            .reason
            .contains("no client role (app_user)")
    );
    assert_eq!(report.summary.not_probed, 1);
    let text = rlsctl::report::prove::human(&report, false);
    assert!(
        text.contains("not probed, so not in the matrix (1):\n    table app.secrets: no client role (app_user) has a privilege on it"),
        "{text}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&rlsctl::report::prove::json(&report)).unwrap();
    assert_eq!(json["not_probed"][0]["relation"], "table app.secrets");
    assert_eq!(json["summary"]["not_probed"], 1);
}

#[tokio::test]
async fn seeding_refused_a_privilege_says_so_instead_of_asking_for_a_sample() {
    let db = support::database().await;
    db.client().batch_execute(SCHEMA).await.unwrap();
    db.client()
        .batch_execute(
            "do $$ begin create role prove_seeder login; exception when duplicate_object or unique_violation then null; end $$;",
        )
        .await
        .unwrap();
    let mut config = db.config();
    config.user("prove_seeder");
    let (client, connection) = config
        .connect(tokio_postgres::NoTls)
        .await
        .expect("connect");
    tokio::spawn(connection);
    let mut plan = plan();
    plan.tests.clear();
    let report = prove::run(&client, &plan, &|_, _| {}).await.unwrap();
    let warning = report
        .warnings
        .iter()
        .find(|w| w.starts_with("cannot seed app.docs"))
        .expect("a seeding warning");
    assert!(
        warning.contains("permission denied for schema app"),
        "{warning}"
    );
    assert!(warning.contains("lacks a privilege"), "{warning}");
    assert!(!warning.contains("sample = {"), "{warning}");
}

#[tokio::test]
async fn a_failed_impersonation_setup_refreshes_materialized_views_once() {
    let db = support::database().await;
    let schema = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/cases/prove/L28_materialized_view/schema.sql"
    ))
    .unwrap();
    db.client().batch_execute(&schema).await.unwrap();
    let mut plan = plan();
    plan.tests.clear();
    plan.refresh_materialized_views = true;
    plan.impersonate.setup = vec!["select 1 / 0".into()];
    let report = prove::run(db.client(), &plan, &|_, _| {}).await.unwrap();
    let leak = report
        .outcomes
        .iter()
        .find(|o| o.verdict == Verdict::Leak && o.relation == "materialized view app.docs_mv")
        .expect("the materialized view leaks");
    let script = leak.repro.as_ref().unwrap().script();
    assert_eq!(
        script.matches("refresh materialized view").count(),
        1,
        "refreshed after seeding, once:\n{script}"
    );
}

#[tokio::test]
async fn a_failed_impersonation_setup_warns_once_per_missing_role() {
    let db = support::database().await;
    db.client().batch_execute(SCHEMA).await.unwrap();
    let mut plan = plan();
    plan.tests.clear();
    plan.roles.push("prove_ghost".into());
    plan.impersonate.setup = vec!["select 1 / 0".into()];
    let report = prove::run(db.client(), &plan, &|_, _| {}).await.unwrap();
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("the impersonation setup failed even after seeding")),
        "{:?}",
        report.warnings
    );
    let missing = report
        .warnings
        .iter()
        .filter(|w| w.starts_with("role prove_ghost does not exist"))
        .count();
    assert_eq!(missing, 1, "{:?}", report.warnings);
}

#[tokio::test]
async fn the_report_counts_functions_proven_and_not_called_with_the_reason() {
    let db = support::database().await;
    db.client().batch_execute(SCHEMA).await.unwrap();
    db.client()
        .batch_execute(
            "create function app.doc_titles(p_tenant_id uuid) returns setof text language sql stable
                 security definer set search_path = '' as $$ select title from app.docs where tenant_id = p_tenant_id $$;
             create function app.search(p_query text) returns setof app.docs language sql stable
                 as $$ select * from app.docs where title like p_query $$;",
        )
        .await
        .unwrap();
    let mut plan = plan();
    plan.tests.clear();
    let report = prove::run(db.client(), &plan, &|_, _| {}).await.unwrap();
    let call = report
        .outcomes
        .iter()
        .find(|o| o.relation == "function app.doc_titles(uuid)")
        .expect("the definer function was called");
    assert_eq!(call.verdict, Verdict::Leak, "{}", call.detail);
    assert!(
        call.repro
            .as_ref()
            .is_some_and(|r| r.statement.contains("app.doc_titles(")),
        "the call is the repro"
    );
    assert_eq!(report.summary.functions, 1);
    assert_eq!(report.summary.functions_proven, 1);
    assert_eq!(report.summary.functions_not_probed, 1);
    let text = rlsctl::report::prove::human(&report, false);
    assert!(
        text.contains("client-callable functions not called (1):\n    function app.search(text): its argument p_query text matches no column"),
        "{text}"
    );
    assert!(
        rlsctl::report::prove::summary(&report)
            .contains("1 of 2 client-callable functions proven (1 not called"),
        "{}",
        rlsctl::report::prove::summary(&report)
    );
    let json: serde_json::Value =
        serde_json::from_str(&rlsctl::report::prove::json(&report)).unwrap();
    assert_eq!(json["summary"]["functions_not_probed"], 1);
    assert_eq!(
        json["functions_not_probed"][0]["relation"],
        "function app.search(text)"
    );
}

/// 60 tenant tables (enough to be shared out among three connections), two of them
/// leaking: t0 (proven on the first connection) lets anyone update every row,
/// t59 (on the last) lets anyone read every row.
fn many_tables_sql() -> String {
    let mut sql = String::from(
        "do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
         create schema app; grant usage on schema app to app_user;
         create table app.tenants (id uuid primary key, name text not null);\n",
    );
    for i in 0..60 {
        let using = match i {
            59 => "true".to_string(),
            _ => "tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid".to_string(),
        };
        sql.push_str(&format!(
            "create table app.t{i} (id bigint generated always as identity primary key,
                 tenant_id uuid not null references app.tenants (id), name text not null);
             alter table app.t{i} enable row level security;
             create policy iso on app.t{i} to app_user using ({using})
                 with check (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
             grant select, insert, update, delete on app.t{i} to app_user;\n"
        ));
    }
    sql.push_str("create policy upd on app.t0 for update to app_user using (true);\n");
    sql
}

#[tokio::test]
async fn a_proof_shared_out_among_connections_finds_what_one_connection_finds() {
    let db = support::database().await;
    db.client().batch_execute(&many_tables_sql()).await.unwrap();
    let mut plan = plan();
    plan.tests.clear();
    let verdicts = |report: &prove::Report| {
        let mut v: Vec<String> = report
            .outcomes
            .iter()
            .map(|o| {
                format!(
                    "{} {} {} {}",
                    o.relation,
                    o.probe.name(),
                    o.principal,
                    o.verdict.label()
                )
            })
            .collect();
        v.sort();
        v
    };
    let one = prove::run(db.client(), &plan, &|_, _| {}).await.unwrap();
    let opened = std::cell::Cell::new(0);
    let more = prove::Connections {
        jobs: 3,
        open: Box::new(|| {
            opened.set(opened.get() + 1);
            Box::pin(async { Ok(db.connect().await) })
        }),
    };
    let client = db.connect().await;
    let three = prove::run_with(&client, Some(&more), &plan, &|_, _| {})
        .await
        .unwrap();
    assert_eq!(opened.get(), 2, "two more connections were opened");
    assert_eq!(verdicts(&one), verdicts(&three));
    for (relation, probe) in [("table app.t0", "update-all"), ("table app.t59", "read")] {
        assert!(
            three.outcomes.iter().any(|o| o.relation == relation
                && o.probe.name() == probe
                && o.verdict == Verdict::Leak),
            "{relation} {probe} leaks"
        );
    }
    assert!(
        !three
            .outcomes
            .iter()
            .any(|o| o.relation == "table app.t20" && o.verdict != Verdict::Pass),
        "the tables between are isolated"
    );
    assert_eq!(one.summary.relations, three.summary.relations);
    // Nothing was committed by any connection.
    let rows: i64 = db
        .client()
        .query_one(
            "select (select count(*) from app.tenants) + (select count(*) from app.t0) + (select count(*) from app.t59)",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(rows, 0);
}
