//! rlsctl: PostgreSQL schema and row-level security as code.
//!
//! The pipeline (see ARCHITECTURE.md): `spec` (TOML) → `ddl` (SQL) → dev database
//! (`cluster`) → `catalog` (what Postgres says).

pub mod audit;
pub mod catalog;
pub mod cli;
pub mod cluster;
pub mod conn;
pub mod ddl;
pub mod desired;
pub mod diff;
pub mod error;
pub mod init;
pub mod lint;
pub mod migrate;
pub mod plan;
pub mod prove;
pub mod report;
pub mod spec;
pub mod sql;
