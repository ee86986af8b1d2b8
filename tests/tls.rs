//! The "certificate is not verified" note against a real PostgreSQL speaking TLS
//! over TCP (a cluster of this test's own, with a self-signed certificate): it
//! follows the session negotiated, on every command alike.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use rlsctl::cluster::{Cluster, ServerBinaries};
use rlsctl::conn::{Target, Tls};

const TLS_NOTE: &str = "certificate is not verified";

/// A self-signed certificate for 127.0.0.1 and its key, readable by the server account.
fn certificate(dir: &Path) {
    let status = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args([
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(dir.join("key.pem"))
        .arg("-out")
        .arg(dir.join("cert.pem"))
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let key = dir.join("key.pem");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    if nix::unistd::Uid::effective().is_root() {
        // The server runs as postgres and insists on owning a 0600 key.
        let user = nix::unistd::User::from_name("postgres").unwrap().unwrap();
        for file in ["key.pem", "cert.pem"] {
            nix::unistd::chown(&dir.join(file), Some(user.uid), Some(user.gid)).unwrap();
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn rlsctl(args: &[&str]) -> String {
    let output = Command::new(assert_cmd::cargo::cargo_bin("rlsctl"))
        .arg("-C")
        .arg(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("PGSSLMODE")
        .env_remove("PGSSLROOTCERT")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn the_note_is_printed_exactly_when_tls_was_negotiated_unverified() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    certificate(dir.path());
    let port = free_port();
    let settings = [
        "listen_addresses=127.0.0.1".to_string(),
        format!("port={port}"),
        "ssl=on".to_string(),
        format!("ssl_cert_file={}", dir.path().join("cert.pem").display()),
        format!("ssl_key_file={}", dir.path().join("key.pem").display()),
    ];
    let settings: Vec<&str> = settings.iter().map(String::as_str).collect();
    let _cluster = Cluster::start_with_settings(&ServerBinaries::find().unwrap(), &settings)
        .unwrap_or_else(|e| panic!("a cluster with TLS: {e}"));
    let url = |query: &str| format!("postgresql://postgres@127.0.0.1:{port}/postgres?{query}");
    let root = dir.path().join("cert.pem");
    let verified = url(&format!("sslmode=verify-ca&sslrootcert={}", root.display()));

    for (query, expected) in [
        ("sslmode=require", Tls::Unverified),
        ("sslmode=prefer", Tls::Unverified),
        ("sslmode=disable", Tls::Off),
    ] {
        let (_client, tls) = Target::from_url(&url(query))
            .unwrap()
            .connect()
            .await
            .unwrap();
        assert_eq!(tls, expected, "{query}");
    }
    let (_client, tls) = Target::from_url(&verified)
        .unwrap()
        .connect()
        .await
        .unwrap();
    assert_eq!(tls, Tls::Verified);

    let unverified = url("sslmode=require");
    for command in [
        vec!["plan", "--database-url"],
        vec!["apply", "--yes", "--database-url"],
        vec!["test", "--tests-only", "--database-url"],
        vec!["audit", "--database-url"],
    ] {
        let mut args = command.clone();
        args.push(&unverified);
        let stderr = rlsctl(&args);
        assert_eq!(stderr.matches(TLS_NOTE).count(), 1, "{args:?}:\n{stderr}");
        let mut args = command.clone();
        args.push(&verified);
        let stderr = rlsctl(&args);
        assert!(!stderr.contains(TLS_NOTE), "{args:?}:\n{stderr}");
        let plain = url("sslmode=disable");
        let mut args = command;
        args.push(&plain);
        let stderr = rlsctl(&args);
        assert!(!stderr.contains(TLS_NOTE), "{args:?}:\n{stderr}");
    }
}
