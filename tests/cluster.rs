//! Ephemeral clusters, scratch databases and the shared test support, against real PostgreSQL.

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Lines};
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::kill;
use nix::unistd::Pid;
use rlsctl::cluster::{Cluster, ClusterError, DevServer, ServerBinaries};

async fn database_exists(client: &tokio_postgres::Client, name: &str) -> bool {
    let sql = "SELECT exists (SELECT FROM pg_database WHERE datname = $1)";
    client.query_one(sql, &[&name]).await.unwrap().get(0)
}

async fn query_one_string(client: &tokio_postgres::Client, sql: &str) -> String {
    client.query_one(sql, &[]).await.unwrap().get(0)
}

/// Whether `pid` is a live process; a zombie left for an absent reaper is not.
fn process_is_running(pid: u32) -> bool {
    if !std::path::Path::new("/proc/self/stat").exists() {
        return kill(Pid::from_raw(pid as i32), None).is_ok();
    }
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with(['Z', 'X']))
    })
}

fn wait_until_gone(pid: u32, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    while process_is_running(pid) {
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    true
}

#[tokio::test]
async fn a_cluster_starts_and_answers_queries() {
    let cluster = Cluster::start().unwrap();
    let client = cluster.connect("postgres").await.unwrap();

    let version = query_one_string(&client, "SELECT version()").await;

    let expected = format!("PostgreSQL {}", cluster.major_version());
    assert!(version.starts_with(&expected), "{version}");
    assert_eq!(query_one_string(&client, "SHOW fsync").await, "off");
    assert_eq!(query_one_string(&client, "SHOW listen_addresses").await, "");
}

#[tokio::test]
async fn two_clusters_run_at_once_without_sharing_data() {
    let first = Cluster::start().unwrap();
    let second = Cluster::start().unwrap();
    assert_ne!(first.dir(), second.dir());

    let a = first.connect("postgres").await.unwrap();
    let b = second.connect("postgres").await.unwrap();
    a.batch_execute("CREATE TABLE only_in_first (id int)")
        .await
        .unwrap();

    let seen_in_second = b
        .query_one("SELECT to_regclass('only_in_first') IS NOT NULL", &[])
        .await
        .unwrap()
        .get::<_, bool>(0);
    assert!(!seen_in_second);
}

#[test]
fn dropping_a_cluster_stops_the_server_and_removes_its_directory() {
    let cluster = Cluster::start().unwrap();
    let dir = cluster.dir().to_path_buf();
    let pid = cluster.server_pid();
    assert!(dir.join("data/PG_VERSION").is_file());
    assert!(process_is_running(pid));

    drop(cluster);

    assert!(!dir.exists(), "{} still exists", dir.display());
    assert!(!process_is_running(pid), "postgres {pid} still runs");
}

#[test]
fn stopping_a_cluster_reports_success_and_leaves_nothing() {
    let cluster = Cluster::start().unwrap();
    let dir = cluster.dir().to_path_buf();
    let pid = cluster.server_pid();

    cluster.stop().unwrap();

    assert!(!dir.exists());
    assert!(!process_is_running(pid));
}

/// Names the helper test to run in a child process of the test binary.
const HELPER_ENV: &str = "RLSCTL_TEST_CLUSTER_HELPER";

/// A child process of this test binary running one `helper_*` test, which
/// starts a cluster and prints `cluster <server pid> <dir>`.
struct Helper {
    process: Child,
    /// Kept open: the helper's later output must not hit a closed pipe.
    _stdout: Lines<BufReader<ChildStdout>>,
    server_pid: u32,
    dir: PathBuf,
}

fn start_helper(name: &str) -> Helper {
    let mut process = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--ignored", "--nocapture"])
        .env(HELPER_ENV, name)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(process.stdout.take().unwrap()).lines();
    let line = stdout
        .by_ref()
        .map_while(Result::ok)
        .find(|line| line.starts_with("cluster "))
        .expect("the helper printed no cluster");
    let mut words = line.splitn(3, ' ').skip(1);
    let server_pid = words.next().unwrap().parse().unwrap();
    let dir = PathBuf::from(words.next().unwrap());
    Helper {
        process,
        _stdout: stdout,
        server_pid,
        dir,
    }
}

fn is_helper_run(name: &str) -> bool {
    std::env::var(HELPER_ENV).is_ok_and(|wanted| wanted == name)
}

fn announce(cluster: &Cluster) {
    println!(
        "cluster {} {}",
        cluster.server_pid(),
        cluster.dir().display()
    );
}

#[test]
#[ignore = "helper process, run by a_killed_runs_directory_is_removed_by_the_next_start"]
fn helper_holds_a_cluster_until_killed() {
    if !is_helper_run("helper_holds_a_cluster_until_killed") {
        return;
    }
    let cluster = Cluster::start().unwrap();
    announce(&cluster);
    std::thread::sleep(Duration::from_secs(120));
}

#[test]
fn a_killed_runs_directory_is_removed_by_the_next_start_and_live_ones_are_kept() {
    let live = Cluster::start().unwrap();
    let mut helper = start_helper("helper_holds_a_cluster_until_killed");
    assert!(helper.dir.join("data/PG_VERSION").is_file());

    helper.process.kill().unwrap();
    helper.process.wait().unwrap();

    assert!(
        wait_until_gone(helper.server_pid, Duration::from_secs(15)),
        "the server outlived the process that started it"
    );
    let next = Cluster::start().unwrap();
    assert!(
        !helper.dir.exists(),
        "{} was not removed",
        helper.dir.display()
    );
    assert!(live.dir().join("data/PG_VERSION").is_file());
    assert!(next.dir().exists());
}

#[test]
fn an_empty_bindir_setting_says_how_to_install_postgres() {
    let empty = tempfile::tempdir().unwrap();

    let error = ServerBinaries::find_with(Some(empty.path())).unwrap_err();

    assert!(matches!(error, ClusterError::BinariesNotFound { .. }));
    let message = error.to_string();
    for advice in [
        "RLSCTL_PG_BINDIR",
        "apt-get install postgresql",
        "brew install postgresql@15",
        "dev_url",
        "RLSCTL_TEST_DATABASE_URL",
    ] {
        assert!(
            message.contains(advice),
            "{advice:?} missing from:\n{message}"
        );
    }
    assert!(message.contains(&empty.path().display().to_string()));
}

#[test]
fn a_bindir_setting_that_holds_a_server_is_used_as_is() {
    let found = ServerBinaries::find().unwrap();

    let given = ServerBinaries::find_with(Some(found.bindir())).unwrap();

    assert_eq!(given, found);
    assert!(given.major_version() >= 12, "{}", given.major_version());
}

#[tokio::test]
async fn scratch_databases_are_created_usable_and_dropped() {
    let server = DevServer::ephemeral().unwrap();
    let first = server.create_database("scratch").await.unwrap();
    let second = server.create_database("scratch").await.unwrap();
    assert_ne!(first.name(), second.name());
    assert!(first.name().starts_with("scratch_"));

    let client = first.connect().await.unwrap();
    client
        .batch_execute("CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2);")
        .await
        .unwrap();
    let count: i64 = client
        .query_one("SELECT count(*) FROM t", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(count, 2);
    assert_eq!(
        query_one_string(&client, "SELECT current_database()::text").await,
        first.name()
    );

    // An open connection must not stop the drop (WITH (FORCE)).
    let name = first.name().to_string();
    first.drop().await.unwrap();
    let admin = second.connect().await.unwrap();
    assert!(!database_exists(&admin, &name).await);
}

#[tokio::test]
async fn an_existing_server_given_by_url_serves_scratch_databases() {
    let cluster = Cluster::start().unwrap();
    let url = format!(
        "host={} port=5432 user=postgres dbname=postgres",
        cluster.dir().display()
    );
    let server = DevServer::from_url(&url).unwrap();

    let scratch = server.create_database("by_url").await.unwrap();
    let name = scratch.name().to_string();
    let admin = cluster.connect("postgres").await.unwrap();
    assert!(database_exists(&admin, &name).await);

    // Going out of scope drops it too.
    drop(scratch);
    assert!(!database_exists(&admin, &name).await);
}

#[test]
fn a_server_url_is_never_shown_with_its_password() {
    let server = DevServer::from_url("postgresql://owner:hunter2@db.internal:5433/app").unwrap();

    assert!(!server.to_string().contains("hunter2"));
    assert!(!format!("{server:?}").contains("hunter2"));
    assert!(server.to_string().contains("db.internal"));
}

#[test]
fn a_malformed_url_is_an_error_not_a_panic() {
    let error = DevServer::from_url("postgres://u@h/db?nonsense_option=1").unwrap_err();
    assert!(matches!(error, ClusterError::InvalidUrl { .. }), "{error}");
}

#[tokio::test]
async fn support_gives_concurrent_callers_distinct_databases() {
    let databases = futures_join_all(8).await;

    let names: HashSet<&str> = databases.iter().map(|db| db.name()).collect();
    assert_eq!(names.len(), databases.len());
    for db in &databases {
        let current = query_one_string(db.client(), "SELECT current_database()::text").await;
        assert_eq!(current, db.name());
        // The same table name in every database: it would collide if any were shared.
        db.client()
            .batch_execute("CREATE TABLE shared_name (id int)")
            .await
            .unwrap();
    }
}

/// Eight `support::database()` calls in flight at once, without a futures dependency.
async fn futures_join_all(count: usize) -> Vec<support::TestDatabase> {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..count {
        set.spawn(support::database());
    }
    let mut databases = Vec::new();
    while let Some(db) = set.join_next().await {
        databases.push(db.unwrap());
    }
    databases
}

#[tokio::test]
async fn support_database_is_dropped_when_the_test_database_goes_out_of_scope() {
    let db = support::database().await;
    let name = db.name().to_string();
    let other = db.connect().await;
    other
        .batch_execute("CREATE TABLE t (id int)")
        .await
        .unwrap();

    drop(db);

    let witness = support::database().await;
    assert!(!database_exists(witness.client(), &name).await);
}

/// Both parallel tests create the same table: it would already exist if they shared a database.
async fn create_a_table_another_test_creates_too(label: &str) {
    let db = support::database().await;
    db.client()
        .batch_execute("CREATE TABLE marker (test text)")
        .await
        .unwrap();
    db.client()
        .execute("INSERT INTO marker VALUES ($1)", &[&label])
        .await
        .unwrap();
    let rows = db
        .client()
        .query("SELECT test FROM marker", &[])
        .await
        .unwrap();
    let labels: Vec<String> = rows.iter().map(|row| row.get(0)).collect();
    assert_eq!(labels, [label]);
}

#[tokio::test]
async fn support_databases_of_parallel_tests_are_separate_a() {
    create_a_table_another_test_creates_too("a").await;
}

#[tokio::test]
async fn support_databases_of_parallel_tests_are_separate_b() {
    create_a_table_another_test_creates_too("b").await;
}
