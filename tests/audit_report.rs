//! Snapshots of the audit report's renderings (human, JSON, SARIF) for one
//! fixture, so that a change of wording, keys or ordering is reviewed; colour,
//! and the layout of the catalog summary `inspect` prints.

mod support;

use rlsctl::audit::{self, AuditConfig};
use rlsctl::report::{audit as audit_report, audit_sarif};

const FIXTURE: &str = "
DO $$ BEGIN CREATE ROLE snap_user NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
CREATE SCHEMA app;
GRANT USAGE ON SCHEMA app TO snap_user;
CREATE TABLE app.docs (id int PRIMARY KEY, tenant_id text NOT NULL, is_public boolean NOT NULL);
CREATE INDEX ON app.docs (tenant_id);
ALTER TABLE app.docs ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.docs FORCE ROW LEVEL SECURITY;
CREATE POLICY sel ON app.docs FOR SELECT TO snap_user
  USING (tenant_id = (SELECT current_setting('app.tenant_id', true)));
CREATE POLICY pub ON app.docs FOR SELECT TO snap_user USING (is_public);
CREATE POLICY del ON app.docs FOR DELETE TO snap_user USING (true);
GRANT SELECT, DELETE ON app.docs TO snap_user;
CREATE TABLE app.plans (id text PRIMARY KEY);
GRANT SELECT, INSERT ON app.plans TO snap_user;
";

#[tokio::test]
async fn report_renderings_are_stable() {
    let db = support::database().await;
    db.client().batch_execute(FIXTURE).await.expect("fixture");
    let config = AuditConfig {
        client_roles: vec!["snap_user".to_string()],
        schemas: vec!["app".to_string()],
        ..AuditConfig::default()
    };
    let mut report = audit::run(db.client(), &config).await.expect("audit");
    // The login and the server's minor release are the test server's, not the fixture's.
    report.scope.login = "postgres".to_string();
    report.findings.retain(|f| f.check != "VER001");
    insta::assert_snapshot!(
        "audit_human",
        audit_report::human(&report, 0, audit_report::HumanOptions::default())
    );
    insta::assert_json_snapshot!("audit_json", audit_report::json(&report, 0));
    let sarif = audit_sarif::sarif(&report);
    insta::assert_json_snapshot!("audit_sarif_results", sarif["runs"][0]["results"]);
}

#[tokio::test]
async fn colour_only_when_asked() {
    let db = support::database().await;
    db.client().batch_execute(FIXTURE).await.expect("fixture");
    let config = AuditConfig {
        client_roles: vec!["snap_user".to_string()],
        schemas: vec!["app".to_string()],
        ..AuditConfig::default()
    };
    let report = audit::run(db.client(), &config).await.expect("audit");
    let render =
        |color| audit_report::human(&report, 0, audit_report::HumanOptions { all: false, color });
    let coloured = render(true);
    // ERROR in bold red, in the summary table and the heading.
    assert!(coloured.contains("\u{1b}[1m\u{1b}[31mERROR"), "{coloured}");
    assert!(!render(false).contains('\u{1b}'));
}

/// `rlsctl inspect`'s table: within 100 columns for realistic long names, and
/// a name is never broken across lines (each policy on a line of its own).
#[tokio::test]
async fn the_catalog_summary_fits_100_columns_without_breaking_names() {
    let db = support::database().await;
    let policies = [
        "workspace_invitations_admins_insert",
        "workspace_invitations_admins_delete",
        "workspace_invitations_visible_to_members",
    ];
    let mut sql = String::from(
        "CREATE SCHEMA app;
         CREATE TABLE app.workspace_invitations (id int PRIMARY KEY, workspace_id uuid, email text);
         ALTER TABLE app.workspace_invitations ENABLE ROW LEVEL SECURITY;
         CREATE TABLE app.organization_memberships (id int PRIMARY KEY);",
    );
    for p in policies {
        sql.push_str(&format!(
            "CREATE POLICY {p} ON app.workspace_invitations USING (workspace_id IS NOT NULL);"
        ));
    }
    db.client().batch_execute(&sql).await.expect("fixture");
    let catalog = rlsctl::catalog::inspect(db.client(), &["app".to_string()])
        .await
        .expect("inspect");
    let text = rlsctl::report::catalog::summary(&catalog, "Catalog:", false);
    let widest = text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(widest <= 100, "{widest} columns:\n{text}");
    for name in policies
        .iter()
        .copied()
        .chain(["app.workspace_invitations", "app.organization_memberships"])
    {
        assert!(text.contains(name), "{name} broken or missing:\n{text}");
    }
    assert!(!text.contains('\u{1b}'), "{text}");
    let coloured = rlsctl::report::catalog::summary(&catalog, "Catalog:", true);
    assert!(coloured.contains('\u{1b}'), "{coloured}");
}
