//! The catalog: a typed model of what pg_catalog says about a database.
//!
//! Both sides of every diff are a [`Catalog`] read by [`inspect`]: the target
//! database, and a dev database the declared DDL ran in. Every expression,
//! type and definition is text Postgres itself printed (`pg_get_expr`,
//! `format_type`, `pg_get_constraintdef`, ...) under fixed settings, never
//! text rlsctl rewrote, so equal declarations read as equal catalogs.
//! The catalog knows nothing of TOML or tenancy.

mod error;
mod inspect;
mod model;

pub use crate::sql::QualifiedName;
pub use error::CatalogError;
pub use inspect::{inspect, inspect_on};
pub use model::*;
