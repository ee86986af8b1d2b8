//! Every audit check on both sides, as data: `tests/cases/audit/<ID>_<name>/`
//! holds `bad.sql` (the check must fire, on the object named in `case.toml`)
//! and `clean.sql` (its twin: the check must stay silent). Each SQL runs in a
//! fresh database after a prelude for its shape: `plain` (roles app_owner and
//! app_user, schema `app` owned by app_owner, the script running as app_owner;
//! `public.ensure_role(name)` creates a role once per cluster)
//! or `supabase` (roles anon/authenticated/service_role, an `auth` schema with
//! `auth.uid()`/`auth.jwt()`, the script running as the superuser).

mod support;

use std::path::{Path, PathBuf};

use rlsctl::audit::{self, AuditConfig, AuditReport, Level, Reach};
use serde::Deserialize;

const PLAIN: &str = "
DO $$ BEGIN CREATE ROLE app_owner NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE app_user NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE FUNCTION public.ensure_role(name text) RETURNS void
  LANGUAGE plpgsql AS $$ BEGIN
    EXECUTE format('CREATE ROLE %I NOLOGIN', name);
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
  END $$;
CREATE SCHEMA app AUTHORIZATION app_owner;
GRANT USAGE ON SCHEMA app TO app_user;
-- An empty table scope is RC000: every fixture has this table (no grants, no RLS).
CREATE TABLE app.scope_anchor (id int PRIMARY KEY);
ALTER TABLE app.scope_anchor OWNER TO app_owner;
SET ROLE app_owner;
";

const SUPABASE: &str = "
DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE service_role NOLOGIN BYPASSRLS; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE SCHEMA auth;
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE
  AS $$ select nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
CREATE FUNCTION auth.jwt() RETURNS jsonb LANGUAGE sql STABLE
  AS $$ select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $$;
GRANT USAGE ON SCHEMA auth, public TO anon, authenticated, service_role;
-- An empty table scope is RC000: every fixture has this table (no grants, no RLS).
CREATE TABLE public.scope_anchor (id int PRIMARY KEY);
";

/// `case.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// A substring of the bad finding's key (`app.docs`).
    object: String,
    /// The bad finding's level, when it must be this one.
    level: Option<Level>,
    /// The bad finding's reach (`api`, `direct-sql`, `none`), when it must be this one.
    reach: Option<Reach>,
    /// `plain` (default) or `supabase`.
    #[serde(default)]
    shape: Shape,
    /// Client roles (plain default: app_user; supabase: detected).
    client_roles: Option<Vec<String>>,
    /// `[tenancy] column`.
    tenant_column: Option<String>,
    /// A substring of the bad finding's remediation.
    remediation: Option<String>,
    /// Scanned schemas (plain default: app; supabase: detected).
    schemas: Option<Vec<String>>,
    /// The clean twin may still hold the check's findings at this level or
    /// below (`info`: a documented non-finding, e.g. reach `none`).
    clean_at_most: Option<Level>,
    /// The bad finding's remediation must work: applied as the superuser, it
    /// removes the finding (or lowers its level) and these queries, run as a
    /// role, still return their rows.
    fix: Option<Fix>,
}

/// `[fix]` of `case.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fix {
    /// The role the queries run as (`SET LOCAL ROLE`).
    role: String,
    /// Settings for the role's transaction (`set_config(name, value, true)`).
    #[serde(default)]
    settings: std::collections::BTreeMap<String, String>,
    /// Each query's first column of its first row (a count) must be this.
    expect: Vec<FixQuery>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixQuery {
    query: String,
    count: i64,
}

#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Shape {
    #[default]
    Plain,
    Supabase,
}

async fn audit_sql(case: &Case, sql: &str) -> AuditReport {
    audit_database(case, sql).await.1
}

/// The fixture's database and its audit.
async fn audit_database(case: &Case, sql: &str) -> (support::TestDatabase, AuditReport) {
    let db = support::database().await;
    let prelude = match case.shape {
        Shape::Plain => PLAIN,
        Shape::Supabase => SUPABASE,
    };
    db.client()
        .batch_execute(&format!("{prelude}\n{sql}\nRESET ROLE;"))
        .await
        .unwrap_or_else(|e| panic!("fixture failed: {e:?}\n{sql}"));
    let config = AuditConfig {
        client_roles: case
            .client_roles
            .clone()
            .unwrap_or_else(|| match case.shape {
                Shape::Plain => vec!["app_user".to_string()],
                Shape::Supabase => Vec::new(),
            }),
        schemas: case.schemas.clone().unwrap_or_else(|| match case.shape {
            Shape::Plain => vec!["app".to_string()],
            Shape::Supabase => Vec::new(),
        }),
        tenant_column: case.tenant_column.clone(),
        ..AuditConfig::default()
    };
    let report = audit_with(&db, &config).await;
    (db, report)
}

async fn audit_with(db: &support::TestDatabase, config: &AuditConfig) -> AuditReport {
    audit::run(db.client(), config)
        .await
        .unwrap_or_else(|e| panic!("audit failed: {e}"))
}

/// Applies the finding's remediation and checks what `[fix]` says; the failures.
async fn verify_fix(case: &Case, sql: &str, key: &str, fix: &Fix) -> Vec<String> {
    let (db, report) = audit_database(case, sql).await;
    let Some(finding) = report.findings.iter().find(|f| f.key == key) else {
        return vec![format!("{key}: not found again")];
    };
    let Some(remediation) = &finding.remediation else {
        return vec![format!("{key}: no remediation to apply")];
    };
    if let Err(e) = db.client().batch_execute(remediation).await {
        return vec![format!("{key}: the fix fails: {e:?}\n{remediation}")];
    }
    let mut failures = Vec::new();
    let config = AuditConfig {
        client_roles: report.scope.client_roles.clone(),
        schemas: report.scope.schemas.clone(),
        tenant_column: case.tenant_column.clone(),
        ..AuditConfig::default()
    };
    // The fix must remove the finding or at least lower its level.
    if audit_with(&db, &config)
        .await
        .findings
        .iter()
        .any(|f| f.key == key && f.level <= finding.level)
    {
        failures.push(format!(
            "{key}: still reported after its fix:\n{remediation}"
        ));
    }
    for expect in &fix.expect {
        let mut enter = format!(
            "BEGIN; SET LOCAL ROLE {};",
            rlsctl::sql::quote_ident(&fix.role)
        );
        for (name, value) in &fix.settings {
            enter.push_str(&format!(
                " SELECT set_config({}, {}, true);",
                rlsctl::sql::quote_literal(name),
                rlsctl::sql::quote_literal(value)
            ));
        }
        let client = db.client();
        let result = async {
            client.batch_execute(&enter).await?;
            let row = client.query_one(expect.query.as_str(), &[]).await;
            client.batch_execute("ROLLBACK").await?;
            row
        }
        .await;
        match result.map(|row| row.get::<_, i64>(0)) {
            Ok(count) if count == expect.count => {}
            Ok(count) => failures.push(format!(
                "{key}: after the fix `{}` as {} gives {count}, expected {}\n{remediation}",
                expect.query, fix.role, expect.count
            )),
            Err(e) => failures.push(format!(
                "{key}: after the fix `{}` as {} fails: {e:?}\n{remediation}",
                expect.query, fix.role
            )),
        }
    }
    failures
}

fn case_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/audit");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("tests/cases/audit")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[tokio::test]
async fn every_check_fires_on_bad_and_not_on_clean() {
    let mut failures = Vec::new();
    let dirs = case_dirs();
    for dir in &dirs {
        let name = dir
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let id = name.split('_').next().unwrap_or_default().to_string();
        let case: Case =
            toml::from_str(&std::fs::read_to_string(dir.join("case.toml")).expect("case.toml"))
                .unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
        let bad = audit_sql(
            &case,
            &std::fs::read_to_string(dir.join("bad.sql")).expect("bad.sql"),
        )
        .await;
        let hits: Vec<_> = bad.findings.iter().filter(|f| f.check == id).collect();
        let hit = hits.iter().find(|f| f.key.contains(&case.object));
        match hit {
            None => failures.push(format!(
                "{name}: bad.sql did not trigger {id} on {} (got {:?})",
                case.object,
                hits.iter().map(|f| &f.key).collect::<Vec<_>>()
            )),
            Some(f) => {
                if let Some(level) = case.level
                    && f.level != level
                {
                    failures.push(format!(
                        "{name}: {} has level {:?}, expected {level:?}",
                        f.key, f.level
                    ));
                }
                if let Some(reach) = case.reach
                    && f.reach != reach
                {
                    failures.push(format!(
                        "{name}: {} has reach {:?}, expected {reach:?}",
                        f.key, f.reach
                    ));
                }
                if f.reason.is_empty() {
                    failures.push(format!("{name}: {} has no reason", f.key));
                }
                if let Some(expected) = &case.remediation
                    && !f
                        .remediation
                        .as_deref()
                        .unwrap_or_default()
                        .contains(expected)
                {
                    failures.push(format!(
                        "{name}: {} remediation {:?} lacks {expected:?}",
                        f.key, f.remediation
                    ));
                }
                if let Some(fix) = &case.fix {
                    let sql = std::fs::read_to_string(dir.join("bad.sql")).expect("bad.sql");
                    for failure in verify_fix(&case, &sql, &f.key, fix).await {
                        failures.push(format!("{name}: {failure}"));
                    }
                }
            }
        }
        let clean = audit_sql(
            &case,
            &std::fs::read_to_string(dir.join("clean.sql")).expect("clean.sql"),
        )
        .await;
        let wrong: Vec<_> = clean
            .findings
            .iter()
            .filter(|f| f.check == id)
            .filter(|f| case.clean_at_most.is_none_or(|most| f.level < most))
            .map(|f| format!("{} ({})", f.key, f.reason))
            .collect();
        if !wrong.is_empty() {
            failures.push(format!("{name}: clean.sql triggered {wrong:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        dirs.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn every_registered_check_has_a_case() {
    let dirs: Vec<String> = case_dirs()
        .iter()
        .filter_map(|d| d.file_name()?.to_str().map(str::to_string))
        .collect();
    // VER001's bad side needs an old server: it is unit-tested in src/audit/checks/ver001.rs.
    let missing: Vec<&str> = audit::checks::REGISTRY
        .iter()
        .map(|c| c.id)
        .filter(|id| *id != "VER001")
        .filter(|id| !dirs.iter().any(|d| d.starts_with(&format!("{id}_"))))
        .collect();
    assert!(
        missing.is_empty(),
        "checks without a test case: {missing:?}"
    );
    for check in audit::checks::REGISTRY.iter().filter(|c| c.id != "VER001") {
        assert!(
            dirs.contains(&format!("{}_{}", check.id, check.name)),
            "case directory for {} must be named {}_{}",
            check.id,
            check.id,
            check.name
        );
    }
}

#[tokio::test]
async fn an_empty_scope_is_an_error_not_clean() {
    let db = support::database().await;
    let config = AuditConfig {
        client_roles: vec!["no_such_role_rc000".to_string()],
        ..AuditConfig::default()
    };
    let error = audit::run(db.client(), &config)
        .await
        .expect_err("must refuse");
    assert!(error.to_string().contains("RC000"), "{error}");
    // Superuser login, nothing configured, no Supabase roles: nothing detected.
    let error = audit::run(db.client(), &AuditConfig::default()).await;
    if let Err(error) = error {
        assert!(error.to_string().contains("RC000"), "{error}");
    } else {
        // Another test binary may have created anon/authenticated on a shared
        // server; with an ephemeral one this branch is not taken.
        assert!(std::env::var(support::TEST_DATABASE_URL_ENV).is_ok());
    }
}

#[tokio::test]
async fn schemas_without_tables_are_rc000_not_clean() {
    let db = support::database().await;
    db.client()
        .batch_execute(&format!("{PLAIN}\nRESET ROLE; CREATE SCHEMA empty;"))
        .await
        .expect("fixture");
    let config = AuditConfig {
        client_roles: vec!["app_user".to_string()],
        schemas: vec!["empty".to_string()],
        schemas_source: "--schema".to_string(),
        ..AuditConfig::default()
    };
    let error = audit::run(db.client(), &config)
        .await
        .expect_err("an empty table scope must not be clean");
    let text = error.to_string();
    assert!(text.starts_with("RC000"), "{text}");
    assert!(
        text.contains("no tables in the scanned schemas empty (--schema)"),
        "{text}"
    );
    // The same scope with a table is audited.
    let config = AuditConfig {
        schemas: vec!["app".to_string()],
        ..config
    };
    let report = audit::run(db.client(), &config).await.expect("audit runs");
    assert_eq!(report.tables, 1);
}

#[tokio::test]
async fn a_configured_schema_that_does_not_exist_is_named() {
    let db = support::database().await;
    db.client()
        .batch_execute(&format!("{PLAIN}\nRESET ROLE;"))
        .await
        .expect("fixture");
    // No client role configured either: the schema is what is wrong, and said first.
    let config = AuditConfig {
        schemas: vec!["nosuch".to_string()],
        schemas_source: "--schema".to_string(),
        ..AuditConfig::default()
    };
    let text = audit::run(db.client(), &config)
        .await
        .expect_err("must refuse")
        .to_string();
    assert!(
        text.contains("schema nosuch does not exist (from --schema)"),
        "{text}"
    );
    assert!(!text.contains("client role"), "{text}");
}

#[tokio::test]
async fn supabase_scope_is_detected_from_the_api_settings() {
    let db = support::database().await;
    let sql = format!(
        "{SUPABASE}
         DO $$ BEGIN CREATE ROLE authenticator NOINHERIT LOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
         CREATE SCHEMA api;
         ALTER ROLE authenticator IN DATABASE {} SET pgrst.db_schemas = 'api, public';",
        rlsctl::sql::quote_ident(db.name())
    );
    db.client().batch_execute(&sql).await.expect("fixture");
    let report = audit::run(db.client(), &AuditConfig::default())
        .await
        .expect("audit runs");
    assert!(report.scope.supabase);
    assert_eq!(report.scope.client_roles, ["anon", "authenticated"]);
    assert_eq!(report.scope.roles_source, "supabase");
    assert_eq!(report.scope.schemas, ["api", "public"]);
    assert_eq!(report.scope.schemas_source, "pgrst.db_schemas");

    // Without the setting: Supabase's defaults (graphql_public does not exist here).
    let plain = support::database().await;
    plain
        .client()
        .batch_execute(SUPABASE)
        .await
        .expect("fixture");
    let report = audit::run(plain.client(), &AuditConfig::default())
        .await
        .expect("audit runs");
    assert_eq!(report.scope.schemas, ["public"]);
    assert_eq!(report.scope.schemas_source, "supabase default");
}

#[tokio::test]
async fn client_roles_are_the_roles_a_plain_login_can_become() {
    let db = support::database().await;
    db.client()
        .batch_execute(&format!(
            "DO $$ BEGIN CREATE ROLE scope_login LOGIN NOINHERIT; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
             DO $$ BEGIN CREATE ROLE scope_client NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
             GRANT scope_client TO scope_login;
             GRANT CONNECT ON DATABASE {} TO scope_login;
             CREATE SCHEMA app;
             CREATE TABLE app.t (id int);",
            rlsctl::sql::quote_ident(db.name())
        ))
        .await
        .expect("fixture");
    let mut config = db.config();
    config.user("scope_login");
    let (client, connection) = config
        .connect(tokio_postgres::NoTls)
        .await
        .expect("connect as the login");
    tokio::spawn(connection);
    let report = audit::run(&client, &AuditConfig::default())
        .await
        .expect("audit runs");
    assert_eq!(report.scope.login, "scope_login");
    assert_eq!(report.scope.client_roles, ["scope_client"]);
    assert_eq!(report.scope.roles_source, "set role");
    assert_eq!(report.scope.schemas, ["app", "public"]);
}

#[tokio::test]
async fn one_foreign_key_is_one_finding_listing_its_consequences() {
    let case: Case = toml::from_str("object = \"app.comments\"").expect("case");
    let sql = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/cases/audit/BYP011_cascade_across_tenants/bad.sql"),
    )
    .expect("bad.sql");
    let report = audit_sql(&case, &sql).await;
    let on_fk: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.key.contains("comments_doc_id_fkey"))
        .collect();
    assert_eq!(on_fk.len(), 1, "{on_fk:#?}");
    let f = on_fk[0];
    assert_eq!(f.check, "BYP011");
    assert_eq!(f.merged, ["SID002:app.comments:comments_doc_id_fkey"]);
    assert!(
        f.consequences[0].starts_with("SID002 fk_without_tenant_key: "),
        "{:?}",
        f.consequences
    );
    // An ignore entry naming the merged finding's key still suppresses it.
    let config = AuditConfig {
        client_roles: vec!["app_user".to_string()],
        schemas: vec!["app".to_string()],
        ignore: vec![audit::Suppression {
            key: "SID002:app.comments:comments_doc_id_fkey".to_string(),
            reason: "links are checked by a trigger".to_string(),
        }],
        ..AuditConfig::default()
    };
    let db = support::database().await;
    db.client()
        .batch_execute(&format!("{PLAIN}\n{sql}\nRESET ROLE;"))
        .await
        .expect("fixture");
    let report = audit_with(&db, &config).await;
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.key.contains("comments_doc_id_fkey")),
        "{:#?}",
        report.findings
    );
    assert_eq!(report.suppressed.len(), 1);
}
