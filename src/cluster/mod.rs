//! Ephemeral PostgreSQL clusters and scratch databases.
//!
//! rlsctl needs a PostgreSQL server to normalise the declared schema, and the
//! test suite needs one per test binary. This module finds the system's server
//! binaries ([`ServerBinaries`]), starts private clusters on a Unix socket from
//! a cached template data directory ([`Cluster`]), and hands out throw-away
//! databases on either such a cluster or an existing server ([`DevServer`],
//! [`ScratchDatabase`]). It knows nothing of TOML or the schema.
//!
//! Cleanup has three layers: `Drop` stops the server and removes its
//! directory (the CLI drops everything on SIGINT and SIGTERM); the server dies
//! with rlsctl (Linux parent-death signal); and the next start removes
//! directories whose owning process is gone.

mod abandoned;
mod account;
mod binaries;
mod dev;
mod error;
mod server;
mod supervisor;
mod template;

pub use binaries::{BINDIR_ENV, ServerBinaries};
pub use dev::{DevServer, ScratchDatabase};
pub use error::ClusterError;
pub use server::Cluster;
pub use template::CACHE_DIR_ENV;
pub use template::cache_dir;
