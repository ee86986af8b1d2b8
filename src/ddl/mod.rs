//! Rendering a [`Declaration`] as one deterministic SQL script that builds it in an
//! empty database: schemas, functions, tables, foreign keys, indexes, comments,
//! row-level security, policies and grants, every identifier quoted.

mod database;
mod objects;
mod triggers;
mod types;
mod views;

pub use database::{create_extension, create_partition};

use std::fmt::Write;

use crate::spec::Declaration;
use crate::spec::declaration::Origin;
use crate::sql::{dollar_quote, quote_ident};

use objects::{
    create_function, create_index, create_policy, create_sequence, create_table, foreign_key,
    sequence_owner,
};

/// One statement of a script, with the object it builds and where that is
/// declared (for error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// What the statement creates, in words: `table app.projects`, `policy p on app.t`.
    pub object: String,
    /// The SQL, without the trailing semicolon.
    pub sql: String,
    /// Where the object is declared.
    pub origin: Option<Origin>,
    /// The user's text inside `sql` (types, defaults, expressions) and where each
    /// is written, so that an error position in the statement maps to the file.
    pub fragments: Vec<Fragment>,
}

/// A piece of the user's text in a statement: its byte range in the SQL and where
/// it starts in the project's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    /// Byte range in the statement.
    pub range: std::ops::Range<usize>,
    /// Where the text starts in the file.
    pub origin: Origin,
}

impl Statement {
    /// Where in the project's files the byte `offset` of the statement comes from:
    /// inside a fragment, the matching column of the value; else the object.
    pub fn origin_at(&self, offset: usize) -> Option<Origin> {
        self.fragments
            .iter()
            .find(|f| f.range.contains(&offset))
            .and_then(|f| {
                let chars = self.sql.get(f.range.start..offset)?.chars().count();
                Some(f.origin.at(chars))
            })
            .or_else(|| self.origin.clone())
    }
}

impl Statement {
    /// Where the first whole-word occurrence of `name` inside the user's text is
    /// written: for errors PostgreSQL gives without a position but naming what it
    /// did not find (`column "ownr_id" does not exist` in a policy).
    pub fn origin_of_name(&self, name: &str) -> Option<Origin> {
        let is_word = |c: char| c.is_alphanumeric() || c == '_';
        self.fragments.iter().find_map(|f| {
            let text = self.sql.get(f.range.clone())?;
            text.match_indices(name).find_map(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = text[i + name.len()..].chars().next();
                (!before.is_some_and(is_word) && !after.is_some_and(is_word))
                    .then(|| f.origin.at(text[..i].chars().count()))
            })
        })
    }
}

/// SQL being built, with the fragments of the user's text it contains.
#[derive(Debug, Default)]
pub(crate) struct Located {
    sql: String,
    fragments: Vec<Fragment>,
}

impl Located {
    fn push(&mut self, text: &str) {
        self.sql.push_str(text);
    }

    /// Appends the user's `text`, written at `origin`.
    fn push_from(&mut self, text: &str, origin: Option<&Origin>) {
        let start = self.sql.len();
        self.sql.push_str(text);
        if let Some(origin) = origin {
            self.fragments.push(Fragment {
                range: start..self.sql.len(),
                origin: origin.clone(),
            });
        }
    }
}

/// A rendered script: statements in execution order, grouped under section titles.
#[derive(Debug, Clone, Default)]
pub struct Script {
    /// `(section title, statements)` in order.
    pub sections: Vec<(String, Vec<Statement>)>,
}

impl Script {
    fn push(&mut self, section: &str, object: String, sql: String) {
        self.push_at(section, object, sql, None);
    }

    fn push_at(&mut self, section: &str, object: String, sql: String, origin: Option<&Origin>) {
        self.push_located(
            section,
            object,
            Located {
                sql,
                ..Located::default()
            },
            origin,
        );
    }

    fn push_located(
        &mut self,
        section: &str,
        object: String,
        sql: Located,
        origin: Option<&Origin>,
    ) {
        if self
            .sections
            .last()
            .is_none_or(|(title, _)| title != section)
        {
            self.sections.push((section.to_string(), Vec::new()));
        }
        if let Some((_, statements)) = self.sections.last_mut() {
            statements.push(Statement {
                object,
                sql: sql.sql,
                origin: origin.cloned(),
                fragments: sql.fragments,
            });
        }
    }

    /// Every statement in execution order.
    pub fn statements(&self) -> impl Iterator<Item = &Statement> {
        self.sections.iter().flat_map(|(_, s)| s.iter())
    }

    /// The script as one SQL text with section comments.
    pub fn to_sql(&self) -> String {
        let mut out =
            String::from("-- Generated by rlsctl from the project's declaration. Do not edit.\n");
        for (title, statements) in &self.sections {
            let _ = write!(out, "\n-- {title}\n");
            for s in statements {
                let _ = writeln!(out, "{};", s.sql);
            }
        }
        out
    }
}

/// The whole declaration as SQL, in an order that runs first time in an empty
/// database: function bodies are not checked at creation (like pg_dump), so
/// functions come first and may read tables created after them.
pub fn render(declaration: &Declaration) -> Script {
    let mut script = Script::default();
    script.push(
        "settings",
        "settings".into(),
        "SET check_function_bodies = off".into(),
    );
    for s in &declaration.schemas {
        script.push(
            "schemas",
            format!("schema {}", quote_ident(&s.name)),
            format!("CREATE SCHEMA IF NOT EXISTS {}", quote_ident(&s.name)),
        );
    }
    for e in &declaration.extensions {
        script.push_at(
            "extensions",
            format!("extension {}", quote_ident(&e.name)),
            database::create_extension(e),
            e.origin.as_ref(),
        );
    }
    types::render(declaration, &mut script);
    // Default privileges before the objects, so that the declared objects get
    // them as objects created later do: a table's privileges are its own
    // grants and its schema's defaults.
    for (object, sql) in objects::default_privileges(declaration) {
        script.push("default privileges", object, sql);
    }
    // SQL-standard bodies are parsed at creation: after the tables they read.
    for f in declaration.functions.iter().filter(|f| !f.atomic) {
        script.push_at(
            "functions",
            format!("function {}", f.name),
            create_function(f),
            f.origin.as_ref(),
        );
    }
    for s in &declaration.sequences {
        script.push_at(
            "sequences",
            format!("sequence {}", s.name),
            create_sequence(s),
            s.origin.as_ref(),
        );
    }
    // Event triggers come before the tables, so that the tables are built as on a
    // target where the event trigger already exists (RLS enabled by one, say).
    for e in &declaration.event_triggers {
        for sql in triggers::create_event_trigger(e) {
            script.push_at(
                "event triggers",
                format!("event trigger {}", quote_ident(&e.name)),
                sql,
                e.origin.as_ref(),
            );
        }
    }
    for t in &declaration.tables {
        script.push_located(
            "tables",
            format!("table {}", t.name),
            create_table(t),
            t.origin.as_ref(),
        );
    }
    for s in &declaration.sequences {
        if let Some(sql) = sequence_owner(s) {
            script.push_at(
                "sequence owners",
                format!("sequence {}", s.name),
                sql,
                s.origin.as_ref(),
            );
        }
    }
    for t in &declaration.tables {
        for p in &t.partitions {
            script.push_at(
                "partitions",
                format!("partition {} of {}", p.name, t.name),
                database::create_partition(&t.name, p),
                p.origin.as_ref(),
            );
        }
    }
    for t in &declaration.tables {
        for fk in &t.foreign_keys {
            script.push_at(
                "foreign keys",
                format!("foreign key {} on {}", quote_ident(&fk.name), t.name),
                foreign_key(&t.name, fk),
                fk.origin.as_ref(),
            );
        }
    }
    for t in &declaration.tables {
        for i in &t.indexes {
            script.push_at(
                "indexes",
                format!("index {} on {}", quote_ident(&i.name), t.name),
                create_index(&t.name, i),
                i.origin.as_ref(),
            );
        }
    }
    for v in &declaration.views {
        let kind = if v.materialized {
            "materialized view"
        } else {
            "view"
        };
        script.push_located(
            "views",
            format!("{kind} {}", v.name),
            views::create_view(v),
            v.origin.as_ref(),
        );
        for i in &v.indexes {
            script.push_at(
                "views",
                format!("index {} on {}", quote_ident(&i.name), v.name),
                create_index(&v.name, i),
                i.origin.as_ref(),
            );
        }
    }
    for f in declaration.functions.iter().filter(|f| f.atomic) {
        script.push_at(
            "functions with SQL-standard bodies",
            format!("function {}", f.name),
            create_function(f),
            f.origin.as_ref(),
        );
    }
    for t in &declaration.tables {
        if let Some(ri) = &t.replica_identity {
            script.push(
                "replica identity",
                format!("replica identity of {}", t.name),
                database::replica_identity(t, ri),
            );
        }
    }
    for (object, sql) in objects::comments(declaration) {
        script.push("comments", object, sql);
    }
    for t in &declaration.tables {
        if t.rls_enabled {
            script.push(
                "row-level security",
                format!("row-level security of {}", t.name),
                format!("ALTER TABLE {} ENABLE ROW LEVEL SECURITY", t.name),
            );
        }
        if t.rls_forced {
            script.push(
                "row-level security",
                format!("row-level security of {}", t.name),
                format!("ALTER TABLE {} FORCE ROW LEVEL SECURITY", t.name),
            );
        }
        // A partition queried directly applies only its own row-level security.
        for p in &t.partitions {
            for (on, sql) in [(t.rls_enabled, "ENABLE"), (t.rls_forced, "FORCE")] {
                if on {
                    script.push(
                        "row-level security",
                        format!("row-level security of {}", p.name),
                        format!("ALTER TABLE {} {sql} ROW LEVEL SECURITY", p.name),
                    );
                }
            }
        }
        for p in &t.policies {
            script.push_located(
                "row-level security",
                format!("policy {} on {}", quote_ident(&p.name), t.name),
                create_policy(&t.name, p),
                p.origin.as_ref(),
            );
        }
    }
    for t in &declaration.triggers {
        let object = format!("trigger {} on {}", quote_ident(&t.name), t.table);
        script.push_located(
            "triggers",
            object.clone(),
            triggers::create_trigger(t),
            t.origin.as_ref(),
        );
        if let Some(sql) = triggers::disable_trigger(t) {
            script.push_at("triggers", object, sql, t.origin.as_ref());
        }
    }
    for (object, sql) in objects::grants(declaration) {
        script.push("grants", object, sql);
    }
    for p in &declaration.publications {
        for sql in database::create_publication(p) {
            script.push_at(
                "publications",
                format!("publication {}", quote_ident(&p.name)),
                sql,
                p.origin.as_ref(),
            );
        }
    }
    script
}

/// Creates the declared roles if they do not exist, for dev clusters. Serialised
/// by an advisory lock because roles are cluster-wide and several dev databases
/// may be built at once on one server.
pub fn roles_script(declaration: &Declaration) -> String {
    let mut out = String::from("SELECT pg_advisory_xact_lock(hashtext('rlsctl.roles'));\n");
    for r in &declaration.roles {
        let create = format!(
            "CREATE ROLE {} {} {}",
            quote_ident(&r.name),
            if r.login { "LOGIN" } else { "NOLOGIN" },
            if r.inherit { "INHERIT" } else { "NOINHERIT" }
        );
        let _ = writeln!(
            out,
            "DO {};",
            dollar_quote(&format!(
                " BEGIN {create}; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END "
            ))
        );
    }
    for r in &declaration.roles {
        for m in &r.member_of {
            let _ = writeln!(out, "GRANT {} TO {};", quote_ident(m), quote_ident(&r.name));
        }
    }
    out
}
