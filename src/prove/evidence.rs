//! What a finding carries: the outcome record, the policies that applied, the
//! repro script and the fix.

use super::discover::TenantRelation;
use super::impersonate::Principal;
use super::matrix::Matrix;
use super::outcome::{Outcome, Probe, Repro, Verdict};
use crate::catalog::PolicyMode;

impl Matrix<'_> {
    pub(super) fn outcome(
        &self,
        relation: &TenantRelation,
        principal: &Principal,
        probe: Probe,
        verdict: Verdict,
        detail: String,
    ) -> Outcome {
        Outcome {
            relation: format!("{} {}", relation.kind.word(), relation.name),
            principal: principal.name.clone(),
            probe,
            verdict,
            detail,
            repro: None,
            reached: Vec::new(),
            policies: Vec::new(),
            fix: None,
        }
    }

    pub(super) fn push(
        &mut self,
        relation: &TenantRelation,
        principal: &Principal,
        probe: Probe,
        verdict: Verdict,
        detail: String,
    ) {
        let o = self.outcome(relation, principal, probe, verdict, detail);
        self.outcomes.push(o);
    }

    pub(super) fn leak(
        &mut self,
        relation: &TenantRelation,
        principal: &Principal,
        probe: Probe,
        detail: String,
        sql: &str,
        reached: Vec<String>,
    ) {
        let truth = relation.is_table().then(|| {
            format!(
                "select * from {} where {} = {}",
                relation.name.sql(),
                crate::sql::quote_ident(&relation.tenant_column),
                crate::sql::quote_literal(&self.b)
            )
        });
        let mut o = self.outcome(relation, principal, probe, Verdict::Leak, detail);
        o.repro = Some(self.repro(principal, sql, truth.as_deref()));
        o.reached = reached;
        o.policies = self.policies(relation);
        o.fix = Some(super::fix::fix(
            relation,
            probe,
            &self.privileges_role(principal),
        ));
        self.outcomes.push(o);
    }

    pub(super) fn privileges_role(&self, principal: &Principal) -> String {
        principal.role.clone().unwrap_or_default()
    }

    /// The policies on the relation as `name: FOR cmd TO roles permissive USING (...) WITH CHECK (...)`.
    pub(super) fn policies(&self, relation: &TenantRelation) -> Vec<String> {
        let Some(table) = &relation.table else {
            return self.view_facts(relation);
        };
        let mut lines: Vec<String> = table
            .policies
            .iter()
            .map(|p| {
                let cmd = p.command.keyword();
                let mode = match p.mode {
                    PolicyMode::Permissive => "permissive",
                    PolicyMode::Restrictive => "restrictive",
                };
                let roles: Vec<String> = p.roles.iter().map(|r| r.to_string()).collect();
                format!(
                    "{}: FOR {cmd} TO {} {mode} USING ({}) WITH CHECK ({})",
                    p.name,
                    roles.join(", "),
                    p.using.as_deref().unwrap_or("-"),
                    p.with_check.as_deref().unwrap_or("-")
                )
            })
            .collect();
        if !table.rls_enabled {
            lines.insert(0, "row level security is DISABLED on this table".into());
        } else if !table.rls_forced {
            lines.insert(
                0,
                format!(
                    "row level security enabled, not forced (owner {} bypasses it)",
                    table.owner
                ),
            );
        }
        lines
    }

    pub(super) fn repro(&self, principal: &Principal, sql: &str, truth: Option<&str>) -> Repro {
        let mut s = String::new();
        if principal.context == super::impersonate::Context::Stale {
            s.push_str("-- an earlier request on this pooled connection set the context\nbegin;\n");
            s.push_str(&self.other.become_sql());
            s.push_str("rollback;\n");
        }
        s.push_str("begin;\n-- seed two tenants (as the connecting role)\n");
        let needed = self.tables_behind(sql);
        for line in &self.script {
            // Seed rows only of the tables the statement reaches and their parents.
            let seeds_other = line.starts_with("insert into ")
                && line.contains(" as r ")
                && !needed
                    .iter()
                    .any(|t| line.starts_with(&format!("insert into {t} as r ")));
            if needed.is_empty() || !seeds_other {
                s.push_str(line);
                s.push('\n');
            }
        }
        let seed = std::mem::take(&mut s);
        s.push_str(&format!(
            "-- act as {}\n{}",
            principal.name,
            principal.become_sql()
        ));
        s.push_str(sql);
        s.push_str(";\n");
        s.push_str(super::impersonate::RESET);
        s.push('\n');
        if let Some(t) = truth {
            s.push_str("-- ground truth: tenant B's rows, read as the connecting role\n");
            s.push_str(t);
            s.push_str(";\n");
        }
        s.push_str("rollback;\n");
        Repro {
            seed,
            steps: s,
            statement: sql.to_string(),
        }
    }

    /// Tables named in `sql` (views through what they read), with their foreign-key parents, as SQL names.
    fn tables_behind(&self, sql: &str) -> Vec<String> {
        let mut names: Vec<crate::sql::QualifiedName> = Vec::new();
        for view in &self.catalog.views {
            if sql.contains(&view.name.sql()) {
                names.extend(view.depends_on.iter().cloned());
            }
        }
        names.extend(
            self.catalog
                .tables
                .iter()
                .filter(|t| {
                    sql.contains(&format!("{} ", t.name.sql())) || sql.ends_with(&t.name.sql())
                })
                .map(|t| t.name.clone()),
        );
        let mut i = 0;
        while i < names.len() {
            if let Some(t) = self.catalog.table(&names[i]) {
                for c in &t.constraints {
                    if let crate::catalog::ConstraintKind::ForeignKey(fk) = &c.kind
                        && !names.contains(&fk.table)
                    {
                        names.push(fk.table.clone());
                    }
                }
            }
            i += 1;
        }
        names.iter().map(|n| n.sql()).collect()
    }

    /// Records that no probe of `relation` could run as `principal`.
    pub(super) fn unreliable(
        &mut self,
        principal: &Principal,
        relation: &TenantRelation,
        why: String,
    ) {
        self.push(relation, principal, Probe::Read, Verdict::Unreliable, why);
    }

    /// Gives the last outcome, when it is an ERROR, its repro script, policies and fix.
    pub(super) fn attach_error_evidence(
        &mut self,
        relation: &TenantRelation,
        principal: &Principal,
        code: &str,
        sql: &str,
    ) {
        if !matches!(self.outcomes.last(), Some(o) if matches!(o.verdict, Verdict::Error(_))) {
            return;
        }
        let repro = self.repro(principal, sql, None);
        let policies = self.policies(relation);
        let fix = match code {
            "22P02" => Some(
                "cast the context only after nullif(current_setting(..., true), ''): on a pooled connection an unset setting reads ''".to_string(),
            ),
            "42P17" => Some(
                "a policy reads its own table: move that lookup into a SECURITY DEFINER function".to_string(),
            ),
            "42704" => Some("use current_setting(name, true): the one-argument form raises when the setting was never set".to_string()),
            _ => None,
        };
        if let Some(o) = self.outcomes.last_mut() {
            o.repro = Some(repro);
            o.policies = policies;
            o.fix = fix;
        }
    }

    /// For a view or function: whose rights it runs with and what it reads.
    fn view_facts(&self, relation: &TenantRelation) -> Vec<String> {
        if let Some(view) = self.catalog.view(&relation.name) {
            let reads: Vec<String> = view.depends_on.iter().map(ToString::to_string).collect();
            return vec![format!(
                "owned by {}, security_invoker {}: reads {} with {} rights",
                view.owner,
                if view.security_invoker { "on" } else { "off" },
                reads.join(", "),
                if view.security_invoker {
                    "the caller's"
                } else {
                    "its owner's"
                }
            )];
        }
        self.catalog
            .functions_named(&relation.name)
            .filter(|f| f.identity_arguments.is_empty())
            .map(|f| {
                format!(
                    "owned by {}, SECURITY {}",
                    f.owner,
                    if f.security_definer {
                        "DEFINER: runs with its owner's rights"
                    } else {
                        "INVOKER"
                    }
                )
            })
            .collect()
    }
}
