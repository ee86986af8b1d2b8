//! What the declaration (when there is one) tells the linter: which tables are
//! tenant tables and by which column, which are public, which may run without
//! RLS or without FORCE, and which declared functions are volatile.

use crate::spec::Declaration;
use crate::spec::declaration::Table;
use crate::spec::model::Volatility;
use crate::sql::QualifiedName;

/// The tenant column assumed when no declaration names one.
pub const DEFAULT_TENANT_COLUMN: &str = "tenant_id";

/// The declaration's view of the tables and functions migrations touch.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    declaration: Option<&'a Declaration>,
}

/// What the declaration says of one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared<'a> {
    /// Not declared (or no declaration).
    Unknown,
    /// A tenant table scoped by this column.
    Tenant(&'a str),
    /// Declared public (`tenant = false` with a reason).
    Public,
}

impl<'a> Scope<'a> {
    /// The scope of an optional declaration.
    pub fn new(declaration: Option<&'a Declaration>) -> Self {
        Scope { declaration }
    }

    /// Whether a declaration was given.
    pub fn has_declaration(&self) -> bool {
        self.declaration.is_some()
    }

    /// The project's tenant column (`[tenancy] column`), else `tenant_id`.
    pub fn tenant_column(&self) -> &'a str {
        self.declaration
            .and_then(|d| d.tenancy.as_ref())
            .map_or(DEFAULT_TENANT_COLUMN, |t| t.column.as_str())
    }

    /// The declared table of that name.
    pub fn table(&self, name: &QualifiedName) -> Option<&'a Table> {
        self.declaration?.tables.iter().find(|t| t.name == *name)
    }

    /// Every declared table.
    pub fn tables(&self) -> impl Iterator<Item = &'a Table> {
        self.declaration.into_iter().flat_map(|d| d.tables.iter())
    }

    /// What the declaration says of a table's tenancy.
    pub fn declared(&self, name: &QualifiedName) -> Declared<'a> {
        match self.table(name) {
            None => Declared::Unknown,
            Some(t) => match &t.tenant {
                Some(tenant) => Declared::Tenant(tenant.column.as_str()),
                None => Declared::Public,
            },
        }
    }

    /// Whether a function the declaration names (by its last name part, case
    /// folded as PostgreSQL folds unquoted names) is declared volatile.
    pub fn declared_volatile(&self, schema: Option<&str>, name: &str) -> Option<bool> {
        let f = self
            .declaration?
            .functions
            .iter()
            .find(|f| f.name.name == name && schema.is_none_or(|s| f.name.schema == s))?;
        Some(matches!(f.volatility, Volatility::Volatile))
    }
}
