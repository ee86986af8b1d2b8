//! Roles (cluster-wide, not per schema).

use serde::{Deserialize, Serialize};

/// A role of the cluster (`pg_roles`), other than the predefined `pg_*` ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    /// The role's name.
    pub name: String,
    /// `SUPERUSER`: bypasses every check, RLS included.
    pub superuser: bool,
    /// `BYPASSRLS`: row-level security never applies to it.
    pub bypass_rls: bool,
    /// `LOGIN`.
    pub login: bool,
    /// `INHERIT`: uses the privileges of roles it is a member of without `SET ROLE`.
    pub inherit: bool,
    /// `CREATEROLE`.
    pub create_role: bool,
    /// `CREATEDB`.
    pub create_db: bool,
    /// Roles it is a member of (predefined `pg_*` roles included), by role name.
    pub member_of: Vec<Membership>,
}

/// Membership of a role in another (`pg_auth_members`).
///
/// When several grantors granted the same membership (PostgreSQL 16+), the
/// options are those of any grant: that is what the member can use.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Membership {
    /// The role it is a member of.
    pub role: String,
    /// `WITH ADMIN OPTION`: may grant the role to others.
    pub admin_option: bool,
    /// Inherits the role's privileges (PostgreSQL 16+ per grant; before, the member's `INHERIT`).
    pub inherit_option: bool,
    /// May `SET ROLE` to it (PostgreSQL 16+ per grant; always before).
    pub set_option: bool,
}
