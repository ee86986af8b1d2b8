//! Ephemeral clusters, scratch databases and the shared test support, against real PostgreSQL.

mod support;

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rlsctl::cluster::{Cluster, ClusterError, DevServer, ServerBinaries, run_until_ctrl_c};

/// Set in the environment of the helper process that holds a cluster until killed.
const HOLD_CLUSTER_ENV: &str = "RLSCTL_TEST_HOLD_CLUSTER";

async fn query_one_string(client: &tokio_postgres::Client, sql: &str) -> String {
    client.query_one(sql, &[]).await.unwrap().get(0)
}

/// Whether `pid` is a live process; a zombie left for an absent reaper is not.
fn process_is_running(pid: u32) -> bool {
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

/// Not a test of its own: the process that `a_killed_runs_directory_...` kills.
#[test]
#[ignore = "helper process for a_killed_runs_directory_is_removed_by_the_next_start"]
fn hold_a_cluster_until_killed() {
    if std::env::var_os(HOLD_CLUSTER_ENV).is_none() {
        return;
    }
    let cluster = Cluster::start().unwrap();
    println!(
        "cluster {} {}",
        cluster.server_pid(),
        cluster.dir().display()
    );
    std::thread::sleep(Duration::from_secs(120));
}

#[test]
fn a_killed_runs_directory_is_removed_by_the_next_start_and_live_ones_are_kept() {
    let live = Cluster::start().unwrap();
    let mut helper = Command::new(std::env::current_exe().unwrap())
        .args([
            "hold_a_cluster_until_killed",
            "--exact",
            "--ignored",
            "--nocapture",
        ])
        .env(HOLD_CLUSTER_ENV, "1")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(helper.stdout.take().unwrap());
    let line = stdout
        .lines()
        .map_while(Result::ok)
        .find(|line| line.starts_with("cluster "))
        .expect("the helper printed no cluster");
    let mut words = line.split(' ').skip(1);
    let server_pid: u32 = words.next().unwrap().parse().unwrap();
    let abandoned = PathBuf::from(words.next().unwrap());
    assert!(abandoned.join("data/PG_VERSION").is_file());

    helper.kill().unwrap();
    helper.wait().unwrap();

    assert!(
        wait_until_gone(server_pid, Duration::from_secs(15)),
        "the server outlived the process that started it"
    );
    let next = Cluster::start().unwrap();
    assert!(
        !abandoned.exists(),
        "{} was not removed",
        abandoned.display()
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
    let still_there: bool = admin
        .query_one(
            "SELECT exists (SELECT FROM pg_database WHERE datname = $1)",
            &[&name],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!still_there);
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
    let listed = |client: tokio_postgres::Client, name: String| async move {
        client
            .query_one(
                "SELECT exists (SELECT FROM pg_database WHERE datname = $1)",
                &[&name],
            )
            .await
            .unwrap()
            .get::<_, bool>(0)
    };
    assert!(listed(cluster.connect("postgres").await.unwrap(), name.clone()).await);

    // Going out of scope drops it too.
    drop(scratch);
    assert!(!listed(cluster.connect("postgres").await.unwrap(), name).await);
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
async fn ctrl_c_drops_the_work_and_its_cluster() {
    let (dir_tx, dir_rx) = std::sync::mpsc::channel();

    let outcome = run_until_ctrl_c(async move {
        let cluster = Cluster::start().unwrap();
        dir_tx.send(cluster.dir().to_path_buf()).unwrap();
        // run_until_ctrl_c has installed its handler before this first runs,
        // so the signal is caught rather than ending the test binary.
        nix::sys::signal::kill(nix::unistd::Pid::this(), nix::sys::signal::Signal::SIGINT).unwrap();
        std::future::pending::<()>().await;
        drop(cluster);
    })
    .await;

    assert!(outcome.is_none());
    let dir = dir_rx.recv().unwrap();
    assert!(!dir.exists(), "{} outlived Ctrl-C", dir.display());
}

#[tokio::test]
async fn run_until_ctrl_c_returns_the_output_of_finished_work() {
    assert_eq!(run_until_ctrl_c(async { 42 }).await, Some(42));
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
    let still_there: bool = witness
        .client()
        .query_one(
            "SELECT exists (SELECT FROM pg_database WHERE datname = $1)",
            &[&name],
        )
        .await
        .unwrap()
        .get(0);
    assert!(!still_there);
}

#[tokio::test]
async fn support_databases_of_parallel_tests_are_separate_a() {
    let db = support::database().await;
    db.client()
        .batch_execute("CREATE TABLE marker (test text); INSERT INTO marker VALUES ('a')")
        .await
        .unwrap();
    let rows = db
        .client()
        .query("SELECT test FROM marker", &[])
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
}

#[tokio::test]
async fn support_databases_of_parallel_tests_are_separate_b() {
    let db = support::database().await;
    db.client()
        .batch_execute("CREATE TABLE marker (test text); INSERT INTO marker VALUES ('b')")
        .await
        .unwrap();
    let rows = db
        .client()
        .query("SELECT test FROM marker", &[])
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
}
