//! The thread that owns a running `postgres` process.
//!
//! Linux sends the parent-death signal when the *thread* that spawned a child
//! ends, not the process. A cluster may be started from a short-lived thread
//! (a test's thread, tokio's blocking pool), so a dedicated thread spawns the
//! server, waits for it to accept connections, and lives until told to stop it.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;

use super::ClusterError;

/// How long the server may take to accept connections.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long the server may take to stop before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
const POLL_INTERVAL: Duration = Duration::from_millis(5);
/// Lines of server log quoted in a startup error.
const LOG_TAIL_LINES: usize = 20;

/// A running server; dropping it stops the server and waits for it to exit.
#[derive(Debug)]
pub(crate) struct Supervisor {
    /// Dropping the sender is the stop request.
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    server_pid: u32,
}

impl Supervisor {
    /// Spawns `command` (a `postgres` for `data_dir`, logging to `log`) and
    /// waits until it accepts connections.
    pub(crate) fn start(
        command: Command,
        data_dir: PathBuf,
        log: PathBuf,
    ) -> Result<Self, ClusterError> {
        let (started_tx, started_rx) = mpsc::sync_channel(1);
        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        let thread = thread::Builder::new()
            .name("rlsctl-postgres".to_string())
            .spawn(move || supervise(command, &data_dir, &log, &started_tx, &stop_rx))
            .map_err(|error| ClusterError::io("start a thread for", "postgres", error))?;
        let started = started_rx.recv().unwrap_or_else(|_| {
            Err(ClusterError::io(
                "supervise",
                "postgres",
                io::Error::other("the supervising thread ended unexpectedly"),
            ))
        });
        match started {
            Ok(server_pid) => Ok(Self {
                stop: Some(stop_tx),
                thread: Some(thread),
                server_pid,
            }),
            Err(error) => {
                // It has already stopped the server; joining only reaps the thread.
                let _ = thread.join();
                Err(error)
            }
        }
    }

    /// The pid of the `postgres` process.
    pub(crate) fn server_pid(&self) -> u32 {
        self.server_pid
    }
}

impl Drop for Supervisor {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn supervise(
    mut command: Command,
    data_dir: &Path,
    log: &Path,
    started: &mpsc::SyncSender<Result<u32, ClusterError>>,
    stop: &mpsc::Receiver<()>,
) {
    let mut child = match command.spawn() {
        Ok(child) => child,
        Err(error) => {
            let _ = started.send(Err(ClusterError::io("start", command.get_program(), error)));
            return;
        }
    };
    let ready = wait_until_ready(&mut child, data_dir, log);
    let is_ready = ready.is_ok();
    if !is_ready {
        shut_down(&mut child);
    }
    let _ = started.send(ready.map(|()| child.id()));
    if is_ready {
        // Returns once the sender is dropped: that is the stop request.
        let _ = stop.recv();
        shut_down(&mut child);
    }
}

/// Waits until `postmaster.pid` says "ready", as `pg_ctl -w` does.
fn wait_until_ready(child: &mut Child, data_dir: &Path, log: &Path) -> Result<(), ClusterError> {
    let pid_file = data_dir.join("postmaster.pid");
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Ok(Some(status)) = child.try_wait() {
            return Err(ClusterError::ServerExited {
                status,
                log_tail: log_tail(log),
            });
        }
        if fs::read_to_string(&pid_file).is_ok_and(|text| says_ready(&text, child.id())) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(ClusterError::StartTimeout {
                waited: START_TIMEOUT,
                log_tail: log_tail(log),
            });
        }
        thread::sleep(POLL_INTERVAL);
    }
}

/// Line 1 of `postmaster.pid` is the server's pid, line 8 its status.
fn says_ready(pid_file: &str, pid: u32) -> bool {
    let mut lines = pid_file.lines();
    lines.next().map(str::trim) == Some(&pid.to_string())
        && lines.nth(6).map(str::trim) == Some("ready")
}

fn shut_down(child: &mut Child) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    // Immediate shutdown: the data directory is deleted next, so nothing is
    // worth a checkpoint.
    if let Ok(pid) = i32::try_from(child.id()) {
        let _ = kill(Pid::from_raw(pid), Signal::SIGQUIT);
    }
    if wait_for_exit(child, STOP_TIMEOUT).is_none() {
        tracing::warn!(
            pid = child.id(),
            "postgres did not stop in time; killing it"
        );
        let _ = child.kill();
        let _ = child.wait();
    }
}

fn wait_for_exit(child: &mut Child, timeout: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(POLL_INTERVAL),
            _ => return None,
        }
    }
}

fn log_tail(log: &Path) -> String {
    let text = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(LOG_TAIL_LINES)..].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_ready_status_for_our_pid_counts_as_ready() {
        let file = "4242\n/data\n1700000000\n5432\n/tmp/x\n\n  1 2\nready   \n";
        assert!(says_ready(file, 4242));
        assert!(!says_ready(file, 4243));
        assert!(!says_ready(&file.replace("ready", "starting"), 4242));
        assert!(!says_ready("4242\n/data\n", 4242));
    }
}
