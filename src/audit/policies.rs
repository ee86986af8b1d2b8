//! Effective policy sets: for a (table, client role, command), the policies
//! that apply given role membership, permissive OR-ed and restrictive AND-ed.

use super::access::Access;
use super::expr::{self, Expr};
use crate::catalog::{Grantee, Policy, PolicyCommand, PolicyMode, Table};

/// A policy with its expressions parsed.
#[derive(Debug, Clone)]
pub struct ParsedPolicy<'c> {
    /// The catalog's policy.
    pub policy: &'c Policy,
    /// `USING`, parsed.
    pub using: Option<Expr>,
    /// `WITH CHECK`, parsed.
    pub with_check: Option<Expr>,
}

impl<'c> ParsedPolicy<'c> {
    /// Parses the policy's expressions (an unparsable one reads as absent).
    pub fn new(policy: &'c Policy) -> Self {
        Self::new_cached(policy, &mut Parses::default())
    }

    /// Parses the policy's expressions, reusing parses of equal text: policies
    /// generated for many tenant tables repeat the same few expressions.
    pub fn new_cached(policy: &'c Policy, parses: &mut Parses<'c>) -> Self {
        let mut parse = |text: Option<&'c str>| {
            let text = text?;
            parses
                .0
                .entry(text)
                .or_insert_with(|| expr::parse(text))
                .clone()
        };
        Self {
            policy,
            using: parse(policy.using.as_deref()),
            with_check: parse(policy.with_check.as_deref()),
        }
    }

    /// The check new rows must pass: WITH CHECK, else (UPDATE, ALL) USING.
    pub fn write_check(&self) -> Option<&Expr> {
        self.with_check.as_ref().or(match self.policy.command {
            PolicyCommand::Update | PolicyCommand::All => self.using.as_ref(),
            _ => None,
        })
    }

    /// Whether the policy applies to `role` (PUBLIC, the role, or a role whose
    /// privileges it has).
    pub fn applies_to(&self, role: &str, access: &Access<'_>) -> bool {
        let mine = access.privileges_of(role);
        self.policy.roles.iter().any(|g| match g {
            Grantee::Public => true,
            Grantee::Role(r) => mine.contains(r),
        })
    }

    /// Whether the policy is for `command` (or ALL).
    pub fn covers(&self, command: PolicyCommand) -> bool {
        self.policy.command == command || self.policy.command == PolicyCommand::All
    }

    /// Whether the policy is permissive.
    pub fn permissive(&self) -> bool {
        self.policy.mode == PolicyMode::Permissive
    }
}

/// Parsed expressions by their text.
#[derive(Debug, Default)]
pub struct Parses<'c>(std::collections::HashMap<&'c str, Option<Expr>>);

/// The policies of one (table, role, command).
#[derive(Debug, Clone)]
pub struct EffectiveSet<'p, 'c> {
    /// OR-ed.
    pub permissive: Vec<&'p ParsedPolicy<'c>>,
    /// AND-ed.
    pub restrictive: Vec<&'p ParsedPolicy<'c>>,
}

impl EffectiveSet<'_, '_> {
    /// Renders the set as `(p1 OR p2) AND r1`.
    pub fn render(&self) -> String {
        let names = |ps: &[&ParsedPolicy<'_>], sep: &str| {
            ps.iter()
                .map(|p| p.policy.name.as_str())
                .collect::<Vec<_>>()
                .join(sep)
        };
        let permissive = if self.permissive.is_empty() {
            "(no permissive policy: deny)".to_string()
        } else {
            format!("({})", names(&self.permissive, " OR "))
        };
        if self.restrictive.is_empty() {
            permissive
        } else {
            format!("{permissive} AND {}", names(&self.restrictive, " AND "))
        }
    }

    /// Whether no policy applies.
    pub fn is_empty(&self) -> bool {
        self.permissive.is_empty() && self.restrictive.is_empty()
    }
}

/// The effective set of `command` for `role` among a table's parsed policies.
pub fn effective<'p, 'c>(
    policies: &'p [ParsedPolicy<'c>],
    role: &str,
    command: PolicyCommand,
    access: &Access<'_>,
) -> EffectiveSet<'p, 'c> {
    let applicable = policies
        .iter()
        .filter(|p| p.covers(command) && p.applies_to(role, access));
    let (permissive, restrictive) = applicable.partition(|p| p.permissive());
    EffectiveSet {
        permissive,
        restrictive,
    }
}

/// The table's tenant key: the configured tenant column (None when the table
/// lacks it), else the column its SELECT/ALL policies compare with the context.
pub fn tenant_key(
    table: &Table,
    policies: &[ParsedPolicy<'_>],
    configured: Option<&str>,
    helpers: &[String],
) -> Option<String> {
    // With a configured tenant column, a table without it is not a tenant table.
    if let Some(column) = configured {
        return table.column(column).map(|c| c.name.clone());
    }
    policies
        .iter()
        .filter(|p| p.covers(PolicyCommand::Select))
        .filter_map(|p| p.using.as_ref())
        .find_map(|e| compared_with_context(e, helpers))
        .filter(|c| table.column(c).is_some())
}

/// A column compared (`=` or `IN`) with a context expression.
fn compared_with_context(e: &Expr, helpers: &[String]) -> Option<String> {
    let mut found = None;
    e.walk(&mut |x| {
        if found.is_some() {
            return;
        }
        if let Expr::Op(op, args) = x
            && (op == "=" || op.starts_with("IN") || op.ends_with("ANY"))
            && args.len() == 2
        {
            for (a, b) in [(&args[0], &args[1]), (&args[1], &args[0])] {
                if let Expr::Column(parts) = strip_casts(a)
                    && b.mentions_context(helpers)
                {
                    found = parts.last().cloned();
                }
            }
        }
        if let Expr::SubSelect(Some(test), _) = x
            && let Expr::Column(parts) = strip_casts(test)
            && x.mentions_context(helpers)
        {
            found = parts.last().cloned();
        }
    });
    found
}

/// The expression under any casts.
pub fn strip_casts(e: &Expr) -> &Expr {
    match e {
        Expr::Cast(inner, _) => strip_casts(inner),
        other => other,
    }
}
