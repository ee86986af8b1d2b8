//! What several commands share: the async runtime with Ctrl-C handling, the dev
//! server, and the target connection.

use std::future::Future;
use std::process::ExitCode;

use crate::catalog::Catalog;
use crate::cluster::{self, DevServer, ServerBinaries};
use crate::conn::Target;
use crate::desired::{self, Cache};
use crate::spec::Declaration;

use super::failure::{Failure, fail};

/// Runs `work` on a current-thread runtime. Ctrl-C drops it (so ephemeral
/// clusters are removed and open transactions roll back) and exits 130.
pub(crate) fn block_on<T>(work: impl Future<Output = Result<T, Failure>>) -> Result<T, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| fail(e).within("cannot start the async runtime", 1))?;
    match runtime.block_on(cluster::run_until_ctrl_c(work)) {
        Some(result) => result,
        None => {
            eprintln!("interrupted: nothing was committed; temporary databases were removed");
            Err(Failure::Shown(ExitCode::from(130)))
        }
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
    let target = Target::resolve(url_flag, declaration.url_env.as_deref()).map_err(fail)?;
    if let Some(note) = target.as_ref().and_then(Target::security_note) {
        eprintln!("note: {note}");
    }
    Ok(target)
}
