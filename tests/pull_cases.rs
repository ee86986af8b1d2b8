//! The pull corpus: `tests/cases/pull/<case>/schema.sql` is a database shape
//! written for this corpus (every object kind rlsctl declares, Supabase-shaped
//! and plain tenancy, hostile identifiers). For every case, as a user runs it:
//!
//! 1. a database gets the case's prerequisites (the Supabase stand-in of
//!    `examples/supabase/supabase/*.sql` when the case is Supabase-shaped) and
//!    `schema.sql`;
//! 2. `rlsctl -C <tmp> pull --database-url <it>` with the case's flags writes a
//!    project (exit 0); every `TODO` reason it wrote (`public = "TODO: say why
//!    this table is public"`, a force reason) is replaced by a text, as the
//!    reviewer would;
//! 3. `validate` exits 0;
//! 4. `plan` against the same database has no change (exit 0 with
//!    `--detailed-exitcode`), and its unmanaged list is exactly the case's
//!    `unmanaged` lines (`kind name`, as `plan` prints them), each of which pull's
//!    report names too;
//! 5. `apply --yes` of the pulled project to a fresh database holding only the
//!    prerequisites succeeds, and the catalog PostgreSQL then shows
//!    (`catalog::inspect` of the pulled schemas) equals the original's, field by
//!    field, but for the cluster-wide roles and the parts the case's `ignore`
//!    names; the case's `same` queries return the same rows on both.
//!
//! `case.toml` (optional, every key optional):
//!
//! ```toml
//! tenant_column = "tenant_id"   # --tenant-column
//! supabase = true               # --supabase (implies the Supabase stand-in)
//! stand_in = "supabase"         # the stand-in without the flag (pull detects it)
//! schemas = ["app", "billing"]  # --schema, repeated
//! split = "tables"              # --split
//! unmanaged = ["rule protect on app.orders"]   # plan's unmanaged lines after the pull
//! report = ["row filter"]       # text pull's report must hold
//! ignore = ["rules", "tables:app.child"]       # catalog parts left out of the comparison
//! same = ["select ... from pg_catalog..."]     # rows that must be equal on both databases
//! known_gap = "why"             # the round trip is expected to fail (the declaration
//!                               # cannot express the shape yet); fails once it passes
//! ```
//!
//! `PULL_CASE=<substring>` runs only the matching cases; `PULL_CASE_LOAD_ONLY=1`
//! makes the round-trip test only load the schemas (what
//! `every_pull_case_schema_loads` checks on its own).

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde::Deserialize;
use serde_json::Value;

/// The flags and expectations of one case (`case.toml`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseConfig {
    tenant_column: Option<String>,
    #[serde(default)]
    supabase: bool,
    stand_in: Option<String>,
    #[serde(default)]
    schemas: Vec<String>,
    split: Option<String>,
    #[serde(default)]
    unmanaged: Vec<String>,
    #[serde(default)]
    report: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    same: Vec<String>,
    known_gap: Option<String>,
}

impl CaseConfig {
    fn supabase_stand_in(&self) -> bool {
        self.supabase || self.stand_in.as_deref() == Some("supabase")
    }

    fn pull_flags(&self) -> Vec<String> {
        let mut flags = Vec::new();
        for schema in &self.schemas {
            flags.extend(["--schema".to_string(), schema.clone()]);
        }
        if let Some(column) = &self.tenant_column {
            flags.extend(["--tenant-column".to_string(), column.clone()]);
        }
        if self.supabase {
            flags.push("--supabase".to_string());
        }
        if let Some(split) = &self.split {
            flags.extend(["--split".to_string(), split.clone()]);
        }
        flags
    }
}

struct Case {
    name: String,
    dir: PathBuf,
    config: CaseConfig,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/pull")
}

fn cases() -> Vec<Case> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    if let Ok(only) = std::env::var("PULL_CASE") {
        dirs.retain(|d| {
            d.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(&only))
        });
    }
    dirs.into_iter()
        .map(|dir| {
            let name = dir.file_name().unwrap().to_string_lossy().to_string();
            let config = match std::fs::read_to_string(dir.join("case.toml")) {
                Ok(text) => {
                    toml::from_str(&text).unwrap_or_else(|e| panic!("{name}/case.toml: {e}"))
                }
                Err(_) => CaseConfig::default(),
            };
            Case { name, dir, config }
        })
        .collect()
}

/// The Supabase stand-in, in the order the example's `dev_setup` runs it.
const SUPABASE_STAND_IN: &[&str] = &[
    "examples/supabase/supabase/roles.sql",
    "examples/supabase/supabase/auth.sql",
    "examples/supabase/supabase/storage.sql",
];

/// What the case's database holds before its schema: the same on the fresh
/// database the pulled project is applied to.
async fn prerequisites(case: &Case, db: &support::TestDatabase) -> Result<(), String> {
    if case.config.supabase_stand_in() {
        for file in SUPABASE_STAND_IN {
            let sql =
                std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
            db.client().batch_execute(&sql).await.map_err(|e| {
                format!("{}: {file}: {}", case.name, rlsctl::error::error_chain(&e))
            })?;
        }
    }
    Ok(())
}

/// A database with the case's prerequisites and schema.
async fn load(case: &Case) -> Result<support::TestDatabase, String> {
    let db = support::database().await;
    prerequisites(case, &db).await?;
    let schema = std::fs::read_to_string(case.dir.join("schema.sql"))
        .map_err(|e| format!("{}: schema.sql: {e}", case.name))?;
    db.client().batch_execute(&schema).await.map_err(|e| {
        format!(
            "{}: schema.sql: {}",
            case.name,
            rlsctl::error::error_chain(&e)
        )
    })?;
    Ok(db)
}

/// `rlsctl -C project ARGS`, on a blocking thread so that other cases run meanwhile.
async fn rlsctl(project: &Path, args: &[&str]) -> Output {
    let project = project.to_path_buf();
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        Command::cargo_bin("rlsctl")
            .unwrap()
            .arg("-C")
            .arg(project)
            .args(args)
            .env_remove("DATABASE_URL")
            .env("RLSCTL_NO_CACHE", "1")
            .write_stdin("")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn shown(out: &Output) -> String {
    format!(
        "--- stdout\n{}--- stderr\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every `.toml` file under `dir`.
fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            toml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// The text with every string that starts with `TODO` (a reason pull leaves for
/// a human) replaced by a reviewed reason; the number replaced.
fn fill_todos(text: &str) -> (String, usize) {
    const REVIEWED: &str = "reviewed: as the pull corpus' schema has it";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut count = 0;
    while let Some(i) = rest.find("\"TODO") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        // TODO reasons are basic strings without escaped quotes.
        let end = after.find('"').map_or(after.len(), |e| e + 1);
        out.push('"');
        out.push_str(REVIEWED);
        out.push('"');
        rest = &after[end.min(after.len())..];
        count += 1;
    }
    out.push_str(rest);
    (out, count)
}

/// `dev_url` set in `rlsctl.toml`, so that the pulled project's dev databases go
/// to the test server (an ephemeral cluster per command otherwise).
fn with_dev_url(settings: &str, url: &str) -> String {
    let line = format!("dev_url = \"{url}\"");
    let mut out = String::new();
    let mut placed = false;
    for l in settings.lines() {
        out.push_str(l);
        out.push('\n');
        let header = l.split('#').next().unwrap_or("").trim();
        if !placed && header == "[database]" {
            out.push_str(&line);
            out.push('\n');
            placed = true;
        }
    }
    if !placed {
        out.push_str(&format!("\n[database]\n{line}\n"));
    }
    out
}

/// The pulled project's owned schemas (`[project] schemas`).
fn owned_schemas(project: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(project.join("rlsctl.toml"))
        .map_err(|e| format!("rlsctl.toml: {e}"))?;
    let settings: toml::Table = toml::from_str(&text).map_err(|e| format!("rlsctl.toml: {e}"))?;
    let schemas = settings
        .get("project")
        .and_then(|p| p.get("schemas"))
        .and_then(|s| s.as_array())
        .ok_or("rlsctl.toml has no [project] schemas")?;
    Ok(schemas
        .iter()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect())
}

/// How an array item is named in `ignore` (`tables:app.t`): its `name`, a
/// `{schema, name}` pair joined with a dot.
fn item_name(item: &Value) -> Option<String> {
    match item.get("name")? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => Some(format!(
            "{}.{}",
            o.get("schema")?.as_str()?,
            o.get("name")?.as_str()?
        )),
        _ => None,
    }
}

/// The catalog as compared: cluster-wide roles left out (parallel cases create
/// theirs), and the case's `ignore` entries: a top-level part (`rules`) or one
/// named item of it (`tables:app.child`).
fn comparable(catalog: &rlsctl::catalog::Catalog, ignore: &[String]) -> Value {
    let mut value = serde_json::to_value(catalog).unwrap();
    let object = value.as_object_mut().unwrap();
    object.remove("roles");
    for (part, item) in object.iter_mut() {
        normalise_acls(item, default_grants(part));
    }
    for entry in ignore {
        match entry.split_once(':') {
            None => {
                object.remove(entry.as_str());
            }
            Some((part, name)) => {
                if let Some(Value::Array(items)) = object.get_mut(part) {
                    items.retain(|i| item_name(i).as_deref() != Some(name));
                }
            }
        }
    }
    value
}

/// What a NULL ACL gives others than the owner, by the part of the catalog the
/// object is in (PostgreSQL's defaults: EXECUTE on functions and USAGE on types
/// to PUBLIC, nothing on the rest), as `normalise_acls` writes grants.
fn default_grants(part: &str) -> Vec<Value> {
    let public = |privilege: &str| serde_json::json!(["public", privilege, false]);
    match part {
        "functions" => vec![public("EXECUTE")],
        "types" => vec![public("USAGE")],
        _ => Vec::new(),
    }
}

/// Every `acl` below `value` as the sorted set of (grantee, privilege, grantable)
/// it gives, a NULL ACL as `defaults`: a NULL ACL and the explicit one PostgreSQL
/// would print for the same privileges grant the same (the grantor is left out).
fn normalise_acls(value: &mut Value, defaults: Vec<Value>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                if key == "acl" {
                    *child = Value::Array(acl_grants(child, &defaults));
                } else {
                    normalise_acls(child, defaults.clone());
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                normalise_acls(item, defaults.clone());
            }
        }
        _ => {}
    }
}

fn acl_grants(acl: &Value, defaults: &[Value]) -> Vec<Value> {
    let mut grants: Vec<Value> = match acl.get("explicit").and_then(Value::as_array) {
        Some(explicit) => explicit
            .iter()
            .map(|g| serde_json::json!([g["grantee"], g["privilege"], g["grantable"]]))
            .collect(),
        None if acl == "default" => defaults.to_vec(),
        None => vec![acl.clone()],
    };
    grants.sort_by_key(|g| g.to_string());
    grants.dedup();
    grants
}

/// The paths at which two JSON values differ, with both sides (at most `limit`).
fn differences(path: &str, a: &Value, b: &Value, out: &mut Vec<String>, limit: usize) {
    if out.len() >= limit || a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                let (va, vb) = (
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                );
                differences(&format!("{path}.{k}"), va, vb, out, limit);
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                let label = item_name(va).unwrap_or_else(|| i.to_string());
                differences(&format!("{path}[{label}]"), va, vb, out, limit);
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            let names = |v: &Vec<Value>| -> Vec<String> {
                v.iter()
                    .enumerate()
                    .map(|(i, item)| item_name(item).unwrap_or_else(|| i.to_string()))
                    .collect()
            };
            out.push(format!(
                "{path}: {} item(s) in the original {:?}, {} after the round trip {:?}",
                x.len(),
                names(x),
                y.len(),
                names(y)
            ));
        }
        _ => out.push(format!("{path}: original {a}, round trip {b}")),
    }
}

/// The rows of `sql`, as text.
async fn rows(db: &support::TestDatabase, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
    let wrapped = format!("select row_to_json(q)::text from ({sql}) q");
    let rows = db
        .client()
        .query(&wrapped, &[])
        .await
        .map_err(|e| format!("{sql}: {}", rlsctl::error::error_chain(&e)))?;
    Ok(rows
        .iter()
        .map(|r| vec![r.get::<_, Option<String>>(0)])
        .collect())
}

/// The whole round trip of one case (see the module doc).
async fn round_trip(case: &Case) -> Result<(), String> {
    let name = &case.name;
    let original = load(case).await?;
    let url = original.url();
    let project = tempfile::tempdir().unwrap();
    let dir = project.path().join("pulled");
    std::fs::create_dir(&dir).unwrap();

    // 2. pull
    let mut args = vec![
        "pull".to_string(),
        "--database-url".to_string(),
        url.clone(),
    ];
    args.extend(case.config.pull_flags());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let pulled = rlsctl(&dir, &args).await;
    if pulled.status.code() != Some(0) {
        return Err(format!(
            "{name}: pull exited {:?}\n{}",
            pulled.status.code(),
            shown(&pulled)
        ));
    }
    let report = shown(&pulled);
    for wanted in &case.config.report {
        if !report.contains(wanted.as_str()) {
            return Err(format!(
                "{name}: pull's report does not say {wanted:?}\n{report}"
            ));
        }
    }
    check_pulled(case, &original, &dir, &report).await
}

/// Steps 3 to 5 on the project in `dir` pulled from `original` (whose `report`
/// pull printed): TODO reasons filled, validate, plan empty, apply to a fresh
/// database, same catalog.
async fn check_pulled(
    case: &Case,
    original: &support::TestDatabase,
    dir: &Path,
    report: &str,
) -> Result<(), String> {
    let name = &case.name;
    let url = original.url();
    let mut files = Vec::new();
    toml_files(dir, &mut files);
    if !files.iter().any(|f| f.ends_with("rlsctl.toml")) {
        return Err(format!(
            "{name}: pull wrote no rlsctl.toml ({files:?})\n{report}"
        ));
    }
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let (filled, _) = fill_todos(&text);
        let filled = if file.ends_with("rlsctl.toml") {
            with_dev_url(&filled, &url)
        } else {
            filled
        };
        std::fs::write(file, filled).unwrap();
    }
    let pulled_files = || {
        files
            .iter()
            .map(|f| {
                format!(
                    "--- {}\n{}",
                    f.strip_prefix(dir).unwrap_or(f).display(),
                    std::fs::read_to_string(f).unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("")
    };

    // 3. validate
    let validated = rlsctl(dir, &["validate"]).await;
    if validated.status.code() != Some(0) {
        return Err(format!(
            "{name}: validate of the pulled project exited {:?}\n{}\n{}",
            validated.status.code(),
            shown(&validated),
            pulled_files()
        ));
    }

    // 4. plan against the same database: no change; the unmanaged list as expected.
    let planned = rlsctl(
        dir,
        &[
            "plan",
            "--database-url",
            &url,
            "--format",
            "json",
            "--detailed-exitcode",
        ],
    )
    .await;
    if planned.status.code() != Some(0) {
        return Err(format!(
            "{name}: plan against the pulled database is not empty (exit {:?})\n{}\n{}",
            planned.status.code(),
            shown(&planned),
            pulled_files()
        ));
    }
    let plan: Value = serde_json::from_slice(&planned.stdout)
        .map_err(|e| format!("{name}: plan's JSON: {e}\n{}", shown(&planned)))?;
    let mut unmanaged: Vec<String> = plan["unmanaged"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|u| {
                    format!(
                        "{} {}",
                        u["kind"].as_str().unwrap_or("?"),
                        u["name"].as_str().unwrap_or("?")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    unmanaged.sort();
    let mut expected = case.config.unmanaged.clone();
    expected.sort();
    if unmanaged != expected {
        return Err(format!(
            "{name}: plan's unmanaged objects differ\n--- expected\n{}\n--- got\n{}",
            expected.join("\n"),
            unmanaged.join("\n")
        ));
    }
    for line in &expected {
        let object = line.rsplit(' ').next().unwrap_or(line);
        if !report.contains(object) {
            return Err(format!(
                "{name}: pull's report does not name the unmanaged {line:?}\n{report}"
            ));
        }
    }

    // 5. apply to a fresh database with the same prerequisites; same catalog.
    let fresh = support::database().await;
    prerequisites(case, &fresh).await?;
    let applied = rlsctl(dir, &["apply", "--yes", "--database-url", &fresh.url()]).await;
    if applied.status.code() != Some(0) {
        return Err(format!(
            "{name}: apply of the pulled project to an empty database exited {:?}\n{}\n{}",
            applied.status.code(),
            shown(&applied),
            pulled_files()
        ));
    }
    let schemas = owned_schemas(dir).map_err(|e| format!("{name}: {e}"))?;
    for wanted in &case.config.schemas {
        if !schemas.contains(wanted) {
            return Err(format!(
                "{name}: --schema {wanted} is not in the pulled [project] schemas {schemas:?}"
            ));
        }
    }
    let before = rlsctl::catalog::inspect(original.client(), &schemas)
        .await
        .map_err(|e| {
            format!(
                "{name}: inspect the original: {}",
                rlsctl::error::error_chain(&e)
            )
        })?;
    let after = rlsctl::catalog::inspect(fresh.client(), &schemas)
        .await
        .map_err(|e| {
            format!(
                "{name}: inspect the round trip: {}",
                rlsctl::error::error_chain(&e)
            )
        })?;
    let (before, after) = (
        comparable(&before, &case.config.ignore),
        comparable(&after, &case.config.ignore),
    );
    let mut diffs = Vec::new();
    differences("catalog", &before, &after, &mut diffs, 30);
    if !diffs.is_empty() {
        return Err(format!(
            "{name}: the database built from the pulled project differs from the original:\n{}\n{}",
            diffs.join("\n"),
            pulled_files()
        ));
    }
    for sql in &case.config.same {
        let (a, b) = (rows(original, sql).await?, rows(&fresh, sql).await?);
        if a != b {
            return Err(format!(
                "{name}: `{sql}` differs\n--- original\n{a:?}\n--- round trip\n{b:?}"
            ));
        }
    }
    Ok(())
}

/// How many cases run at once (each runs five rlsctl processes).
const CONCURRENT_CASES: usize = 4;

/// Runs `each` on every case a few at a time; the failures, in corpus order.
async fn run_all<F, Fut>(cases: Vec<Case>, each: F) -> (usize, Vec<(String, Result<(), String>)>)
where
    F: Fn(std::sync::Arc<Case>) -> Fut + Copy + Send + 'static,
    Fut: std::future::Future<Output = Result<(), String>> + Send + 'static,
{
    let total = cases.len();
    let cases: Vec<std::sync::Arc<Case>> = cases.into_iter().map(std::sync::Arc::new).collect();
    let mut results = Vec::new();
    for chunk in cases.chunks(CONCURRENT_CASES) {
        let mut running = tokio::task::JoinSet::new();
        for (i, case) in chunk.iter().cloned().enumerate() {
            running.spawn(async move { (i, case.name.clone(), each(case).await) });
        }
        let mut done = running.join_all().await;
        done.sort_by_key(|(i, _, _)| *i);
        results.extend(done.into_iter().map(|(_, n, r)| (n, r)));
    }
    (total, results)
}

fn minimum_cases() -> usize {
    if std::env::var("PULL_CASE").is_ok() {
        1
    } else {
        60
    }
}

/// Loads every case's schema; panics listing those that fail.
async fn load_all() {
    let cases = cases();
    assert!(
        cases.len() >= minimum_cases(),
        "the pull corpus is missing cases: {} found",
        cases.len()
    );
    let (total, results) = run_all(cases, |case| async move { load(&case).await.map(drop) }).await;
    let failures: Vec<String> = results.into_iter().filter_map(|(_, r)| r.err()).collect();
    assert!(
        failures.is_empty(),
        "{} of {total} schemas do not load:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[tokio::test]
async fn every_pull_case_schema_loads() {
    load_all().await;
}

#[tokio::test]
async fn every_pull_case_round_trips_pull_validate_plan_empty_apply_same_catalog() {
    if std::env::var_os("PULL_CASE_LOAD_ONLY").is_some() {
        return load_all().await;
    }
    let cases = cases();
    assert!(
        cases.len() >= minimum_cases(),
        "the pull corpus is missing cases: {} found",
        cases.len()
    );
    let gaps: Vec<(String, Option<String>)> = cases
        .iter()
        .map(|c| (c.name.clone(), c.config.known_gap.clone()))
        .collect();
    let (total, results) = run_all(cases, |case| async move { round_trip(&case).await }).await;
    let mut failures = Vec::new();
    let mut known = Vec::new();
    for ((name, result), (_, gap)) in results.into_iter().zip(gaps) {
        match (result, gap) {
            (Ok(()), None) => {}
            (Err(e), None) => failures.push(e),
            (Err(e), Some(gap)) => known.push(format!(
                "{name}: {gap}\n    failed with: {}",
                e.lines().next().unwrap_or("")
            )),
            (Ok(()), Some(gap)) => failures.push(format!(
                "{name}: round trips now; remove `known_gap = {gap:?}` from its case.toml"
            )),
        }
    }
    if !known.is_empty() {
        eprintln!("known gaps ({}):\n  {}", known.len(), known.join("\n  "));
    }
    assert!(
        failures.is_empty(),
        "{} of {total} cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// A declared project copied into a temp dir, as if pulled, with the original
/// database it builds: what `check_pulled` is checked against.
async fn declared(
    example: &str,
    config: CaseConfig,
) -> (Case, support::TestDatabase, tempfile::TempDir) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(example);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("pulled");
    copy_project(&source, &dir);
    let case = Case {
        name: example.to_string(),
        dir: source,
        config,
    };
    let original = support::database().await;
    support::cli::app_user_role(&original).await;
    prerequisites(&case, &original).await.unwrap();
    let settings = std::fs::read_to_string(dir.join("rlsctl.toml")).unwrap();
    let built = tmp.path().join("built");
    copy_project(&dir, &built);
    std::fs::write(
        built.join("rlsctl.toml"),
        with_dev_url(&settings, &original.url()),
    )
    .unwrap();
    let applied = rlsctl(
        &built,
        &["apply", "--yes", "--database-url", &original.url()],
    )
    .await;
    assert_eq!(applied.status.code(), Some(0), "{}", shown(&applied));
    (case, original, tmp)
}

fn copy_project(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap();
        if path.is_dir() {
            if ["schema", "policies", "supabase"].contains(&name.to_str().unwrap()) {
                copy_project(&path, &to.join(name));
            }
        } else if path.extension().is_some_and(|e| e == "toml" || e == "sql") {
            std::fs::copy(&path, to.join(name)).unwrap();
        }
    }
}

#[tokio::test]
async fn the_checks_pass_for_the_examples_and_the_databases_they_build() {
    for (example, config) in [
        ("", CaseConfig::default()),
        (
            "examples/supabase",
            CaseConfig {
                stand_in: Some("supabase".to_string()),
                ..CaseConfig::default()
            },
        ),
    ] {
        let (case, original, tmp) = declared(example, config).await;
        check_pulled(&case, &original, &tmp.path().join("pulled"), "")
            .await
            .unwrap_or_else(|e| panic!("{example:?}: {e}"));
    }
}

#[tokio::test]
async fn the_checks_fail_when_the_database_holds_what_the_project_lacks() {
    let (case, original, tmp) = declared("", CaseConfig::default()).await;
    original
        .client()
        .batch_execute("create index projects_name_extra on app.projects (name)")
        .await
        .unwrap();
    let error = check_pulled(&case, &original, &tmp.path().join("pulled"), "")
        .await
        .expect_err("an index the project lacks");
    assert!(
        error.contains("plan against the pulled database is not empty"),
        "{error}"
    );
}

#[tokio::test]
async fn the_catalog_comparison_names_what_differs() {
    let (a, b) = (support::database().await, support::database().await);
    a.client()
        .batch_execute("create schema app; create table app.t (id int primary key, v text)")
        .await
        .unwrap();
    b.client()
        .batch_execute("create schema app; create table app.t (id int primary key, v varchar(3))")
        .await
        .unwrap();
    let schemas = ["app".to_string()];
    let (x, y) = (
        rlsctl::catalog::inspect(a.client(), &schemas)
            .await
            .unwrap(),
        rlsctl::catalog::inspect(b.client(), &schemas)
            .await
            .unwrap(),
    );
    let mut diffs = Vec::new();
    differences(
        "catalog",
        &comparable(&x, &[]),
        &comparable(&y, &[]),
        &mut diffs,
        10,
    );
    assert_eq!(diffs.len(), 1, "{diffs:?}");
    assert!(
        diffs[0].starts_with("catalog.tables[app.t].columns[v].data_type"),
        "{diffs:?}"
    );
    let mut none = Vec::new();
    for ignore in [["tables".to_string()], ["tables:app.t".to_string()]] {
        differences(
            "catalog",
            &comparable(&x, &ignore),
            &comparable(&y, &ignore),
            &mut none,
            10,
        );
    }
    assert!(none.is_empty(), "ignored: {none:?}");
}

#[test]
fn a_null_acl_equals_the_explicit_defaults_of_its_kind() {
    let default = serde_json::json!({ "functions": [{ "name": "f", "acl": "default" }] });
    let explicit = serde_json::json!({ "functions": [{ "name": "f", "acl": { "explicit": [
        { "grantee": "public", "privilege": "EXECUTE", "grantor": "postgres", "grantable": false }
    ] } }] });
    let granted = serde_json::json!({ "functions": [{ "name": "f", "acl": { "explicit": [
        { "grantee": { "role": "app_user" }, "privilege": "EXECUTE", "grantor": "postgres", "grantable": false }
    ] } }] });
    let normal = |mut v: Value| {
        for (part, item) in v.as_object_mut().unwrap().iter_mut() {
            normalise_acls(item, default_grants(part));
        }
        v
    };
    assert_eq!(normal(default.clone()), normal(explicit));
    assert_ne!(normal(default), normal(granted));
}

#[test]
fn every_case_has_a_schema_and_a_valid_case_toml() {
    for case in cases() {
        assert!(
            case.dir.join("schema.sql").is_file(),
            "{} has no schema.sql",
            case.name
        );
        for line in &case.config.unmanaged {
            assert!(
                line.contains(' '),
                "{}: an unmanaged line is `kind name`: {line:?}",
                case.name
            );
        }
    }
}

#[test]
fn todo_reasons_are_filled_and_nothing_else_changes() {
    let (text, n) = fill_todos(
        "[tables.a]\npublic = \"TODO: say why this table is public\"\nforce_reason = \"TODO: why\"\n",
    );
    assert_eq!(n, 2);
    assert!(!text.contains("TODO"), "{text}");
    assert!(text.contains("[tables.a]\npublic = \"reviewed"));
    let (same, n) = fill_todos("name = \"keep\"\n");
    assert_eq!((same.as_str(), n), ("name = \"keep\"\n", 0));
}

#[test]
fn dev_url_goes_into_the_database_table() {
    let out = with_dev_url(
        "[project]\nschemas = [\"app\"]\n\n[database]  # x\nurl_env = \"D\"\n",
        "postgres://h/db",
    );
    assert!(
        out.contains("[database]  # x\ndev_url = \"postgres://h/db\"\nurl_env"),
        "{out}"
    );
    let out = with_dev_url("[project]\nschemas = [\"app\"]\n", "u");
    let parsed: toml::Table = toml::from_str(&out).unwrap();
    assert_eq!(parsed["database"]["dev_url"].as_str(), Some("u"));
}
