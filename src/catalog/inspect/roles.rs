//! Cluster-wide objects: roles, their memberships, extensions.

use super::query::{Reader, Record};
use crate::catalog::{CatalogError, Extension, Membership, Role};

// Predefined roles (pg_*) are left out as roles, but kept as memberships:
// being a member of pg_read_all_data or pg_write_all_data matters.
const ROLES: &str = "
SELECT r.rolname::text AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls,
       r.rolcanlogin AS login, r.rolinherit AS inherit, r.rolcreaterole AS create_role,
       r.rolcreatedb AS create_db
FROM pg_roles r
WHERE r.rolname !~ '^pg_'";

// From PostgreSQL 16 each grant has its own INHERIT and SET options, and the
// same membership may be granted by several grantors; before, INHERIT was the
// member's attribute and SET ROLE always allowed.
const MEMBERSHIPS: &str = "
SELECT m.rolname::text AS member, g.rolname::text AS role,
       bool_or(am.admin_option) AS admin_option,
       bool_or({inherit_option}) AS inherit_option, bool_or({set_option}) AS set_option
FROM pg_auth_members am
JOIN pg_roles m ON m.oid = am.member
JOIN pg_roles g ON g.oid = am.roleid
WHERE m.rolname !~ '^pg_'
GROUP BY m.rolname, g.rolname";

const EXTENSIONS: &str = "
SELECT e.extname::text AS name, n.nspname::text AS schema, e.extversion AS version
FROM pg_extension e
JOIN pg_namespace n ON n.oid = e.extnamespace";

/// Every role but the predefined ones, without memberships.
pub(super) async fn roles(reader: Reader<'_>) -> Result<Vec<Role>, CatalogError> {
    reader
        .cluster_rows("roles", ROLES)
        .await?
        .iter()
        .map(role)
        .collect()
}

/// Every membership of those roles, with the member's name.
pub(super) async fn memberships(
    reader: Reader<'_>,
    server_version_num: i32,
) -> Result<Vec<(String, Membership)>, CatalogError> {
    let (inherit_option, set_option) = if server_version_num >= 160_000 {
        ("am.inherit_option", "am.set_option")
    } else {
        ("m.rolinherit", "true")
    };
    let sql = MEMBERSHIPS
        .replace("{inherit_option}", inherit_option)
        .replace("{set_option}", set_option);
    reader
        .cluster_rows("memberships", &sql)
        .await?
        .iter()
        .map(|r| {
            let membership = Membership {
                role: r.get("role")?,
                admin_option: r.get("admin_option")?,
                inherit_option: r.get("inherit_option")?,
                set_option: r.get("set_option")?,
            };
            Ok((r.get("member")?, membership))
        })
        .collect()
}

/// Every installed extension.
pub(super) async fn extensions(reader: Reader<'_>) -> Result<Vec<Extension>, CatalogError> {
    reader
        .cluster_rows("extensions", EXTENSIONS)
        .await?
        .iter()
        .map(|r| {
            Ok(Extension {
                name: r.get("name")?,
                schema: r.get("schema")?,
                version: r.get("version")?,
            })
        })
        .collect()
}

fn role(r: &Record) -> Result<Role, CatalogError> {
    Ok(Role {
        name: r.get("name")?,
        superuser: r.get("superuser")?,
        bypass_rls: r.get("bypass_rls")?,
        login: r.get("login")?,
        inherit: r.get("inherit")?,
        create_role: r.get("create_role")?,
        create_db: r.get("create_db")?,
        member_of: Vec::new(),
    })
}
