//! SQL for triggers and event triggers.

use super::Located;
use crate::spec::declaration::{EventTrigger, Trigger};
use crate::sql::{quote_ident, quote_literal};

/// `CREATE TRIGGER`, with the WHEN condition located in the user's file.
pub(crate) fn create_trigger(t: &Trigger) -> Located {
    let mut out = Located::default();
    let events: Vec<String> = t
        .events
        .iter()
        .map(|e| {
            if *e == crate::spec::declaration::TriggerEvent::Update && !t.columns.is_empty() {
                let columns: Vec<String> = t.columns.iter().map(|c| quote_ident(c)).collect();
                format!("UPDATE OF {}", columns.join(", "))
            } else {
                e.keyword().to_string()
            }
        })
        .collect();
    out.push(&format!(
        "CREATE TRIGGER {} {} {} ON {}",
        quote_ident(&t.name),
        t.timing.keyword(),
        events.join(" OR "),
        t.table
    ));
    if t.new_table.is_some() || t.old_table.is_some() {
        out.push(" REFERENCING");
        if let Some(n) = &t.new_table {
            out.push(&format!(" NEW TABLE AS {}", quote_ident(n)));
        }
        if let Some(o) = &t.old_table {
            out.push(&format!(" OLD TABLE AS {}", quote_ident(o)));
        }
    }
    out.push(if t.for_each_row {
        " FOR EACH ROW"
    } else {
        " FOR EACH STATEMENT"
    });
    if let Some(w) = &t.when {
        out.push(" WHEN (");
        out.push_from(w, t.when_origin.as_ref());
        out.push(")");
    }
    let args: Vec<String> = t.args.iter().map(|a| quote_literal(a)).collect();
    out.push(&format!(
        " EXECUTE FUNCTION {}({})",
        t.function,
        args.join(", ")
    ));
    out
}

/// `ALTER TABLE ... DISABLE TRIGGER` for a trigger declared `enabled = false`.
pub(crate) fn disable_trigger(t: &Trigger) -> Option<String> {
    (!t.enabled).then(|| {
        format!(
            "ALTER TABLE {} DISABLE TRIGGER {}",
            t.table,
            quote_ident(&t.name)
        )
    })
}

/// `CREATE EVENT TRIGGER`, and `ALTER EVENT TRIGGER ... DISABLE` when declared so.
pub(crate) fn create_event_trigger(e: &EventTrigger) -> Vec<String> {
    let mut sql = format!(
        "CREATE EVENT TRIGGER {} ON {}",
        quote_ident(&e.name),
        e.event.name()
    );
    if !e.tags.is_empty() {
        let tags: Vec<String> = e.tags.iter().map(|t| quote_literal(t)).collect();
        sql.push_str(&format!(" WHEN TAG IN ({})", tags.join(", ")));
    }
    sql.push_str(&format!(" EXECUTE FUNCTION {}()", e.function));
    let mut out = vec![sql];
    if !e.enabled {
        out.push(format!(
            "ALTER EVENT TRIGGER {} DISABLE",
            quote_ident(&e.name)
        ));
    }
    out
}
