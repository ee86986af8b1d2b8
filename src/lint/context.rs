//! What a rule sees of one statement: the statement, the rest of its file, what
//! earlier statements and files did, and what the declaration says.

use pg_query::NodeEnum;
use pg_query::protobuf::RangeVar;

use super::finding::Level;
use super::names;
use super::scope::{Declared, Scope};
use super::source::{Source, Statement};
use super::state::History;
use crate::sql::QualifiedName;

/// One statement under a rule.
#[derive(Debug)]
pub struct Cx<'a> {
    /// The file.
    pub source: &'a Source,
    /// The statement's index in the file.
    pub index: usize,
    /// What the statements before this one did.
    pub history: &'a History,
    /// The declaration's view.
    pub scope: Scope<'a>,
    /// The schema unqualified names resolve to here.
    pub search_path: &'a str,
}

/// What a rule found on a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte offset to point at (the statement's start unless a node is more precise).
    pub at: usize,
    /// What is wrong, naming the object.
    pub message: String,
    /// What to do instead.
    pub fix: String,
    /// The level when it differs from the rule's.
    pub level: Option<Level>,
}

impl<'a> Cx<'a> {
    /// The statement.
    pub fn statement(&self) -> &'a Statement {
        &self.source.statements[self.index]
    }

    /// Its syntax tree.
    pub fn node(&self) -> &'a NodeEnum {
        &self.statement().node
    }

    /// The statements after this one in the same file.
    pub fn later(&self) -> &'a [Statement] {
        &self.source.statements[self.index + 1..]
    }

    /// The statements before this one in the same file.
    pub fn earlier(&self) -> &'a [Statement] {
        &self.source.statements[..self.index]
    }

    /// A hit at the statement's start.
    pub fn hit(&self, message: String, fix: impl Into<String>) -> Hit {
        Hit {
            at: self.statement().start,
            message,
            fix: fix.into(),
            level: None,
        }
    }

    /// A table's name as this statement resolves it.
    pub fn table(&self, range: &RangeVar) -> QualifiedName {
        names::table(range, self.search_path)
    }

    /// Whether the table exists before this file: created by an earlier file, or
    /// not by the migrations at all. A table created earlier in this file is new:
    /// empty, and seen by no other session until the file commits.
    pub fn existing(&self, table: &QualifiedName) -> bool {
        !self.history.created_in_this_file(table)
    }

    /// The tenant column of a tenant table: the declaration's when it declares the
    /// table, else the project's tenant column when the migrations gave the table
    /// one. `None`: not a tenant table (or nothing says it is).
    pub fn tenant_column(&self, table: &QualifiedName) -> Option<&'a str> {
        match self.scope.declared(table) {
            Declared::Tenant(column) => Some(column),
            Declared::Public => None,
            Declared::Unknown => {
                let column = self.scope.tenant_column();
                self.history
                    .table(table)
                    .and_then(|t| t.columns.as_ref())
                    .is_some_and(|c| c.contains(column))
                    .then_some(column)
            }
        }
    }
}
