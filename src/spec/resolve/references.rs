//! The table a foreign key references: a declared table of an owned schema, or a
//! table of a schema the project does not own (`auth.users`), written with its
//! schema. The latter is not declared: `dev_setup` provides it to the desired
//! build, and `plan` checks that the target has it.

use toml::Spanned;

use super::context::Context;
use crate::spec::diagnostic::FileId;
use crate::sql::QualifiedName;

/// Resolves the referenced table: `schema.table` of a schema the project does
/// not own is taken as written; anything else as `Context::qualify` resolves it.
pub(super) fn referenced_table(
    cx: &mut Context,
    file: FileId,
    text: &Spanned<String>,
) -> Option<QualifiedName> {
    if let [schema, name] = text.get_ref().split('.').collect::<Vec<_>>().as_slice()
        && !schema.is_empty()
        && !name.is_empty()
        && !cx.schemas.iter().any(|s| s == schema)
    {
        return Some(QualifiedName::new(*schema, *name));
    }
    cx.qualify(file, text, "table")
}

/// Whether `table` is outside the owned schemas (so it is not declared).
pub(super) fn unowned(cx: &Context, table: &QualifiedName) -> bool {
    !cx.schemas.contains(&table.schema)
}
