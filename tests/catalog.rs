//! Catalog inspection against real PostgreSQL.

mod support;

use rlsctl::catalog::{self, Catalog};

const ROLES: &str = r#"
DO $$
DECLARE
    role text;
BEGIN
    FOREACH role IN ARRAY ARRAY['cat_app_user', 'cat_bypass', 'Cat Auditor'] LOOP
        BEGIN
            EXECUTE format('CREATE ROLE %I', role);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END LOOP;
END $$;
ALTER ROLE cat_bypass BYPASSRLS;
ALTER ROLE "Cat Auditor" LOGIN NOINHERIT;
GRANT cat_app_user TO "Cat Auditor" WITH ADMIN OPTION;
"#;

const FIXTURE: &str = include_str!("/tmp/cat-dev/work/fixture2.sql");

async fn fixture_catalog() -> (support::TestDatabase, Catalog) {
    let db = support::database().await;
    db.client().batch_execute(ROLES).await.unwrap();
    db.client().batch_execute(FIXTURE).await.unwrap();
    let catalog = catalog::inspect(db.client(), &schemas(&["app", "Weird Schema"]))
        .await
        .unwrap();
    (db, catalog)
}

fn schemas(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn dump() {
    let (_db, catalog) = fixture_catalog().await;
    std::fs::write(
        "/tmp/cat-dev/scratch/dump.json",
        serde_json::to_string_pretty(&catalog).unwrap(),
    )
    .unwrap();
}
