//! Snapshots of the audit report's renderings (human, JSON, SARIF) for one
//! fixture, so that a change of wording, keys or ordering is reviewed.

mod support;

use rlsctl::audit::{self, AuditConfig};
use rlsctl::report::{audit as audit_report, audit_sarif};

const FIXTURE: &str = "
DO $$ BEGIN CREATE ROLE snap_user NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
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
    insta::assert_snapshot!("audit_human", audit_report::human(&report, 0));
    insta::assert_json_snapshot!("audit_json", audit_report::json(&report, 0));
    let sarif = audit_sarif::sarif(&report);
    insta::assert_json_snapshot!("audit_sarif_results", sarif["runs"][0]["results"]);
}
