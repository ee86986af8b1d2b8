//! What rlsctl does not manage, it never harms: undeclared objects of an owned
//! schema are listed by `plan` as unmanaged and left alone, and dropping what
//! exists on the target is refused without `--allow-destructive`, naming what
//! uses it.

mod support;

use support::cli::{app_user_role as roles, exists, rlsctl};

const NOTES: &str = r#"
[tables.notes]
public = "test"
columns.id = { type = "bigint", primary_key = true }
columns.body = { type = "text" }
"#;

/// The owned schema's catalog, without the cluster-wide roles (parallel tests
/// create theirs).
async fn catalog(db: &support::TestDatabase) -> rlsctl::catalog::Catalog {
    let mut catalog = rlsctl::catalog::inspect(db.client(), &["app".to_string()])
        .await
        .unwrap();
    catalog.roles.clear();
    catalog
}

const RPC: &str = "select from pg_proc where proname = 'note_count'";

#[tokio::test]
async fn apply_refuses_to_drop_an_undeclared_rpc_function_without_allow_destructive() {
    let db = support::database().await;
    roles(&db).await;
    db.client()
        .batch_execute(
            "create schema app;
             create table app.notes (id bigint primary key, body text not null);
             create function app.note_count() returns bigint language sql stable
               as 'select count(*) from app.notes';",
        )
        .await
        .unwrap();
    let dir = support::cli::project(&db, NOTES);
    let before = catalog(&db).await;
    let refused = rlsctl(dir.path(), &db, &["apply", "--yes"]).code(1);
    let err = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(
        err.contains("refusing to apply")
            && err.contains("function app.note_count() breaks dependents"),
        "{err}"
    );
    assert_eq!(
        catalog(&db).await,
        before,
        "the refused apply changed the target"
    );
    rlsctl(dir.path(), &db, &["apply", "--yes", "--allow-destructive"]).code(0);
    assert!(!exists(&db, RPC).await, "the flag did not let the drop run");
}

#[tokio::test]
async fn plan_lists_what_it_does_not_manage_and_apply_leaves_it_alone() {
    let db = support::database().await;
    roles(&db).await;
    db.client()
        .batch_execute(
            "create schema app;
             create table app.notes (id bigint primary key, body text, updated_at timestamptz);
             create function app.touch() returns trigger language plpgsql as $$
             begin new.updated_at := now(); return new; end $$;
             create trigger notes_touch before update on app.notes
               for each row execute function app.touch();
             create view app.note_bodies as select id, body from app.notes;
             create type app.mood as enum ('ok', 'sad');
             create function app.note_count() returns bigint language sql stable
               as 'select count(*) from app.notes';",
        )
        .await
        .unwrap();
    let dir = support::cli::project(&db, NOTES);
    let json = rlsctl(dir.path(), &db, &["plan", "--format", "json"]).code(0);
    let value: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    let listed: Vec<(&str, &str)> = value["unmanaged"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["kind"].as_str().unwrap(), u["name"].as_str().unwrap()))
        .collect();
    assert_eq!(
        listed,
        // Triggers and views are declarable: an undeclared one is a drop (a
        // trigger with its function), refused below without the flag.
        [("enum", "app.mood")],
        "{value:#}"
    );
    let human = rlsctl(dir.path(), &db, &["plan"]).code(0);
    let out = String::from_utf8_lossy(&human.get_output().stdout).to_string();
    assert!(
        out.contains("Unmanaged (1)") && out.contains("- view app.note_bodies"),
        "{out}"
    );

    let before = catalog(&db).await;
    let refused = rlsctl(dir.path(), &db, &["apply", "--yes"]).code(1);
    let err = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(
        err.contains("function app.note_count() breaks dependents"),
        "{err}"
    );
    assert!(
        err.contains("trigger notes_touch on app.notes breaks dependents")
            && err.contains("function app.touch() breaks dependents"),
        "{err}"
    );
    assert_eq!(
        catalog(&db).await,
        before,
        "the refused apply changed the target"
    );

    rlsctl(dir.path(), &db, &["apply", "--yes", "--allow-destructive"]).code(0);
    let after = catalog(&db).await;
    assert!(
        after.views.is_empty() && !before.views.is_empty(),
        "the undeclared view was not dropped"
    );
    assert_eq!(after.types, before.types, "the enum was changed");
    assert!(
        after.tables[0].triggers.is_empty() && !before.tables[0].triggers.is_empty(),
        "the undeclared trigger was not dropped"
    );
    let touch = |c: &rlsctl::catalog::Catalog| c.functions.iter().any(|f| f.name.name == "touch");
    assert!(
        touch(&before) && !touch(&after),
        "the trigger function was not dropped"
    );
    assert!(!exists(&db, RPC).await, "the declared drop did not run");
}
