//! Server notices and warnings of one connection (`WARNING: no privileges could
//! be revoked`, `NOTICE: drop cascades to ...`). tokio-postgres hands them to
//! whoever drives the connection, not to the query that caused them, so the task
//! driving it forwards them here, in the order the server sent them: a notice
//! is queued before the reply to its statement arrives.

use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver};

use tokio::io::{AsyncRead, AsyncWrite};
use tokio_postgres::error::DbError;
use tokio_postgres::{AsyncMessage, Connection};

/// The notices a connection received and nobody has taken yet.
#[derive(Debug)]
pub struct Notices(Mutex<Receiver<DbError>>);

impl Notices {
    /// Every notice received so far, oldest first; they are taken only once.
    pub fn take(&self) -> Vec<DbError> {
        let receiver = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        receiver.try_iter().collect()
    }
}

/// Drives `connection` on a spawned task until it closes, forwarding its notices
/// to the returned [`Notices`] (and to `tracing` at debug level).
pub fn spawn<S, T>(mut connection: Connection<S, T>) -> Notices
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    T: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (sender, receiver) = mpsc::channel();
    tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notice(notice))) => {
                    tracing::debug!(severity = notice.severity(), "server: {}", notice.message());
                    // Nobody listens once the `Notices` is dropped; the debug event stays.
                    let _ = sender.send(notice);
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => {
                    tracing::debug!(%error, "database connection ended with an error");
                    break;
                }
                None => break,
            }
        }
    });
    Notices(Mutex::new(receiver))
}
