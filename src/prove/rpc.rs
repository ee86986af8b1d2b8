//! The functions clients can call (PostgREST exposes them as `/rpc`): each is
//! called as the user of A with arguments taken from B's seeded rows, matched
//! by name and type, inside the run's transaction (one savepoint per call,
//! rolled back). B's rows written (ground truth before and after) or B's data
//! in the returned rows is a LEAK with the call as its repro.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;
use tokio_postgres::Client;

use super::discover::{RelationKind, TenantRelation};
use super::impersonate::{self, Principal};
use super::judge::{self, Statement};
use super::matrix::Matrix;
use super::outcome::{NotProbed, Outcome, Probe, Verdict};
use super::seed;
use super::session::{self, Done, Failure};
use super::truth::{self, Snapshot};
use crate::sql::{QualifiedName, quote_literal};

/// A function a client role may execute.
#[derive(Debug, Clone)]
pub struct Callable {
    /// `schema.name(type, ...)`, as `regprocedure` prints it.
    pub signature: String,
    /// Schema and name.
    pub name: QualifiedName,
    /// `SECURITY DEFINER`.
    pub definer: bool,
    /// Input arguments: (name, type), names `""` when unnamed.
    pub arguments: Vec<(String, String)>,
    /// How many trailing arguments have defaults.
    pub defaults: usize,
    /// `RETURNS void`.
    pub void: bool,
}

/// The functions of `schemas` that `role` may execute (schema USAGE and
/// EXECUTE), SECURITY DEFINER first; trigger functions, extension members and
/// the zero-argument set-returning functions already probed as relations left out.
pub async fn callable(
    client: &Client,
    schemas: &[String],
    role: &str,
    relations: &[TenantRelation],
) -> Result<Vec<Callable>, tokio_postgres::Error> {
    let rows = client
        .query(
            "select p.oid::pg_catalog.regprocedure::text, n.nspname::text, p.proname::text, p.prosecdef, \
                    p.prorettype = 'pg_catalog.void'::pg_catalog.regtype, p.pronargdefaults::int, p.proretset, \
                    array(select pg_catalog.format_type(t, null) from unnest(p.proargtypes) with ordinality u(t, i) order by i), \
                    case when p.proargmodes is null \
                         then array(select coalesce(p.proargnames[i], '') from generate_series(1, p.pronargs) i) \
                         else array(select coalesce(nm, '') from unnest(p.proargnames, p.proargmodes) with ordinality u(nm, m, i) \
                                    where m in ('i', 'b', 'v') order by i) end \
             from pg_catalog.pg_proc p join pg_catalog.pg_namespace n on n.oid = p.pronamespace \
             where n.nspname = any($1) and p.prokind = 'f' \
               and p.prorettype not in ('pg_catalog.trigger'::pg_catalog.regtype, 'pg_catalog.event_trigger'::pg_catalog.regtype) \
               and not exists (select 1 from pg_catalog.pg_depend d where d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass \
                               and d.objid = p.oid and d.deptype = 'e') \
               and pg_catalog.has_schema_privilege($2, n.oid, 'USAGE') \
               and pg_catalog.has_function_privilege($2, p.oid, 'EXECUTE') \
             order by p.prosecdef desc, 1",
            &[&schemas, &role],
        )
        .await?;
    let mut functions = Vec::new();
    for row in rows {
        let name = QualifiedName::new(row.get::<_, String>(1), row.get::<_, String>(2));
        let types: Vec<String> = row.get(7);
        let names: Vec<String> = row.get(8);
        let returns_set: bool = row.get(6);
        let probed_as_relation = types.is_empty()
            && returns_set
            && relations
                .iter()
                .any(|r| r.kind == RelationKind::Function && r.name == name);
        if probed_as_relation {
            continue;
        }
        functions.push(Callable {
            signature: row.get(0),
            name,
            definer: row.get(3),
            arguments: names.into_iter().zip(types).collect(),
            defaults: row.get::<_, i32>(5).max(0) as usize,
            void: row.get(4),
        });
    }
    Ok(functions)
}

/// Where an argument's value comes from.
struct Argument {
    /// The SQL of the value (`'...'::type`).
    sql: String,
    /// The value as text, to tell an echoed argument from B's data.
    text: String,
}

impl Matrix<'_> {
    /// Calls every function in `functions` as `user` (the user of A) with B's values;
    /// functions whose arguments match nothing go to `not_probed`.
    pub async fn call_functions(
        &mut self,
        user: &Principal,
        functions: &[Callable],
        not_probed: &mut Vec<NotProbed>,
    ) {
        // Write counters after the previous call: they only grow, so they are the next call's "before".
        let mut counts = None;
        for function in functions {
            match self.arguments(function) {
                Err(reason) => not_probed.push(NotProbed {
                    relation: format!("function {}", function.signature),
                    reason,
                }),
                Ok(arguments) => self.call(user, function, &arguments, &mut counts).await,
            }
        }
    }

    /// B's values for the function's arguments, by name then by type; trailing
    /// arguments with defaults that match nothing are left to their defaults.
    fn arguments(&self, function: &Callable) -> Result<Vec<Argument>, String> {
        let mut values = Vec::new();
        let required = function.arguments.len() - function.defaults.min(function.arguments.len());
        for (i, (name, ty)) in function.arguments.iter().enumerate() {
            match self.value_of_b(name, ty) {
                Some(text) => values.push(Argument {
                    sql: format!("{}::{ty}", quote_literal(&text)),
                    text,
                }),
                None if i >= required => break,
                None if ty.starts_with("any") || ty == "internal" => {
                    return Err(format!(
                        "its argument {} is polymorphic ({ty}): no value of B's rows has a type to pass",
                        label(name, i)
                    ));
                }
                None => {
                    return Err(format!(
                        "its argument {} {ty} matches no column of B's seeded rows by name (name it like the column it takes: workspace_id, account_id, org_id, user_id, ...)",
                        label(name, i)
                    ));
                }
            }
        }
        Ok(values)
    }

    /// A value of tenant B for an argument named `name` of type `ty`.
    fn value_of_b(&self, name: &str, ty: &str) -> Option<String> {
        let bare = bare_name(name);
        let tenant_type = self.tenant_type();
        let user_b = self.other.user.clone();
        if bare.is_empty() {
            return None;
        }
        let fits = |column_type: &str| same_type(column_type, ty);
        // The tenant itself: `tenant_id`, the tenant column's name, or the tenants table's key.
        if (bare == "tenant" || self.tenant_column_names().contains(bare.as_str()))
            && fits(&tenant_type)
        {
            return Some(self.b.clone());
        }
        if is_user_argument(&bare) && fits("uuid") {
            return user_b;
        }
        // A column of that name in one of B's rows, tables in name order.
        let mut rows: Vec<(&QualifiedName, &seed::Row)> = self
            .seeds
            .rows
            .iter()
            .filter(|((_, t), _)| *t == self.b)
            .map(|((n, _), r)| (n, r))
            .collect();
        rows.sort_by(|x, y| x.0.cmp(y.0));
        for (table, row) in &rows {
            let Some(column) = self.column(table, &bare) else {
                continue;
            };
            if let Some(v) = row.get(&bare).filter(|v| !v.is_null())
                && fits(&column)
            {
                return Some(seed::text(v));
            }
        }
        // `workspace_id` / `workspace` / `org`: the key of B's row of the table of that name.
        let stem = bare.strip_suffix("_id").unwrap_or(&bare);
        for (table, row) in &rows {
            let t = table.name.as_str();
            let named = t == stem
                || t == format!("{stem}s")
                || t == format!("{stem}es")
                || (stem == "org" && t.starts_with("organization"))
                || t.strip_suffix('s') == Some(stem);
            if !named {
                continue;
            }
            for key in ["id", &format!("{stem}_id")] {
                if let (Some(v), Some(column)) = (row.get(key), self.column(table, key))
                    && !v.is_null()
                    && fits(&column)
                {
                    return Some(seed::text(v));
                }
            }
        }
        None
    }

    /// The type of `column` of `table`.
    fn column(&self, table: &QualifiedName, column: &str) -> Option<String> {
        let at = self.lookups.relation_at.get_or_init(|| {
            self.relations
                .iter()
                .enumerate()
                .map(|(i, r)| (r.name.clone(), i))
                .collect()
        });
        self.relations
            .get(*at.get(table)?)?
            .table
            .as_ref()?
            .column(column)
            .map(|c| c.data_type.clone())
    }

    /// The schemas of the tenant tables.
    fn schemas(&self) -> Vec<String> {
        let mut schemas: Vec<String> = self
            .relations
            .iter()
            .filter(|r| r.is_table())
            .map(|r| r.name.schema.clone())
            .collect();
        schemas.sort();
        schemas.dedup();
        schemas
    }

    /// The tenant column's type (of the first tenant table).
    fn tenant_type(&self) -> String {
        self.relations
            .iter()
            .find_map(|r| {
                r.table
                    .as_ref()?
                    .column(&r.tenant_column)
                    .map(|c| c.data_type.clone())
            })
            .unwrap_or_else(|| "uuid".into())
    }

    /// One call as `user`, judged by ground truth and the returned rows.
    async fn call(
        &mut self,
        user: &Principal,
        function: &Callable,
        arguments: &[Argument],
        counts: &mut Option<HashMap<String, String>>,
    ) {
        let list: Vec<&str> = arguments.iter().map(|a| a.sql.as_str()).collect();
        let call = format!("{}({})", function.name.sql(), list.join(", "));
        let sql = if function.void {
            format!("select null::text from (select {call}) s")
        } else {
            // Enough rows to find B's among them, without reading a whole table back.
            format!("select to_jsonb(r)::text from {call} r limit 1000")
        };
        let tenants = self.truth_tenants();
        let (result, after) = self.call_judged(user, &sql, &tenants, counts).await;
        let relation = format!("function {}", function.signature);
        let kind = if function.definer {
            "security definer"
        } else {
            "security invoker"
        };
        let outcome = |verdict: Verdict, detail: String| Outcome {
            relation: relation.clone(),
            principal: user.name.clone(),
            probe: Probe::Call,
            verdict,
            detail,
            repro: None,
            reached: Vec::new(),
            policies: Vec::new(),
            fix: None,
        };
        let done = match result {
            Err(f) => {
                let (verdict, why) = judge::refused(&f, user, Statement::Write);
                self.outcomes
                    .push(outcome(verdict, format!("{kind} call {call} {why}")));
                return;
            }
            Ok(done) => done,
        };
        let foreign: Vec<String> = tenants
            .iter()
            .filter(|t| !judge::own_values(user).contains(t))
            .cloned()
            .collect();
        let (mut changed, truth_sql) = match after {
            Ok((touched, after)) => {
                let before: Snapshot = touched
                    .iter()
                    .filter_map(|r| self.before.get(&r.name))
                    .flat_map(|s| s.iter().map(|(k, v)| (k.clone(), v.clone())))
                    .collect();
                (
                    truth::changed(&before, &after, &foreign),
                    union_sql(&touched, &tenants),
                )
            }
            Err(f) => {
                self.outcomes.push(outcome(
                    Verdict::Unreliable,
                    format!("ground truth could not be read after {call}: {}", f.message),
                ));
                return;
            }
        };
        let echoed: BTreeSet<&str> = arguments.iter().map(|a| a.text.as_str()).collect();
        let marks = self.fingerprints_of_b(&echoed);
        let mut returned: Vec<String> = session_rows(&done)
            .into_iter()
            .filter(|json| {
                serde_json::from_str::<Value>(json)
                    .is_ok_and(|v| self.holds_b(&v, &marks, &foreign))
            })
            .take(5)
            .collect();
        if changed.is_empty() && returned.is_empty() {
            self.outcomes.push(outcome(
                Verdict::Pass,
                format!(
                    "{kind} call {call} with B's values returned {} row(s), none of B's, and changed none of B's rows",
                    done.rows.len()
                ),
            ));
            return;
        }
        let detail = match (changed.is_empty(), returned.is_empty()) {
            (false, false) => format!(
                "{kind} call {call} as {} wrote {} and returned {} row version(s) of tenant B",
                user.name,
                changed.len(),
                returned.len()
            ),
            (false, true) => format!(
                "{kind} call {call} as {} wrote {} row version(s) of tenant B (ground truth)",
                user.name,
                changed.len()
            ),
            _ => format!(
                "{kind} call {call} as {} returned {} row(s) holding tenant B's data",
                user.name,
                returned.len()
            ),
        };
        let mut o = outcome(Verdict::Leak, detail);
        o.repro = Some(self.repro(
            user,
            &sql,
            (!truth_sql.is_empty()).then_some(truth_sql.as_str()),
        ));
        changed.append(&mut returned);
        o.reached = changed;
        o.fix = Some(if function.definer {
            format!(
                "check inside {} that the caller belongs to the tenant of its arguments, or make it SECURITY INVOKER so that the policies apply",
                function.name
            )
        } else {
            format!(
                "check inside {} that the caller belongs to the tenant of its arguments",
                function.name
            )
        });
        self.outcomes.push(o);
    }

    /// Runs `sql` as `user` in a savepoint and reads ground truth of the tables
    /// it wrote (the transaction's write counters tell which), before rolling back.
    async fn call_judged(
        &self,
        user: &Principal,
        sql: &str,
        tenants: &[String],
        counts: &mut Option<HashMap<String, String>>,
    ) -> (
        Result<Done, Failure>,
        Result<(Vec<TenantRelation>, Snapshot), Failure>,
    ) {
        let client = self.client;
        let counts_before = match counts.take() {
            Some(c) => Ok(c),
            None => write_counts(client, "", &self.schemas()).await,
        };
        let result = session::run(
            client,
            &format!("savepoint probe; {}{sql}", user.become_sql()),
        )
        .await;
        let mut after = Ok((Vec::new(), Snapshot::new()));
        if result.is_ok() {
            after = match (
                counts_before,
                write_counts(client, impersonate::RESET, &self.schemas()).await,
            ) {
                (Ok(before), Ok(now)) => {
                    *counts = Some(now.clone());
                    let touched: Vec<TenantRelation> = self
                        .relations
                        .iter()
                        .filter(|r| r.is_table())
                        .filter(|r| {
                            let key = format!("{}.{}", r.name.schema, r.name.name);
                            now.get(&key) != before.get(&key)
                        })
                        .cloned()
                        .collect();
                    if touched.is_empty() {
                        Ok((touched, Snapshot::new()))
                    } else {
                        truth::snapshot(client, &union_sql(&touched, tenants))
                            .await
                            .map(|s| (touched, s))
                    }
                }
                (Err(f), _) | (_, Err(f)) => Err(f),
            };
        }
        let _ = session::run(
            client,
            "rollback to savepoint probe; release savepoint probe",
        )
        .await;
        (result, after)
    }

    /// Values only B's rows hold (ids, generated text), minus the arguments passed.
    fn fingerprints_of_b(&self, echoed: &BTreeSet<&str>) -> BTreeSet<String> {
        self.only_b()
            .iter()
            .filter(|v| !echoed.contains(v.as_str()))
            .cloned()
            .collect()
    }

    /// Values only B's rows hold (computed once: the seeds do not change).
    fn only_b(&self) -> &BTreeSet<String> {
        self.lookups.only_b.get_or_init(|| self.values_only_b())
    }

    /// The tenant columns' names.
    fn tenant_column_names(&self) -> &BTreeSet<String> {
        self.lookups.tenant_columns.get_or_init(|| {
            self.relations
                .iter()
                .map(|r| r.tenant_column.clone())
                .collect()
        })
    }

    fn values_only_b(&self) -> BTreeSet<String> {
        let of = |tenant: &str| -> BTreeSet<String> {
            let mut values = BTreeSet::new();
            for ((_, t), row) in &self.seeds.rows {
                if t == tenant {
                    for v in row.values() {
                        leaves(v, &mut values);
                    }
                }
            }
            values
        };
        let mut b = of(&self.b);
        let a = of(&self.a);
        b.insert(self.b.clone());
        if let Some(u) = &self.other.user {
            b.insert(u.clone());
        }
        b.into_iter()
            .filter(|v| v.len() >= 6 && !a.contains(v))
            .filter(|v| *v != self.a && self.personal.first().is_none_or(|u| u != v))
            .collect()
    }

    /// Whether a returned value holds B's data: a row whose tenant column is B's,
    /// or any value only B's rows hold.
    fn holds_b(&self, value: &Value, marks: &BTreeSet<String>, foreign: &[String]) -> bool {
        let columns = self.tenant_column_names();
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Object(o) => {
                    for (k, x) in o {
                        if columns.contains(k.as_str())
                            && foreign.iter().any(|f| *f == seed::text(x))
                        {
                            return true;
                        }
                        stack.push(x);
                    }
                }
                Value::Array(a) => stack.extend(a),
                Value::String(s) if marks.contains(s) => return true,
                Value::String(s) => {
                    // Set-returning functions of a row type come back as JSON text.
                    if (s.starts_with('{') || s.starts_with('['))
                        && let Ok(inner) = serde_json::from_str::<Value>(s)
                        && self.holds_b(&inner, marks, foreign)
                    {
                        return true;
                    }
                }
                _ => {}
            }
        }
        false
    }
}

/// Rows inserted, updated or deleted so far in this transaction per table
/// (`schema.name` → count), aborted subtransactions included: a table whose count
/// moved during a call is one it wrote, directly, by a trigger or by a cascade.
async fn write_counts(
    client: &Client,
    prefix: &str,
    schemas: &[String],
) -> Result<HashMap<String, String>, Failure> {
    if schemas.is_empty() {
        return Ok(HashMap::new());
    }
    let schemas: Vec<String> = schemas.iter().map(|s| quote_literal(s)).collect();
    let sql = format!(
        "{prefix}select n.nspname || '.' || c.relname || ':' || (pg_catalog.pg_stat_get_xact_tuples_inserted(c.oid) \
         + pg_catalog.pg_stat_get_xact_tuples_updated(c.oid) + pg_catalog.pg_stat_get_xact_tuples_deleted(c.oid))::text \
         from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace \
         where c.relkind in ('r', 'p') and n.nspname in ({})",
        schemas.join(", ")
    );
    let done = session::run(client, &sql).await?;
    Ok(session::column(&done)
        .into_iter()
        .filter_map(|line| {
            let (name, count) = line.rsplit_once(':')?;
            Some((name.to_string(), count.to_string()))
        })
        .collect())
}

/// Ground truth of `tables` in one query.
fn union_sql(tables: &[TenantRelation], tenants: &[String]) -> String {
    tables
        .iter()
        .map(|r| truth::snapshot_sql(r, tenants))
        .collect::<Vec<_>>()
        .join(" union all ")
}

/// The first column of every row the call returned.
fn session_rows(done: &super::session::Done) -> Vec<String> {
    super::session::column(done)
}

fn leaves(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(o) => o.values().for_each(|v| leaves(v, out)),
        Value::Array(a) => a.iter().for_each(|v| leaves(v, out)),
        Value::Null | Value::Bool(_) => {}
        other => {
            out.insert(seed::text(other));
        }
    }
}

/// `p_workspace_id` → `workspace_id`: the usual argument prefixes dropped.
fn bare_name(name: &str) -> String {
    let lower = name.to_lowercase();
    for prefix in ["p_", "in_", "arg_", "_"] {
        if let Some(rest) = lower.strip_prefix(prefix)
            && !rest.is_empty()
        {
            return rest.to_string();
        }
    }
    lower
}

/// Whether an argument names a user (B's user is passed).
fn is_user_argument(bare: &str) -> bool {
    matches!(
        bare,
        "user_id" | "uid" | "user" | "member_id" | "member" | "profile_id" | "owner_id"
    ) || bare.ends_with("_user_id")
        || bare.ends_with("_user")
}

/// Whether a value of a column of `column` type can be passed as `argument` type.
fn same_type(column: &str, argument: &str) -> bool {
    let base = |t: &str| t.split('(').next().unwrap_or(t).trim().to_string();
    let (c, a) = (base(column), base(argument));
    c == a || matches!(a.as_str(), "text" | "character varying")
}

fn label(name: &str, i: usize) -> String {
    if name.is_empty() {
        format!("${}", i + 1)
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argument_prefixes_are_dropped_and_users_recognised() {
        assert_eq!(bare_name("p_workspace_id"), "workspace_id");
        assert_eq!(bare_name("_org"), "org");
        assert_eq!(bare_name("account_id"), "account_id");
        assert!(is_user_argument("user_id"));
        assert!(is_user_argument("target_user_id"));
        assert!(!is_user_argument("workspace_id"));
    }

    #[test]
    fn values_pass_only_to_arguments_of_their_type_or_text() {
        assert!(same_type("uuid", "uuid"));
        assert!(same_type("character varying(40)", "character varying"));
        assert!(same_type("uuid", "text"));
        assert!(!same_type("text", "uuid"));
    }
}
