//! The desired catalog, cached on disk by a hash of everything that determines it:
//! the roles script, the dev setup files, the rendered DDL, the dev server's
//! identity and the rlsctl build that made it (a rebuilt rlsctl, whose `Catalog`
//! may read more, never takes an older build's entry). An unchanged declaration
//! then costs `plan` only the target's inspection.

use std::path::PathBuf;

use sha2::{Digest, Sha256};

use crate::catalog::Catalog;
use crate::ddl;
use crate::spec::Declaration;

/// Set to any value to bypass the cache.
pub const NO_CACHE_ENV: &str = "RLSCTL_NO_CACHE";

/// A directory of cached desired catalogs.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// The running binary's size and modification time. The version alone is not
/// enough: catalog fields added within a version deserialize as empty from an
/// older build's entry (they are `#[serde(default)]`), which would hide objects.
fn build_identity() -> String {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .map(|m| format!("{} {:?}", m.len(), m.modified().ok()))
        .unwrap_or_default()
}

impl Cache {
    /// The cache under `dir`.
    pub fn at(dir: PathBuf) -> Cache {
        Cache { dir }
    }

    /// The user's cache (`$RLSCTL_CACHE_DIR` or the OS cache dir), unless
    /// `RLSCTL_NO_CACHE` is set or there is no cache directory.
    pub fn user() -> Option<Cache> {
        if std::env::var_os(NO_CACHE_ENV).is_some() {
            return None;
        }
        crate::cluster::cache_dir()
            .ok()
            .map(|d| Cache::at(d.join("desired")))
    }

    /// The key of a declaration built on a server (`server` identifies it: major
    /// version and binaries, or the dev URL).
    pub fn key(declaration: &Declaration, server: &str) -> String {
        Cache::key_of_build(declaration, server, &build_identity())
    }

    /// The key as built by the rlsctl binary `build` identifies ([`Cache::key`] uses
    /// the running one).
    pub fn key_of_build(declaration: &Declaration, server: &str, build: &str) -> String {
        let mut hash = Sha256::new();
        for part in [
            env!("CARGO_PKG_VERSION"),
            build,
            server,
            &ddl::roles_script(declaration),
            &ddl::render(declaration).to_sql(),
        ] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        for (path, sql) in &declaration.dev_setup {
            hash.update(path.as_bytes());
            hash.update([0]);
            hash.update(sql.as_bytes());
            hash.update([0]);
        }
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The cached catalog for `key`; a missing or unreadable entry is a miss.
    pub fn get(&self, key: &str) -> Option<Catalog> {
        let text = std::fs::read_to_string(self.dir.join(format!("{key}.json"))).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Stores a catalog; failures only cost the next run a rebuild.
    pub fn put(&self, key: &str, catalog: &Catalog) {
        let Ok(json) = serde_json::to_string(catalog) else {
            return;
        };
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        // Write then rename, so that a concurrent reader never sees half a file.
        let tmp = self.dir.join(format!("{key}.{}.tmp", std::process::id()));
        if std::fs::write(&tmp, json).is_ok() {
            let _ = std::fs::rename(&tmp, self.dir.join(format!("{key}.json")));
        }
    }
}
