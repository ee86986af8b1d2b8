//! Database-wide facts: the database's own ACL, role and database settings,
//! and default privileges.

use serde::{Deserialize, Serialize};

use crate::catalog::{Acl, Grantee, Privilege};

/// The inspected database itself (`pg_database`), without its name (which
/// differs between databases built from one declaration).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Database {
    /// Owning role.
    pub owner: String,
    /// Privileges (CONNECT, CREATE, TEMPORARY); `Acl::Default` means PUBLIC
    /// may CONNECT and create TEMPORARY tables.
    pub acl: Acl,
    /// The role the catalog was read as (`current_user`): the owner of what
    /// `ALTER DEFAULT PRIVILEGES` without `FOR ROLE` declares, on either side.
    #[serde(default)]
    pub connected_as: String,
}

impl Default for Database {
    /// An unknown owner with the default ACL (for catalogs serialised before this field).
    fn default() -> Self {
        Self {
            owner: String::new(),
            acl: Acl::Default,
            connected_as: String::new(),
        }
    }
}

/// A setting applied at login (`ALTER ROLE/DATABASE ... SET`, `pg_db_role_setting`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RoleSetting {
    /// The role it applies to; None for every role (`ALTER DATABASE ... SET`).
    pub role: Option<String>,
    /// Only in the inspected database (else in every database).
    pub this_database_only: bool,
    /// The setting's name (`app.tenant_id`).
    pub name: String,
    /// Its value.
    pub value: String,
}

/// One grant of `ALTER DEFAULT PRIVILEGES` (`pg_default_acl`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DefaultPrivilege {
    /// The role whose new objects get it.
    pub owner: String,
    /// The schema it is limited to; None for every schema.
    pub schema: Option<String>,
    /// The kind of new object.
    pub object_type: DefaultObjectType,
    /// Who receives it.
    pub grantee: Grantee,
    /// What it allows.
    pub privilege: Privilege,
}

/// The kind of object default privileges apply to (`defaclobjtype`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultObjectType {
    /// `ON TABLES` (tables, views, materialized views, foreign tables).
    Tables,
    /// `ON SEQUENCES`.
    Sequences,
    /// `ON FUNCTIONS` / `ON ROUTINES`.
    Functions,
    /// `ON TYPES`.
    Types,
    /// `ON SCHEMAS`.
    Schemas,
}

impl DefaultObjectType {
    /// The SQL keyword (`TABLES`).
    pub fn as_sql(self) -> &'static str {
        match self {
            DefaultObjectType::Tables => "TABLES",
            DefaultObjectType::Sequences => "SEQUENCES",
            DefaultObjectType::Functions => "FUNCTIONS",
            DefaultObjectType::Types => "TYPES",
            DefaultObjectType::Schemas => "SCHEMAS",
        }
    }
}
