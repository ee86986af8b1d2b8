//! Privileges: who may do what on an object, as its ACL says.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::sql::quote_ident;

/// An object's access control list (`relacl`, `proacl`, `nspacl`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Acl {
    /// The ACL is NULL: the built-in defaults apply (the owner holds every
    /// privilege; PUBLIC holds EXECUTE on functions and USAGE on languages,
    /// nothing on tables, views, sequences or schemas).
    Default,
    /// The ACL is set: these grants, sorted, without the owner's grants to
    /// itself. An empty list means nobody but the owner holds a privilege.
    Explicit(Vec<Grant>),
}

impl Acl {
    /// The explicit grants; none when the defaults apply.
    pub fn grants(&self) -> &[Grant] {
        match self {
            Acl::Default => &[],
            Acl::Explicit(grants) => grants,
        }
    }

    /// Whether the ACL is NULL, so the built-in defaults apply.
    pub fn is_default(&self) -> bool {
        matches!(self, Acl::Default)
    }
}

/// One entry of an exploded ACL (`aclexplode`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Grant {
    /// Who receives the privilege.
    pub grantee: Grantee,
    /// What it allows.
    pub privilege: Privilege,
    /// The role that granted it.
    pub grantor: String,
    /// Whether the grantee may grant it on (`WITH GRANT OPTION`).
    pub grantable: bool,
}

/// A grant on one column of a table (`attacl`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ColumnGrant {
    /// The column's name.
    pub column: String,
    /// The grant itself.
    pub grant: Grant,
}

/// A role, or PUBLIC (every role, present and future).
///
/// A separate variant rather than the string `"public"`: a role may really be
/// named `PUBLIC` (quoted), and ACLs and policies store PUBLIC as OID 0.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grantee {
    /// PUBLIC: every role.
    Public,
    /// One named role.
    Role(String),
}

impl fmt::Display for Grantee {
    /// Writes the grantee as SQL: `PUBLIC` or the quoted role name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Grantee::Public => f.write_str("PUBLIC"),
            Grantee::Role(name) => f.write_str(&quote_ident(name)),
        }
    }
}

/// A privilege type, as `aclexplode` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Privilege {
    /// `SELECT`
    Select,
    /// `INSERT`
    Insert,
    /// `UPDATE`
    Update,
    /// `DELETE`
    Delete,
    /// `TRUNCATE`
    Truncate,
    /// `REFERENCES`
    References,
    /// `TRIGGER`
    Trigger,
    /// `MAINTAIN` (PostgreSQL 17+)
    Maintain,
    /// `EXECUTE`
    Execute,
    /// `USAGE`
    Usage,
    /// `CREATE`
    Create,
    /// `CONNECT`
    Connect,
    /// `TEMPORARY`
    Temporary,
    /// `SET` (on parameters)
    Set,
    /// `ALTER SYSTEM` (on parameters)
    AlterSystem,
}

impl Privilege {
    /// Every privilege, in SQL order.
    pub const ALL: [Privilege; 15] = [
        Privilege::Select,
        Privilege::Insert,
        Privilege::Update,
        Privilege::Delete,
        Privilege::Truncate,
        Privilege::References,
        Privilege::Trigger,
        Privilege::Maintain,
        Privilege::Execute,
        Privilege::Usage,
        Privilege::Create,
        Privilege::Connect,
        Privilege::Temporary,
        Privilege::Set,
        Privilege::AlterSystem,
    ];

    /// The privilege's SQL keyword, as in `GRANT <keyword> ON ...`.
    pub fn as_sql(self) -> &'static str {
        match self {
            Privilege::Select => "SELECT",
            Privilege::Insert => "INSERT",
            Privilege::Update => "UPDATE",
            Privilege::Delete => "DELETE",
            Privilege::Truncate => "TRUNCATE",
            Privilege::References => "REFERENCES",
            Privilege::Trigger => "TRIGGER",
            Privilege::Maintain => "MAINTAIN",
            Privilege::Execute => "EXECUTE",
            Privilege::Usage => "USAGE",
            Privilege::Create => "CREATE",
            Privilege::Connect => "CONNECT",
            Privilege::Temporary => "TEMPORARY",
            Privilege::Set => "SET",
            Privilege::AlterSystem => "ALTER SYSTEM",
        }
    }

    /// The privilege named by its SQL keyword (`aclexplode`'s `privilege_type`).
    pub fn from_sql(keyword: &str) -> Option<Privilege> {
        Privilege::ALL.into_iter().find(|p| p.as_sql() == keyword)
    }
}

impl fmt::Display for Privilege {
    /// Writes the SQL keyword.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_sql())
    }
}
