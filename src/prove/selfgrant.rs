//! The membership self-grant probe: a user of A writes himself into a table
//! the policies read (a membership or ACL table), as a member of tenant B, and
//! then reads every tenant relation again for B's rows (L25).

use std::collections::HashSet;

use super::discover::{RelationKind, TenantRelation};
use super::impersonate::Principal;
use super::matrix::{Matrix, mentions};
use super::outcome::{Probe, Verdict};
use super::seed::{self, Row};
use super::session;
use crate::sql::{quote_ident, quote_literal};

impl Matrix<'_> {
    /// Runs the probe for every table that policies or their functions mention and `user` may insert into.
    pub async fn membership_self_grant(&mut self, user: &Principal) {
        let policy_text = self.policy_text().await;
        let role = user.role.clone().unwrap_or_default();
        let Some(user_id) = user.user.clone() else {
            return;
        };
        let relations = self.relations;
        let mut candidates: Vec<(TenantRelation, Row)> = Vec::new();
        let policy_words = Words::new(&policy_text);
        for table in &self.catalog.tables {
            if !policy_words.mention(&table.name.name) || !self.may_insert(&role, &table.name).await
            {
                continue;
            }
            let tenant = relations
                .iter()
                .find(|r| r.name == table.name && r.is_table());
            let row = match tenant {
                Some(m) => {
                    let Some(own) = self
                        .seeds
                        .rows
                        .get(&(m.name.clone(), self.a.clone()))
                        .cloned()
                    else {
                        continue;
                    };
                    let mut copy = self
                        .fresh_copy(table, &own, &m.tenant_column, &self.b.clone())
                        .await;
                    for c in &table.columns {
                        if c.data_type == "uuid"
                            && seed::is_user_column(&c.name, c.default.as_deref())
                            && copy.contains_key(&c.name)
                        {
                            copy.insert(c.name.clone(), serde_json::Value::String(user_id.clone()));
                        }
                    }
                    copy
                }
                None => match self.seeder.self_grant_row(table, &self.b, &user_id).await {
                    Some(row) => row,
                    None => continue,
                },
            };
            let relation = tenant.cloned().unwrap_or_else(|| TenantRelation {
                name: table.name.clone(),
                kind: RelationKind::Table,
                tenant_column: String::new(),
                table: Some(table.clone()),
            });
            candidates.push((relation, row));
        }
        for (m, row) in candidates {
            let insert = seed::insert_sql(&m.name, &row, "r", "");
            let reads: Vec<String> = relations
                .iter()
                .filter(|r| r.name != m.name && r.kind != RelationKind::Function)
                .map(|r| {
                    format!(
                        "(select {} as relation, count(*) as seen from {} r where r.{} = {})",
                        quote_literal(&r.name.to_string()),
                        r.name.sql(),
                        quote_ident(&r.tenant_column),
                        quote_literal(&self.b)
                    )
                })
                .collect();
            if reads.is_empty() {
                continue;
            }
            let read = format!(
                "select relation || ': ' || seen from ({}) s where seen > 0",
                reads.join(" union all ")
            );
            let sql = format!("{insert};\n{read}");
            let attempt = self.attempt(user, &sql, None).await;
            match attempt.result {
                Ok(done) if !session::column(&done).is_empty() => {
                    let seen = session::column(&done);
                    let detail = format!(
                        "after inserting itself into {} as a member of tenant B, {} reads B's rows in: {}",
                        m.name,
                        user.name,
                        seen.join(", ")
                    );
                    let mut o =
                        self.outcome(&m, user, Probe::MembershipSelfGrant, Verdict::Leak, detail);
                    o.reached = seen;
                    o.repro = Some(self.repro(user, &sql, None));
                    o.policies = self.policies(&m);
                    o.fix = Some(format!(
                        "enable row level security on {} and let only the admins of a tenant insert its rows",
                        m.name
                    ));
                    self.outcomes.push(o);
                }
                Ok(_) => self.push(
                    &m,
                    user,
                    Probe::MembershipSelfGrant,
                    Verdict::Pass,
                    "writing itself into it grants nothing of B".into(),
                ),
                Err(f) => self.push(
                    &m,
                    user,
                    Probe::MembershipSelfGrant,
                    Verdict::Pass,
                    format!("refused: {} ({})", f.message, f.code),
                ),
            }
        }
    }

    async fn may_insert(&self, role: &str, table: &crate::sql::QualifiedName) -> bool {
        let sql = format!(
            "select has_table_privilege({}, {}, 'INSERT')",
            quote_literal(role),
            quote_literal(&table.sql())
        );
        self.client
            .query_one(&sql, &[])
            .await
            .map(|r| r.get::<_, bool>(0))
            .unwrap_or(false)
    }

    /// Policy expressions and the bodies of user functions (any schema: helpers often live outside the API).
    async fn policy_text(&self) -> String {
        let mut text = String::new();
        for t in &self.catalog.tables {
            for p in &t.policies {
                text.push_str(p.using.as_deref().unwrap_or(""));
                text.push(' ');
                text.push_str(p.with_check.as_deref().unwrap_or(""));
                text.push(' ');
            }
        }
        let bodies = "select coalesce(string_agg(p.prosrc, ' '), '') from pg_catalog.pg_proc p \
             join pg_catalog.pg_namespace n on n.oid = p.pronamespace \
             where n.nspname not in ('pg_catalog', 'information_schema') and p.prolang <> 13";
        if let Ok(row) = self.client.query_one(bodies, &[]).await {
            text.push_str(&row.get::<_, String>(0));
        }
        text
    }
}

/// The words of a text, split once: whether it names each of a thousand tables
/// is then a lookup, not a search of the whole text per table.
struct Words<'t> {
    text: &'t str,
    words: HashSet<&'t str>,
}

impl<'t> Words<'t> {
    fn new(text: &'t str) -> Self {
        let words = text.split(|c: char| !is_word(c)).collect();
        Words { text, words }
    }

    /// Whether the text names `name` as a whole word ([`mentions`]).
    fn mention(&self, name: &str) -> bool {
        if !name.is_empty() && name.chars().all(is_word) {
            self.words.contains(name)
        } else {
            mentions(self.text, name)
        }
    }
}

/// A character of a word, as [`mentions`] reads it.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_mention_what_mentions_finds() {
        let text = "tenant_id = (select m.org from app.members m) and \"my-table\" x1";
        let words = Words::new(text);
        for name in ["members", "tenant_id", "org", "app", "x1", "my-table"] {
            assert!(words.mention(name), "{name}");
            assert!(mentions(text, name), "{name}");
        }
        for name in ["member", "tenant", "x", "table_", "my"] {
            assert_eq!(words.mention(name), mentions(text, name), "{name}");
        }
        assert!(!words.mention("member"));
    }
}
