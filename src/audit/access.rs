//! Who can do what: role membership closures and privileges evaluated from
//! the catalog's ACLs, the way `has_table_privilege` and `pg_has_role` do.

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::{Acl, Catalog, Grantee, Privilege, Role, Schema, Table, View};

/// Membership closures of every role, and privilege evaluation.
pub struct Access<'c> {
    catalog: &'c Catalog,
    /// Role → roles whose privileges it has (itself included), via INHERIT grants.
    privileges_of: BTreeMap<String, BTreeSet<String>>,
    /// Role → roles it can become with `SET ROLE` (itself included), on any path.
    reachable: BTreeMap<String, BTreeSet<String>>,
    /// Roles by name.
    roles: BTreeMap<&'c str, &'c Role>,
}

/// The closure of a role the catalog does not know.
static NONE: BTreeSet<String> = BTreeSet::new();

impl<'c> Access<'c> {
    /// Computes the closures for every role of the catalog.
    pub fn new(catalog: &'c Catalog) -> Self {
        let mut privileges_of = BTreeMap::new();
        let mut reachable = BTreeMap::new();
        for role in &catalog.roles {
            privileges_of.insert(
                role.name.clone(),
                closure(catalog, &role.name, |m| m.inherit_option),
            );
            reachable.insert(
                role.name.clone(),
                closure(catalog, &role.name, |m| m.set_option),
            );
        }
        Self {
            catalog,
            privileges_of,
            reachable,
            roles: catalog.roles.iter().map(|r| (r.name.as_str(), r)).collect(),
        }
    }

    /// Roles whose privileges `role` has (itself included; empty for an unknown role).
    pub fn privileges_of(&self, role: &str) -> &BTreeSet<String> {
        self.privileges_of.get(role).unwrap_or(&NONE)
    }

    /// Roles `role` can `SET ROLE` to (itself included; empty for an unknown role).
    pub fn reachable(&self, role: &str) -> &BTreeSet<String> {
        self.reachable.get(role).unwrap_or(&NONE)
    }

    /// Whether `role` has the privileges of `other` or can become it.
    pub fn can_act_as(&self, role: &str, other: &str) -> bool {
        self.privileges_of(role).contains(other) || self.reachable(role).contains(other)
    }

    /// The role's attributes.
    pub fn role(&self, name: &str) -> Option<&'c Role> {
        self.roles.get(name).copied()
    }

    /// Whether the role is a superuser or has BYPASSRLS.
    pub fn bypasses_rls(&self, name: &str) -> bool {
        self.role(name).is_some_and(|r| r.superuser || r.bypass_rls)
    }

    /// Whether a role acting as `reader` reads `table` without its policies:
    /// superuser, BYPASSRLS, or the owner (or a member with its privileges) when not forced.
    pub fn reads_without_rls(&self, reader: &str, table: &Table) -> bool {
        self.bypasses_rls(reader)
            || (!table.rls_forced && self.privileges_of(reader).contains(&table.owner))
    }

    /// Whether `role` holds `privilege` under `acl` of an object owned by `owner`.
    /// `public_default` lists what PUBLIC gets when the ACL is the default one.
    pub fn holds(
        &self,
        role: &str,
        acl: &Acl,
        owner: &str,
        public_default: &[Privilege],
        privilege: Privilege,
    ) -> bool {
        if self.role(role).is_some_and(|r| r.superuser) {
            return true;
        }
        let mine = self.privileges_of(role);
        if mine.contains(owner) {
            return true;
        }
        let predefined = match privilege {
            Privilege::Select => mine.contains("pg_read_all_data"),
            Privilege::Insert | Privilege::Update | Privilege::Delete => {
                mine.contains("pg_write_all_data")
            }
            _ => false,
        };
        predefined
            || match acl {
                Acl::Default => public_default.contains(&privilege),
                Acl::Explicit(grants) => grants.iter().any(|g| {
                    g.privilege == privilege
                        && match &g.grantee {
                            Grantee::Public => true,
                            Grantee::Role(r) => mine.contains(r),
                        }
                }),
            }
    }

    /// Whether `role` holds `privilege` on the inspected database (PUBLIC may
    /// CONNECT and create TEMPORARY tables under the default ACL).
    pub fn on_database(&self, role: &str, privilege: Privilege) -> bool {
        let db = &self.catalog.database;
        self.holds(
            role,
            &db.acl,
            &db.owner,
            &[Privilege::Connect, Privilege::Temporary],
            privilege,
        )
    }

    /// Whether `role` may use the schema (USAGE).
    pub fn uses_schema(&self, role: &str, schema: &str) -> bool {
        self.catalog
            .schema(schema)
            .is_some_and(|s: &Schema| self.holds(role, &s.acl, &s.owner, &[], Privilege::Usage))
    }

    /// Whether `role` has `privilege` on the table or (for SELECT, INSERT,
    /// UPDATE, REFERENCES) on any of its columns, and may use its schema.
    pub fn on_table(&self, role: &str, table: &Table, privilege: Privilege) -> bool {
        self.uses_schema(role, &table.name.schema)
            && (self.holds(role, &table.acl, &table.owner, &[], privilege)
                || table.column_grants.iter().any(|c| {
                    c.grant.privilege == privilege
                        && match &c.grant.grantee {
                            Grantee::Public => true,
                            Grantee::Role(r) => self.privileges_of(role).contains(r),
                        }
                }))
    }

    /// Whether `role` has `privilege` on the view and may use its schema.
    pub fn on_view(&self, role: &str, view: &View, privilege: Privilege) -> bool {
        self.uses_schema(role, &view.name.schema)
            && (self.holds(role, &view.acl, &view.owner, &[], privilege)
                || view.column_grants.iter().any(|c| {
                    c.grant.privilege == privilege
                        && match &c.grant.grantee {
                            Grantee::Public => true,
                            Grantee::Role(r) => self.privileges_of(role).contains(r),
                        }
                }))
    }
}

/// The roles reachable from `start` over memberships whose option `follow` holds.
fn closure(
    catalog: &Catalog,
    start: &str,
    follow: fn(&crate::catalog::Membership) -> bool,
) -> BTreeSet<String> {
    let mut seen = BTreeSet::from([start.to_string()]);
    let mut queue = vec![start.to_string()];
    while let Some(name) = queue.pop() {
        // Predefined roles are not in the catalog's list; their own memberships don't matter.
        let Some(role) = catalog.role(&name) else {
            continue;
        };
        for m in role.member_of.iter().filter(|m| follow(m)) {
            if seen.insert(m.role.clone()) {
                queue.push(m.role.clone());
            }
        }
    }
    seen
}
