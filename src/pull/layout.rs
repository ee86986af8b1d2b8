//! How pulled values are laid out as TOML: strings (multi-line ones as `"""`
//! blocks), short inline tables, string arrays, names relative to the default
//! schema, and grants as `{ role = ["select", ...] }`.

use toml_edit::{Array, InlineTable, Item, Table, Value};

use crate::catalog::{Acl, Grantee, Privilege};
use crate::sql::QualifiedName;

/// An inline table longer than this is written as a table of its own (`[a.b]`)
/// where the layout allows it.
pub const INLINE_WIDTH: usize = 100;

/// A string value; text with line breaks becomes a multi-line literal.
pub fn string(text: &str) -> Value {
    Value::from(text)
}

/// `["a", "b"]`.
pub fn strings<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Value {
    let mut array = Array::new();
    for item in items {
        array.push(item.as_ref());
    }
    Value::Array(array)
}

/// `{ a = ..., b = ... }` in the order given.
pub fn inline(pairs: Vec<(&str, Value)>) -> InlineTable {
    let mut table = InlineTable::new();
    for (key, value) in pairs {
        table.insert(key, value);
    }
    table
}

/// A table whose keys are written `parent.key = value` inside its parent.
pub fn dotted() -> Table {
    let mut table = Table::new();
    table.set_dotted(true);
    table
}

/// A table that only holds other tables (`[tables]` is never written itself).
pub fn implicit() -> Table {
    let mut table = Table::new();
    table.set_implicit(true);
    table
}

/// The name as the declaration writes it: `name` in the default schema, else
/// `schema.name`.
pub fn local(name: &QualifiedName, default_schema: &str) -> String {
    if name.schema == default_schema {
        name.name.clone()
    } else {
        format!("{}.{}", name.schema, name.name)
    }
}

/// Whether a name can be written in the declaration's `schema.name` form: the
/// declaration splits names on dots, so a name holding one cannot be.
pub fn expressible(name: &str) -> bool {
    !name.is_empty() && !name.contains('.')
}

/// The kinds of object grants are read for, with the privileges `all` means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantKind {
    /// Tables, views, materialized views.
    Table,
    /// Columns of a table.
    Column,
    /// Sequences.
    Sequence,
    /// Functions and procedures.
    Function,
    /// Schemas.
    Schema,
    /// Types (default privileges only).
    Type,
}

impl GrantKind {
    /// The privileges the declaration can name for this kind.
    fn allowed(self) -> &'static [Privilege] {
        match self {
            GrantKind::Table => &[
                Privilege::Select,
                Privilege::Insert,
                Privilege::Update,
                Privilege::Delete,
                Privilege::Truncate,
                Privilege::References,
                Privilege::Trigger,
            ],
            GrantKind::Column => &[
                Privilege::Select,
                Privilege::Insert,
                Privilege::Update,
                Privilege::References,
            ],
            GrantKind::Sequence => &[Privilege::Usage, Privilege::Select, Privilege::Update],
            GrantKind::Function => &[Privilege::Execute],
            GrantKind::Schema => &[Privilege::Usage, Privilege::Create],
            GrantKind::Type => &[Privilege::Usage],
        }
    }

    /// What `ALL` grants on this kind on the server (tables include MAINTAIN from 17 on).
    fn all(self, server_version_num: i32) -> Vec<Privilege> {
        let mut all = self.allowed().to_vec();
        if self == GrantKind::Table && server_version_num >= 170000 {
            all.push(Privilege::Maintain);
        }
        all
    }
}

/// Privileges per grantee, in the declaration's words.
#[derive(Debug, Default)]
pub struct PulledGrants {
    /// `role → privileges`, `public` for PUBLIC, in grant order.
    pub by_role: Vec<(String, Vec<String>)>,
    /// What the declaration cannot say (a grant option, a privilege of no keyword).
    pub unexpressible: Vec<String>,
}

impl PulledGrants {
    /// `{ role = [...] }`, or None when there is no grant.
    pub fn value(&self) -> Option<Value> {
        if self.by_role.is_empty() {
            return None;
        }
        let mut table = InlineTable::new();
        for (role, privileges) in &self.by_role {
            table.insert(role, strings(privileges));
        }
        Some(Value::InlineTable(table))
    }
}

/// The grants of a list of `(grantee, privilege, grantable)`, compacted: a role
/// holding every privilege of the kind gets `["all"]`.
pub fn grants_of<'a>(
    entries: impl IntoIterator<Item = (&'a Grantee, Privilege, bool)>,
    kind: GrantKind,
    server_version_num: i32,
) -> PulledGrants {
    let mut out = PulledGrants::default();
    let mut by_role: Vec<(String, Vec<Privilege>)> = Vec::new();
    for (grantee, privilege, grantable) in entries {
        let role = match grantee {
            Grantee::Public => "public".to_string(),
            Grantee::Role(name) => name.clone(),
        };
        if grantable {
            out.unexpressible.push(format!(
                "{} to {role} WITH GRANT OPTION",
                privilege.as_sql()
            ));
        }
        match by_role.iter_mut().find(|(r, _)| *r == role) {
            Some((_, list)) if !list.contains(&privilege) => list.push(privilege),
            Some(_) => {}
            None => by_role.push((role, vec![privilege])),
        }
    }
    let all = kind.all(server_version_num);
    for (role, privileges) in by_role {
        if all.len() > 1
            && all.iter().all(|p| privileges.contains(p))
            && privileges.len() == all.len()
        {
            out.by_role.push((role, vec!["all".to_string()]));
            continue;
        }
        let mut words = Vec::new();
        for p in kind.allowed() {
            if privileges.contains(p) {
                words.push(p.as_sql().to_lowercase());
            }
        }
        for p in &privileges {
            if !kind.allowed().contains(p) {
                out.unexpressible
                    .push(format!("{} to {role} (no keyword for it here)", p.as_sql()));
            }
        }
        if !words.is_empty() {
            out.by_role.push((role, words));
        }
    }
    out
}

/// The grants of an ACL.
pub fn acl_grants(acl: &Acl, kind: GrantKind, server_version_num: i32) -> PulledGrants {
    grants_of(
        acl.grants()
            .iter()
            .map(|g| (&g.grantee, g.privilege, g.grantable)),
        kind,
        server_version_num,
    )
}

/// Inserts `key = value` when there is a value.
pub fn put(table: &mut InlineTable, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        table.insert(key, value);
    }
}

/// Inserts `key = value` into a table when there is a value.
pub fn set(table: &mut Table, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        table.insert(key, Item::Value(value));
    }
}

/// An inline table, or a table of its own when it would be too long on one line.
pub fn inline_or_table(table: InlineTable) -> Item {
    if table.to_string().len() <= INLINE_WIDTH {
        Item::Value(Value::InlineTable(table))
    } else {
        Item::Table(table.into_table())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Grantee;

    #[test]
    fn every_privilege_of_a_table_is_all_and_a_grant_option_is_unexpressible() {
        let role = Grantee::Role("app_user".into());
        let all = GrantKind::Table.all(150000);
        let grants = grants_of(
            all.iter().map(|p| (&role, *p, false)),
            GrantKind::Table,
            150000,
        );
        assert_eq!(grants.by_role, [("app_user".into(), vec!["all".into()])]);
        let grants = grants_of([(&role, Privilege::Select, true)], GrantKind::Table, 150000);
        assert_eq!(grants.by_role, [("app_user".into(), vec!["select".into()])]);
        assert_eq!(grants.unexpressible.len(), 1);
    }

    #[test]
    fn names_in_the_default_schema_are_written_bare() {
        assert_eq!(local(&QualifiedName::new("app", "t"), "app"), "t");
        assert_eq!(
            local(&QualifiedName::new("auth", "users"), "app"),
            "auth.users"
        );
        assert!(!expressible("a.b"));
    }
}
