//! SB002 `public_bucket_allows_listing` (RLS-SEMANTICS 6.7 Supabase pack,
//! splinter 0025): a public storage bucket serves its files by URL without any
//! policy; a broad SELECT policy on `storage.objects` (not narrowed to the
//! caller) lets API clients also list every file of the bucket. A policy that
//! restricts listing to a path prefix (`name LIKE 'public/%'`,
//! `(storage.foldername(name))[1] = 'public'`, `starts_with(name, 'public/')`)
//! lists only what is meant to be listed: not flagged.

use super::{Check, Context, list};
use crate::audit::expr::{Const, Expr, all_strings};
use crate::audit::facts::Bucket;
use crate::audit::policies::{ParsedPolicy, strip_casts};
use crate::audit::{Finding, Level};
use crate::catalog::PolicyCommand;

/// The check.
pub const CHECK: Check = Check {
    id: "SB002",
    name: "public_bucket_allows_listing",
    level: Level::Warn,
    summary: "public storage bucket with a broad SELECT policy lets clients list its files (Supabase)",
    run,
};

/// Columns of `storage.objects` that tie a row to its uploader.
const OWNER_COLUMNS: &[&str] = &["owner", "owner_id"];

fn run(cx: &Context<'_>) -> Vec<Finding> {
    if !cx.scope.supabase || cx.facts.public_buckets.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for policy in &cx.facts.object_policies {
        let p = ParsedPolicy::new(policy);
        if !p.permissive() || !p.covers(PolicyCommand::Select) {
            continue;
        }
        // An expression that does not parse cannot be judged.
        if policy.using.is_some() && p.using.is_none() {
            continue;
        }
        let clients = cx.clients_of(&p);
        if clients.is_empty() || narrowed(cx, p.using.as_ref()) {
            continue;
        }
        for bucket in buckets(&cx.facts.public_buckets, p.using.as_ref()) {
            out.push(CHECK.finding(
                CHECK.level,
                &format!("storage.buckets.{}", bucket.id),
                Some(&policy.name),
                format!(
                    "bucket {} is public (files are served by URL without a policy) and policy \
                     {} lets {} select every object of it: clients can list all its files",
                    bucket.id,
                    policy.name,
                    list(&clients)
                ),
                Some(format!(
                    "DROP POLICY {} ON storage.objects; -- public buckets need no SELECT policy; \
                     or narrow it to the caller: USING (owner = (select auth.uid()))",
                    crate::sql::quote_ident(&policy.name)
                )),
            ));
        }
    }
    out
}

/// Whether USING ties rows to the caller (session context or owner column)
/// or admits nothing.
fn narrowed(cx: &Context<'_>, using: Option<&Expr>) -> bool {
    let Some(using) = using else {
        return false;
    };
    matches!(using, Expr::Const(Const::Bool(false)))
        || using.mentions_context(&cx.helpers)
        || path_prefix(using)
        || using
            .columns()
            .iter()
            .any(|c| OWNER_COLUMNS.contains(&c.as_str()))
}

/// Whether USING (as a whole or one of its AND-ed terms) restricts the object
/// name to a constant path prefix.
fn path_prefix(using: &Expr) -> bool {
    let names_path = |e: &Expr| {
        e.any(&|x| matches!(x, Expr::Column(parts) if parts.last().is_some_and(|c| c == "name")))
    };
    let constant = |e: &Expr| matches!(strip_casts(e), Expr::Const(Const::Text(t)) if !t.is_empty() && !t.starts_with('%'));
    let term = |e: &Expr| match e {
        Expr::Op(op, args) if args.len() == 2 && matches!(op.as_str(), "=" | "~~" | "~" | "^@") => {
            (names_path(&args[0]) && constant(&args[1]))
                || (names_path(&args[1]) && constant(&args[0]))
        }
        Expr::Call(name, args)
            if name.last().is_some_and(|n| n == "starts_with") && args.len() == 2 =>
        {
            names_path(&args[0]) && constant(&args[1])
        }
        _ => false,
    };
    match using {
        Expr::And(terms) => terms.iter().any(term),
        other => term(other),
    }
}

/// The public buckets a broad policy reaches: those its literals name when it
/// names any, else every one.
fn buckets<'b>(public: &'b [Bucket], using: Option<&Expr>) -> Vec<&'b Bucket> {
    let strings = using.map(all_strings).unwrap_or_default();
    let named: Vec<&Bucket> = public
        .iter()
        .filter(|b| strings.iter().any(|s| *s == b.id || *s == b.name))
        .collect();
    let filters_bucket = using.is_some_and(|u| u.columns().iter().any(|c| c == "bucket_id"));
    if filters_bucket && !strings.is_empty() {
        named
    } else {
        public.iter().collect()
    }
}
