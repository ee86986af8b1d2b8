//! Where `tracing` events go: stderr, filtered by `RLSCTL_LOG` (an `EnvFilter`
//! directive such as `debug` or `rlsctl::plan=trace`), warnings and errors by
//! default, so that what the library warns about reaches the user.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// The variable holding the filter.
pub const LOG_ENV: &str = "RLSCTL_LOG";

/// The filter for a value of `RLSCTL_LOG`: the value itself, or `warn` when it is
/// unset or empty. An invalid value is an error naming the variable.
pub fn filter(value: Option<&str>) -> Result<EnvFilter, String> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(EnvFilter::new("warn")),
        Some(v) => {
            EnvFilter::try_new(v).map_err(|e| format!("{LOG_ENV}={v:?} is not a filter: {e}"))
        }
    }
}

/// Installs the stderr subscriber once per process (a second call does nothing).
pub fn install() {
    let value = std::env::var(LOG_ENV).ok();
    let filter = filter(value.as_deref()).unwrap_or_else(|message| {
        eprintln!("warning: {message}; showing warnings only");
        EnvFilter::new("warn")
    });
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    // Users asked for nothing: a bare `WARN message`. With RLSCTL_LOG, the time
    // and the module, for whoever is debugging. An error means one is already
    // installed (`run` called twice in one process): the first one stays.
    let _ = if value.is_some() {
        builder.try_init()
    } else {
        builder.without_time().with_target(false).try_init()
    };
}

#[cfg(test)]
mod tests {
    use tracing::level_filters::LevelFilter;

    use super::filter;

    #[test]
    fn without_rlsctl_log_warnings_are_shown_and_nothing_below() {
        for unset in [None, Some(""), Some("  ")] {
            let f = filter(unset).unwrap();
            assert_eq!(f.max_level_hint(), Some(LevelFilter::WARN), "{unset:?}");
        }
    }

    #[test]
    fn rlsctl_log_debug_shows_debug_events() {
        let f = filter(Some("debug")).unwrap();
        assert_eq!(f.max_level_hint(), Some(LevelFilter::DEBUG));
    }

    #[test]
    fn an_invalid_rlsctl_log_names_the_variable() {
        let e = filter(Some("rlsctl=notalevel")).unwrap_err();
        assert!(e.contains("RLSCTL_LOG"), "{e}");
    }
}
