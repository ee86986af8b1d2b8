//! SIGINT and SIGTERM, caught from the start of a command so that at any moment
//! rlsctl stops in order: ephemeral clusters stopped and removed, open
//! transactions rolled back, a running apply cancelled on the server. It says
//! so once and exits 130 (143 for SIGTERM), the code a shell gives a process
//! that signal ended.
//!
//! The handler only records the signal; async code notices it through
//! [`requested`], and code that must finish a step first (an apply rolling back)
//! holds a [`Shield`] so that the command is not dropped under it.

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::time::Duration;

use nix::libc::{SIGINT, SIGTERM};
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::Notify;

/// The first signal caught, or 0.
static CAUGHT: AtomicI32 = AtomicI32::new(0);
/// Whether the interruption was reported to the user.
static REPORTED: AtomicBool = AtomicBool::new(false);
/// Whether this run committed changes to a target (then "nothing was committed" is untrue).
static COMMITTED: AtomicBool = AtomicBool::new(false);
/// How many [`Shield`]s are alive.
static SHIELDS: AtomicUsize = AtomicUsize::new(0);
static SHIELD_DROPPED: Notify = Notify::const_new();

/// How often to look at the flag when tokio cannot deliver the signal itself.
const POLL_INTERVAL: Duration = Duration::from_millis(100);

/// Catches SIGINT and SIGTERM for the rest of the process.
pub(crate) fn install() {
    for number in [SIGINT, SIGTERM] {
        // SAFETY: the action only stores into an atomic, which is
        // async-signal-safe; it allocates nothing and takes no lock.
        let registered = unsafe {
            signal_hook_registry::register(number, move || {
                let _ = CAUGHT.compare_exchange(0, number, Ordering::SeqCst, Ordering::SeqCst);
            })
        };
        if let Err(error) = registered {
            // The signal keeps its default action: it ends rlsctl at once.
            tracing::warn!(%error, number, "cannot catch the signal");
        }
    }
}

/// The signal caught so far, if any.
pub(crate) fn caught() -> Option<i32> {
    match CAUGHT.load(Ordering::SeqCst) {
        0 => None,
        number => Some(number),
    }
}

/// Resolves when SIGINT or SIGTERM has been caught (at once if it already was).
pub(crate) async fn requested() {
    // The streams first, then the flag: a signal in between is seen by one of them.
    let mut interrupt = signal(SignalKind::interrupt()).ok();
    let mut terminate = signal(SignalKind::terminate()).ok();
    while caught().is_none() {
        tokio::select! {
            () = next(&mut interrupt) => {}
            () = next(&mut terminate) => {}
        }
    }
}

async fn next(stream: &mut Option<Signal>) {
    match stream {
        Some(stream) => {
            stream.recv().await;
        }
        None => tokio::time::sleep(POLL_INTERVAL).await,
    }
}

/// Resolves when a signal was caught and no [`Shield`] is held.
pub(crate) async fn requested_unshielded() {
    requested().await;
    loop {
        let dropped = SHIELD_DROPPED.notified();
        if SHIELDS.load(Ordering::SeqCst) == 0 {
            return;
        }
        dropped.await;
    }
}

/// While alive, an interruption does not drop the command: the code holding it
/// watches [`requested`] itself and stops in its own order.
pub(crate) struct Shield(());

impl Shield {
    /// Shields the command until dropped.
    pub(crate) fn new() -> Shield {
        SHIELDS.fetch_add(1, Ordering::SeqCst);
        Shield(())
    }
}

impl Drop for Shield {
    fn drop(&mut self) {
        SHIELDS.fetch_sub(1, Ordering::SeqCst);
        SHIELD_DROPPED.notify_waiters();
    }
}

/// Records that changes were committed to a target, so that an interruption
/// after it is not reported as "nothing was committed".
pub(crate) fn note_committed() {
    COMMITTED.store(true, Ordering::SeqCst);
}

/// Says (once) that the run was interrupted, and returns 128 + the signal's number.
pub(crate) fn report() -> ExitCode {
    let number = caught().unwrap_or(SIGINT);
    if !REPORTED.swap(true, Ordering::SeqCst) {
        if COMMITTED.load(Ordering::SeqCst) {
            eprintln!(
                "interrupted: the changes were already committed; run `rlsctl plan` to see the target's state"
            );
        } else {
            eprintln!("interrupted: nothing was committed");
        }
    }
    exit_code(number)
}

/// The exit code of a run ended by signal `number`.
fn exit_code(number: i32) -> ExitCode {
    ExitCode::from(u8::try_from(128 + number).unwrap_or(u8::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_the_shells() {
        assert_eq!(exit_code(SIGINT), ExitCode::from(130));
        assert_eq!(exit_code(SIGTERM), ExitCode::from(143));
    }
}
