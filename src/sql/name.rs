//! Schema-qualified object names.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::quote_ident;

/// A schema-qualified name (`schema.name`) of a table, view, function or sequence.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct QualifiedName {
    /// The schema (namespace) name, unquoted.
    pub schema: String,
    /// The object name within the schema, unquoted.
    pub name: String,
}

impl QualifiedName {
    /// Builds a name from its two unquoted parts.
    pub fn new(schema: impl Into<String>, name: impl Into<String>) -> Self {
        QualifiedName {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// The name as SQL: both parts quoted as needed, e.g. `app."Order"`.
    pub fn sql(&self) -> String {
        format!("{}.{}", quote_ident(&self.schema), quote_ident(&self.name))
    }
}

/// Displays as SQL (quoted where needed), so that a name in a message can be pasted.
impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sql())
    }
}
