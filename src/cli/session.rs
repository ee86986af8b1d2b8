//! What several commands share: the async runtime with signal handling, the dev
//! server, and the target connection.

use std::future::Future;

use tokio_postgres::{CancelToken, Client};

use super::interrupt;
use crate::catalog::Catalog;
use crate::cluster::{DevServer, ServerBinaries};
use crate::conn::{ConnError, Notices, Target};
use crate::desired::{self, Cache};
use crate::spec::Declaration;

use super::failure::{Failure, fail};

/// Runs `work` on a current-thread runtime. SIGINT or SIGTERM drops it (so
/// ephemeral clusters are removed and open transactions roll back) unless an
/// [`interrupt::Shield`] is held, and exits 130 or 143.
pub(crate) fn block_on<T>(work: impl Future<Output = Result<T, Failure>>) -> Result<T, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(e).within("cannot start the async runtime", 1))?;
    let outcome = runtime.block_on(async {
        tokio::select! {
            // Polled first, so that a signal caught before the work is seen at once.
            biased;
            () = interrupt::requested_unshielded() => None,
            output = work => Some(output),
        }
    });
    // A blocking task may still wait on the terminal (the apply prompt); it holds
    // nothing that needs cleaning up, so it is not waited for.
    runtime.shutdown_background();
    match outcome {
        Some(result) if interrupt::caught().is_none() => result,
        _ => Err(Failure::Shown(interrupt::report())),
    }
}

/// The server for dev databases: `[database] dev_url`, else an ephemeral cluster.
pub(crate) fn dev_server(declaration: &Declaration) -> Result<DevServer, Failure> {
    let server = match &declaration.dev_url {
        Some(url) => DevServer::from_url(url),
        None => {
            eprintln!("starting an ephemeral PostgreSQL for the dev database ...");
            DevServer::ephemeral()
        }
    };
    server.map_err(fail)
}

/// The desired catalog of the declaration: from the cache when the same DDL was
/// built on the same kind of server before, else built on `dev` (or on a dev server
/// started for the purpose) and cached.
pub(crate) async fn desired_catalog(
    declaration: &Declaration,
    dev: Option<&DevServer>,
) -> Result<Catalog, Failure> {
    let identity = match (&declaration.dev_url, dev) {
        (Some(_), Some(server)) => Some(format!("url {server}")),
        (Some(url), None) => DevServer::from_url(url).ok().map(|s| format!("url {s}")),
        (None, _) => ServerBinaries::find()
            .ok()
            .map(|b| format!("pg{} {}", b.major_version(), b.bindir().display())),
    };
    let cache = Cache::user()
        .zip(identity)
        .map(|(cache, id)| (cache, Cache::key(declaration, &id)));
    if let Some((cache, key)) = &cache
        && let Some(catalog) = cache.get(key)
    {
        return Ok(catalog);
    }
    let started;
    let server = match dev {
        Some(server) => server,
        None => {
            started = dev_server(declaration)?;
            &started
        }
    };
    let catalog = desired::catalog(server, declaration).await.map_err(fail)?;
    if let Some((cache, key)) = &cache {
        cache.put(key, &catalog);
    }
    Ok(catalog)
}

/// The target: `--database-url`, `[database] url_env`, or the libpq environment.
pub(crate) fn target(
    url_flag: Option<&str>,
    declaration: &Declaration,
) -> Result<Option<Target>, Failure> {
    Target::resolve(url_flag, declaration.url_env.as_deref()).map_err(fail)
}

/// Connects to a target, noting when the TLS session it got does not
/// authenticate the server (every command connects through here).
pub(crate) async fn connect(target: &Target) -> Result<Client, ConnError> {
    Ok(connect_with_notices(target).await?.0)
}

/// Another connection to a target [`connect`] reached (`--jobs`): the TLS note,
/// if any, was printed for the first one.
pub(crate) async fn connect_more(target: &Target) -> Result<Client, String> {
    match target.connect().await {
        Ok((client, _tls)) => Ok(client),
        Err(e) => Err(e.to_string()),
    }
}

/// [`connect`], keeping the server's notices and warnings (for `apply`).
pub(crate) async fn connect_with_notices(target: &Target) -> Result<(Client, Notices), ConnError> {
    let (client, tls, notices) = target.connect_with_notices().await?;
    if let Some(note) = tls.note() {
        eprintln!("note: {note}");
    }
    Ok((client, notices))
}

/// A future that, awaited, asks the server to cancel what the session of `token`
/// runs: over the target's TLS, or a plain Unix socket for an ephemeral database.
pub(crate) async fn cancel(target: Option<&Target>, token: CancelToken) {
    let sent = match target {
        Some(target) => target.cancel(&token).await.map_err(|e| e.to_string()),
        None => token
            .cancel_query(tokio_postgres::NoTls)
            .await
            .map_err(|e| e.to_string()),
    };
    if let Err(e) = sent {
        eprintln!("warning: could not ask the server to cancel the running statement: {e}");
    }
}
