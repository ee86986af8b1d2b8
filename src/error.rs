//! An error and its causes as one line: how every stage words a failure for people
//! (tokio-postgres says only "db error"; the server's words are in its `source()`).

use std::error::Error;

/// `error` followed by each of its causes, joined with ": ". A cause whose text the
/// line already holds (an error that embeds its source in its own message) is not
/// repeated, so every layer's words appear once, down to the server's own message
/// ("permission denied for table pg_policy").
pub fn error_chain(error: &dyn Error) -> String {
    let mut line = error.to_string();
    let mut cause = error.source();
    while let Some(current) = cause {
        let text = current.to_string();
        if !text.is_empty() && !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
        cause = current.source();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("reading the catalog failed in query `policies`")]
    struct Outer(#[source] Middle);

    #[derive(Debug, thiserror::Error)]
    #[error("db error")]
    struct Middle(#[source] Root);

    #[derive(Debug, thiserror::Error)]
    #[error("permission denied for table pg_policy")]
    struct Root;

    #[derive(Debug, thiserror::Error)]
    #[error("invalid connection string: {0}")]
    struct Embeds(#[source] Root);

    #[test]
    fn every_cause_is_printed_down_to_the_root() {
        assert_eq!(
            error_chain(&Outer(Middle(Root))),
            "reading the catalog failed in query `policies`: db error: permission denied for table pg_policy"
        );
    }

    #[test]
    fn a_cause_the_message_already_holds_is_not_repeated() {
        assert_eq!(
            error_chain(&Embeds(Root)),
            "invalid connection string: permission denied for table pg_policy"
        );
    }
}
