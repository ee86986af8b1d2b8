//! The catalog facts the audit added to `catalog::inspect`: the database's ACL,
//! custom login settings, default privileges, foreign tables and rewrite rules.

mod support;

use rlsctl::catalog::{
    self, Acl, DefaultObjectType, Grantee, Privilege, QualifiedName, RoleSetting, RuleEvent,
};
use rlsctl::sql::quote_ident;

#[tokio::test]
async fn database_wide_facts_are_read() {
    let db = support::database().await;
    let name = quote_ident(db.name());
    db.client()
        .batch_execute(&format!(
            "DO $$ BEGIN CREATE ROLE facts_user NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
             GRANT CREATE ON DATABASE {name} TO facts_user;
             ALTER ROLE facts_user IN DATABASE {name} SET app.tenant_id = 'A';
             ALTER ROLE facts_user IN DATABASE {name} SET search_path = app;
             CREATE SCHEMA app;
             ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO facts_user;
             CREATE FOREIGN DATA WRAPPER facts_fdw;
             CREATE SERVER facts_srv FOREIGN DATA WRAPPER facts_fdw;
             CREATE FOREIGN TABLE app.ft (id int) SERVER facts_srv;
             GRANT SELECT ON app.ft TO facts_user;
             CREATE TABLE app.t (id int);
             CREATE TABLE app.log (id int);
             CREATE RULE copy AS ON INSERT TO app.t DO ALSO INSERT INTO app.log VALUES (new.id);"
        ))
        .await
        .expect("fixture");
    let catalog = catalog::inspect(db.client(), &["app".to_string()])
        .await
        .expect("inspect");

    let Acl::Explicit(grants) = &catalog.database.acl else {
        panic!("database ACL is explicit after a GRANT")
    };
    assert!(grants.iter().any(
        |g| g.grantee == Grantee::Role("facts_user".into()) && g.privilege == Privilege::Create
    ));

    // Custom settings only: search_path is not a context default.
    let mine: Vec<&RoleSetting> = catalog
        .role_settings
        .iter()
        .filter(|s| s.role.as_deref() == Some("facts_user"))
        .collect();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(
        (mine[0].name.as_str(), mine[0].value.as_str()),
        ("app.tenant_id", "A")
    );
    assert!(mine[0].this_database_only);

    assert!(
        catalog
            .default_privileges
            .iter()
            .any(|d| d.schema.as_deref() == Some("app")
                && d.object_type == DefaultObjectType::Tables
                && d.grantee == Grantee::Role("facts_user".into())
                && d.privilege == Privilege::Select)
    );

    let [foreign] = catalog.foreign_tables.as_slice() else {
        panic!("one foreign table: {:?}", catalog.foreign_tables)
    };
    assert_eq!(foreign.name, QualifiedName::new("app", "ft"));
    assert_eq!(foreign.server, "facts_srv");
    assert!(
        foreign
            .acl
            .grants()
            .iter()
            .any(|g| g.privilege == Privilege::Select)
    );

    let [rule] = catalog.rules.as_slice() else {
        panic!("one rule: {:?}", catalog.rules)
    };
    assert_eq!(rule.relation, QualifiedName::new("app", "t"));
    assert_eq!(
        (rule.name.as_str(), rule.event, rule.instead),
        ("copy", RuleEvent::Insert, false)
    );
    // Views' _RETURN rules are not listed.
    assert!(catalog.tables.iter().all(|t| t.name.name != "_RETURN"));
}
