//! What the server said while a plan was applied: its notices and warnings, each
//! kept with the statement that caused it, and the warnings that mean a
//! statement did nothing (a GRANT or REVOKE by a role that does not own the
//! object only warns), with the ownership that explains them.

use pg_query::NodeEnum;
use pg_query::protobuf::{Node, ObjectType};
use serde::Serialize;
use tokio_postgres::Client;
use tokio_postgres::error::DbError;

use crate::catalog::QualifiedName;
use crate::sql::quote_ident;

/// SQLSTATE 01006 `privilege_not_revoked` and 01007 `privilege_not_granted`:
/// the statement succeeded and changed nothing.
const NO_EFFECT: [&str; 2] = ["01006", "01007"];

/// A notice or warning the server sent while a statement ran.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServerNotice {
    /// The statement that caused it.
    pub statement: String,
    /// `WARNING`, `NOTICE`, ...
    pub severity: String,
    /// The SQLSTATE.
    pub code: String,
    /// The server's message.
    pub message: String,
    /// The server's detail, if any.
    pub detail: Option<String>,
    /// The server's hint, if any.
    pub hint: Option<String>,
}

impl ServerNotice {
    pub(super) fn new(statement: &str, notice: &DbError) -> ServerNotice {
        ServerNotice {
            statement: statement.to_string(),
            severity: notice.severity().to_string(),
            code: notice.code().code().to_string(),
            message: notice.message().to_string(),
            detail: notice.detail().map(str::to_string),
            hint: notice.hint().map(str::to_string),
        }
    }

    /// Whether it says that its statement had no effect.
    pub fn no_effect(&self) -> bool {
        NO_EFFECT.contains(&self.code.as_str())
    }
}

/// An object a statement names, with its owner.
struct Owned {
    object: String,
    owner: String,
    /// Whether the connected role is the owner or a member of its role.
    member: bool,
}

/// Why `statement` (a GRANT or REVOKE that only warned, or was denied) did not
/// work, when the cause is ownership: the objects the connected role neither
/// owns nor is a member of the owner of. None when that is not the cause or it
/// cannot be told.
pub(super) async fn ownership_cause(client: &Client, statement: &str) -> Option<String> {
    let row = client
        .query_one("SELECT current_user::text, session_user::text", &[])
        .await
        .ok()?;
    let (current, session): (String, String) = (row.get(0), row.get(1));
    let mut foreign = Vec::new();
    for target in targets(statement) {
        let rows = client.query(target.query(), &target.params()).await.ok()?;
        for row in rows {
            let owned = Owned {
                object: target.shown.clone(),
                owner: row.get(0),
                member: row.get(1),
            };
            if !owned.member {
                foreign.push(owned);
            }
        }
    }
    let first = foreign.first()?;
    let objects: Vec<String> = foreign
        .iter()
        .map(|o| format!("{} (owned by {})", o.object, quote_ident(&o.owner)))
        .collect();
    let connected = if session == current {
        quote_ident(&current)
    } else {
        format!(
            "{} (session user {})",
            quote_ident(&current),
            quote_ident(&session)
        )
    };
    Some(format!(
        "you are connected as {connected}, which does not own {} and is not a member of its owner; only an object's owner (or a member of the owning role, or a superuser) can grant or revoke its privileges. Apply as {owner}, or make the login a member: GRANT {owner} TO {current}",
        objects.join(", "),
        owner = quote_ident(&first.owner),
        current = quote_ident(&current),
    ))
}

/// An object named by a GRANT or REVOKE.
struct Target {
    kind: Kind,
    /// The query's parameters: the regclass text, the schema name, or schema and name.
    params: Vec<String>,
    /// As the user reads it: `table app.docs`.
    shown: String,
}

enum Kind {
    Relation,
    Schema,
    Function,
}

impl Target {
    /// The owner and whether `current_user` is a member of it.
    fn query(&self) -> &'static str {
        match self.kind {
            Kind::Relation => {
                "SELECT pg_get_userbyid(relowner)::text, pg_has_role(current_user, relowner, 'USAGE')
                 FROM pg_class WHERE oid = to_regclass($1)"
            }
            Kind::Schema => {
                "SELECT pg_get_userbyid(nspowner)::text, pg_has_role(current_user, nspowner, 'USAGE')
                 FROM pg_namespace WHERE nspname = $1"
            }
            Kind::Function => {
                "SELECT DISTINCT pg_get_userbyid(p.proowner)::text, pg_has_role(current_user, p.proowner, 'USAGE')
                 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                 WHERE n.nspname = $1 AND p.proname = $2"
            }
        }
    }

    fn params(&self) -> Vec<&(dyn tokio_postgres::types::ToSql + Sync)> {
        self.params
            .iter()
            .map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync))
            .collect()
    }
}

/// The objects a GRANT or REVOKE names; nothing for any other statement.
fn targets(statement: &str) -> Vec<Target> {
    let Ok(parsed) = pg_query::parse(statement, 0) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for raw in &parsed.protobuf.stmts {
        let Some(NodeEnum::GrantStmt(grant)) = raw.stmt.as_ref().and_then(|s| s.node.as_ref())
        else {
            continue;
        };
        let objtype = ObjectType::try_from(grant.objtype).unwrap_or(ObjectType::Undefined);
        for object in &grant.objects {
            if let Some(target) = target(objtype, object) {
                out.push(target);
            }
        }
    }
    out
}

fn target(objtype: ObjectType, object: &Node) -> Option<Target> {
    let strings = |nodes: &[Node]| -> Vec<String> {
        nodes
            .iter()
            .filter_map(|n| match n.node.as_ref() {
                Some(NodeEnum::String(s)) => Some(s.sval.clone()),
                _ => None,
            })
            .collect()
    };
    match (objtype, object.node.as_ref()?) {
        (ObjectType::ObjectTable | ObjectType::ObjectSequence, NodeEnum::RangeVar(r)) => {
            let (regclass, shown) = if r.schemaname.is_empty() {
                (quote_ident(&r.relname), quote_ident(&r.relname))
            } else {
                let name = QualifiedName::new(&r.schemaname, &r.relname).to_string();
                (name.clone(), name)
            };
            let kind = if objtype == ObjectType::ObjectTable {
                "table"
            } else {
                "sequence"
            };
            Some(Target {
                kind: Kind::Relation,
                params: vec![regclass],
                shown: format!("{kind} {shown}"),
            })
        }
        (ObjectType::ObjectSchema, NodeEnum::String(s)) => Some(Target {
            kind: Kind::Schema,
            params: vec![s.sval.clone()],
            shown: format!("schema {}", quote_ident(&s.sval)),
        }),
        (
            ObjectType::ObjectFunction | ObjectType::ObjectProcedure | ObjectType::ObjectRoutine,
            NodeEnum::ObjectWithArgs(f),
        ) => match strings(&f.objname).as_slice() {
            [schema, name] => Some(Target {
                kind: Kind::Function,
                params: vec![schema.clone(), name.clone()],
                shown: format!("function {}", QualifiedName::new(schema, name)),
            }),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::targets;

    #[test]
    fn a_grant_or_revoke_names_its_objects_and_other_statements_none() {
        let shown = |sql: &str| {
            targets(sql)
                .into_iter()
                .map(|t| (t.shown, t.params))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            shown(r#"REVOKE ALL ON TABLE app."My Docs", app.b FROM app_user"#),
            [
                (
                    r#"table app."My Docs""#.to_string(),
                    vec![r#"app."My Docs""#.to_string()]
                ),
                ("table app.b".to_string(), vec!["app.b".to_string()]),
            ]
        );
        assert_eq!(
            shown("GRANT USAGE ON SCHEMA app TO app_user"),
            [("schema app".to_string(), vec!["app".to_string()])]
        );
        assert_eq!(
            shown("GRANT EXECUTE ON FUNCTION app.me() TO app_user"),
            [(
                "function app.me".to_string(),
                vec!["app".to_string(), "me".to_string()]
            )]
        );
        assert!(shown("ALTER TABLE app.t ENABLE ROW LEVEL SECURITY").is_empty());
    }
}
