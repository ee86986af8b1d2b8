//! SQL text: identifier and literal quoting, qualified names, and parsing with
//! PostgreSQL's own parser (pg_query).

mod name;
pub mod parse;
mod policy;
mod quote;
pub mod transaction;

pub use name::QualifiedName;
pub use policy::PolicyCommand;
pub use quote::{dollar_quote, quote_ident, quote_literal};
